# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_plan
short_description: Resolve, check, render and fingerprint the components of a release profile
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Merges the inventory's overrides into the profile's components and checks every field (unknown fields, recipes,
    eras, patch files, a release that lacks dockerd, containerd, runc or cli), naming the variable to fix.
  - Renders each component's build script (templates/build.sh.j2 and its recipe) with host-independent paths and
    fingerprints it together with the spec, the source identity, the patch contents, the Go toolchain entry, the
    target architecture, the machinery scripts and the fingerprints of the components it links.
options:
  _input:
    description: The release profile (roles/build/profiles/<name>.yml).
    type: dict
    required: true
  overrides:
    description: C(build_component_overrides).
    type: dict
  mirror:
    description: C(build_git_mirror).
    type: str
  go_toolchains:
    description: C(build_go_toolchains), merged over the profile's C(go) table.
    type: dict
  arch:
    description: The target architecture (C(ansible_facts.architecture)).
    type: str
    required: true
  role_path:
    description: The build role's directory (templates and patch sets).
    type: path
    required: true
  search:
    description: Directories where a relative patch path is looked up, in order.
    type: list
    elements: path
  revision:
    description: The machinery revision (bumped by hand when what the shared tasks produce changes).
    type: raw
"""

EXAMPLES = r"""
# See roles/build/tasks/preflight.yml and roles/build/tasks/prepare.yml.
"""

RETURN = r"""
_value:
  description: The plan; components, go, fingerprints, inputs, scripts, patches, waves, arch, role_path.
  type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_plan


class FilterModule:
    def filters(self):
        return {
            'build_plan': build_plan,
        }
