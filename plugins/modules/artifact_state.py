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
import tempfile

from ansible.module_utils.basic import AnsibleModule


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


RECORD = ".verified.json"


def stat_key(path):
    """What the record keeps of a file: device, inode, size, mtime and ctime (ns)."""
    st = os.stat(path)
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def read_record(directory):
    """The entry's record of verified files, path -> {stat, sha256}; empty when missing or unreadable."""
    try:
        with open(os.path.join(directory, RECORD)) as handle:
            files = json.load(handle).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def write_record(directory, files):
    """Replace the record atomically; an entry this user cannot write keeps no record."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".verified.", dir=directory)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump({"files": files}, handle, sort_keys=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, os.path.join(directory, RECORD))
    except OSError:
        os.unlink(tmp)
        return False
    return True


def check_component(root, name, fingerprint, hashed=None):
    """Return (manifest, problem, record): exactly one of manifest and problem is None; record is the
    verified files' stat and sha256 (None unless the entry is intact). Paths read go to `hashed`."""
    directory = os.path.join(root, name, fingerprint)
    manifest_path = os.path.join(directory, "manifest.json")
    if not os.path.isfile(manifest_path):
        return None, "no manifest at %s" % directory, None
    try:
        with open(manifest_path) as handle:
            manifest = json.load(handle)
    except (OSError, ValueError) as exc:
        return None, "unreadable manifest %s: %s" % (manifest_path, exc), None
    if manifest.get("fingerprint") != fingerprint:
        return None, "manifest %s names fingerprint %s" % (manifest_path, manifest.get("fingerprint")), None
    known = read_record(directory)
    record = {}
    for entry in manifest.get("files", []):
        path = os.path.join(directory, entry["path"])
        if not os.path.isfile(path):
            return None, "missing %s" % path, None
        key = stat_key(path)
        if known.get(entry["path"]) != {"stat": key, "sha256": entry.get("sha256")}:
            if hashed is not None:
                hashed.append(path)
            if sha256_file(path) != entry.get("sha256"):
                return None, "checksum mismatch on %s" % path, None
        record[entry["path"]] = {"stat": key, "sha256": entry.get("sha256")}
    return manifest, None, record


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
        directory = os.path.join(module.params["root"], name, str(module.params["components"][name]))
        manifest, problem, record = check_component(module.params["root"], name, str(module.params["components"][name]))
        if problem is None:
            current.append(name)
            manifests[name] = manifest
            if not module.check_mode and record != read_record(directory):
                write_record(directory, record)
        else:
            problems[name] = problem
    module.exit_json(changed=False, current=current, manifests=manifests, problems=problems)


if __name__ == "__main__":
    main()
