# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/daemon/files/adopt-versionlock.sh under dash and bash --posix: without dnf or yum (this Debian machine) it
says so and changes nothing; with a dnf whose versionlock list lives in a file it locks and unlocks once."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, 'roles', 'daemon', 'files', 'adopt-versionlock.sh')
SHELLS = [shell for shell in (['dash'], ['bash', '--posix']) if shutil.which(shell[0])]

# versionlock list prints EPOCH:NAME-VERSION-RELEASE.*; add/delete edit the list.
DNF = '''#!/bin/sh
list="$(dirname "$0")/locks"
[ "$1" = -q ] && shift
[ "$1" = versionlock ] || exit 1
case $2 in
  list) cat "$list" 2>/dev/null; exit 0 ;;
  add) echo "0:$3-1.0-1.el9.*" >> "$list" ;;
  delete) grep -v "^0:$3-[0-9]" "$list" > "$list.new"; mv "$list.new" "$list" ;;
esac
'''


def run(shell, path, *args):
    return subprocess.run(shell + [SCRIPT, *args], capture_output=True, text=True, check=False,
                          env={'PATH': path, 'LC_ALL': 'C'})


@pytest.mark.parametrize('shell', SHELLS)
def test_without_versionlock(shell, tmp_path):
    result = run(shell, '%s:/usr/bin:/bin' % tmp_path, 'add', 'docker-ce')
    if shutil.which('dnf') or shutil.which('yum'):
        pytest.skip('this machine has dnf or yum')
    assert result.returncode == 0 and result.stdout.startswith('none: ')


@pytest.mark.parametrize('shell', SHELLS)
def test_lock_and_unlock_once(shell, tmp_path):
    fake = tmp_path / 'dnf'
    fake.write_text(DNF)
    fake.chmod(0o755)
    path = '%s:/usr/bin:/bin' % tmp_path
    assert run(shell, path, 'add', 'docker-ce', 'containerd.io').stdout.split('\n')[:2] == ['locked docker-ce', 'locked containerd.io']
    assert run(shell, path, 'add', 'docker-ce').stdout == 'kept docker-ce\n'
    assert (tmp_path / 'locks').read_text().count('docker-ce-') == 1
    assert run(shell, path, 'delete', 'docker-ce').stdout == 'unlocked docker-ce\n'
    assert run(shell, path, 'delete', 'docker-ce').stdout == 'kept docker-ce\n'
    assert 'docker-ce' not in (tmp_path / 'locks').read_text()


@pytest.mark.parametrize('args', [[], ['add'], ['hold', 'docker']])
def test_usage(args):
    assert subprocess.run(['sh', SCRIPT, *args], capture_output=True, check=False).returncode == 2
