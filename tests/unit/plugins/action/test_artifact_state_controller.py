# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sourcebuilt.docker.artifact_state on the controller (the real `local` connection, as the roles' delegate_to:
localhost tasks run it): the action plugin answers in-process exactly what the module answers on a host, keeps the
record of verified files the same way, and writes none in check mode."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from ansible_collections.sourcebuilt.docker.plugins.module_utils import artifact_state as state
from ansible_collections.sourcebuilt.docker.tests.unit.plugins.modules.test_artifact_state import make_entry, run_module

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
COLLECTIONS = os.path.join(REPO, '.cache', 'collections')


def play(tmp_path, root, components, check=False, host=None):
    """One artifact_state task on localhost over the local connection; its result. With `host`, the task runs for
    that host over ssh with `controller: true`: the host is never contacted."""
    book = tmp_path / 'play.yml'
    args = {'root': str(root), 'components': components}
    if host:
        args['controller'] = True
    book.write_text(json.dumps([{
        'hosts': host or 'localhost', 'gather_facts': False, 'connection': 'ssh' if host else 'local',
        'tasks': [
            {'sourcebuilt.docker.artifact_state': args, 'register': 'r'},
            {'ansible.builtin.copy': {'content': '{{ r | to_json }}', 'dest': str(tmp_path / 'result.json'), 'mode': '0644'},
             'check_mode': False, 'delegate_to': 'localhost', 'connection': 'local'},
        ]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_KEEP_REMOTE_FILES='1',
               ANSIBLE_REMOTE_TMP=str(tmp_path / 'remote-tmp'))
    inventory = ['-i', '%s,' % host] if host else []
    proc = subprocess.run(['ansible-playbook', str(book)] + inventory + (['--check'] if check else []), env=env, capture_output=True,
                          text=True, check=False, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((tmp_path / 'result.json').read_text())


@pytest.mark.parametrize('damage', [None, lambda d: (d / 'bin/runc').write_bytes(b'runc 9.9.9\n'),
                                    lambda d: (d / 'manifest.json').unlink()])
def test_in_process_answers_what_the_module_answers(tmp_path, capsys, damage):
    root = tmp_path / 'cache'
    directory = make_entry(root)
    make_entry(root, name='tini', fingerprint='cafe')
    if damage:
        damage(directory)
    components = {'runc': 'f00d', 'tini': 'cafe', 'cli': 'beef'}
    result = play(tmp_path, root, components)
    # No module was sent: with ANSIBLE_KEEP_REMOTE_FILES a module run would leave its AnsiballZ file here.
    assert not list((tmp_path / 'remote-tmp').rglob('AnsiballZ_artifact_state*'))
    want = run_module(capsys, root, components)
    assert {k: result[k] for k in ('changed', 'current', 'manifests', 'problems')} == \
        {k: want[k] for k in ('changed', 'current', 'manifests', 'problems')}


def test_the_record_is_written_only_outside_check_mode(tmp_path):
    root = tmp_path / 'cache'
    directory = make_entry(root)
    assert play(tmp_path, root, {'runc': 'f00d'}, check=True)['current'] == ['runc']
    assert not (directory / state.RECORD).exists()
    assert play(tmp_path, root, {'runc': 'f00d'})['current'] == ['runc']
    assert set(state.read_record(str(directory))) == {'bin/runc', 'LICENSE'}


def test_controller_true_reads_the_controller_and_never_the_host(tmp_path, capsys):
    root = tmp_path / 'cache'
    make_entry(root)
    result = play(tmp_path, root, {'runc': 'f00d', 'tini': 'cafe'}, host='sb-never-contacted.invalid')
    assert (result['current'], list(result['problems'])) == (['runc'], ['tini'])
    assert result == {**result, **{k: v for k, v in run_module(capsys, root, {'runc': 'f00d', 'tini': 'cafe'}).items()
                                   if k in ('current', 'manifests', 'problems')}}
