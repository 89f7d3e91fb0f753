# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: release_rebuild_report
short_description: Compare the release a host runs with a rebuild of it, file by file
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Compares the components of the release a host runs (its manifest) with those a builder compiled again from
    the same inventory in another build root, by fingerprint and then by the sha256 of every file.
options:
  _input:
    description: The C(components) of the manifest of the host's current release.
    type: dict
    required: true
  rebuilt:
    description: The C(components) of the builder's C(build_release) fact after the rebuild.
    type: dict
    required: true
"""

EXAMPLES = r"""
# See playbooks/verify.yml (verify_rebuild).
"""

RETURN = r"""
_value:
  description: C(identical), C(not_rebuilt) (component names) and C(differences) (one sentence per difference).
  type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import release_rebuild_report


class FilterModule:
    def filters(self):
        return {
            'release_rebuild_report': release_rebuild_report,
        }
