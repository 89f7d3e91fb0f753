# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.sourcebuilt.docker.plugins.module_utils.version_parse import (
    VersionParseError,
    compare_commit,
    infer_kind,
    looks_like_usage,
    parse_version_output,
    split_commit,
    version_args,
)

RUNC_115 = 'f19387a6bec4944c770f7668ab51c4348d9c2f38'
CONTAINERD_2_3_3 = 'aad11006b869517fcd3009450b6f82da282e1a9b'

# (kind, output, expected subset of the parse result)
PARSE_CASES = [
    # moby cmd/dockerd/docker.go showVersion(): "Docker version %s, build %s" (17.05.0-ce tag)
    ('dockerd', 'Docker version 17.05.0-ce, build 89658be\n', {'version': '17.05.0-ce', 'commit': '89658be', 'commit_hash': '89658be'}),
    # docker/cli cli/cobra.go version template (19.03.15)
    ('docker', 'Docker version 19.03.15, build 99e3ed8\n', {'version': '19.03.15', 'commit': '99e3ed8'}),
    # docker/cli 20.10.24
    ('docker', 'Docker version 20.10.24, build 5d6db84', {'version': '20.10.24', 'commit': '5d6db84'}),
    # moby 29.7.2 dockerd --version
    ('dockerd', 'Docker version 29.7.2, build 6a43e3d\n', {'version': '29.7.2', 'commit': '6a43e3d', 'dirty': False}),
    # Debian docker.io 20.10.24+dfsg1 (version carries the Debian repack suffix)
    ('dockerd', 'Docker version 20.10.24+dfsg1, build 297e128', {'version': '20.10.24+dfsg1', 'commit': '297e128'}),
    # moby hack/make.sh appends "-unsupported" to GITCOMMIT for a dirty tree
    ('dockerd', 'Docker version 17.05.0-ce, build 89658be-unsupported',
     {'version': '17.05.0-ce', 'commit': '89658be-unsupported', 'commit_hash': '89658be', 'dirty': True}),
    # containerd 0.2.x containerd/main.go (urfave/cli VersionPrinter: "%s version %s commit: %s")
    ('containerd', 'containerd version 0.2.3 commit: 9048e5e50717ea4497b757314bad98ea3763c145',
     {'version': '0.2.3', 'commit': '9048e5e50717ea4497b757314bad98ea3763c145'}),
    # containerd 1.x cmd/containerd/command/main.go: "%s %s %s %s" name, package, version, revision
    ('containerd', 'containerd github.com/containerd/containerd v1.6.20 2806fc1057397dbaeefbea0e4e17bddfbd388f38\n',
     {'version': '1.6.20', 'commit': '2806fc1057397dbaeefbea0e4e17bddfbd388f38'}),
    # containerd 2.x (module path has /v2)
    ('containerd', 'containerd github.com/containerd/containerd/v2 v2.3.3 %s\n' % CONTAINERD_2_3_3,
     {'version': '2.3.3', 'commit': CONTAINERD_2_3_3}),
    # containerd built without revision (empty REVISION in Makefile)
    ('containerd', 'containerd github.com/containerd/containerd v1.7.0', {'version': '1.7.0', 'commit': None, 'commit_hash': None}),
    # containerd Makefile appends ".m" to REVISION for a modified tree
    ('containerd', 'containerd github.com/containerd/containerd v1.6.20 2806fc1057397dbaeefbea0e4e17bddfbd388f38.m',
     {'commit_hash': '2806fc1057397dbaeefbea0e4e17bddfbd388f38', 'dirty': True}),
    # ctr 0.2.x ctr/main.go
    ('ctr', 'ctr version 0.2.3 commit: 9048e5e50717ea4497b757314bad98ea3763c145',
     {'version': '0.2.3', 'commit': '9048e5e50717ea4497b757314bad98ea3763c145'}),
    # ctr 2.x cmd/ctr/app/main.go (urfave/cli default version printer: "%s version %s" is replaced by name + package + version)
    ('ctr', 'ctr github.com/containerd/containerd/v2 v2.3.3\n', {'version': '2.3.3', 'commit': None}),
    ('ctr', 'ctr github.com/containerd/containerd v1.6.20 2806fc1057397dbaeefbea0e4e17bddfbd388f38',
     {'version': '1.6.20', 'commit': '2806fc1057397dbaeefbea0e4e17bddfbd388f38'}),
    # containerd pkg/shim/shim.go (2.x) "-v": argv0, Version, Revision, Go version
    ('containerd-shim', 'containerd-shim-runc-v2:\n  Version:  v2.3.3\n  Revision: %s\n  Go version: go1.26.5\n' % CONTAINERD_2_3_3,
     {'version': '2.3.3', 'commit': CONTAINERD_2_3_3, 'go_version': 'go1.26.5'}),
    # containerd runtime/v2/shim/shim.go (1.6.x), argv0 printed as the full path, version without "v"
    ('containerd-shim', '/usr/bin/containerd-shim-runc-v2:\n  Version:  1.6.20\n  Revision: 2806fc1057397dbaeefbea0e4e17bddfbd388f38\n'
                        '  Go version: go1.19.7\n',
     {'version': '1.6.20', 'commit': '2806fc1057397dbaeefbea0e4e17bddfbd388f38', 'go_version': 'go1.19.7'}),
    # runc main.go (1.1.5)
    ('runc', 'runc version 1.1.5\ncommit: %s\nspec: 1.0.2-dev\ngo: go1.19.8\nlibseccomp: 2.5.4\n' % RUNC_115,
     {'version': '1.1.5', 'commit': RUNC_115, 'commit_hash': RUNC_115, 'spec': '1.0.2-dev', 'go_version': 'go1.19.8',
      'libseccomp': '2.5.4'}),
    # runc 1.0.0-rc2 main.go (no go/libseccomp lines yet)
    ('runc', 'runc version 1.0.0-rc2\ncommit: 9c2d8d184e5da67c95d601382adf14862e4f2228\nspec: 1.0.0-rc2-dev\n',
     {'version': '1.0.0-rc2', 'commit': '9c2d8d184e5da67c95d601382adf14862e4f2228', 'spec': '1.0.0-rc2-dev',
      'go_version': None, 'libseccomp': None}),
    # runc 1.4.3: Makefile COMMIT from "git describe --dirty --long --always"
    ('runc', 'runc version 1.4.3\ncommit: v1.4.3-0-gbb14dabeb\nspec: 1.3.0\ngo: go1.26.5\nlibseccomp: 2.6.0\n',
     {'version': '1.4.3', 'commit': 'v1.4.3-0-gbb14dabeb', 'commit_hash': 'bb14dabeb', 'spec': '1.3.0',
      'go_version': 'go1.26.5', 'libseccomp': '2.6.0', 'dirty': False}),
    ('runc', 'runc version 1.4.3\ncommit: v1.4.3-0-gbb14dabeb-dirty\nspec: 1.3.0\n',
     {'commit': 'v1.4.3-0-gbb14dabeb-dirty', 'commit_hash': 'bb14dabeb', 'dirty': True}),
    # runc built from a tarball: empty commit line
    ('runc', 'runc version 1.1.5\ncommit: \nspec: 1.0.2-dev\n', {'version': '1.1.5', 'commit': None}),
    # tini src/tini.c TINI_VERSION_STRING "tini version %s - git.%s" (0.19.0 / 0.18.0)
    ('docker-init', 'tini version 0.19.0 - git.de40ad0\n', {'version': '0.19.0', 'commit': 'de40ad0', 'commit_hash': 'de40ad0', 'dirty': False}),
    ('docker-init', 'tini version 0.18.0 - git.fec3683', {'version': '0.18.0', 'commit': 'fec3683'}),
    # tini built without .git: no git part
    ('docker-init', 'tini version 0.19.0', {'version': '0.19.0', 'commit': None, 'commit_hash': None}),
    # tini built from a dirty tree (CMakeLists.txt appends "-dirty")
    ('docker-init', 'tini version 0.19.0 - git.de40ad0-dirty', {'version': '0.19.0', 'commit': 'de40ad0', 'dirty': True}),
    # moby cmd/docker-proxy (25.0+): "docker-proxy (commit %s) version %s"
    ('docker-proxy', 'docker-proxy (commit 6a43e3d) version 29.7.2\n', {'version': '29.7.2', 'commit': '6a43e3d'}),
]


@pytest.mark.parametrize('kind, output, expected', PARSE_CASES)
def test_parse_version_output(kind, output, expected):
    result = parse_version_output(kind, output)
    assert set(result) == {'version', 'commit', 'commit_hash', 'dirty', 'go_version', 'libseccomp', 'spec'}
    for key, value in expected.items():
        assert result[key] == value, key


@pytest.mark.parametrize('kind, output, message', [
    ('dockerd', '', 'printed nothing'),
    ('runc', '   \n\n', 'printed nothing'),
    ('docker-init', None, 'printed nothing'),
    ('dockerd', 'Usage: dockerd [OPTIONS]', "expected 'Docker version"),
    ('docker', 'docker: command not found', 'cannot parse the version output of a docker binary'),
    ('containerd', 'containerd: flag provided but not defined: -version', 'containerd'),
    ('ctr', 'garbage', 'ctr'),
    ('containerd-shim', 'containerd-shim-runc-v2:\n  Revision: abc\n', "a 'Version: <version>' line"),
    ('runc', 'commit: f19387a6\nspec: 1.0.2-dev', "'runc version <version>'"),
    ('docker-init', 'tini: unrecognized option', 'tini version'),
    ('docker-proxy', 'Usage of docker-proxy:\n  -container-ip string', 'docker-proxy'),
    ('unknown', 'whatever 1.0', 'unsupported kind'),
    ('podman', 'podman version 4.0', 'unsupported kind'),
])
def test_parse_version_output_malformed(kind, output, message):
    with pytest.raises(VersionParseError, match='.*') as excinfo:
        parse_version_output(kind, output)
    assert message in str(excinfo.value)


@pytest.mark.parametrize('path, kind', [
    ('/usr/bin/dockerd', 'dockerd'),
    ('/usr/bin/docker', 'docker'),
    ('/usr/bin/containerd', 'containerd'),
    ('/usr/bin/docker-containerd', 'containerd'),
    ('/usr/bin/ctr', 'ctr'),
    ('/usr/bin/docker-containerd-ctr', 'ctr'),
    ('/usr/bin/containerd-shim-runc-v2', 'containerd-shim'),
    ('/usr/bin/containerd-shim', 'containerd-shim'),
    ('/usr/bin/docker-containerd-shim', 'containerd-shim'),
    ('/usr/bin/runc', 'runc'),
    ('/usr/bin/docker-runc', 'runc'),
    ('/usr/bin/docker-init', 'docker-init'),
    ('/usr/bin/tini', 'docker-init'),
    ('/usr/bin/tini-static', 'docker-init'),
    ('/usr/bin/docker-proxy', 'docker-proxy'),
    ('/usr/bin/containerd-stress', 'unknown'),
    ('/usr/bin/runc.amd64', 'unknown'),
    ('', 'unknown'),
])
def test_infer_kind(path, kind):
    assert infer_kind(path) == kind


@pytest.mark.parametrize('kind, path, args', [
    ('dockerd', '/x/dockerd', ['--version']),
    ('runc', '/x/runc.amd64', ['--version']),
    ('docker-proxy', '/x/docker-proxy', ['--version']),
    ('containerd-shim', '/x/containerd-shim-runc-v2', ['-v']),
    ('containerd-shim', '/x/containerd-shim', None),
    ('containerd-shim', '/x/docker-containerd-shim', None),
    ('unknown', '/x/foo', None),
])
def test_version_args(kind, path, args):
    assert version_args(kind, path) == args


@pytest.mark.parametrize('commit, expected', [
    (None, (None, False)),
    ('F19387A6', ('f19387a6', False)),
    ('v1.4.3-0-gbb14dabeb', ('bb14dabeb', False)),
    ('v1.0.0-rc92-12-g1234567-dirty', ('1234567', True)),
    ('89658be-unsupported', ('89658be', True)),
    ('1.6.20~ds1-0+deb12u1', ('1.6.20~ds1-0+deb12u1', False)),
])
def test_split_commit(commit, expected):
    assert split_commit(commit) == expected


@pytest.mark.parametrize('expected, actual, result', [
    (RUNC_115, RUNC_115, True),
    (RUNC_115, 'f19387a', True),
    ('f19387a', RUNC_115, True),
    (RUNC_115.upper(), 'f19387a6b', True),
    ('bb14dabeb0123456789012345678901234567890', 'v1.4.3-0-gbb14dabeb', True),
    ('v1.4.3-0-gbb14dab', 'bb14dabeb', True),
    ('bb14dab', 'v1.4.3-0-gbb14dabeb-dirty', True),
    ('de40ad0', 'de40ad0-dirty', True),
    (RUNC_115, 'f19387b', False),
    ('f1938', 'f1938', False),  # shorter than 7 hex chars
    (RUNC_115, '', False),
    (None, RUNC_115, False),
    ('not-a-hash', 'not-a-hash', False),
    ('v1.4.3', 'v1.4.3', False),
])
def test_compare_commit(expected, actual, result):
    assert compare_commit(expected, actual) is result


@pytest.mark.parametrize('text, result', [
    ('flag provided but not defined: -version\nUsage of docker-proxy:', True),
    ('Usage: docker-proxy [flags]', True),
    ('docker-proxy (commit 6a43e3d) version 29.7.2', False),
    ('', False),
    (None, False),
])
def test_looks_like_usage(text, result):
    assert looks_like_usage(text) is result
