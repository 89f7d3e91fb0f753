# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/daemon/files/host-probe.sh, run directly under dash and bash on this machine: the cgroup paths that exist,
the accounts that do not, the group's line, iptables only when asked, bad usage refused, and its text usable as a
raw command."""

from __future__ import annotations

import grp
import os
import subprocess

import pytest

from ansible.parsing.splitter import split_args

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO_ROOT, 'roles', 'daemon', 'files', 'host-probe.sh')
CGROUP_PATHS = ['/sys/fs/cgroup', '/proc/cgroups', '/sys/fs/cgroup/cgroup.controllers', '/sys/fs/cgroup/memory/tasks',
                '/sys/fs/cgroup/devices/tasks']


def run(shell, *args, path=None):
    env = dict(os.environ, PATH=path) if path else None
    return subprocess.run([shell, SCRIPT, *args], capture_output=True, text=True, check=False, env=env)


@pytest.mark.parametrize('shell', ['dash', 'bash'])
def test_what_the_host_has(shell):
    out = run(shell, 'root', 'skip', 'root', 'sb-no-such-account')
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    want = [p for p in CGROUP_PATHS if (os.path.isdir(p) if p == '/sys/fs/cgroup' else os.path.exists(p))]
    assert [line[len('cgroup '):] for line in lines if line.startswith('cgroup ')] == want
    assert [line for line in lines if line.startswith('missing ')] == ['missing sb-no-such-account']
    root = grp.getgrnam('root')
    assert 'group root:x:%d:%s' % (root.gr_gid, ','.join(root.gr_mem)) in lines
    assert not [line for line in lines if line.startswith('iptables ')]


def test_a_group_that_does_not_exist_is_a_dash():
    assert 'group -' in run('dash', 'sb-no-such-group', 'skip').stdout.splitlines()


def test_iptables_is_probed_only_when_asked(tmp_path):
    fake = tmp_path / 'iptables'
    fake.write_text('#!/bin/sh\necho "iptables v1.8.9 (nf_tables)"\necho second line\n')
    fake.chmod(0o755)
    path = '%s:/usr/bin:/bin' % tmp_path
    assert 'iptables iptables v1.8.9 (nf_tables)' in run('dash', 'root', 'probe', path=path).stdout.splitlines()
    fake.write_text('#!/bin/sh\nexit 1\n')
    assert 'iptables missing' in run('dash', 'root', 'probe', path=path).stdout.splitlines()


def test_bad_usage_is_refused():
    out = run('dash', 'root')
    assert out.returncode == 2 and 'usage' in out.stderr


def test_usable_as_raw_text():
    with open(SCRIPT, encoding='utf-8') as f:
        assert split_args('set -- docker probe root\n' + f.read())
