#!/usr/bin/python
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: artifact_state
short_description: Tell which built components have intact artifacts for a fingerprint
version_added: 0.1.0
description:
  - Reads C(<root>/<component>/<fingerprint>/manifest.json) for each component and checks every file
    the manifest lists against its recorded sha256.
  - A component is current when its manifest exists, names the same fingerprint, and every file is
    present with the recorded checksum. Anything else means the build role must produce it again.
  - Read-only; never reports a change.
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  root:
    description: Directory holding one subdirectory per component.
    type: path
    required: true
  components:
    description: Map of component name to the fingerprint its artifacts must carry.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Check which components are already built
  sourcebuilt.docker.artifact_state:
    root: /var/lib/sourcebuilt-docker/artifacts
    components:
      runc: 3f2a9c0d1e4b5a67
      containerd: 0a1b2c3d4e5f6789
  register: state
"""

RETURN = r"""
current:
  description: Names of the components whose artifacts are intact.
  type: list
  elements: str
  returned: always
  sample: [runc]
manifests:
  description: The manifest of every current component, by name.
  type: dict
  returned: always
problems:
  description: Why each non-current component is not current, by name.
  type: dict
  returned: always
  sample: {containerd: "no manifest at /var/lib/sourcebuilt-docker/artifacts/containerd/0a1b2c3d4e5f6789"}
"""

import hashlib
import json
import os

from ansible.module_utils.basic import AnsibleModule


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_component(root, name, fingerprint):
    """Return (manifest, problem); exactly one of them is None."""
    directory = os.path.join(root, name, fingerprint)
    manifest_path = os.path.join(directory, "manifest.json")
    if not os.path.isfile(manifest_path):
        return None, "no manifest at %s" % directory
    try:
        with open(manifest_path) as handle:
            manifest = json.load(handle)
    except (OSError, ValueError) as exc:
        return None, "unreadable manifest %s: %s" % (manifest_path, exc)
    if manifest.get("fingerprint") != fingerprint:
        return None, "manifest %s names fingerprint %s" % (manifest_path, manifest.get("fingerprint"))
    for entry in manifest.get("files", []):
        path = os.path.join(directory, entry["path"])
        if not os.path.isfile(path):
            return None, "missing %s" % path
        if sha256_file(path) != entry.get("sha256"):
            return None, "checksum mismatch on %s" % path
    return manifest, None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", required=True),
            components=dict(type="dict", required=True),
        ),
        supports_check_mode=True,
    )
    current, manifests, problems = [], {}, {}
    for name in sorted(module.params["components"]):
        manifest, problem = check_component(module.params["root"], name, str(module.params["components"][name]))
        if problem is None:
            current.append(name)
            manifests[name] = manifest
        else:
            problems[name] = problem
    module.exit_json(changed=False, current=current, manifests=manifests, problems=problems)


if __name__ == "__main__":
    main()
