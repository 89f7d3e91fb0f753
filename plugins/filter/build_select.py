# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_select
short_description: The components a run builds
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - C(build_components) if given, else the component names among the run's tags, else every component; plus what
    they depend on, transitively, in profile order.
options:
  _input:
    description: The plan (P(sourcebuilt.docker.build_plan#filter)).
    type: dict
    required: true
  components:
    description: C(build_components).
    type: list
    elements: str
  run_tags:
    description: C(ansible_run_tags).
    type: list
    elements: str
"""

EXAMPLES = r"""
# See roles/build/tasks/preflight.yml and roles/build/tasks/prepare.yml.
"""

RETURN = r"""
_value:
  description: Component names.
  type: list
  elements: str
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_select


class FilterModule:
    def filters(self):
        return {
            'build_select': build_select,
        }
