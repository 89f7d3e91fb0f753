# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: dockerd_flags
short_description: Turn a dict of dockerd options into command line flags
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Converts a dictionary of C(dockerd) options into a list of C(--key=value) flag strings, sorted by option name so that
    the result (and a systemd unit rendered from it) is stable.
  - Keys may be given with or without leading dashes (V(iptables) and V(--iptables) are the same option). The short flags
    C(-H), C(-b), C(-D), C(-G), C(-l), C(-p), C(-s) and C(-g) are expanded to their long names.
  - "V(true)/V(false) become C(--key=true)/C(--key=false); V(null) values are skipped; numbers are stringified;
    strings become C(--key=value)."
  - A list repeats the flag once per item (C(--storage-opt=a), C(--storage-opt=b)).
  - A dict repeats the flag once per dict key, sorted by key, as C(--key=k=v) (V(null) values inside the dict are skipped).
  - Any other value type (for example a dict inside a list) is an error that names the option.
options:
  _input:
    description: The dockerd options, option name to value.
    type: dict
    required: true
seealso:
  - plugin: sourcebuilt.docker.dockerd_conflicts
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Build the dockerd command line
  ansible.builtin.set_fact:
    dockerd_command: "{{ ['/usr/local/bin/dockerd'] + (dockerd_options | sourcebuilt.docker.dockerd_flags) }}"
  vars:
    dockerd_options:
      iptables: false
      --data-root: /var/lib/docker
      storage-opt:
        - overlay2.size=10G
      label:
        env: prod
        rack: a1
      max-concurrent-downloads: 3
      userns-remap: null
# dockerd_command:
#   - /usr/local/bin/dockerd
#   - --data-root=/var/lib/docker
#   - --iptables=false
#   - --label=env=prod
#   - --label=rack=a1
#   - --max-concurrent-downloads=3
#   - --storage-opt=overlay2.size=10G
"""

RETURN = r"""
_value:
  description: The flags, one string per flag, sorted by option name.
  type: list
  elements: string
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.dockerd_options import dockerd_flags


class FilterModule:
    def filters(self):
        return {
            'dockerd_flags': dockerd_flags,
        }
