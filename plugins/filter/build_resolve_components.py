# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: build_resolve_components
short_description: Resolve the build components of a release profile with inventory overrides
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Deep-merges each entry of O(overrides) (the inventory variable C(build_component_overrides)) into the component spec
    of the release profile with the same name. Dicts merge recursively; lists and scalars replace.
  - An override for a component the profile does not have is an error that lists the known components.
  - An override that moves a component to another source brings its own pin, so a profile pin never
    silently applies to other code - changing C(source.type) or C(source.ref) needs C(commit); changing
    C(source.url), or C(source.path) to a tarball, needs C(source.sha256); changing C(source.package) needs
    C(source.version). Changing only C(source.repo) (a fork or mirror at the same ref) keeps the pin.
  - Validates every resolved spec that is kept and fails with the variable to fix (C(build_component_overrides.<name>.<field>)
    when the override set that field, else C(profile component <name>)).
  - Rewrites the C(source.repo) of git sources that start with C(https://github.com/) to O(mirror), keeping the original in
    C(source.upstream_repo).
  - Drops components with C(enabled=false) and, when O(only) is given, components not listed there.
  - The inputs are not modified; a new dict (component name to spec) is returned, in profile order.
  - "Component spec fields:
    C(version) (string, required);
    C(commit) (string; the full 40-hex commit SHA, required for C(source.type=git); for other source types optional,
    7 to 40 hex characters);
    C(source) (dict, required) with C(type) one of V(git), V(archive), V(controller), V(debian);
    for V(git) C(repo) and C(ref) (tag or branch) are required and the top level C(commit) is the pin;
    for V(archive) C(url) and C(sha256) (64 hex) are required, C(strip) (int, default V(1)) is optional;
    for V(controller) C(path) is required and C(sha256) is required when the path ends with
    C(.tar.gz), C(.tgz), C(.tar.xz), C(.txz), C(.tar.bz2), C(.tar.zst), C(.tar) or C(.bundle) (a directory may omit it);
    for V(debian) C(package) and C(version) are required."
  - "Optional fields: C(recipe) (string), C(go) (string or null), C(build_tags) (list of strings), C(env) (dict of string
    to string), C(patches) (list of strings), C(patch_sets) (list of strings), C(depends) (list of component names that
    exist in the profile), C(artifacts) (list of strings), C(enabled) (bool, default V(true))."
  - Other fields are passed through unchanged, except names that look like a typo of a known field
    (for example C(commmit)), which are an error.
positional: overrides, mirror, only
options:
  _input:
    description: The components of the release profile, component name to spec.
    type: dict
    required: true
  overrides:
    description: Partial specs from the inventory (C(build_component_overrides)), component name to partial spec.
    type: dict
  mirror:
    description:
      - Base URL or path of a mirror of the GitHub repositories. A trailing slash is ignored.
      - "C(https://github.com/opencontainers/runc.git) with mirror V(/srv/mirrors) becomes
        C(/srv/mirrors/opencontainers/runc.git)."
      - An empty string or V(null) disables the rewriting.
    type: string
  only:
    description:
      - Keep only these components (a list, or a comma separated string). An unknown name is an error.
      - An empty list or V(null) keeps all enabled components.
    type: list
    elements: string
seealso:
  - plugin: sourcebuilt.docker.build_order
    plugin_type: filter
  - plugin: sourcebuilt.docker.build_fingerprint
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Resolve the components to build
  ansible.builtin.set_fact:
    build_components: >-
      {{ build_profile.components
         | sourcebuilt.docker.build_resolve_components(build_component_overrides | default({}),
                                                      mirror=build_git_mirror | default(''),
                                                      only=build_only | default([])) }}
  vars:
    build_profile:
      components:
        runc:
          version: 1.1.5
          commit: f19387a6bec4944c770f7668ab51c4348d9c2f38
          source:
            type: git
            repo: https://github.com/opencontainers/runc.git
            ref: v1.1.5
          build_tags: [seccomp]
    build_component_overrides:
      runc:
        build_tags: [seccomp, apparmor]
"""

RETURN = r"""
_value:
  description: The resolved components, component name to validated spec (with C(enabled) and, for archives, C(source.strip) filled in).
  type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_components import build_resolve_components


class FilterModule:
    def filters(self):
        return {
            'build_resolve_components': build_resolve_components,
        }
