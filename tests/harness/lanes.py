# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run molecule scenarios and make stages on a few job slots, each step as soon as what it needs has passed,
each step's output in its own log.

    lanes.py [--logs DIR] [--jobs N] STEP [STEP ...]

A STEP is `NAME` or `NAME<NEED,NEED...`: a scenario name runs `molecule test -s NAME`, `make:STAGE` runs
`make STAGE`; each NEED is an earlier step that must have passed before this one starts (`fleet<default`:
fleet takes what default published to the controller cache). Whenever a slot is free, the first step of
the list whose needs have passed starts, so the list's order is the priority: put the long steps first.
`lanes.py --jobs 2 make:images 'default<make:images' make:lint` builds the images beside lint, then runs
default. With `--jobs 1` the steps run one after another in the list's order.

Each log is printed whole when its step ends. After a failure no step starts; the running ones run to
their end. The summary comes last, after the end of each failed step's log, so that the tail of the
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


@dataclass(frozen=True)
class Step:
    name: str
    needs: tuple[str, ...] = ()


@dataclass
class Result:
    scenario: str
    seconds: float
    returncode: int
    log: Path


def parse_step(text: str) -> Step:
    """'fleet<default,make:images' -> Step('fleet', ('default', 'make:images'))."""
    name, _, needs = text.strip().partition("<")
    return Step(name.strip(), tuple(n.strip() for n in needs.split(",") if n.strip()))


def parse_plan(words: list[str]) -> list[Step]:
    """The steps of the command line, each word may hold several separated by spaces; errors name the step."""
    plan = [parse_step(w) for text in words for w in text.split()]
    names = [s.name for s in plan]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError("step named twice in the plan: %s (their instances would meet)" % ", ".join(twice))
    if not names:
        raise ValueError("the plan names no step")
    for number, step in enumerate(plan):
        for need in step.needs:
            if need not in names[:number]:
                raise ValueError("%s needs %s, which is not a step before it in the plan" % (step.name, need))
    return plan


def say(lock: threading.Lock, text: str) -> None:
    with lock:
        print(time.strftime("%H:%M:%S"), text, flush=True)


def command(step: str) -> tuple[list[str], str]:
    """The command of a step and the name of its log: 'make:lint' -> make lint, 'sysv' -> molecule test -s sysv."""
    if step.startswith("make:"):
        return ["make", "--no-print-directory", step[len("make:"):]], "make-%s.log" % step[len("make:"):]
    return ["molecule", "test", "-s", step], "molecule-%s.log" % step


def run_step(scenario: str, logs: Path, lock: threading.Lock) -> Result:
    argv, name = command(scenario)
    log = logs / name
    say(lock, "=== %s (log: %s)" % (" ".join(argv), log))
    started = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    result = Result(scenario, time.monotonic() - started, proc.returncode, log)
    with lock:  # the whole log in one block, so that steps never interleave in the output
        print(log.read_text(errors="replace"), end="", flush=True)
    say(lock, "=== %s %s in %.0f s" % (
        " ".join(argv), "passed" if result.returncode == 0 else "FAILED (rc %d)" % result.returncode, result.seconds))
    return result


def next_step(plan: list[Step], started: set[str], passed: set[str]) -> Step | None:
    """The first step not started whose needs have all passed."""
    for step in plan:
        if step.name not in started and all(n in passed for n in step.needs):
            return step
    return None


def run_plan(plan: list[Step], logs: Path, jobs: int) -> list[Result]:
    lock = threading.Lock()
    changed = threading.Condition()
    results: list[Result] = []
    started: set[str] = set()
    running = 0

    def work(step: Step) -> None:
        nonlocal running
        # A step that cannot even run (its log cannot be written) fails like one that ran and failed.
        result = Result(step.name, 0.0, 125, logs / command(step.name)[1])
        try:
            result = run_step(step.name, logs, lock)
        except OSError as exc:
            say(lock, "=== %s could not run: %s" % (step.name, exc))
        finally:
            with changed:
                results.append(result)
                running -= 1
                changed.notify_all()

    with changed:
        while True:
            failed = any(r.returncode != 0 for r in results)
            step = None if failed or running >= jobs else next_step(
                plan, started, {r.scenario for r in results if r.returncode == 0})
            if step is not None:
                started.add(step.name)
                running += 1
                threading.Thread(target=work, args=(step,), daemon=True).start()
                continue
            if running == 0:
                return results
            changed.wait()


def summary(plan: list[Step], results: list[Result]) -> str:
    done = {r.scenario: r for r in results}
    lines = ["=== steps"]
    for step in plan:
        r = done.get(step.name)
        state = "not run" if r is None else "passed in %.0f s" % r.seconds if r.returncode == 0 \
            else "FAILED in %.0f s (log: %s)" % (r.seconds, r.log)
        lines.append("%-16s %s" % (step.name, state))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logs", type=Path, default=Path(".cache/logs"), help="where each step's log goes")
    parser.add_argument("--jobs", type=int, default=1, help="how many steps run at once (default 1)")
    parser.add_argument("steps", nargs="+", metavar="STEP")
    args = parser.parse_args(argv)
    try:
        plan = parse_plan(args.steps)
    except ValueError as exc:
        parser.error(str(exc))
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    args.logs.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results = run_plan(plan, args.logs, args.jobs)
    for r in results:
        if r.returncode != 0:
            tail = r.log.read_text(errors="replace").splitlines()[-TAIL_LINES:]
            print("=== the end of %s (%s)" % (r.log, r.scenario))
            print("\n".join(tail))
    print(summary(plan, results))
    ok = len(results) == len(plan) and all(r.returncode == 0 for r in results)
    print("=== lanes: %s in %.0f s" % ("every step passed" if ok else "FAILED", time.monotonic() - started))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
