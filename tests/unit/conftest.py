# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Make ``ansible_collections.sourcebuilt.docker`` importable when the repository is not checked out inside an
``ansible_collections/sourcebuilt/docker`` tree (plain ``python -m pytest tests/unit`` from the repository root).

When the checkout already lives in such a tree (ansible-test), the tree's root is put on ``sys.path`` instead.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile

NAMESPACE = 'sourcebuilt'
NAME = 'docker'
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _collections_root():
    parts = os.path.realpath(REPO_ROOT).split(os.sep)
    if len(parts) >= 3 and parts[-3:] == ['ansible_collections', NAMESPACE, NAME]:
        return os.sep.join(parts[:-3]) or os.sep
    # Also honour a symlinked tree (REPO_ROOT itself as seen through the link).
    parts = os.path.abspath(REPO_ROOT).split(os.sep)
    if len(parts) >= 3 and parts[-3:] == ['ansible_collections', NAMESPACE, NAME]:
        return os.sep.join(parts[:-3]) or os.sep
    tmp = tempfile.mkdtemp(prefix='sourcebuilt-docker-units-')
    atexit.register(shutil.rmtree, tmp, True)
    namespace_dir = os.path.join(tmp, 'ansible_collections', NAMESPACE)
    os.makedirs(namespace_dir)
    os.symlink(REPO_ROOT, os.path.join(namespace_dir, NAME))
    return tmp


def _setup():
    root = _collections_root()
    # Namespace packages (ansible_collections, ansible_collections.sourcebuilt) recompute their path when sys.path
    # changes, so this works even if ansible_collections was imported before.
    if root not in sys.path:
        sys.path.insert(0, root)


_setup()
