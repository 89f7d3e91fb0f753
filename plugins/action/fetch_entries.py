# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Copy artifact entries (COMPONENT/FINGERPRINT with their manifest) from a build host into the controller cache.

The host packs every file of the entries in one plain tar (tar, mktemp and chmod; no Python on the host), the
connection fetches it, and plugin_utils/cache_entries.py writes each entry beside its place, checks every file
against the manifest's sha256, writes the manifest last and renames the entry into place. Three host calls
whatever the number of files, where ansible.builtin.fetch starts a module for each file.
"""

from __future__ import annotations

import os
import shlex
import tempfile

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.cache_entries import entry_paths, store_entries


ARGUMENT_SPEC = dict(root=dict(type='str', required=True), dest=dict(type='path', required=True),
                     manifests=dict(type='list', elements='dict', required=True))


class ActionModule(ActionBase):
    # No remote tmp dir: the host makes its own tar with mktemp.
    TRANSFERS_FILES = False

    def _sh(self, cmd):
        res = self._low_level_execute_command(cmd, sudoable=True)
        return res.get('rc', 1), to_text(res.get('stdout', '')).strip(), to_text(res.get('stderr', '')).strip()

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _validated, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        root, dest, manifests = args['root'], args['dest'], args['manifests']
        if not root.startswith('/'):
            raise AnsibleActionFail('fetch_entries: root must be an absolute path on the host, got %r' % (root,))
        try:
            paths = entry_paths(manifests)
        except AnsibleError as error:
            raise AnsibleActionFail(error.message) from error
        result.update(changed=False, stored=[], kept=[])
        if not manifests:
            return result
        if self._task.check_mode:
            result.update(changed=True, msg='would copy %d entries to %s' % (len(manifests), dest))
            return result

        # The tar is readable by the connection's user: fetch_file runs without become.
        rc, out, err = self._sh('set -e; t=$(mktemp "${TMPDIR:-/tmp}/sourcebuilt-entries.XXXXXX"); '
                                'tar -C %s -cf "$t" -- %s; chmod 0644 "$t"; echo "$t"'
                                % (shlex.quote(root), ' '.join(shlex.quote(path) for path in paths)))
        remote = out.splitlines()[-1].strip() if rc == 0 and out else ''
        if rc != 0 or not remote.startswith('/'):
            raise AnsibleActionFail('fetch_entries: packing %s under %s failed (rc %s): %s' % (', '.join(paths), root, rc, err or out))
        fd, local = tempfile.mkstemp(prefix='sourcebuilt-entries-', suffix='.tar')
        os.close(fd)
        try:
            self._connection.fetch_file(remote, local)
            result.update(store_entries(local, dest, manifests))
        except AnsibleError as error:
            raise AnsibleActionFail('fetch_entries: %s' % error.message) from error
        finally:
            os.unlink(local)
            self._sh('rm -f %s' % shlex.quote(remote))
        result['changed'] = bool(result['stored'])
        return result
