#!/bin/bash
# Make a fresh build tree of one component and start its compile in the background:
#   compile-prepare.sh ROOT COMPONENT PRISTINE PATCH_DIR LIMIT [AHEAD] < INPUTS
#   INPUTS     on standard input, base64 of a gzip tar of build.sh and patches/ (sent by the build role)
#   ROOT       the build root: ROOT/trees/COMPONENT is the tree, ROOT/logs its log, ROOT/libexec these scripts
#   PRISTINE   the fetched source: PRISTINE/tree is copied to ROOT/trees/COMPONENT/src
#   PATCH_DIR  the directory of the source tree the patches are relative to (apply-patches.sh)
#   LIMIT      seconds after which the compile, with its wait in the queue, is killed (a run that ended without
#              waiting for it leaves nothing running past that)
#   AHEAD      the compile this one waits for first (compile-start.sh)
# In order: stops a compile of COMPONENT an earlier run left running (compile-stop.sh), copies a fresh tree,
# unpacks INPUTS into it, applies the patches (apply-patches.sh: when one does not apply, exits 1 with its output
# and starts nothing), forgets the last compile's exit status, pid, times and log, and starts compile-start.sh in
# a session of its own.
# Prints what compile-stop.sh and apply-patches.sh report. Part of every fingerprint (build_plan.py).
set -euo pipefail

root=$1 name=$2 pristine=$3 patch_dir=$4 limit=$5 ahead=${6:-}
tree="$root/trees/$name" logs="$root/logs/$name" libexec="$root/libexec"

bash "$libexec/compile-stop.sh" "$root" "$name"
rm -rf "$tree"
mkdir -p "$tree/patches"
cp -a "$pristine/tree" "$tree/src"
base64 -d | tar -xzf - -C "$tree"
bash "$libexec/apply-patches.sh" "$tree" "$name" "$patch_dir"
rm -f "$logs.status" "$logs.pid" "$logs.log" "$logs.began" "$logs.waited"
# timeout signals its whole process group (the compile's), as compile-stop.sh does.
setsid timeout "$limit" bash "$libexec/compile-start.sh" "$root" "$name" "$ahead" </dev/null >/dev/null 2>&1 &
