# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The legacy path's shell files: shellcheck-clean as POSIX sh, and the target probe read by the target_path filter.

shellcheck is installed by ``tests/harness/harness.py host-tools`` when it is missing (these tests call it first);
a machine where it cannot be installed fails here rather than skipping."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ansible.parsing.splitter import split_args

from ansible_collections.sourcebuilt.docker.plugins.filter import target_path as target_path_plugin

target_path = target_path_plugin.FilterModule().filters()['target_path']

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHELL_FILES = [
    'roles/daemon/files/preflight.sh',
    'playbooks/files/target_probe.sh',
    'playbooks/files/sha256_helper_fetch.sh',
]
PROBE = os.path.join(REPO, 'playbooks', 'files', 'target_probe.sh')


@pytest.fixture(scope='module')
def shellcheck():
    if not shutil.which('shellcheck'):
        subprocess.run([sys.executable, os.path.join(REPO, 'tests', 'harness', 'harness.py'), 'host-tools'], check=True)
    path = shutil.which('shellcheck')
    assert path, 'shellcheck is missing and tests/harness/harness.py host-tools could not install it'
    return path


@pytest.mark.parametrize('rel', SHELL_FILES)
def test_shellcheck_posix_sh(shellcheck, rel):
    proc = subprocess.run([shellcheck, '--shell=sh', '--severity=style', os.path.join(REPO, rel)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize('rel', ['playbooks/files/target_probe.sh', 'roles/daemon/files/preflight.sh',
                                 'roles/daemon/files/engine-probe.sh', 'roles/daemon/files/dockerd-ctl.sh'])
def test_usable_as_raw_text(rel):
    """Each goes to hosts as the text of a raw command; ansible splits free-form text first and refuses unbalanced
    quotes (an apostrophe in a comment is enough)."""
    with open(os.path.join(REPO, rel), encoding='utf-8') as f:
        text = f.read()
    assert split_args(text)
    assert split_args(f'set -- --iptables auto\n{text}')


def fake_bin(tmp_path, pythons):
    """A PATH directory with the tools the probe runs and fake interpreters that print their version."""
    bindir = tmp_path / 'bin'
    bindir.mkdir()
    for tool in ('uname', 'readlink', 'cat', 'sed', 'head', 'tar', 'gzip'):
        os.symlink(shutil.which(tool), bindir / tool)
    for name, version_line in pythons.items():
        script = bindir / name
        script.write_text(f'#!/bin/sh\necho "{version_line}" >&2\n' if version_line else '#!/bin/sh\nexit 127\n')
        script.chmod(0o755)
    return bindir


@pytest.mark.parametrize('pythons, path, interpreter, versions', [
    ({}, 'shell', None, []),
    # CentOS 7: python 2.7 prints its version on stderr; 3.6 is below the floor
    ({'python': 'Python 2.7.5', 'python2': 'Python 2.7.5', 'python3': 'Python 3.6.8'}, 'shell', None,
     [('python3', '3.6.8'), ('python', '2.7.5'), ('python2', '2.7.5')]),
    ({'python3': 'Python 3.11.2', 'python3.11': 'Python 3.11.2'}, 'modules', 'python3.11',
     [('python3.11', '3.11.2'), ('python3', '3.11.2')]),
    # a shim that does not run is listed without a version and never chosen
    ({'python3.13': '', 'python3': 'Python 3.9.2'}, 'modules', 'python3', [('python3.13', None), ('python3', '3.9.2')]),
])
def test_probe_to_decision(tmp_path, pythons, path, interpreter, versions):
    bindir = fake_bin(tmp_path, pythons)
    # The probe appends the system dirs to PATH; run it where those dirs hold no python (dash's own PATH is ours).
    proc = subprocess.run(['/bin/sh', PROBE], capture_output=True, text=True, check=True,
                          env={'PATH': str(bindir)})
    assert proc.stderr == ''
    probed = [line for line in proc.stdout.splitlines() if line.startswith('python ')
              and line.split()[1].startswith(str(bindir))]
    result = target_path(['probe 1'] + [ln for ln in proc.stdout.splitlines()[1:] if not ln.startswith('python ')] + probed)
    assert [(os.path.basename(p['path']), p['version']) for p in result['pythons']] == versions
    assert result['path'] == path
    assert result['interpreter'] == (str(bindir / interpreter) if interpreter else None)
    assert result['tools']['tar'] == str(bindir / 'tar')
    assert result['kernel'] == os.uname().release


def test_probe_lines():
    proc = subprocess.run(['/bin/sh', PROBE], capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    assert lines[0] == 'probe 1'
    assert [ln.split()[0] for ln in lines[1:6]] == ['kernel', 'machine', 'family', 'init', 'systemd']
    assert {ln.split()[0] for ln in lines[6:]} <= {'os-pretty', 'os-codename', 'python', 'tool'}
    result = target_path(proc.stdout)
    assert result['machine'] == os.uname().machine
    assert result['os_family'] in ('Debian', 'RedHat', 'other')
    # The release as setup reads it on Debian, here from this machine's own /etc/os-release.
    os_release = dict(ln.split('=', 1) for ln in Path('/etc/os-release').read_text().splitlines() if '=' in ln)
    pretty = re.search(r'\(([^)]+)\)', os_release.get('PRETTY_NAME', ''))
    assert result['release'] == (pretty.group(1) if pretty else os_release.get('VERSION_CODENAME', '').strip('"') or None)
    tools = [ln.split()[1] for ln in lines if ln.startswith('tool ')]
    for needed in ('sh', 'tar', 'gzip', 'sha256sum', 'systemctl', 'chkconfig', 'update-rc.d'):
        assert needed in tools
