#!/bin/bash
# Stop the compiles of the named components: compile-stop.sh ROOT COMPONENT...
# A compile is the compile-start.sh process whose pid ROOT/logs/COMPONENT.pid holds and whose command line
# names ROOT and the component (a pid reused by another process is left alone). Its whole process group gets
# TERM, then KILL after 10 s. Prints one line per compile it stopped; always exits 0.
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
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  echo "stopped the compile of $name (process group $pgid)"
done
exit 0
