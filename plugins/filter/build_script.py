# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_script
short_description: The build script of one component for this host
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - The script the plan fingerprinted, rendered with this host's build root, build account and GOROOT.
options:
  _input:
    description: The plan (P(sourcebuilt.docker.build_plan#filter)).
    type: dict
    required: true
  name:
    description: The component.
    type: str
    required: true
  build_root:
    description: C(build_root).
    type: path
    required: true
  build_user:
    description: C(build_user).
    type: str
    required: true
  goroots:
    description: C(toolchain_goroots), Go toolchain name to GOROOT.
    type: dict
"""

EXAMPLES = r"""
# See roles/build/tasks/preflight.yml and roles/build/tasks/prepare.yml.
"""

RETURN = r"""
_value:
  description: The script text.
  type: str
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_script


class FilterModule:
    def filters(self):
        return {
            'build_script': build_script,
        }
