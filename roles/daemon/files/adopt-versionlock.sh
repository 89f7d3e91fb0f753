#!/bin/sh
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Lock (add) or unlock (delete) the versions of packages with the versionlock plugin of dnf or yum, where the
# host has it; the daemon role runs it for the packages of an engine it takes over (daemon_adopt).
# Usage: adopt-versionlock.sh add|delete NAME...
# Output, one line a package: `locked NAME`, `unlocked NAME` (a change), `kept NAME` (nothing to do), or a single
# `none ...` line when there is no versionlock on the host. Exit status 0, 2 on bad usage.

[ $# -ge 2 ] || { echo "usage: $0 add|delete NAME..." >&2; exit 2; }
action=$1
shift
case $action in add | delete) ;; *) echo "usage: $0 add|delete NAME..." >&2; exit 2 ;; esac

tool=
for candidate in dnf yum; do
  if command -v "$candidate" >/dev/null 2>&1; then tool=$candidate; break; fi
done
if [ -z "$tool" ] || ! list=$("$tool" -q versionlock list 2>/dev/null); then
  echo "none: no dnf or yum versionlock plugin on this host; the packages are not locked"
  exit 0
fi

for name in "$@"; do
  # Entries read [EPOCH:]NAME-VERSION-RELEASE.*
  if printf '%s\n' "$list" | grep -q "^\([0-9]*:\)\{0,1\}$name-[0-9]"; then locked=yes; else locked=no; fi
  case $action:$locked in
    add:no) "$tool" -q versionlock add "$name" >/dev/null && echo "locked $name" ;;
    delete:yes) "$tool" -q versionlock delete "$name" >/dev/null && echo "unlocked $name" ;;
    *) echo "kept $name" ;;
  esac
done
