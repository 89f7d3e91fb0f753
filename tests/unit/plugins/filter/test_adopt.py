# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import adopt_plan as plugin

adopt_plan = plugin.FilterModule().filters()['adopt_plan']

BOOKWORM_TAGS = ['netgo', 'static_build', 'exclude_graphdriver_btrfs', 'exclude_graphdriver_devicemapper',
                 'exclude_graphdriver_zfs']
INV = {'data-root': '/var/lib/docker', 'bridge': 'none'}
FLAGS = ['host', 'iptables']


@pytest.mark.parametrize('existing, inventory, keys, merged, report', [
    # no daemon.json on the host: the inventory's, data-root kept at the default
    ('', INV, ['bridge'], INV, []),
    (None, INV, ['bridge'], INV, []),
    # a key the inventory does not set is kept; the flags the role sets are dropped
    ('{"iptables": false, "bridge": "none", "log-opts": {"max-size": "10m"}}', INV, ['bridge'],
     {'data-root': '/var/lib/docker', 'bridge': 'none', 'log-opts': {'max-size': '10m'}},
     ['kept log-opts={"max-size": "10m"}', 'dropped iptables=false (a command-line flag the role sets)']),
    # a key the inventory sets wins and is reported
    ({'max-concurrent-downloads': 4, 'debug': True}, dict(INV, **{'max-concurrent-downloads': 6}),
     ['bridge', 'max-concurrent-downloads'],
     {'data-root': '/var/lib/docker', 'bridge': 'none', 'max-concurrent-downloads': 6, 'debug': True},
     ['kept debug=true', 'overridden max-concurrent-downloads: 4 -> 6']),
    # hosts (the -H flag the role sets) is dropped, the deprecated graph becomes data-root
    ({'hosts': ['tcp://0.0.0.0:2375'], 'graph': '/srv/docker'}, INV, ['bridge'],
     {'data-root': '/srv/docker', 'bridge': 'none'},
     ['dropped graph="/srv/docker" (renamed data-root)',
      'dropped hosts=["tcp://0.0.0.0:2375"] (a command-line flag the role sets)']),
    # the host's data-root is kept when the inventory leaves daemon_data_root at its default
    ({'data-root': '/srv/docker'}, INV, ['bridge'], {'data-root': '/srv/docker', 'bridge': 'none'},
     ['kept data-root="/srv/docker"']),
    # the same value set by both is neither overridden nor kept twice
    ({'bridge': 'none'}, INV, ['bridge'], INV, []),
])
def test_merge(existing, inventory, keys, merged, report):
    plan = adopt_plan(existing, inventory, flags=FLAGS, inventory_keys=keys, host='h1')
    assert plan['errors'] == []
    assert plan['daemon_json'] == merged
    assert plan['report'] == report


@pytest.mark.parametrize('info, dirs, existing, version, tags, driver, error', [
    ('overlay2 /var/lib/docker', [], {}, '20.10.24', BOOKWORM_TAGS, 'overlay2', ''),
    ('devicemapper /var/lib/docker', [], {}, '20.10.24', BOOKWORM_TAGS, 'devicemapper', 'exclude_graphdriver_devicemapper'),
    ('btrfs /var/lib/docker', [], {}, '20.10.24', BOOKWORM_TAGS, 'btrfs', 'exclude_graphdriver_btrfs'),
    ('aufs /var/lib/docker', [], {}, '28.5.2', [], 'aufs', 'removed in 24.0'),
    ('devicemapper /var/lib/docker', [], {}, '29.7.2', [], 'devicemapper', 'removed in 25.0'),
    ('aufs /var/lib/docker', [], {}, '20.10.24', [], 'aufs', ''),
    # the engine does not answer: its daemon.json, then the driver directories under the data-root
    ('', [], {'storage-driver': 'zfs'}, '20.10.24', BOOKWORM_TAGS, 'zfs', 'exclude_graphdriver_zfs'),
    ('', ['image', 'devicemapper', 'vfs'], {}, '20.10.24', BOOKWORM_TAGS, 'devicemapper', 'devicemapper'),
    ('', ['image', 'overlay2', 'vfs'], {}, '20.10.24', BOOKWORM_TAGS, 'overlay2', ''),
    ('', [], {}, '20.10.24', BOOKWORM_TAGS, '', ''),
    ('Cannot connect', [], {}, '', None, '', ''),
])
def test_storage_driver(info, dirs, existing, version, tags, driver, error):
    plan = adopt_plan(existing, INV, flags=FLAGS, inventory_keys=['bridge'], info=info, driver_dirs=dirs,
                      dockerd_version=version, build_tags=tags, host='h1')
    assert plan['storage_driver'] == driver
    if error:
        assert len(plan['errors']) == 1 and error in plan['errors'][0] and 'Nothing was changed' in plan['errors'][0]
        assert 'storage-driver' not in plan['daemon_json']
    else:
        assert plan['errors'] == []
        assert plan['daemon_json'].get('storage-driver', '') == driver


@pytest.mark.parametrize('existing, inventory, info, words', [
    # the inventory moves the data-root away from the containers
    ({}, dict(INV, **{'data-root': '/srv/docker'}), 'overlay2 /var/lib/docker',
     ['daemon_data_root is /srv/docker', 'set daemon_data_root: /var/lib/docker']),
    # the inventory switches the storage driver
    ({}, dict(INV, **{'storage-driver': 'vfs'}), 'overlay2 /var/lib/docker', ['uses overlay2', 'set it to overlay2']),
    ('{"log-level": ', INV, '', ['not valid JSON']),
    ({'no-such-key': 1}, INV, '', ['holds no-such-key', 'remove it']),
])
def test_refused(existing, inventory, info, words):
    plan = adopt_plan(existing, inventory, flags=FLAGS, inventory_keys=['bridge', 'storage-driver'], info=info, host='h1')
    assert len(plan['errors']) == 1
    for word in words + ['h1', 'Nothing was changed']:
        assert word in plan['errors'][0]


def test_same_data_root_set_on_purpose():
    plan = adopt_plan({'data-root': '/srv/docker'}, dict(INV, **{'data-root': '/srv/docker'}), flags=FLAGS)
    assert plan['errors'] == [] and plan['data_root'] == '/srv/docker'


def test_idempotent_over_its_own_output():
    first = adopt_plan({'iptables': False, 'debug': True}, INV, flags=FLAGS, inventory_keys=['bridge'],
                       info='overlay2 /var/lib/docker')
    again = adopt_plan(first['daemon_json'], INV, flags=FLAGS, inventory_keys=['bridge'], info='overlay2 /var/lib/docker')
    assert again['daemon_json'] == first['daemon_json']


def test_bad_input():
    with pytest.raises(AnsibleFilterError):
        adopt_plan(['x'], INV)
    with pytest.raises(AnsibleFilterError):
        adopt_plan({}, INV, flags=['bad name'])
