# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import base64
import io
import subprocess
import tarfile

import pytest

from ansible.errors import AnsibleError

from ansible_collections.sourcebuilt.docker.plugins.filter import tar_base64 as tar_base64_plugin

tar_base64 = tar_base64_plugin.FilterModule().filters()['tar_base64']


def test_the_text_unpacks_to_the_members_in_order(tmp_path):
    patch = tmp_path / 'fix.patch'
    patch.write_bytes(b'--- a/x\n+++ b/x\n')
    text = tar_base64({'build.sh': {'content': 'echo build\n'}, 'patches/001-fix.patch': str(patch)})
    assert '\n' not in text
    with tarfile.open(fileobj=io.BytesIO(base64.b64decode(text)), mode='r:gz') as tar:
        members = tar.getmembers()
        assert [(m.name, m.mode, m.uid) for m in members] == [('build.sh', 0o644, 0), ('patches/001-fix.patch', 0o755, 0)]
        assert tar.extractfile('build.sh').read() == b'echo build\n'
        assert tar.extractfile('patches/001-fix.patch').read() == patch.read_bytes()


def test_the_host_side_of_compile_prepare_unpacks_it(tmp_path):
    """What files/compile-prepare.sh runs on its standard input (with the newline Ansible's stdin adds)."""
    text = tar_base64({'build.sh': {'content': 'echo build\n'}})
    subprocess.run(['sh', '-c', 'base64 -d | tar -xzf - -C "$1"', 'sh', str(tmp_path)], input=text + '\n', text=True, check=True)
    assert (tmp_path / 'build.sh').read_text() == 'echo build\n'


@pytest.mark.parametrize('members, message', [
    (['build.sh'], 'expected a dict'),
    ({'../x': {'content': ''}}, 'relative path without'),
    ({'/etc/x': {'content': ''}}, 'relative path without'),
    ({'x': '/no/such/file'}, 'is not a file on the controller'),
])
def test_bad_members_are_refused(members, message):
    with pytest.raises(AnsibleError, match=message):
        tar_base64(members)
