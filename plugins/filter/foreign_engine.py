# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: foreign_engine
short_description: Decide on a Docker engine this collection did not install
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Reads the lines of C(roles/daemon/files/engine-probe.sh) (C(package NAME VERSION), C(unit NAME PATH),
    C(sysv NAME PATH), C(process NAME PID EXE) and a last C(end N)) and says whether the run must stop.
  - The run stops when something was found and O(adopt) is off, and when the probe did not reach its end line.
options:
  _input:
    description: The probe's standard output, as a string or a list of lines.
    type: raw
    required: true
  adopt:
    description: The value of C(daemon_adopt).
    type: bool
    default: false
  host:
    description: The host's name, for the message.
    type: str
    default: this host
"""

EXAMPLES = r"""
- name: Stop before any change on a host with a packaged Docker
  ansible.builtin.assert:
    that: not __daemon_foreign.stop
    fail_msg: "{{ __daemon_foreign.message }}"
  vars:
    __daemon_foreign: "{{ __daemon_probe.stdout | sourcebuilt.docker.foreign_engine(daemon_adopt, inventory_hostname) }}"
# "package docker.io 20.10.24+dfsg1-1\nprocess dockerd 812 /usr/sbin/dockerd\nend 2"
# -> {stop: true, found: true, findings: ["package docker.io 20.10.24+dfsg1-1", "dockerd running as pid 812 from /usr/sbin/dockerd"], ...}
"""

RETURN = r"""
_value:
  description: The decision.
  type: dict
  contains:
    found:
      description: V(true) when an engine this collection did not install was found.
      type: bool
    adopt:
      description: The O(adopt) given.
      type: bool
    stop:
      description: V(true) when the run must stop before any change.
      type: bool
    findings:
      description: One phrase per package, unit, SysV script and process found.
      type: list
      elements: str
    message:
      description: What was found and the setting that adopts the host; empty when nothing was found.
      type: str
    probe:
      description: The parsed findings (packages, units, scripts, processes, complete).
      type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.foreign_engine import foreign_engine


class FilterModule:
    def filters(self):
        return {
            'foreign_engine': foreign_engine,
        }
