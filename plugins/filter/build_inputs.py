# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_inputs
short_description: The build script and patches of one component, as the archive members put_file sends
version_added: 0.3.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - C(build.sh), the script the plan fingerprinted rendered with this host's build root, build account and GOROOT
    (P(sourcebuilt.docker.build_script#filter)), and each patch of the component as C(patches/NNN-<file name>),
    numbered in the order they apply.
extends_documentation_fragment:
  - sourcebuilt.docker.build_host
"""

EXAMPLES = r"""
# See roles/build/tasks/prepare.yml.
"""

RETURN = r"""
_value:
  description: Archive member path to a controller file, or, for build.sh, to a dict with its text as C(content).
  type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_inputs


class FilterModule:
    def filters(self):
        return {
            'build_inputs': build_inputs,
        }
