# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: stale_files
short_description: The files whose text differs from what a host holds, by the sha256 one look read
version_added: 0.3.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Given the files a role writes (each with its O(_input[].dest) and the O(_input[].text) it should hold) and the
    lines C(SHA256 PATH) that one read-only command printed for the files the host has, returns the files that are
    missing or whose sha256 differs, in the order given. The role then writes only those (one host command for the
    look, none per file that is current).
positional: found
options:
  _input:
    description: The files, dicts with at least C(dest) (an absolute path) and C(text) (a string).
    type: list
    elements: dict
    required: true
  found:
    description: The look's output lines, C(SHA256 PATH) for each file the host has (a file it lacks has no line).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
# roles/daemon/tasks/files.yml: daemon.json and the unit files are written only when they differ.
# [{dest: /etc/docker/daemon.json, text: "{...}\n"}] | sourcebuilt.docker.stale_files(['<sha256> /etc/docker/daemon.json'])
# -> [] when the sha256 is that of the text, else the dict.
"""

RETURN = r"""
_value:
  description: The files of the input that the host lacks or holds with another text.
  type: list
  elements: dict
"""

import hashlib

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_bytes


def stale_files(files: list, found: list) -> list:
    valid = isinstance(files, list) and all(
        isinstance(item, dict) and isinstance(item.get('dest'), str) and isinstance(item.get('text'), str) for item in files)
    if not valid:
        raise AnsibleFilterError('stale_files: the input must be a list of dicts with dest and text strings, got %r' % (files,))
    if not isinstance(found, list):
        raise AnsibleFilterError('stale_files: found must be the list of "SHA256 PATH" lines, got %r' % (found,))
    have = {}
    for line in found:
        sha, _sep, path = str(line).strip().partition(' ')
        if path:
            have[path.strip()] = sha.lower()
    return [item for item in files if have.get(item['dest']) != hashlib.sha256(to_bytes(item['text'])).hexdigest()]


class FilterModule:
    def filters(self):
        return {
            'stale_files': stale_files,
        }
