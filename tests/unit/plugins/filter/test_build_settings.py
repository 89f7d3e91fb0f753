# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sourcebuilt.docker.build_settings_errors and build_forced: each bad run setting named with what is allowed, one
row per rule; what build_force forces for every spelling it takes."""

from __future__ import annotations

import pytest

from ansible_collections.sourcebuilt.docker.plugins.filter import build_forced as forced_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import build_settings_errors as errors_plugin

errors = errors_plugin.FilterModule().filters()['build_settings_errors']
forced = forced_plugin.FilterModule().filters()['build_forced']

PLAN = {'components': {'libseccomp': {}, 'runc': {'go': '1.19', 'depends': ['libseccomp']}, 'tini': {}},
        'go': {'1.19': {'source': 'distro'}}}
GOOD = {'build_profile': 'debian-bookworm', 'build_root': '/var/lib/sb', 'build_components': [], 'build_force': False,
        'build_jobs': 1, 'build_keep_artifacts': 2, 'build_parallel_set': False}
ALLOWED = 'libseccomp, runc, tini'


@pytest.mark.parametrize('settings', [
    {}, {'build_components': ['runc', 'tini']}, {'build_components': 'runc, tini'}, {'build_force': True},
    {'build_force': 'yes'}, {'build_force': ['runc']}, {'build_force': 'runc,tini'}, {'build_force': None},
    {'build_jobs': '2'}, {'build_keep_artifacts': 1},
])
def test_good_settings_have_no_errors(settings):
    assert errors(PLAN, dict(GOOD, **settings)) == []


@pytest.mark.parametrize('settings, plan, words', [
    ({'build_components': ['runc', 'nope']}, PLAN,
     ['build_components names nope, which is not a component of build_profile debian-bookworm; allowed: ' + ALLOWED]),
    ({'build_components': 'nope,zip'}, PLAN, ['build_components names nope, zip, which are not']),
    ({'build_components': ['runc', '']}, PLAN,
     ['build_components has an empty component name (["runc", ""])', 'build_profile debian-bookworm: ' + ALLOWED]),
    ({'build_force': ['runc', 'nope']}, PLAN,
     ['build_force is ["runc", "nope"]: nope is not a component', 'Allowed: true, false, or a list', ALLOWED]),
    ({'build_force': 'sometimes'}, PLAN, ['build_force is "sometimes": sometimes is not a component']),
    ({'build_jobs': 0}, PLAN, ['build_jobs is 0: set it to the number of compiles', '1 or more (1 = one after another)']),
    ({'build_jobs': 'two'}, PLAN, ['build_jobs is "two"']),
    ({'build_parallel_set': True}, PLAN, ['build_parallel was replaced by build_jobs', 'remove build_parallel']),
    ({'build_keep_artifacts': 0}, PLAN, ['build_keep_artifacts is 0', 'under /var/lib/sb/artifacts, 1 or more']),
    ({}, dict(PLAN, go={}), ["component runc wants Go toolchain '1.19', but neither the profile's go table nor "
                             'build_go_toolchains defines it (defined: none)']),
])
def test_each_bad_setting_is_named(settings, plan, words):
    found = errors(plan, dict(GOOD, **settings))
    assert len(found) == 1, found
    for word in words:
        assert word in found[0]


def test_every_problem_is_reported_at_once():
    found = errors(PLAN, dict(GOOD, build_components=['nope'], build_jobs=0, build_keep_artifacts=0))
    assert [message.split()[0] for message in found] == ['build_components', 'build_jobs', 'build_keep_artifacts']


@pytest.mark.parametrize('force, want', [
    (True, ['libseccomp', 'runc']), ('on', ['libseccomp', 'runc']), (1, ['libseccomp', 'runc']),
    (False, []), ('no', []), ('', []), (None, []), (0, []),
    (['runc'], ['runc']), ('runc, tini', ['runc', 'tini']), ('runc', ['runc']),
])
def test_what_build_force_forces(force, want):
    assert forced(force, ['libseccomp', 'runc']) == want
