# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Go build information reader (plugins/module_utils/go_buildinfo.py) against real Go binaries: the ones this
collection built into the controller cache (GOPATH builds: a Go version and a main package, no modules), and Go
programs installed on this machine that were built in module mode (with h1: sums, from a vendor tree without them,
with module and directory replacements). A binary that is absent, or not the build the table names (its sha256),
skips its case. Where a binary prints its own Go version, commit or version, the reading is checked against that."""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import re
import subprocess

import pytest

from ansible_collections.sourcebuilt.docker.plugins.module_utils.elf import ElfError
from ansible_collections.sourcebuilt.docker.plugins.module_utils.go_buildinfo import (
    GO_BUILDINFO_MAGIC,
    GoBuildInfoError,
    go_buildinfo_from_path,
    parse_modinfo,
    read_go_buildinfo,
)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
CACHE = os.environ.get('SOURCEBUILT_DOCKER_CACHE') or os.path.join(REPO_ROOT, '.cache', 'artifacts')
SDK = '/usr/lib/google-cloud-sdk'


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def real_binary(path, sha256):
    if not os.path.isfile(path):
        pytest.skip('%s is not on this machine' % path)
    if sha256_of(path) != sha256:
        pytest.skip('%s is another build than the one this case describes' % path)
    return path


def cache_files():
    """(component, manifest file entry, path) of every ELF file in the controller cache's entries."""
    found = []
    for manifest_path in sorted(glob.glob(os.path.join(CACHE, '*', '*', 'manifest.json'))):
        with open(manifest_path) as handle:
            manifest = json.load(handle)
        for entry in manifest.get('files') or ():
            path = os.path.join(os.path.dirname(manifest_path), entry['path'])
            if entry.get('elf') and os.path.isfile(path):
                found.append((manifest.get('name'), entry, path))
    return found


CACHE_FILES = cache_files()


@pytest.mark.skipif(not CACHE_FILES, reason='the controller cache holds no built binaries')
@pytest.mark.parametrize('component, entry, path', CACHE_FILES,
                         ids=['/'.join(path.split(os.sep)[-4:]) for dummy_name, dummy_entry, path in CACHE_FILES])
def test_the_binaries_this_collection_built_are_gopath_builds(component, entry, path):
    """GOPATH builds: a Go version and the main package, no main module and no module list. The Go version is the one
    the binary printed itself when the build read it (runc --version, containerd-shim-runc-v2 -v)."""
    info = go_buildinfo_from_path(path)
    if component == 'tini':
        assert info is None  # a C program
        return
    assert info['go_version'].startswith('go1.')
    if entry.get('go_version'):
        assert info['go_version'] == entry['go_version']
    assert info['path'].startswith('github.com/')
    assert info['main'] is None and info['deps'] == []
    assert '-trimpath=true' in info['settings'] or any(setting.startswith('-ldflags=') for setting in info['settings'])


GO_APP_STAGER_MODINFO = {
    'path': 'go-app-stager',
    'main': {'path': 'go-app-stager', 'version': '(devel)', 'sum': '', 'replace': None},
    'deps': [{'path': 'gopkg.in/yaml.v2', 'version': 'v2.2.2', 'sum': '',
              'replace': {'path': './gopkg.in/yaml', 'version': '(devel)', 'sum': ''}}],
}

MODULE_BUILDS = [
    # (path, sha256, Go version, main package, main module, number of modules, number with an h1: sum,
    #  {module path: (version, sum or None to skip, replacement or None)})
    pytest.param(
        SDK + '/bin/cbt', '5311c92e73d50045eff6b3956eeadbfadcaec48be76450f8895f297fbb709d54',
        'go1.24.1', 'cloud.google.com/go/cbt', ('cloud.google.com/go/cbt', 'v0.0.0-20250422202024-9eeb4a7a08b6+dirty'), 45, 45,
        {'cloud.google.com/go/bigtable': ('v1.35.0', 'h1:UEacPwaejN2mNbz67i1Iy3G812rxtgcs6ePj1TAg7dw=', None)},
        id='sums'),
    pytest.param(
        SDK + '/bin/kubectl.1.33', 'cece57e3de1a37514e96aab80c1268e608225e1d55dcdcff7725fa5711f453d6',
        'go1.24.2', 'k8s.io/kubernetes/cmd/kubectl', ('k8s.io/kubernetes', 'v1.33.1'), 81, 0,
        {'github.com/spf13/cobra': ('v1.8.1', '', None), 'k8s.io/api': ('(devel)', '', None)},
        id='vendor-tree'),
    pytest.param(
        SDK + '/bin/anthoscli', '134e3825522f3877d02a7a4706122e29423270cd1f4a6764fce432977312ef8a',
        'go1.24.2', 'command-line-arguments', None, 151, 0,
        {'google.golang.org/api': ('v0.126.0', '', {'path': 'google.golang.org/api', 'version': 'v0.92.0', 'sum': ''}),
         'cnrm.googlesource.com/cnrm': ('v0.0.0', '', {'path': './private_repos/cnrm.googlesource.com/cnrm/',
                                                       'version': '(devel)', 'sum': ''})},
        id='replacements'),
    pytest.param(
        SDK + '/platform/google_appengine/go-app-stager', 'ac2d006ae6c9a40d3dff53a68b9644ef27f96f723425d80fe872dc4a0db06df3',
        'go1.22-20231128-RC02 cl/586117301 +6111acc8e6 X:fieldtrack,boringcrypto', 'go-app-stager', ('go-app-stager', '(devel)'),
        1, 0, {'gopkg.in/yaml.v2': ('v2.2.2', '', GO_APP_STAGER_MODINFO['deps'][0]['replace'])},
        id='directory-replacement'),
]


@pytest.mark.parametrize('path, sha256, go_version, package, main, count, sums, modules', MODULE_BUILDS)
def test_module_builds_list_their_modules(path, sha256, go_version, package, main, count, sums, modules):
    info = go_buildinfo_from_path(real_binary(path, sha256))
    assert info['go_version'] == go_version
    assert info['path'] == package
    assert (info['main']['path'], info['main']['version']) == main if main else info['main'] is None
    assert len(info['deps']) == count
    assert sum(1 for dep in info['deps'] if dep['sum'].startswith('h1:')) == sums
    by_path = {dep['path']: dep for dep in info['deps']}
    assert len(by_path) == count  # one line per module
    for module, (version, module_sum, replace) in modules.items():
        assert by_path[module]['version'] == version
        assert by_path[module]['sum'] == module_sum
        assert by_path[module]['replace'] == replace


def test_a_reading_agrees_with_what_the_binary_says_of_itself():
    """kubectl prints the Go version it was built with, its version (its main module's) and its commit (vcs.revision)."""
    path = real_binary(SDK + '/bin/kubectl.1.33', 'cece57e3de1a37514e96aab80c1268e608225e1d55dcdcff7725fa5711f453d6')
    client = json.loads(subprocess.run([path, 'version', '--client', '-o', 'json'], check=True, capture_output=True,
                                       text=True, timeout=60).stdout)['clientVersion']
    info = go_buildinfo_from_path(path)
    assert info['go_version'] == client['goVersion']
    assert info['main']['version'] == client['gitVersion']
    assert 'vcs.revision=%s' % client['gitCommit'] in info['settings']


def test_the_whole_module_information_of_a_small_binary():
    info = go_buildinfo_from_path(real_binary(SDK + '/platform/google_appengine/go-app-stager',
                                              'ac2d006ae6c9a40d3dff53a68b9644ef27f96f723425d80fe872dc4a0db06df3'))
    assert {key: info[key] for key in GO_APP_STAGER_MODINFO} == GO_APP_STAGER_MODINFO
    assert info['settings'][:2] == ['-buildmode=exe', '-compiler=gc']


def a_runc():
    paths = [path for name, dummy_entry, path in CACHE_FILES if name == 'runc']
    if not paths:
        pytest.skip('the controller cache holds no runc')
    with open(paths[0], 'rb') as handle:
        return handle.read()


@pytest.mark.parametrize('data', [b'', b'#!/bin/sh\necho hi\n', b'\x7fEL'])
def test_files_that_are_not_elf_have_none(data):
    assert read_go_buildinfo(io.BytesIO(data)) is None


def test_a_c_program_has_none():
    if not os.path.isfile('/bin/ls'):
        pytest.skip('/bin/ls not present')
    assert go_buildinfo_from_path('/bin/ls') is None


def test_a_truncated_go_binary_is_an_error():
    with pytest.raises(ElfError, match='truncated'):
        read_go_buildinfo(io.BytesIO(a_runc()[:4096]))


def test_build_information_before_go_1_18_is_reported_not_read():
    """Go before 1.18 wrote two pointers and no inline strings (the flag 0x2 of the header unset)."""
    data = bytearray(a_runc())
    at = data.find(GO_BUILDINFO_MAGIC)
    data[at + 15] &= ~0x2
    with pytest.raises(GoBuildInfoError, match='before 1.18'):
        read_go_buildinfo(io.BytesIO(bytes(data)))


@pytest.mark.parametrize('text, expected', [
    ('', {'path': '', 'main': None, 'deps': [], 'settings': []}),
    ('path\tgithub.com/opencontainers/runc\nbuild\t-compiler=gc\nbuild\tCGO_ENABLED=1\n',
     {'path': 'github.com/opencontainers/runc', 'main': None, 'deps': [], 'settings': ['-compiler=gc', 'CGO_ENABLED=1']}),
    # A line without its newline is not read, as in Go.
    ('path\tx\nmod\tx\t(devel)\t\ndep\ty\tv1.0.0\th1:abc=\ndep\tz\tv2.0.0',
     {'path': 'x', 'main': {'path': 'x', 'version': '(devel)', 'sum': '', 'replace': None},
      'deps': [{'path': 'y', 'version': 'v1.0.0', 'sum': 'h1:abc=', 'replace': None}], 'settings': []}),
])
def test_module_information_text(text, expected):
    assert parse_modinfo(text) == expected


@pytest.mark.parametrize('text, message', [
    ('=>\t./x\t(devel)\t\n', 'no module before it'),
    ('dep\ty\tv1.0.0\n=>\t./x\t(devel)\t\n=>\t./z\t(devel)\t\n', 'no module before it'),
    ('dep\ty\n', 'expected 2 or 3 columns, got 1'),
    ('dep\ty\tv1.0.0\n=>\t./x\n', 'expected 3 columns for a replacement, got 1'),
])
def test_malformed_module_information(text, message):
    with pytest.raises(GoBuildInfoError, match=re.escape(message)):
        parse_modinfo(text)
