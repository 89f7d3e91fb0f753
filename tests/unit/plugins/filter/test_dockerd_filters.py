# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import copy

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import dockerd_conflicts as conflicts_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import dockerd_flags as flags_plugin

dockerd_flags = flags_plugin.FilterModule().filters()['dockerd_flags']
dockerd_conflicts = conflicts_plugin.FilterModule().filters()['dockerd_conflicts']


@pytest.mark.parametrize('options, expected', [
    ({}, []),
    (None, []),
    ({'iptables': False}, ['--iptables=false']),
    ({'--iptables': True}, ['--iptables=true']),
    ({'userns-remap': None}, []),
    ({'max-concurrent-downloads': 3}, ['--max-concurrent-downloads=3']),
    ({'shutdown-timeout': 1.5}, ['--shutdown-timeout=1.5']),
    ({'data-root': '/var/lib/docker'}, ['--data-root=/var/lib/docker']),
    ({'bip': ''}, ['--bip=']),
    ({'storage-opt': ['a', 'b']}, ['--storage-opt=a', '--storage-opt=b']),
    ({'storage-opt': []}, []),
    ({'label': {'rack': 'a1', 'env': 'prod', 'skip': None}}, ['--label=env=prod', '--label=rack=a1']),
    ({'default-ulimit': {'nofile': '1024:2048'}}, ['--default-ulimit=nofile=1024:2048']),
    ({'H': ['unix:///run/docker.sock'], '-D': True}, ['--debug=true', '--host=unix:///run/docker.sock']),
    # keys sorted regardless of dashes and input order
    ({'--zzz': 'z', 'aaa': 1, '-s': 'overlay2', 'log-level': 'warn'},
     ['--aaa=1', '--log-level=warn', '--storage-driver=overlay2', '--zzz=z']),
    ({'insecure-registry': ['b.example', 'a.example']}, ['--insecure-registry=b.example', '--insecure-registry=a.example']),
    ({'exec-opt': [True, 2]}, ['--exec-opt=true', '--exec-opt=2']),
])
def test_dockerd_flags(options, expected):
    before = copy.deepcopy(options)
    assert dockerd_flags(options) == expected
    assert options == before


@pytest.mark.parametrize('options, message', [
    (['--iptables=false'], 'input must be a dict'),
    ({'storage-opt': [{'a': 1}]}, "option 'storage-opt': unsupported value type dict in list item 0"),
    ({'storage-opt': [['a']]}, "option 'storage-opt': unsupported value type list"),
    ({'label': {'a': {'b': 1}}}, "option 'label': unsupported value type dict for dict key 'a'"),
    ({'label': {'a': [1]}}, "option 'label'"),
    ({'foo': object()}, "option 'foo': unsupported value type object"),
    ({'iptables': True, '--iptables': False}, "option 'iptables' is given twice"),
    ({'': 1}, 'invalid option name'),
    ({'--': 1}, 'invalid option name'),
    ({'log level': 1}, 'invalid option name'),
    ({'a=b': 1}, 'invalid option name'),
    ({'x': 1}, "unknown short flag 'x'"),
    ({1: 'a'}, 'option names must be strings'),
])
def test_dockerd_flags_errors(options, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        dockerd_flags(options)
    assert message in str(excinfo.value)


@pytest.mark.parametrize('flags, daemon_json, expected', [
    ({}, {}, []),
    (None, None, []),
    ({'iptables': False}, {'iptables': True}, ['iptables']),
    ({'--iptables': False}, {'ip-forward': True}, []),
    ({'iptables': None}, {'iptables': True}, []),
    ({'storage-opt': ['a']}, {'storage-opts': ['b']}, ['storage-opt (daemon.json: storage-opts)']),
    ({'label': {'a': 'b'}}, {'labels': ['x=y']}, ['label (daemon.json: labels)']),
    ({'insecure-registry': ['r']}, {'insecure-registries': []}, ['insecure-registry (daemon.json: insecure-registries)']),
    ({'registry-mirror': ['m']}, {'registry-mirrors': []}, ['registry-mirror (daemon.json: registry-mirrors)']),
    ({'log-opt': {'max-size': '10m'}}, {'log-opts': {}}, ['log-opt (daemon.json: log-opts)']),
    ({'exec-opt': ['native.cgroupdriver=systemd']}, {'exec-opts': []}, ['exec-opt (daemon.json: exec-opts)']),
    ({'H': ['fd://']}, {'hosts': []}, ['host (daemon.json: hosts)']),
    ({'host': ['fd://']}, {'hosts': []}, ['host (daemon.json: hosts)']),
    ({'dns-opt': ['a']}, {'dns-opts': []}, ['dns-opt (daemon.json: dns-opts)']),
    ({'dns-search': ['a']}, {'dns-search': []}, ['dns-search']),
    ({'authorization-plugin': ['p']}, {'authorization-plugins': []}, ['authorization-plugin (daemon.json: authorization-plugins)']),
    ({'add-runtime': ['crun=/usr/bin/crun']}, {'runtimes': {}}, ['add-runtime (daemon.json: runtimes)']),
    ({'default-ulimit': {'nofile': '1:2'}}, {'default-ulimits': {}}, ['default-ulimit (daemon.json: default-ulimits)']),
    ({'node-generic-resource': ['gpu=1']}, {'node-generic-resources': []},
     ['node-generic-resource (daemon.json: node-generic-resources)']),
    ({'feature': {'buildkit': True}}, {'features': {}}, ['feature (daemon.json: features)']),
    ({'allow-nondistributable-artifacts': ['r']}, {'allow-nondistributable-artifacts': []}, ['allow-nondistributable-artifacts']),
    ({'b': 'br0'}, {'bridge': 'none'}, ['bridge']),
    ({'D': True}, {'debug': False}, ['debug']),
    ({'G': 'docker'}, {'group': 'docker'}, ['group']),
    ({'l': 'info'}, {'log-level': 'warn'}, ['log-level']),
    ({'p': '/run/d.pid'}, {'pidfile': '/run/d.pid'}, ['pidfile']),
    ({'s': 'overlay2'}, {'storage-driver': 'overlay2'}, ['storage-driver']),
    ({'g': '/srv/docker'}, {'data-root': '/srv/docker'}, ['graph (daemon.json: data-root)']),
    ({'graph': '/srv/docker'}, {'graph': '/srv/docker'}, ['graph']),
    ({'data-root': '/srv/docker'}, {'graph': '/srv/docker'}, ['data-root (daemon.json: graph)']),
    # list forms
    (['--iptables=false'], {'iptables': True}, ['iptables']),
    (['--storage-opt', 'overlay2.size=1G'], {'storage-opts': []}, ['storage-opt (daemon.json: storage-opts)']),
    (['--storage-opt overlay2.size=1G'], {'storage-opts': []}, ['storage-opt (daemon.json: storage-opts)']),
    (['-H', 'unix:///run/docker.sock', '--debug'], {'hosts': [], 'debug': True},
     ['debug', 'host (daemon.json: hosts)']),
    (['-Hunix:///run/docker.sock'], {'hosts': []}, ['host (daemon.json: hosts)']),
    (['-H=fd://'], {'hosts': []}, ['host (daemon.json: hosts)']),
    (['-D'], {'debug': True}, ['debug']),
    (['--iptables=false'], '{"iptables": true, "debug": true}', ['iptables']),
    (['--iptables=false'], '', []),
    # sorted output, several conflicts
    ({'iptables': False, 'storage-opt': ['a'], '-H': ['fd://'], 'debug': True},
     {'iptables': True, 'storage-opts': [], 'hosts': [], 'debug': True, 'live-restore': True},
     ['debug', 'host (daemon.json: hosts)', 'iptables', 'storage-opt (daemon.json: storage-opts)']),
])
def test_dockerd_conflicts(flags, daemon_json, expected):
    assert dockerd_conflicts(flags, daemon_json) == expected


@pytest.mark.parametrize('flags, daemon_json, message', [
    ('--iptables=false', {}, 'flags must be a dict of options or a list'),
    ([1], {}, 'flags[0] must be a string'),
    ({}, [], 'daemon_json must be a dict'),
    ({}, '{not json', 'not valid JSON'),
    (['-x'], {}, "unknown short flag '-x'"),
])
def test_dockerd_conflicts_errors(flags, daemon_json, message):
    with pytest.raises(AnsibleFilterError) as excinfo:
        dockerd_conflicts(flags, daemon_json)
    assert message in str(excinfo.value)


def test_flags_roundtrip_into_conflicts():
    options = {'storage-opt': ['a'], 'iptables': False}
    assert dockerd_conflicts(dockerd_flags(options), {'storage-opts': [], 'iptables': True}) == \
        dockerd_conflicts(options, {'storage-opts': [], 'iptables': True})


# ---------------------------------------------------------------------------------------------------------------------
# dockerd_unknown_options

from ansible_collections.sourcebuilt.docker.plugins.filter import dockerd_unknown_options as unknown_plugin  # noqa: E402

unknown = unknown_plugin.FilterModule().filters()['dockerd_unknown_options']


def test_unknown_options_accepts_keys_of_every_era():
    assert unknown({'data-root': '/var/lib/docker', 'bridge': 'none', 'graph': '/srv', 'insecure-registries': [],
                    'log-opts': {}, 'default-network-opts': {}, 'firewall-backend': 'nftables',
                    'disable-legacy-registry': True}) == []


def test_unknown_options_names_the_typo_and_the_fix():
    assert unknown({'storage-drivr': 'overlay2', 'log-level': 'warn'}) == ['storage-drivr (did you mean storage-driver?)']


def test_unknown_options_without_a_close_key():
    assert unknown({'zzzzzz': 1}) == ['zzzzzz']


def test_unknown_options_flag_spelling_is_not_a_daemon_json_key():
    # The flag is --insecure-registry; daemon.json wants the plural.
    assert unknown({'insecure-registry': ['r:5000']}) == ['insecure-registry (did you mean insecure-registries?)']


@pytest.mark.parametrize('value', [None, {}])
def test_unknown_options_empty(value):
    assert unknown(value) == []


def test_unknown_options_rejects_non_dict():
    with pytest.raises(AnsibleFilterError, match='must be a dict'):
        unknown(['data-root'])
