# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run molecule scenarios and make stages in phases of parallel lanes, each step's output in its own log.

    lanes.py [--logs DIR] PHASE [PHASE ...]

A PHASE is lanes separated by `|`, a lane is steps separated by spaces: a scenario name runs
`molecule test -s NAME`, `make:STAGE` runs `make STAGE`.
`lanes.py 'make:images | make:lint' 'default | preflight' 'sysv faults | fleet adopt'` builds the images
beside lint, then runs default and preflight side by side, then, when both passed, sysv then faults beside
fleet then adopt. The instances are containers with
their own names, so scenarios of different lanes do not meet; a lane's order is kept because a later
scenario may take what an earlier one published (the controller cache that `default` fills).

Each log is printed whole when its step ends. A failed step ends its lane; the other lanes of the phase run to their end, and no later phase
starts. The summary comes last, after the end of each failed scenario's log, so that the tail of the
output names what failed and why.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TAIL_LINES = 200


@dataclass
class Result:
    scenario: str
    seconds: float
    returncode: int
    log: Path


def parse_phase(text: str) -> list[list[str]]:
    """'a b | c' -> [['a', 'b'], ['c']]; empty lanes are dropped."""
    lanes = [lane.split() for lane in text.split("|")]
    return [lane for lane in lanes if lane]


def parse_plan(phases: list[str]) -> list[list[list[str]]]:
    plan = [lanes for lanes in (parse_phase(p) for p in phases) if lanes]
    names = [s for lanes in plan for lane in lanes for s in lane]
    twice = sorted({s for s in names if names.count(s) > 1})
    if twice:
        raise ValueError("step named twice in the plan: %s (their instances would meet)" % ", ".join(twice))
    if not names:
        raise ValueError("the plan names no step")
    return plan


def say(lock: threading.Lock, text: str) -> None:
    with lock:
        print(time.strftime("%H:%M:%S"), text, flush=True)


def command(step: str) -> tuple[list[str], str]:
    """The command of a step and the name of its log: 'make:lint' -> make lint, 'sysv' -> molecule test -s sysv."""
    if step.startswith("make:"):
        return ["make", "--no-print-directory", step[len("make:"):]], "make-%s.log" % step[len("make:"):]
    return ["molecule", "test", "-s", step], "molecule-%s.log" % step


def run_scenario(scenario: str, logs: Path, lock: threading.Lock) -> Result:
    argv, name = command(scenario)
    log = logs / name
    say(lock, "=== %s (log: %s)" % (" ".join(argv), log))
    started = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    result = Result(scenario, time.monotonic() - started, proc.returncode, log)
    with lock:  # the whole log in one block, so that lanes never interleave in the output
        print(log.read_text(errors="replace"), end="", flush=True)
    say(lock, "=== %s %s in %.0f s" % (
        " ".join(argv), "passed" if result.returncode == 0 else "FAILED (rc %d)" % result.returncode, result.seconds))
    return result


def run_lane(lane: list[str], logs: Path, lock: threading.Lock, results: list[Result]) -> None:
    for scenario in lane:
        result = run_scenario(scenario, logs, lock)
        results.append(result)
        if result.returncode != 0:
            return


def run_plan(plan: list[list[list[str]]], logs: Path) -> list[Result]:
    lock = threading.Lock()
    results: list[Result] = []
    for lanes in plan:
        threads = [threading.Thread(target=run_lane, args=(lane, logs, lock, results)) for lane in lanes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if any(r.returncode != 0 for r in results):
            break
    return results


def summary(plan: list[list[list[str]]], results: list[Result]) -> str:
    done = {r.scenario: r for r in results}
    lines = ["=== steps"]
    for number, lanes in enumerate(plan, 1):
        for lane in lanes:
            for scenario in lane:
                r = done.get(scenario)
                state = "not run" if r is None else "passed in %.0f s" % r.seconds if r.returncode == 0 \
                    else "FAILED in %.0f s (log: %s)" % (r.seconds, r.log)
                lines.append("phase %d  %-16s %s" % (number, scenario, state))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logs", type=Path, default=Path(".cache/logs"), help="where each step's log goes")
    parser.add_argument("phases", nargs="+", metavar="PHASE")
    args = parser.parse_args(argv)
    try:
        plan = parse_plan(args.phases)
    except ValueError as exc:
        parser.error(str(exc))
    args.logs.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results = run_plan(plan, args.logs)
    for r in results:
        if r.returncode != 0:
            tail = r.log.read_text(errors="replace").splitlines()[-TAIL_LINES:]
            print("=== the end of %s (%s)" % (r.log, r.scenario))
            print("\n".join(tail))
    print(summary(plan, results))
    ran = sum(len(lane) for lanes in plan for lane in lanes)
    ok = len(results) == ran and all(r.returncode == 0 for r in results)
    print("=== lanes: %s in %.0f s" % ("every step passed" if ok else "FAILED", time.monotonic() - started))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
