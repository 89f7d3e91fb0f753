#!/bin/sh
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Read-only preflight of a host before the Docker engine stack is put on it. Needs only a POSIX
# shell and the tools every target of the legacy path has (sed, grep, df; gzip for /proc/config.gz):
# it runs under busybox sh, dash and the bash of old EL userlands, and never starts Python.
#
# Usage: preflight.sh [--kernel-min 3.10] [--go-version 1.26.5] [--storage-driver overlay2]
#                     [--iptables yes|no] [--disk PATH:MIB]... [--kernel-config FILE]
#                     [--root DIR] [--kernel-release R]
#   --root and --kernel-release read /proc, /sys, /boot, /lib/modules and the PATH directories
#   (for iptables) below DIR and take R as `uname -r`: the unit tests use them with fake trees; on a
#   host leave them out.
#
# Output, one check a line, for the sourcebuilt.docker.preflight_report filter:
#   ok KEY VALUE | fail KEY MESSAGE | warn KEY MESSAGE | skip KEY MESSAGE
# and a last line `end FAILS WARNINGS`. Exit status 0 without failures, 1 with, 2 on bad usage.

kernel_min=3.10
go_version=
storage_driver=overlay2
iptables=no
disks=
kernel_config=
root=
release=

usage() {
  echo "usage: $0 [--kernel-min V] [--go-version V] [--storage-driver D] [--iptables yes|no]" \
    "[--disk PATH:MIB]... [--kernel-config FILE] [--root DIR] [--kernel-release R]" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case $1 in
    --kernel-min) kernel_min=$2 ;;
    --go-version) go_version=$2 ;;
    --storage-driver) storage_driver=$2 ;;
    --iptables) iptables=$2 ;;
    --disk) disks="$disks $2" ;;
    --kernel-config) kernel_config=$2 ;;
    --root) root=$2 ;;
    --kernel-release) release=$2 ;;
    *) usage ;;
  esac
  shift 2
done
[ -n "$release" ] || release=$(uname -r)
go_version=${go_version#go} # go1.26.5, as `go version` and go/VERSION spell it, is 1.26.5

fails=0
warns=0
say() {
  case $1 in
    fail) fails=$((fails + 1)) ;;
    warn) warns=$((warns + 1)) ;;
  esac
  echo "$*"
}

# ver_ge A B: true when dotted version A >= B (first three numeric fields; "3.10.0-1160.el7" is 3.10.0).
ver_ge() {
  a=$(echo "$1" | sed 's/[^0-9.].*//')
  b=$(echo "$2" | sed 's/[^0-9.].*//')
  for _ in 1 2 3; do
    ah=${a%%.*}
    bh=${b%%.*}
    [ -n "$ah" ] || ah=0
    [ -n "$bh" ] || bh=0
    [ "$ah" -gt "$bh" ] && return 0
    [ "$ah" -lt "$bh" ] && return 1
    case $a in *.*) a=${a#*.} ;; *) a= ;; esac
    case $b in *.*) b=${b#*.} ;; *) b= ;; esac
  done
  return 0
}

# --- kernel version, and the floor of the Go runtime the release was built with
kernel=$(echo "$release" | sed 's/[^0-9.].*//')
if ver_ge "$kernel" "$kernel_min"; then
  say ok kernel "$release"
else
  say fail kernel "Linux $release is older than $kernel_min, the oldest kernel this collection deploys to"
fi
if [ -n "$go_version" ]; then
  # Go 1.24 raised the Linux floor of its runtime from 2.6.32 to 3.2; Go 1.18 had raised it to 2.6.32.
  if ver_ge "$go_version" 1.24; then
    go_kernel=3.2 go_instead="Go 1.23 or older"
  elif ver_ge "$go_version" 1.18; then
    go_kernel=2.6.32 go_instead="Go 1.17 or older"
  else
    go_kernel=2.6.23 go_instead="an older Go"
  fi
  if ver_ge "$kernel" "$go_kernel"; then
    say ok go-runtime "Go $go_version needs Linux $go_kernel"
  else
    say fail go-runtime "the release is built with Go $go_version, whose binaries need Linux $go_kernel or newer;" \
      "this host runs $release: build a release with $go_instead for it (a classic profile)"
  fi
fi

# --- cgroups: each controller dockerd needs is mounted (v1 or the v2 unified tree) or can be mounted
mounts="$root/proc/self/mounts"
[ -r "$mounts" ] || mounts="$root/proc/mounts"
cgroup2_dir=$(sed -n 's/^[^ ]* \([^ ]*\) cgroup2 .*/\1/p' "$mounts" 2>/dev/null | head -n 1)
cgroup_mounted() { # cgroup_mounted CONTROLLER: print the v1 mount point that has it
  while read -r _ dir type opts _; do
    [ "$type" = cgroup ] || continue
    case ",$opts," in *",$1,"*) echo "$dir"; return 0 ;; esac
  done <"$mounts"
  return 1
}
for c in cpu cpuacct cpuset devices freezer memory blkio pids; do
  if dir=$(cgroup_mounted "$c" 2>/dev/null); then
    say ok "cgroup.$c" "mounted at $dir"
  elif [ -n "$cgroup2_dir" ] && [ -r "$root$cgroup2_dir/cgroup.controllers" ]; then
    case $c in cpuacct | devices | freezer) say ok "cgroup.$c" "cgroup v2 at $cgroup2_dir (built in)"; continue ;; esac
    v2=$c
    [ "$c" = blkio ] && v2=io
    if grep -qw "$v2" "$root$cgroup2_dir/cgroup.controllers"; then
      say ok "cgroup.$c" "cgroup v2 at $cgroup2_dir"
    elif [ "$c" = pids ] || [ "$c" = blkio ]; then
      say warn "cgroup.$c" "controller $v2 is not enabled in the cgroup v2 tree at $cgroup2_dir"
    else
      say fail "cgroup.$c" "controller $v2 is not enabled in the cgroup v2 tree at $cgroup2_dir"
    fi
  elif [ -r "$root/proc/cgroups" ] && awk -v c="$c" '$1 == c && $4 == 1 { f = 1 } END { exit !f }' "$root/proc/cgroups"; then
    say ok "cgroup.$c" "mountable (enabled in /proc/cgroups, not mounted)"
  elif [ "$c" = pids ] || [ "$c" = blkio ]; then
    # pids arrived in Linux 4.3; without it (or blkio) dockerd runs, with --pids-limit refused.
    say warn "cgroup.$c" "controller not in /proc/cgroups: containers run without $c limits"
  else
    say fail "cgroup.$c" "controller not in /proc/cgroups and not mounted: dockerd cannot start containers"
  fi
done

# --- the filesystem of the storage driver: registered in /proc/filesystems, built in, or a loadable module
case $storage_driver in
  overlay2 | overlay) fs=overlay ;;
  btrfs | zfs | aufs) fs=$storage_driver ;;
  fuse-overlayfs) fs=fuse ;;
  *) fs= ;;
esac
if [ -z "$fs" ]; then
  say ok "storage.$storage_driver" "no kernel filesystem to check"
elif grep -q "[[:space:]]$fs\$" "$root/proc/filesystems" 2>/dev/null; then
  say ok "storage.$storage_driver" "$fs in /proc/filesystems"
elif grep -q "/$fs\.ko" "$root/lib/modules/$release/modules.builtin" 2>/dev/null; then
  say ok "storage.$storage_driver" "$fs built into the kernel"
elif grep -q "/$fs\.ko[^:]*:" "$root/lib/modules/$release/modules.dep" 2>/dev/null; then
  say ok "storage.$storage_driver" "$fs is a loadable module (modprobe $fs)"
else
  say fail "storage.$storage_driver" "the kernel has no $fs filesystem: not in /proc/filesystems," \
    "nor a module in /lib/modules/$release; use another storage driver"
fi

# --- iptables, when dockerd is to manage it
case $iptables in
  yes | true | auto)
    found=
    for d in $(echo "$PATH" | tr ':' ' ') /sbin /usr/sbin /usr/local/sbin; do
      if [ -x "$root$d/iptables" ]; then found=$d/iptables; break; fi
    done
    # dockerd needs iptables >= 1.4 (as in the daemon role preflight); under auto an ok line
    # means "run with iptables", a warn line "run with --iptables=false".
    version=
    [ -z "$found" ] || version=$("$root$found" --version 2>/dev/null | sed -n 's/^iptables v\([0-9][0-9.]*\).*/\1/p' | head -n 1)
    if [ -n "$found" ] && [ -n "$version" ] && ver_ge "$version" 1.4; then
      say ok iptables "$found $version"
    elif [ "$iptables" = auto ]; then
      if [ -n "$found" ]; then
        say warn iptables "$found is ${version:-of unknown version}, dockerd needs >= 1.4: dockerd will run with --iptables=false"
      else
        say warn iptables "no iptables command: dockerd will run with --iptables=false"
      fi
    elif [ -n "$found" ]; then
      say fail iptables "$found is ${version:-of unknown version}, dockerd needs >= 1.4: upgrade it or set daemon_iptables: false"
    else
      say fail iptables "no iptables command, and the daemon is to run with iptables: install it or set daemon_iptables: false"
    fi
    ;;
esac

# --- free disk under each PATH (the nearest existing directory is measured)
for spec in $disks; do
  path=${spec%:*}
  need=${spec##*:}
  dir=$path
  while [ ! -d "$dir" ] && [ "$dir" != / ]; do dir=$(dirname "$dir"); done
  free=$(df -Pk "$dir" 2>/dev/null | awk 'NR == 2 { print int($4 / 1024) }')
  if [ -z "$free" ]; then
    say fail "disk:$path" "df cannot measure $dir"
  elif [ "$free" -ge "$need" ]; then
    say ok "disk:$path" "$free MiB free on $dir, $need MiB needed"
  else
    say fail "disk:$path" "$free MiB free on $dir, $need MiB needed"
  fi
done

# --- kernel config: the options that contrib/check-config.sh of moby lists as "Generally Necessary"
# (moby master b985e23, 2026-11). The netfilter ones only fail when dockerd is to manage iptables.
if [ -z "$kernel_config" ]; then
  for f in "$root/proc/config.gz" "$root/boot/config-$release" "$root/usr/src/linux-$release/.config" "$root/usr/src/linux/.config"; do
    if [ -r "$f" ]; then kernel_config=$f; break; fi
  done
fi
if [ -z "$kernel_config" ] || [ ! -r "$kernel_config" ]; then
  say skip kernel-config "no readable /proc/config.gz or /boot/config-$release"
else
  case $kernel_config in
    *.gz) enabled=$(gzip -dc "$kernel_config" 2>/dev/null) ;;
    *) enabled=$(cat "$kernel_config") ;;
  esac
  enabled=" $(echo "$enabled" | sed -n 's/^CONFIG_\([A-Za-z0-9_]*\)=[ym]$/\1/p' | tr '\n' ' ')"
  if [ "$enabled" = " " ]; then
    say fail kernel-config "$kernel_config has no CONFIG_ lines"
  else
    say ok kernel-config "$kernel_config"
    needed="NAMESPACES NET_NS PID_NS IPC_NS UTS_NS CGROUPS CGROUP_CPUACCT CGROUP_DEVICE CGROUP_FREEZER
      CGROUP_SCHED CPUSETS MEMCG KEYS VETH BRIDGE POSIX_MQUEUE"
    netfilter="BRIDGE_NETFILTER IP_NF_FILTER IP_NF_MANGLE IP_NF_TARGET_MASQUERADE IP6_NF_FILTER
      IP6_NF_MANGLE IP6_NF_TARGET_MASQUERADE NETFILTER_XT_MATCH_ADDRTYPE NETFILTER_XT_MATCH_CONNTRACK
      NETFILTER_XT_MATCH_IPVS NETFILTER_XT_MARK IP_NF_RAW IP_NF_NAT NF_NAT IP6_NF_RAW IP6_NF_NAT"
    ver_ge "$kernel" 4.8 || needed="$needed DEVPTS_MULTIPLE_INSTANCES"
    ver_ge "$kernel" 4.15 && needed="$needed CGROUP_BPF"
    ver_ge "$kernel" 5.2 || netfilter="$netfilter NF_NAT_IPV4"
    ver_ge "$kernel" 5.3 || netfilter="$netfilter NF_NAT_NEEDED"
    missing=fail
    case $iptables in yes | true) ;; *) missing=warn ;; esac
    for opt in $needed $netfilter; do
      case " $netfilter " in *" $opt "*) level=$missing ;; *) level=fail ;; esac
      case $enabled in
        *" $opt "*) say ok "config.$opt" enabled ;;
        *) say "$level" "config.$opt" "CONFIG_$opt is not set in $kernel_config" ;;
      esac
    done
  fi
fi

echo "end $fails $warns"
[ "$fails" -eq 0 ]
