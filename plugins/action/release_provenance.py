# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Sign the provenance of a release, or check it against a trust root, on the controller only: nothing runs on
the host (hosts without Python included). plugins/plugin_utils/provenance.py does the work."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.provenance import ProvenanceError, check_release, sign_release
from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.sbom import collection_version

_OPTIONS = {'release', 'plan', 'dir', 'sign_with', 'trust'}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        unknown = set(args) - _OPTIONS
        if unknown:
            raise AnsibleActionFail('release_provenance: unknown option(s) %s; known: %s'
                                    % (', '.join(sorted(unknown)), ', '.join(sorted(_OPTIONS))))
        release, directory = args.get('release'), args.get('dir')
        if not isinstance(release, dict) or not isinstance(directory, str) or not directory.startswith('/'):
            raise AnsibleActionFail('release_provenance: release (the build_release fact, or a host manifest) and dir '
                                    '(an absolute controller path) are required')
        key, trust = args.get('sign_with') or '', args.get('trust') or ''
        if not key and not trust:
            raise AnsibleActionFail('release_provenance: give sign_with (a key to sign with), trust (an allowed_signers '
                                    'file to check against), or both')
        result.update(changed=False, path=None, signed_by=None)
        try:
            if key:
                signed = sign_release(directory, release, args.get('plan'), key, collection_version(),
                                      dry_run=bool(self._task.check_mode))
                result.update(path=signed['path'], changed=bool(signed['wrote']), wrote=signed['wrote'])
            if trust and not (self._task.check_mode and result['changed']):
                result.update(check_release(directory, release, trust))
        except ProvenanceError as exc:
            result.update(failed=True, msg=str(exc))
        return result
