#!/bin/bash
# Run one compile: compile-start.sh ROOT COMPONENT [AHEAD]
# Writes its pid to ROOT/logs/COMPONENT.pid, waits first (when AHEAD is given) until the compile of AHEAD has
# an exit status or is gone, then writes the time it begins to ROOT/logs/COMPONENT.began and runs
# ROOT/trees/COMPONENT/build.sh with its output in ROOT/logs/COMPONENT.log, and writes the exit status to
# ROOT/logs/COMPONENT.status. Started in the background by the build role; compile-wait.sh waits for it (and
# reports its progress), compile-stop.sh stops it.
set -u

root=$1 name=$2 ahead=${3:-}
logs="$root/logs"
echo $$ > "$logs/$name.pid"
if [ -n "$ahead" ]; then
  # Until the compile ahead has an exit status or its process is gone, a second at a time: tail looks at that
  # process five times a second without starting anything, and returns as soon as it ends.
  queued=$SECONDS
  while :; do
    status='' ahead_pid=''
    [ -r "$logs/$ahead.status" ] && { read -r status < "$logs/$ahead.status" || true; }
    [[ ! $status =~ ^[0-9]+ ]] || break
    [ -r "$logs/$ahead.pid" ] && { read -r ahead_pid < "$logs/$ahead.pid" || true; }
    if [ -z "$ahead_pid" ] && [ $(( SECONDS - queued )) -lt 10 ]; then
      sleep 0.2  # started just before this one, its compile-start.sh has not written its pid yet
      continue
    fi
    if [ -z "$ahead_pid" ] || ! kill -0 "$ahead_pid" 2>/dev/null; then break; fi
    timeout 1 tail --pid="$ahead_pid" -s 0.2 -f /dev/null 2>/dev/null
  done
fi
printf '%(%s)T\n' -1 > "$logs/$name.began"
bash "$root/trees/$name/build.sh" > "$logs/$name.log" 2>&1
echo $? > "$logs/$name.status"
