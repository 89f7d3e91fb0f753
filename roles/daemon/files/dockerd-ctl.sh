#!/bin/sh
# Managed by sourcebuilt.docker (roles/daemon/files/dockerd-ctl.sh).
# The daemon's runtime steps, the same on both deploy paths (modules and plain shell) and for systemd and SysV.
#
#   dockerd-ctl.sh state INIT BIN_DIR SOCKET CONTAINERD_MODE WAIT PIDFILE [FILE...]
#     Reads only. One line per finding: `running <pid>` or `stopped`; `drift <what differs>` when dockerd
#     or the containerd it uses is not the installed binary, or a FILE of its configuration changed
#     after it started; `unhealthy <why>` when its API does not answer.
#   dockerd-ctl.sh restart INIT BIN_DIR SOCKET CONTAINERD_MODE WAIT [containerd] [socket]
#     Reload systemd's units; start the containerd service (restart it with `containerd`); stop dockerd
#     through its init system, stop whatever dockerd still runs (a lost pidfile), stop a containerd that
#     dockerd started from a binary no longer installed, start docker.socket (with `socket`) and dockerd,
#     and wait for its API. Each step waits at most WAIT seconds; there are never two dockerds.
#   dockerd-ctl.sh health INIT BIN_DIR SOCKET CONTAINERD_MODE WAIT
#     Reads only: `docker version` answers within WAIT seconds, then `docker info`; prints both.
#   dockerd-ctl.sh restore INIT BIN_DIR SOCKET CONTAINERD_MODE WAIT [keep] FILE BACKUP|- [FILE BACKUP|-]...
#     Put each BACKUP back as FILE (`restored FILE BACKUP`), or remove FILE where BACKUP is `-` (it did not
#     exist before: `removed FILE`). With `keep`, FILE is first copied to a backup of its own (` kept COPY`).
#   dockerd-ctl.sh backups INIT BIN_DIR SOCKET CONTAINERD_MODE WAIT LINK FILE...
#     Reads only. For each FILE, the oldest of its backups (FILE.<pid>.<YYYY-mm-dd@HH:MM:SS>~, local time, as
#     put_file and Ansible's backup name them) made since LINK was last switched: `FILE BACKUP`.
#
# INIT is systemd or sysv; CONTAINERD_MODE dockerd (dockerd starts its own) or service.
set -u
action=$1 init=$2 bin_dir=$3 socket=$4 containerd_mode=$5 wait=$6
shift 6

own_ns=$(readlink /proc/self/ns/pid 2>/dev/null)

# pids of processes named $1 in this host's pid namespace (not those of its containers).
pids_named() {
	for d in /proc/[0-9]*; do
		[ "$(cat "$d/comm" 2>/dev/null)" = "$1" ] || continue
		[ "$(readlink "$d/ns/pid" 2>/dev/null)" = "$own_ns" ] || continue
		echo "${d#/proc/}"
	done
}

# By content: a new release that carries the same binary needs no restart.
same_binary() { # pid installed-path
	installed=$(readlink -f "$2" 2>/dev/null) || return 0
	[ -e "$installed" ] || return 0
	cmp -s "/proc/$1/exe" "$installed"
}

# dockerd's own containerd: started with its config under /var/run/docker/containerd.
dockerds_containerd() {
	grep -q /var/run/docker/containerd "/proc/$1/cmdline" 2>/dev/null
}

api_answers() {
	[ -S "$socket" ] && timeout 10 "$bin_dir/docker" -H "unix://$socket" version >/dev/null 2>&1
}

state() {
	pidfile=$1
	shift
	if [ "$init" = systemd ]; then
		# Whether each unit starts at boot: the role enables only those that differ.
		for u in containerd.service docker.socket docker.service; do
			echo "boot $u $(systemctl is-enabled "$u" 2>/dev/null || true)"
		done
		pid=$(systemctl show -p MainPID --value docker.service 2>/dev/null)
		systemctl is-active --quiet docker.service || pid=
	else
		pid=$(cat "$pidfile" 2>/dev/null)
	fi
	if [ -z "$pid" ] || [ "$pid" = 0 ] || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
		# A lost or stale pidfile: a dockerd that still runs is found by name.
		pid=$(pids_named dockerd | head -n 1)
	fi
	if [ -z "$pid" ]; then
		echo stopped
		return 0
	fi
	echo "running $pid"

	same_binary "$pid" "$bin_dir/dockerd" ||
		echo "drift dockerd runs $(readlink "/proc/$pid/exe"), not the installed $(readlink -f "$bin_dir/dockerd")"

	for cpid in $(pids_named containerd); do
		if [ "$containerd_mode" = dockerd ]; then
			# dockerd's own containerd: a child of dockerd, or left running by an earlier one.
			dockerds_containerd "$cpid" || continue
		fi
		same_binary "$cpid" "$bin_dir/containerd" ||
			echo "drift containerd (pid $cpid) runs $(readlink "/proc/$cpid/exe"), not the installed $(readlink -f "$bin_dir/containerd")"
	done

	# Configuration written after dockerd started (an interrupted run).
	elapsed=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ')
	if [ -z "$elapsed" ]; then
		# busybox ps has no -p: the start time from /proc (field 22, in ticks of 1/100 s on Linux).
		ticks=$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f20)
		elapsed=$(($(cut -d. -f1 /proc/uptime) - ticks / 100))
	fi
	started=$(($(date +%s) - elapsed))
	for f in "$@"; do
		[ -e "$f" ] && [ "$(stat -c %Y "$f")" -gt $((started + 1)) ] && echo "drift $f changed after dockerd started"
	done

	if [ ! -S "$socket" ]; then
		echo "unhealthy dockerd (pid $pid) runs but $socket is missing"
	elif ! api_answers; then
		echo "unhealthy dockerd (pid $pid) runs but does not answer on $socket"
	fi
	return 0
}

say() { echo "dockerd-ctl: $*"; }

# TERM the pids, wait up to $wait seconds, then KILL what is left.
stop_pids() {
	for p in "$@"; do kill -TERM "$p" 2>/dev/null; done
	n=0
	while [ "$n" -lt "$wait" ]; do
		alive=
		for p in "$@"; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
		[ -n "$alive" ] || return 0
		sleep 1
		n=$((n + 1))
	done
	say "killing$alive after $wait s"
	for p in $alive; do kill -KILL "$p" 2>/dev/null; done
	sleep 1
}

# The containerd service before dockerd: restarted when asked, else started (a no-op when it runs).
containerd_service() {
	[ "$containerd_mode" = service ] || return 0
	verb=start
	[ -n "$restart_containerd" ] && verb=restart
	if [ "$init" = systemd ]; then
		timeout "$wait" systemctl "$verb" containerd.service
	else
		timeout "$wait" /etc/init.d/containerd "$verb"
	fi || {
		say "$verb of the containerd service failed or took over $wait s"
		return 1
	}
}

restart() {
	restart_containerd='' start_socket=''
	for word in "$@"; do
		case "$word" in
		containerd) restart_containerd=yes ;;
		socket) start_socket=yes ;;
		*)
			echo "restart: unknown word $word (containerd, socket)" >&2
			return 2
			;;
		esac
	done
	if [ "$init" = systemd ]; then
		# An interrupted run may have left changed units unread.
		systemctl daemon-reload || say "systemctl daemon-reload failed"
	fi
	containerd_service || return 1

	if [ "$init" = systemd ]; then
		systemctl reset-failed docker.service >/dev/null 2>&1
		timeout "$wait" systemctl stop docker.service || say "systemctl stop docker.service failed or took over $wait s"
	else
		timeout "$wait" /etc/init.d/docker stop || say "/etc/init.d/docker stop failed or took over $wait s"
	fi

	set --
	for p in $(pids_named dockerd); do set -- "$@" "$p"; done
	if [ $# -gt 0 ]; then
		say "stopping dockerd left running outside its init system: $*"
		stop_pids "$@"
	fi

	if [ "$containerd_mode" = dockerd ]; then
		set --
		for p in $(pids_named containerd); do
			dockerds_containerd "$p" || continue
			same_binary "$p" "$bin_dir/containerd" || set -- "$@" "$p"
		done
		if [ $# -gt 0 ]; then
			say "stopping the containerd that dockerd started from an older binary: $* (containers keep running in their shims)"
			stop_pids "$@"
		fi
	fi

	if [ "$init" = systemd ]; then
		systemctl reset-failed docker.service >/dev/null 2>&1
		if [ -n "$start_socket" ]; then
			timeout "$wait" systemctl start docker.socket || say "systemctl start docker.socket failed or took over $wait s"
		fi
		timeout "$wait" systemctl start docker.service || {
			say "systemctl start docker.service failed or took over $wait s"
			return 1
		}
	else
		timeout "$wait" /etc/init.d/docker start || {
			say "/etc/init.d/docker start failed or took over $wait s"
			return 1
		}
	fi

	n=0
	while [ "$n" -lt "$wait" ]; do
		if api_answers; then
			say "dockerd answers on $socket"
			return 0
		fi
		sleep 1
		n=$((n + 1))
	done
	say "dockerd did not answer on $socket within $wait s"
	return 1
}

health() {
	n=0
	while ! out=$(timeout 10 "$bin_dir/docker" -H "unix://$socket" version --format '{{.Client.Version}} {{.Server.Version}}' 2>&1); do
		n=$((n + 2))
		if [ "$n" -ge "$wait" ]; then
			echo "dockerd does not answer on $socket after $wait s: $out" >&2
			return 1
		fi
		sleep 2
	done
	echo "docker client/server $out"
	info=$(timeout "$wait" "$bin_dir/docker" -H "unix://$socket" info --format '{{.ServerVersion}} {{.Driver}} containers={{.Containers}}' 2>&1) || {
		echo "docker info failed: $info" >&2
		return 1
	}
	echo "info: $info"
}

# The stamp of a backup name or of `stat -c %y` as a number: 2026-12-01@16:10:00 -> 20261201161000.
stamp_number() {
	printf '%s\n' "$1" | cut -c1-19 | tr -cd '0-9'
}

restore() {
	keep=''
	if [ "${1:-}" = keep ]; then
		keep=yes
		shift
	fi
	if [ $# -eq 0 ] || [ $(($# % 2)) -ne 0 ]; then
		echo "restore: give FILE BACKUP|- pairs" >&2
		return 2
	fi
	while [ $# -gt 0 ]; do
		kept=''
		if [ -n "$keep" ] && [ -f "$1" ]; then
			kept="$1.$$.$(date +%Y-%m-%d@%H:%M:%S)~"
			cp -p "$1" "$kept" || return 1
			kept=" kept $kept"
		fi
		if [ "$2" = - ]; then
			rm -f "$1" || return 1
			echo "removed $1$kept"
		else
			{ cp -p "$2" "$1.sourcebuilt-new" && mv -f "$1.sourcebuilt-new" "$1"; } || return 1
			echo "restored $1 $2$kept"
		fi
		shift 2
	done
}

backups() {
	link=$1
	shift
	[ -L "$link" ] || return 0
	since=$(stamp_number "$(stat -c %y "$link")")
	for f in "$@"; do
		best='' best_n=''
		for b in "$f".*~; do
			[ -f "$b" ] || continue
			stamp=${b##*.}
			stamp=${stamp%"~"}
			case "$stamp" in
			[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]@[0-9][0-9]:[0-9][0-9]:[0-9][0-9]) ;;
			*) continue ;;
			esac
			n=$(stamp_number "$stamp")
			[ "$n" -lt "$since" ] && continue
			if [ -z "$best" ] || [ "$n" -lt "$best_n" ]; then
				best=$b best_n=$n
			fi
		done
		if [ -n "$best" ]; then echo "$f $best"; fi
	done
}

case "$action" in
state) state "$@" ;;
restart) restart "$@" ;;
health) health ;;
restore) restore "$@" ;;
backups) backups "$@" ;;
*)
	echo "usage: $0 state|restart|health|restore|backups INIT BIN_DIR SOCKET CONTAINERD_MODE WAIT [ARGS...]" >&2
	exit 2
	;;
esac
