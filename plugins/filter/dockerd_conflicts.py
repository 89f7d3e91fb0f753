# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: dockerd_conflicts
short_description: Find dockerd options set both as command line flags and in daemon.json
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - C(dockerd) refuses to start when an option is set both as a command line flag and in C(daemon.json)
    ("the following directives are specified both as a flag and in the configuration file").
    This filter finds those options before the daemon is restarted, so a task can fail with a clear message.
  - Flag names and daemon.json keys are normalised, including the options whose daemon.json key is the plural of the
    flag (C(label)/C(labels), C(insecure-registry)/C(insecure-registries), C(registry-mirror)/C(registry-mirrors),
    C(storage-opt)/C(storage-opts), C(log-opt)/C(log-opts), C(exec-opt)/C(exec-opts), C(host)/C(hosts) and C(-H),
    C(dns-opt)/C(dns-opts), C(authorization-plugin)/C(authorization-plugins), C(add-runtime)/C(runtimes),
    C(default-ulimit)/C(default-ulimits), C(node-generic-resource)/C(node-generic-resources), C(feature)/C(features)),
    the short flags C(-b), C(-D), C(-G), C(-l), C(-p), C(-s), and C(-g)/C(--graph) which is C(data-root).
  - "Returns a sorted list of strings. An option spelled the same in both places is returned as its name (V(iptables));
    otherwise as V(storage-opt (daemon.json: storage-opts\\)), that is, the flag name followed by the daemon.json key."
positional: daemon_json
options:
  _input:
    description:
      - The dockerd flags, either as a dict of options (as for P(sourcebuilt.docker.dockerd_flags#filter); options with
        value V(null) are not set) or as a list of flag strings (C(--key=value), C(--key value), C(--key), C(-H value)).
      - In a list, items that do not start with a dash are taken as the value of the previous flag.
    type: raw
    required: true
  daemon_json:
    description: The content of daemon.json, as a dict or a JSON string.
    type: raw
    required: true
seealso:
  - plugin: sourcebuilt.docker.dockerd_flags
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Refuse options that dockerd would reject at start
  ansible.builtin.assert:
    that: conflicts | length == 0
    fail_msg: >-
      These dockerd options are set both in dockerd_options (flags) and in dockerd_daemon_json:
      {{ conflicts | join(', ') }}. Set each of them in one place only.
  vars:
    conflicts: "{{ dockerd_options | sourcebuilt.docker.dockerd_conflicts(dockerd_daemon_json) }}"

# ['--storage-opt=overlay2.size=1G', '-H', 'unix:///run/docker.sock', '--iptables=false']
#   | sourcebuilt.docker.dockerd_conflicts({'storage-opts': [], 'hosts': [], 'iptables': true})
# -> ['host (daemon.json: hosts)', 'iptables', 'storage-opt (daemon.json: storage-opts)']
"""

RETURN = r"""
_value:
  description: The conflicting options, sorted.
  type: list
  elements: string
  sample:
    - host (daemon.json: hosts)
    - iptables
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.dockerd_options import dockerd_conflicts


class FilterModule:
    def filters(self):
        return {
            'dockerd_conflicts': dockerd_conflicts,
        }
