# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/harness/lanes.py, the runner of `make test`'s steps: the plan it reads (the Makefile's too), the
order steps start in on a number of slots, and a run where a step fails (nothing starts after it, the
running steps end, the summary and the failed log's end come last), and `make:STAGE` steps. `molecule`
and `make` here are shell scripts on PATH that pass, fail or take longer by the step's name: the unit
under test is the runner."""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shlex
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LANES = os.path.join(REPO, 'tests', 'harness', 'lanes.py')
if not os.path.isfile(LANES):  # ansible-test's sanity tree carries tests/unit without tests/harness
    pytest.skip('tests/harness is not in this tree', allow_module_level=True)

spec = importlib.util.spec_from_file_location('lanes', LANES)
lanes = importlib.util.module_from_spec(spec)
sys.modules['lanes'] = lanes  # dataclasses look their module up
spec.loader.exec_module(lanes)


S = lanes.Step


@pytest.mark.parametrize('words, plan', [
    (['default'], [S('default')]),
    (['default preflight<default', 'fleet<default,preflight'],
     [S('default'), S('preflight', ('default',)), S('fleet', ('default', 'preflight'))]),
    (['  a   b<a, ', ' c<a,,b '], [S('a'), S('b', ('a',)), S('c', ('a', 'b'))]),
])
def test_plan(words, plan):
    assert lanes.parse_plan(words) == plan


def makefile_steps(name: str) -> list:
    with open(os.path.join(REPO, 'Makefile')) as makefile:
        text = makefile.read().replace('\\\n', ' ')
    return [lanes.parse_step(w) for w in shlex.split(re.search(r'^%s [?:]= (.*)$' % name, text, re.M).group(1))]


def test_the_makefile_plan_names_every_scenario() -> None:
    """MOLECULE_STEPS names each scenario under molecule/ but upstream (it needs local clones), and no other:
    a scenario renamed or split cannot drop out of `make test` or stay in the plan under a name that is gone;
    and make test's whole plan (images, scenarios, checks) parses, each need a step before it."""
    named = sorted(s.name for s in makefile_steps('MOLECULE_STEPS') if not s.name.startswith('make:'))
    found = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(REPO, 'molecule', '*', 'molecule.yml')))
    assert named == [s for s in found if s != 'upstream']
    steps = makefile_steps('IMAGE_STEPS') + makefile_steps('MOLECULE_STEPS') + makefile_steps('CHECK_STEPS')
    assert lanes.parse_plan(['%s<%s' % (s.name, ','.join(s.needs)) if s.needs else s.name for s in steps]) == steps
    # Every scenario but preflight and offline takes what default published.
    assert sorted(s.name for s in steps if 'default' in s.needs) == sorted(set(named) - {'default', 'preflight', 'offline'})


@pytest.mark.parametrize('words, message', [
    (['a b<a', 'a'], 'step named twice in the plan: a'),
    ([' ', ''], 'the plan names no step'),
    (['b<a a'], 'b needs a, which is not a step before it in the plan'),
    (['a b<c'], 'b needs c, which is not a step before it in the plan'),
])
def test_bad_plan(words, message):
    with pytest.raises(ValueError, match=message):
        lanes.parse_plan(words)


def fake_tools(tmp_path, monkeypatch, script: str) -> None:
    """`molecule` and `make` on PATH: each appends its step and the time to a trace, sleeps as the step's
    name says (`slow`: 0.6 s), then fails if the name starts with `bad`."""
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    for tool in ('molecule', 'make'):
        (bin_dir / tool).write_text(script)
        (bin_dir / tool).chmod(0o755)
    monkeypatch.setenv('PATH', '%s%s%s' % (bin_dir, os.pathsep, os.environ['PATH']))
    monkeypatch.setenv('TRACE', str(tmp_path / 'trace'))


TOOL = """#!/bin/sh
step=$3
echo "start $step" >> "$TRACE"
echo "log of $step"
case "$step" in slow*) sleep 0.6;; esac
echo "end $step" >> "$TRACE"
case "$step" in bad*) exit 3;; esac
"""


def test_a_failure_starts_nothing_more_and_its_log_ends_the_output(tmp_path, monkeypatch, capsys):
    fake_tools(tmp_path, monkeypatch, TOOL)

    rc = lanes.main(['--logs', str(tmp_path / 'logs'), '--jobs', '2', 'bad slow', 'after<bad', 'later'])

    out = capsys.readouterr().out
    assert rc == 1
    assert (tmp_path / 'logs' / 'molecule-bad.log').read_text() == 'log of bad\n'
    assert '=== molecule test -s bad FAILED (rc 3)' in out
    assert '=== molecule test -s slow passed' in out  # already running: it runs to its end
    assert 'molecule test -s after ' not in out and 'molecule test -s later ' not in out
    tail = out[out.index('=== the end of'):]
    assert 'log of bad' in tail
    assert 'after            not run' in tail and 'later            not run' in tail
    assert tail.rstrip().splitlines()[-1].startswith('=== lanes: FAILED in ')


def test_steps_start_when_a_slot_is_free_and_their_needs_passed(tmp_path, monkeypatch, capsys):
    """Two slots: `slow` and `a` start; `b` needs `slow`, so `c` takes the slot `a` frees, and `b` starts
    only after `slow` ended; every step passes."""
    fake_tools(tmp_path, monkeypatch, TOOL)

    assert lanes.main(['--logs', str(tmp_path), '--jobs', '2', 'slow', 'a', 'b<slow', 'c']) == 0

    trace = (tmp_path / 'trace').read_text().split('\n')
    assert trace.index('start c') < trace.index('end slow') < trace.index('start b')
    assert '=== lanes: every step passed' in capsys.readouterr().out


def test_a_step_that_cannot_start_fails_and_the_run_ends(tmp_path, monkeypatch, capsys):
    """No molecule on PATH: the step fails (it does not hang the runner) and nothing after it starts."""
    monkeypatch.setenv('PATH', str(tmp_path))
    assert lanes.main(['--logs', str(tmp_path), '--jobs', '2', 'a', 'b<a']) == 1
    out = capsys.readouterr().out
    assert '=== a could not run:' in out and 'b                not run' in out


def test_one_job_runs_the_steps_in_the_list_order(tmp_path, monkeypatch, capsys):
    fake_tools(tmp_path, monkeypatch, TOOL)
    assert lanes.main(['--logs', str(tmp_path), 'c', 'a', 'b<a']) == 0
    assert (tmp_path / 'trace').read_text().split() == ['start', 'c', 'end', 'c', 'start', 'a', 'end', 'a',
                                                        'start', 'b', 'end', 'b']


@pytest.mark.parametrize('step, argv, log', [
    ('sysv', ['molecule', 'test', '-s', 'sysv'], 'molecule-sysv.log'),
    ('make:unit', ['make', '--no-print-directory', 'unit'], 'make-unit.log'),
])
def test_command(step, argv, log):
    assert lanes.command(step) == (argv, log)


def test_make_steps_run_make_and_a_failed_one_stops_the_run(tmp_path, monkeypatch, capsys):
    fake_tools(tmp_path, monkeypatch, TOOL.replace('step=$3', 'step=$2; [ "$1" = --no-print-directory ] || exit 9'))

    assert lanes.main(['--logs', str(tmp_path), '--jobs', '2', 'make:bad-unit', 'make:slow-lint', 'make:sanity<make:bad-unit',
                       'default']) == 1

    out = capsys.readouterr().out
    assert (tmp_path / 'make-slow-lint.log').read_text() == 'log of slow-lint\n'
    assert '=== make --no-print-directory bad-unit FAILED (rc 3)' in out
    assert 'make:sanity      not run' in out and 'default          not run' in out
