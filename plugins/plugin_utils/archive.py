# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gzip tar the collection sends to a host: put_file's ``archive`` and the build inputs a compile reads on
its standard input (filter sourcebuilt.docker.tar_base64)."""

from __future__ import annotations

import io
import os
import tarfile

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_bytes


def build_archive(members: dict) -> bytes:
    """A gzip tar of {path in archive: controller file, or {'content': text}}, owner root, in the order given;
    files mode 0755, texts 0644."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz', compresslevel=1) as tar:
        for name, path in members.items():
            name = str(name)
            if name.startswith('/') or '..' in name.split('/'):
                raise AnsibleError('archive member %r must be a relative path without ..' % name)
            info = tarfile.TarInfo(name)
            info.uid = info.gid = 0
            if isinstance(path, dict) and set(path) == {'content'}:
                data = to_bytes(path['content'])
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
                continue
            if not isinstance(path, str) or not os.path.isfile(path):
                raise AnsibleError('archive member %s: %r is not a file on the controller' % (name, path))
            info.size, info.mode = os.path.getsize(path), 0o755
            with open(path, 'rb') as f:
                tar.addfile(info, f)
    return buf.getvalue()
