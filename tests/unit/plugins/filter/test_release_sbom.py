# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The SBOM of a release (plugins/plugin_utils/sbom.py) for every real profile's plan: valid CycloneDX 1.6 by the
schema that cyclonedx-python-lib ships, one component per built component with every file's sha256, its source as a
purl, its patches with their sha256, its toolchain and what it links, the Go modules each Go binary records; and the
Build-Depends parser."""

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
from ansible_collections.sourcebuilt.docker.plugins.module_utils.go_buildinfo import go_buildinfo_from_path
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_plan import build_plan
from ansible_collections.sourcebuilt.docker.tests.unit.plugins.module_utils.test_go_buildinfo import sha256_of

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


# The Go modules of the Go binaries, read from the controller cache: GOPATH builds of this collection, and (as module
# builds, in the places of a module-era profile's binaries) Go programs installed on this machine built in module
# mode. Each case skips when its binaries are absent or other builds than the ones named here.
SDK = '/usr/lib/google-cloud-sdk'
MODULE_BINARIES = {
    # component -> path -> (real binary, its sha256)
    'dockerd': {'bin/dockerd': (SDK + '/bin/kubectl.1.33', 'cece57e3de1a37514e96aab80c1268e608225e1d55dcdcff7725fa5711f453d6')},
    'containerd': {'bin/containerd': (SDK + '/bin/anthoscli', '134e3825522f3877d02a7a4706122e29423270cd1f4a6764fce432977312ef8a'),
                   'bin/ctr': (SDK + '/bin/cbt', '5311c92e73d50045eff6b3956eeadbfadcaec48be76450f8895f297fbb709d54')},
}


def cached_release(tmp_path, profile, binaries):
    """The release of ``profile`` whose components of ``binaries`` (component -> path -> (real file, sha256 or None
    for its own)) are those files, and a controller cache that holds them as <cache>/<component>/<fingerprint>/<path>."""
    release, plan = release_of(profile)
    for name, files in binaries.items():
        manifest = release['components'][name]
        manifest['files'] = []
        for path, (source, sha256) in sorted(files.items()):
            if not os.path.isfile(source):
                pytest.skip('%s is not on this machine' % source)
            if sha256 and sha256_of(source) != sha256:
                pytest.skip('%s is another build than the one this case describes' % source)
            target = tmp_path / name / manifest['fingerprint'] / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)
            manifest['files'].append({'path': path, 'sha256': sha256 or sha256_of(source), 'elf': True})
    return release, plan, str(tmp_path)


def gopath_binaries():
    """component -> path -> (file, None) of one cache entry of runc and of containerd this collection built."""
    found = {}
    for manifest_path in sorted(glob.glob(os.path.join(REPO_ROOT, '.cache', 'artifacts', '*', '*', 'manifest.json'))):
        with open(manifest_path) as handle:
            manifest = json.load(handle)
        if manifest.get('name') in ('runc', 'containerd') and manifest['name'] not in found:
            found[manifest['name']] = {entry['path']: (os.path.join(os.path.dirname(manifest_path), entry['path']), None)
                                       for entry in manifest['files'] if entry.get('elf')}
    if sorted(found) != ['containerd', 'runc']:
        pytest.skip('the controller cache holds no runc or no containerd')
    return found


def properties_of(item):
    return {p['name']: p['value'] for p in item.get('properties') or ()}


def test_a_gopath_build_names_its_go_version_and_keeps_its_debian_packages(tmp_path):
    release, plan, cache = cached_release(tmp_path, 'debian-bookworm', gopath_binaries())
    sbom = release_sbom(release, plan, {'golang-github-urfave-cli-dev': '1.22.9-1'}, {'runc': CONTROL}, '0.3.0', cache=cache)
    assert VALIDATOR.validate_str(json.dumps(sbom)) is None
    runc = next(item for item in sbom['components'] if item['name'] == 'runc')
    binary = properties_of(runc['components'][0])
    assert binary == {'sourcebuilt:go.version': 'go1.19.8', 'sourcebuilt:go.package': 'github.com/opencontainers/runc',
                      'sourcebuilt:go.modules': 'none: built in GOPATH mode, the binary records no modules'}
    containerd = next(item for item in sbom['components'] if item['name'] == 'containerd')
    assert sorted(properties_of(item)['sourcebuilt:go.package'] for item in containerd['components']) == \
        ['github.com/containerd/containerd/cmd/%s' % cmd for cmd in ('containerd', 'containerd-shim-runc-v2', 'ctr')]
    assert not [item for item in sbom['components'] if item['bom-ref'].startswith('gomod:')]
    depends = {d['ref']: d['dependsOn'] for d in sbom['dependencies']}
    assert 'deb:golang-github-urfave-cli-dev@1.22.9-1' in depends[runc['bom-ref']]
    assert runc['components'][0]['bom-ref'] not in depends  # what a GOPATH binary embeds is known per component only


def test_a_module_build_lists_the_modules_of_each_binary(tmp_path):
    release, plan, cache = cached_release(tmp_path, '29.7', MODULE_BINARIES)
    sbom = release_sbom(release, plan, tool='0.3.0', cache=cache)
    text = json.dumps(sbom)
    assert VALIDATOR.validate_str(text) is None
    assert text == json.dumps(release_sbom(release, plan, tool='0.3.0', cache=cache))
    refs = [item['bom-ref'] for item in sbom['components']]
    refs += [item['bom-ref'] for component in sbom['components'] for item in component.get('components') or ()]
    assert len(refs) == len(set(refs))
    items = {item['bom-ref']: item for item in sbom['components']}
    depends = {d['ref']: d['dependsOn'] for d in sbom['dependencies']}
    for name, files in MODULE_BINARIES.items():
        component = items['component:%s@%s' % (name, release['components'][name]['fingerprint'])]
        for path, (source, dummy_sha256) in files.items():
            info = go_buildinfo_from_path(source)
            binary = next(item for item in component['components'] if item['name'] == path)
            assert properties_of(binary)['sourcebuilt:go.version'] == info['go_version']
            modules = [items[ref] for ref in depends[binary['bom-ref']]]
            assert len(modules) == len(info['deps'])
            assert set(depends[binary['bom-ref']]) <= set(depends[component['bom-ref']])
            assert all(item['type'] == 'library' and item['bom-ref'] not in depends for item in modules)
            wanted = sorted((dep['replace'] or dep)['path'] if not (dep['replace'] or {}).get('path', '').startswith('.')
                            else dep['path'] for dep in info['deps'])
            assert sorted(item['name'] for item in modules) == wanted
    by_name = {}
    for item in sbom['components']:
        by_name.setdefault(item['name'], []).append(item)
    # kubectl: built from its vendor tree (as the module-era profiles build), so no h1: sums.
    cobra = {item['version']: item for item in by_name['github.com/spf13/cobra']}  # v1.5.0 in anthoscli
    assert (cobra['v1.8.1']['purl'], cobra['v1.8.1'].get('properties')) == ('pkg:golang/github.com/spf13/cobra@v1.8.1', None)
    assert [ref for ref, refs in depends.items() if cobra['v1.8.1']['bom-ref'] in refs] == [
        'component:dockerd@%s' % release['components']['dockerd']['fingerprint'],
        'file:dockerd@%s/bin/dockerd' % release['components']['dockerd']['fingerprint']]
    # cbt: module mode with go.sum, h1: hashes as properties.
    bigtable = {item['version']: item for item in by_name['cloud.google.com/go/bigtable']}['v1.35.0']  # v1.16.0 in anthoscli
    assert bigtable['purl'] == 'pkg:golang/cloud.google.com/go/bigtable@v1.35.0'
    assert properties_of(bigtable) == {'sourcebuilt:go.sum': 'h1:UEacPwaejN2mNbz67i1Iy3G812rxtgcs6ePj1TAg7dw='}
    # anthoscli: a module replaced by another version of it, and one replaced by a directory.
    (api,) = [item for item in by_name['google.golang.org/api'] if 'pedigree' in item]
    assert (api['version'], api['purl']) == ('v0.92.0', 'pkg:golang/google.golang.org/api@v0.92.0')
    assert api['pedigree']['ancestors'][0]['purl'] == 'pkg:golang/google.golang.org/api@v0.126.0'
    assert properties_of(api)['sourcebuilt:go.replaces'] == 'google.golang.org/api v0.126.0'
    (cnrm,) = by_name['cnrm.googlesource.com/cnrm']
    assert 'purl' not in cnrm
    assert properties_of(cnrm) == {
        'sourcebuilt:go.replace': './private_repos/cnrm.googlesource.com/cnrm/ (a directory of the containerd source)'}
    incompatible = [item for item in sbom['components'] if item.get('purl', '').endswith('+incompatible')]
    assert not incompatible  # the version is percent-encoded in a purl


@pytest.mark.parametrize('sha256, note', [
    (None, 'not read: the file is not in the controller cache'),
    ('0' * 64, 'not read: the controller cache holds other bytes than the manifest names'),
])
def test_a_go_binary_that_cannot_be_read_says_so(tmp_path, sha256, note):
    binaries = gopath_binaries()
    release, plan, cache = cached_release(tmp_path, 'debian-bookworm', {'runc': binaries['runc']})
    runc = release['components']['runc']
    if sha256:
        runc['files'][0]['sha256'] = sha256
    else:
        (tmp_path / 'runc' / runc['fingerprint'] / runc['files'][0]['path']).unlink()
    sbom = release_sbom(release, plan, cache=cache)
    assert VALIDATOR.validate_str(json.dumps(sbom)) is None
    item = next(item for item in sbom['components'] if item['name'] == 'runc')
    assert properties_of(item['components'][0]) == {'sourcebuilt:go.modules': note}


def test_without_the_cache_no_binary_is_read():
    release, plan = release_of('29.7')
    sbom = release_sbom(release, plan)
    assert not [item for component in sbom['components'] for item in component.get('components') or () if 'properties' in item]
