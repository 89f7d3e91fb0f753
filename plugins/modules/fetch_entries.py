# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The action plugin plugins/action/fetch_entries.py does the work; this file holds its documentation.

from __future__ import annotations

DOCUMENTATION = r"""
module: fetch_entries
version_added: 0.2.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
short_description: Copy artifact entries from a build host into the controller cache (sourcebuilt.docker.fetch_entries)
description:
  - The files of every entry (C(COMPONENT/FINGERPRINT/PATH) under O(root)) travel in one plain tar that the host packs
    with C(tar) (no Python on the host) and the connection fetches.
  - On the controller each entry is written beside its place under O(dest), every file is checked against the sha256
    its manifest gives, the manifest is written last and the entry is renamed into place, so a reader of the cache
    never sees a partial entry. A file that differs from its manifest fails the task and leaves nothing of its entry.
  - An entry that is already intact under O(dest) is kept as it is (cache entries never change).
options:
  root:
    description: Absolute path on the host of the directory that holds C(COMPONENT/FINGERPRINT/) directories.
    type: str
    required: true
  dest:
    description: The controller cache directory.
    type: path
    required: true
  manifests:
    description: The manifests of the entries to copy (name, fingerprint and files, each with path and sha256).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Copy to the controller cache the entries it lacks
  sourcebuilt.docker.fetch_entries:
    root: /var/lib/sourcebuilt-docker/build/artifacts
    dest: "{{ build_cache_dir }}"
    manifests: "{{ __build_final.manifests.values() | selectattr('name', 'in', __build_unpublished) | list }}"
"""

RETURN = r"""
stored:
  description: The entries written (C(COMPONENT/FINGERPRINT)).
  returned: success
  type: list
  elements: str
kept:
  description: The entries already intact in the cache, left as they were.
  returned: success
  type: list
  elements: str
"""
