# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Compile job control, roles/build/files/compile-{start,wait,stop}.sh, run directly with bash on a
temporary build root: a compile runs its build.sh and leaves its log and exit status, a queued compile waits
for the one ahead, the wait notices a killed compile and a timeout, and the stop ends a compile's whole
process group and nothing else."""

from __future__ import annotations

import base64
import io
import os
import resource
import subprocess
import tarfile
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


def wait(root, name, timeout=30, grace=120, interval=None):
    extra = [] if interval is None else [str(interval)]
    return subprocess.run(['bash', script('compile-wait.sh'), str(root), name, str(timeout), str(grace)] + extra,
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
    assert result.stdout == 'status: 0\n'
    assert read(root, 'tini', 'status') == '0'


def test_wait_marks_a_compile_killed_without_a_status(root):
    build(root, 'runc', 'sleep 60')
    job = start(root, 'runc')
    time.sleep(0.5)
    os.killpg(job.pid, 9)
    job.wait(timeout=10)
    assert wait(root, 'runc').stdout == 'status: killed\n'
    assert read(root, 'runc', 'status') == 'killed'


def test_wait_gives_up_after_the_timeout_without_a_status(root):
    build(root, 'runc', 'sleep 30')
    job = start(root, 'runc')
    try:
        began = time.time()
        result = wait(root, 'runc', timeout=2)
        assert result.returncode == 0 and result.stdout == 'status: \n'
        assert time.time() - began < 15
        assert read(root, 'runc', 'status') is None
    finally:
        os.killpg(job.pid, 9)
        job.wait(timeout=10)


def test_wait_marks_a_compile_that_never_started_after_the_grace(root):
    assert wait(root, 'proxy', grace=1).returncode == 0
    assert read(root, 'proxy', 'status') == 'killed'


def test_wait_with_an_interval_reports_the_running_compile_and_its_last_log_line(root):
    # A real job that writes its log over a few seconds: each interval wait returns while it runs, saying
    # for how long it has compiled and the last line of its log; the last one returns with its status.
    build(root, 'dockerd', 'for i in 1 2 3 4 5 6; do echo "step $i of 6"; sleep 1; done')
    job = start(root, 'dockerd')
    try:
        reports, began = [], time.time()
        while time.time() - began < 30:
            result = wait(root, 'dockerd', interval=2)
            assert result.returncode == 0
            if result.stdout == 'status: 0\n':
                break
            reports.append(result.stdout.strip())
        assert read(root, 'dockerd', 'status') == '0'
        assert len(reports) >= 2, reports
        log = str(root / 'logs' / 'dockerd.log')
        for report in reports:
            assert report.startswith('dockerd: compiling for 0m0'), report
            assert ', log %s; last line: step ' % log in report, report
        assert reports[0] != reports[-1]
    finally:
        job.wait(timeout=10)


def test_wait_with_an_interval_reports_a_queued_compile_then_returns_on_its_status(root):
    build(root, 'containerd', 'sleep 4')
    build(root, 'runc', 'printf "compiling runc\\r50%%\\r100%%\\n\\n"')
    first, second = start(root, 'containerd'), start(root, 'runc', 'containerd')
    try:
        time.sleep(1)
        queued = wait(root, 'runc', interval=1)
        assert queued.returncode == 0
        assert queued.stdout.startswith('runc: queued behind the compile ahead of it for 0m0'), queued.stdout
        while True:
            result = wait(root, 'runc', interval=1)
            if result.stdout.startswith('status:'):
                break
        assert read(root, 'runc', 'status') == '0'
        # The last line as a terminal shows it: after its last carriage return, empty lines skipped.
        build(root, 'tini', 'printf "compiling tini\\r50%%\\r100%%\\n\\n"; sleep 6')
        job = start(root, 'tini')
        time.sleep(1.5)
        assert wait(root, 'tini', interval=1).stdout.strip().endswith('; last line: 100%')
        job.wait(timeout=10)
    finally:
        first.wait(timeout=10)
        second.wait(timeout=10)


def test_interval_waits_share_the_timeout_and_the_grace(root):
    build(root, 'runc', 'sleep 20')
    job = start(root, 'runc')
    try:
        # The timeout counts from when the compile began, not from each call: the fourth 1 s call is past 3 s.
        began = time.time()
        outputs = [wait(root, 'runc', timeout=3, interval=1).stdout for _attempt in range(6)]
        assert time.time() - began < 10
        assert outputs[0].startswith('runc: compiling for ') and 'status: \n' in outputs
        assert read(root, 'runc', 'status') is None
    finally:
        subprocess.run(['bash', script('compile-stop.sh'), str(root), 'runc'], capture_output=True, check=False)
        job.wait(timeout=15)
    # No pid file: interval calls add up to the grace, then the compile counts as killed.
    outputs = [wait(root, 'proxy', grace=2, interval=1).stdout for _attempt in range(4)]
    assert read(root, 'proxy', 'status') == 'killed', outputs


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_a_wait_and_a_queued_compile_take_next_to_no_cpu(root):
    # The waits sleep in tail --pid and read their files with builtins: over 3 s, a wait and a compile queued
    # behind another use a few hundredths of a CPU second (a poll with grep, cat and date five times a second
    # used about 0.20 s).
    build(root, 'dockerd', 'sleep 4')
    build(root, 'cli', 'true')
    first = start(root, 'dockerd')
    time.sleep(0.5)
    before = children_cpu()
    second = start(root, 'cli', 'dockerd')
    result = wait(root, 'dockerd', interval=3)
    assert result.stdout.startswith('dockerd: compiling for 0m0'), result.stdout
    first.wait(timeout=30)
    second.wait(timeout=30)
    used = children_cpu() - before
    assert read(root, 'cli', 'status') == '0'
    assert used < 0.12, 'a 3 s wait and a queued compile used %.3f s of CPU' % used


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
    # Nothing of the group runs; a zombie that init has not reaped yet ran its course.
    table = subprocess.run(['ps', '-e', '-o', 'pgid=,stat=,pid=,args='], capture_output=True, text=True, check=True)
    running = [line for line in table.stdout.splitlines() if line.split()[0] == str(job.pid) and not line.split()[1].startswith('Z')]
    assert running == []


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


PATCH = """--- a/file.txt
+++ b/file.txt
@@ -1 +1 @@
-pristine
+patched
"""


def prepared_root(root, patch=PATCH, script='cat "$(dirname "$0")/src/file.txt"'):
    """A build root with the scripts under libexec and a pristine source; returns the inputs the role sends on
    the standard input of compile-prepare.sh (base64 of a gzip tar of build.sh and patches/)."""
    (root / 'libexec').mkdir()
    for name in os.listdir(FILES):
        if name.endswith('.sh'):
            (root / 'libexec' / name).symlink_to(os.path.join(FILES, name))
    (root / 'src' / 'tree').mkdir(parents=True)
    (root / 'src' / 'tree' / 'file.txt').write_text('pristine\n')
    members = {'build.sh': 'set -e\n' + script + '\n'}
    if patch:
        members['patches/001-fix.patch'] = patch
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as tar:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return base64.b64encode(buf.getvalue()).decode() + '\n'


def prepare(root, inputs, limit=60, ahead=''):
    return subprocess.run(['bash', script('compile-prepare.sh'), str(root), 'runc', str(root / 'src'), '.', str(limit), ahead],
                          input=inputs, capture_output=True, text=True, timeout=60, check=False)


def test_prepare_makes_a_fresh_patched_tree_and_starts_its_compile(root):
    inputs = prepared_root(root)
    (root / 'trees' / 'runc' / 'src').mkdir(parents=True)
    (root / 'trees' / 'runc' / 'src' / 'stale.o').write_text('left by the last compile')
    for suffix in ('status', 'began', 'waited'):
        (root / 'logs' / ('runc.' + suffix)).write_text('1\n')
    result = prepare(root, inputs)
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'applied 001-fix.patch\n'
    assert wait(root, 'runc').stdout == 'status: 0\n'
    assert read(root, 'runc', 'log') == 'patched'
    assert not (root / 'trees' / 'runc' / 'src' / 'stale.o').exists()
    assert (root / 'src' / 'tree' / 'file.txt').read_text() == 'pristine\n'


def test_prepare_starts_nothing_when_a_patch_does_not_apply(root):
    inputs = prepared_root(root, patch=PATCH.replace('-pristine', '-something else'))
    (root / 'logs' / 'runc.status').write_text('0\n')
    result = prepare(root, inputs)
    assert result.returncode == 1
    assert 'patch 001-fix.patch does not apply to runc' in result.stdout
    time.sleep(0.5)
    # The last compile's record stays and no compile started.
    assert read(root, 'runc', 'status') == '0' and read(root, 'runc', 'pid') is None


def test_prepare_stops_a_compile_an_earlier_run_left_running(root):
    inputs = prepared_root(root)
    build(root, 'runc', 'sleep 60')
    job = start(root, 'runc')
    time.sleep(0.5)
    result = prepare(root, inputs)
    assert result.stdout.startswith('stopped the compile of runc (process group %d)' % job.pid), result.stdout
    job.wait(timeout=10)
    assert wait(root, 'runc').stdout == 'status: 0\n'
    assert read(root, 'runc', 'log') == 'patched'


def test_prepare_kills_a_compile_past_its_limit(root):
    inputs = prepared_root(root, patch=None, script='echo started; sleep 30 & sleep 30')
    began = time.time()
    assert prepare(root, inputs, limit=2).returncode == 0
    assert wait(root, 'runc').stdout == 'status: killed\n'
    assert time.time() - began < 15
    # Nothing of the compile runs on (the timeout signalled its whole process group).
    time.sleep(0.5)
    table = subprocess.run(['ps', '-e', '-o', 'args='], capture_output=True, text=True, check=True).stdout
    assert str(root) not in table


@pytest.mark.parametrize('name', sorted(f for f in os.listdir(FILES) if f.endswith('.sh')))
def test_the_scripts_are_shellcheck_clean(name):
    shellcheck = subprocess.run(['sh', '-c', 'command -v shellcheck'], capture_output=True, text=True, check=False).stdout.strip()
    if not shellcheck:
        pytest.skip('shellcheck is not installed (make lint installs it)')
    result = subprocess.run([shellcheck, os.path.join(FILES, name)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
