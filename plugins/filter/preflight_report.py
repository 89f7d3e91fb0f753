# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: preflight_report
short_description: Parse the output of the legacy-path preflight script
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Reads the lines of C(roles/daemon/files/preflight.sh) (C(ok KEY VALUE), C(fail KEY MESSAGE), C(warn KEY MESSAGE),
    C(skip KEY MESSAGE) and a last C(end FAILS WARNINGS)) and returns every check by key, the failures and the
    warnings.
  - Output without the C(end) line (cut short, or the shell died) counts as a failure. Lines that are no check (a
    C(become) banner, a shell warning) are ignored.
options:
  _input:
    description: The script's standard output, as a string or a list of lines.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Refuse a host the release cannot run on
  ansible.builtin.assert:
    that: __daemon_preflight.passed
    fail_msg: "{{ __daemon_preflight.failed | join('; ') }}"
  vars:
    __daemon_preflight: "{{ __daemon_preflight_run.stdout | sourcebuilt.docker.preflight_report }}"
# "ok kernel 3.10.0-1160.el7.x86_64\nfail config.VETH CONFIG_VETH is not set in /boot/config-3.10.0\nend 1 0"
# -> {passed: false, failed: ["config.VETH: CONFIG_VETH is not set in /boot/config-3.10.0"], warnings: [], checks: {...}}
"""

RETURN = r"""
_value:
  description: The report.
  type: dict
  contains:
    passed:
      description: V(true) when no check failed and the script reached its end.
      type: bool
    failed:
      description: "One C(KEY: MESSAGE) string per failed check."
      type: list
      elements: str
    warnings:
      description: "One C(KEY: MESSAGE) string per warning."
      type: list
      elements: str
    checks:
      description: Every check by key, each a dict of C(status) (V(ok), V(fail), V(warn), V(skip)) and C(message).
      type: dict
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.legacy_target import preflight_report


class FilterModule:
    def filters(self):
        return {
            'preflight_report': preflight_report,
        }
