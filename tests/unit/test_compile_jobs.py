# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Compile job control, roles/build/files/compile-{start,wait,stop}.sh, run directly with bash on a
temporary build root: a compile runs its build.sh and leaves its log and exit status, a queued compile waits
for the one ahead, the wait notices a killed compile and a timeout, and the stop ends a compile's whole
process group and nothing else."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FILES = os.path.join(REPO_ROOT, 'roles', 'build', 'files')


def script(name):
    return os.path.join(FILES, name)


@pytest.fixture
def root(tmp_path):
    (tmp_path / 'logs').mkdir()
    return tmp_path


def build(root, name, body):
    tree = root / 'trees' / name
    tree.mkdir(parents=True)
    (tree / 'build.sh').write_text('set -e\n' + body + '\n')


def start(root, name, ahead=''):
    """compile-start.sh in its own session, as Ansible's async wrapper runs it."""
    return subprocess.Popen(['bash', script('compile-start.sh'), str(root), name, ahead], start_new_session=True)


def read(root, name, suffix):
    path = root / 'logs' / ('%s.%s' % (name, suffix))
    return path.read_text().strip() if path.exists() else None


def wait(root, name, timeout=30, grace=120):
    return subprocess.run(['bash', script('compile-wait.sh'), str(root), name, str(timeout), str(grace)],
                          capture_output=True, text=True, timeout=60, check=False)


def test_a_compile_leaves_its_log_pid_and_exit_status(root):
    build(root, 'tini', 'echo compiling tini')
    start(root, 'tini').wait(timeout=30)
    assert read(root, 'tini', 'status') == '0'
    assert read(root, 'tini', 'log') == 'compiling tini'
    assert read(root, 'tini', 'pid').isdigit()


def test_a_failed_compile_leaves_its_exit_status(root):
    build(root, 'runc', 'echo broken >&2; exit 3')
    start(root, 'runc').wait(timeout=30)
    assert read(root, 'runc', 'status') == '3'
    assert read(root, 'runc', 'log') == 'broken'


def test_a_queued_compile_waits_for_the_one_ahead(root):
    build(root, 'dockerd', 'sleep 2; date +%s%N')
    build(root, 'cli', 'date +%s%N')
    first = start(root, 'dockerd')
    time.sleep(0.5)
    second = start(root, 'cli', 'dockerd')
    first.wait(timeout=30)
    second.wait(timeout=30)
    assert int(read(root, 'cli', 'log')) >= int(read(root, 'dockerd', 'log'))


def test_wait_returns_on_the_exit_status(root):
    build(root, 'tini', 'sleep 1')
    start(root, 'tini')
    result = wait(root, 'tini')
    assert result.returncode == 0
    assert read(root, 'tini', 'status') == '0'


def test_wait_marks_a_compile_killed_without_a_status(root):
    build(root, 'runc', 'sleep 60')
    job = start(root, 'runc')
    time.sleep(0.5)
    os.killpg(job.pid, 9)
    job.wait(timeout=10)
    assert wait(root, 'runc').returncode == 0
    assert read(root, 'runc', 'status') == 'killed'


def test_wait_gives_up_after_the_timeout_without_a_status(root):
    build(root, 'runc', 'sleep 30')
    job = start(root, 'runc')
    try:
        began = time.time()
        assert wait(root, 'runc', timeout=2).returncode == 0
        assert time.time() - began < 15
        assert read(root, 'runc', 'status') is None
    finally:
        os.killpg(job.pid, 9)
        job.wait(timeout=10)


def test_wait_marks_a_compile_that_never_started_after_the_grace(root):
    assert wait(root, 'proxy', grace=1).returncode == 0
    assert read(root, 'proxy', 'status') == 'killed'


def test_stop_ends_the_whole_compile_and_says_so(root):
    build(root, 'containerd', 'sleep 60 & sleep 60')
    job = start(root, 'containerd')
    time.sleep(0.5)
    result = subprocess.run(['bash', script('compile-stop.sh'), str(root), 'containerd', 'runc'],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith('stopped the compile of containerd (process group %d)' % job.pid)
    assert 'runc' not in result.stdout
    job.wait(timeout=10)
    group = subprocess.run(['pgrep', '-g', str(job.pid)], capture_output=True, text=True, check=False)
    assert group.stdout == ''


def test_stop_leaves_alone_a_process_that_reused_the_pid(root):
    other = subprocess.Popen(['sleep', '30'], start_new_session=True)
    try:
        (root / 'logs' / 'runc.pid').write_text('%d\n' % other.pid)
        result = subprocess.run(['bash', script('compile-stop.sh'), str(root), 'runc'],
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0 and result.stdout == ''
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_stop_leaves_alone_the_compile_of_another_build_root(root, tmp_path_factory):
    other_root = tmp_path_factory.mktemp('other-root')
    (other_root / 'logs').mkdir()
    build(other_root, 'runc', 'sleep 30')
    job = start(other_root, 'runc')
    try:
        time.sleep(0.5)
        (root / 'logs' / 'runc.pid').write_text(read(other_root, 'runc', 'pid'))
        result = subprocess.run(['bash', script('compile-stop.sh'), str(root), 'runc'],
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.stdout == '' and job.poll() is None
    finally:
        os.killpg(job.pid, 9)
        job.wait(timeout=10)


@pytest.mark.parametrize('name', sorted(f for f in os.listdir(FILES) if f.endswith('.sh')))
def test_the_scripts_are_shellcheck_clean(name):
    shellcheck = subprocess.run(['sh', '-c', 'command -v shellcheck'], capture_output=True, text=True, check=False).stdout.strip()
    if not shellcheck:
        pytest.skip('shellcheck is not installed (make lint installs it)')
    result = subprocess.run([shellcheck, os.path.join(FILES, name)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
