# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/harness/lanes.py, the runner of `make test`'s molecule phases: the plan it reads, and a run
where a scenario fails (its lane stops, the other lane ends, no later phase starts, the summary
and the failed log's end come last), and `make:STAGE` steps. `molecule` and `make` here are shell
scripts on PATH that pass or fail by the step's name: the unit under test is the runner."""

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


@pytest.mark.parametrize('phases, plan', [
    (['default'], [[['default']]]),
    (['default | preflight', 'sysv faults-build | fleet'],
     [[['default'], ['preflight']], [['sysv', 'faults-build'], ['fleet']]]),
    (['a  b', ' | c |'], [[['a', 'b']], [['c']]]),
])
def test_plan(phases, plan):
    assert lanes.parse_plan(phases) == plan


def test_the_makefile_plan_names_every_scenario() -> None:
    """MOLECULE_PHASES names each scenario under molecule/ but upstream (it needs local clones), and no other:
    a scenario renamed or split cannot drop out of `make test` or stay in the plan under a name that is gone."""
    with open(os.path.join(REPO, 'Makefile')) as makefile:
        value = re.search(r'^MOLECULE_PHASES \?= (.*)$', makefile.read(), re.M).group(1)
    named = sorted(s for phase in lanes.parse_plan(shlex.split(value)) for lane in phase for s in lane)
    found = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(REPO, 'molecule', '*', 'molecule.yml')))
    assert named == [s for s in found if s != 'upstream']


@pytest.mark.parametrize('phases, words', [
    (['a | b', 'a'], 'step named twice in the plan: a'),
    (['|', ' '], 'the plan names no step'),
])
def test_bad_plan(phases, words):
    with pytest.raises(ValueError, match=words):
        lanes.parse_plan(phases)


def test_a_failure_stops_its_lane_and_later_phases(tmp_path, monkeypatch, capsys):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    molecule = bin_dir / 'molecule'
    molecule.write_text('#!/bin/sh\necho "log of $3"\ncase "$3" in bad) exit 3;; esac\n')
    molecule.chmod(0o755)
    monkeypatch.setenv('PATH', '%s%s%s' % (bin_dir, os.pathsep, os.environ['PATH']))

    rc = lanes.main(['--logs', str(tmp_path / 'logs'), 'bad after | good other', 'later'])

    out = capsys.readouterr().out
    assert rc == 1
    assert (tmp_path / 'logs' / 'molecule-bad.log').read_text() == 'log of bad\n'
    assert '=== molecule test -s bad FAILED (rc 3)' in out
    assert '=== molecule test -s other passed' in out
    assert 'molecule test -s after ' not in out and 'molecule test -s later ' not in out
    tail = out[out.index('=== the end of'):]
    assert 'log of bad' in tail
    assert 'phase 1  after            not run' in tail and 'phase 2  later            not run' in tail
    assert tail.rstrip().splitlines()[-1].startswith('=== lanes: FAILED in ')


def test_every_scenario_passing_returns_zero(tmp_path, monkeypatch, capsys):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    (bin_dir / 'molecule').write_text('#!/bin/sh\nexit 0\n')
    (bin_dir / 'molecule').chmod(0o755)
    monkeypatch.setenv('PATH', '%s%s%s' % (bin_dir, os.pathsep, os.environ['PATH']))
    assert lanes.main(['--logs', str(tmp_path), 'a | b', 'c']) == 0
    assert '=== lanes: every step passed' in capsys.readouterr().out


@pytest.mark.parametrize('step, argv, log', [
    ('sysv', ['molecule', 'test', '-s', 'sysv'], 'molecule-sysv.log'),
    ('make:unit', ['make', '--no-print-directory', 'unit'], 'make-unit.log'),
])
def test_command(step, argv, log):
    assert lanes.command(step) == (argv, log)


def test_make_steps_run_make_and_a_failed_one_stops_its_lane(tmp_path, monkeypatch, capsys):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    (bin_dir / 'make').write_text('#!/bin/sh\necho "make $2"\ncase "$2" in unit) exit 2;; esac\n')
    (bin_dir / 'make').chmod(0o755)
    (bin_dir / 'molecule').write_text('#!/bin/sh\nexit 0\n')
    (bin_dir / 'molecule').chmod(0o755)
    monkeypatch.setenv('PATH', '%s%s%s' % (bin_dir, os.pathsep, os.environ['PATH']))

    assert lanes.main(['--logs', str(tmp_path), 'make:unit make:sanity | make:lint', 'default']) == 1

    out = capsys.readouterr().out
    assert (tmp_path / 'make-lint.log').read_text() == 'make lint\n'
    assert '=== make --no-print-directory unit FAILED (rc 2)' in out
    assert 'phase 1  make:sanity      not run' in out and 'phase 2  default          not run' in out
