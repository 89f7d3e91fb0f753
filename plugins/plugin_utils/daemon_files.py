# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The lines of roles/daemon/files/dockerd-ctl.sh restore, as the results of the tasks that write files."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError


def dockerd_restored(lines: list[str] | str) -> list[dict]:
    """`restored FILE BACKUP [kept COPY]` / `removed FILE [kept COPY]` -> [{dest, changed, backup_file?}].

    The result has the shape of put_file's results, so a failed restart after a rollback puts back what the
    rollback replaced (from COPY) or removes what it created (no COPY)."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    results = []
    for line in lines:
        words = line.split()
        if not words or words[0] not in ('restored', 'removed'):
            continue  # sudo or shell noise
        head = 3 if words[0] == 'restored' else 2
        rest = words[head:]
        if len(words) < head or (rest and (len(rest) != 2 or rest[0] != 'kept')):
            raise AnsibleFilterError('dockerd_restored: cannot read %r (restored FILE BACKUP [kept COPY] | removed FILE [kept COPY])' % line)
        result = {'dest': words[1], 'changed': True}
        if rest:
            result['backup_file'] = rest[1]
        results.append(result)
    return results
