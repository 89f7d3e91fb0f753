# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_cache_differences
short_description: The files in which a build differs from the published cache entry of the same fingerprint
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Compares, per component present in both, the files of the manifest built on a host with those of the
    manifest of the controller cache entry of the same fingerprint, by sha256. A file on only one side counts.
options:
  _input:
    description: Manifests built here, by component (C(manifests) of P(sourcebuilt.docker.artifact_state#module)).
    type: dict
    required: true
  cached:
    description: Manifests of the controller cache entries, by component.
    type: dict
    required: true
"""

EXAMPLES = r"""
# See roles/build/tasks/publish.yml.
"""

RETURN = r"""
_value:
  description: Component name to the list of differing files (path, sha256 here, sha256 in the cache).
  type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_cache_differences


class FilterModule:
    def filters(self):
        return {
            'build_cache_differences': build_cache_differences,
        }
