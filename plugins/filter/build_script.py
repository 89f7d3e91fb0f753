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
extends_documentation_fragment:
  - sourcebuilt.docker.build_host
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
