#!/bin/sh
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Controller side of the sha256 helper (playbooks/tasks/sha256_helper.yml): put Debian's
# busybox-static binary, a static amd64 executable with a sha256sum applet, at DIR/busybox, for
# targets with no sha256 tool of their own (CentOS 4's coreutils has none).
#
# Usage: sha256_helper_fetch.sh DIR [BUSYBOX-STATIC.deb]
#   Without a .deb, `apt-get download busybox-static` (apt checks it against the signed Release file
#   of the controller's sources). The binary is checked against the package's own md5sums before
#   it is used. A current DIR/busybox is kept. Prints one JSON line:
#   {"state": "fetched|cached", "path", "version", "sha256", "cksum": "CRC SIZE", "md5", "size"}
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 DIR [BUSYBOX-STATIC.deb]" >&2
  exit 2
fi
dir=$1
deb=${2:-}
sum() { "$1" <"$2" | sed 's/ .*//'; }
json() {
  printf '{"state": "%s", "path": "%s", "version": "%s", "sha256": "%s", "cksum": "%s", "md5": "%s", "size": %s}\n' \
    "$1" "$dir/busybox" "$(cat "$dir/busybox.version")" "$(sum sha256sum "$dir/busybox")" \
    "$(cksum <"$dir/busybox")" "$(sum md5sum "$dir/busybox")" "$(wc -c <"$dir/busybox" | tr -d ' ')"
}

if [ -z "$deb" ] && [ -f "$dir/busybox" ] && [ -f "$dir/busybox.sha256" ] &&
  [ "$(sum sha256sum "$dir/busybox")" = "$(cat "$dir/busybox.sha256")" ]; then
  json cached
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$deb" ]; then
  (cd "$work" && apt-get download -qq busybox-static 2>/dev/null) ||
    { echo "apt-get download busybox-static failed: give a busybox-static .deb as second argument" >&2; exit 1; }
  deb=$(ls "$work"/busybox-static_*.deb)
fi
dpkg-deb -x "$deb" "$work/x"
dpkg-deb -e "$deb" "$work/control"
want=$(sed -n 's|^\([0-9a-f]\{32\}\)  bin/busybox$|\1|p' "$work/control/md5sums")
got=$(sum md5sum "$work/x/bin/busybox")
if [ -z "$want" ] || [ "$want" != "$got" ]; then
  echo "bin/busybox of $deb does not match the package's md5sums ($got, expected $want)" >&2
  exit 1
fi
"$work/x/bin/busybox" --list | grep -qx sha256sum || { echo "busybox of $deb has no sha256sum applet" >&2; exit 1; }
mkdir -p "$dir"
cp "$work/x/bin/busybox" "$dir/busybox.new"
chmod 0755 "$dir/busybox.new"
dpkg-deb -f "$deb" Version >"$dir/busybox.version"
sum sha256sum "$dir/busybox.new" >"$dir/busybox.sha256"
mv -f "$dir/busybox.new" "$dir/busybox"
json fetched
