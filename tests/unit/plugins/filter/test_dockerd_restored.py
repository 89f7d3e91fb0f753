# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import dockerd_restored as restored_plugin

dockerd_restored = restored_plugin.FilterModule().filters()['dockerd_restored']

JSON = '/etc/docker/daemon.json'


@pytest.mark.parametrize('stdout, results', [
    ('', []),
    ('restored %s %s.1.2026-12-01@16:10:00~ kept %s.9.2026-12-01@17:00:00~\n' % (JSON, JSON, JSON),
     [{'dest': JSON, 'changed': True, 'backup_file': JSON + '.9.2026-12-01@17:00:00~'}]),
    # The file did not exist before the rollback restored it: a failed restart removes it again.
    ('restored %s %s.1.2026-12-01@16:10:00~\n' % (JSON, JSON), [{'dest': JSON, 'changed': True}]),
    ('removed /etc/init.d/containerd kept /etc/init.d/containerd.3.2026-12-01@17:00:00~\n',
     [{'dest': '/etc/init.d/containerd', 'changed': True, 'backup_file': '/etc/init.d/containerd.3.2026-12-01@17:00:00~'}]),
    ('removed /etc/init.d/containerd', [{'dest': '/etc/init.d/containerd', 'changed': True}]),
    (['BECOME-SUCCESS-abc', 'removed /etc/default/docker'], [{'dest': '/etc/default/docker', 'changed': True}]),
])
def test_lines_become_write_results(stdout, results):
    assert dockerd_restored(stdout) == results


@pytest.mark.parametrize('line', ['restored %s' % JSON, 'removed %s kept' % JSON, 'restored %s b copied c' % JSON])
def test_unreadable_lines_fail(line):
    with pytest.raises(AnsibleFilterError, match='cannot read'):
        dockerd_restored(line)
