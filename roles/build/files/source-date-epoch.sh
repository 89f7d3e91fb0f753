#!/bin/bash
# Written by sourcebuilt.docker (roles/build): do not edit.
# source-date-epoch.sh TREE STAMP: the date of the source in TREE, in seconds since the epoch, for
# SOURCE_DATE_EPOCH: the newest entry of TREE/debian/changelog, else the commit of a git checkout,
# else the newest file that is not newer than STAMP (a file made before the tree was copied with its
# dates and patched, so the files a patch changed do not count).
set -euo pipefail
tree=$1 stamp=$2

if [ -f "$tree/debian/changelog" ]; then
  # The trailer of the first entry: " -- Name <address>  Tue, 14 Mar 2023 10:00:00 +0100".
  when=$(sed -n '/^ -- /{s/^ -- .*>  //p;q}' "$tree/debian/changelog")
  [ -n "$when" ] || { echo "source-date-epoch.sh: no dated entry in $tree/debian/changelog" >&2; exit 1; }
  date -u -d "$when" +%s
elif [ -e "$tree/.git" ]; then
  git -C "$tree" log -1 --format=%ct
else
  newest=$(find "$tree" -type f ! -newer "$stamp" -printf '%T@\n' | sort -n | tail -n 1)
  [ -n "$newest" ] || { echo "source-date-epoch.sh: no file in $tree older than $stamp" >&2; exit 1; }
  echo "${newest%.*}"
fi
