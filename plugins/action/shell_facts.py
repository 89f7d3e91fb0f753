# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Set the facts the roles read from the target probe instead of setup, which would start Python on the host."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase


def facts_from_target(target: dict) -> dict:
    """target_path result -> the setup facts the roles read."""
    missing = [k for k in ('kernel', 'machine', 'systemd') if target.get(k) is None]
    if missing:
        raise AnsibleActionFail('shell_facts: target lacks %s; pass the result of the sourcebuilt.docker.target_path filter'
                                % ', '.join(missing))
    facts = {
        'kernel': target['kernel'],
        'architecture': target['machine'],
        'os_family': target.get('os_family') or 'other',
        'service_mgr': 'systemd' if target['systemd'] else 'sysvinit',
    }
    if target.get('release'):
        facts['distribution_release'] = target['release']
    return facts


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        target = self._task.args.get('target')
        if not isinstance(target, dict):
            raise AnsibleActionFail('shell_facts: target must be the dict the sourcebuilt.docker.target_path filter returns')
        result.update(changed=False, ansible_facts=facts_from_target(target))
        return result
