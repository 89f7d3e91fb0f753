# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What roles/daemon/files/engine-probe.sh found: a Docker engine this collection did not install, and
the decision the daemon preflight takes on it. Pure functions, no Ansible import beyond the error class."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

ADOPT_SETTING = 'daemon_adopt'
_FIELDS = {'package': 2, 'unit': 2, 'sysv': 2, 'process': 3}


def parse_probe(output):
    """Return {packages, units, scripts, processes, complete} from the probe's lines; unknown lines are ignored."""
    if isinstance(output, (list, tuple)):
        lines = [str(line) for line in output]
    elif isinstance(output, str):
        lines = output.splitlines()
    else:
        raise AnsibleFilterError(f'foreign_engine expects the probe output (a string or a list of lines), got {type(output).__name__}')
    found = {'packages': [], 'units': [], 'scripts': [], 'processes': [], 'complete': False}
    for raw in lines:
        words = raw.strip().split(None, 3)
        if not words:
            continue
        kind = words[0]
        if kind == 'end':
            found['complete'] = True
            continue
        if kind not in _FIELDS or len(words) < _FIELDS[kind] + 1:
            continue
        if kind == 'package':
            found['packages'].append({'name': words[1], 'version': ' '.join(words[2:])})
        elif kind == 'unit':
            found['units'].append({'name': words[1], 'path': words[2]})
        elif kind == 'sysv':
            found['scripts'].append({'name': words[1], 'path': words[2]})
        else:
            found['processes'].append({'name': words[1], 'pid': words[2], 'exe': ' '.join(words[3:])})
    return found


def describe(found):
    """One phrase per finding, in the probe's order by kind."""
    return ([f"package {p['name']} {p['version']}" for p in found['packages']]
            + [f"systemd unit {u['name']} ({u['path']})" for u in found['units']]
            + [f"SysV script {s['path']}" for s in found['scripts']]
            + [f"{p['name']} running as pid {p['pid']} from {p['exe']}" for p in found['processes']])


def foreign_engine(output, adopt=False, host='this host'):
    """Decide on the probe's output: {found, adopt, stop, findings, message, probe}.

    stop is true when an engine this collection did not install was found and adopt is off, or when the
    probe did not finish (nothing can be said about the host then)."""
    if not isinstance(adopt, bool):
        raise AnsibleFilterError(f'{ADOPT_SETTING} must be true or false, got {adopt!r}')
    found = parse_probe(output)
    findings = describe(found)
    if not found['complete']:
        return {'found': bool(findings), 'adopt': adopt, 'stop': True, 'findings': findings, 'probe': found,
                'message': (f'The probe for an existing Docker engine on {host} stopped before its end line '
                            '(output cut short or the shell failed); nothing was changed. Run it by hand: '
                            'sh engine-probe.sh (roles/daemon/files).')}
    if not findings:
        return {'found': False, 'adopt': adopt, 'stop': False, 'findings': [], 'probe': found, 'message': ''}
    listed = '; '.join(findings)
    if adopt:
        message = (f'{host}: {ADOPT_SETTING} is true, taking over the Docker engine this collection did not install: '
                   f'{listed}.')
    else:
        message = (f'{host} has a Docker engine this collection did not install: {listed}. Nothing was changed. '
                   f'To take the host over, set {ADOPT_SETTING}: true for it (its containers, data-root, storage '
                   f"driver and daemon.json settings are kept, the package's systemd units masked or its SysV "
                   f"scripts kept from starting at boot, its packages held; playbooks/rollback.yml returns to the "
                   f'package); otherwise remove that engine first.')
    return {'found': True, 'adopt': adopt, 'stop': not adopt, 'findings': findings, 'probe': found, 'message': message}
