# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.sourcebuilt.docker.plugins.modules import binary_info

RUNC_OUTPUT = ('runc version 1.1.5\ncommit: f19387a6bec4944c770f7668ab51c4348d9c2f38\nspec: 1.0.2-dev\n'
               'go: go1.19.8\nlibseccomp: 2.5.4\n')


def run_module(capsys, args):
    """Run the module in-process with ``args``; return (failed, result dict)."""
    with patch_module_args(args):
        with pytest.raises(SystemExit) as excinfo:
            binary_info.main()
    out = capsys.readouterr().out
    result = json.loads(out)
    assert (excinfo.value.code != 0) == bool(result.get('failed'))
    return bool(result.get('failed')), result


def make_script(directory, name, body, mode=0o755):
    path = directory / name
    path.write_text('#!/bin/sh\n' + body)
    path.chmod(mode)
    return str(path)


def echo_script(directory, name, text, rc=0, stream=1):
    # printf keeps the exact text; the shell script stands in for the real binary.
    escaped = text.replace('\\', '\\\\').replace("'", "'\\''").replace('%', '%%')
    return make_script(directory, name, "printf '%s' >&%d\nexit %d\n" % (escaped, stream, rc))


def test_runc_script_forced_kind(tmp_path, capsys):
    path = echo_script(tmp_path, 'my-runc-build', RUNC_OUTPUT)
    failed, result = run_module(capsys, {'binaries': [{'path': path, 'kind': 'runc'}]})
    assert not failed
    assert result['changed'] is False
    entry = result['binaries'][0]
    assert entry['path'] == path
    assert entry['exists'] is True
    assert entry['kind'] == 'runc'
    assert entry['version'] == '1.1.5'
    assert entry['commit'] == 'f19387a6bec4944c770f7668ab51c4348d9c2f38'
    assert entry['commit_hash'] == entry['commit']
    assert entry['libseccomp'] == '2.5.4'
    assert entry['go_version'] == 'go1.19.8'
    assert entry['spec'] == '1.0.2-dev'
    assert entry['raw'] == RUNC_OUTPUT
    assert entry['rc'] == 0
    assert entry['version_command'] == [path, '--version']
    assert entry['error'] is None
    assert entry['mode'] == '0755'
    with open(path, 'rb') as fobj:
        data = fobj.read()
    assert entry['sha256'] == hashlib.sha256(data).hexdigest()
    assert entry['size'] == len(data)
    assert entry['elf'] is False
    assert entry['static'] is None
    assert result['by_name'] == {'my-runc-build': entry}


@pytest.mark.parametrize('name, kind, output, expected', [
    ('dockerd', None, 'Docker version 29.7.2, build 6a43e3d\n', {'version': '29.7.2', 'commit': '6a43e3d'}),
    ('docker', None, 'Docker version 20.10.24+dfsg1, build 297e128\n', {'version': '20.10.24+dfsg1'}),
    ('containerd', None, 'containerd github.com/containerd/containerd/v2 v2.3.3 aad11006b869517fcd3009450b6f82da282e1a9b\n',
     {'version': '2.3.3', 'commit': 'aad11006b869517fcd3009450b6f82da282e1a9b'}),
    ('docker-containerd-ctr', None, 'ctr version 0.2.3 commit: 9048e5e50717ea4497b757314bad98ea3763c145\n',
     {'kind': 'ctr', 'version': '0.2.3'}),
    ('tini-static', None, 'tini version 0.19.0 - git.de40ad0\n', {'kind': 'docker-init', 'commit': 'de40ad0'}),
    ('docker-proxy', None, 'docker-proxy (commit 6a43e3d) version 29.7.2\n', {'version': '29.7.2'}),
    ('proxy-bin', 'docker-proxy', 'docker-proxy (commit 6a43e3d) version 29.7.2\n', {'kind': 'docker-proxy'}),
])
def test_kinds(tmp_path, capsys, name, kind, output, expected):
    path = echo_script(tmp_path, name, output)
    item = {'path': path, 'kind': kind} if kind else path
    failed, result = run_module(capsys, {'binaries': [item]})
    assert not failed
    entry = result['binaries'][0]
    assert entry['error'] is None
    for key, value in expected.items():
        assert entry[key] == value, key


def test_shim_v2_uses_dash_v(tmp_path, capsys):
    body = ('if [ "$1" = "-v" ]; then printf "%s:\\n  Version:  v2.3.3\\n  Revision: aad11006b869517fcd3009450b6f82da282e1a9b\\n'
            '  Go version: go1.26.5\\n" "$0"; exit 0; fi\necho "bad flag $1" >&2; exit 1\n')
    path = make_script(tmp_path, 'containerd-shim-runc-v2', body)
    failed, result = run_module(capsys, {'binaries': [path]})
    assert not failed
    entry = result['by_name']['containerd-shim-runc-v2']
    assert entry['version_command'] == [path, '-v']
    assert entry['version'] == '2.3.3'
    assert entry['go_version'] == 'go1.26.5'


@pytest.mark.parametrize('name', ['containerd-shim', 'docker-containerd-shim'])
def test_old_shim_is_not_run(tmp_path, capsys, name):
    marker = tmp_path / 'ran'
    path = make_script(tmp_path, name, 'touch %s\nexit 1\n' % marker)
    failed, result = run_module(capsys, {'binaries': [path], 'fail_on_error': True})
    assert not failed
    entry = result['binaries'][0]
    assert entry['kind'] == 'containerd-shim'
    assert entry['version'] is None
    assert entry['error'] is None
    assert entry['version_command'] is None
    assert not marker.exists()


def test_old_docker_proxy_without_version_flag(tmp_path, capsys):
    # libnetwork-era docker-proxy: Go flag package rejects --version, prints usage and exits 2
    path = echo_script(tmp_path, 'docker-proxy',
                       'flag provided but not defined: -version\nUsage of docker-proxy:\n  -container-ip string\n',
                       rc=2, stream=2)
    failed, result = run_module(capsys, {'binaries': [path], 'fail_on_error': True})
    assert not failed
    entry = result['binaries'][0]
    assert entry['version'] is None
    assert entry['error'] is None
    assert entry['rc'] == 2


def test_unknown_kind_is_not_run(tmp_path, capsys):
    marker = tmp_path / 'ran'
    path = make_script(tmp_path, 'something-else', 'touch %s\n' % marker)
    failed, result = run_module(capsys, {'binaries': [path]})
    assert not failed
    assert result['binaries'][0]['kind'] == 'unknown'
    assert result['binaries'][0]['version_command'] is None
    assert not marker.exists()


def test_version_command_fails(tmp_path, capsys):
    path = echo_script(tmp_path, 'runc', 'runc: symbol lookup error\n', rc=127, stream=2)
    failed, result = run_module(capsys, {'binaries': [path]})
    assert not failed
    entry = result['binaries'][0]
    assert entry['version'] is None
    assert 'exited with code 127' in entry['error']
    assert 'symbol lookup error' in entry['error']

    failed, result = run_module(capsys, {'binaries': [path], 'fail_on_error': True})
    assert failed
    assert path in result['msg']
    assert 'exited with code 127' in result['msg']


def test_unparseable_output(tmp_path, capsys):
    path = echo_script(tmp_path, 'dockerd', 'hello world\n')
    failed, result = run_module(capsys, {'binaries': [path]})
    assert not failed
    assert 'cannot parse the version output of a dockerd binary' in result['binaries'][0]['error']


def test_not_executable(tmp_path, capsys):
    path = echo_script(tmp_path, 'runc', RUNC_OUTPUT)
    os.chmod(path, 0o644)
    if os.geteuid() == 0 and os.access(path, os.X_OK):
        pytest.skip('root can execute anything here')
    failed, result = run_module(capsys, {'binaries': [path]})
    assert not failed
    entry = result['binaries'][0]
    assert entry['mode'] == '0644'
    assert entry['error'].startswith('cannot run')


@pytest.mark.parametrize('body', ['exec sleep 30\n', 'sleep 30\necho done\n'])
def test_timeout(tmp_path, capsys, monkeypatch, body):
    monkeypatch.setattr(binary_info, 'VERSION_TIMEOUT', 1)
    path = make_script(tmp_path, 'runc', body)
    failed, result = run_module(capsys, {'binaries': [path]})
    assert not failed
    assert 'did not finish within 1 seconds' in result['binaries'][0]['error']


def test_run_version_false(tmp_path, capsys):
    marker = tmp_path / 'ran'
    path = make_script(tmp_path, 'runc', 'touch %s\n' % marker)
    failed, result = run_module(capsys, {'binaries': [path], 'run_version': False})
    assert not failed
    assert result['binaries'][0]['version_command'] is None
    assert result['binaries'][0]['sha256']
    assert not marker.exists()


def test_missing(tmp_path, capsys):
    missing = str(tmp_path / 'dockerd')
    failed, result = run_module(capsys, {'binaries': [missing]})
    assert not failed
    entry = result['binaries'][0]
    assert entry['exists'] is False
    assert entry['kind'] == 'dockerd'
    assert entry['sha256'] is None
    assert entry['error'] is None

    failed, result = run_module(capsys, {'binaries': [missing], 'fail_on_missing': True})
    assert failed
    assert result['msg'] == 'binaries not found: %s' % missing


def test_directory_is_an_error(tmp_path, capsys):
    directory = tmp_path / 'runc'
    directory.mkdir()
    failed, result = run_module(capsys, {'binaries': [str(directory)]})
    assert not failed
    assert 'not a regular file' in result['binaries'][0]['error']
    failed, result = run_module(capsys, {'binaries': [str(directory)], 'fail_on_error': True})
    assert failed


def test_order_and_by_name(tmp_path, capsys):
    first = echo_script(tmp_path, 'docker', 'Docker version 29.7.2, build 6a43e3d\n')
    second = str(tmp_path / 'runc')
    failed, result = run_module(capsys, {'binaries': [second, first]})
    assert not failed
    assert [entry['path'] for entry in result['binaries']] == [second, first]
    assert sorted(result['by_name']) == ['docker', 'runc']


def test_check_mode(tmp_path, capsys):
    path = echo_script(tmp_path, 'docker', 'Docker version 29.7.2, build 6a43e3d\n')
    failed, result = run_module(capsys, {'binaries': [path], '_ansible_check_mode': True})
    assert not failed
    assert result['changed'] is False
    assert result['binaries'][0]['version'] == '29.7.2'


def test_real_elf(capsys):
    path = shutil.which('ls') or '/bin/ls'
    if not os.path.exists(path):
        pytest.skip('no ls binary')
    failed, result = run_module(capsys, {'binaries': [path], 'run_version': False})
    assert not failed
    entry = result['binaries'][0]
    assert entry['elf'] is True
    assert entry['static'] is False
    assert entry['interpreter']


@pytest.mark.parametrize('item, message', [
    (42, 'binaries[0]: must be a path string or a dict'),
    ({'kind': 'runc'}, 'binaries[0]: path is required'),
    ({'path': '/x/runc', 'kind': 'podman'}, "binaries[0]: kind 'podman' is not supported; valid kinds: dockerd"),
    ({'path': '/x/runc', 'knd': 'runc'}, 'binaries[0]: unsupported key(s) knd'),
    ('', 'binaries[0]: path must not be empty'),
])
def test_invalid_items(capsys, item, message):
    failed, result = run_module(capsys, {'binaries': [item]})
    assert failed
    assert message in result['msg']


def test_directory_lists_its_regular_files_as_find_does(tmp_path, capsys):
    out = tmp_path / 'out'
    (out / 'bin').mkdir(parents=True)
    (out / '.hidden').mkdir()
    runc = echo_script(out / 'bin', 'runc', RUNC_OUTPUT)
    license_file = out / 'LICENSE'
    license_file.write_text('Apache-2.0\n')
    (out / 'bin' / '.tmp').write_text('x')
    (out / '.hidden' / 'runc').write_text('x')
    os.symlink(runc, out / 'bin' / 'docker-runc')
    extra = echo_script(tmp_path, 'docker', 'Docker version 29.7.2, build 6a43e3d\n')
    failed, result = run_module(capsys, {'binaries': [extra], 'directory': str(out)})
    assert not failed
    assert [entry['path'] for entry in result['binaries']] == [extra, str(license_file), runc]
    assert result['by_name']['runc']['version'] == '1.1.5'


def test_binaries_or_directory_is_required(capsys):
    failed, result = run_module(capsys, {})
    assert failed and 'binaries' in result['msg'] and 'directory' in result['msg']
