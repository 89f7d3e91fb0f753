# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controller cache entries from a tar a build host sent (sourcebuilt.docker.fetch_entries): each entry is
written beside its place, every file checked against its manifest's sha256, the manifest written last, and the
directory renamed into place, so a reader of the cache never sees a partial entry."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile

from ansible.errors import AnsibleError
from ansible_collections.sourcebuilt.docker.plugins.module_utils.artifact_state import sha256_file


def entry_paths(manifests: list) -> list:
    """The tar members of the entries: COMPONENT/FINGERPRINT/PATH of every file of every manifest, in order."""
    paths = []
    for manifest in manifests:
        if not isinstance(manifest, dict) or not isinstance(manifest.get('files'), list):
            raise AnsibleError('fetch_entries: each manifest must be a dict with a list of files, got %r' % (manifest,))
        base = '%s/%s' % (_part(manifest, 'name'), _part(manifest, 'fingerprint'))
        for entry in manifest['files']:
            path = str(entry.get('path', '')) if isinstance(entry, dict) else ''
            if not path or path.startswith('/') or '..' in path.split('/') or not isinstance(entry.get('sha256'), str):
                raise AnsibleError('fetch_entries: manifest %s lists a file without a relative path and a sha256: %r' % (base, entry))
            paths.append('%s/%s' % (base, path))
    return paths


def _part(manifest, key):
    value = str(manifest.get(key, ''))
    if not value or '/' in value or value in ('.', '..'):
        raise AnsibleError('fetch_entries: manifest %s %r is not a directory name' % (key, value))
    return value


def _intact(directory, manifest):
    """Whether ``directory`` already holds ``manifest``'s fingerprint with every file of the right sha256."""
    try:
        with open(os.path.join(directory, 'manifest.json')) as handle:
            if json.load(handle).get('fingerprint') != manifest['fingerprint']:
                return False
    except (OSError, ValueError, AttributeError):
        return False
    for entry in manifest['files']:
        path = os.path.join(directory, entry['path'])
        if not os.path.isfile(path) or sha256_file(path) != entry['sha256']:
            return False
    return True


def store_entries(archive: str, dest: str, manifests: list) -> dict:
    """Write into ``dest`` (the controller cache) the entries of ``manifests`` from the plain tar ``archive``.
    Returns {stored: [...], kept: [...]} (COMPONENT/FINGERPRINT): an entry another run made intact meanwhile is
    kept as it is. A missing member or a sha256 that differs from the manifest raises, and nothing of that entry
    is left; an incomplete entry (no manifest) is replaced."""
    paths = entry_paths(manifests)
    stored, kept = [], []
    with tarfile.open(archive, mode='r:') as tar:
        members = {member.name: member for member in tar.getmembers() if member.isfile() and member.name in paths}
        for manifest in manifests:
            rel = '%s/%s' % (manifest['name'], manifest['fingerprint'])
            final = os.path.join(dest, manifest['name'], manifest['fingerprint'])
            if _intact(final, manifest):
                kept.append(rel)
                continue
            os.makedirs(os.path.dirname(final), exist_ok=True)
            work = tempfile.mkdtemp(prefix='.%s.' % manifest['fingerprint'], dir=os.path.dirname(final))
            try:
                for entry in manifest['files']:
                    member = members.get('%s/%s' % (rel, entry['path']))
                    if member is None:
                        raise AnsibleError('fetch_entries: the host sent no file %s/%s' % (rel, entry['path']))
                    target = os.path.join(work, entry['path'])
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    digest = hashlib.sha256()
                    with tar.extractfile(member) as source, open(target, 'wb') as out:
                        for chunk in iter(lambda: source.read(1 << 20), b''):
                            digest.update(chunk)
                            out.write(chunk)
                    os.chmod(target, 0o644)
                    if digest.hexdigest() != entry['sha256']:
                        raise AnsibleError('fetch_entries: %s/%s has sha256 %s, its manifest says %s'
                                           % (rel, entry['path'], digest.hexdigest(), entry['sha256']))
                with open(os.path.join(work, 'manifest.json'), 'w') as handle:
                    handle.write(json.dumps(manifest, indent=4, sort_keys=True) + '\n')
                os.chmod(work, 0o755)
                if os.path.isdir(final):
                    aside = tempfile.mkdtemp(prefix='.%s.old.' % manifest['fingerprint'], dir=os.path.dirname(final))
                    os.rename(final, os.path.join(aside, 'entry'))
                    shutil.rmtree(aside)
                try:
                    os.rename(work, final)
                except OSError:
                    # Another run (a second builder of the fleet) put the entry in place meanwhile.
                    if not _intact(final, manifest):
                        raise
                    shutil.rmtree(work)
                    kept.append(rel)
                    continue
                stored.append(rel)
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
    return {'stored': stored, 'kept': kept}
