# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import preflight_report as preflight_plugin

preflight_report = preflight_plugin.FilterModule().filters()['preflight_report']

GOOD = 'ok kernel 6.1.0-28-amd64\nok cgroup.memory mounted at /sys/fs/cgroup/memory\nskip kernel-config no config\nend 0 0\n'
OLD = ('fail kernel Linux 2.6.32-754.el6.x86_64 is older than 3.10\n'
       'fail go-runtime the release is built with Go 1.26.5\n'
       'warn cgroup.pids controller not in /proc/cgroups\nend 2 1\n')


@pytest.mark.parametrize('stdout, passed, failed, warnings', [
    (GOOD, True, [], []),
    (GOOD.splitlines(), True, [], []),
    (GOOD.replace('\n', '\r\n'), True, [], []),
    ('BECOME-SUCCESS-x\nsudo: unable to resolve host\n' + GOOD, True, [], []),
    (OLD, False, ['kernel: Linux 2.6.32-754.el6.x86_64 is older than 3.10', 'go-runtime: the release is built with Go 1.26.5'],
     ['cgroup.pids: controller not in /proc/cgroups']),
    ('warn iptables no iptables command\nend 0 1\n', True, [], ['iptables: no iptables command']),
    ('ok kernel 6.1\n', False, ['preflight: the script stopped before its end line (output cut short or the shell failed)'], []),
    ('', False, ['preflight: the script stopped before its end line (output cut short or the shell failed)'], []),
])
def test_report(stdout, passed, failed, warnings):
    result = preflight_report(stdout)
    assert (result['passed'], result['failed'], result['warnings']) == (passed, failed, warnings)


def test_checks_by_key():
    checks = preflight_report(GOOD)['checks']
    assert checks['cgroup.memory'] == {'status': 'ok', 'message': 'mounted at /sys/fs/cgroup/memory'}
    assert checks['kernel-config'] == {'status': 'skip', 'message': 'no config'}
    assert list(checks) == ['kernel', 'cgroup.memory', 'kernel-config']


@pytest.mark.parametrize('stdout, message', [
    ('fail\nend 1 0\n', 'a fail line without a key'),
    (42, 'expected the command output'),
])
def test_errors(stdout, message):
    with pytest.raises(AnsibleFilterError, match=message):
        preflight_report(stdout)
