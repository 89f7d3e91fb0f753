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
# It reads its files with shell builtins and sleeps in `tail --pid` on the compile's process: two processes a
# second, not the thirty of a poll with grep and cat, so a wait takes next to no CPU from the compile.
set -u

root=$1 name=$2 timeout=$3 grace=${4:-120} interval=${5:-0}
logs="$root/logs/$name"

# The first line of file $1 in REPLY (empty when the file is missing or empty).
first_line() {
  REPLY=
  [ -r "$1" ] || return 0
  read -r REPLY < "$1" || true
}

has_status() {
  first_line "$logs.status"
  [[ $REPLY =~ ^[0-9]+ ]]
}

ended() {
  first_line "$logs.status"
  echo "status: $REPLY"
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

printf -v called '%(%s)T' -1
# The first wait of this compile, kept across the calls of an interval wait.
[ -s "$logs.waited" ] || echo "$called" > "$logs.waited"
first_line "$logs.waited"
waited=$REPLY

while :; do
  has_status && ended
  first_line "$logs.pid"
  pid=$REPLY
  printf -v now '%(%s)T' -1
  if { [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; } || { [ -z "$pid" ] && [ $(( now - waited )) -gt "$grace" ]; }; then
    sleep 1
    has_status || echo killed > "$logs.status"
    ended
  fi
  first_line "$logs.began"
  [[ $REPLY =~ ^[0-9]+$ ]] && began=$REPLY || began=
  [ $(( now - ${began:-$waited} )) -lt "$timeout" ] || ended
  if [ "$interval" -gt 0 ]; then
    [ $(( now - called )) -lt "$interval" ] || { progress "$now" "$began"; exit 0; }
  fi
  if [ -n "$pid" ]; then
    # Up to a second, less once the compile's process ends (its status is written just before): tail looks at
    # the process five times a second without starting anything.
    timeout 1 tail --pid="$pid" -s 0.2 -f /dev/null 2>/dev/null
  else
    sleep 0.2  # its compile-start.sh has not written its pid yet
  fi
done
