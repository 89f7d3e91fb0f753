# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_forced
short_description: The components build_force compiles whatever their state
version_added: 0.3.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - C(build_force) true (or yes, on, 1) forces every selected component, false (or no, off, 0, empty) none; a list, a
    comma-separated string or one name forces those components (P(sourcebuilt.docker.build_settings_errors#filter)
    refuses names the profile does not have).
options:
  _input:
    description: C(build_force).
    type: raw
    required: true
  selected:
    description: The components the run builds (P(sourcebuilt.docker.build_select#filter)).
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
# See roles/build/tasks/preflight.yml.
"""

RETURN = r"""
_value:
  description: Component names.
  type: list
  elements: str
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_forced


class FilterModule:
    def filters(self):
        return {
            'build_forced': build_forced,
        }
