# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import target_path as target_path_plugin

target_path = target_path_plugin.FilterModule().filters()['target_path']

TOOLS_ALL = '\n'.join(f'tool {t} /usr/bin/{t}' for t in ('sh', 'tar', 'gzip', 'sha256sum', 'update-rc.d'))


def probe(*lines: str, tools: str = TOOLS_ALL, kernel: str = '6.1.0-28-amd64', systemd: str = 'no') -> str:
    return '\n'.join(['probe 1', f'kernel {kernel}', 'init /sbin/init', f'systemd {systemd}', *lines, tools]) + '\n'


DEBIAN12 = probe('python /usr/bin/python3 3.11.2')
NO_PYTHON = probe()
CENTOS7 = probe('python /usr/bin/python3 3.6.8', 'python /usr/bin/python 2.7.5', 'python /usr/bin/python2 2.7.5',
                kernel='3.10.0-1160.el7.x86_64')
BULLSEYE_PY2 = probe('python /usr/bin/python 2.7.18', 'python /usr/bin/python2 2.7.18', 'python /usr/bin/python2.7 2.7.18')
EL8 = probe('python /usr/bin/python3.11 3.11.7', 'python /usr/libexec/platform-python 3.6.8', 'python /usr/bin/python3 3.6.8')
EQUAL = probe('python /usr/bin/python3.11 3.11.2', 'python /usr/bin/python3 3.11.2')
BROKEN = probe('python /root/.pyenv/shims/python3.13 unknown', 'python /usr/bin/python2 2.7.18')


@pytest.mark.parametrize('stdout, override, path, interpreter', [
    (DEBIAN12, 'auto', 'modules', '/usr/bin/python3'),
    (NO_PYTHON, 'auto', 'shell', None),
    (CENTOS7, 'auto', 'shell', None),
    (BULLSEYE_PY2, 'auto', 'shell', None),
    (EL8, 'auto', 'modules', '/usr/bin/python3.11'),
    (EQUAL, 'auto', 'modules', '/usr/bin/python3.11'),
    (BROKEN, 'auto', 'shell', None),
    (DEBIAN12, 'shell', 'shell', None),
    (NO_PYTHON, 'modules', 'modules', None),
    (EL8, 'modules', 'modules', '/usr/bin/python3.11'),
    # a list of lines (stdout_lines) and \r\n line ends (raw over SSH with a tty) are read the same
    (DEBIAN12.splitlines(), 'auto', 'modules', '/usr/bin/python3'),
    (DEBIAN12.replace('\n', '\r\n'), 'auto', 'modules', '/usr/bin/python3'),
    # a become banner before the probe's first line
    ('BECOME-SUCCESS-abc\n' + DEBIAN12, 'auto', 'modules', '/usr/bin/python3'),
])
def test_path_and_interpreter(stdout, override, path, interpreter):
    result = target_path(stdout, override)
    assert (result['path'], result['interpreter']) == (path, interpreter)


@pytest.mark.parametrize('stdout, override, floor, expected', [
    (NO_PYTHON, 'auto', '3.9', 'no Python >= 3.9 (found: none)'),
    (CENTOS7, 'auto', '3.9', 'no Python >= 3.9 (found: /usr/bin/python3 3.6.8, /usr/bin/python 2.7.5, /usr/bin/python2 2.7.5)'),
    (BROKEN, 'auto', '3.9', 'no Python >= 3.9 (found: /root/.pyenv/shims/python3.13 (does not run), /usr/bin/python2 2.7.18)'),
    (DEBIAN12, 'auto', '3.9', 'Python 3.11.2 at /usr/bin/python3 (>= 3.9)'),
    (CENTOS7, 'auto', '3.6', 'Python 3.6.8 at /usr/bin/python3 (>= 3.6)'),
    (DEBIAN12, 'auto', '3.12', 'no Python >= 3.12 (found: /usr/bin/python3 3.11.2)'),
    (DEBIAN12, 'shell', '3.9', 'engine_target_path is shell'),
    (NO_PYTHON, 'modules', '3.9',
     'engine_target_path is modules; the probe found no Python >= 3.9 (found: none): set ansible_python_interpreter'),
])
def test_reason(stdout, override, floor, expected):
    assert target_path(stdout, override, floor)['reason'] == expected


@pytest.mark.parametrize('tools, missing, blockers, helper, enable_with', [
    (TOOLS_ALL, [], [], False, 'update-rc.d'),
    ('tool sh /bin/sh\ntool tar /bin/tar\ntool gzip /bin/gzip\ntool sha256sum -\ntool chkconfig /sbin/chkconfig',
     ['sha256sum'], [], True, 'chkconfig'),
    ('tool sh /bin/sh\ntool tar -\ntool gzip -\ntool sha256sum /usr/bin/sha256sum\ntool update-rc.d -',
     ['gzip', 'tar', 'update-rc.d'], ['tar', 'gzip'], False, 'rc-links'),
    # systemctl counts only on a host that systemd runs
    ('tool sh /bin/sh\ntool systemctl /bin/systemctl\ntool update-rc.d /usr/sbin/update-rc.d', [], [], True, 'update-rc.d'),
])
def test_tools(tools, missing, blockers, helper, enable_with):
    result = target_path(probe(tools=tools))
    assert result['missing_tools'] == missing
    assert result['shell_path_blockers'] == blockers
    assert result['sha256_helper'] is helper
    assert result['enable_with'] == enable_with


def test_facts():
    result = target_path(probe('python /usr/bin/python3 3.11.2', tools='tool systemctl /bin/systemctl', systemd='yes'))
    assert result['enable_with'] == 'systemctl'
    assert result['systemd'] is True
    assert result['kernel'] == '6.1.0-28-amd64'
    assert result['init'] == '/sbin/init'
    assert result['pythons'] == [{'path': '/usr/bin/python3', 'version': '3.11.2'}]
    assert result['tools'] == {'systemctl': '/bin/systemctl'}


@pytest.mark.parametrize('lines, release', [
    # What setup's distribution_release is on each: the name in parentheses of PRETTY_NAME, else VERSION_CODENAME.
    (['os-pretty "Debian GNU/Linux 12 (bookworm)"', 'os-codename bookworm'], 'bookworm'),
    (['os-pretty "Debian GNU/Linux 13 (trixie)"', 'os-codename trixie'], 'trixie'),
    (['os-pretty "Debian GNU/Linux forky/sid"', 'os-codename forky'], 'forky'),
    (['os-pretty "CentOS Linux 7 (Core)"'], 'Core'),
    (["os-pretty 'Alpine Linux v3.20'"], None),
    ([], None),
])
def test_release(lines, release):
    assert target_path(probe(*lines))['release'] == release


@pytest.mark.parametrize('stdout, override, floor, message', [
    ('kernel 6.1\n', 'auto', '3.9', 'no "probe 1" line'),
    ('', 'auto', '3.9', 'no "probe 1" line'),
    (None, 'auto', '3.9', 'expected the command output'),
    (DEBIAN12, 'python', '3.9', 'must be one of auto, modules, shell'),
    (DEBIAN12, 'auto', 'three', 'is not a version'),
])
def test_errors(stdout, override, floor, message):
    with pytest.raises(AnsibleFilterError, match=message):
        target_path(stdout, override, floor)
