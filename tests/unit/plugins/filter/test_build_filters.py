# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import copy
import hashlib

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import build_fingerprint as fingerprint_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import build_order as order_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import build_resolve_components as resolve_plugin

build_fingerprint = fingerprint_plugin.FilterModule().filters()['build_fingerprint']
build_order = order_plugin.FilterModule().filters()['build_order']
build_resolve_components = resolve_plugin.FilterModule().filters()['build_resolve_components']

RUNC_SHA = 'f19387a6bec4944c770f7668ab51c4348d9c2f38'
CTRD_SHA = '2806fc1057397dbaeefbea0e4e17bddfbd388f38'
SUM = 'a' * 64


def profile():
    return {
        'runc': {
            'version': '1.1.5',
            'commit': RUNC_SHA,
            'source': {'type': 'git', 'repo': 'https://github.com/opencontainers/runc.git', 'ref': 'v1.1.5'},
            'build_tags': ['seccomp'],
            'env': {'CGO_ENABLED': '1'},
        },
        'containerd': {
            'version': '1.6.20',
            'commit': CTRD_SHA,
            'source': {'type': 'git', 'repo': 'https://github.com/containerd/containerd.git', 'ref': 'v1.6.20'},
            'depends': ['runc'],
            'go': '1.19.8',
        },
        'tini': {
            'version': '0.19.0',
            'source': {'type': 'archive', 'url': 'https://example.invalid/tini-0.19.0.tar.gz', 'sha256': SUM},
        },
        'cli': {
            'version': '20.10.24',
            'source': {'type': 'debian', 'package': 'docker.io', 'version': '20.10.24+dfsg1-1'},
            'enabled': False,
        },
    }


# ----------------------------------------------------------------------------------------------------------------------
# build_fingerprint

@pytest.mark.parametrize('value, canonical', [
    ({'b': 1, 'a': [2, 1]}, '{"a":[2,1],"b":1}'),
    ([], '[]'),
    ('é', '"\\u00e9"'),
    (None, 'null'),
    ({'x': (1, 2), 'y': {'z': True, 'a': 1.5}}, '{"x":[1,2],"y":{"a":1.5,"z":true}}'),
])
def test_fingerprint_canonical(value, canonical):
    assert build_fingerprint(value) == hashlib.sha256(canonical.encode()).hexdigest()


def test_fingerprint_dict_order_irrelevant_list_order_relevant():
    first = {'a': 1, 'b': {'c': [1, 2], 'd': 'x'}}
    second = {'b': {'d': 'x', 'c': [1, 2]}, 'a': 1}
    assert build_fingerprint(first) == build_fingerprint(second)
    assert build_fingerprint({'c': [1, 2]}) != build_fingerprint({'c': [2, 1]})
    assert len(build_fingerprint(first)) == 64


@pytest.mark.parametrize('length', [1, 12, 64])
def test_fingerprint_length(length):
    full = build_fingerprint({'a': 1})
    assert build_fingerprint({'a': 1}, length) == full[:length]


@pytest.mark.parametrize('value, length, message', [
    ({'a': {1, 2}}, None, 'value at input.a has type set'),
    ({'a': [b'x']}, None, 'value at input.a[0] has type bytes'),
    ({1: 'a'}, None, 'dict key 1 at input is a int'),
    ({'a': float('nan')}, None, 'no JSON representation'),
    ({'a': 1}, 0, 'length must be between 1 and 64'),
    ({'a': 1}, 65, 'length must be between 1 and 64'),
    ({'a': 1}, '12', 'length must be an integer'),
    ({'a': 1}, True, 'length must be an integer'),
])
def test_fingerprint_errors(value, length, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        build_fingerprint(value, length)
    assert message in str(excinfo.value)


# ----------------------------------------------------------------------------------------------------------------------
# build_resolve_components

def test_resolve_basic_and_no_mutation():
    prof = profile()
    overrides = {'runc': {'build_tags': ['seccomp', 'apparmor'], 'env': {'EXTRA': 'x'}, 'source': {'ref': 'main'},
                          'commit': CTRD_SHA}}
    prof_before, over_before = copy.deepcopy(prof), copy.deepcopy(overrides)
    result = build_resolve_components(prof, overrides)
    assert prof == prof_before and overrides == over_before
    assert list(result) == ['runc', 'containerd', 'tini']  # cli disabled
    runc = result['runc']
    assert runc['build_tags'] == ['seccomp', 'apparmor']  # list replaced
    assert runc['env'] == {'CGO_ENABLED': '1', 'EXTRA': 'x'}  # dict merged
    assert runc['source'] == {'type': 'git', 'repo': 'https://github.com/opencontainers/runc.git', 'ref': 'main'}
    assert runc['enabled'] is True
    assert result['tini']['source']['strip'] == 1
    # result does not share containers with the inputs
    runc['env']['NEW'] = '1'
    assert 'NEW' not in prof['runc']['env']


def test_resolve_override_enables_and_replaces_scalar():
    result = build_resolve_components(profile(), {'cli': {'enabled': True}, 'containerd': {'go': None}})
    assert 'cli' in result
    assert result['containerd']['go'] is None


@pytest.mark.parametrize('mirror, expected', [
    ('/srv/mirrors', '/srv/mirrors/opencontainers/runc.git'),
    ('/srv/mirrors/', '/srv/mirrors/opencontainers/runc.git'),
    ('https://git.example.corp/mirrors/', 'https://git.example.corp/mirrors/opencontainers/runc.git'),
    ('file:///srv/m', 'file:///srv/m/opencontainers/runc.git'),
])
def test_resolve_mirror(mirror, expected):
    result = build_resolve_components(profile(), None, mirror)
    assert result['runc']['source']['repo'] == expected
    assert result['runc']['source']['upstream_repo'] == 'https://github.com/opencontainers/runc.git'
    assert 'upstream_repo' not in result['tini']['source']


@pytest.mark.parametrize('mirror', [None, ''])
def test_resolve_no_mirror(mirror):
    result = build_resolve_components(profile(), {}, mirror)
    assert result['runc']['source']['repo'] == 'https://github.com/opencontainers/runc.git'
    assert 'upstream_repo' not in result['runc']['source']


def test_resolve_mirror_leaves_non_github():
    prof = profile()
    prof['runc']['source']['repo'] = 'https://gitlab.example/runc.git'
    result = build_resolve_components(prof, mirror='/srv/m')
    assert result['runc']['source']['repo'] == 'https://gitlab.example/runc.git'
    assert 'upstream_repo' not in result['runc']['source']


@pytest.mark.parametrize('only, expected', [
    (['containerd'], ['containerd']),
    (['tini', 'runc'], ['runc', 'tini']),
    ('runc, tini', ['runc', 'tini']),
    ([], ['runc', 'containerd', 'tini']),
    (None, ['runc', 'containerd', 'tini']),
    (['cli'], []),  # disabled components stay dropped
])
def test_resolve_only(only, expected):
    assert list(build_resolve_components(profile(), only=only)) == expected


GIT = {'type': 'git', 'repo': 'https://github.com/x/y.git', 'ref': 'v1'}


@pytest.mark.parametrize('overrides, message', [
    ({'foo': {}}, "build_component_overrides: unknown component 'foo'; known components: cli, containerd, runc, tini"),
    ([], 'build_component_overrides must be a dict'),
    ({'runc': 'v1.1.6'}, 'build_component_overrides.runc must be a dict'),
    ({'runc': {'commit': 'abc123'}}, 'build_component_overrides.runc.commit: must be the full 40-character hex commit SHA'),
    ({'runc': {'version': 1.1}}, "build_component_overrides.runc.version: must be a string, got float 1.1; quote it"),
    ({'runc': {'version': ''}}, 'build_component_overrides.runc.version: must not be empty'),
    ({'runc': {'source': {'type': 'svn'}}}, 'build_component_overrides.runc.source.type: must be one of git, archive, controller, debian'),
    ({'runc': {'source': {'ref': None}}}, 'build_component_overrides.runc.source.ref: is required'),
    ({'runc': {'depends': ['nope']}}, "build_component_overrides.runc.depends: unknown component 'nope'; known components: cli, containerd"),
    ({'runc': {'depends': ['runc']}}, 'cannot depend on itself'),
    ({'runc': {'depends': 'containerd'}}, 'build_component_overrides.runc.depends: must be a list of strings'),
    ({'runc': {'build_tags': [1]}}, 'build_component_overrides.runc.build_tags: item 0 must be a non-empty string'),
    ({'runc': {'env': {'A': 1}}}, 'build_component_overrides.runc.env.A: must be a string, got int 1'),
    ({'runc': {'env': ['A=1']}}, 'build_component_overrides.runc.env: must be a dict'),
    ({'runc': {'enabled': 'yes'}}, 'build_component_overrides.runc.enabled: must be a boolean'),
    ({'runc': {'go': 1.19}}, 'build_component_overrides.runc.go: must be a string'),
    ({'runc': {'recipe': ['x']}}, 'build_component_overrides.runc.recipe: must be a string'),
    ({'runc': {'patches': 'a.patch'}}, 'build_component_overrides.runc.patches: must be a list of strings'),
    ({'runc': {'patch_sets': [None]}}, 'build_component_overrides.runc.patch_sets: item 0'),
    ({'runc': {'artifacts': {}}}, 'build_component_overrides.runc.artifacts: must be a list'),
    ({'runc': {'commmit': RUNC_SHA}}, "build_component_overrides.runc.commmit: unknown field; did you mean 'commit'?"),
    ({'runc': {'source': {'type': 'archive'}}},
     'profile component runc: source.url: is required (a string) (after applying build_component_overrides.runc)'),
    ({'tini': {'source': {'sha256': 'abc'}}}, 'build_component_overrides.tini.source.sha256: must be 64 hex characters'),
    ({'tini': {'source': {'sha256': None}}}, 'build_component_overrides.tini.source.sha256: is required for source.type archive'),
    ({'tini': {'source': {'strip': -1}}}, 'build_component_overrides.tini.source.strip: must be a non-negative integer'),
    ({'tini': {'source': {'strip': True}}}, 'source.strip: must be a non-negative integer'),
    ({'tini': {'commit': 'xyz'}}, 'build_component_overrides.tini.commit: must be a hex commit SHA of 7 to 40 characters'),
    ({'tini': {'commit': 'abcdef'}}, 'must be a hex commit SHA of 7 to 40 characters'),
    ({'tini': {'source': {'type': 'controller', 'path': '/srv/tini.tar.gz', 'sha256': None}}},
     'source.sha256: is required when source.path is an archive or bundle'),
    ({'tini': {'source': {'type': 'controller', 'path': '/srv/moby.bundle', 'sha256': None}}}, 'source.sha256: is required'),
    ({'tini': {'source': {'type': 'debian'}}}, 'profile component tini: source.package: is required'),
    ({'cli': {'enabled': True, 'source': {'version': None}}}, 'build_component_overrides.cli.source.version: is required'),
])
def test_resolve_errors(overrides, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        build_resolve_components(profile(), overrides)
    assert message in str(excinfo.value)


@pytest.mark.parametrize('components, message', [
    ({'x': {'source': GIT, 'commit': RUNC_SHA}}, 'profile component x: version: is required'),
    ({'x': {'version': '1'}}, 'profile component x: source: is required and must be a dict'),
    ({'x': {'version': '1', 'source': GIT}}, 'profile component x: commit: is required for source.type git'),
    ({'x': {'version': '1', 'source': dict(GIT, repo=''), 'commit': RUNC_SHA}}, 'profile component x: source.repo: must not be empty'),
    ({'x': 'runc'}, 'profile component x: must be a dict'),
    ({'x': {'version': '1', 'source': dict(GIT, reff='v1'), 'commit': RUNC_SHA}},
     "profile component x: source.reff: unknown field; did you mean 'ref'?"),
])
def test_resolve_profile_errors(components, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        build_resolve_components(components)
    assert message in str(excinfo.value)


@pytest.mark.parametrize('kwargs, message', [
    ({'only': ['foo']}, "only: unknown component 'foo'; known components: cli, containerd, runc, tini"),
    ({'only': ['foo', 'bar']}, "unknown components 'foo', 'bar'"),
    ({'only': 5}, 'only must be a list of component names'),
    ({'mirror': ['x']}, 'mirror must be a string'),
])
def test_resolve_argument_errors(kwargs, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        build_resolve_components(profile(), **kwargs)
    assert message in str(excinfo.value)


def test_resolve_profile_not_dict():
    with pytest.raises(AnsibleFilterError, match='profile components must be a dict'):
        build_resolve_components(['runc'])


@pytest.mark.parametrize('source', [
    {'type': 'controller', 'path': '/srv/src/tini'},
    {'type': 'controller', 'path': '/srv/src/tini.zip'},
    {'type': 'controller', 'path': '/srv/tini.tgz', 'sha256': SUM.upper()},
    {'type': 'archive', 'url': 'https://example.invalid/x.tar.xz', 'sha256': SUM, 'strip': 0},
    {'type': 'debian', 'package': 'tini', 'version': '0.19.0-1'},
])
def test_resolve_valid_sources(source):
    result = build_resolve_components({'tini': {'version': '0.19.0', 'source': source, 'commit': 'de40ad0', 'deploy': True}})
    assert result['tini']['source']['type'] == source['type']
    assert result['tini']['deploy'] is True


@pytest.mark.parametrize('overrides, message', [
    ({'tini': {'notes': 'x'}}, 'build_component_overrides.tini.notes: unknown field; allowed: artifacts, build_tags,'),
    ({'runc': {'era': 'modulez'}}, "build_component_overrides.runc.era: unknown era 'modulez' of recipe runc; allowed: godeps, gopath, modules"),
    ({'tini': {'era': 'gopath'}}, 'build_component_overrides.tini.era: recipe tini has no eras'),
    ({'runc': {'recipe': 'runcc'}}, "build_component_overrides.runc.recipe: unknown recipe 'runcc'; allowed: cli, containerd,"),
    ({'tini': {'cmake_policy_minimum': 'yes'}}, 'build_component_overrides.tini.cmake_policy_minimum: must be a boolean'),
    ({'runc': {'patch_dir': '../x'}}, 'build_component_overrides.runc.patch_dir: must be a directory relative to the source tree'),
    ({'runc': {'layout': ['engine']}}, 'build_component_overrides.runc.layout: must be a non-empty dict'),
    ({'': {'enabled': False}}, "build_component_overrides has an entry with an empty component name (''); name one of: runc, tini"),
])
def test_resolve_refuses_fields_recipes_and_eras(overrides, message):
    components = {
        'runc': {'version': '1.1.5', 'commit': RUNC_SHA, 'recipe': 'runc', 'era': 'gopath',
                 'source': {'type': 'git', 'repo': 'https://github.com/opencontainers/runc.git', 'ref': 'v1.1.5'}},
        'tini': {'version': '0.19.0', 'recipe': 'tini', 'source': {'type': 'debian', 'package': 'tini', 'version': '0.19.0-1'}},
    }
    with pytest.raises(AnsibleFilterError) as error:
        build_resolve_components(components, overrides)
    assert message in str(error.value)


@pytest.mark.parametrize('overrides, message', [
    # git: another ref (or a switch to git) without its own commit would keep the profile's pin
    ({'runc': {'source': {'ref': 'v1.1.6'}}},
     'build_component_overrides.runc.commit: is required because the override changes source.ref'),
    ({'tini': {'source': {'type': 'git', 'repo': 'https://github.com/krallin/tini.git', 'ref': 'v0.19.0'}}},
     'build_component_overrides.tini.commit: is required because the override changes source.type and source.ref'),
    # archive: another url without its own sha256
    ({'tini': {'source': {'url': 'https://example.invalid/tini-0.20.0.tar.gz'}}},
     "build_component_overrides.tini.source.sha256: is required because the override changes source.url (the profile's"),
    # controller tarball: another path without its own sha256
    ({'tini': {'source': {'type': 'controller', 'path': '/srv/tini.tar.gz'}}},
     'build_component_overrides.tini.source.sha256: is required because the override changes source.type and source.path'),
    ({'cli': {'enabled': True, 'source': {'type': 'controller', 'path': '/srv/cli.tar.gz'}}},
     'build_component_overrides.cli.source.sha256: is required because the override changes source.type and source.path'),
    # debian: another package without its own version
    ({'cli': {'enabled': True, 'source': {'package': 'docker-cli'}}},
     'build_component_overrides.cli.source.version: is required because the override changes source.package'),
])
def test_resolve_override_must_pin_its_new_source(overrides, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        build_resolve_components(profile(), overrides)
    assert message in str(excinfo.value)


@pytest.mark.parametrize('overrides', [
    {'runc': {'source': {'ref': 'v1.1.6'}, 'commit': CTRD_SHA}},
    {'runc': {'source': {'ref': 'v1.1.5'}}},  # same ref as the profile: its pin still holds
    {'runc': {'source': {'repo': 'https://git.example.corp/forks/runc.git'}}},  # a fork at the same ref and commit
    {'tini': {'source': {'url': 'https://example.invalid/tini-0.20.0.tar.gz', 'sha256': 'b' * 64}}},
    {'tini': {'source': {'strip': 0}}},
    {'cli': {'enabled': True, 'source': {'type': 'controller', 'path': '/srv/src/cli'}}},  # a directory needs no sha256
    {'cli': {'enabled': True, 'source': {'package': 'docker-cli', 'version': '20.10.24-1'}}},
])
def test_resolve_override_with_its_pin(overrides):
    name = next(iter(overrides))
    assert name in build_resolve_components(profile(), overrides)


def test_resolve_invalid_disabled_component_is_skipped():
    prof = profile()
    prof['cli']['source'] = {'type': 'debian'}
    assert 'cli' not in build_resolve_components(prof)


# ----------------------------------------------------------------------------------------------------------------------
# build_order

@pytest.mark.parametrize('components, waves', [
    ({}, []),
    ({'a': {}}, [['a']]),
    ({'runc': {}, 'containerd': {'depends': ['runc']}, 'tini': {}, 'moby': {'depends': ['containerd', 'runc']}},
     [['runc', 'tini'], ['containerd'], ['moby']]),
    ({'c': {'depends': ['b']}, 'b': {'depends': ['a']}, 'a': {'depends': None}}, [['a'], ['b'], ['c']]),
    ({'b': {}, 'a': {}, 'c': {}}, [['a', 'b', 'c']]),
    # dependency filtered out by "only": ignored
    ({'containerd': {'depends': ['runc']}}, [['containerd']]),
])
def test_build_order(components, waves):
    assert build_order(components) == waves


@pytest.mark.parametrize('components, waves', [
    ({}, []),
    ({'runc': {}, 'containerd': {'depends': ['runc']}, 'tini': {}, 'moby': {'depends': ['containerd', 'runc']}},
     [['runc'], ['containerd'], ['tini', 'moby']]),
    # the debian-bookworm shape: only libseccomp goes first, in the input's order after it
    ({'libseccomp': {}, 'runc': {'depends': ['libseccomp']}, 'containerd': {}, 'dockerd': {}, 'cli': {}},
     [['libseccomp'], ['runc', 'containerd', 'dockerd', 'cli']]),
    ({'c': {'depends': ['b']}, 'b': {'depends': ['a']}, 'a': {}, 'd': {'depends': ['a']}}, [['a'], ['b'], ['c', 'd']]),
])
def test_build_order_late(components, waves):
    assert build_order(components, late=True) == waves
    # same components, dependencies still before their dependents
    assert sorted(sum(waves, [])) == sorted(components)


def test_build_order_on_resolved():
    assert build_order(build_resolve_components(profile())) == [['runc', 'tini'], ['containerd']]
    assert build_order(build_resolve_components(profile(), only=['containerd'])) == [['containerd']]


@pytest.mark.parametrize('components, message', [
    ({'a': {'depends': ['b']}, 'b': {'depends': ['a']}}, 'dependency cycle between components: a -> b -> a'),
    ({'a': {'depends': ['b']}, 'b': {'depends': ['c']}, 'c': {'depends': ['b']}, 'd': {}},
     'dependency cycle between components: b -> c -> b'),
    ({'a': {'depends': ['a']}}, 'component a depends on itself'),
    ({'a': {'depends': 'b'}}, 'component a: depends must be a list'),
    (['a'], 'input must be the dict of resolved components'),
])
def test_build_order_errors(components, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        build_order(components)
    assert message in str(excinfo.value)
