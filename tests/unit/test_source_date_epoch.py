# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/build/files/source-date-epoch.sh, run directly with bash against small temporary trees: the date a
build stamps is the source's (Debian's changelog, a git commit, or the newest file the patches left alone),
never the clock's; a tree it cannot date fails naming why."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO_ROOT, 'roles', 'build', 'files', 'source-date-epoch.sh')

CHANGELOG = """tini (0.19.0-1) unstable; urgency=medium

  * New upstream release.

 -- J. Maintainer <jm@example.org>  Tue, 14 Mar 2023 10:00:00 +0100

tini (0.18.0-1) unstable; urgency=medium

  * Older.

 -- J. Maintainer <jm@example.org>  Mon, 01 Jan 2018 00:00:00 +0000
"""


def _run(tree, stamp):
    return subprocess.run(['bash', SCRIPT, str(tree), str(stamp)], capture_output=True, text=True, check=False)


def _stamp(tmp_path, when=None):
    stamp = tmp_path / 'patches'
    stamp.mkdir()
    if when is not None:
        os.utime(stamp, (when, when))
    return stamp


def test_the_newest_changelog_entry_dates_a_debian_tree(tmp_path):
    (tmp_path / 'src' / 'debian').mkdir(parents=True)
    (tmp_path / 'src' / 'debian' / 'changelog').write_text(CHANGELOG)
    result = _run(tmp_path / 'src', _stamp(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == '1678784400\n'  # 2023-03-14 09:00:00 UTC


def test_a_changelog_without_a_dated_entry_is_refused(tmp_path):
    (tmp_path / 'src' / 'debian').mkdir(parents=True)
    (tmp_path / 'src' / 'debian' / 'changelog').write_text('tini (0.19.0-1) unstable; urgency=medium\n')
    result = _run(tmp_path / 'src', _stamp(tmp_path))
    assert result.returncode == 1 and 'no dated entry' in result.stderr


@pytest.mark.skipif(shutil.which('git') is None, reason='git is not installed')
def test_the_commit_dates_a_git_checkout(tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    (src / 'main.go').write_text('package main\n')
    env = dict(os.environ, GIT_AUTHOR_DATE='@1600000000 +0000', GIT_COMMITTER_DATE='@1600000000 +0000',
               GIT_AUTHOR_NAME='a', GIT_AUTHOR_EMAIL='a@example.org', GIT_COMMITTER_NAME='a', GIT_COMMITTER_EMAIL='a@example.org')
    for argv in (['git', 'init', '-q'], ['git', 'add', '.'], ['git', 'commit', '-q', '-m', 'one']):
        subprocess.run(argv, cwd=src, env=env, check=True)
    result = _run(src, _stamp(tmp_path))
    assert result.stdout == '1600000000\n', result.stderr


def test_an_archive_tree_is_dated_by_its_newest_file_the_patches_left_alone(tmp_path):
    src = tmp_path / 'src'
    (src / 'sub').mkdir(parents=True)
    for name, when in (('a.c', 1500000000), ('sub/b.c', 1500000100)):
        (src / name).write_text(name)
        os.utime(src / name, (when, when))
    stamp = _stamp(tmp_path, 1700000000)
    # A file a patch changed (newer than the stamp) does not count.
    (src / 'patched.c').write_text('patched')
    os.utime(src / 'patched.c', (1700000500, 1700000500))
    result = _run(src, stamp)
    assert result.stdout == '1500000100\n', result.stderr


def test_a_tree_with_only_patched_files_is_refused(tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    (src / 'new.c').write_text('new')
    os.utime(src / 'new.c', (1700000500, 1700000500))
    result = _run(src, _stamp(tmp_path, 1700000000))
    assert result.returncode == 1 and 'no file in' in result.stderr
