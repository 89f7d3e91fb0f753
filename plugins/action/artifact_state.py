# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sourcebuilt.docker.artifact_state: on a host the module runs there; with `controller: true` (or delegated to
localhost without become) the same code runs in this process on the controller cache: no Python is started and,
with `controller`, no delegation is worked out."""

from __future__ import annotations

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase

from ansible_collections.sourcebuilt.docker.plugins.module_utils.artifact_state import artifact_state

ARGUMENT_SPEC = dict(root=dict(type='path', required=True), components=dict(type='dict', required=True),
                     controller=dict(type='bool', default=False))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        local = self._connection.transport == 'local' and not self._play_context.become
        if not local and not boolean(self._task.args.get('controller', False), strict=False):
            result.update(self._execute_module(module_name='sourcebuilt.docker.artifact_state', module_args=self._task.args,
                                               task_vars=task_vars))
            return result
        _validated, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        result.update(changed=False, **artifact_state(args['root'], args['components'], self._task.check_mode))
        return result
