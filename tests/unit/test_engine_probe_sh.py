# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/daemon/files/engine-probe.sh against fake /proc, /lib and /etc trees (--root) and fake dpkg-query and rpm
on PATH, under dash and bash --posix; its output read back with the foreign_engine filter. Also: it is read-only
(the fake tree is byte-for-byte the same afterwards) and shellcheck clean."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from ansible_collections.sourcebuilt.docker.plugins.filter import foreign_engine as engine_plugin

foreign_engine = engine_plugin.FilterModule().filters()['foreign_engine']

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, 'roles', 'daemon', 'files', 'engine-probe.sh')
SHELLS = [shell for shell in (['dash'], ['bash', '--posix']) if shutil.which(shell[0])]
OURS = '# Ansible managed\n[Unit]\nDescription=Docker Application Container Engine (sourcebuilt.docker)\n'
PACKAGED = '[Unit]\nDescription=Docker Application Container Engine\n'

# dpkg-query -W prints "ii  name version" for installed packages, "un ..." for known but absent ones.
DPKG = '''#!/bin/sh
for p in "$@"; do
  case $p in
    docker.io) echo "ii  docker.io 20.10.24+dfsg1-1+deb12u1+b6" ;;
    containerd) echo "hi  containerd 1.6.20~ds1-1+deb12u3" ;;
    runc) echo "rc  runc 1.1.5+ds1-1" ;;
    docker-ce) echo "un  docker-ce " ;;
  esac
done
exit 1
'''
RPM = '''#!/bin/sh
eval "name=\\${$#}"
case $name in
  moby-engine) printf '%s' 20.10.23-1.fc38 ;;
  *) echo "package $name is not installed"; exit 1 ;;
esac
'''


def tree(tmp_path, files=(), procs=(), tools=None):
    root = tmp_path / 'root'
    (root / 'proc').mkdir(parents=True)
    for rel, content in dict(files).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    for pid, exe in procs:
        (root / 'proc' / str(pid)).mkdir()
        os.symlink(exe, root / 'proc' / str(pid) / 'exe')
    bindir = tmp_path / 'bin'
    bindir.mkdir()
    for name in ('sh', 'grep', 'readlink', 'cat'):
        os.symlink(shutil.which(name), bindir / name)
    for name, body in (tools or {}).items():
        (bindir / name).write_text(body)
        (bindir / name).chmod(0o755)
    return root, bindir


def probe(shell, root, bindir, *args):
    run = subprocess.run([shutil.which(shell[0]), *shell[1:], SCRIPT, '--root', str(root), *args], capture_output=True, text=True,
                         env={'PATH': str(bindir), 'LC_ALL': 'C'}, check=False)
    return run


def snapshot(root):
    return sorted((str(p), p.is_symlink() and os.readlink(p) or (p.is_file() and p.read_bytes()))
                  for p in root.rglob('*'))


@pytest.mark.parametrize('shell', SHELLS, ids=lambda s: s[0])
def test_debian_docker_io_found(shell, tmp_path):
    root, bindir = tree(tmp_path, files={
        'lib/systemd/system/docker.service': PACKAGED,
        'lib/systemd/system/docker.socket': PACKAGED,
        'etc/init.d/docker': '#!/bin/sh\n# docker from the package\n',
    }, procs=[(812, '/usr/sbin/dockerd'), (820, '/usr/bin/containerd'), (900, '/usr/bin/sleep'),
              (901, '/usr/bin/docker')], tools={'dpkg-query': DPKG})
    before = snapshot(root)
    run = probe(shell, root, bindir)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        'package docker.io 20.10.24+dfsg1-1+deb12u1+b6',
        'package containerd 1.6.20~ds1-1+deb12u3',  # held (hi) counts; rc (config files only) and un do not
        'unit docker.service /lib/systemd/system/docker.service',
        'unit docker.socket /lib/systemd/system/docker.socket',
        'sysv docker /etc/init.d/docker',
        'process dockerd 812 /usr/sbin/dockerd',
        'process containerd 820 /usr/bin/containerd',
        'end 7',
    ]
    assert snapshot(root) == before
    decision = foreign_engine(run.stdout, False, 'h')
    assert decision['stop'] and len(decision['findings']) == 7


@pytest.mark.parametrize('shell', SHELLS, ids=lambda s: s[0])
def test_redhat_moby_found(shell, tmp_path):
    root, bindir = tree(tmp_path, files={'usr/lib/systemd/system/docker.service': PACKAGED,
                                         'usr/lib/systemd/system/containerd.service': PACKAGED},
                        tools={'rpm': RPM})
    run = probe(shell, root, bindir)
    assert run.stdout.splitlines() == [
        'package moby-engine 20.10.23-1.fc38',
        'unit docker.service /usr/lib/systemd/system/docker.service',
        'unit containerd.service /usr/lib/systemd/system/containerd.service',
        'end 3',
    ]


@pytest.mark.parametrize('shell', SHELLS, ids=lambda s: s[0])
def test_collection_own_install_is_not_foreign(shell, tmp_path):
    root, bindir = tree(tmp_path, files={
        'etc/systemd/system/docker.service': OURS,
        'etc/systemd/system/containerd.service': OURS,
        'etc/init.d/docker': '#!/bin/sh\n# docker (built from source by sourcebuilt.docker)\n',
    }, procs=[(10, '/opt/sourcebuilt-docker/releases/abc/bin/dockerd'),
              (11, '/opt/sourcebuilt-docker/releases/old/bin/containerd (deleted)'),
              (12, '/srv/sb/releases/x/bin/dockerd')], tools={'dpkg-query': '#!/bin/sh\nexit 1\n'})
    run = probe(shell, root, bindir)
    assert run.stdout.splitlines() == ['process dockerd 12 /srv/sb/releases/x/bin/dockerd', 'end 1']
    run = probe(shell, root, bindir, '--prefix', '/srv/sb/')
    assert run.stdout.splitlines() == ['process dockerd 10 /opt/sourcebuilt-docker/releases/abc/bin/dockerd',
                                       'process containerd 11 /opt/sourcebuilt-docker/releases/old/bin/containerd',
                                       'end 2']


@pytest.mark.parametrize('shell', SHELLS, ids=lambda s: s[0])
def test_a_hand_written_unit_in_etc_and_a_static_dockerd(shell, tmp_path):
    root, bindir = tree(tmp_path, files={'etc/systemd/system/docker.service': PACKAGED},
                        procs=[(5, '/usr/local/bin/dockerd')])
    run = probe(shell, root, bindir)
    assert run.stdout.splitlines() == ['unit docker.service /etc/systemd/system/docker.service',
                                       'process dockerd 5 /usr/local/bin/dockerd', 'end 2']
    assert not foreign_engine(run.stdout, True)['stop']


@pytest.mark.parametrize('shell', SHELLS, ids=lambda s: s[0])
def test_clean_host(shell, tmp_path):
    root, bindir = tree(tmp_path)
    run = probe(shell, root, bindir)
    assert (run.returncode, run.stdout) == (0, 'end 0\n')
    assert not foreign_engine(run.stdout)['stop']


@pytest.mark.parametrize('args', [['--prefix'], ['--bogus', 'x']])
def test_bad_usage(args, tmp_path):
    run = subprocess.run(['sh', SCRIPT, *args], capture_output=True, text=True, check=False)
    assert run.returncode == 2 and 'usage' in run.stderr


@pytest.mark.skipif(not shutil.which('shellcheck'), reason='shellcheck is installed by make unit')
def test_shellcheck():
    subprocess.run(['shellcheck', SCRIPT], check=True)
