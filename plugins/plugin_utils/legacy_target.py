# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controller-side parsing for the Python-free (legacy) deploy path: the target probe and the preflight report.

The probe is ``playbooks/files/target_probe.sh`` (run with ``ansible.builtin.raw``); the preflight is
``roles/daemon/files/preflight.sh``. Both print one fact a line; these functions turn that text into data.
"""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

PATH_CHOICES = ('auto', 'modules', 'shell')
# ansible-core 2.21 runs modules on Python 3.9 and newer only (ansible/module_utils/basic.py: _PY_MIN).
PYTHON_FLOOR = '3.9'
# The shell path cannot work without these on the target.
SHELL_PATH_TOOLS = ('sh', 'tar', 'gzip')
PREFLIGHT_STATUSES = ('ok', 'fail', 'warn', 'skip')

_VERSION = re.compile(r'^(\d+)(?:\.(\d+))?(?:\.(\d+))?')


def version_tuple(text: str) -> tuple[int, int, int] | None:
    """``'3.11.2'`` -> ``(3, 11, 2)``; ``'2.7'`` -> ``(2, 7, 0)``; anything else -> None."""
    match = _VERSION.match(str(text).strip())
    if not match:
        return None
    return tuple(int(part or 0) for part in match.groups())  # type: ignore[return-value]


def _lines(stdout: object, what: str) -> list[str]:
    if isinstance(stdout, (list, tuple)):
        stdout = '\n'.join(str(line) for line in stdout)
    if not isinstance(stdout, str):
        raise AnsibleFilterError(f'{what}: expected the command output as a string or a list of lines, got {type(stdout).__name__}')
    # raw over SSH with a tty ends lines with \r\n; become may print a banner before the first line.
    return [line.strip() for line in stdout.replace('\r', '').splitlines() if line.strip()]


def parse_probe(stdout: object) -> dict:
    """Parse the output of target_probe.sh into kernel, init, systemd, pythons and tools."""
    lines = _lines(stdout, 'target_path')
    if 'probe 1' not in lines:
        raise AnsibleFilterError('target_path: the input is not the output of target_probe.sh (no "probe 1" line): '
                                 + ' | '.join(lines[:3]))
    facts: dict = {'kernel': None, 'machine': None, 'os_family': None, 'init': None, 'systemd': False,
                   'os_pretty': None, 'os_codename': None, 'pythons': [], 'tools': {}}
    for line in lines[lines.index('probe 1') + 1:]:
        key, rest = line.partition(' ')[::2]
        if key == 'kernel':
            facts['kernel'] = rest or None
        elif key == 'machine':
            facts['machine'] = rest or None
        elif key == 'family':
            facts['os_family'] = rest or None
        elif key == 'init':
            facts['init'] = rest or None
        elif key == 'systemd':
            facts['systemd'] = rest == 'yes'
        elif key in ('os-pretty', 'os-codename'):
            facts[key.replace('-', '_')] = rest.strip('"\'') or None
        elif key == 'python':
            path, version = rest.rpartition(' ')[::2]
            if path:
                facts['pythons'].append({'path': path, 'version': version if version_tuple(version) else None})
        elif key == 'tool':
            name, path = rest.partition(' ')[::2]
            if name:
                facts['tools'][name] = None if path in ('', '-') else path
    return facts


def os_release(pretty: str | None, codename: str | None) -> str | None:
    """The distribution_release fact as setup gives it on Debian: the name in parentheses of PRETTY_NAME
    ("Debian GNU/Linux 12 (bookworm)"), else VERSION_CODENAME (sid: "forky/sid" has none in parentheses)."""
    match = re.search(r'[^(]+ \(?([^)]+?)\)', pretty or '')
    return match.group(1) if match else codename


def target_path(stdout: object, override: str = 'auto', python_floor: str = PYTHON_FLOOR) -> dict:
    """Decide the deploy path of one host from its probe output and the inventory's override.

    ``modules`` when an interpreter of at least ``python_floor`` exists (the newest one is returned; on equal versions
    the first probed, which follows ansible-core's own discovery order), otherwise ``shell``. ``override`` forces one.
    """
    if override not in PATH_CHOICES:
        raise AnsibleFilterError(f'target_path: the override must be one of {", ".join(PATH_CHOICES)}, not {override!r}')
    floor = version_tuple(python_floor)
    if floor is None:
        raise AnsibleFilterError(f'target_path: python_floor {python_floor!r} is not a version')
    facts = parse_probe(stdout)
    usable = [p for p in facts['pythons'] if p['version'] and version_tuple(p['version']) >= floor]
    best = None
    for candidate in usable:
        if best is None or version_tuple(candidate['version']) > version_tuple(best['version']):
            best = candidate
    found = ', '.join(f"{p['path']} {p['version'] or '(does not run)'}" for p in facts['pythons']) or 'none'
    if override == 'shell':
        path, reason = 'shell', 'engine_target_path is shell'
    elif override == 'modules':
        path = 'modules'
        reason = 'engine_target_path is modules'
        if best is None:
            reason += f'; the probe found no Python >= {python_floor} (found: {found}): set ansible_python_interpreter'
    elif best is not None:
        path, reason = 'modules', f"Python {best['version']} at {best['path']} (>= {python_floor})"
    else:
        path, reason = 'shell', f'no Python >= {python_floor} (found: {found})'
    tools = facts['tools']
    missing = sorted(name for name, where in tools.items() if where is None)
    if tools.get('systemctl') and facts['systemd']:
        enable_with = 'systemctl'
    elif tools.get('chkconfig'):
        enable_with = 'chkconfig'
    elif tools.get('update-rc.d'):
        enable_with = 'update-rc.d'
    else:
        enable_with = 'rc-links'
    return {
        'path': path,
        'interpreter': best['path'] if best and path == 'modules' else None,
        'reason': reason,
        'kernel': facts['kernel'],
        'machine': facts['machine'],
        'os_family': facts['os_family'],
        'init': facts['init'],
        'systemd': facts['systemd'],
        'release': os_release(facts['os_pretty'], facts['os_codename']),
        'pythons': facts['pythons'],
        'tools': tools,
        'missing_tools': missing,
        'shell_path_blockers': [t for t in SHELL_PATH_TOOLS if t in tools and tools[t] is None],
        'sha256_helper': tools.get('sha256sum') is None,
        'enable_with': enable_with,
    }


def preflight_report(stdout: object) -> dict:
    """Parse the output of preflight.sh: every check by key, the failures and warnings, and whether it passed."""
    lines = _lines(stdout, 'preflight_report')
    checks: dict = {}
    failed: list = []
    warnings: list = []
    complete = False
    for line in lines:
        status, rest = line.partition(' ')[::2]
        if status == 'end':
            complete = True
            continue
        if status not in PREFLIGHT_STATUSES:
            continue  # a become banner or a shell's warning: not a check
        key, message = rest.partition(' ')[::2]
        if not key:
            raise AnsibleFilterError(f'preflight_report: a {status} line without a key: {line!r}')
        checks[key] = {'status': status, 'message': message}
        if status == 'fail':
            failed.append(f'{key}: {message}')
        elif status == 'warn':
            warnings.append(f'{key}: {message}')
    if not complete:
        failed.append('preflight: the script stopped before its end line (output cut short or the shell failed)')
    return {'passed': not failed, 'failed': failed, 'warnings': warnings, 'checks': checks}
