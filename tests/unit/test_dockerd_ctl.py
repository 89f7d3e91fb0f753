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


def ctl(action, *args, init='sysv', bin_dir='/nonexistent', sock='/nonexistent.sock', mode='dockerd', wait='4', env=None,
        check=False, prefix=()):
    return subprocess.run([*prefix, '/bin/sh', CTL, action, init, str(bin_dir), str(sock), mode, wait, *map(str, args)],
                          capture_output=True, text=True, check=check, env=env)


def test_health_prints_version_and_info_and_fails_when_the_api_does_not_answer(tmp_path):
    docker = tmp_path / 'docker'
    docker.write_text('#!/bin/sh\ncase "$3" in version) echo "20.10.24 20.10.24" ;; info) echo "20.10.24 overlay2 containers=1" ;; esac\n')
    docker.chmod(0o755)
    out = ctl('health', bin_dir=tmp_path, sock=tmp_path / 'docker.sock', check=True)
    assert out.stdout.splitlines() == ['docker client/server 20.10.24 20.10.24', 'info: 20.10.24 overlay2 containers=1']
    docker.write_text('#!/bin/sh\necho "Cannot connect to the Docker daemon" >&2\nexit 1\n')
    out = ctl('health', bin_dir=tmp_path, sock=tmp_path / 'docker.sock', wait='2')
    assert out.returncode == 1
    assert 'dockerd does not answer on %s after 2 s: Cannot connect' % (tmp_path / 'docker.sock') in out.stderr


def test_restore_puts_backups_back_and_removes_created_files(tmp_path):
    conf, unit, created = tmp_path / 'daemon.json', tmp_path / 'docker', tmp_path / 'proxy.conf'
    conf.write_text('new')
    (tmp_path / 'daemon.json.1.2026-12-01@16:00:00~').write_text('old')
    unit.write_text('new unit')
    (tmp_path / 'docker.1.2026-12-01@16:00:00~').write_text('old unit')
    created.write_text('made by the failed run')
    out = ctl('restore', conf, str(conf) + '.1.2026-12-01@16:00:00~', unit, str(unit) + '.1.2026-12-01@16:00:00~',
              created, '-', check=True)
    assert out.stdout.splitlines() == ['restored %s %s.1.2026-12-01@16:00:00~' % (conf, conf),
                                       'restored %s %s.1.2026-12-01@16:00:00~' % (unit, unit), 'removed %s' % created]
    assert conf.read_text() == 'old' and unit.read_text() == 'old unit' and not created.exists()
    assert ctl('restore', conf).returncode == 2


def test_restore_keep_saves_the_file_it_replaces(tmp_path):
    conf = tmp_path / 'daemon.json'
    conf.write_text('left by the release rolled back')
    backup = tmp_path / 'daemon.json.1.2026-12-01@16:00:00~'
    backup.write_text('ran with the previous release')
    words = ctl('restore', 'keep', conf, backup, check=True).stdout.split()
    assert words[:4] == ['restored', str(conf), str(backup), 'kept']
    assert conf.read_text() == 'ran with the previous release'
    assert open(words[4]).read() == 'left by the release rolled back'


def test_backups_names_the_oldest_backup_made_since_the_switch(tmp_path):
    link = tmp_path / 'current'
    link.symlink_to('releases/r2')
    switched = time.strftime('%Y-%m-%d@%H:%M:%S', time.localtime(os.lstat(link).st_mtime))
    earlier = time.strftime('%Y-%m-%d@%H:%M:%S', time.localtime(os.lstat(link).st_mtime - 3600))
    later = time.strftime('%Y-%m-%d@%H:%M:%S', time.localtime(os.lstat(link).st_mtime + 60))
    much_later = time.strftime('%Y-%m-%d@%H:%M:%S', time.localtime(os.lstat(link).st_mtime + 120))
    conf, unit, other = tmp_path / 'daemon.json', tmp_path / 'docker.service', tmp_path / 'containerd.service'
    for name in ('%s.1.%s~' % (conf, earlier), '%s.2.%s~' % (conf, much_later), '%s.3.%s~' % (conf, later),
                 '%s.4.%s~' % (unit, switched), '%s.5.%s~' % (other, earlier), '%s.6.not-a-stamp~' % other):
        open(name, 'w').close()
    out = ctl('backups', link, conf, unit, other, tmp_path / 'absent', check=True)
    assert out.stdout.splitlines() == ['%s %s.3.%s~' % (conf, conf, later), '%s %s.4.%s~' % (unit, unit, switched)]
    assert ctl('backups', tmp_path / 'no-link', conf, check=True).stdout == ''


@pytest.fixture
def isolated():
    """A command prefix that runs the script in a pid namespace of its own: `restart` stops every dockerd it
    finds in its namespace, and this machine may run one."""
    if shutil.which('unshare') is None or subprocess.run(['unshare', '-pf', '--mount-proc', 'true'], check=False).returncode != 0:
        pytest.fail('unshare -pf --mount-proc does not work here (root and util-linux needed)')
    return ('unshare', '-pf', '--mount-proc')


@pytest.mark.parametrize('words, containerd_call', [
    ((), 'start containerd.service'),
    (('containerd',), 'restart containerd.service'),
    (('socket',), 'start containerd.service'),
])
def test_systemd_restart_reloads_units_and_starts_containerd_socket_and_dockerd_in_order(tmp_path, isolated, words, containerd_call):
    fakebin, log = tmp_path / 'fakebin', tmp_path / 'calls'
    fakebin.mkdir()
    (fakebin / 'systemctl').write_text('#!/bin/sh\necho "$*" >> %s\n[ "$1 $2" = "start docker.service" ] && touch %s/up\nexit 0\n'
                                       % (log, tmp_path))
    (fakebin / 'docker').write_text('#!/bin/sh\n[ -e %s/up ]\n' % tmp_path)
    for f in ('systemctl', 'docker'):
        (fakebin / f).chmod(0o755)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / 'docker.sock'))
    env = dict(os.environ, PATH='%s:%s' % (fakebin, os.environ['PATH']))
    out = ctl('restart', *words, init='systemd', bin_dir=fakebin, sock=tmp_path / 'docker.sock', mode='service', env=env,
              prefix=isolated)
    sock.close()
    assert out.returncode == 0, out.stdout + out.stderr
    calls = [c for c in log.read_text().splitlines() if not c.startswith('reset-failed')]
    assert calls == ['daemon-reload', containerd_call, 'stop docker.service'] + (['start docker.socket'] if 'socket' in words else []) + [
        'start docker.service']
    assert out.stdout.splitlines()[-1] == 'dockerd-ctl: dockerd answers on %s' % (tmp_path / 'docker.sock')


def test_restart_fails_when_the_containerd_service_does_not_start(tmp_path, isolated):
    fakebin = tmp_path / 'fakebin'
    fakebin.mkdir()
    (fakebin / 'systemctl').write_text('#!/bin/sh\n[ "$2" = containerd.service ] && exit 1\nexit 0\n')
    (fakebin / 'systemctl').chmod(0o755)
    env = dict(os.environ, PATH='%s:%s' % (fakebin, os.environ['PATH']))
    out = ctl('restart', 'containerd', init='systemd', bin_dir=fakebin, mode='service', env=env, prefix=isolated)
    assert out.returncode == 1
    assert 'restart of the containerd service failed' in out.stdout
    assert ctl('restart', 'bogus', init='systemd', env=env, prefix=isolated).returncode == 2
