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
  - Once an entry is verified, C(<root>/<component>/<fingerprint>/.verified.json) records the device, inode, size,
    mtime and ctime of each file with its sha256 (not in check mode). A file whose stat is still the recorded one is
    not read again; any write, chmod or new link moves its ctime, which no user can set back, and it is hashed.
  - Never reports a change; the record is its only write.
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
  controller:
    description:
      - Read O(root) on the controller, in the controller's process (the action plugin), not on the host; the
        controller cache of the build role is read so. A task delegated to localhost without become runs there too.
    type: bool
    default: false
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

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.sourcebuilt.docker.plugins.module_utils.artifact_state import artifact_state


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", required=True),
            components=dict(type="dict", required=True),
            # Read by the action plugin, which runs the check itself on the controller.
            controller=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    module.exit_json(changed=False, **artifact_state(module.params["root"], module.params["components"], module.check_mode))


if __name__ == "__main__":
    main()
