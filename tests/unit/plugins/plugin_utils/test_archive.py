# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""archive_file: put_file's gzip tar, built once for every host of a run that gets the same files."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import tarfile

import pytest

from ansible.errors import AnsibleError

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils import archive


def members(tmp_path):
    (tmp_path / 'dockerd').write_bytes(b'\x7fELF dockerd' * 1000)
    return {'bin/dockerd': str(tmp_path / 'dockerd'), 'manifest.json': {'content': '{"a": 1}\n'}}


def unpacked(data_or_path):
    """(name, mode, uid, bytes) of each member, in order."""
    fileobj = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else open(data_or_path, 'rb')
    with fileobj, tarfile.open(fileobj=fileobj, mode='r:gz') as tar:
        return [(m.name, m.mode, m.uid, tar.extractfile(m).read()) for m in tar.getmembers()]


def test_the_file_holds_the_members_and_its_sha256(tmp_path):
    cache = tmp_path / 'cache'
    cache.mkdir()
    path, sha256 = archive.archive_file(members(tmp_path), str(cache))
    assert sha256 == hashlib.sha256(open(path, 'rb').read()).hexdigest()
    with tarfile.open(path, 'r:gz') as tar:
        assert [(m.name, m.mode, m.uid) for m in tar.getmembers()] == [('bin/dockerd', 0o755, 0), ('manifest.json', 0o644, 0)]
        assert tar.extractfile('bin/dockerd').read() == (tmp_path / 'dockerd').read_bytes()
    # The same members as the in-memory archive of the build inputs.
    assert unpacked(path) == unpacked(archive.build_archive(members(tmp_path)))


def test_the_same_members_take_the_file_built_first(tmp_path, monkeypatch):
    cache = tmp_path / 'cache'
    cache.mkdir()
    given = members(tmp_path)
    first = archive.archive_file(given, str(cache))
    built = []
    monkeypatch.setattr(archive, '_write', lambda *a: built.append(a))
    assert archive.archive_file(dict(given), str(cache)) == first
    assert built == []


@pytest.mark.parametrize('change', ['file bytes', 'file time', 'text', 'name', 'order'])
def test_any_change_of_the_members_builds_another_file(tmp_path, change):
    cache = tmp_path / 'cache'
    cache.mkdir()
    given = members(tmp_path)
    before = archive.archive_file(given, str(cache))
    if change == 'file bytes':
        (tmp_path / 'dockerd').write_bytes(b'\x7fELF dockerD' * 1000)
    elif change == 'file time':
        os.utime(tmp_path / 'dockerd', ns=(1, 1))
    elif change == 'text':
        given['manifest.json'] = {'content': '{"a": 2}\n'}
    elif change == 'name':
        given = {'bin/dockerd.new': given['bin/dockerd'], 'manifest.json': given['manifest.json']}
    else:
        given = dict(reversed(list(given.items())))
    after = archive.archive_file(given, str(cache))
    assert after[0] != before[0]
    assert unpacked(after[0]) == unpacked(archive.build_archive(given))


def _build(args):
    given, cache = args
    return archive.archive_file(given, cache)


def test_hosts_sending_at_once_get_one_build(tmp_path):
    """Four processes (the forks of four hosts) ask at once: one archive file, one sha256, no temporary left."""
    cache = tmp_path / 'cache'
    cache.mkdir()
    given = members(tmp_path)
    with multiprocessing.get_context('fork').Pool(4) as pool:
        results = pool.map(_build, [(given, str(cache))] * 4)
    assert len(set(results)) == 1
    assert sorted(p.name for p in cache.iterdir() if not p.name.endswith('.lock')) == [
        os.path.basename(results[0][0]), os.path.basename(results[0][0]) + '.sha256']


@pytest.mark.parametrize('bad, error', [
    ({'../x': {'content': 'x'}}, 'relative path without ..'),
    ({'x': '/nonexistent'}, 'is not a file on the controller'),
])
def test_bad_members_are_refused_and_nothing_is_written(tmp_path, bad, error):
    cache = tmp_path / 'cache'
    cache.mkdir()
    with pytest.raises(AnsibleError, match=error):
        archive.archive_file(bad, str(cache))
    assert list(cache.iterdir()) == []
