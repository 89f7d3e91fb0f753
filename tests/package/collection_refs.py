#!/usr/bin/env python3
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that a collection declares exactly the collections its files use.

    collection_refs.py COLLECTION_DIR KNOWN_COLLECTIONS_DIR

COLLECTION_DIR is an installed collection (its MANIFEST.json names the declared dependencies).
KNOWN_COLLECTIONS_DIR is an ``ansible_collections`` tree that holds every collection a reference could
name (the one the PyPI ``ansible`` package installs). A reference is a fully qualified name
``namespace.collection.plugin`` in a role, playbook, inventory or plugin file, or an
``ansible_collections.namespace.collection`` import, whose ``namespace/collection`` exists there.
Prints each undeclared collection with the files that use it, and each declared one nothing uses;
exits 1 when there is either.
"""

from __future__ import annotations

import json
import os
import re
import sys

SCANNED = ('roles', 'playbooks', 'plugins', 'inventory', 'meta')
SUFFIXES = ('.yml', '.yaml', '.j2', '.py', '.json')
FQCN = re.compile(r'(?<![\w.])([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.[a-z_][a-z0-9_]*')
IMPORT = re.compile(r'ansible_collections\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)')
BUILTIN = {'ansible.builtin', 'ansible.legacy'}


def references(collection_dir, known):
    """Map each known collection (other than the builtin ones) to the 'file:line' places that name it."""
    found = {}
    for top in SCANNED:
        for dirpath, dirnames, filenames in os.walk(os.path.join(collection_dir, top)):
            dirnames[:] = sorted(d for d in dirnames if d != '__pycache__')
            for filename in sorted(filenames):
                if not filename.endswith(SUFFIXES):
                    continue
                path = os.path.join(dirpath, filename)
                with open(path, encoding='utf-8') as handle:
                    for number, line in enumerate(handle, 1):
                        for match in list(FQCN.finditer(line)) + list(IMPORT.finditer(line)):
                            name = '%s.%s' % match.groups()
                            if name in known and name not in BUILTIN:
                                place = '%s:%d' % (os.path.relpath(path, collection_dir), number)
                                found.setdefault(name, []).append(place)
    return found


def known_collections(tree):
    names = set()
    for namespace in os.listdir(tree):
        if os.path.isdir(os.path.join(tree, namespace)):
            for name in os.listdir(os.path.join(tree, namespace)):
                if os.path.isfile(os.path.join(tree, namespace, name, 'MANIFEST.json')):
                    names.add('%s.%s' % (namespace, name))
    return names


def problems(collection_dir, known_tree):
    with open(os.path.join(collection_dir, 'MANIFEST.json'), encoding='utf-8') as handle:
        info = json.load(handle)['collection_info']
    own = '%s.%s' % (info['namespace'], info['name'])
    declared = set(info.get('dependencies') or {})
    used = references(collection_dir, known_collections(known_tree) | declared | {own})
    used.pop(own, None)
    lines = []
    for name in sorted(set(used) - declared):
        lines.append('%s is used but not declared in galaxy.yml dependencies: %s' % (name, ', '.join(used[name][:5])))
    for name in sorted(declared - set(used)):
        lines.append('%s is declared in galaxy.yml dependencies but no role, playbook or plugin uses it' % name)
    return lines


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    lines = problems(argv[1], argv[2])
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
