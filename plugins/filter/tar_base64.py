# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: tar_base64
short_description: A gzip tar of controller files and texts, base64-encoded, to send as a command's standard input
version_added: 0.3.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - The gzip tar that M(sourcebuilt.docker.put_file) sends as O(sourcebuilt.docker.put_file#module:archive), base64-encoded,
    so that one command on the host can read it on its standard input (C(base64 -d | tar -xz)).
  - Each member is a path in the archive mapped to a controller file (mode 0755) or to a dict with the text as
    C(content) (mode 0644); the owner is root.
  - The build role sends a compile's build script and patches this way (P(sourcebuilt.docker.build_inputs#filter)).
options:
  _input:
    description: Archive member path (relative, without C(..)) to a controller file, or to a dict with its text as C(content).
    type: dict
    required: true
"""

EXAMPLES = r"""
# roles/build/tasks/prepare.yml
# stdin: "{{ __build_plan | sourcebuilt.docker.build_inputs(...) | sourcebuilt.docker.tar_base64 }}"
"""

RETURN = r"""
_value:
  description: The base64 text (no line breaks).
  type: str
"""

import base64

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.archive import build_archive


def tar_base64(members: dict) -> str:
    if not isinstance(members, dict):
        raise AnsibleFilterError('tar_base64: expected a dict of archive member -> file or {content: text}, got %s'
                                 % type(members).__name__)
    return base64.b64encode(build_archive(members)).decode('ascii')


class FilterModule:
    def filters(self):
        return {
            'tar_base64': tar_base64,
        }
