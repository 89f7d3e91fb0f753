# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The patch loop, roles/build/files/apply-patches.sh, run directly with bash against small temporary
trees: a patch applies, an already applied one is reported and skipped, and one that does neither
fails with the file and the rejected hunk. Also: every patch set a profile
names exists and says in its header what it is for."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APPLY = os.path.join(REPO_ROOT, 'roles', 'build', 'files', 'apply-patches.sh')
PATCH_SETS = os.path.join(REPO_ROOT, 'roles', 'build', 'files', 'patch_sets')
PROFILES = os.path.join(REPO_ROOT, 'roles', 'build', 'profiles')

pytestmark = pytest.mark.skipif(shutil.which('patch') is None, reason='GNU patch is not installed')

ORIGINAL = 'line one\nline two\nline three\nline four\nline five\n'
PATCHED = 'line one\nline two\nline 3 (patched)\nline four\nline five\n'
PATCH = """--- a/file.txt
+++ b/file.txt
@@ -1,5 +1,5 @@
 line one
 line two
-line three
+line 3 (patched)
 line four
 line five
"""


def _apply(tree, name='demo', patch_dir=None):
    argv = ['bash', APPLY, str(tree), name] + ([patch_dir] if patch_dir else [])
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def _tree(tmp_path, content, patches):
    (tmp_path / 'src').mkdir()
    (tmp_path / 'src' / 'file.txt').write_text(content)
    (tmp_path / 'patches').mkdir()
    for index, (name, text) in enumerate(patches):
        (tmp_path / 'patches' / ('%03d-%s.patch' % (index + 1, name))).write_text(text)
    return tmp_path


def _run(tree):
    return _apply(tree)


def test_a_fresh_patch_is_applied(tmp_path):
    tree = _tree(tmp_path, ORIGINAL, [('fix', PATCH)])
    result = _run(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ['applied 001-fix.patch']
    assert (tree / 'src' / 'file.txt').read_text() == PATCHED
    assert (tree / 'patches.log').read_text() == 'applied 001-fix.patch\n'


def test_an_already_applied_patch_is_reported_and_skipped(tmp_path):
    tree = _tree(tmp_path, PATCHED, [('fix', PATCH)])
    result = _run(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ['already applied 001-fix.patch (skipped: the tree carries it)']
    assert (tree / 'src' / 'file.txt').read_text() == PATCHED
    assert not list((tree / 'src').glob('*.rej')) and not list((tree / 'src').glob('*.orig'))


def test_the_same_patch_twice_applies_once_then_is_skipped(tmp_path):
    tree = _tree(tmp_path, ORIGINAL, [('fix', PATCH), ('fix-again', PATCH)])
    result = _run(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        'applied 001-fix.patch', 'already applied 002-fix-again.patch (skipped: the tree carries it)']
    assert (tree / 'src' / 'file.txt').read_text() == PATCHED


def test_a_patch_that_neither_applies_nor_is_applied_fails_with_the_rejected_hunk(tmp_path):
    tree = _tree(tmp_path, ORIGINAL.replace('line three', 'line tres'), [('fix', PATCH)])
    result = _run(tree)
    assert result.returncode == 1
    out = result.stdout
    assert 'patch 001-fix.patch does not apply to demo (nor is it already applied):' in out
    assert 'FAILED' in out and 'file.txt' in out
    assert '--- rejected hunk(s) in ./file.txt.rej:' in out
    assert '-line three' in out and '+line 3 (patched)' in out


def test_a_later_patch_is_not_tried_after_a_failure(tmp_path):
    other = PATCH.replace('line two\n-line three\n+line 3 (patched)', 'line two\n-line three\n+line 3 (other)')
    tree = _tree(tmp_path, ORIGINAL.replace('line three', 'line tres'), [('bad', PATCH), ('later', other)])
    result = _run(tree)
    assert result.returncode == 1
    assert '002-later.patch' not in result.stdout


def test_patch_dir_is_where_the_patches_apply(tmp_path):
    tree = _tree(tmp_path, ORIGINAL, [])
    (tree / 'src' / 'engine').mkdir()
    (tree / 'src' / 'engine' / 'file.txt').write_text(ORIGINAL)
    (tree / 'patches' / '001-fix.patch').write_text(PATCH)
    result = _apply(tree, patch_dir='engine')
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tree / 'src' / 'engine' / 'file.txt').read_text() == PATCHED
    assert (tree / 'src' / 'file.txt').read_text() == ORIGINAL


def _profiles():
    for name in sorted(os.listdir(PROFILES)):
        with open(os.path.join(PROFILES, name)) as handle:
            yield name[:-len('.yml')], yaml.safe_load(handle)


@pytest.mark.parametrize('profile_name, profile', list(_profiles()))
def test_every_patch_set_a_profile_names_exists(profile_name, profile):
    for component, spec in profile['components'].items():
        named = spec.get('patch_sets', []) + [p[len('patch_sets/'):-len('.patch')]
                                              for p in spec.get('patches', []) if p.startswith('patch_sets/')]
        for patch_set in named:
            path = os.path.join(PATCH_SETS, patch_set + '.patch')
            assert os.path.isfile(path), '%s: %s names missing patch set %s' % (profile_name, component, patch_set)


@pytest.mark.parametrize('profile_name, profile', list(_profiles()))
def test_every_profile_states_its_go_versions(profile_name, profile):
    versions = profile.get('go_versions')
    assert isinstance(versions, dict), profile_name
    assert versions.get('pinned'), profile_name
    assert isinstance(versions.get('known_to_work'), list) and isinstance(versions.get('untested'), list)
    assert versions['pinned'] in profile['description'], profile_name


@pytest.mark.parametrize('patch_set', sorted(f for f in os.listdir(PATCH_SETS) if f.endswith('.patch'))
                         if os.path.isdir(PATCH_SETS) else [])
def test_every_patch_set_has_a_header_and_one_target_tree(patch_set):
    with open(os.path.join(PATCH_SETS, patch_set)) as handle:
        text = handle.read()
    header = text.split('\n--- ', 1)[0]
    assert re.search(r'^Applies to: ', header, re.M), '%s: the header must say which trees it is for' % patch_set
    assert re.search(r'^What it does: ', header, re.M), '%s: the header must say what it does' % patch_set
    assert '\n+++ ' in text and '\n@@ ' in text, patch_set


def test_a_patch_dir_that_is_not_in_the_tree_fails_naming_it(tmp_path):
    tree = _tree(tmp_path, ORIGINAL, [('fix', PATCH)])
    result = _apply(tree, patch_dir='engine')
    assert result.returncode == 1
    assert result.stdout.splitlines() == ['patch_dir engine is not a directory of the source tree of demo']
