#!/bin/sh
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
#
# Managed by sourcebuilt.docker (roles/daemon/files/sysv-host.sh).
# The daemon steps of the shell path (hosts without Python) that no template or dockerd-ctl.sh covers:
#   sysv-host.sh group NAME [USER...]      create the group if missing (groupadd, addgroup, else /etc/group),
#                                           and make each USER a member (usermod, busybox addgroup, else /etc/group)
#   sysv-host.sh enable NAME                start /etc/init.d/NAME at boot: chkconfig, update-rc.d, else rc links
# Prints `changed ...` for each change, `ok ...` otherwise; exit 1 on failure, 2 on bad usage.
set -u
PATH="$PATH:/sbin:/usr/sbin:/bin:/usr/bin"

group() {
	if grep -q "^$1:" /etc/group; then
		echo "ok group $1"
	elif command -v groupadd >/dev/null 2>&1; then
		groupadd -r "$1" && echo "changed group $1 (groupadd)"
	elif command -v addgroup >/dev/null 2>&1; then
		addgroup -S "$1" && echo "changed group $1 (addgroup)"
	else
		# No tool: the first free gid from 999 down, as groupadd -r picks.
		gid=999
		while cut -d: -f3 /etc/group | grep -qx "$gid"; do gid=$((gid - 1)); done
		echo "$1:x:$gid:" >>/etc/group && echo "changed group $1 (gid $gid in /etc/group)"
	fi
}

member() { # group user
	if command -v getent >/dev/null 2>&1; then getent passwd "$2" >/dev/null; else grep -q "^$2:" /etc/passwd; fi || {
		echo "no user $2 on this host (daemon_users)" >&2
		return 1
	}
	case ",$(grep "^$1:" /etc/group | cut -d: -f4)," in
	*",$2,"*)
		echo "ok member $2 of $1"
		return 0
		;;
	esac
	if command -v usermod >/dev/null 2>&1; then
		usermod -a -G "$1" "$2" && echo "changed member $2 of $1 (usermod)"
	elif command -v addgroup >/dev/null 2>&1 && ! command -v groupadd >/dev/null 2>&1; then
		# busybox: addgroup USER GROUP adds a member.
		addgroup "$2" "$1" && echo "changed member $2 of $1 (addgroup)"
	else
		# No tool: the user appended to the group's line (after a comma unless the list is empty).
		sed -e "/^$1:/{s/\$/,$2/;s/^\([^:]*:[^:]*:[^:]*:\),/\1/;}" /etc/group >/etc/group.sourcebuilt-new &&
			mv -f /etc/group.sourcebuilt-new /etc/group && echo "changed member $2 of $1 (/etc/group)"
	fi
}

enable_at_boot() {
	if command -v chkconfig >/dev/null 2>&1; then
		if chkconfig "$1" >/dev/null 2>&1; then echo "ok enabled $1 (chkconfig)"; return 0; fi
		chkconfig --add "$1" && chkconfig "$1" on && echo "changed enabled $1 (chkconfig)"
	elif command -v update-rc.d >/dev/null 2>&1; then
		if ls /etc/rc2.d/S[0-9][0-9]"$1" >/dev/null 2>&1; then echo "ok enabled $1 (update-rc.d)"; return 0; fi
		# defaults makes the links where there are none; enable turns the K links of a script disabled before
		# (update-rc.d disable: daemon_service_enabled false, or a package's script a takeover stopped) into S
		# links again, which defaults leaves as they are.
		update-rc.d "$1" defaults >/dev/null && update-rc.d "$1" enable >/dev/null &&
			echo "changed enabled $1 (update-rc.d)"
	else
		rc=/etc
		[ -d /etc/rc.d/rc3.d ] && rc=/etc/rc.d
		if [ ! -d "$rc/rc3.d" ]; then
			echo "ok not enabled $1: no runlevel directories here; the host rcS or inittab must start /etc/init.d/$1"
			return 0
		fi
		made=
		for n in 2 3 4 5; do
			[ -e "$rc/rc$n.d/S95$1" ] || { mkdir -p "$rc/rc$n.d" && ln -s "../init.d/$1" "$rc/rc$n.d/S95$1" && made=yes; }
		done
		for n in 0 1 6; do
			[ -e "$rc/rc$n.d/K05$1" ] || { mkdir -p "$rc/rc$n.d" && ln -s "../init.d/$1" "$rc/rc$n.d/K05$1" && made=yes; }
		done
		if [ -n "$made" ]; then echo "changed enabled $1 (rc links)"; else echo "ok enabled $1 (rc links)"; fi
	fi
}

case "${1:-}" in
group)
	[ $# -ge 2 ] || exit 2
	name=$2
	shift 2
	group "$name" || exit 1
	for user in "$@"; do member "$name" "$user" || exit 1; done
	;;
enable) [ $# -eq 2 ] && enable_at_boot "$2" ;;
*)
	echo "usage: $0 group NAME [USER...] | enable NAME" >&2
	exit 2
	;;
esac
