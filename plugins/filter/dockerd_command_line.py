# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: dockerd_command_line
short_description: Quote a command line for a systemd unit or for a file /bin/sh reads
version_added: 0.3.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - V(systemd) renders the words for C(ExecStart=) so that systemd splits them back into exactly the same words
    (double quotes, backslash and quote escaped, C(%) and C($) doubled so that neither specifiers nor variables expand).
  - "V(sh) renders them as one string of single-quoted words, and V(sh_assignment) as C(NAME='...') holding that
    string, for a defaults file that an init script sources and splits with C(eval \"set -- $NAME\"): nothing is
    expanded or run."
  - "V(systemd_environment) renders C(NAME=value) words for C(Environment=): each double-quoted, backslash and quote
    escaped, C(%) doubled (C($) is not expanded there), so that the service gets exactly each value.
    V(sh_environment) renders them as C(NAME='value') and C(export NAME) lines for a file C(/bin/sh) sources."
  - Words with control characters (a newline) are an error; the daemon role refuses them in its preflight.
options:
  _input:
    description: The words of the command line.
    type: list
    elements: string
    required: true
  style:
    description: Where the line goes.
    type: str
    choices: [systemd, sh, sh_assignment, systemd_environment, sh_environment]
    required: true
  name:
    description: The shell variable, for O(style=sh_assignment).
    type: str
"""

EXAMPLES = r"""
- name: Show the ExecStart line of a label with a dollar sign
  ansible.builtin.debug:
    msg: "{{ ['/usr/local/bin/dockerd', '--label=cost=$5'] | sourcebuilt.docker.dockerd_command_line('systemd') }}"
# -> "/usr/local/bin/dockerd" "--label=cost=$$5"
"""

RETURN = r"""
_value:
  description: The quoted command line.
  type: string
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.dockerd_settings import (
    sh_assignment, sh_environment, sh_words, systemd_environment_line, systemd_exec_line)


def dockerd_command_line(argv, style, name=None):
    if not isinstance(argv, (list, tuple)):
        raise AnsibleFilterError('dockerd_command_line: input must be a list of words, got %s' % type(argv).__name__)
    try:
        if style == 'systemd':
            return systemd_exec_line(list(argv))
        if style == 'sh':
            return sh_words(list(argv))
        if style == 'sh_assignment':
            return sh_assignment(str(name), sh_words(list(argv)))
        if style == 'systemd_environment':
            return systemd_environment_line(list(argv))
        if style == 'sh_environment':
            return sh_environment(list(argv))
    except ValueError as exc:
        raise AnsibleFilterError(str(exc))
    raise AnsibleFilterError("dockerd_command_line: style must be systemd, sh, sh_assignment, systemd_environment or sh_environment, got %r" % (style,))


class FilterModule:
    def filters(self):
        return {
            'dockerd_command_line': dockerd_command_line,
        }
