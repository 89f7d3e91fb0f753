# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The signed provenance of a release: an in-toto Statement v1 with an SLSA provenance v1 predicate, whose
subjects are every file of the release with its sha256, signed on the controller with an SSH key
(``ssh-keygen -Y sign``, namespace ``sourcebuilt-docker-release``) and checked against an allowed_signers file
(``ssh-keygen -Y verify``) before a host installs the release. Deterministic: the same release and plan give the
same bytes (no timestamp)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile

STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
PREDICATE_TYPE = 'https://slsa.dev/provenance/v1'
BUILD_TYPE = 'https://github.com/sourcebuilt/docker/blob/main/docs/provenance.md#build-type-v1'
BUILDER_ID = 'urn:sourcebuilt.docker:build-role'
NAMESPACE = 'sourcebuilt-docker-release'


class ProvenanceError(ValueError):
    """A release, statement, key or signature that cannot be used; the message says which and why."""


def statement_name(release_id: str) -> str:
    """The statement's file name in the provenance directory (the signature is the same name + .sig)."""
    return '%s.intoto.json' % release_id


def _files(release: dict) -> list[tuple[str, str]]:
    """(subject name, sha256) of every file of every component of ``release``, sorted; subject names are
    ``<component>/<path in the release>``."""
    components = release.get('components')
    if not release.get('id') or not isinstance(components, dict) or not components:
        raise ProvenanceError('the release has no id or no components (the build_release fact of the build role, '
                              'or the manifest.json of a host)')
    files = []
    for name in sorted(components):
        for entry in (components[name] or {}).get('files') or ():
            if not entry.get('path') or not entry.get('sha256'):
                raise ProvenanceError('component %s of release %s lists a file without path or sha256' % (name, release['id']))
            files.append(('%s/%s' % (name, entry['path']), entry['sha256']))
    return sorted(files)


def _resolved_dependencies(release: dict, plan: dict) -> list[dict]:
    """The sources, patches and Go toolchains the plan built the release's components from."""
    deps = []
    for name in sorted(release['components']):
        inputs = (plan.get('inputs') or {}).get(name) or {}
        source = dict(inputs.get('source') or {})
        digest = {'sha256': source['sha256']} if source.get('sha256') else {}
        commit = (inputs.get('spec') or {}).get('commit')
        if commit and source.get('type') == 'git':
            digest['gitCommit'] = commit
        item = {'name': '%s:source' % name, 'annotations': {key: str(value) for key, value in sorted(source.items())}}
        if source.get('type') == 'debian':
            # Debian's signed archive vouches for the package version's bytes.
            item['uri'] = 'pkg:deb/debian/%s@%s?arch=source' % (source.get('package'), source.get('version'))
        if digest:
            item['digest'] = digest
        deps.append(item)
        for label, sha in inputs.get('patches') or ():
            deps.append({'name': '%s:patch:%s' % (name, label), 'digest': {'sha256': sha}})
        toolchain = inputs.get('toolchain')
        if toolchain:
            entry = toolchain.get('entry') if isinstance(toolchain.get('entry'), dict) else {}
            item = {'name': '%s:go:%s' % (name, toolchain.get('name')),
                    'annotations': {key: str(value) for key, value in sorted(entry.items())}}
            located = (plan.get('go') or {}).get(toolchain.get('name'))
            located = located if isinstance(located, dict) else {}
            if entry.get('source') == 'distro' and entry.get('package'):
                item['uri'] = 'pkg:deb/debian/%s' % entry['package']
            elif located.get('url'):
                item['uri'] = located['url']
            if entry.get('sha256'):
                item['digest'] = {'sha256': entry['sha256']}
            deps.append(item)
    return deps


def release_statement(release: dict, plan: dict | None = None, tool: str | None = None) -> dict:
    """The in-toto statement of ``release`` (the build role's build_release fact): every file as a subject, the
    release id, profile and fingerprints as the build's parameters, and, from ``plan`` (the build plan it was built
    by), each component's fingerprinted inputs (rendered script sha256, source, patches, toolchain, architecture)
    and the sources, patches and toolchains as resolved dependencies."""
    subjects = [{'name': name, 'digest': {'sha256': sha}} for name, sha in _files(release)]
    plan = plan if isinstance(plan, dict) else {}
    components = release['components']
    predicate = {
        'buildDefinition': {
            'buildType': BUILD_TYPE,
            'externalParameters': {
                'release': release['id'],
                'profile': release.get('profile', ''),
                'fingerprints': {name: (components[name] or {}).get('fingerprint', '') for name in sorted(components)},
            },
            'internalParameters': {
                'inputs': {name: (plan.get('inputs') or {})[name] for name in sorted(components) if name in (plan.get('inputs') or {})},
                'built_on': {name: (components[name] or {}).get('built_on', '') for name in sorted(components)},
            },
            'resolvedDependencies': _resolved_dependencies(release, plan),
        },
        'runDetails': {
            'builder': {'id': BUILDER_ID, 'version': {'sourcebuilt.docker': str(tool or '')}},
            'metadata': {'invocationId': 'release:%s' % release['id']},
        },
    }
    return {'_type': STATEMENT_TYPE, 'subject': subjects, 'predicateType': PREDICATE_TYPE, 'predicate': predicate}


def statement_bytes(statement: dict) -> bytes:
    """The canonical bytes that are written and signed."""
    return (json.dumps(statement, indent=2, sort_keys=True) + '\n').encode('utf-8')


def statement_problems(statement: object, release: dict) -> list[str]:
    """What keeps ``statement`` from vouching for ``release``: another type or release id, a file of the release that
    is not a subject, or a subject whose sha256 differs. Empty when every file of the release is signed as it is."""
    if not isinstance(statement, dict) or statement.get('_type') != STATEMENT_TYPE \
            or statement.get('predicateType') != PREDICATE_TYPE:
        return ['it is not an in-toto statement (%s) with an SLSA provenance predicate (%s)' % (STATEMENT_TYPE, PREDICATE_TYPE)]
    problems = []
    signed_id = ((statement.get('predicate') or {}).get('buildDefinition') or {}).get('externalParameters', {}).get('release')
    if signed_id != release.get('id'):
        problems.append('it is the provenance of release %s, not of %s' % (signed_id, release.get('id')))
    subjects = {}
    for subject in statement.get('subject') or ():
        if isinstance(subject, dict) and isinstance(subject.get('digest'), dict):
            subjects[subject.get('name')] = subject['digest'].get('sha256')
    for name, sha in _files(release):
        if name not in subjects:
            problems.append('%s is not among its signed files' % name)
        elif subjects[name] != sha:
            problems.append('%s has sha256 %s, the signed one is %s' % (name, sha, subjects[name]))
    return problems


def _ssh_keygen(args: list[str], data: bytes) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(['ssh-keygen', *args], input=data, capture_output=True, check=False)
    except OSError as exc:
        raise ProvenanceError('ssh-keygen (OpenSSH 8.1 or later) is needed on the controller to sign and check '
                              'releases: %s' % exc) from exc


def sign(key: str, data: bytes) -> bytes:
    """An SSH signature of ``data`` by ``key`` (a private key file, or a public key whose private half is in
    ssh-agent)."""
    if not os.path.isfile(key):
        raise ProvenanceError('the signing key %s is not a file on the controller' % key)
    result = _ssh_keygen(['-q', '-Y', 'sign', '-f', key, '-n', NAMESPACE], data)
    if result.returncode != 0 or not result.stdout.startswith(b'-----BEGIN SSH SIGNATURE-----'):
        raise ProvenanceError('ssh-keygen could not sign with %s: %s' % (key, result.stderr.decode('utf-8', 'replace').strip()))
    return result.stdout


def verify(allowed_signers: str, data: bytes, signature: bytes) -> str:
    """The principal of ``allowed_signers`` whose key made ``signature`` over ``data`` in this namespace; raises
    ProvenanceError when none did."""
    if not os.path.isfile(allowed_signers):
        raise ProvenanceError('the trusted signers file %s is not a file on the controller' % allowed_signers)
    with tempfile.NamedTemporaryFile(prefix='sourcebuilt-release-', suffix='.sig') as handle:
        handle.write(signature)
        handle.flush()
        found = _ssh_keygen(['-Y', 'find-principals', '-s', handle.name, '-f', allowed_signers], b'')
        principals = found.stdout.decode('utf-8', 'replace').split() if found.returncode == 0 else []
        for principal in principals:
            checked = _ssh_keygen(['-Y', 'verify', '-f', allowed_signers, '-I', principal, '-n', NAMESPACE,
                                   '-s', handle.name], data)
            if checked.returncode == 0:
                return principal
    raise ProvenanceError('its signature is not by a key of %s for namespace %s, or the statement changed after it was '
                          'signed' % (allowed_signers, NAMESPACE))


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it (hosts of one run may write at once)."""
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o755, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), dir=directory)
    try:
        with os.fdopen(handle, 'wb') as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read(path: str) -> bytes | None:
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def sign_release(directory: str, release: dict, plan: dict | None, key: str, tool: str | None = None,
                 dry_run: bool = False) -> dict:
    """Write the statement of ``release`` into ``directory`` and sign it with ``key``, unless both are there and the
    statement vouches for the release. Returns {path, wrote: [what was (or in a dry run would be) written]}.
    A statement already there that does not vouch for the release is never replaced: that is an error."""
    path = os.path.join(directory, statement_name(release['id']))
    data = read(path)
    wrote = []
    if data is None:
        data = statement_bytes(release_statement(release, plan, tool))
        wrote.append(path)
    else:
        try:
            problems = statement_problems(json.loads(data), release)
        except ValueError:
            problems = ['it is not JSON']
        if problems:
            raise ProvenanceError('%s is not the provenance of release %s: %s. Remove it to write and sign it again '
                                  'from this run' % (path, release['id'], '; '.join(problems)))
    if read(path + '.sig') is None:
        wrote.append(path + '.sig')
    if not dry_run and wrote:
        signature = sign(key, data)
        if path in wrote:
            write_atomic(path, data)
        write_atomic(path + '.sig', signature)
    return {'path': path, 'wrote': wrote}


def check_release(directory: str, release: dict, allowed_signers: str) -> dict:
    """Check that ``directory`` holds the provenance of ``release``, signed by a key of ``allowed_signers``, and that
    every file of the release is a subject with the same sha256. Returns {path, signed_by}; raises ProvenanceError
    naming what is wrong."""
    path = os.path.join(directory, statement_name(release.get('id', '')))
    data, signature = read(path), read(path + '.sig')
    if data is None:
        raise ProvenanceError('release %s has no provenance: %s is missing' % (release.get('id'), path))
    if signature is None:
        raise ProvenanceError('release %s is not signed: %s.sig is missing' % (release.get('id'), path))
    try:
        principal = verify(allowed_signers, data, signature)
    except ProvenanceError as exc:
        raise ProvenanceError('the provenance of release %s (%s) is not trusted: %s' % (release.get('id'), path, exc)) from exc
    try:
        problems = statement_problems(json.loads(data), release)
    except ValueError:
        problems = ['it is not JSON']
    if problems:
        raise ProvenanceError('release %s is not what %s signed in %s: %s' % (release.get('id'), principal, path, '; '.join(problems)))
    return {'path': path, 'signed_by': principal}
