# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gzip tar the collection sends to a host: put_file's ``archive`` (archive_file: built once per run for
every host that gets the same files) and the build inputs a compile reads on its standard input (filter
sourcebuilt.docker.tar_base64, build_archive)."""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import tarfile
import tempfile

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_bytes
from ansible_collections.sourcebuilt.docker.plugins.module_utils.artifact_state import sha256_file


def _members(members: dict) -> list[tuple[str, str | None, bytes | None]]:
    """Check the members: (name in the archive, controller file or None, text or None) in the order given."""
    checked = []
    for name, path in members.items():
        name = str(name)
        if name.startswith('/') or '..' in name.split('/'):
            raise AnsibleError('archive member %r must be a relative path without ..' % name)
        if isinstance(path, dict) and set(path) == {'content'}:
            checked.append((name, None, to_bytes(path['content'])))
        elif isinstance(path, str) and os.path.isfile(path):
            checked.append((name, path, None))
        else:
            raise AnsibleError('archive member %s: %r is not a file on the controller' % (name, path))
    return checked


def _write(fileobj, checked: list[tuple[str, str | None, bytes | None]]) -> None:
    """The gzip tar of the checked members, owner root; files mode 0755, texts 0644."""
    with tarfile.open(fileobj=fileobj, mode='w:gz', compresslevel=1) as tar:
        for name, path, data in checked:
            info = tarfile.TarInfo(name)
            info.uid = info.gid = 0
            if data is not None:
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
                continue
            info.size, info.mode = os.path.getsize(path), 0o755
            with open(path, 'rb') as f:
                tar.addfile(info, f)


def build_archive(members: dict) -> bytes:
    """A gzip tar of {path in archive: controller file, or {'content': text}}, owner root, in the order given;
    files mode 0755, texts 0644."""
    checked = _members(members)
    buf = io.BytesIO()
    _write(buf, checked)
    return buf.getvalue()


def _key(checked: list[tuple[str, str | None, bytes | None]]) -> str:
    """What names one archive: each member's name and text, or file path, size and modification time."""
    described = []
    for name, path, data in checked:
        if data is not None:
            described.append([name, 'content', hashlib.sha256(data).hexdigest()])
        else:
            stat = os.stat(path)
            described.append([name, os.path.realpath(path), stat.st_size, stat.st_mtime_ns])
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


def archive_file(members: dict, directory: str) -> tuple[str, str]:
    """build_archive's gzip tar as a file under directory, and its sha256. The first caller builds it, under a lock;
    every other caller with the same members (another host of the same run, another fork) takes that file."""
    checked = _members(members)
    path = os.path.join(directory, 'sourcebuilt-archive-%s.tar.gz' % _key(checked))
    with open(path + '.lock', 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with open(path + '.sha256') as f:
                return path, f.read().strip()
        except FileNotFoundError:
            pass
        fd, tmp = tempfile.mkstemp(dir=directory, prefix='.sourcebuilt-archive-')
        try:
            with os.fdopen(fd, 'wb') as f:
                _write(f, checked)
            sha256 = sha256_file(tmp)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        with open(path + '.sha256', 'w') as f:
            f.write(sha256 + '\n')
        return path, sha256
