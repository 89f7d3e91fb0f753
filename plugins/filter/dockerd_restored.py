# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: dockerd_restored
short_description: The files that dockerd-ctl.sh restore put back, as write results
version_added: 0.3.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Reads the output lines of C(roles/daemon/files/dockerd-ctl.sh restore) (C(restored FILE BACKUP [kept COPY]),
    C(removed FILE [kept COPY])) and returns one result per file with C(dest), C(changed) and, where the file
    replaced was kept, C(backup_file), in the shape of M(sourcebuilt.docker.put_file)'s results, which the daemon
    role's rescue restores from.
options:
  _input:
    description: The script's stdout, or its lines.
    type: raw
    required: true
"""

EXAMPLES = r"""
# See roles/engine/tasks/rollback.yml.
# "restored /etc/docker/daemon.json /etc/docker/daemon.json.12.2026-12-01@16:10:00~ kept /etc/docker/daemon.json.40.2026-12-01@17:00:00~"
# -> [{dest: /etc/docker/daemon.json, changed: true, backup_file: /etc/docker/daemon.json.40.2026-12-01@17:00:00~}]
"""

RETURN = r"""
_value:
  description: One result per file restored or removed.
  type: list
  elements: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.daemon_files import dockerd_restored


class FilterModule:
    def filters(self):
        return {
            'dockerd_restored': dockerd_restored,
        }
