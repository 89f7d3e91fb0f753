# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/package/collection_refs.py: the dependency check of make package, on small collection trees."""

from __future__ import annotations

import importlib.util
import json
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location('collection_refs', os.path.join(HERE, '..', 'package', 'collection_refs.py'))
collection_refs = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(collection_refs)

KNOWN = ('community.general', 'community.docker', 'ansible.posix', 'ansible.builtin')


def _tree(tmp_path, declared, files):
    known = tmp_path / 'known'
    for name in KNOWN:
        (known / name.replace('.', '/')).mkdir(parents=True)
        (known / name.replace('.', '/') / 'MANIFEST.json').write_text('{}')
    coll = tmp_path / 'coll'
    (coll / 'roles/r/tasks').mkdir(parents=True)
    (coll / 'plugins/filter').mkdir(parents=True)
    info = {'namespace': 'sourcebuilt', 'name': 'docker', 'dependencies': declared}
    (coll / 'MANIFEST.json').write_text(json.dumps({'collection_info': info}))
    for path, text in files.items():
        (coll / path).write_text(text)
    return str(coll), str(known)


CASES = [
    ('nothing used, nothing declared', {}, {}, []),
    ('own and builtin names only', {}, {'roles/r/tasks/main.yml': "- ansible.builtin.debug: {msg: '{{ x | sourcebuilt.docker.f }}'}\n"}, []),
    ('attribute chains are not collections', {}, {'roles/r/tasks/main.yml': "msg: '{{ item.stat.path }} www.gnu.org os.path.join'\n"}, []),
    ('a declared filter', {'community.general': '>=10'}, {'roles/r/tasks/main.yml': "x: \"{{ y | map('community.general.dict_kv', 'p') }}\"\n"}, []),
    ('an undeclared filter', {}, {'roles/r/tasks/main.yml': "x: \"{{ y | map('community.general.dict_kv', 'p') }}\"\n"},
     ['community.general is used but not declared in galaxy.yml dependencies: roles/r/tasks/main.yml:1']),
    ('an undeclared module', {}, {'roles/r/tasks/main.yml': '- community.docker.docker_container: {}\n'},
     ['community.docker is used but not declared in galaxy.yml dependencies: roles/r/tasks/main.yml:1']),
    ('an undeclared import in a plugin', {}, {'plugins/filter/f.py': 'from ansible_collections.ansible.posix.plugins import x\n'},
     ['ansible.posix is used but not declared in galaxy.yml dependencies: plugins/filter/f.py:1']),
    ('a declared collection nothing uses', {'community.docker': '>=4'}, {},
     ['community.docker is declared in galaxy.yml dependencies but no role, playbook or plugin uses it']),
]


@pytest.mark.parametrize('declared, files, expected', [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problems(tmp_path, declared, files, expected):
    assert collection_refs.problems(*_tree(tmp_path, declared, files)) == expected
