# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/build/files/prune-artifacts.sh, run directly under dash and bash on a temporary artifacts root: the newest
KEEP fingerprints of each component stay, the fingerprints of this run always stay, older ones go with their size
reported, and bad arguments are refused."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO_ROOT, 'roles', 'build', 'files', 'prune-artifacts.sh')


def artifacts(root, component, fingerprints):
    """Fingerprint dirs, each holding 8 KiB, the first the oldest (mtimes one minute apart)."""
    for age, fp in enumerate(reversed(fingerprints)):
        d = root / component / fp
        d.mkdir(parents=True)
        (d / 'bin').write_bytes(b'\0' * 8192)
        when = 1_700_000_000 - 60 * age
        os.utime(d, (when, when))


def prune(shell, root, keep, *protected):
    return subprocess.run([shell, SCRIPT, str(root), str(keep), *protected], capture_output=True, text=True, check=False)


@pytest.mark.parametrize('shell', ['dash', 'bash'])
def test_the_newest_keep_stay_and_the_older_go_with_their_size(shell, tmp_path):
    artifacts(tmp_path, 'runc', ['aa01', 'aa02', 'aa03', 'aa04'])
    artifacts(tmp_path, 'tini', ['bb01'])
    out = prune(shell, tmp_path, 2)
    assert out.returncode == 0, out.stderr
    assert sorted(os.listdir(tmp_path / 'runc')) == ['aa03', 'aa04']
    assert os.listdir(tmp_path / 'tini') == ['bb01']
    lines = out.stdout.splitlines()
    assert sorted(line.split()[1] for line in lines if line.startswith('removed ')) == ['runc/aa01', 'runc/aa02']
    assert lines[-1].startswith('freed ') and int(lines[-1].split()[1]) >= 16
    assert prune(shell, tmp_path, 2).stdout == ''


def test_the_fingerprints_of_this_run_always_stay(tmp_path):
    # A rollback rebuilt an old fingerprint: it is this run's, so it stays, and it counts among the KEEP.
    artifacts(tmp_path, 'runc', ['aa01', 'aa02', 'aa03'])
    out = prune('dash', tmp_path, 2, 'runc/aa01')
    assert out.returncode == 0, out.stderr
    assert sorted(os.listdir(tmp_path / 'runc')) == ['aa01', 'aa03']


def test_a_missing_root_is_nothing_to_do(tmp_path):
    assert prune('dash', tmp_path / 'none', 3).returncode == 0


@pytest.mark.parametrize('keep', ['0', 'x', ''])
def test_bad_keep_is_refused(tmp_path, keep):
    out = prune('dash', tmp_path, keep)
    assert out.returncode == 2 and 'KEEP must' in out.stderr


def test_shellcheck_is_clean():
    if shutil.which('shellcheck') is None:
        pytest.fail('shellcheck is missing: make unit installs it')
    subprocess.run(['shellcheck', SCRIPT], check=True)
