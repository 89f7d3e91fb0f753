# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The action plugin plugins/action/put_file.py does the work; this file holds its documentation.

from __future__ import annotations

DOCUMENTATION = r"""
module: put_file
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
short_description: Put a file on a host without Python on it (sourcebuilt.docker.put_file)
description:
  - Exactly one of O(src), O(content) or O(archive) gives the bytes. They are written to O(dest) through the connection
    (put_file into the remote tmp dir, then cp, chmod and an atomic mv), with no module and no Python on the host.
  - When O(dest) already has the same sha256 (O(sha256_cmd) on the host), nothing is written.
  - With C(--diff), a change of O(content) is shown (texts up to 64 KiB).
options:
  src:
    description: A file on the controller.
    type: path
  content:
    description: The text to write.
    type: str
  archive:
    description:
      - "Path in the archive -> controller file (mode 0755), or C({content: TEXT}) (mode 0644); a gzip tar of them is
        built on the controller, owner 0."
    type: dict
  dest:
    description: Absolute path on the host.
    type: path
    required: true
  mode:
    description: Octal mode of the written file.
    type: str
    default: '0644'
  backup:
    description: "Keep the replaced file as C(DEST.PID.YYYY-mm-dd@HH:MM:SS~) (the daemon role's backup name)."
    type: bool
    default: false
  sha256_cmd:
    description: Command that prints the sha256 of its standard input on the host.
    type: str
    default: sha256sum
  validate:
    description:
      - A command run on the host with C(%s) replaced by the new file, before it replaces O(dest); when it fails,
        O(dest) is left as it was.
    type: str
"""

EXAMPLES = r"""
- name: Put the release tarball on a host without Python
  sourcebuilt.docker.put_file:
    src: /tmp/release.tar.gz
    dest: /opt/sourcebuilt-docker/incoming/release.tar.gz
    mode: '0600'
"""

RETURN = r"""
sha256:
  description: The sha256 of what was written (or would be).
  returned: success
  type: str
"""
