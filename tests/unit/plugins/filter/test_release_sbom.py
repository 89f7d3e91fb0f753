# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The SBOM of a release (plugins/plugin_utils/sbom.py) for every real profile's plan: valid CycloneDX 1.6 by the
schema that cyclonedx-python-lib ships, one component per built component with every file's sha256, its source as a
purl, its patches with their sha256, its toolchain and what it links; and the Build-Depends parser."""

from __future__ import annotations

import glob
import json
import os

import pytest
import yaml

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import release_sbom as sbom_plugin
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_plan

release_sbom = sbom_plugin.FilterModule().filters()['release_sbom']
debian_build_depends = sbom_plugin.FilterModule().filters()['debian_build_depends']

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
ROLE = os.path.join(REPO_ROOT, 'roles', 'build')
PROFILES = sorted(os.path.basename(path)[:-len('.yml')] for path in glob.glob(os.path.join(ROLE, 'profiles', '*.yml')))
VALIDATOR = JsonStrictValidator(SchemaVersion.V1_6)

CONTROL = """Source: runc
Section: devel
Build-Depends: debhelper-compat (= 13),
               dh-golang,
               golang-any (>= 2:1.17~),
               golang-github-urfave-cli-dev | golang-github-codegangsta-cli-dev,
               golang-github-seccomp-libseccomp-golang-dev (>= 0.10.0~) [amd64 arm64],
               libseccomp-dev <!nocheck>,
Standards-Version: 4.6.1

Package: runc
Depends: ${misc:Depends}
"""


def release_of(profile):
    with open(os.path.join(ROLE, 'profiles', profile + '.yml')) as handle:
        plan = build_plan(yaml.safe_load(handle), {}, '', {}, 'x86_64', ROLE, [], 1)
    components = {}
    for index, (name, spec) in enumerate(sorted(plan['components'].items())):
        files = ['bin/%s' % name] if name != 'containerd' else ['bin/containerd', 'bin/ctr']
        components[name] = {'name': name, 'version': spec['version'], 'commit': spec.get('commit'),
                            'fingerprint': plan['fingerprints'][name], 'built_on': 'builder',
                            'files': [{'path': path, 'sha256': '%064x' % (index * 16 + offset)} for offset, path in enumerate(files)]}
    return {'id': '0123456789ab', 'profile': profile, 'naming': 'modern', 'components': components}, plan


@pytest.mark.parametrize('profile', PROFILES)
def test_the_sbom_of_every_profile_is_valid_cyclonedx(profile):
    release, plan = release_of(profile)
    packages = {'gcc': '4:12.2.0-3', 'libc6-dev': '2.36-9+deb12u9', 'golang-1.19-go': '1.19.8-2',
                'golang-github-urfave-cli-dev': '1.22.9-1'}
    sbom = release_sbom(release, plan, packages, {'runc': CONTROL}, '0.3.0')
    error = VALIDATOR.validate_str(json.dumps(sbom))
    assert error is None, error
    by_ref = {item['bom-ref']: item for item in sbom['components']}
    for name, manifest in release['components'].items():
        item = by_ref['component:%s@%s' % (name, manifest['fingerprint'])]
        assert item['version'] == manifest['version']
        assert [(f['name'], f['hashes'][0]['content']) for f in item['components']] == \
            [(f['path'], f['sha256']) for f in manifest['files']]
        properties = {p['name']: p['value'] for p in item['properties']}
        assert properties['sourcebuilt:fingerprint'] == manifest['fingerprint']
        for label, sha in plan['inputs'][name]['patches']:
            assert properties['sourcebuilt:patch:%s' % label] == sha
        patches = item.get('pedigree', {}).get('patches', [])
        assert len(patches) == len(plan['inputs'][name]['patches'])
        for patch, path in zip(patches, plan['patches'][name]):
            with open(path) as handle:
                assert patch['diff']['text']['content'] == handle.read()
        source = plan['components'][name]['source']
        if source['type'] == 'debian':
            assert item['purl'].startswith('pkg:deb/debian/%s@' % source['package'])
        depends = next(d['dependsOn'] for d in sbom['dependencies'] if d['ref'] == item['bom-ref'])
        for dep in plan['components'][name].get('depends') or ():
            assert 'component:%s@%s' % (dep, plan['fingerprints'][dep]) in depends
        if plan['components'][name].get('go'):
            assert 'toolchain:go@%s' % plan['components'][name]['go'] in depends


def test_a_gopath_build_lists_the_debian_packages_it_compiled_in():
    release, plan = release_of('debian-bookworm')
    sbom = release_sbom(release, plan, 'golang-github-urfave-cli-dev 1.22.9-1\ngolang-1.19-go 1.19.8-2\ndh-golang 1.62\ngolang-foo-dev \n',
                        {'runc': CONTROL})
    runc = 'component:runc@%s' % plan['fingerprints']['runc']
    depends = next(d['dependsOn'] for d in sbom['dependencies'] if d['ref'] == runc)
    assert 'deb:golang-github-urfave-cli-dev@1.22.9-1' in depends
    assert not any('dh-golang' in ref for ref in depends)
    go = next(item for item in sbom['components'] if item['bom-ref'] == 'toolchain:go@1.19')
    assert go['version'] == '1.19.8-2' and go['purl'] == 'pkg:deb/debian/golang-1.19-go@1.19.8-2'


def test_the_sbom_is_deterministic():
    release, plan = release_of('debian-trixie')
    assert json.dumps(release_sbom(release, plan)) == json.dumps(release_sbom(release, plan))
    assert 'timestamp' not in release_sbom(release, plan)['metadata']


def test_an_invalid_document_is_caught_by_the_validator():
    """The validator is not a formality: a file hash that is not hex fails the schema."""
    release, plan = release_of('debian-bookworm')
    sbom = release_sbom(release, plan)
    next(item for item in sbom['components'] if 'components' in item)['components'][0]['hashes'][0]['content'] = 'not-a-sha256'
    assert VALIDATOR.validate_str(json.dumps(sbom)) is not None


def test_build_depends_are_read_from_debian_control():
    assert debian_build_depends(CONTROL) == ['debhelper-compat', 'dh-golang', 'golang-any', 'golang-github-urfave-cli-dev',
                                             'golang-github-seccomp-libseccomp-golang-dev', 'libseccomp-dev']


@pytest.mark.parametrize('args, message', [
    (([], {}), 'release must be a dict'),
    (({'id': 'x'}, {}), 'no id or no components'),
])
def test_bad_input_is_refused(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        release_sbom(*args)
