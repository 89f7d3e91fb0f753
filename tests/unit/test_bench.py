# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pure helpers of the benchmark harness (bench/benchlib.py): recap and profile_tasks parsing,
statistics, verdicts, snapshots, the pin check of plain-build.sh and the Markdown table."""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(REPO, 'bench')
if not os.path.isdir(BENCH):  # ansible-test's sanity tree carries tests/unit without bench/
    pytest.skip('bench/ is not in this tree', allow_module_level=True)


def _load_benchlib():
    spec = importlib.util.spec_from_file_location('benchlib', os.path.join(BENCH, 'benchlib.py'))
    module = importlib.util.module_from_spec(spec)
    sys.modules['benchlib'] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


benchlib = _load_benchlib()

OUTPUT = """\
TASK [sourcebuilt.docker.build : wave | Wait for the compiles] *****************
Saturday 22 November 2026  10:48:31 +0000 (0:00:01.234)       0:05:12.345 *****
ok: [sb-bench-host]

PLAY RECAP *********************************************************************
sb-bench-builder           : ok=61   changed=3    unreachable=0    failed=0    skipped=40   rescued=0    ignored=0
sb-bench-t1                : ok=80   changed=12   unreachable=0    failed=0    skipped=33   rescued=0    ignored=1

Saturday 22 November 2026  10:53:43 +0000 (0:00:00.512)       0:05:12.857 *****
===============================================================================
sourcebuilt.docker.build : wave | Wait for the compiles ---------------- 301.22s
sourcebuilt.docker.toolchain : packages | Install the build dependencies -- 45.10s
Gathering Facts ----------------------------------------------------------- 2.05s
sourcebuilt.docker.install : install | Copy a very long task name that fills the line 1234.56s
"""


def test_parse_recap_reads_every_host_of_the_last_recap():
    recap = benchlib.parse_recap("PLAY RECAP ***\nold : ok=1 changed=9\n\n" + OUTPUT)
    assert recap == {
        'sb-bench-builder': {'ok': 61, 'changed': 3, 'unreachable': 0, 'failed': 0, 'skipped': 40, 'rescued': 0, 'ignored': 0},
        'sb-bench-t1': {'ok': 80, 'changed': 12, 'unreachable': 0, 'failed': 0, 'skipped': 33, 'rescued': 0, 'ignored': 1},
    }
    assert benchlib.recap_total(recap, 'changed') == 15
    assert benchlib.recap_total(recap, 'nope') == 0


def test_parse_recap_without_recap():
    assert not benchlib.parse_recap('ERROR! the playbook could not be found')


def test_parse_task_times_slowest_first():
    times = benchlib.parse_task_times(OUTPUT)
    assert times == [
        ('sourcebuilt.docker.install : install | Copy a very long task name that fills the line', 1234.56),
        ('sourcebuilt.docker.build : wave | Wait for the compiles', 301.22),
        ('sourcebuilt.docker.toolchain : packages | Install the build dependencies', 45.10),
        ('Gathering Facts', 2.05),
    ]
    assert not benchlib.parse_task_times('PLAY RECAP\nhost : ok=1 changed=0\n')


@pytest.mark.parametrize('values, expected', [
    ([3.0], (1, 3.0, 3.0, 3.0)),
    ([10.0, 20.0], (2, 10.0, 15.0, 20.0)),
    ([5.0, 1.0, 9.0], (3, 1.0, 5.0, 9.0)),
])
def test_stats(values, expected):
    st = benchlib.Stats.of(values)
    assert (st.n, st.min, st.median, st.max) == expected


def test_stats_and_ratio_of_nothing():
    assert benchlib.Stats.of([]) is None
    assert benchlib.ratio(None, benchlib.Stats.of([1.0])) is None
    assert benchlib.ratio(benchlib.Stats.of([1.0]), benchlib.Stats.of([0.0])) is None
    assert benchlib.ratio(benchlib.Stats.of([3.0]), benchlib.Stats.of([4.0, 2.0])) == 1.0


@pytest.mark.parametrize('seconds, text', [(8.44, '8.4 s'), (59.9, '59.9 s'), (312.4, '5 min 12 s'), (3600, '60 min 00 s')])
def test_fmt_seconds(seconds, text):
    assert benchlib.fmt_seconds(seconds) == text


def case(a, b=None, **target):
    return benchlib.CaseResult('x', 'x', benchlib.Target('t', **target), benchlib.Side('A', list(a)),
                               benchlib.Side('B', list(b)) if b is not None else None)


def test_verdict_ratio():
    assert case([90.0, 80.0], [100.0, 100.0], max_ratio=0.9).verdict() == 'met'
    assert case([120.0], [100.0], max_ratio=0.9).verdict() == 'missed: ratio 1.20 > 0.9 (by 33 %)'
    assert case([], [100.0], max_ratio=0.9).verdict() == 'no data'


def test_verdict_seconds_and_checks():
    res = case([12.0, 14.0], max_seconds=20)
    assert res.verdict() == 'met'
    res.check('changed=0 (was 2)', False)
    assert res.verdict() == 'missed: failed: changed=0 (was 2)'
    slow = case([30.0], max_seconds=20)
    assert slow.verdict() == 'missed: median 30.0 s > 20 s (by 50 %)'
    broken = case([1.0], max_seconds=20)
    broken.error = 'noop/A1 failed (rc 2, log x)\ntail'
    assert broken.verdict() == 'error: noop/A1 failed (rc 2, log x)'


def test_snapshots():
    before = benchlib.parse_snapshot('/r/logs/runc.log 100.5 10\n/r/artifacts/runc/ab 90.0 4096\n/r/logs/cli.log 80.0 7\n')
    after = benchlib.parse_snapshot('/r/logs/runc.log 200.5 12\n/r/artifacts/runc/cd 190.0 4096\n/r/logs/cli.log 80.0 7\n')
    assert before['/r/logs/cli.log'] == '80.0 7'
    changed = benchlib.snapshot_diff(before, after)
    assert changed == ['/r/artifacts/runc/ab', '/r/artifacts/runc/cd', '/r/logs/runc.log']
    assert benchlib.touched_components(changed, '/r') == {'runc'}
    assert benchlib.touched_components(['/r/logs/dockerd.status', '/r/trees/cli/src', '/r/cache/go'], '/r/') == {'dockerd', 'cli'}
    assert benchlib.snapshot_diff(before, before) == []


PROFILE = {'components': {
    'libseccomp': {'version': '2.5.4', 'source': {'type': 'debian', 'package': 'libseccomp', 'version': '2.5.4-1'}},
    'runc': {'version': '1.1.5', 'commit': 'f19387a', 'build_tags': ['seccomp', 'netgo'],
             'source': {'type': 'debian', 'package': 'runc', 'version': '1.1.5+ds1-1'}},
}}
SCRIPT = 'LIBSECCOMP_SRC="libseccomp=2.5.4-1"\nRUNC_SRC="runc=1.1.5+ds1-1"\nRUNC_VERSION=1.1.5 RUNC_COMMIT=f19387a\nRUNC_TAGS="seccomp netgo"\n'


def test_plain_script_mismatches():
    assert not benchlib.plain_script_mismatches(PROFILE, SCRIPT)
    drifted = SCRIPT.replace('f19387a', 'f19387b').replace('seccomp netgo', 'seccomp')
    assert benchlib.plain_script_mismatches(PROFILE, drifted) == ['runc: commit f19387a', 'runc: build tags seccomp netgo']


def test_plain_script_matches_the_shipped_profile():
    yaml = pytest.importorskip('yaml')
    with open(os.path.join(REPO, 'roles', 'build', 'profiles', 'debian-bookworm.yml'), encoding='utf-8') as f:
        profile = yaml.safe_load(f)
    with open(os.path.join(BENCH, 'plain-build.sh'), encoding='utf-8') as f:
        assert not benchlib.plain_script_mismatches(profile, f.read())


def test_render_markdown():
    cold = case([300.0, 320.0], [280.0, 290.0], max_ratio=0.9)
    cold.title = 'cold build'
    cold.a.runs = [{'seconds': 300.0, 'top_tasks': [('wave | Wait for the compiles', 250.0)]},
                   {'seconds': 320.0, 'top_tasks': [('other', 1.0)]}]
    noop = case([12.0], max_seconds=20)
    noop.title = 'no-op'
    noop.check('A1: changed=0 (was 0)', True)
    text = benchlib.render_markdown({'date': '2026-11-22 10:00 UTC', 'machine': '2 cores, 23.5 GiB RAM',
                                     'repeat': 2, 'commit': 'abc1234'}, [cold, noop])
    lines = text.splitlines()
    assert lines[0].startswith('Measured 2026-11-22 10:00 UTC on 2 cores, 23.5 GiB RAM')
    assert '| cold build | A | 5 min 00 s / 5 min 10 s / 5 min 20 s | B | 4 min 40 s / 4 min 45 s / 4 min 50 s | 1.09 | t | missed: ' in text
    assert '| no-op | A | 12.0 s / 12.0 s / 12.0 s | – | – | – | t | met |' in text
    assert '  - 250.0 s wave | Wait for the compiles' in lines
    assert '- ok: A1: changed=0 (was 0)' in lines
