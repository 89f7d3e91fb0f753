# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import foreign_engine as engine_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import foreign_variables as variables_plugin
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.foreign_variables import FOREIGN_VARIABLES

foreign_engine = engine_plugin.FilterModule().filters()['foreign_engine']
foreign_variables = variables_plugin.FilterModule().filters()['foreign_variables']

DEBIAN = ('package containerd 1.6.20~ds1-1+deb12u3\npackage docker.io 20.10.24+dfsg1-1+deb12u1+b6\n'
          'unit docker.service /lib/systemd/system/docker.service\nsysv docker /etc/init.d/docker\n'
          'process dockerd 3044 /usr/sbin/dockerd\nend 5\n')
DEBIAN_FINDINGS = ['package containerd 1.6.20~ds1-1+deb12u3', 'package docker.io 20.10.24+dfsg1-1+deb12u1+b6',
                   'systemd unit docker.service (/lib/systemd/system/docker.service)', 'SysV script /etc/init.d/docker',
                   'dockerd running as pid 3044 from /usr/sbin/dockerd']


@pytest.mark.parametrize('stdout, adopt, found, stop, findings', [
    ('end 0\n', False, False, False, []),
    ('end 0', True, False, False, []),
    (DEBIAN, False, True, True, DEBIAN_FINDINGS),
    (DEBIAN.splitlines(), False, True, True, DEBIAN_FINDINGS),
    (DEBIAN, True, True, False, DEBIAN_FINDINGS),
    ('package docker-ce 3:28.5.1-1.el9\npackage containerd.io 1.7.28-3.1.el9\nend 2\n', False, True, True,
     ['package docker-ce 3:28.5.1-1.el9', 'package containerd.io 1.7.28-3.1.el9']),
    ('process containerd 77 /usr/local/bin/containerd (deleted)\nend 1\n', False, True, True,
     ['containerd running as pid 77 from /usr/local/bin/containerd (deleted)']),
    ('BECOME-SUCCESS-abc\nnoise\npackage\nend 0\n', False, False, False, []),
    # cut short: stop even with adopt, nothing can be said about the host
    ('package docker.io 20.10.24\n', True, True, True, ['package docker.io 20.10.24']),
    ('', False, False, True, []),
])
def test_foreign_engine(stdout, adopt, found, stop, findings):
    result = foreign_engine(stdout, adopt, 'node1')
    assert (result['found'], result['stop'], result['findings']) == (found, stop, findings)


def test_foreign_engine_message_names_what_and_the_setting():
    result = foreign_engine(DEBIAN, False, 'node1')
    assert result['message'].startswith('node1 has a Docker engine this collection did not install: package containerd')
    assert 'daemon_adopt: true' in result['message'] and 'Nothing was changed' in result['message']
    assert '/usr/sbin/dockerd' in result['message']
    assert 'daemon_adopt is true' in foreign_engine(DEBIAN, True, 'node1')['message']
    assert foreign_engine('end 0\n')['message'] == ''
    assert 'stopped before its end line' in foreign_engine('')['message']


@pytest.mark.parametrize('bad, adopt', [(42, False), ({'a': 1}, False), ('end 0', 'yes')])
def test_foreign_engine_refuses(bad, adopt):
    with pytest.raises(AnsibleFilterError):
        foreign_engine(bad, adopt)


@pytest.mark.parametrize('names, expected', [
    ([], []),
    (['daemon_options', 'daemon_users', 'docker_something_else'], []),
    (['docker_users'], ['docker_users is a variable of geerlingguy.docker that sourcebuilt.docker does not read; '
                        'set daemon_users (members of daemon_group).']),
    (['docker_registry_mirrors', 'docker_daemon_options', 'docker_daemon_options'],
     ['docker_daemon_options is a variable of geerlingguy.docker that sourcebuilt.docker does not read; '
      'set daemon_options (the same dict, written to daemon.json).',
      'docker_registry_mirrors is a variable of kubespray that sourcebuilt.docker does not read; '
      'set daemon_options: {registry-mirrors: [...]}.']),
    (('docker_options',), ['docker_options is a variable of kubespray that sourcebuilt.docker does not read; '
                           'set daemon_flags (command-line flags) or daemon_options (daemon.json).']),
])
def test_foreign_variables(names, expected):
    assert foreign_variables(names) == expected


@pytest.mark.parametrize('name', sorted(FOREIGN_VARIABLES))
def test_every_foreign_variable_names_a_replacement(name):
    origin, instead = FOREIGN_VARIABLES[name]
    assert origin in ('geerlingguy.docker', 'kubespray')
    assert instead.split()[0].rstrip(':') in ('nothing', 'build_profile', 'build_component_overrides') or \
        instead.startswith('daemon_')
    assert foreign_variables([name]) == [f'{name} is a variable of {origin} that sourcebuilt.docker does not read; set {instead}.']


@pytest.mark.parametrize('bad', ['docker_users', 5, None])
def test_foreign_variables_refuses(bad):
    with pytest.raises(AnsibleFilterError):
        foreign_variables(bad)
