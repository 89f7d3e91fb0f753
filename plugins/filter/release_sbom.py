# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: release_sbom
short_description: The CycloneDX 1.6 software bill of materials of a release
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - One component per built component (version, source identity as a purl, fingerprint, build settings, patches with
    their sha256 and text, every file with its sha256), the Go toolchain, the builder's C tool packages and the Debian
    golang-*-dev packages a GOPATH build compiled in, and which component links or embeds which.
  - With O(cache), the Go modules each Go binary records in its build information (what C(go version -m) prints),
    read from the controller cache's copy of the binary when its sha256 is the manifest's, as CycloneDX libraries
    (C(pkg:golang/<module path>@<version>), the go.sum C(h1:) hash and any C(replace) as properties) that the binary
    and its component depend on. A binary built in GOPATH mode records no modules, which its properties say.
  - Deterministic; no timestamp, and the serial number is derived from the release id.
options:
  _input:
    description: The C(build_release) fact of the build role.
    type: dict
    required: true
  plan:
    description: The build plan the release was built by (P(sourcebuilt.docker.build_plan#filter)).
    type: dict
    required: true
  packages:
    description: Package name to the version installed on the builder (golang-*, gcc, libc6-dev), or the output of
      C(dpkg-query -W -f='${Package} ${Version}\n').
    type: raw
  controls:
    description: Component name to the text of the C(debian/control) of its Debian source package (its Build-Depends).
    type: dict
  tool:
    description: The version of this collection, named as the tool that wrote the SBOM.
    type: str
  cache:
    description: The controller cache (C(build_cache_dir)) holding the release's files as
      C(<cache>/<component>/<fingerprint>/<path>), to read the Go modules of each Go binary; none are read without it.
    type: path
"""

EXAMPLES = r"""
# See roles/build/tasks/sbom.yml.
"""

RETURN = r"""
_value:
  description: The CycloneDX document.
  type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.sbom import debian_build_depends, release_sbom, tail_files


class FilterModule:
    def filters(self):
        return {
            'release_sbom': release_sbom,
            'debian_build_depends': debian_build_depends,
            'tail_files': tail_files,
        }
