#!/usr/bin/env python3
# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark harness of sourcebuilt.docker (`make bench`, not part of `make test`).

Measures, in one run on the same machine, Debian sources and Go, the two sides of each case in
alternation (A B A B ...), on local instances `sb-bench-*` started by tests/harness/harness.py:

  cold     build.yml (debian-bookworm, build_cache_pull=false, empty Go cache) on a fresh instance
           vs bench/plain-build.sh, the plain serial script, on another fresh instance. Both sides
           install the packages (C tools, Go, `apt-get build-dep`) before the timer, the collection
           with `build.yml -t toolchain`, the script with `plain-build.sh setup`; both fetch the
           sources (`apt-get source`) inside the timer. Target A/B <= 1.10 (issue #16).
  noop     site.yml again on an up-to-date host: wall time, changed count, and no compile (the
           build logs and trees are untouched). Target changed=0, <= 8 s (issue #16).
  runc     `site.yml -t runc` after a one-line runc patch vs `plain-build.sh build runc` (go build
           with the same flags, same patch) on the same host, both with a warm Go cache; nothing but
           runc may change under the build root and dockerd keeps running. Target A <= 15 s (issue #16).
  fleet    site.yml with one builder and 3 targets vs 1 target, fresh instances each run, the
           artifacts from the controller cache (bench-private). Target A/B <= 1.3.
  dockerd  `build.yml -t dockerd` after a one-line dockerd patch, warm Go cache vs cache cleared.
           Target A/B <= 0.4.

Every ansible run gets ansible.posix.profile_tasks; its slowest tasks are kept. Results:
.cache/bench/<date>.json and .cache/bench/latest.md (the table for the README's Performance
section); full logs of every run under .cache/bench/runs/<date>/. The controller cache of the bench
is .cache/bench/artifacts (SOURCEBUILT_DOCKER_CACHE), never the test cache.

  bench/run.py [--repeat N] [--only cold,noop,...] [--keep] [--dry-run] [--vars JSON]
               [--seed-cache DIR] [--cached-only] [--low-priority]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import sysconfig
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from benchlib import (
    CaseResult,
    Side,
    Target,
    parse_recap,
    parse_snapshot,
    parse_task_times,
    plain_script_mismatches,
    recap_total,
    render_markdown,
    snapshot_diff,
    touched_components,
)

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".cache" / "bench"
HARNESS = ROOT / "tests" / "harness" / "harness.py"
PLAIN_SCRIPT = ROOT / "bench" / "plain-build.sh"
PROFILE = ROOT / "roles" / "build" / "profiles" / "debian-bookworm.yml"
SYSTEMD_IMAGE = "localhost/sourcebuilt-debian12-systemd"
PREFIX = "sb-bench-"
BUILD_ROOT = "/var/lib/sourcebuilt-docker"
PLAIN_ROOT = "/var/tmp/plain-build"
PLAIN_ON_INSTANCE = "/usr/local/sbin/plain-build.sh"
GO_CACHE = f"{BUILD_ROOT}/cache/go-build-*"
COMPONENTS = ["libseccomp", "runc", "containerd", "tini", "proxy", "dockerd", "cli"]
CASES = ["cold", "noop", "runc", "fleet", "dockerd"]
GROUP_VARS = {"build_profile": "debian-bookworm", "daemon_iptables": False, "daemon_bridge": "none"}
TOP_TASKS = 10
TITLES = {
    "cold": "cold build, whole debian-bookworm stack",
    "noop": "no-op `site.yml`, one up-to-date host",
    "runc": "`-t runc` after a one-line runc patch",
    "fleet": "fleet `site.yml` from one builder, 3 vs 1 targets",
    "dockerd": "dockerd rebuild after a one-line patch",
}


class BenchError(RuntimeError):
    """A step of a case failed; the message names its log."""


class Bench:
    """Runs commands, instances and playbooks for the cases, and keeps what they measured."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.dry_run: bool = args.dry_run
        self.stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%SZ")
        self.logs = BENCH / "runs" / self.stamp
        self.cache = BENCH / "artifacts"
        self.instances: set[str] = set()
        self.step = 0
        self.deployed: str | None = None  # an instance converged with site.yml (noop, runc)
        self.warm_builder: str | None = None  # an instance that built the whole stack (cold -> dockerd)
        purelib = sysconfig.get_paths()["purelib"]
        self.env = dict(
            os.environ,
            PATH=f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
            ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
            ANSIBLE_COLLECTIONS_PATH=f"{ROOT / '.cache' / 'collections'}:{purelib}",
            ANSIBLE_ROLES_PATH=str(ROOT / "roles"),
            ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_tasks",
            PROFILE_TASKS_TASK_OUTPUT_LIMIT="30",
            ANSIBLE_FORCE_COLOR="false",
            ANSIBLE_NOCOLOR="1",
            SOURCEBUILT_DOCKER_CACHE=str(self.cache),
        )

    # ---- plumbing -------------------------------------------------------------------------------
    def say(self, msg: str) -> None:
        print(f"bench: {msg}", flush=True)

    def log_path(self, label: str) -> Path:
        self.step += 1
        return self.logs / f"{self.step:03d}-{label.replace('/', '-').replace(' ', '_')}.log"

    def run(self, argv: Sequence[str], label: str, check: bool = True) -> tuple[float, str]:
        """Run a command with its output in a log file; return (wall seconds, output)."""
        if self.dry_run:
            self.say(f"[dry-run] {label}: {shlex.join(argv)}")
            return 0.0, ""
        log = self.log_path(label)
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w") as f:
            f.write(f"$ {shlex.join(argv)}\n")
            f.flush()
            start = time.monotonic()
            rc = subprocess.run(argv, cwd=ROOT, env=self.env, stdout=f, stderr=subprocess.STDOUT, check=False).returncode
            seconds = time.monotonic() - start
        output = log.read_text(errors="replace").split("\n", 1)[1]  # without the "$ command" line
        if check and rc != 0:
            # An ansible failure ends with the recap and the task profile: show its fatal lines instead.
            fatal = [line[:800] for line in output.splitlines() if line.startswith(("fatal:", "failed:", "ERROR!"))]
            detail = "\n".join(fatal[:5] or output.splitlines()[-25:])
            raise BenchError(f"{label} failed (rc {rc}, log {log}):\n{detail}")
        return seconds, output

    def exec(self, name: str, script: str, label: str, check: bool = True) -> tuple[float, str]:
        return self.run(["docker", "exec", name, "bash", "-c", script], label, check=check)

    def instance(self, suffix: str) -> str:
        """A fresh instance sb-bench-<suffix> from the systemd image (replaces one of that name)."""
        name = PREFIX + suffix
        # A leftover of that name (an interrupted --keep run) goes first, with its volumes.
        self.run([sys.executable, str(HARNESS), "instance-rm", name], f"instance-rm {name}", check=False)
        self.run([sys.executable, str(HARNESS), "instance", name, "--image", SYSTEMD_IMAGE], f"instance {name}")
        self.instances.add(name)
        if self.args.low_priority:
            self.run(["docker", "update", "--cpu-shares", "2", name], f"low priority {name}")
        return name

    def remove(self, *names: str) -> None:
        if not names or self.args.keep:
            return
        self.run([sys.executable, str(HARNESS), "instance-rm", *names], "instance-rm", check=False)
        self.instances.difference_update(names)
        if self.deployed in names:
            self.deployed = None
        if self.warm_builder in names:
            self.warm_builder = None

    def inventory(self, label: str, hosts: Sequence[str], builders: Sequence[str] = (), **extra: Any) -> Path:
        """An inventory (YAML as JSON): docker_hosts (+ docker_builders), the docker connection."""
        inv: dict[str, Any] = {
            "all": {"vars": {"ansible_connection": "community.docker.docker", **GROUP_VARS, **self.args.vars, **extra}},
            "docker_hosts": {"hosts": {host: {} for host in hosts}},
        }
        if builders:
            inv["docker_builders"] = {"hosts": {host: {} for host in builders}}
        path = self.logs / "inventories" / f"{label}.json"
        if not self.dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(inv, indent=2) + "\n")
        return path

    def playbook(self, label: str, inventory: Path, playbook: str, *args: str) -> dict[str, Any]:
        """Run a playbook of the checkout; return its wall time, recap, changed count and slowest tasks."""
        argv = ["ansible-playbook", "-i", str(inventory), str(ROOT / "playbooks" / playbook), *args]
        self.say(f"{label}: {playbook} {shlex.join(args)}")
        seconds, output = self.run(argv, label)
        recap = parse_recap(output)
        result = {"label": label, "seconds": round(seconds, 1), "changed": recap_total(recap, "changed"),
                  "recap": recap, "top_tasks": parse_task_times(output)[:TOP_TASKS]}
        if not self.dry_run:
            self.say(f"{label}: {seconds:.1f} s, changed={result['changed']}")
        return result

    def timed_exec(self, label: str, name: str, script: str) -> dict[str, Any]:
        self.say(f"{label}: {script}")
        seconds, _ = self.exec(name, script, label)
        if not self.dry_run:
            self.say(f"{label}: {seconds:.1f} s")
        return {"label": label, "seconds": round(seconds, 1)}

    def snapshot(self, name: str) -> dict[str, str]:
        """Paths and mtimes of the artifacts, trees and build logs on an instance."""
        _, out = self.exec(name, f"cd {BUILD_ROOT} 2>/dev/null && find artifacts trees -mindepth 2 -maxdepth 2 "
                                 f"-printf '{BUILD_ROOT}/%p %T@ %s\\n' 2>/dev/null; "
                                 f"find {BUILD_ROOT}/logs -type f -printf '%p %T@ %s\\n' 2>/dev/null; true",
                           f"snapshot {name}")
        return parse_snapshot(out)

    def compile_logs(self, name: str) -> int:
        _, out = self.exec(name, f"ls {BUILD_ROOT}/logs/*.log 2>/dev/null | wc -l", f"count compile logs {name}")
        return int(out.strip() or 0)

    def install_plain_script(self, name: str) -> None:
        self.run(["docker", "cp", str(PLAIN_SCRIPT), f"{name}:{PLAIN_ON_INSTANCE}"], f"copy plain-build.sh to {name}")

    def put_patch(self, name: str, component: str, patch: Path) -> None:
        """The patch plain-build.sh applies to a component (replacing the previous one)."""
        self.exec(name, f"rm -rf {PLAIN_ROOT}/patches/{component} && mkdir -p {PLAIN_ROOT}/patches/{component}",
                  f"reset plain patches {name}")
        self.run(["docker", "cp", str(patch), f"{name}:{PLAIN_ROOT}/patches/{component}/0001-bench.patch"],
                 f"copy patch to {name}")

    def one_line_patch(self, component: str, tag: str) -> Path:
        """A one-line patch that adds a string to the component's main package (a new file, so it
        applies to any version): main is recompiled and the binary relinked, like a real fix."""
        where = {"runc": "sourcebuilt_bench.go", "dockerd": "cmd/dockerd/sourcebuilt_bench.go"}[component]
        marker = f"sourcebuilt-bench {self.stamp} {tag}"
        path = self.logs / "patches" / f"{component}-{tag}.patch"
        if not self.dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"--- /dev/null\n+++ b/{where}\n@@ -0,0 +1 @@\n"
                            f'+package main; var sourcebuiltBenchMarker = "{marker}"\n')
        return path

    def setup_vars(self) -> list[str]:
        """Extra arguments of the untimed converges that only set a case up."""
        return ["-e", "build_allow_compile=false"] if self.args.cached_only else []

    def deployed_host(self) -> str:
        """One host converged with site.yml (from the bench cache when it has the stack). Also puts
        the stack into the bench cache, which the fleet case takes its artifacts from."""
        if self.deployed is None:
            name = self.instance("host")
            self.playbook("setup/site.yml", self.inventory("host", [name]), "site.yml", *self.setup_vars())
            self.deployed = name
        return self.deployed

    @contextmanager
    def owned(self, *names: str) -> Iterator[None]:
        """Remove these instances when the block ends, however it ends."""
        try:
            yield
        finally:
            self.remove(*names)


def overrides(component: str, patch: Path) -> list[str]:
    return ["-e", json.dumps({"build_component_overrides": {component: {"patches": [str(patch)]}}})]


# ---- the cases ----------------------------------------------------------------------------------
def case_cold(b: Bench) -> CaseResult:
    side_a, side_b = Side("collection `build.yml`"), Side("plain serial script")
    res = CaseResult("cold", TITLES["cold"], Target("≤ 1.10", max_ratio=1.10), side_a, side_b)
    for i in range(1, b.args.repeat + 1):
        name = b.instance("cold-collection")
        try:
            inv = b.inventory("cold-collection", [name], build_cache_pull=False)
            b.playbook(f"cold/A{i} setup", inv, "build.yml", "-t", "toolchain")
            b.exec(name, f"rm -rf {GO_CACHE}", "empty the Go build cache")
            run = b.playbook(f"cold/A{i}", inv, "build.yml")
            side_a.times.append(run["seconds"])
            side_a.runs.append(run)
            if not b.dry_run:
                res.check(f"A{i}: compiled all {len(COMPONENTS)} components", b.compile_logs(name) == len(COMPONENTS))
        except BaseException:
            b.remove(name)
            raise
        if i == b.args.repeat and "dockerd" in b.args.only:
            b.warm_builder = name  # its Go cache is warm: the dockerd case starts from it
        else:
            b.remove(name)
        name = b.instance("cold-plain")
        with b.owned(name):
            b.install_plain_script(name)
            b.exec(name, f"{PLAIN_ON_INSTANCE} setup", f"cold/B{i} setup")
            run = b.timed_exec(f"cold/B{i}", name, f"{PLAIN_ON_INSTANCE} build")
            side_b.times.append(run["seconds"])
            side_b.runs.append(run)
    return res


def case_noop(b: Bench) -> CaseResult:
    side_a = Side("`site.yml` again")
    res = CaseResult("noop", TITLES["noop"], Target("changed=0, no compile, ≤ 8 s", max_seconds=8), side_a)
    name = b.deployed_host()
    inv = b.inventory("host", [name])
    for i in range(1, b.args.repeat + 1):
        before = b.snapshot(name)
        run = b.playbook(f"noop/A{i}", inv, "site.yml")
        touched = snapshot_diff(before, b.snapshot(name))
        run["touched"] = touched
        side_a.times.append(run["seconds"])
        side_a.runs.append(run)
        if not b.dry_run:
            res.check(f"A{i}: changed=0 (was {run['changed']})", run["changed"] == 0)
            res.check(f"A{i}: no compile (build logs, trees, artifacts untouched{': ' + ', '.join(touched) if touched else ''})",
                      not touched)
    return res


def case_runc(b: Bench) -> CaseResult:
    side_a, side_b = Side("`site.yml -t runc`"), Side("plain `go build` of runc")
    res = CaseResult("runc", TITLES["runc"], Target("A ≤ 15 s", max_seconds=15), side_a, side_b)
    name = b.deployed_host()
    inv = b.inventory("host", [name])
    # Not timed: the toolchain and sources for runc, and a warm Go cache, on both sides.
    b.playbook("runc/setup", inv, "site.yml", "-t", "runc", *overrides("runc", b.one_line_patch("runc", "setup")))
    b.install_plain_script(name)
    b.exec(name, f"{PLAIN_ON_INSTANCE} setup libseccomp runc", "runc/B setup")
    b.exec(name, f"{PLAIN_ON_INSTANCE} build libseccomp runc", "runc/B warm-up")
    pid = "systemctl show -p MainPID --value docker.service"
    for i in range(1, b.args.repeat + 1):
        patch = b.one_line_patch("runc", f"a{i}")
        before = b.snapshot(name)
        _, pid_before = b.exec(name, pid, "dockerd pid")
        run = b.playbook(f"runc/A{i}", inv, "site.yml", "-t", "runc", *overrides("runc", patch))
        _, pid_after = b.exec(name, pid, "dockerd pid")
        touched = touched_components(snapshot_diff(before, b.snapshot(name)), BUILD_ROOT)
        run["touched_components"] = sorted(touched)
        side_a.times.append(run["seconds"])
        side_a.runs.append(run)
        if not b.dry_run:
            res.check(f"A{i}: runc rebuilt, nothing else touched ({', '.join(sorted(touched)) or 'nothing'})",
                      touched == {"runc"})
            res.check(f"A{i}: dockerd not restarted", pid_before.splitlines()[-1:] == pid_after.splitlines()[-1:])
        b.put_patch(name, "runc", b.one_line_patch("runc", f"b{i}"))
        run = b.timed_exec(f"runc/B{i}", name, f"{PLAIN_ON_INSTANCE} build runc")
        side_b.times.append(run["seconds"])
        side_b.runs.append(run)
    return res


def case_fleet(b: Bench) -> CaseResult:
    side_a, side_b = Side("3 targets"), Side("1 target")  # the target is 3 targets / 1 target
    res = CaseResult("fleet", TITLES["fleet"], Target("≤ 1.3", max_ratio=1.3), side_a, side_b)
    b.deployed_host()  # the stack is in the bench cache from here on: nobody compiles below
    for i in range(1, b.args.repeat + 1):
        for side, count in ((side_a, 3), (side_b, 1)):
            tag = "A" if side is side_a else "B"
            builder = b.instance("fleet-builder")
            targets = [b.instance(f"fleet-t{k}") for k in range(1, count + 1)]
            with b.owned(builder, *targets):
                inv = b.inventory(f"fleet-{count}", targets, builders=[builder])
                run = b.playbook(f"fleet/{tag}{i}", inv, "site.yml")
                side.times.append(run["seconds"])
                side.runs.append(run)
                if not b.dry_run:
                    compiles = sum(b.compile_logs(host) for host in [builder, *targets])
                    res.check(f"{tag}{i}: nothing compiled ({compiles} compile logs)", compiles == 0)
    return res


def case_dockerd(b: Bench) -> CaseResult:
    side_a, side_b = Side("warm Go cache"), Side("Go cache cleared")
    res = CaseResult("dockerd", TITLES["dockerd"], Target("≤ 0.4", max_ratio=0.4), side_a, side_b)
    name = b.warm_builder
    if name is None:
        name = b.instance("dockerd")
        # Not timed: the toolchain, the docker.io source and a warm Go cache (a cold dockerd compile).
        b.playbook("dockerd/setup", b.inventory("dockerd", [name]), "build.yml", "-t", "dockerd",
                   *overrides("dockerd", b.one_line_patch("dockerd", "setup")))
    inv = b.inventory("dockerd", [name])
    with b.owned(name):
        for i in range(1, b.args.repeat + 1):
            for side, tag in ((side_a, "A"), (side_b, "B")):
                if side is side_b:
                    b.exec(name, f"rm -rf {GO_CACHE}", "clear the Go build cache")
                run = b.playbook(f"dockerd/{tag}{i}", inv, "build.yml", "-t", "dockerd",
                                 *overrides("dockerd", b.one_line_patch("dockerd", f"{tag.lower()}{i}")))
                side.times.append(run["seconds"])
                side.runs.append(run)
    return res


CASE_FUNCTIONS: dict[str, Callable[[Bench], CaseResult]] = {
    "cold": case_cold, "noop": case_noop, "runc": case_runc, "fleet": case_fleet, "dockerd": case_dockerd,
}


# ---- the run ------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    mem_kib = 0
    cpu = platform.processor() or platform.machine()
    with open("/proc/meminfo", encoding="ascii") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "ram_gib": round(mem_kib / 1024 / 1024, 1), "cpu": cpu,
            "kernel": platform.release(), "load_at_start": [round(x, 2) for x in os.getloadavg()]}


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    return git("rev-parse", "--short", "HEAD") + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def seed_cache(source: Path, dest: Path) -> list[str]:
    """Copy into the bench cache the <component>/<fingerprint> entries of another cache it lacks."""
    copied = []
    for manifest in sorted(source.glob("*/*/manifest.json")):
        entry = manifest.parent
        target = dest / entry.parent.name / entry.name
        if not (target / "manifest.json").exists():
            shutil.copytree(entry, target, dirs_exist_ok=True)
            copied.append(f"{entry.parent.name}/{entry.name}")
    return copied


def preflight(args: argparse.Namespace) -> None:
    mismatches = plain_script_mismatches(yaml.safe_load(PROFILE.read_text()), PLAIN_SCRIPT.read_text())
    if mismatches:
        sys.exit("bench: bench/plain-build.sh no longer matches the debian-bookworm profile: " + "; ".join(mismatches))
    if args.dry_run:
        return
    link = ROOT / ".cache" / "collections" / "ansible_collections" / "sourcebuilt" / "docker"
    if not link.exists():
        sys.exit(f"bench: {link} is missing: run `make collection` (or `make bench`)")
    image = subprocess.run(["docker", "image", "inspect", SYSTEMD_IMAGE], capture_output=True, check=False)
    if image.returncode != 0:
        sys.exit(f"bench: no image {SYSTEMD_IMAGE}: run `make images` (or `make bench`)")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2, help="runs per side, alternating A B A B (default 2)")
    parser.add_argument("--only", default=",".join(CASES), help=f"comma-separated cases, of: {', '.join(CASES)}")
    parser.add_argument("--keep", action="store_true", help="keep the sb-bench-* instances")
    parser.add_argument("--dry-run", action="store_true", help="print the plan (every command) and run nothing")
    parser.add_argument("--seed-cache", type=Path, metavar="DIR",
                        help="first copy into the bench cache the artifacts of DIR it lacks (e.g. .cache/artifacts)")
    parser.add_argument("--cached-only", action="store_true",
                        help="the untimed converges that set cases up take everything from the cache or fail")
    parser.add_argument("--vars", type=json.loads, default={}, metavar="JSON",
                        help='extra group vars of every inventory, e.g. \'{"build_jobs": 1}\' (shown with the table)')
    parser.add_argument("--low-priority", action="store_true",
                        help="nice 19 and --cpu-shares 2 on the instances: a smoke run on a busy machine, not a measurement")
    args = parser.parse_args(argv)
    args.only = [c.strip() for c in args.only.split(",") if c.strip()]
    unknown = sorted(set(args.only) - set(CASES))
    if unknown:
        parser.error(f"--only: unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not isinstance(args.vars, dict):
        parser.error("--vars must be a JSON object")
    args.only = [c for c in CASES if c in args.only]  # the order the cases depend on
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    preflight(args)
    if args.low_priority:
        os.nice(19)
    b = Bench(args)
    mach = machine()
    b.say(f"{', '.join(args.only)}; {args.repeat} run(s) per side; {mach['cores']} cores, {mach['ram_gib']} GiB; "
          f"logs {b.logs}{' (dry run)' if b.dry_run else ''}")
    if args.seed_cache and not b.dry_run:
        b.say(f"seeded {len(seed_cache(args.seed_cache, b.cache))} cache entries from {args.seed_cache}")
    results: list[CaseResult] = []
    try:
        for name in args.only:
            b.say(f"=== {name}")
            try:
                results.append(CASE_FUNCTIONS[name](b))
            except (BenchError, subprocess.SubprocessError, OSError) as exc:
                b.say(f"{name} failed: {exc}")
                results.append(CaseResult(name, TITLES[name], Target("–"), Side("–"), error=str(exc)))
                if not isinstance(exc, BenchError):
                    traceback.print_exc()
    finally:
        leftovers = sorted(b.instances)
        if leftovers and not args.keep:
            b.remove(*leftovers)
        elif leftovers:
            b.say(f"kept: {' '.join(leftovers)} (remove with tests/harness/harness.py instance-rm ...)")
    if b.dry_run:
        return 0
    date = dt.datetime.now(dt.UTC)
    meta = {"date": date.strftime("%Y-%m-%d %H:%M UTC"), "commit": git_commit(), "repeat": args.repeat,
            "machine": f"{mach['cores']} cores, {mach['ram_gib']} GiB RAM ({mach['cpu']}, Linux {mach['kernel']}, "
                       f"load {mach['load_at_start'][0]} at start)",
            "note": "; ".join(filter(None, ["smoke run at low priority: not a measurement" if args.low_priority else "",
                                             f"group vars {json.dumps(args.vars)}" if args.vars else ""]))}
    BENCH.mkdir(parents=True, exist_ok=True)
    report = {**meta, "machine_facts": mach, "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
              "logs": str(b.logs), "cases": [r.to_json() for r in results]}
    json_path = BENCH / f"{b.stamp}.json"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    table = render_markdown(meta, results)
    (BENCH / "latest.md").write_text(table)
    print("\n" + table)
    b.say(f"wrote {json_path} and {BENCH / 'latest.md'}")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
