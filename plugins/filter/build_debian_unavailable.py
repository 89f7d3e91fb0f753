# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_debian_unavailable
short_description: The Debian source pins a suite's index no longer carries
version_added: 0.3.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - One message per component whose C(source.type) is C(debian) and whose C(source.version) the suite's source
    index does not list, with the versions the suite now has and the override that pins one; a pin newer than every
    version listed is named as one from another suite than the host's.
options:
  _input:
    description: The resolved components (name -> spec) of the build plan.
    type: dict
    required: true
  versions:
    description: Per source package, the versions the index lists (the C(versions) of M(sourcebuilt.docker.debian_source_index)).
    type: dict
    required: true
  suite:
    description: The suite whose index was read.
    type: str
    required: true
  url:
    description: The index read, named in the messages.
    type: str
"""

EXAMPLES = r"""
# See roles/build/tasks/debian_index.yml.
"""

RETURN = r"""
_value:
  description: The messages, by component name; empty when every pin is in the index.
  type: list
  elements: str
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_components import build_debian_unavailable


class FilterModule:
    def filters(self):
        return {
            'build_debian_unavailable': build_debian_unavailable,
        }
