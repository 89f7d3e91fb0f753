# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The build plan (plugins/plugin_utils/build_plan.py) on the role's real profiles and templates: every
change of what a compile reads changes the fingerprint, nothing else does, and bad input is refused with
the variable named."""

from __future__ import annotations

import copy
import glob
import os
import re
import shutil

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import build_decision as decision_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import build_inputs as inputs_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import build_plan as plan_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import build_script as script_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import build_select as select_plugin
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_components import RECIPE_ERAS
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import release_rebuild_report, render_script

build_plan = plan_plugin.FilterModule().filters()['build_plan']
build_decision = decision_plugin.FilterModule().filters()['build_decision']
build_inputs = inputs_plugin.FilterModule().filters()['build_inputs']
build_script = script_plugin.FilterModule().filters()['build_script']
build_select = select_plugin.FilterModule().filters()['build_select']

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
ROLE = os.path.join(REPO_ROOT, 'roles', 'build')
PROFILES = sorted(os.path.basename(path)[:-len('.yml')] for path in glob.glob(os.path.join(ROLE, 'profiles', '*.yml')))
PATCH_SETS = sorted(os.path.basename(path)[:-len('.patch')] for path in glob.glob(os.path.join(ROLE, 'files', 'patch_sets', '*.patch')))
HOST = {'build_root': '/var/lib/sourcebuilt-docker', 'build_user': 'sourcebuilt'}

# Fields that say where a source comes from or only check something: changing them must not change
# the fingerprint (a mirror or a fork URL at the same pin builds the same tree).
NOT_INPUTS = {('source', 'repo'), ('source', 'url'), ('source', 'path'), ('source', 'upstream_repo'), ('go_min',)}


def load(name):
    with open(os.path.join(ROLE, 'profiles', name + '.yml')) as handle:
        return yaml.safe_load(handle)


def plan_of(profile, role=ROLE, arch='x86_64', overrides=None, go=None, search=None):
    return build_plan(profile, overrides or {}, '', go or {}, arch, role, search or [], 1)


def goroots(plan):
    return {name: '/opt/go/' + name for name in plan['go']}


def host_scripts(plan):
    return {name: build_script(plan, name, HOST['build_root'], HOST['build_user'], goroots(plan)) for name in plan['components']}


def _other_hex(value):
    return ''.join('0123456789abcdef'[('0123456789abcdef'.index(c.lower()) + 1) % 16] for c in value)


def mutations(profile):
    """(component, label, function that changes a deep copy of the profile) for every field of every
    component, one at a time, plus fields a profile may add."""
    result = []
    for name, spec in profile['components'].items():
        def add(label, change, name=name):
            result.append((name, label, change))

        for key, value in spec.items():
            if key == 'source':
                for skey, svalue in value.items():
                    if skey == 'type':
                        continue
                    if skey == 'sha256':
                        new = _other_hex(svalue)
                    elif isinstance(svalue, bool):
                        new = not svalue
                    elif isinstance(svalue, int):
                        new = svalue + 1
                    else:
                        new = str(svalue) + '.1'
                    add('source.%s' % skey, lambda p, n=name, k=skey, v=new: p['components'][n]['source'].__setitem__(k, v))
            elif key == 'commit':
                add('commit', lambda p, n=name, v=_other_hex(value): p['components'][n].__setitem__('commit', v))
            elif key == 'era':
                for era in RECIPE_ERAS[spec['recipe']]:
                    if era != value:
                        add('era=%s' % era, lambda p, n=name, v=era: p['components'][n].__setitem__('era', v))
            elif key == 'recipe':
                continue  # another recipe is another component; its eras are checked instead
            elif key == 'go':
                add('go', lambda p, n=name, v=value: (p['go'].__setitem__('9.99', dict(p['go'][v])),
                                                      p['components'][n].__setitem__('go', '9.99')))
            elif key == 'depends':
                continue  # the fingerprints of what it links: see test_a_dependency_change_reaches_its_dependents
            elif isinstance(value, bool):
                add(key, lambda p, n=name, k=key, v=not value: p['components'][n].__setitem__(k, v))
            elif isinstance(value, list):
                if key == 'patch_sets':
                    extra = [s for s in PATCH_SETS if s not in value][0]
                    add('patch_sets+', lambda p, n=name, v=value + [extra]: p['components'][n].__setitem__('patch_sets', v))
                else:
                    add(key + '+', lambda p, n=name, k=key, v=value + ['extra']: p['components'][n].__setitem__(k, v))
                if len(value) > 1:
                    add(key + '-', lambda p, n=name, k=key, v=value[:-1]: p['components'][n].__setitem__(k, v))
                    add(key + ' reordered', lambda p, n=name, k=key, v=list(reversed(value)): p['components'][n].__setitem__(k, v))
            elif isinstance(value, dict):
                add(key + '+', lambda p, n=name, k=key, v=dict(value, extra='x'): p['components'][n].__setitem__(k, v))
            else:
                add(key, lambda p, n=name, k=key, v=str(value) + '.1': p['components'][n].__setitem__(k, v))
        # Fields the profile does not set but an override may.
        for key, value in (('env', {'EXTRA': '1'}), ('build_tags', ['extra']), ('patch_dir', 'sub'),
                           ('layout', {'docker': 'engine2'}), ('deploy', False)):
            if key not in spec and not (key == 'layout' and spec['recipe'] not in ('dockerd', 'cli', 'proxy')):
                add('+' + key, lambda p, n=name, k=key, v=value: p['components'][n].__setitem__(k, v))
        if spec['recipe'] == 'tini':
            add('cmake_policy_minimum', lambda p, n=name: p['components'][n].__setitem__(
                'cmake_policy_minimum', not p['components'][n].get('cmake_policy_minimum', False)))
        if RECIPE_ERAS[spec['recipe']] and 'era' not in spec:
            for era in RECIPE_ERAS[spec['recipe']]:
                if era != 'gopath':
                    add('+era=%s' % era, lambda p, n=name, v=era: p['components'][n].__setitem__('era', v))
        if spec.get('go'):
            for field, value in (('sha256', 'e' * 64), ('version', '9.9.9'), ('package', 'golang-other'), ('goroot', '/usr/lib/go-other')):
                add('go toolchain %s' % field, lambda p, n=name, f=field, v=value: p['go'].__setitem__(
                    p['components'][n]['go'], dict(p['go'][p['components'][n]['go']], **{f: v})))
    return result


CASES = [(profile, component, label, change) for profile in PROFILES for component, label, change in mutations(load(profile))]


def _path_of(label):
    return tuple(label.rstrip('+-').split('.')) if label.startswith('source.') else (label.rstrip('+-'),)


@pytest.mark.parametrize('profile, component, label, change', CASES,
                         ids=['%s-%s-%s' % (case[0], case[1], case[2]) for case in CASES])
def test_every_field_change_that_reaches_the_compile_changes_the_fingerprint(profile, component, label, change):
    before_profile = load(profile)
    before = plan_of(before_profile)
    after_profile = copy.deepcopy(before_profile)
    change(after_profile)
    after = plan_of(after_profile)
    script_changed = host_scripts(before)[component] != host_scripts(after)[component]
    spec_changed = before_profile['components'][component] != after_profile['components'][component] \
        or before_profile['go'] != after_profile['go']
    if _path_of(label) in NOT_INPUTS:
        assert not script_changed
        assert before['fingerprints'][component] == after['fingerprints'][component], label
        return
    assert spec_changed or script_changed, 'the mutation %s changed nothing: fix the test' % label
    assert before['fingerprints'][component] != after['fingerprints'][component], (
        '%s %s: %s changed %s, the fingerprint did not' % (profile, component, label, 'the build script' if script_changed else 'a build input'))
    # What depends on it (runc on libseccomp) changes with it.
    for name, spec in after['components'].items():
        if component in (spec.get('depends') or ()):
            assert before['fingerprints'][name] != after['fingerprints'][name], name


@pytest.mark.parametrize('profile', PROFILES)
def test_a_dependency_change_reaches_its_dependents(profile):
    base = load(profile)
    changed = copy.deepcopy(base)
    changed['components']['libseccomp']['version'] += '.1'
    before, after = plan_of(base), plan_of(changed)
    assert before['fingerprints']['runc'] != after['fingerprints']['runc']
    assert after['inputs']['runc']['depends'] == {'libseccomp': after['fingerprints']['libseccomp']}
    assert before['fingerprints']['tini'] == after['fingerprints']['tini']


def _role_copy(tmp_path):
    role = tmp_path / 'build'
    shutil.copytree(ROLE, str(role))
    return str(role)


@pytest.mark.parametrize('relative, components', [
    ('templates/build.sh.j2', ['libseccomp', 'dockerd', 'cli', 'containerd', 'runc', 'proxy', 'tini']),
    ('files/apply-patches.sh', ['libseccomp', 'dockerd', 'cli', 'containerd', 'runc', 'proxy', 'tini']),
    ('files/compile-prepare.sh', ['libseccomp', 'dockerd', 'cli', 'containerd', 'runc', 'proxy', 'tini']),
    ('templates/recipes/docker-gopath.sh.j2', ['dockerd', 'cli', 'proxy']),
    ('templates/recipes/runc.sh.j2', ['runc']),
    ('templates/recipes/tini.sh.j2', ['tini']),
    ('files/patch_sets/engine-no-btrfs.patch', ['dockerd']),
])
def test_a_change_of_a_template_or_patch_file_changes_the_fingerprints_of_its_users(tmp_path, relative, components):
    role = _role_copy(tmp_path)
    before = plan_of(load('debian-bookworm'), role=role)
    with open(os.path.join(role, relative), 'a') as handle:
        handle.write('# one more line\n')
    after = plan_of(load('debian-bookworm'), role=role)
    changed = sorted(name for name in before['fingerprints'] if before['fingerprints'][name] != after['fingerprints'][name])
    # runc links libseccomp: it changes with it, nothing else does.
    expected = set(components) | ({'runc'} if 'libseccomp' in components else set())
    assert changed == sorted(expected)


def test_a_user_patch_is_fingerprinted_by_content(tmp_path):
    patch = tmp_path / 'files' / '0001-fix.patch'
    patch.parent.mkdir()
    patch.write_text('--- a/x\n+++ b/x\n')
    overrides = {'runc': {'patches': ['files/0001-fix.patch']}}
    first = plan_of(load('debian-bookworm'), overrides=overrides, search=[str(tmp_path)])
    assert first['patches']['runc'] == [str(patch)]
    patch.write_text('--- a/x\n+++ b/y\n')
    second = plan_of(load('debian-bookworm'), overrides=overrides, search=[str(tmp_path)])
    assert first['fingerprints']['runc'] != second['fingerprints']['runc']


def test_the_inputs_sent_are_the_host_script_and_the_fingerprinted_patches_in_order(tmp_path):
    for name in ('0001-fix.patch', 'later.patch'):
        (tmp_path / name).write_text('--- a/x\n+++ b/x\n')
    overrides = {'runc': {'patches': ['0001-fix.patch', 'later.patch'], 'patch_sets': []}}
    plan = plan_of(load('debian-bookworm'), overrides=overrides, search=[str(tmp_path)])
    members = build_inputs(plan, 'runc', HOST['build_root'], HOST['build_user'], goroots(plan))
    assert members == {
        'build.sh': {'content': host_scripts(plan)['runc']},
        'patches/001-0001-fix.patch': str(tmp_path / '0001-fix.patch'),
        'patches/002-later.patch': str(tmp_path / 'later.patch'),
    }
    assert list(members) == ['build.sh', 'patches/001-0001-fix.patch', 'patches/002-later.patch']


@pytest.mark.parametrize('profile', PROFILES)
def test_the_architecture_is_part_of_every_fingerprint(profile):
    go = {name: dict(entry, url=entry['url'].replace('amd64', 'arm64')) for name, entry in load(profile)['go'].items()
          if entry.get('source') == 'tarball'}
    amd64, arm64 = plan_of(load(profile)), plan_of(load(profile), arch='aarch64', go=go)
    assert plan_of(load(profile), arch='amd64')['fingerprints'] == amd64['fingerprints']  # one architecture, two names
    assert all(amd64['fingerprints'][name] != arm64['fingerprints'][name] for name in amd64['fingerprints'])


@pytest.mark.parametrize('profile', PROFILES)
def test_the_host_script_is_the_fingerprinted_one_with_the_host_paths(profile):
    plan = plan_of(load(profile))
    for name, script in host_scripts(plan).items():
        canonical = plan['scripts'][name]
        go = plan['components'][name].get('go')
        expected = (canonical.replace('/@build_root@', HOST['build_root']).replace('@build_user@', HOST['build_user'])
                    .replace('/@goroot@', '/opt/go/%s' % go if go else '').replace('@fingerprint@', plan['fingerprints'][name]))
        assert script == expected
        assert '@' not in script.replace('$@', '').replace('"@$SOURCE_DATE_EPOCH"', '')


ISSUE_ROWS = [
    ('runc', {'era': 'godeps'}),
    ('dockerd', {'patch_dir': 'engine2'}),
    ('dockerd', {'layout': {'docker': 'engine'}}),
    ('tini', {'cmake_policy_minimum': True}),
]


@pytest.mark.parametrize('component, override', ISSUE_ROWS)
def test_the_issue_rows_now_change_the_fingerprint(component, override):
    """Issue #16's table: each override changed what compiled and left the fingerprint as it was."""
    base = plan_of(load('debian-bookworm'))
    other = plan_of(load('debian-bookworm'), overrides={component: override})
    assert other['fingerprints'][component] != base['fingerprints'][component]


@pytest.mark.parametrize('component, wanted', [
    ('dockerd', ['cp -a "$SRC/buildkit" "${GOPATH%%:*}/src/github.com/moby/buildkit"',
                 'cp -a "$SRC/engine" "${GOPATH%%:*}/src/github.com/docker/docker"', '-o "$OUT/bin/dockerd" ./cmd/dockerd']),
    ('proxy', ['cp -a "$SRC/engine" "${GOPATH%%:*}/src/github.com/docker/docker"', '-o "$OUT/bin/docker-proxy" ./cmd/docker-proxy']),
    ('cli', ['cp -a "$SRC/buildkit" "${GOPATH%%:*}/src/github.com/moby/buildkit"', '-o "$OUT/bin/docker" ./cmd/docker']),
    ('containerd', ['for cmd in containerd containerd-shim-runc-v2 ctr; do']),
])
def test_the_trixie_docker_io_trees_compile_at_their_import_paths(component, wanted):
    """docker.io 26 ships engine/, cli/ and buildkit/: laid out at their import paths, moby 23+'s cmd/ built
    with go build (hack/make.sh wants module mode), containerd 1.7 with its runc v2 shim."""
    script = plan_of(load('debian-trixie'))['scripts'][component]
    for line in wanted:
        assert line in script
    assert '\nhack/make.sh' not in script


@pytest.mark.parametrize('layout', [{'../x': 'engine'}, {'github.com//x': 'engine'}, {'/abs': 'engine'}, {'a/../b': 'engine'},
                                    {'github.com/moby/buildkit': ''}])
def test_a_layout_key_is_a_name_or_an_import_path(layout):
    with pytest.raises(AnsibleFilterError, match='build_component_overrides.dockerd.layout: entry'):
        plan_of(load('debian-trixie'), overrides={'dockerd': {'layout': layout}})


def test_a_mirror_keeps_the_fingerprints():
    profile = load('29.7')
    assert build_plan(profile, {}, '/srv/mirrors', {}, 'x86_64', ROLE, [], 1)['fingerprints'] == plan_of(profile)['fingerprints']


def test_the_recipe_table_matches_the_templates():
    recipes = sorted(os.path.basename(path)[:-len('.sh.j2')] for path in glob.glob(os.path.join(ROLE, 'templates', 'recipes', '*.sh.j2')))
    assert sorted(list(RECIPE_ERAS) + ['docker-gopath']) == recipes
    # Every era a recipe tests for is one the table allows.
    for recipe, eras in RECIPE_ERAS.items():
        with open(os.path.join(ROLE, 'templates', 'recipes', recipe + '.sh.j2')) as handle:
            named = set(re.findall(r"era(?: \| default\('gopath'\))? (?:==|in) \[?'([a-z0-9.-]+)'", handle.read()))
        assert named <= set(eras or ()), (recipe, named)


@pytest.mark.parametrize('overrides, message', [
    ({name: {'enabled': False} for name in ('libseccomp', 'dockerd', 'cli', 'containerd', 'runc', 'proxy', 'tini')},
     'build_component_overrides disables every component of the profile'),
    ({'dockerd': {'enabled': False}},
     'build_component_overrides.dockerd.enabled: false would make a release without dockerd, and a release must be complete'),
    ({'cli': {'enabled': False}}, 'build_component_overrides.cli.enabled: false would make a release without cli'),
    ({'libseccomp': {'enabled': False}},
     'build_component_overrides.libseccomp.enabled: false, but runc depends on libseccomp'),
    ({'runc': {'patches': ['no/such.patch']}},
     'build_component_overrides.runc.patches[0]: the patch file no/such.patch does not exist on the controller'),
    ({'runc': {'patch_sets': ['nope']}}, "build_component_overrides.runc.patch_sets[0]: unknown patch set 'nope'; allowed: "),
    ({'': {'enabled': False}}, "build_component_overrides has an entry with an empty component name ('')"),
    ({'runc': {'era': 'modulez'}}, "build_component_overrides.runc.era: unknown era 'modulez' of recipe runc"),
])
def test_bad_overrides_are_refused_naming_the_variable(overrides, message):
    with pytest.raises(AnsibleFilterError) as error:
        plan_of(load('debian-bookworm'), overrides=overrides)
    assert message in str(error.value)


def test_an_unknown_architecture_is_refused():
    with pytest.raises(AnsibleFilterError, match='gather facts'):
        plan_of(load('debian-bookworm'), arch='')


@pytest.mark.parametrize('components, tags, expected', [
    ([], [], ['libseccomp', 'dockerd', 'cli', 'containerd', 'runc', 'proxy', 'tini']),
    ([], ['always', 'runc'], ['libseccomp', 'runc']),
    (['tini', 'runc'], ['dockerd'], ['libseccomp', 'runc', 'tini']),
    ('tini, runc', [], ['libseccomp', 'runc', 'tini']),
])
def test_select(components, tags, expected):
    assert build_select(plan_of(load('debian-bookworm')), components, tags) == expected


def test_select_refuses_an_empty_name():
    with pytest.raises(AnsibleFilterError, match=r"build_components has an empty component name at position 2 \(''\)"):
        build_select(plan_of(load('debian-bookworm')), ['runc', ''], [])


@pytest.mark.parametrize('current, cached, forced, pull, expected', [
    ([], [], [], True, {'current': [], 'from_cache': [], 'compile': ['libseccomp', 'runc'], 'waves': [['libseccomp'], ['runc']]}),
    (['libseccomp', 'runc'], [], [], True, {'current': ['libseccomp', 'runc'], 'todo': [], 'compile': []}),
    (['libseccomp'], ['runc'], [], True, {'current': ['libseccomp'], 'from_cache': ['runc'], 'compile': [], 'toolchains': {}}),
    (['libseccomp'], ['runc'], ['runc'], True, {'from_cache': [], 'compile': ['runc'], 'debian_build_deps': ['runc']}),
    (['libseccomp'], ['runc'], [], False, {'pullable': [], 'from_cache': [], 'compile': ['runc']}),
    (['libseccomp', 'runc'], [], ['libseccomp', 'runc'], True, {'current': [], 'compile': ['libseccomp', 'runc']}),
])
def test_decision(current, cached, forced, pull, expected):
    plan = plan_of(load('debian-bookworm'))
    result = build_decision(plan, ['libseccomp', 'runc'], current, cached, forced, pull)
    for key, value in expected.items():
        assert result[key] == value, key
    if result['compile'] and 'runc' in result['compile']:
        assert result['toolchains'] == {'1.19': plan['go']['1.19']}


def test_cache_differences_name_every_file_that_differs():
    from ansible_collections.sourcebuilt.docker.plugins.filter import build_cache_differences as differences_plugin
    differences = differences_plugin.FilterModule().filters()['build_cache_differences']
    built = {'dockerd': {'files': [{'path': 'bin/dockerd', 'sha256': 'a'}, {'path': 'bin/extra', 'sha256': 'c'}]},
             'runc': {'files': [{'path': 'bin/runc', 'sha256': 'r'}]},
             'tini': {'files': [{'path': 'bin/docker-init', 'sha256': 't'}]}}
    cached = {'dockerd': {'files': [{'path': 'bin/dockerd', 'sha256': 'b'}]},
              'runc': {'files': [{'path': 'bin/runc', 'sha256': 'r'}]}}
    assert differences(built, cached) == {'dockerd': [{'path': 'bin/dockerd', 'here': 'a', 'cache': 'b'},
                                                      {'path': 'bin/extra', 'here': 'c', 'cache': None}]}


UNPUBLISHED_CASES = [
    # compiled, compiled_in_cache, held, held_in_cache -> copied to the controller cache
    ('nothing built', [], [], [], None, []),
    ('a compile the cache lacks', ['runc'], [], ['runc', 'tini'], None, ['runc']),
    ('a compile the cache holds intact', ['runc'], ['runc'], ['runc', 'tini'], None, []),
    ('held entries not read: nothing held is copied', [], [], ['runc', 'tini'], None, []),
    ('an empty controller cache gets what a builder holds', [], [], ['cli', 'runc', 'tini'], [], ['cli', 'runc', 'tini']),
    ('held and intact in the cache: not copied again', [], [], ['runc', 'tini'], ['runc', 'tini'], []),
    ('held, one damaged or missing in the cache', [], [], ['runc', 'tini'], ['tini'], ['runc']),
    ('a compile and a held one, each missing', ['dockerd'], [], ['dockerd', 'runc'], [], ['dockerd', 'runc']),
    ('a compile the cache holds is not republished as held', ['dockerd'], ['dockerd'], ['dockerd', 'runc'], ['runc'], []),
]


@pytest.mark.parametrize('compiled, compiled_in_cache, held, held_in_cache, expected', [c[1:] for c in UNPUBLISHED_CASES],
                         ids=[c[0] for c in UNPUBLISHED_CASES])
def test_unpublished_lists_what_the_controller_cache_lacks(compiled, compiled_in_cache, held, held_in_cache, expected):
    from ansible_collections.sourcebuilt.docker.plugins.filter import build_unpublished as unpublished_plugin
    unpublished = unpublished_plugin.FilterModule().filters()['build_unpublished']
    assert unpublished(compiled, compiled_in_cache, held, held_in_cache) == expected


@pytest.mark.parametrize('args', [('runc', []), ([], {'runc': 1}), ([], [], 'runc', [])])
def test_unpublished_refuses_what_is_not_a_list(args):
    from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_unpublished
    with pytest.raises(AnsibleFilterError, match='build_unpublished: .* must be a list of component names'):
        build_unpublished(*args)


STATE = {'current': ['cli', 'runc'],
         'manifests': {'cli': {'name': 'cli', 'fingerprint': 'c1'}, 'runc': {'name': 'runc', 'fingerprint': 'r1'}},
         'problems': {'dockerd': 'no manifest at /b/artifacts/dockerd/d2', 'tini': 'missing /b/artifacts/tini/t2/bin/docker-init'}}
FINGERPRINTS = {'cli': 'c1', 'runc': 'r1', 'dockerd': 'd2', 'tini': 't2'}
STAGED_CASES = [
    # staged this run -> current, the fingerprint of each manifest, problems left
    ('nothing staged: the reading as it was', {}, ['cli', 'runc'], {'cli': 'c1', 'runc': 'r1'}, ['dockerd', 'tini']),
    ('a compile clears its problem', {'dockerd': {'name': 'dockerd', 'fingerprint': 'd2'}},
     ['cli', 'dockerd', 'runc'], {'cli': 'c1', 'dockerd': 'd2', 'runc': 'r1'}, ['tini']),
    ('a compile and a cache copy', {'dockerd': {'fingerprint': 'd2'}, 'tini': {'fingerprint': 't2'}},
     ['cli', 'dockerd', 'runc', 'tini'], {'cli': 'c1', 'dockerd': 'd2', 'runc': 'r1', 'tini': 't2'}, []),
    ('a manifest of another fingerprint is ignored', {'dockerd': {'fingerprint': 'd1'}},
     ['cli', 'runc'], {'cli': 'c1', 'runc': 'r1'}, ['dockerd', 'tini']),
    ('a component outside the plan is ignored', {'proxy': {'fingerprint': 'p1'}},
     ['cli', 'runc'], {'cli': 'c1', 'runc': 'r1'}, ['dockerd', 'tini']),
]


@pytest.mark.parametrize('staged, current, manifests, problems', [c[1:] for c in STAGED_CASES], ids=[c[0] for c in STAGED_CASES])
def test_staged_adds_what_this_run_staged_to_the_preflight_reading(staged, current, manifests, problems):
    from ansible_collections.sourcebuilt.docker.plugins.filter import build_staged as staged_plugin
    before = copy.deepcopy(STATE)
    result = staged_plugin.FilterModule().filters()['build_staged'](STATE, staged, FINGERPRINTS)
    assert result['current'] == current
    assert {name: manifest['fingerprint'] for name, manifest in result['manifests'].items()} == manifests
    assert sorted(result['problems']) == problems
    assert STATE == before


@pytest.mark.parametrize('args', [([], {}, {}), ({}, None, {}), ({}, {}, ['runc'])])
def test_staged_refuses_what_is_not_a_dict(args):
    from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_staged
    with pytest.raises(AnsibleFilterError, match='build_staged: .* must be a dict'):
        build_staged(*args)


@pytest.mark.parametrize('arch, go, message', [
    ('aarch64', {}, "Go toolchain '1.26.5' (the go table of the profile, entry 1.26.5) is for linux-amd64"),
    ('aarch64', {'1.26.5': {'source': 'controller', 'path': '/srv/go1.26.5.linux-amd64.tar.gz', 'sha256': 'a' * 64}},
     "Go toolchain '1.26.5' (build_go_toolchains.1.26.5) is for linux-amd64 (/srv/go1.26.5.linux-amd64.tar.gz), but this host is aarch64"),
    ('x86_64', {'1.26.5': {'source': 'controller', 'path': '/srv/go1.26.5.linux-arm64.tar.gz', 'sha256': 'a' * 64}},
     'is for linux-arm64 (/srv/go1.26.5.linux-arm64.tar.gz), but this host is x86_64 (linux-amd64)'),
])
def test_a_go_tarball_of_another_architecture_is_refused(arch, go, message):
    with pytest.raises(AnsibleFilterError) as error:
        plan_of(load('29.7'), arch=arch, go=go)
    assert message in str(error.value)


def test_a_go_tarball_of_the_host_architecture_is_taken():
    go = {'1.26.5': {'source': 'tarball', 'url': 'https://go.dev/dl/go1.26.5.linux-arm64.tar.gz', 'sha256': 'a' * 64}}
    plan = plan_of(load('29.7'), arch='aarch64', go=go)
    assert plan['inputs']['runc']['toolchain']['entry'] == {'source': 'tarball', 'sha256': 'a' * 64}
    assert plan['inputs']['runc']['arch'] == 'arm64'


def _tag_lists(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'tags' and isinstance(value, list):
                yield value
            else:
                yield from _tag_lists(value)
    elif isinstance(node, list):
        for item in node:
            yield from _tag_lists(item)


@pytest.mark.parametrize('path', sorted(glob.glob(os.path.join(REPO_ROOT, 'roles', '*', 'tasks', '*.yml'))),
                         ids=lambda path: os.path.relpath(path, REPO_ROOT))
def test_every_tag_list_that_names_a_component_names_them_all(path):
    """`-t <component>` reaches every task it must: a tag list that names one component names every
    component of every profile (those that are not deployed, libseccomp, may be left out after the build)."""
    components, deployed = set(), set()
    for profile in PROFILES:
        for name, spec in load(profile)['components'].items():
            components.add(name)
            if spec.get('deploy', True):
                deployed.add(name)
    with open(path) as handle:
        tasks = yaml.safe_load(handle)
    for tags in _tag_lists(tasks):
        named = components & set(tags)
        assert not named or named >= deployed, (path, sorted(deployed - named))
        if '/build/' in path:
            assert not named or named == components, (path, sorted(components - named))


def _commands(script):
    """The script's command lines, continuation lines joined, comments and echoes left out."""
    lines = script.replace('\\\n', ' ').splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith(('#', 'echo '))]


def _era_scripts():
    """(recipe, era, rendered script) for every era of every recipe, with a minimal component."""
    result = []
    for recipe, eras in sorted(RECIPE_ERAS.items()):
        for era in list(eras or ()) or [None]:
            component = {'version': '1.0.0', 'commit': 'a' * 40, 'recipe': recipe, 'source': {'type': 'debian'},
                         'go': '1.19', 'build_tags': ['seccomp'], 'depends': ['libseccomp'] if recipe == 'runc' else []}
            if era:
                component['era'] = era
            script = render_script(ROLE, recipe, component, {'libseccomp': 'f' * 16}, '/@build_root@', '@build_user@',
                                   '/@goroot@', '@fingerprint@')
            result.append((recipe, era, script))
    return result


GO_BUILDS = re.compile(r'(^|[\s;&|])(go build|hack/make\.sh binary|make (static|binary|bin/))')


@pytest.mark.parametrize('recipe, era, script', _era_scripts(), ids=lambda value: value if isinstance(value, str) and '\n' not in value else None)
def test_every_compile_is_reproducible(recipe, era, script):
    """Every Go build of every recipe era has -trimpath and -buildid= (on its line, or exported before a
    hack/make.sh), every C build maps the build paths away, and no stamp reads the clock."""
    commands = _commands(script)
    builds = [index for index, line in enumerate(commands) if GO_BUILDS.search(line)]
    if recipe in ('libseccomp', 'tini'):
        assert any('$CC_PREFIX_MAP' in line and ('configure' in line or 'cmake' in line) for line in commands)
    else:
        assert builds, (recipe, era)
    for index in builds if recipe not in ('libseccomp', 'tini') else ():
        line = commands[index]
        context = line + ' ' + ' '.join(prior for prior in commands[:index] if prior.startswith('export ')) \
            if 'hack/make.sh' in line else line
        context = context.replace('"$ldflags"', ' '.join(l for l in commands[:index] if l.startswith('ldflags=')))
        assert '-trimpath' in context and '-buildid=' in context, (recipe, era, line)
    for stamp in re.findall(r'\$\(date[^)]*\)', script):
        assert stamp == '$(date +%s)' or '@$SOURCE_DATE_EPOCH' in stamp, (recipe, era, stamp)
    assert 'libexec/source-date-epoch.sh' in script


def _manifest(fingerprint, **files):
    return {'fingerprint': fingerprint, 'files': [{'path': path, 'sha256': sha} for path, sha in files.items()]}


@pytest.mark.parametrize('running, rebuilt, identical, differences, not_rebuilt', [
    ({'runc': _manifest('a1', runc='11')}, {'runc': _manifest('a1', runc='11')}, ['runc'], [], []),
    ({'runc': _manifest('a1', runc='11'), 'tini': _manifest('b1', init='22')}, {'runc': _manifest('a1', runc='11')},
     ['runc'], [], ['tini']),
    ({'runc': _manifest('a1', runc='11')}, {'runc': _manifest('a1', runc='12')}, [],
     ['runc: runc differs: sha256 11 on the host, 12 rebuilt'], []),
    ({'containerd': _manifest('c1', ctr='1', shim='2')}, {'containerd': _manifest('c1', ctr='1')}, [],
     ['containerd: shim differs: sha256 2 on the host, absent rebuilt'], []),
    ({'runc': _manifest('a1', runc='11')}, {'runc': _manifest('a2', runc='11')}, [],
     ['runc: the host runs fingerprint a1, the inventory builds a2; the release came from other inputs '
      '(run verify.yml with the inventory it was deployed from, or converge first)'], []),
], ids=['identical', 'one-not-rebuilt', 'file-differs', 'file-missing', 'other-fingerprint'])
def test_a_rebuild_is_compared_with_the_running_release(running, rebuilt, identical, differences, not_rebuilt):
    expected = {'identical': identical, 'differences': differences, 'not_rebuilt': not_rebuilt}
    assert release_rebuild_report(running, rebuilt) == expected


def test_a_rebuild_report_refuses_what_is_not_a_dict():
    with pytest.raises(AnsibleFilterError, match='rebuilt must be a dict'):
        release_rebuild_report({}, [])
