#!/bin/sh
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
#
# Managed by sourcebuilt.docker (roles/daemon/files/host-probe.sh).
# The read-only look of the daemon preflight at a host, with or without Python: it goes to the host as the
# text of a raw command (set -- ARGS first), so keep every quote in this file balanced, comments included.
#
#   host-probe.sh GROUP probe|skip [USER]...
#
# GROUP is the docker group, USERs the accounts that join it; probe (daemon_iptables is auto) also looks at
# iptables. Output, one finding a line:
#   cgroup PATH       each of /sys/fs/cgroup (a directory), /proc/cgroups, /sys/fs/cgroup/cgroup.controllers,
#                     /sys/fs/cgroup/memory/tasks and /sys/fs/cgroup/devices/tasks that exists
#   missing USER      an account of USERs that does not exist (getent, else /etc/passwd)
#   group LINE        the /etc/group line of GROUP (getent, else /etc/group), or - when there is none
#   iptables VERSION  the first line iptables --version prints, or missing when it is not there or fails
# Exit 2 on bad usage.
PATH="$PATH:/sbin:/usr/sbin"
[ $# -ge 2 ] || {
	echo 'usage: host-probe.sh GROUP probe|skip [USER]...' >&2
	exit 2
}
group=$1 iptables=$2
shift 2
[ -d /sys/fs/cgroup ] && echo "cgroup /sys/fs/cgroup"
for p in /proc/cgroups /sys/fs/cgroup/cgroup.controllers /sys/fs/cgroup/memory/tasks /sys/fs/cgroup/devices/tasks; do
	[ -e "$p" ] && echo "cgroup $p"
done
if command -v getent >/dev/null 2>&1; then e=yes; else e=; fi
for u in "$@"; do
	if [ -n "$e" ]; then getent passwd "$u" >/dev/null; else grep -q "^$u:" /etc/passwd; fi || echo "missing $u"
done
if [ -n "$e" ]; then l=$(getent group "$group"); else l=$(grep "^$group:" /etc/group); fi
echo "group ${l:--}"
if [ "$iptables" = probe ]; then
	if command -v iptables >/dev/null 2>&1 && v=$(iptables --version 2>/dev/null); then
		echo "iptables $(printf '%s\n' "$v" | head -n 1)"
	else
		echo "iptables missing"
	fi
fi
exit 0
