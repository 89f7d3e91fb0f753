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
  while ! grep -qE '^[0-9]+' "$logs/$ahead.status" 2>/dev/null && kill -0 "$(cat "$logs/$ahead.pid" 2>/dev/null)" 2>/dev/null; do
    sleep 1
  done
fi
date +%s > "$logs/$name.began"
bash "$root/trees/$name/build.sh" > "$logs/$name.log" 2>&1
echo $? > "$logs/$name.status"
