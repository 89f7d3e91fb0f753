# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/build/files/workspace.sh, run directly under dash and bash on a temporary build root: the directories are
made with the account's owner and mode 0755, a second run changes nothing, a wrong mode is put right, bad
arguments are refused, and its text goes to hosts as a raw command."""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import subprocess

import pytest

from ansible.parsing.splitter import split_args

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO_ROOT, 'roles', 'build', 'files', 'workspace.sh')
SUBDIRS = ['src', 'trees', 'cache', 'logs', 'artifacts', 'libexec']


def account():
    """An account whose name is also a group (the build account has one): this user's, else root."""
    me = pwd.getpwuid(os.getuid()).pw_name
    try:
        grp.getgrnam(me)
    except KeyError:
        pytest.skip('no group named like the account %s' % me)
    return me


def run(shell, *args):
    return subprocess.run([shell, SCRIPT, *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize('shell', ['dash', 'bash'])
def test_made_once_then_left_alone_and_put_right(shell, tmp_path):
    user = account()
    root = tmp_path / 'build'
    out = run(shell, str(root), user, *SUBDIRS)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ['changed %s' % root] + ['changed %s/%s' % (root, d) for d in SUBDIRS]
    for d in [root] + [root / s for s in SUBDIRS]:
        st = d.stat()
        assert (pwd.getpwuid(st.st_uid).pw_name, grp.getgrgid(st.st_gid).gr_name, st.st_mode & 0o7777) == (user, user, 0o755)
    assert run(shell, str(root), user, *SUBDIRS).stdout == ''
    (root / 'logs').chmod(0o700)
    assert run(shell, str(root), user, *SUBDIRS).stdout == 'changed %s/logs\n' % root
    assert (root / 'logs').stat().st_mode & 0o7777 == 0o755


@pytest.mark.parametrize('args, code, message', [
    (['relative', 'root'], 2, 'absolute path'),
    (['/tmp/x'], 2, 'usage'),
    (['/tmp/sb-ws', 'root', '../etc'], 2, 'bad SUBDIR'),
    (['/tmp/sb-ws', 'root', '/etc'], 2, 'bad SUBDIR'),
])
def test_bad_arguments_are_refused_before_any_change(args, code, message):
    if os.path.exists('/tmp/sb-ws'):
        os.rmdir('/tmp/sb-ws')
    out = run('dash', *args)
    assert (out.returncode, message in out.stderr) == (code, True), out.stderr
    assert not os.path.exists('/tmp/sb-ws')


def test_without_the_account_it_says_so_and_changes_nothing():
    if os.path.exists('/tmp/sb-ws'):
        os.rmdir('/tmp/sb-ws')
    out = run('dash', '/tmp/sb-ws', 'no-such-account-here', 'logs')
    assert (out.returncode, out.stdout, out.stderr) == (0, 'no account no-such-account-here\n', '')
    assert not os.path.exists('/tmp/sb-ws')


def test_usable_as_raw_text():
    with open(SCRIPT, encoding='utf-8') as f:
        assert split_args('set -- /var/lib/sourcebuilt-docker sourcebuilt\n' + f.read())


@pytest.mark.parametrize('shell', ['dash', 'bash'])
def test_scripts_missing_or_changed_are_named_stale(shell, tmp_path):
    user = account()
    root = tmp_path / 'build'
    good, other = b'#!/bin/sh\necho one\n', b'#!/bin/sh\necho two\n'
    want = ['--script=%s:%s' % (hashlib.sha256(good).hexdigest(), name) for name in ('a.sh', 'b.sh')]
    out = run(shell, str(root), user, *SUBDIRS, *want)
    assert out.returncode == 0, out.stderr
    assert [line for line in out.stdout.splitlines() if line.startswith('stale ')] == ['stale a.sh', 'stale b.sh']
    (root / 'libexec' / 'a.sh').write_bytes(good)
    (root / 'libexec' / 'b.sh').write_bytes(other)
    assert run(shell, str(root), user, *SUBDIRS, *want).stdout == 'stale b.sh\n'
    (root / 'libexec' / 'b.sh').write_bytes(good)
    assert run(shell, str(root), user, *SUBDIRS, *want).stdout == ''
    assert run(shell, str(root), user, '--script=%s:../x' % hashlib.sha256(good).hexdigest()).returncode == 2
