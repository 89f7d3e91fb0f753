# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_order
short_description: Order build components into dependency waves
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Takes the resolved components (the result of P(sourcebuilt.docker.build_resolve_components#filter)) and returns a list
    of waves, each a list of component names sorted by name. Every component is in a later wave than all components it
    lists in C(depends), so the components of one wave can be built in parallel.
  - Uses Kahn's algorithm. A dependency cycle is an error that names the components of the cycle.
  - With O(late=true) each component goes in the last wave that still precedes every component depending on it, and
    the names of a wave keep the input's order; the final wave then holds everything nothing depends on.
  - A dependency that is not in the input (for example dropped by the C(only) option of
    P(sourcebuilt.docker.build_resolve_components#filter)) is ignored.
options:
  _input:
    description: Component name to spec; only the C(depends) list of each spec is used.
    type: dict
    required: true
  late:
    description: Place each component as late as its dependents allow (waves keep the input's order).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Build the components wave by wave
  ansible.builtin.include_tasks: build_wave.yml
  loop: "{{ build_components | sourcebuilt.docker.build_order }}"
  loop_control:
    loop_var: build_wave
# {'runc': {}, 'containerd': {'depends': ['runc']}, 'tini': {}, 'moby': {'depends': ['containerd', 'runc']}}
# -> [['runc', 'tini'], ['containerd'], ['moby']]
# with late=true: [['runc'], ['containerd'], ['tini', 'moby']]
"""

RETURN = r"""
_value:
  description: The waves, in build order.
  type: list
  elements: list
  sample: [[runc, tini], [containerd], [moby]]
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_components import build_order


class FilterModule:
    def filters(self):
        return {
            'build_order': build_order,
        }
