# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: dockerd_unknown_options
short_description: Find daemon.json keys that dockerd does not know
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - C(dockerd) refuses to start when C(daemon.json) holds a key it does not know ("the following directives don't
    match any configuration option"). This filter finds such keys before the file is written, so a task can fail
    with a clear message instead of leaving a dead daemon.
  - The known keys are those of every dockerd from 17.05 to 29.x (moby's C(daemon/config) and C(registry) packages).
  - Returns a sorted list of strings; a key close to a known one is returned as V(key (did you mean known?\\)).
options:
  _input:
    description: The content of daemon.json, as a dict.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse daemon.json keys dockerd would reject at start
  ansible.builtin.assert:
    that: unknown | length == 0
    fail_msg: "daemon_options holds keys dockerd does not know: {{ unknown | join(', ') }}"
  vars:
    unknown: "{{ daemon_json | sourcebuilt.docker.dockerd_unknown_options }}"

# {'log-level': 'warn', 'storage-drivr': 'overlay2'} | sourcebuilt.docker.dockerd_unknown_options
# -> ['storage-drivr (did you mean storage-driver?)']
"""

RETURN = r"""
_value:
  description: The unknown keys, sorted, with a suggestion where one is close.
  type: list
  elements: string
  sample:
    - storage-drivr (did you mean storage-driver?)
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.dockerd_options import dockerd_unknown_options


class FilterModule:
    def filters(self):
        return {
            'dockerd_unknown_options': dockerd_unknown_options,
        }
