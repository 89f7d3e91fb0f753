# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The action plugin plugins/action/shell_facts.py does the work; this file holds its documentation.

from __future__ import annotations

DOCUMENTATION = r"""
module: shell_facts
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
short_description: The facts the roles read, from the target probe instead of setup
description:
  - Runs nothing on the host. Takes the result of the P(sourcebuilt.docker.target_path#filter) filter and sets the facts
    C(kernel), C(architecture), C(os_family), C(service_mgr) and, where C(/etc/os-release) names it,
    C(distribution_release) as C(ansible.builtin.setup) would set them. The engine role uses it on every host, with
    Python or without, so the facts cost no Python start on the host and both deploy paths read the same facts.
options:
  target:
    description: The target_path filter result.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Set the facts the roles read from the probe
  sourcebuilt.docker.shell_facts:
    target: "{{ probe.stdout | sourcebuilt.docker.target_path('auto') }}"
"""

RETURN = r"""
ansible_facts:
  description: kernel, architecture, os_family, service_mgr and, where known, distribution_release.
  returned: success
  type: dict
"""
