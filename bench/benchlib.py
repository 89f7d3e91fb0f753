# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pure helpers of the benchmark harness (bench/run.py), unit-tested in tests/unit/test_bench.py:
reading ansible-playbook output (PLAY RECAP, the profile_tasks summary), statistics over repeated
runs, targets and verdicts, file snapshots, the pin check of plain-build.sh, and the Markdown table."""
from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

RECAP_LINE = re.compile(r"^(?P<host>\S+)\s+:\s+(?P<counts>(?:[a-z_]+=\d+\s*)+)$")
# profile_tasks summary line: "<task name> ------------ 12.34s" (dashes fill to the terminal width).
TASK_TIME_LINE = re.compile(r"^(?P<name>.+?) -* ?(?P<seconds>\d+\.\d{2})s$")


def parse_recap(output: str) -> dict[str, dict[str, int]]:
    """Counts per host (ok, changed, failed, ...) of the last PLAY RECAP in an ansible-playbook output."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("PLAY RECAP")]
    if not starts:
        return {}
    recap: dict[str, dict[str, int]] = {}
    for line in lines[starts[-1] + 1:]:
        match = RECAP_LINE.match(line.strip())
        if match:
            counts = (item.split("=") for item in match["counts"].split())
            recap[match["host"]] = {key: int(value) for key, value in counts}
        elif recap and line.strip():
            break
    return recap


def recap_total(recap: Mapping[str, Mapping[str, int]], key: str) -> int:
    """Sum of one count over every host of a recap."""
    return sum(counts.get(key, 0) for counts in recap.values())


def parse_task_times(output: str) -> list[tuple[str, float]]:
    """The profile_tasks summary (the lines after its last row of '='), slowest task first."""
    lines = output.splitlines()
    rules = [i for i, line in enumerate(lines) if line.strip() and set(line.strip()) == {"="}]
    if not rules:
        return []
    times = []
    for line in lines[rules[-1] + 1:]:
        match = TASK_TIME_LINE.match(line.rstrip())
        if match:
            times.append((match["name"].strip(), float(match["seconds"])))
    return sorted(times, key=lambda item: item[1], reverse=True)


@dataclass(frozen=True)
class Stats:
    """Minimum, median and maximum of the wall times of one side of a case."""

    n: int
    min: float
    median: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats | None:
        if not values:
            return None
        return cls(len(values), min(values), statistics.median(values), max(values))

    def text(self) -> str:
        return f"{fmt_seconds(self.min)} / {fmt_seconds(self.median)} / {fmt_seconds(self.max)}"


def fmt_seconds(seconds: float) -> str:
    """'8.4 s' under a minute, '5 min 12 s' above."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def ratio(a: Stats | None, b: Stats | None) -> float | None:
    """Median of side A over median of side B."""
    if a is None or b is None or b.median <= 0:
        return None
    return a.median / b.median


@dataclass(frozen=True)
class Target:
    """What a case must reach: a ratio of medians (A/B) at most `max_ratio`, or a median of side A
    at most `max_seconds`; checks (changed=0, nothing else touched, ...) are part of the verdict."""

    text: str
    max_ratio: float | None = None
    max_seconds: float | None = None


@dataclass
class Side:
    label: str
    times: list[float] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def stats(self) -> Stats | None:
        return Stats.of(self.times)


@dataclass
class CaseResult:
    name: str
    title: str
    target: Target
    a: Side
    b: Side | None = None
    checks: list[tuple[str, bool]] = field(default_factory=list)
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        return ratio(self.a.stats, self.b.stats) if self.b else None

    def check(self, text: str, ok: bool) -> bool:
        self.checks.append((text, ok))
        return ok

    def verdict(self) -> str:
        return verdict(self)

    def to_json(self) -> dict[str, Any]:
        def side(s: Side | None) -> dict[str, Any] | None:
            if s is None:
                return None
            st = s.stats
            return {"label": s.label, "times": s.times, "runs": s.runs,
                    "min": st.min if st else None, "median": st.median if st else None, "max": st.max if st else None}
        return {"name": self.name, "title": self.title, "target": self.target.text, "a": side(self.a), "b": side(self.b),
                "ratio": self.ratio, "checks": [{"check": t, "ok": ok} for t, ok in self.checks],
                "verdict": self.verdict(), "error": self.error}


def verdict(case: CaseResult) -> str:
    """'met', or what was missed and by how much."""
    if case.error:
        return f"error: {case.error.splitlines()[0] if case.error else ''}"
    missed = []
    a = case.a.stats
    if a is None:
        return "no data"
    if case.target.max_ratio is not None:
        r = case.ratio
        if r is None:
            return "no data"
        if r > case.target.max_ratio:
            missed.append(f"ratio {r:.2f} > {case.target.max_ratio:g} (by {100 * (r / case.target.max_ratio - 1):.0f} %)")
    if case.target.max_seconds is not None and a.median > case.target.max_seconds:
        over = 100 * (a.median / case.target.max_seconds - 1)
        missed.append(f"median {fmt_seconds(a.median)} > {case.target.max_seconds:g} s (by {over:.0f} %)")
    missed += [f"failed: {text}" for text, ok in case.checks if not ok]
    return "met" if not missed else "missed: " + "; ".join(missed)


def median_run(side: Side) -> dict[str, Any] | None:
    """The run whose wall time is the (lower) median: its task profile stands for the side."""
    if not side.runs:
        return None
    target = statistics.median_low(side.times)
    return next(run for run in side.runs if run["seconds"] == target)


def parse_snapshot(text: str) -> dict[str, str]:
    """`find ... -printf '%p %T@ %s\\n'` output -> {path: 'mtime size'}."""
    snapshot = {}
    for line in text.splitlines():
        path, _, stamp = line.rpartition(" ")
        path, _, mtime = path.rpartition(" ")
        if path:
            snapshot[path] = f"{mtime} {stamp}"
    return snapshot


def snapshot_diff(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """Paths added, removed or modified between two snapshots, sorted."""
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


def touched_components(paths: Iterable[str], build_root: str) -> set[str]:
    """Component names behind changed paths under build_root: artifacts/<c>/..., logs/<c>.log|.status, trees/<c>/..."""
    names = set()
    for path in paths:
        rel = path.removeprefix(build_root.rstrip("/") + "/").split("/")
        if len(rel) >= 2 and rel[0] in ("artifacts", "trees"):
            names.add(rel[1])
        elif len(rel) == 2 and rel[0] == "logs":
            names.add(rel[1].split(".", 1)[0])
    return names


def plain_script_mismatches(profile: Mapping[str, Any], script: str) -> list[str]:
    """Pins and build tags of the profile that plain-build.sh does not carry (empty: they agree)."""
    missing = []
    for name, comp in profile["components"].items():
        source = comp.get("source", {})
        if source.get("type") == "debian":
            spec = f"{source['package']}={source['version']}"
            if f'"{spec}"' not in script:
                missing.append(f"{name}: source {spec}")
        for key in ("commit", "version"):
            value = str(comp.get(key, ""))
            if value and not re.search(rf"={re.escape(value)}(?![\w.])", script):
                missing.append(f"{name}: {key} {value}")
        tags = " ".join(comp.get("build_tags", []))
        if tags and f'{name.upper()}_TAGS="{tags}"' not in script:
            missing.append(f"{name}: build tags {tags}")
    return missing


def render_markdown(meta: Mapping[str, Any], cases: Sequence[CaseResult], top: int = 5) -> str:
    """The table for the README's Performance section, then per case its checks and slowest tasks."""
    out = [
        (f"Measured {meta['date']} on {meta['machine']} by `make bench` "
         f"(bench/run.py, {meta['repeat']} alternating runs per side, commit {meta['commit']})."),
    ]
    if meta.get("note"):
        out.append(f"**{meta['note']}**")
    out += [
        "",
        "| case | A | A: min / median / max | B | B: min / median / max | A/B | target | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case in cases:
        a, b = case.a.stats, case.b.stats if case.b else None
        out.append("| " + " | ".join([
            case.title,
            case.a.label,
            a.text() if a else "–",
            case.b.label if case.b else "–",
            b.text() if b else "–",
            f"{case.ratio:.2f}" if case.ratio is not None else "–",
            case.target.text,
            case.verdict(),
        ]) + " |")
    for case in cases:
        details = [f"- {'ok' if ok else 'FAILED'}: {text}" for text, ok in case.checks]
        for side in [s for s in (case.a, case.b) if s is not None]:
            run = median_run(side)
            if run and run.get("top_tasks"):
                details.append(f"- slowest tasks of {side.label} (median run):")
                details += [f"  - {sec:.1f} s {name}" for name, sec in run["top_tasks"][:top]]
        if details:
            out += ["", f"{case.title}:", *details]
    return "\n".join(out) + "\n"
