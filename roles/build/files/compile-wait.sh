#!/bin/bash
# Wait for one compile started by compile-start.sh: compile-wait.sh ROOT COMPONENT TIMEOUT [NOPID_GRACE]
# Returns 0 once ROOT/logs/COMPONENT.status holds an exit status; when the compile's process is gone without
# one (killed), or it has no pid file NOPID_GRACE s (default 120) after the wait began, writes "killed" there.
# Returns 0 without a status TIMEOUT s after the compile began (its log appears when it leaves the queue):
# the caller reads the status file and reports the timeout.
set -u

root=$1 name=$2 timeout=$3 grace=${4:-120}
logs="$root/logs/$name"
waited=$(date +%s) began=
while :; do
  grep -qE '^[0-9]+' "$logs.status" 2>/dev/null && exit 0
  pid=$(cat "$logs.pid" 2>/dev/null || true)
  now=$(date +%s)
  if { [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; } || { [ -z "$pid" ] && [ $(( now - waited )) -gt "$grace" ]; }; then
    sleep 1
    grep -qE '^[0-9]+' "$logs.status" 2>/dev/null || echo killed > "$logs.status"
    exit 0
  fi
  if [ -z "$began" ] && [ -e "$logs.log" ]; then began=$now; fi
  [ $(( now - ${began:-$waited} )) -lt "$timeout" ] || exit 0
  sleep 2
done
