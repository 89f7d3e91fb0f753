# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sourcebuilt.docker.shell_facts: the setup facts the roles read, from a real probe output read by target_path."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.sourcebuilt.docker.plugins.action.shell_facts import facts_from_target
from ansible_collections.sourcebuilt.docker.plugins.filter import target_path as target_path_plugin

target_path = target_path_plugin.FilterModule().filters()['target_path']

PROBE = 'probe 1\nkernel {kernel}\nmachine x86_64\nfamily {family}\ninit {init}\nsystemd {systemd}\ntool sh /bin/sh\n'


@pytest.mark.parametrize('kernel, family, init, systemd, want', [
    ('6.1.0-18-amd64', 'Debian', '/sbin/init', 'no',
     {'kernel': '6.1.0-18-amd64', 'architecture': 'x86_64', 'os_family': 'Debian', 'service_mgr': 'sysvinit'}),
    ('3.10.0-1160.el7.x86_64', 'RedHat', '/usr/lib/systemd/systemd', 'yes',
     {'kernel': '3.10.0-1160.el7.x86_64', 'architecture': 'x86_64', 'os_family': 'RedHat', 'service_mgr': 'systemd'}),
    ('5.15.0', 'other', '/bin/busybox', 'no',
     {'kernel': '5.15.0', 'architecture': 'x86_64', 'os_family': 'other', 'service_mgr': 'sysvinit'}),
])
def test_facts_from_the_probe(kernel, family, init, systemd, want):
    target = target_path(PROBE.format(kernel=kernel, family=family, init=init, systemd=systemd))
    assert target['path'] == 'shell'
    assert facts_from_target(target) == want


def test_the_release_is_a_fact_where_os_release_names_it():
    probe = PROBE.format(kernel='6.1.0', family='Debian', init='/lib/systemd/systemd', systemd='yes')
    named = facts_from_target(target_path(probe + 'os-pretty "Debian GNU/Linux 12 (bookworm)"\n'))
    assert named['distribution_release'] == 'bookworm'
    assert 'distribution_release' not in facts_from_target(target_path(probe))


def test_a_probe_without_machine_is_refused():
    target = target_path('probe 1\nkernel 6.1\nsystemd no\n')
    with pytest.raises(AnsibleActionFail, match='lacks machine'):
        facts_from_target(target)
