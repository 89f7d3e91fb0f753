#!/bin/bash
# Stop the compiles of the named components: compile-stop.sh ROOT COMPONENT...
# A compile is the compile-start.sh process whose pid ROOT/logs/COMPONENT.pid holds and whose command line
# names ROOT and the component (a pid reused by another process is left alone). Its whole process group gets
# TERM, then KILL what still runs after 10 s. Prints one line per compile it stopped; always exits 0.
set -u

root=$1
shift
own_pgid=$(ps -o pgid= -p $$ | tr -d ' ')
for name in "$@"; do
  pid=$(cat "$root/logs/$name.pid" 2>/dev/null || true)
  [ -n "$pid" ] || continue
  args=$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null || true)
  case "$args" in *compile-start.sh*) ;; *) continue ;; esac
  if ! printf '%s\n' "$args" | grep -qxF "$root" || ! printf '%s\n' "$args" | grep -qxF "$name"; then continue; fi
  pgid=$(ps -o pgid= -p "$pid" | tr -d ' ')
  if [ -z "$pgid" ] || [ "$pgid" = "$own_pgid" ]; then continue; fi
  kill -TERM -- "-$pgid" 2>/dev/null || true
  # Until no process of the group runs (zombies not reaped yet do not count), five looks a second.
  for _ in $(seq 50); do
    ps -e -o pgid=,stat= | awk -v g="$pgid" '$1 == g && $2 !~ /^Z/ { n++ } END { exit n == 0 }' || break
    sleep 0.2
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  echo "stopped the compile of $name (process group $pgid)"
done
exit 0
