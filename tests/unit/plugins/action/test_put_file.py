# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sourcebuilt.docker.put_file through ansible-playbook over the real `local` connection, into tmp dirs:
written once and then ok, replaced with a backup, nothing written in check mode, a gzip tar built from
controller files, and bad arguments refused with the option named."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
COLLECTIONS = os.path.join(REPO, '.cache', 'collections')


def play_many(tmp_path, args_list, check=False, diff=False):
    """Run one put_file task per args in one ansible-playbook; return their results in order."""
    book = tmp_path / 'play.yml'
    tasks = [{'sourcebuilt.docker.put_file': args, 'register': 'r%d' % n, 'ignore_errors': True}
             for n, args in enumerate(args_list)]
    results = '[%s]' % ', '.join('r%d' % n for n in range(len(args_list)))
    book.write_text(json.dumps([{
        'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
        'tasks': tasks + [
            {'ansible.builtin.copy': {'content': '{{ %s | to_json }}' % results, 'dest': str(tmp_path / 'result.json'),
                                      'mode': '0644'},
             'check_mode': False},
        ]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    cmd = ['ansible-playbook', str(book)] + (['--check'] if check else []) + (['--diff'] if diff else [])
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((tmp_path / 'result.json').read_text())


def play(tmp_path, args, check=False, diff=False):
    """Run one put_file task; return its result."""
    return play_many(tmp_path, [args], check=check, diff=diff)[0]


def test_content_written_once_then_ok_then_replaced_with_backup(tmp_path):
    dest = tmp_path / 'etc' / 'init.d' / 'docker'
    r = play(tmp_path, {'content': 'one\n', 'dest': str(dest), 'mode': '0755', 'backup': True})
    assert r['changed'] and 'backup_file' not in r
    assert dest.read_text() == 'one\n' and oct(dest.stat().st_mode & 0o7777) == '0o755'
    assert not play(tmp_path, {'content': 'one\n', 'dest': str(dest), 'mode': '0755', 'backup': True})['changed']
    r = play(tmp_path, {'content': 'two\n', 'dest': str(dest), 'mode': '0755', 'backup': True})
    assert r['changed'] and dest.read_text() == 'two\n'
    assert r['backup_file'].endswith('~') and open(r['backup_file']).read() == 'one\n'
    assert not [p for p in dest.parent.iterdir() if p.name.endswith('.sourcebuilt-new')]


def test_check_mode_writes_nothing(tmp_path):
    dest = tmp_path / 'daemon.json'
    r = play(tmp_path, {'content': '{}\n', 'dest': str(dest)}, check=True)
    assert r['changed'] and not dest.exists()
    dest.write_text('{}\n')
    assert not play(tmp_path, {'content': '{}\n', 'dest': str(dest)}, check=True)['changed']


def test_diff_shows_the_text_before_and_after(tmp_path):
    dest = tmp_path / 'daemon.json'
    dest.write_text('{"a": 1}\n')
    r = play(tmp_path, {'content': '{"a": 2}\n', 'dest': str(dest)}, check=True, diff=True)
    assert r['changed'] and r['diff']['before'] == '{"a": 1}\n' and r['diff']['after'] == '{"a": 2}\n'
    assert dest.read_text() == '{"a": 1}\n'
    assert 'diff' not in play(tmp_path, {'content': '{"a": 2}\n', 'dest': str(dest)}, check=True)


def test_validate_refuses_the_new_file_and_leaves_dest(tmp_path):
    dest = tmp_path / 'daemon.json'
    dest.write_text('{}\n')
    r = play(tmp_path, {'content': 'not json\n', 'dest': str(dest), 'validate': 'grep -q "^{" %s'})
    assert r['failed'] and 'daemon.json' in r['msg']
    assert dest.read_text() == '{}\n' and not [p for p in tmp_path.iterdir() if p.name.endswith('.sourcebuilt-new')]
    r = play(tmp_path, {'content': '{"b": 1}\n', 'dest': str(dest), 'validate': 'grep -q "^{" %s'})
    assert r['changed'] and dest.read_text() == '{"b": 1}\n'


def test_src_and_archive(tmp_path):
    (tmp_path / 'a').write_bytes(b'\x7fELF a')
    r = play(tmp_path, {'src': str(tmp_path / 'a'), 'dest': str(tmp_path / 'out' / 'a'), 'mode': '0755'})
    assert r['changed'] and (tmp_path / 'out' / 'a').read_bytes() == b'\x7fELF a'
    tgz = tmp_path / 'out' / 'r.tgz'
    r = play(tmp_path, {'archive': {'bin/a': str(tmp_path / 'a'), 'manifest.json': {'content': '{}\n'}}, 'dest': str(tgz)})
    assert r['changed']
    with tarfile.open(fileobj=io.BytesIO(tgz.read_bytes()), mode='r:gz') as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert sorted(members) == ['bin/a', 'manifest.json']
        assert members['bin/a'].uid == 0 and members['bin/a'].mode == 0o755
        assert tar.extractfile('bin/a').read() == b'\x7fELF a'
        assert tar.extractfile('manifest.json').read() == b'{}\n' and members['manifest.json'].mode == 0o644


BAD_ARGUMENTS = [
    ({'dest': '/tmp/x'}, 'exactly one of src, content or archive'),
    ({'content': 'x', 'src': '/etc/hostname', 'dest': '/tmp/x'}, 'exactly one of src, content or archive'),
    ({'content': 'x', 'dest': 'relative'}, 'dest must be an absolute path'),
    ({'content': 'x', 'dest': '/tmp/x', 'mode': 'rwx'}, 'mode must be octal'),
    ({'content': 'x', 'dest': '/tmp/x', 'validate': 'true'}, 'validate must be a command with %s'),
    ({'content': 'x', 'dest': '/tmp/x', 'owner': 'root'}, 'unknown option(s) owner'),
    ({'archive': {'../x': '/etc/hostname'}, 'dest': '/tmp/x'}, 'relative path without ..'),
    ({'archive': {'x': '/nonexistent'}, 'dest': '/tmp/x'}, 'is not a file on the controller'),
]


@pytest.fixture(scope='module')
def bad_argument_results(tmp_path_factory):
    """Every case of BAD_ARGUMENTS in one ansible-playbook run (each run costs seconds)."""
    return play_many(tmp_path_factory.mktemp('bad'), [args for args, _message in BAD_ARGUMENTS])


@pytest.mark.parametrize('case', range(len(BAD_ARGUMENTS)), ids=[message for _args, message in BAD_ARGUMENTS])
def test_bad_arguments_are_refused(bad_argument_results, case):
    message = BAD_ARGUMENTS[case][1]
    r = bad_argument_results[case]
    assert r['failed'] and message in r['msg'], r['msg']
