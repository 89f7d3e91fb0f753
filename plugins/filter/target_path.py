# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: target_path
short_description: Decide from a read-only probe whether a host is deployed with modules or with plain shell
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Reads the output of C(playbooks/files/target_probe.sh), run on the host with M(ansible.builtin.raw), and decides the
    host's deploy path. V(modules) when the host has a Python of at least O(python_floor) (ansible-core 2.21 runs
    modules on Python 3.9 and newer only), else V(shell), the path that needs only a POSIX shell, C(tar) and C(gzip).
  - O(override) is the inventory's choice (C(engine_target_path)); V(auto) decides from the probe.
  - Of several usable interpreters the newest is returned; on equal versions the first probed, in ansible-core's own
    discovery order (C(python3.14) ... C(python3.9), C(/usr/libexec/platform-python), C(python3), C(python)).
positional: override, python_floor
options:
  _input:
    description: The probe's standard output, as a string or a list of lines (C(stdout) or C(stdout_lines)).
    type: raw
    required: true
  override:
    description: V(auto), V(modules) or V(shell).
    type: str
    default: auto
    choices: [auto, modules, shell]
  python_floor:
    description: The oldest Python that can run the collection's modules.
    type: str
    default: '3.9'
"""

EXAMPLES = r"""
- name: Probe the host's Python and tools (read-only, no Python needed)
  ansible.builtin.raw: "{{ lookup('ansible.builtin.file', 'target_probe.sh') }}"
  register: __engine_probe
  changed_when: false
  check_mode: false

- name: Take the deploy path
  ansible.builtin.set_fact:
    __engine_target: "{{ __engine_probe.stdout | sourcebuilt.docker.target_path(engine_target_path | default('auto')) }}"
# A Debian 11 host with python2.7 only:
# -> {path: shell, interpreter: null, reason: "no Python >= 3.9 (found: /usr/bin/python 2.7.18, ...)", ...}
"""

RETURN = r"""
_value:
  description: The decision and the facts it rests on.
  type: dict
  contains:
    path:
      description: V(modules) or V(shell).
      type: str
    interpreter:
      description: The interpreter to set as C(ansible_python_interpreter) on the modules path; V(null) on the shell
        path, or when O(override=modules) and the probe found none.
      type: str
    reason:
      description: Why, in words, for a task's message.
      type: str
    kernel:
      description: C(uname -r).
      type: str
    machine:
      description: C(uname -m), what C(ansible_facts.architecture) would be.
      type: str
    os_family:
      description: V(RedHat) (C(/etc/redhat-release)), V(Debian) (C(/etc/debian_version)) or V(other).
      type: str
    init:
      description: The executable of PID 1 (C(/sbin/init), C(/lib/systemd/systemd), C(/bin/busybox)).
      type: str
    systemd:
      description: Whether systemd runs the host (C(/run/systemd/system) exists).
      type: bool
    release:
      description: >-
        The distribution_release setup would give: the name in parentheses of C(PRETTY_NAME) in C(/etc/os-release),
        else its C(VERSION_CODENAME); V(null) where the host has neither.
      type: str
    pythons:
      description: Every interpreter found, with its version (V(null) when it does not run).
      type: list
      elements: dict
    tools:
      description: Each probed tool and its path, V(null) when absent.
      type: dict
    missing_tools:
      description: The probed tools the host does not have, sorted.
      type: list
      elements: str
    shell_path_blockers:
      description: Of C(sh), C(tar) and C(gzip), the ones missing; the shell path cannot deploy to such a host.
      type: list
      elements: str
    sha256_helper:
      description: V(true) when the host has no C(sha256sum), so the deploy path must bring its own.
      type: bool
    enable_with:
      description: How a service is enabled there, V(systemctl), V(chkconfig), V(update-rc.d) or V(rc-links).
      type: str
"""

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.legacy_target import target_path


class FilterModule:
    def filters(self):
        return {
            'target_path': target_path,
        }
