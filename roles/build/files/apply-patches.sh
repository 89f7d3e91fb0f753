#!/bin/bash
# Apply in order the patches staged for one component: apply-patches.sh TREE COMPONENT [PATCH_DIR]
#   TREE       the component's build tree: TREE/patches/*.patch are applied in name order to TREE/src/PATCH_DIR
#   COMPONENT  its name, for the messages
#   PATCH_DIR  the directory of the source tree the patches are relative to (default: the tree's root)
# A patch the tree already carries (it does not apply forward, but does in reverse) is reported as already
# applied and skipped; one that does neither fails (exit 1) with its output and rejected hunks. Each result
# line also goes to TREE/patches.log. Part of every fingerprint (plugins/plugin_utils/build_plan.py).
set -u

tree=$1 component=$2 patch_dir=${3:-.}
log="$tree/patches.log"
: > "$log"
say() { echo "$*"; echo "$*" >> "$log"; }
cd "$tree/src/$patch_dir" || { say "patch_dir $patch_dir is not a directory of the source tree of $component"; exit 1; }
for p in "$tree"/patches/*.patch; do
  [ -f "$p" ] || continue
  name=$(basename "$p")
  if patch -p1 --forward --batch --dry-run -i "$p" >/dev/null 2>&1; then
    if ! out=$(patch -p1 --forward --batch --no-backup-if-mismatch -i "$p" 2>&1); then
      say "patch $name does not apply to $component:"; echo "$out"; exit 1
    fi
    say "applied $name"
  elif patch -p1 --reverse --batch --dry-run -i "$p" >/dev/null 2>&1; then
    say "already applied $name (skipped: the tree carries it)"
  else
    say "patch $name does not apply to $component (nor is it already applied):"
    patch -p1 --forward --batch --no-backup-if-mismatch -i "$p" 2>&1
    find . -name '*.rej' -exec sh -c 'echo "--- rejected hunk(s) in $1:"; cat "$1"' _ {} \;
    exit 1
  fi
done
