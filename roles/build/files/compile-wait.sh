#!/bin/bash
# Wait for one compile started by compile-start.sh: compile-wait.sh ROOT COMPONENT TIMEOUT [NOPID_GRACE] [INTERVAL]
# Returns 0 once ROOT/logs/COMPONENT.status holds an exit status; when the compile's process is gone without
# one (killed), or it has no pid file NOPID_GRACE s (default 120) after the first wait began, writes "killed" there.
# Returns 0 without a status TIMEOUT s after the compile began (ROOT/logs/COMPONENT.began, written when it leaves
# the queue): the caller reads the status file and reports the timeout.
# With INTERVAL (seconds, > 0) it also returns after INTERVAL s while the compile still runs, printing one line:
# how long it has compiled (or waited in the queue) and the last line of its log; the caller calls it again.
# When it returns for any other reason it prints one line, "status: " and the exit status (or "killed"; nothing
# after the timeout).
set -u

root=$1 name=$2 timeout=$3 grace=${4:-120} interval=${5:-0}
logs="$root/logs/$name"
called=$(date +%s)
# The first wait of this compile, kept across the calls of an interval wait.
[ -s "$logs.waited" ] || echo "$called" > "$logs.waited"
waited=$(cat "$logs.waited")

ended() {
  echo "status: $(head -n 1 "$logs.status" 2>/dev/null)"
  exit 0
}

duration() {
  printf '%dm%02ds' $(( $1 / 60 )) $(( $1 % 60 ))
}

progress() {
  local now=$1 began=$2 line
  if [ -z "$began" ]; then
    echo "$name: queued behind the compile ahead of it for $(duration $(( now - $(stat -c %Y "$logs.pid" 2>/dev/null || echo "$waited") )))"
    return
  fi
  # The last non-empty line, as a terminal would show it (after its last carriage return), at most 200 characters.
  line=$(tail -c 4096 "$logs.log" 2>/dev/null | tr -d '\000' | awk 'NF { l = $0 } END { print l }' | sed 's/.*\r//' | cut -c1-200)
  echo "$name: compiling for $(duration $(( now - began ))), log $logs.log; last line: ${line:-(no output yet)}"
}

while :; do
  grep -qE '^[0-9]+' "$logs.status" 2>/dev/null && ended
  pid=$(cat "$logs.pid" 2>/dev/null || true)
  now=$(date +%s)
  if { [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; } || { [ -z "$pid" ] && [ $(( now - waited )) -gt "$grace" ]; }; then
    sleep 1
    grep -qE '^[0-9]+' "$logs.status" 2>/dev/null || echo killed > "$logs.status"
    ended
  fi
  began=$(grep -E '^[0-9]+$' "$logs.began" 2>/dev/null || true)
  [ $(( now - ${began:-$waited} )) -lt "$timeout" ] || ended
  if [ "$interval" -gt 0 ] && [ $(( now - called )) -ge "$interval" ]; then
    progress "$now" "$began"
    exit 0
  fi
  sleep 0.2
done
