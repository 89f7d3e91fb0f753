# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sourcebuilt.docker.artifact_state on real entries in a tmp dir: what is current, why the rest is not, and the
record of verified files that spares a later check reading a file whose stat did not change."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.sourcebuilt.docker.plugins.module_utils import artifact_state as state
from ansible_collections.sourcebuilt.docker.plugins.modules import artifact_state

FILES = {'bin/runc': b'runc 1.1.5\n', 'LICENSE': b'Apache-2.0\n'}


def make_entry(root, name='runc', fingerprint='f00d', files=None, manifest_fingerprint=None):
    directory = root / name / fingerprint
    entries = []
    for path, data in (FILES if files is None else files).items():
        (directory / path).parent.mkdir(parents=True, exist_ok=True)
        (directory / path).write_bytes(data)
        entries.append({'path': path, 'sha256': hashlib.sha256(data).hexdigest()})
    manifest = {'name': name, 'fingerprint': manifest_fingerprint or fingerprint, 'files': entries}
    (directory / 'manifest.json').write_text(json.dumps(manifest))
    return directory


def run_module(capsys, root, components, check_mode=False):
    args = {'root': str(root), 'components': components}
    if check_mode:
        args['_ansible_check_mode'] = True
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            artifact_state.main()
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize('damage, problem', [
    (None, None),
    (lambda d: (d / 'bin/runc').unlink(), 'missing'),
    (lambda d: (d / 'bin/runc').write_bytes(b'runc 9.9.9\n'), 'checksum mismatch'),
    (lambda d: (d / 'manifest.json').unlink(), 'no manifest'),
    (lambda d: (d / 'manifest.json').write_text('{'), 'unreadable manifest'),
    (lambda d: (d / 'manifest.json').write_text(json.dumps({'fingerprint': 'beef', 'files': []})), 'names fingerprint beef'),
])
def test_current_or_why_not(tmp_path, capsys, damage, problem):
    directory = make_entry(tmp_path)
    if damage:
        damage(directory)
    result = run_module(capsys, tmp_path, {'runc': 'f00d'})
    assert result['changed'] is False
    if problem is None:
        assert result['current'] == ['runc'] and result['problems'] == {}
        assert result['manifests']['runc']['fingerprint'] == 'f00d'
    else:
        assert result['current'] == [] and problem in result['problems']['runc']


def check(root, hashed):
    return state.check_component(str(root), 'runc', 'f00d', hashed)


def test_a_recorded_file_is_not_read_again(tmp_path, capsys):
    directory = make_entry(tmp_path)
    run_module(capsys, tmp_path, {'runc': 'f00d'})
    assert (directory / state.RECORD).is_file()
    hashed = []
    manifest, problem, record = check(tmp_path, hashed)
    assert problem is None and manifest['fingerprint'] == 'f00d' and sorted(record) == sorted(FILES)
    assert hashed == []


def test_a_write_behind_the_record_is_read_and_caught(tmp_path, capsys):
    directory = make_entry(tmp_path)
    run_module(capsys, tmp_path, {'runc': 'f00d'})
    target = directory / 'bin/runc'
    before = target.stat()
    # Same size, the old mtime put back: only the ctime, which nobody can set back, tells.
    target.write_bytes(b'runc 6.6.6\n')
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    hashed = []
    assert check(tmp_path, hashed) == (None, 'checksum mismatch on %s' % target, None)
    assert hashed == [str(target)]


def test_a_record_of_other_checksums_or_garbage_is_not_trusted(tmp_path, capsys):
    directory = make_entry(tmp_path)
    run_module(capsys, tmp_path, {'runc': 'f00d'})
    record = json.loads((directory / state.RECORD).read_text())
    record['files']['bin/runc']['sha256'] = '0' * 64
    (directory / state.RECORD).write_text(json.dumps(record))
    hashed = []
    assert check(tmp_path, hashed)[1] is None and hashed == [str(directory / 'bin/runc')]
    (directory / state.RECORD).write_text('[not a record')
    hashed = []
    assert check(tmp_path, hashed)[1] is None and len(hashed) == len(FILES)


def test_check_mode_and_a_damaged_entry_write_no_record(tmp_path, capsys):
    directory = make_entry(tmp_path)
    run_module(capsys, tmp_path, {'runc': 'f00d'}, check_mode=True)
    assert not (directory / state.RECORD).exists()
    (directory / 'bin/runc').write_bytes(b'rot\n')
    run_module(capsys, tmp_path, {'runc': 'f00d'})
    assert not (directory / state.RECORD).exists()
