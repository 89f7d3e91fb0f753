# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sourcebuilt.docker.fetch_entries through ansible-playbook over the real `local` connection: a host's artifact
entries land in a controller cache dir checked against their manifests, an intact entry is kept, an incomplete
one is replaced, a file that differs from its manifest fails and leaves nothing, check mode writes nothing, and
a bad manifest is refused with what is wrong."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tarfile

import pytest

from ansible.errors import AnsibleError

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.cache_entries import store_entries

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
COLLECTIONS = os.path.join(REPO, '.cache', 'collections')


def entry(root, name, fingerprint, files):
    """An artifact entry as collect.yml stages it: the files and a manifest naming their sha256."""
    manifest = {'name': name, 'fingerprint': fingerprint, 'version': '1.0', 'files': []}
    for path, data in files.items():
        target = root / name / fingerprint / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        manifest['files'].append({'path': path, 'sha256': hashlib.sha256(data).hexdigest()})
    (root / name / fingerprint / 'manifest.json').write_text(json.dumps(manifest))
    return manifest


def play(tmp_path, args, check=False):
    book = tmp_path / 'play.yml'
    book.write_text(json.dumps([{
        'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
        'tasks': [{'sourcebuilt.docker.fetch_entries': args, 'register': 'r', 'ignore_errors': True},
                  {'ansible.builtin.copy': {'content': '{{ r | to_json }}', 'dest': str(tmp_path / 'result.json'), 'mode': '0644'},
                   'check_mode': False}]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    proc = subprocess.run(['ansible-playbook', str(book)] + (['--check'] if check else []), env=env, capture_output=True,
                          text=True, check=False, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((tmp_path / 'result.json').read_text())


@pytest.fixture
def host(tmp_path):
    root = tmp_path / 'artifacts'
    runc = entry(root, 'runc', 'r1', {'bin/runc': b'runc binary'})
    cli = entry(root, 'cli', 'c1', {'bin/docker': b'docker cli', 'share/completion': b'complete -F _docker docker'})
    return root, [runc, cli]


def test_entries_land_checked_then_are_kept(tmp_path, host):
    root, manifests = host
    cache = tmp_path / 'cache'
    r = play(tmp_path, {'root': str(root), 'dest': str(cache), 'manifests': manifests})
    assert r['changed'] and r['stored'] == ['runc/r1', 'cli/c1'] and r['kept'] == []
    assert (cache / 'cli' / 'c1' / 'share' / 'completion').read_bytes() == b'complete -F _docker docker'
    assert json.loads((cache / 'runc' / 'r1' / 'manifest.json').read_text()) == manifests[0]
    assert oct((cache / 'runc' / 'r1' / 'bin' / 'runc').stat().st_mode & 0o777) == '0o644'
    assert sorted(p.name for p in (cache / 'runc').iterdir()) == ['r1']
    assert not [p for p in os.listdir('/tmp') if p.startswith('sourcebuilt-entries.')]
    r = play(tmp_path, {'root': str(root), 'dest': str(cache), 'manifests': manifests})
    assert not r['changed'] and r['kept'] == ['runc/r1', 'cli/c1']


def test_an_incomplete_entry_is_replaced(tmp_path, host):
    root, manifests = host
    cache = tmp_path / 'cache'
    (cache / 'runc' / 'r1' / 'bin').mkdir(parents=True)
    (cache / 'runc' / 'r1' / 'bin' / 'runc').write_bytes(b'half a')
    r = play(tmp_path, {'root': str(root), 'dest': str(cache), 'manifests': manifests[:1]})
    assert r['stored'] == ['runc/r1']
    assert (cache / 'runc' / 'r1' / 'bin' / 'runc').read_bytes() == b'runc binary'
    assert sorted(p.name for p in (cache / 'runc').iterdir()) == ['r1']


def test_check_mode_writes_nothing(tmp_path, host):
    root, manifests = host
    r = play(tmp_path, {'root': str(root), 'dest': str(tmp_path / 'cache'), 'manifests': manifests}, check=True)
    assert r['changed'] and not (tmp_path / 'cache').exists()


def test_a_file_that_differs_from_its_manifest_fails_and_leaves_nothing(tmp_path, host):
    root, manifests = host
    (root / 'runc' / 'r1' / 'bin' / 'runc').write_bytes(b'tampered')
    cache = tmp_path / 'cache'
    r = play(tmp_path, {'root': str(root), 'dest': str(cache), 'manifests': manifests[:1]})
    assert r['failed'] and 'runc/r1/bin/runc has sha256 %s, its manifest says' % hashlib.sha256(b'tampered').hexdigest() in r['msg']
    assert list((cache / 'runc').iterdir()) == []


@pytest.mark.parametrize('manifests, message', [
    ([{'name': 'runc', 'fingerprint': 'r1'}], 'each manifest must be a dict with a list of files'),
    ([{'name': '../x', 'fingerprint': 'r1', 'files': []}], "manifest name '../x' is not a directory name"),
    ([{'name': 'runc', 'fingerprint': 'r1', 'files': [{'path': '../etc/passwd', 'sha256': 'a'}]}],
     'lists a file without a relative path and a sha256'),
    ([{'name': 'runc', 'fingerprint': 'r1', 'files': [{'path': 'bin/runc'}]}], 'lists a file without a relative path and a sha256'),
])
def test_a_bad_manifest_is_refused_with_what_is_wrong(tmp_path, host, manifests, message):
    root, _manifests = host
    r = play(tmp_path, {'root': str(root), 'dest': str(tmp_path / 'cache'), 'manifests': manifests})
    assert r['failed'] and message in r['msg']
    assert not (tmp_path / 'cache').exists()


def test_a_member_the_host_did_not_send_fails(tmp_path, host):
    root, manifests = host
    archive = tmp_path / 'sent.tar'
    with tarfile.open(archive, 'w') as tar:
        tar.add(root / 'runc' / 'r1' / 'bin' / 'runc', arcname='runc/r1/bin/runc')
    with pytest.raises(AnsibleError, match='the host sent no file cli/c1/bin/docker'):
        store_entries(str(archive), str(tmp_path / 'cache'), manifests)
    assert os.listdir(tmp_path / 'cache' / 'cli') == []
    assert os.listdir(tmp_path / 'cache' / 'runc') == ['r1']
