#!/bin/sh
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Managed by sourcebuilt.docker (roles/build/files/workspace.sh).
# The build directories of a build host, owned by the build account and its group of the same name,
# mode 0755: ROOT itself and each SUBDIR under it. It goes to the host as the text of a raw command (set -- ARGS first), so keep every
# quote in this file balanced, comments included.
#
#   workspace.sh ROOT USER [SUBDIR]... [--script=SHA256:NAME]...
#
# Output: "changed DIR" for each directory created or given its owner and mode, and "stale NAME" for each
# script ROOT/libexec/NAME that is missing or whose sha256 is not SHA256 (the caller writes those); nothing
# when all are right. Without the account USER it changes nothing and prints "no account USER" (the caller
# creates it and runs this again). Exit 1 when a directory cannot be made, 2 on bad usage.
set -u
PATH="$PATH:/sbin:/usr/sbin:/bin:/usr/bin"
[ $# -ge 2 ] || {
	echo 'usage: workspace.sh ROOT USER [SUBDIR]...' >&2
	exit 2
}
root=${1%/} user=$2
shift 2
case $root in /?*) ;; *) echo "workspace.sh: ROOT must be an absolute path, got [$root]" >&2 && exit 2 ;; esac
group=$user
for arg in "$@"; do
	case $arg in
	--script=?*:?*) ;;
	'' | /* | *..* | -*) echo "workspace.sh: bad SUBDIR [$arg]" >&2 && exit 2 ;;
	esac
done
id "$user" >/dev/null 2>&1 || {
	echo "no account $user"
	exit 0
}
for arg in "" "$@"; do
	case $arg in --script=*) continue ;; esac
	dir=$root${arg:+/$arg}
	[ -d "$dir" ] && [ "$(stat -c '%U:%G:%a' "$dir" 2>/dev/null)" = "$user:$group:755" ] && continue
	mkdir -p "$dir" && chown "$user:$group" "$dir" && chmod 0755 "$dir" || exit 1
	echo "changed $dir"
done
for arg in "$@"; do
	case $arg in --script=*) ;; *) continue ;; esac
	entry=${arg#--script=} && name=${entry#*:}
	case $name in */* | ..) echo "workspace.sh: bad script name [$name]" >&2 && exit 2 ;; esac
	have=$(sha256sum <"$root/libexec/$name" 2>/dev/null) || have=
	[ "${have%% *}" = "${entry%%:*}" ] || echo "stale $name"
done
