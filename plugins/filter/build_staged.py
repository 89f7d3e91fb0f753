# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_staged
short_description: The artifacts a build host holds after this run, without reading them again
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Adds to the preflight's reading of the build host's artifacts the manifests this run staged and verified
    (compiled, or taken from the controller cache), so publishing starts no second reading on the host.
  - A staged manifest whose fingerprint is not the plan's for its component is ignored.
options:
  _input:
    description: The preflight's reading (P(sourcebuilt.docker.artifact_state#module)) of every component of the plan.
    type: dict
    required: true
  staged:
    description: Component name to the manifest this run staged for it.
    type: dict
    required: true
  fingerprints:
    description: Component name to its fingerprint in the plan.
    type: dict
    required: true
"""

EXAMPLES = r"""
# See roles/build/tasks/publish.yml.
"""

RETURN = r"""
_value:
  description: current (sorted names), manifests and problems, as P(sourcebuilt.docker.artifact_state#module) returns them.
  type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_staged


class FilterModule:
    def filters(self):
        return {
            'build_staged': build_staged,
        }
