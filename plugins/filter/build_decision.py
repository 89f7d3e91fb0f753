# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_decision
short_description: Decide per component what is current, what comes from the cache and what compiles
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Takes the selected components, those with intact artifacts of their fingerprint on the build host, those
    intact in the controller cache and the forced ones, and returns the lists and waves the role acts on.
options:
  _input:
    description: The plan (P(sourcebuilt.docker.build_plan#filter)).
    type: dict
    required: true
  selected:
    description: The components of this run (P(sourcebuilt.docker.build_select#filter)).
    type: list
    elements: str
    required: true
  current:
    description: Components with intact artifacts of their fingerprint on the build host.
    type: list
    elements: str
  cached:
    description: Components intact in the controller cache (or under C(build_cache_url)).
    type: list
    elements: str
  forced:
    description: Components that C(build_force) compiles whatever their state.
    type: list
    elements: str
  pull:
    description: C(build_cache_pull).
    type: bool
    default: true
"""

EXAMPLES = r"""
# See roles/build/tasks/preflight.yml and roles/build/tasks/prepare.yml.
"""

RETURN = r"""
_value:
  description: selected, current, todo, pullable, from_cache, compile, toolchains, debian_build_deps, waves.
  type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_decision


class FilterModule:
    def filters(self):
        return {
            'build_decision': build_decision,
        }
