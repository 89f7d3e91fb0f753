# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The committed role reference (docs/reference/*.md and the engine's passed-on options) is what
hack/role_reference.py generates from the argument specs."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, 'hack', 'role_reference.py')
SPEC = importlib.util.spec_from_file_location('role_reference', SCRIPT)
role_reference = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(role_reference)


def test_the_committed_reference_is_up_to_date():
    stale = [rel for rel, content in role_reference.generated(REPO).items()
             if not os.path.exists(os.path.join(REPO, rel)) or open(os.path.join(REPO, rel), encoding='utf-8').read() != content]
    assert stale == [], 'run hack/role_reference.py and commit: %s' % ', '.join(stale)


def test_check_fails_on_a_changed_spec_and_write_fixes_it(tmp_path):
    repo = tmp_path / 'repo'
    for rel in ['roles', 'docs/reference']:
        shutil.copytree(os.path.join(REPO, rel), repo / rel)
    spec = repo / 'roles/daemon/meta/argument_specs.yml'
    spec.write_text(spec.read_text().replace('Sets C(live-restore)', 'Turns on C(live-restore)'))
    run = [sys.executable, SCRIPT, '--check', str(repo)]
    result = subprocess.run(run, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert 'roles/engine/meta/argument_specs.yml' in result.stdout and 'docs/reference/daemon.md' in result.stdout
    subprocess.run([sys.executable, SCRIPT, str(repo)], check=True, capture_output=True)
    assert subprocess.run(run, capture_output=True, text=True, check=False).returncode == 0
    assert 'Turns on `live-restore`' in (repo / 'docs/reference/daemon.md').read_text()


def test_the_engine_main_entry_point_lists_what_users_set_through_it():
    with open(os.path.join(REPO, 'roles/engine/meta/argument_specs.yml'), encoding='utf-8') as handle:
        engine = yaml.safe_load(handle)['argument_specs']['main']['options']
    specs = role_reference.load_specs(REPO)
    for role in role_reference.PASSED_ON:
        for name, option in specs[role]['main']['options'].items():
            if name in role_reference.SET_BY_THE_ROLES:
                assert name not in engine
            else:
                # Same type, default, choices and elements as the role that reads it; never required.
                for key in ('type', 'default', 'choices', 'elements', 'required'):
                    assert engine[name].get(key) == option.get(key), (name, key)
    assert 'engine_builders_group' in engine and 'engine_uninstall_data_root' not in engine
