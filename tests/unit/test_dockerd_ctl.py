# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/daemon/files/dockerd-ctl.sh, run directly: `state` against a stand-in dockerd (a copy of sleep,
so its process is named dockerd) with a pidfile that is right, stale or lost, an installed binary that
is or is not the one running, configuration written after the start, and a socket that is missing or
does not answer. The restart itself runs for real in the faults-restart and sysv scenarios."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CTL = os.path.join(REPO_ROOT, 'roles', 'daemon', 'files', 'dockerd-ctl.sh')


@pytest.fixture
def fake(tmp_path):
    """A running process named dockerd, its pidfile, a bin dir whose dockerd is that binary, and a docker
    client that answers when the socket exists."""
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    shutil.copy(shutil.which('sleep'), bin_dir / 'dockerd')
    (bin_dir / 'docker').write_text('#!/bin/sh\nexit 0\n')
    (bin_dir / 'docker').chmod(0o755)
    proc = subprocess.Popen([str(bin_dir / 'dockerd'), '300'])
    pidfile = tmp_path / 'docker.pid'
    pidfile.write_text('%d\n' % proc.pid)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / 'docker.sock'))
    time.sleep(0.2)
    yield {'bin': bin_dir, 'pid': proc.pid, 'pidfile': pidfile, 'socket': tmp_path / 'docker.sock', 'tmp': tmp_path}
    proc.kill()
    proc.wait()
    sock.close()


def state(fake, *files):
    out = subprocess.run(['/bin/sh', CTL, 'state', 'sysv', str(fake['bin']), str(fake['socket']), 'service', '5',
                          str(fake['pidfile']), *map(str, files)], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_shellcheck_is_clean():
    if shutil.which('shellcheck') is None:
        pytest.fail('shellcheck is missing: make unit installs it')
    subprocess.run(['shellcheck', CTL], check=True)


def test_up_to_date_dockerd_is_running_and_healthy(fake):
    assert state(fake) == ['running %d' % fake['pid']]


def test_lost_pidfile_still_finds_the_running_dockerd(fake):
    fake['pidfile'].unlink()
    lines = state(fake)
    # Found by name in this pid namespace: this one, or another dockerd that runs on the machine first.
    assert lines[0].startswith('running ')


def test_other_installed_dockerd_is_drift(fake):
    (fake['bin'] / 'dockerd').unlink()
    shutil.copy(shutil.which('true'), fake['bin'] / 'dockerd')
    lines = state(fake)
    assert lines[0] == 'running %d' % fake['pid']
    assert lines[1].startswith('drift dockerd runs ') and lines[1].endswith('not the installed %s' % (fake['bin'] / 'dockerd'))


def test_configuration_written_after_the_start_is_drift(fake):
    conf = fake['tmp'] / 'daemon.json'
    conf.write_text('{}')
    os.utime(conf, (time.time() + 10, time.time() + 10))
    assert state(fake, conf, fake['tmp'] / 'absent.json')[1:] == ['drift %s changed after dockerd started' % conf]


def test_missing_or_silent_socket_is_unhealthy(fake):
    (fake['bin'] / 'docker').write_text('#!/bin/sh\nexit 1\n')
    assert state(fake)[1:] == ['unhealthy dockerd (pid %d) runs but does not answer on %s' % (fake['pid'], fake['socket'])]
    fake['socket'].unlink()
    assert state(fake)[1:] == ['unhealthy dockerd (pid %d) runs but %s is missing' % (fake['pid'], fake['socket'])]


def test_systemd_state_says_which_units_start_at_boot(tmp_path):
    """Under systemd, `state` first lists each unit's state at boot: the role enables only those that differ."""
    fakebin = tmp_path / 'fakebin'
    fakebin.mkdir()
    (fakebin / 'systemctl').write_text(
        '#!/bin/sh\ncase "$1 $2" in\n'
        '"is-enabled docker.service") echo enabled ;;\n'
        '"is-enabled docker.socket") echo disabled; exit 1 ;;\n'
        '"is-enabled containerd.service") exit 4 ;;\n'
        '"show -p") echo 0 ;;\n*) exit 3 ;;\nesac\n')
    (fakebin / 'systemctl').chmod(0o755)
    env = dict(os.environ, PATH='%s:%s' % (fakebin, os.environ['PATH']))
    out = subprocess.run(['/bin/sh', CTL, 'state', 'systemd', str(tmp_path), str(tmp_path / 'docker.sock'), 'service', '5',
                          str(tmp_path / 'docker.pid')], capture_output=True, text=True, check=True, env=env)
    lines = out.stdout.splitlines()
    assert lines[:3] == ['boot containerd.service ', 'boot docker.socket disabled', 'boot docker.service enabled']
