# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: foreign_variables
short_description: Name the variables of other Docker roles that this collection does not read
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Takes a list of variable names and returns one warning for each that geerlingguy.docker or kubespray reads
    and sourcebuilt.docker does not, naming the variable to set instead.
options:
  _input:
    description: Variable names, for example from the C(ansible.builtin.varnames) lookup.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Warn about variables of other Docker roles
  ansible.builtin.debug:
    msg: "[WARNING] {{ __daemon_item }}"
  loop: "{{ query('ansible.builtin.varnames', '^(docker|containerd)_') | sourcebuilt.docker.foreign_variables }}"
  loop_control:
    loop_var: __daemon_item
# ['docker_users', 'daemon_users'] | sourcebuilt.docker.foreign_variables
# -> ['docker_users is a variable of geerlingguy.docker that sourcebuilt.docker does not read; set daemon_users (...).']
"""

RETURN = r"""
_value:
  description: One warning per foreign variable, sorted by name.
  type: list
  elements: str
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.foreign_variables import foreign_variables


class FilterModule:
    def filters(self):
        return {
            'foreign_variables': foreign_variables,
        }
