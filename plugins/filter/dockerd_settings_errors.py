# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: dockerd_settings_errors
short_description: Check the daemon role's settings before anything changes
version_added: 0.3.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Returns every problem of the daemon settings as a message that names the variable and what is allowed, so one
    preflight task can refuse bad input before a file on the host changes.
  - Paths must be absolute (and, where they are written into a unit, an init script or C(PATH), hold only letters,
    digits and C(. _ + - /)); addresses and CIDRs must parse (C(bip) is an IPv4 address with a prefix length);
    C(log-level) and C(storage-driver) must be known values; booleans, numbers, lists and dicts of daemon.json must
    have the type dockerd reads; flag values may not hold control characters such as a newline.
options:
  _input:
    description:
      - The daemon role's variables by name (C(daemon_flags), C(daemon_data_root), C(daemon_bin_dir), C(daemon_group),
        C(daemon_health_timeout), ...), plus C(daemon_json), the daemon.json the role would write.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse bad daemon settings
  ansible.builtin.assert:
    that: errors | length == 0
    fail_msg: "{{ errors | join(' ') }}"
  vars:
    errors: "{{ {'daemon_data_root': 'docker-data', 'daemon_json': {'bip': '10.0.0.1/33'}} | sourcebuilt.docker.dockerd_settings_errors }}"
# -> ["daemon_data_root must be an absolute path (starting with /), got 'docker-data'.",
#     "daemon.json key bip (daemon_options or its daemon_* variable) is not a valid CIDR (...), got '10.0.0.1/33'."]
"""

RETURN = r"""
_value:
  description: One message per problem; empty when every setting is fine.
  type: list
  elements: string
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.dockerd_settings import dockerd_settings_errors


class FilterModule:
    def filters(self):
        return {
            'dockerd_settings_errors': dockerd_settings_errors,
        }
