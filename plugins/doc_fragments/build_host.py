# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The options of the filters that render one component's build for a host (build_script, build_inputs)."""

    DOCUMENTATION = r"""
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
