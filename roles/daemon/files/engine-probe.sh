#!/bin/sh
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Read-only probe for a Docker engine this collection did not install: packages (dpkg or rpm), their
# systemd units or SysV scripts, and a dockerd or containerd running from outside the install prefix.
# Changes nothing; POSIX sh (dash, busybox sh, bash of old EL userlands). It goes to hosts as the text of
# a raw command (set -- ARGS first), so keep every quote in this file balanced, comments included.
#
# Usage: engine-probe.sh [--prefix DIR] [--root DIR]
#   --prefix: the install prefix of this collection (default /opt/sourcebuilt-docker); a process whose
#   binary lies below it is one of ours. --root reads /proc, /etc, /lib and /usr below DIR (unit
#   tests use fake trees); the package managers are the ones on PATH.
#
# Output, one finding a line, for the sourcebuilt.docker.foreign_engine filter:
#   package NAME VERSION | unit NAME PATH | sysv NAME PATH | process NAME PID EXE
# and a last line `end FINDINGS`. Exit status 0 (also when something is found), 2 on bad usage.

prefix=/opt/sourcebuilt-docker
root=

usage() {
  echo "usage: $0 [--prefix DIR] [--root DIR]" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case $1 in
    --prefix) prefix=${2%/} ;;
    --root) root=${2%/} ;;
    *) usage ;;
  esac
  shift 2
done

found=0
say() {
  found=$((found + 1))
  echo "$*"
}

DEB_PACKAGES="docker.io docker-ce docker-ce-cli containerd containerd.io runc docker-engine"
RPM_PACKAGES="docker docker-ce moby-engine containerd.io podman-docker"

if command -v dpkg-query >/dev/null 2>&1; then
  # shellcheck disable=SC2086 # the list is split on purpose
  installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' $DEB_PACKAGES 2>/dev/null |
    while read -r status name version; do
      case $status in
        ii | hi | iU | iF | hU | hF) echo "package $name $version" ;;
      esac
    done)
  if [ -n "$installed" ]; then
    while read -r line; do say "$line"; done <<END
$installed
END
  fi
fi
if command -v rpm >/dev/null 2>&1; then
  for name in $RPM_PACKAGES; do
    version=$(rpm -q --qf '%{VERSION}-%{RELEASE}' "$name" 2>/dev/null) && say "package $name $version"
  done
fi

# Units of a package live in /lib or /usr/lib; one in /etc is ours when it names sourcebuilt.docker.
for name in docker.service docker.socket containerd.service; do
  for dir in /lib/systemd/system /usr/lib/systemd/system /etc/systemd/system; do
    file=$root$dir/$name
    [ -f "$file" ] || continue
    [ -L "$root/lib" ] && [ "$dir" = /lib/systemd/system ] && continue # /lib -> usr/lib: counted once
    grep -q 'sourcebuilt\.docker' "$file" 2>/dev/null && continue
    say "unit $name $dir/$name"
  done
done

for name in docker containerd docker-engine; do
  file=$root/etc/init.d/$name
  [ -f "$file" ] || continue
  grep -q 'sourcebuilt\.docker' "$file" 2>/dev/null && continue
  say "sysv $name /etc/init.d/$name"
done

for link in "$root"/proc/[0-9]*/exe; do
  exe=$(readlink "$link" 2>/dev/null) || continue
  exe=${exe% (deleted)}
  case ${exe##*/} in
    dockerd | containerd | docker-containerd) ;;
    *) continue ;;
  esac
  case $exe in "$prefix"/*) continue ;; esac
  pid=${link%/exe}
  say "process ${exe##*/} ${pid##*/} $exe"
done

echo "end $found"
