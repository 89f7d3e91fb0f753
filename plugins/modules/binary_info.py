#!/usr/bin/python
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: binary_info
short_description: Inspect Docker engine stack binaries (version, commit, checksum, static linking)
version_added: 0.1.0
author:
  - sourcebuilt.docker contributors (!UNKNOWN)
description:
  - Inspects the binaries of the Docker engine stack (C(dockerd), C(docker), C(containerd), C(ctr), the containerd shims,
    C(runc), C(docker-init)/C(tini) and C(docker-proxy)).
  - For each binary it reports whether the file exists, its SHA-256, size and mode, whether it is an ELF file that is
    statically linked (no C(PT_INTERP) program header; the ELF headers are parsed directly, so this works for binaries of
    another architecture too), and, unless O(run_version=false), the version and commit the binary reports about itself.
  - The module never changes anything.
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: The module only reads files and runs version commands, so it behaves the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  binaries:
    description:
      - The binaries to inspect, in the order they are reported in RV(binaries).
      - Each item is either a path string or a dictionary with the keys C(path) (required) and C(kind) (optional).
      - When C(kind) is not given it is inferred from the basename of the path. C(dockerd) is V(dockerd); C(docker) is
        V(docker); C(containerd) and C(docker-containerd) are V(containerd); C(ctr) and C(docker-containerd-ctr) are
        V(ctr); C(containerd-shim-runc-v2), C(containerd-shim) and C(docker-containerd-shim) are V(containerd-shim);
        C(runc) and C(docker-runc) are V(runc); C(docker-init), C(tini) and C(tini-static) are V(docker-init);
        C(docker-proxy) is V(docker-proxy). Any other name is V(unknown) and its version command is not run.
      - "Valid values for C(kind): V(dockerd), V(docker), V(containerd), V(ctr), V(containerd-shim), V(runc),
        V(docker-init), V(docker-proxy), V(unknown)."
    type: list
    elements: raw
  directory:
    description:
      - Also inspect every regular file under this directory and its subdirectories (not symbolic links, not names
        starting with a dot, as M(ansible.builtin.find) lists them), after O(binaries), sorted by path.
      - One of O(binaries) and O(directory) is required.
    type: path
  run_version:
    description:
      - Run the version command of each binary (C(--version), or C(-v) for C(containerd-shim-runc-v2)) and parse its output.
      - The v1 shims named C(containerd-shim) or C(docker-containerd-shim) have no version flag and are never run.
      - Old C(docker-proxy) binaries (Docker 20.10 and earlier) have no version flag; when they answer C(--version) with
        their usage text the version is reported as V(null) without an error.
      - The command runs with a 10 second timeout (the process is killed after that) and C(LC_ALL=C).
    type: bool
    default: true
  fail_on_error:
    description:
      - Fail the task when a binary exists but cannot be read, its version command fails or its output cannot be parsed.
      - When V(false) the problem is reported in the C(error) field of that binary and the task goes on.
    type: bool
    default: false
  fail_on_missing:
    description:
      - Fail the task when a binary does not exist.
      - When V(false) a missing binary is reported with C(exists=false).
    type: bool
    default: false
notes:
  - The version command of a binary is executed on the target even in check mode, since it does not change anything.
seealso:
  - module: ansible.builtin.stat
"""

EXAMPLES = r"""
- name: Inspect the installed engine
  sourcebuilt.docker.binary_info:
    binaries:
      - /usr/local/bin/dockerd
      - /usr/local/bin/docker
      - /usr/local/bin/containerd
      - /usr/local/bin/containerd-shim-runc-v2
      - /usr/local/bin/runc
      - /usr/local/bin/docker-init
      - /usr/local/bin/docker-proxy
  register: engine

- name: Require a static runc of the pinned commit
  ansible.builtin.assert:
    that:
      - engine.by_name.runc.static
      - engine.by_name.runc.commit_hash is ansible.builtin.match('f19387a6')
    fail_msg: "runc is {{ engine.by_name.runc.version }} ({{ engine.by_name.runc.commit }})"

- name: Inspect a binary whose name does not tell its kind, without failing on missing files
  sourcebuilt.docker.binary_info:
    binaries:
      - path: /opt/build/out/runc.amd64
        kind: runc
    fail_on_missing: false
  register: built

- name: Only checksums and linking, do not run anything
  sourcebuilt.docker.binary_info:
    binaries: "{{ artifacts }}"
    run_version: false
"""

RETURN = r"""
binaries:
  description: One entry per item of O(binaries), in the same order.
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: The path as given.
      type: str
      sample: /usr/local/bin/runc
    realpath:
      description: The path with symbolic links resolved, V(null) when the file does not exist.
      type: str
      sample: /usr/local/bin/runc
    exists:
      description: Whether the path exists.
      type: bool
    kind:
      description: The kind of binary, given or inferred from the basename.
      type: str
      sample: runc
    sha256:
      description: SHA-256 of the file contents.
      type: str
      sample: 4d3ed2bb3a4e2b5a4ec0a0b5c6ad9b9c1c2d1a4f7c2c94bb8d1b43d7a8b1f00e
    size:
      description: Size in bytes.
      type: int
      sample: 10686400
    mode:
      description: Permission bits as an octal string.
      type: str
      sample: '0755'
    elf:
      description: Whether the file is an ELF file.
      type: bool
    elf_class:
      description: V(32) or V(64) for ELF files, else V(null).
      type: int
      sample: 64
    endianness:
      description: V(little) or V(big) for ELF files, else V(null).
      type: str
      sample: little
    machine:
      description: The ELF machine (architecture), for example V(x86_64) or V(aarch64); the number for unknown machines.
      type: str
      sample: x86_64
    static:
      description:
        - V(true) when the ELF file has no C(PT_INTERP) program header (statically linked, including static-pie).
        - V(null) for files that are not ELF.
      type: bool
    interpreter:
      description: The program interpreter (dynamic loader) of a dynamically linked ELF file, else V(null).
      type: str
      sample: /lib64/ld-linux-x86-64.so.2
    version_command:
      description: The command that was run to get the version, V(null) when none was run.
      type: list
      elements: str
      sample: [/usr/local/bin/runc, --version]
    version:
      description: The version the binary reports (a leading C(v) is removed), V(null) when unknown.
      type: str
      sample: 1.1.5
    commit:
      description: The commit as the binary prints it (may be a git-describe form such as C(v1.4.3-0-gbb14dabeb)).
      type: str
      sample: f19387a6bec4944c770f7668ab51c4348d9c2f38
    commit_hash:
      description: The hex hash taken from RV(binaries[].commit) (the part after C(-g) of a git-describe form, or after C(git.) for tini).
      type: str
      sample: f19387a6bec4944c770f7668ab51c4348d9c2f38
    dirty:
      description: Whether the binary reports being built from a modified tree (C(-dirty), C(-unsupported) or C(.m) suffix).
      type: bool
    go_version:
      description: The Go version, when the binary prints it (runc, containerd-shim-runc-v2).
      type: str
      sample: go1.19.8
    libseccomp:
      description: The libseccomp version (runc only).
      type: str
      sample: 2.5.4
    spec:
      description: The OCI runtime spec version (runc only).
      type: str
      sample: 1.0.2-dev
    raw:
      description: The output of the version command, V(null) when none was run.
      type: str
      sample: "runc version 1.1.5\ncommit: f19387a6bec4944c770f7668ab51c4348d9c2f38\n"
    rc:
      description: The exit code of the version command, V(null) when none was run.
      type: int
      sample: 0
    error:
      description: Why the file could not be inspected or the version could not be determined, else V(null).
      type: str
  sample:
    - path: /usr/local/bin/runc
      exists: true
      kind: runc
      version: 1.1.5
      commit: f19387a6bec4944c770f7668ab51c4348d9c2f38
      static: true
by_name:
  description:
    - The same entries as RV(binaries), keyed by the basename of the path.
    - When two paths share a basename the later one wins.
  returned: always
  type: dict
  sample:
    runc:
      path: /usr/local/bin/runc
      version: 1.1.5
"""

import hashlib
import os
import signal
import stat
import threading

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.sourcebuilt.docker.plugins.module_utils.elf import ElfError, read_elf_info
from ansible_collections.sourcebuilt.docker.plugins.module_utils.version_parse import (
    KINDS,
    UNKNOWN_KIND,
    VersionParseError,
    infer_kind,
    looks_like_usage,
    parse_version_output,
    version_args,
)

VERSION_TIMEOUT = 10
_VALID_KINDS = KINDS + (UNKNOWN_KIND,)
_VERSION_KEYS = ('version', 'commit', 'commit_hash', 'dirty', 'go_version', 'libseccomp', 'spec')


def files_under(directory):
    """The regular files under ``directory`` (recursive; no symbolic links, no dot names), sorted; [] for None."""
    if directory is None:
        return []
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        found += [os.path.join(root, f) for f in files
                  if not f.startswith('.') and os.path.isfile(os.path.join(root, f)) and not os.path.islink(os.path.join(root, f))]
    return sorted(found)


def normalize_items(binaries):
    """Turn the raw ``binaries`` option into a list of (path, kind) tuples; raise ValueError with a clear message."""
    items = []
    for index, item in enumerate(binaries):
        where = 'binaries[%d]' % index
        if isinstance(item, str):
            path, kind = item, None
        elif isinstance(item, dict):
            unknown = sorted(set(item) - {'path', 'kind'})
            if unknown:
                raise ValueError('%s: unsupported key(s) %s; allowed keys are path and kind' % (where, ', '.join(unknown)))
            path, kind = item.get('path'), item.get('kind')
            if not isinstance(path, str):
                raise ValueError('%s: path is required and must be a string' % where)
        else:
            raise ValueError('%s: must be a path string or a dict with path and optional kind, got %s' % (where, type(item).__name__))
        if not path:
            raise ValueError('%s: path must not be empty' % where)
        if kind is None:
            kind = infer_kind(path)
        elif kind not in _VALID_KINDS:
            raise ValueError('%s: kind %r is not supported; valid kinds: %s' % (where, kind, ', '.join(_VALID_KINDS)))
        items.append((path, kind))
    return items


def _empty_entry(path, kind):
    entry = {
        'path': path,
        'realpath': None,
        'exists': False,
        'kind': kind,
        'sha256': None,
        'size': None,
        'mode': None,
        'elf': False,
        'elf_class': None,
        'endianness': None,
        'machine': None,
        'static': None,
        'interpreter': None,
        'version_command': None,
        'raw': None,
        'rc': None,
        'error': None,
    }
    for key in _VERSION_KEYS:
        entry[key] = None
    entry['dirty'] = False
    return entry


def _file_facts(entry, path):
    st = os.stat(path)
    entry['exists'] = True
    entry['realpath'] = os.path.realpath(path)
    if not stat.S_ISREG(st.st_mode):
        raise OSError('%s exists but is not a regular file' % path)
    entry['size'] = st.st_size
    entry['mode'] = '%04o' % stat.S_IMODE(st.st_mode)
    digest = hashlib.sha256()
    with open(path, 'rb') as fobj:
        for chunk in iter(lambda: fobj.read(1024 * 1024), b''):
            digest.update(chunk)
        entry['sha256'] = digest.hexdigest()
        elf = read_elf_info(fobj)
    entry['elf'] = elf['elf']
    entry['elf_class'] = elf['elf_class']
    entry['endianness'] = elf['endianness']
    entry['machine'] = elf['machine']
    entry['static'] = elf['static']
    entry['interpreter'] = elf['interpreter']


def _descendants(pid):
    """PIDs of the children (recursively) of ``pid`` on Linux; empty where /proc does not tell."""
    result = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open('/proc/%d/task/%d/children' % (current, current)) as fobj:
                children = [int(child) for child in fobj.read().split()]
        except (OSError, ValueError):
            children = []
        result.extend(children)
        pending.extend(children)
    return result


def run_version_command(module, path, kind):
    """Run the version command. Returns (command, rc, output, error); command is None when nothing was run."""
    args = version_args(kind, path)
    if args is None:
        return None, None, None, None
    command = [path] + args
    state = {'timer': None, 'timed_out': False}

    def _kill(proc):
        if proc.poll() is None:
            state['timed_out'] = True
            for pid in _descendants(proc.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            proc.kill()

    def _start_timer(proc):
        state['timer'] = threading.Timer(VERSION_TIMEOUT, _kill, (proc,))
        state['timer'].daemon = True
        state['timer'].start()

    try:
        rc, stdout, stderr = module.run_command(
            command, environ_update={'LC_ALL': 'C', 'LANG': 'C'}, expand_user_and_vars=False,
            before_communicate_callback=_start_timer, handle_exceptions=False, errors='surrogate_or_replace')
    except OSError as exc:
        return command, None, None, 'cannot run %s: %s' % (' '.join(command), to_native(exc))
    finally:
        if state['timer'] is not None:
            state['timer'].cancel()
    if state['timed_out']:
        return command, None, None, '%s did not finish within %d seconds' % (' '.join(command), VERSION_TIMEOUT)
    output = stdout if stdout.strip() else stderr
    return command, rc, output, None


def inspect_binary(module, path, kind, run_version=True):
    """Inspect one binary and return its result entry."""
    entry = _empty_entry(path, kind)
    if not os.path.lexists(path):
        return entry
    try:
        _file_facts(entry, path)
    except (OSError, ElfError) as exc:
        entry['exists'] = os.path.exists(path)
        entry['error'] = to_native(exc)
        return entry
    if not run_version or kind == UNKNOWN_KIND:
        return entry

    command, rc, output, error = run_version_command(module, path, kind)
    entry['version_command'] = command
    entry['rc'] = rc
    entry['raw'] = output
    if command is None:
        return entry
    if error:
        entry['error'] = error
        return entry
    if rc != 0:
        if kind == 'docker-proxy' and looks_like_usage(output):
            # libnetwork-era docker-proxy (Docker <= 20.10) has no version flag: not an error.
            return entry
        entry['error'] = '%s exited with code %d: %s' % (' '.join(command), rc, (output or '').strip()[:500])
        return entry
    try:
        entry.update(parse_version_output(kind, output))
    except VersionParseError as exc:
        entry['error'] = '%s: %s' % (path, to_native(exc))
    return entry


def main():
    module = AnsibleModule(
        argument_spec=dict(
            binaries=dict(type='list', elements='raw'),
            directory=dict(type='path'),
            run_version=dict(type='bool', default=True),
            fail_on_error=dict(type='bool', default=False),
            fail_on_missing=dict(type='bool', default=False),
        ),
        required_one_of=[('binaries', 'directory')],
        supports_check_mode=True,
    )

    try:
        items = normalize_items(list(module.params['binaries'] or []) + files_under(module.params['directory']))
    except ValueError as exc:
        module.fail_json(msg=to_native(exc))

    results = []
    by_name = {}
    for path, kind in items:
        entry = inspect_binary(module, path, kind, run_version=module.params['run_version'])
        results.append(entry)
        by_name[os.path.basename(path.rstrip('/')) or path] = entry

    missing = [entry['path'] for entry in results if not entry['exists']]
    if missing and module.params['fail_on_missing']:
        module.fail_json(msg='binaries not found: %s' % ', '.join(missing), binaries=results, by_name=by_name)
    errors = ['%s: %s' % (entry['path'], entry['error']) for entry in results if entry['error']]
    if errors and module.params['fail_on_error']:
        module.fail_json(msg='; '.join(errors), binaries=results, by_name=by_name)

    module.exit_json(changed=False, binaries=results, by_name=by_name)


if __name__ == '__main__':
    main()
