# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_settings_errors
short_description: Check the build role's run settings before anything changes
version_added: 0.3.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Returns every problem of C(build_components), C(build_force), C(build_jobs) (and the replaced C(build_parallel)),
    C(build_keep_artifacts) and the Go toolchain each component of the plan wants, as one message each that names
    the variable and what is allowed, so one preflight task refuses bad input before a file on the host changes.
options:
  _input:
    description: The plan (P(sourcebuilt.docker.build_plan#filter)).
    type: dict
    required: true
  settings:
    description:
      - C(build_profile), C(build_root), C(build_components), C(build_force), C(build_jobs), C(build_keep_artifacts),
        and C(build_parallel_set) (true when the replaced C(build_parallel) is defined).
    type: dict
    required: true
"""

EXAMPLES = r"""
# See roles/build/tasks/preflight.yml.
"""

RETURN = r"""
_value:
  description: One message per problem; empty when every setting is fine.
  type: list
  elements: str
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_settings_errors


class FilterModule:
    def filters(self):
        return {
            'build_settings_errors': build_settings_errors,
        }
