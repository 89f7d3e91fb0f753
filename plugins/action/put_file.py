# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Put a controller file, a text or a gzip tar built on the controller onto a host that has no Python.

Only the connection's own put_file and shell commands (cp, chmod, mv, and the host's sha256 command) run on
the target: the file goes into the connection's remote tmp dir, then is copied next to its destination and
renamed over it, so a reader never sees half a file. A destination whose sha256 already matches is left alone
(ok, not changed); in check mode nothing is written and the result says whether a real run would write. With
--diff a text's change is shown. `validate` (a command with %s) checks the new file before it replaces dest.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import tempfile

from ansible import constants as C
from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.action import ActionBase
from ansible_collections.sourcebuilt.docker.plugins.module_utils.artifact_state import sha256_file
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.archive import archive_file


_OPTIONS = {'src', 'content', 'archive', 'dest', 'mode', 'backup', 'sha256_cmd', 'validate'}
# A text larger than this is not shown in --diff.
_DIFF_MAX = 65536


class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def _sh(self, cmd):
        res = self._low_level_execute_command(cmd, sudoable=True)
        return res.get('rc', 1), to_text(res.get('stdout', '')), to_text(res.get('stderr', ''))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        unknown = set(args) - _OPTIONS
        if unknown:
            raise AnsibleActionFail('put_file: unknown option(s) %s; known: %s' % (', '.join(sorted(unknown)), ', '.join(sorted(_OPTIONS))))
        given = [k for k in ('src', 'content', 'archive') if args.get(k) is not None]
        if len(given) != 1:
            raise AnsibleActionFail('put_file: give exactly one of src, content or archive (got %s)' % (', '.join(given) or 'none'))
        dest = args.get('dest')
        if not isinstance(dest, str) or not dest.startswith('/'):
            raise AnsibleActionFail('put_file: dest must be an absolute path on the host, got %r' % (dest,))
        mode = str(args.get('mode', '0644'))
        if not mode.isdigit() or len(mode) > 4 or any(c in '89' for c in mode):
            raise AnsibleActionFail('put_file: mode must be octal like 0644, got %r' % (mode,))
        sha256_cmd = str(args.get('sha256_cmd', 'sha256sum'))
        validate = args.get('validate')
        if validate is not None and (not isinstance(validate, str) or '%s' not in validate):
            raise AnsibleActionFail('put_file: validate must be a command with %%s for the new file, got %r' % (validate,))

        # What travels: a controller file (src, or the archive built once for every host of the run that gets the
        # same files), or a text written to a local temporary file just before the transfer.
        data = None
        if given[0] == 'src':
            local = self._find_needle('files', args['src'])
            want = sha256_file(local)
        elif given[0] == 'content':
            data = to_bytes(args['content'])
            want = hashlib.sha256(data).hexdigest()
        else:
            try:
                local, want = archive_file(args['archive'], C.DEFAULT_LOCAL_TMP)
            except AnsibleError as error:
                raise AnsibleActionFail('put_file: %s' % error.message) from error
        result.update(dest=dest, sha256=want, size=len(data) if data is not None else os.path.getsize(local))

        qdest = shlex.quote(dest)
        rc, out, err = self._sh('if [ -f %s ]; then %s < %s; fi' % (qdest, sha256_cmd, qdest))
        have = out.split()[0] if rc == 0 and out.split() else ''
        if have == want:
            result['changed'] = False
            return result
        result['changed'] = True
        if self._task.diff and given[0] == 'content' and len(data) <= _DIFF_MAX:
            before = self._sh('cat %s' % qdest)[1] if have else ''
            result['diff'] = {'before': before, 'after': to_text(data), 'before_header': dest, 'after_header': dest}
        if self._task.check_mode:
            result['msg'] = 'would write %s' % dest
            return result

        written = None
        try:
            if data is not None:
                fd, written = tempfile.mkstemp(prefix='sourcebuilt-put-')
                with os.fdopen(fd, 'wb') as f:
                    f.write(data)
                local = written
            tmpdir = self._make_tmp_path()
            remote = self._connection._shell.join_path(tmpdir, 'put_file')
            self._transfer_file(local, remote)
            self._fixup_perms2((tmpdir, remote))
            new = shlex.quote(dest + '.sourcebuilt-new')
            script = ['set -e', 'mkdir -p %s' % shlex.quote(os.path.dirname(dest)),
                      'cp %s %s' % (shlex.quote(remote), new), 'chmod %s %s' % (mode, new)]
            if validate:
                script += [validate.replace('%s', new)]
            if args.get('backup') and have:
                script += ['b=%s.$$.$(date +%%Y-%%m-%%d@%%H:%%M:%%S)~' % qdest, 'cp -p %s "$b"' % qdest, 'echo "backup $b"']
            script += ['mv -f %s %s' % (new, qdest)]
            rc, out, err = self._sh('; '.join(script))
            if rc != 0:
                self._sh('rm -f %s' % new)
                raise AnsibleActionFail('put_file: writing %s failed (rc %s): %s' % (dest, rc, (err or out).strip()))
            for line in out.splitlines():
                if line.startswith('backup '):
                    result['backup_file'] = line[len('backup '):].strip()
        finally:
            if written:
                os.unlink(written)
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
