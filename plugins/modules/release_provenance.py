# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The action plugin plugins/action/release_provenance.py does the work; this file holds its documentation.

from __future__ import annotations

DOCUMENTATION = r"""
module: release_provenance
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
short_description: Sign the provenance of a release, or check it against trusted keys (on the controller)
description:
  - The provenance of a release is an in-toto Statement v1 with an SLSA provenance v1 predicate,
    C(<dir>/<release id>.intoto.json); its subjects are every file of the release (C(<component>/<path>)) with
    its sha256, its parameters the release id, profile and fingerprints, and the fingerprinted inputs of each
    component (rendered build script sha256, source, patches, Go toolchain, architecture). Deterministic.
  - With O(sign_with), writes the statement when O(dir) lacks it and signs it with C(ssh-keygen -Y sign) in
    namespace C(sourcebuilt-docker-release) into C(<release id>.intoto.json.sig). A statement already there that
    does not vouch for the release is an error, never replaced.
  - With O(trust), fails unless the statement is signed by a key of the allowed_signers file O(trust) (checked with
    C(ssh-keygen -Y verify)) and every file of O(release) is a subject with the same sha256.
  - Runs on the controller only (OpenSSH 8.1 or later); nothing runs on the host.
options:
  release:
    description: The C(build_release) fact of the build role, or the C(manifest.json) of a host's release.
    type: dict
    required: true
  plan:
    description: The build plan the release was built by; its inputs go into the statement.
    type: dict
  dir:
    description: Controller directory of the statements and signatures.
    type: path
    required: true
  sign_with:
    description: SSH private key to sign with, or a public key whose private half ssh-agent holds.
    type: path
  trust:
    description: An allowed_signers file (see ssh-keygen(1)); the release must be signed by one of its keys.
    type: path
attributes:
  check_mode:
    support: full
    description: Writes nothing; says what a run would write, and checks a signature already there.
"""

EXAMPLES = r"""
- name: Sign the provenance of the release just built
  sourcebuilt.docker.release_provenance:
    release: "{{ build_release }}"
    plan: "{{ __build_plan }}"
    dir: "{{ build_cache_dir }}/provenance"
    sign_with: /etc/sourcebuilt/release-signing-key

- name: Refuse a release that a trusted key did not sign as it is
  sourcebuilt.docker.release_provenance:
    release: "{{ install_release }}"
    dir: "{{ install_cache_dir }}/provenance"
    trust: /etc/sourcebuilt/allowed_signers
"""

RETURN = r"""
path:
  description: The statement's path on the controller.
  returned: success
  type: str
wrote:
  description: The files written (in check mode, that a run would write).
  returned: when sign_with is given
  type: list
  elements: str
signed_by:
  description: The principal of the allowed_signers file whose key signed the statement.
  returned: when trust is given
  type: str
"""
