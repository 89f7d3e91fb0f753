# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import hashlib

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import stale_files as stale_files_plugin

stale_files = stale_files_plugin.FilterModule().filters()['stale_files']

JSON = {'dest': '/etc/docker/daemon.json', 'text': '{\n    "iptables": false\n}\n', 'mode': '0644'}
UNIT = {'dest': '/etc/systemd/system/docker.service', 'text': '[Unit]\nDescription=Docker\n', 'mode': '0644'}


def line(item, text=None):
    return '%s %s' % (hashlib.sha256((item['text'] if text is None else text).encode()).hexdigest(), item['dest'])


@pytest.mark.parametrize('found, expected', [
    ([line(JSON), line(UNIT)], []),
    ([], [JSON, UNIT]),
    ([line(UNIT)], [JSON]),
    ([line(JSON, '{}\n'), line(UNIT)], [JSON]),
    # The trailing newline is part of the text.
    ([line(JSON, JSON['text'].rstrip('\n')), line(UNIT)], [JSON]),
    ([line(JSON).upper().replace('/ETC/DOCKER/DAEMON.JSON', JSON['dest']), '  ' + line(UNIT) + '  ', ''], []),
    # Another file's sum does not count for this one.
    (['%s %s' % (line(JSON).split()[0], UNIT['dest'])], [JSON, UNIT]),
])
def test_stale_files(found, expected):
    assert stale_files([JSON, UNIT], found) == expected


@pytest.mark.parametrize('files, found', [
    ('daemon.json', []),
    ([{'dest': '/etc/docker/daemon.json'}], []),
    ([{'dest': '/x', 'text': 1}], []),
    ([JSON], 'abc /etc/docker/daemon.json'),
])
def test_stale_files_refuses_bad_input(files, found):
    with pytest.raises(AnsibleFilterError, match='stale_files'):
        stale_files(files, found)
