# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_fingerprint
short_description: Stable SHA-256 fingerprint of build inputs
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Serialises the input as canonical JSON (keys sorted, compact separators C(,) and C(:), ASCII only) and returns the
    SHA-256 of it as lowercase hex.
  - The same data gives the same fingerprint whatever the order of dict keys; list order is significant.
  - Values must be JSON data (dicts with string keys, lists, strings, numbers, booleans, null); anything else, and
    NaN/infinity, is an error naming where in the input the value is.
positional: length
options:
  _input:
    description: The build inputs to fingerprint.
    type: raw
    required: true
  length:
    description: Return only the first O(length) hex characters (1 to 64).
    type: int
"""

EXAMPLES = r"""
- name: Decide whether runc needs a rebuild
  ansible.builtin.set_fact:
    runc_fingerprint: "{{ {'component': build_components.runc, 'go': go_version, 'arch': ansible_architecture}
                          | sourcebuilt.docker.build_fingerprint }}"

- name: Short fingerprint for a directory name
  ansible.builtin.set_fact:
    build_dir: "/var/cache/sourcebuilt/runc-{{ build_components.runc | sourcebuilt.docker.build_fingerprint(12) }}"
"""

RETURN = r"""
_value:
  description: The SHA-256 hex digest (64 characters, or O(length)).
  type: string
  sample: 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_components import build_fingerprint


class FilterModule:
    def filters(self):
        return {
            'build_fingerprint': build_fingerprint,
        }
