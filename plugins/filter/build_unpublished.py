# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_unpublished
short_description: The components a build host copies to the controller cache
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Those compiled in this run whose controller cache entry is not intact, and, when the cache entries of the
    components held intact on the host without a compile in this run were read, those of them whose entry is
    missing or damaged. So a controller with an empty cache gets the builders' artifacts without a compile.
options:
  _input:
    description: The components compiled in this run.
    type: list
    elements: str
    required: true
  compiled_in_cache:
    description: The compiled components whose controller cache entry is intact.
    type: list
    elements: str
    required: true
  held:
    description: The selected components with intact artifacts on the host.
    type: list
    elements: str
  held_in_cache:
    description: The held components whose controller cache entry is intact; C(none) when not read (nothing held is copied).
    type: list
    elements: str
"""

EXAMPLES = r"""
# See roles/build/tasks/publish.yml.
"""

RETURN = r"""
_value:
  description: Component names, sorted.
  type: list
  elements: str
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_unpublished


class FilterModule:
    def filters(self):
        return {
            'build_unpublished': build_unpublished,
        }
