#!/bin/sh
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Managed by sourcebuilt.docker (roles/build/files/prune-artifacts.sh).
# Keep the newest KEEP fingerprints of each component's artifacts on a build host and remove the older ones.
#
#   prune-artifacts.sh ROOT KEEP [COMPONENT/FINGERPRINT]...
#
# ROOT holds COMPONENT/FINGERPRINT/ directories (build_root/artifacts). The fingerprints named as arguments (the
# release of this run) are always kept and count among the KEEP. Output: "removed COMPONENT/FINGERPRINT KIB" per
# directory removed, then "freed KIB" when anything was.
set -eu
[ $# -ge 2 ] || {
	echo 'usage: prune-artifacts.sh ROOT KEEP [COMPONENT/FINGERPRINT]...' >&2
	exit 2
}
root=$1 keep=$2
shift 2
case $keep in '' | *[!0-9]*) echo "prune-artifacts.sh: KEEP must be a number, got [$keep]" >&2 && exit 2 ;; esac
[ "$keep" -ge 1 ] || { echo "prune-artifacts.sh: KEEP must be at least 1, got $keep" >&2 && exit 2; }
[ -d "$root" ] || exit 0

protected=" $* "
freed=0
for dir in "$root"/*/; do
	[ -d "$dir" ] || continue
	component=$(basename "$dir")
	# Fingerprints are hex names, newest first; those of this run count first among the KEEP.
	fps=$(ls -1t -- "$dir")
	kept=0
	for fp in $fps; do
		case $protected in *" $component/$fp "*) kept=$((kept + 1)) ;; esac
	done
	for fp in $fps; do
		[ -d "$dir$fp" ] || continue
		case $protected in *" $component/$fp "*) continue ;; esac
		if [ "$kept" -lt "$keep" ]; then
			kept=$((kept + 1))
			continue
		fi
		kib=$(du -sk "$dir$fp" | cut -f1)
		rm -rf "${dir:?}$fp"
		freed=$((freed + kib))
		echo "removed $component/$fp $kib"
	done
done
[ "$freed" -eq 0 ] || echo "freed $freed"
