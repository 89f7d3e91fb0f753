# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: adopt_plan
short_description: The daemon.json, data-root and storage driver of a packaged Docker engine taken over
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Merges the packaged engine's C(daemon.json) with the one the inventory makes. A key the inventory sets on purpose
    wins (reported as overridden), a key the role passes as a command-line flag is dropped (reported), every other key
    of the host is kept. The data-root and the storage driver in use are kept.
  - Lists the errors that must stop the run before any change, each named with what to do. A storage driver the
    built dockerd cannot serve (left out by a build tag, or removed from that dockerd version), a data-root or
    storage driver of the inventory that differs from the engine's, a key the source-built dockerd does not know.
options:
  _input:
    description: The packaged engine's C(daemon.json) (a dict, its JSON text, or empty).
    type: raw
    required: true
  inventory_json:
    description: The C(daemon.json) the inventory makes.
    type: dict
    required: true
  flags:
    description: The names of the dockerd command-line flags (daemon_flags and the role's own).
    type: list
    elements: str
  inventory_keys:
    description: The C(daemon.json) keys the inventory sets on purpose.
    type: list
    elements: str
  info:
    description: C(docker info --format '{{.Driver}} {{.DockerRootDir}}') of the packaged engine, or empty.
    type: str
  driver_dirs:
    description: Names of the storage driver directories under the data-root.
    type: list
    elements: str
  dockerd_version:
    description: Version of the source-built dockerd.
    type: str
  build_tags:
    description: Build tags of the source-built dockerd.
    type: list
    elements: str
  host:
    description: The host's name, for the messages.
    type: str
"""

EXAMPLES = r"""
- name: Merge the packaged engine's daemon.json
  ansible.builtin.set_fact:
    __daemon_adoption: "{{ __daemon_old_json | sourcebuilt.docker.adopt_plan(__daemon_json_inventory, flags=['iptables', 'host']) }}"
# {"iptables": false, "log-level": "warn"} with inventory {"data-root": "/var/lib/docker"}
# -> daemon_json {"data-root": "/var/lib/docker", "log-level": "warn"}, report ["kept log-level=\"warn\"",
#    "dropped iptables=false (a command-line flag the role sets)"]
"""

RETURN = r"""
_value:
  description: The plan.
  type: dict
  contains:
    daemon_json:
      description: The merged C(daemon.json).
      type: dict
    report:
      description: One line per key kept, overridden or dropped.
      type: list
      elements: str
    errors:
      description: Why the takeover must not start; empty when it may.
      type: list
      elements: str
    data_root:
      description: The data-root kept.
      type: str
    storage_driver:
      description: The storage driver in use, or empty when none could be told.
      type: str
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.adopt import adopt_plan


class FilterModule:
    def filters(self):
        return {
            'adopt_plan': adopt_plan,
        }
