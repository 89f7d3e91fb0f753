# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Parse the self-reported version output of the Docker engine stack binaries.

Pure functions only (no I/O) so they can be unit tested without running binaries.
"""

from __future__ import annotations

import os
import re

KINDS = (
    'dockerd',
    'docker',
    'containerd',
    'ctr',
    'containerd-shim',
    'runc',
    'docker-init',
    'docker-proxy',
)

UNKNOWN_KIND = 'unknown'

# basename -> kind
_NAME_TO_KIND = {
    'dockerd': 'dockerd',
    'docker': 'docker',
    'containerd': 'containerd',
    'docker-containerd': 'containerd',
    'ctr': 'ctr',
    'docker-containerd-ctr': 'ctr',
    'containerd-shim-runc-v2': 'containerd-shim',
    'containerd-shim': 'containerd-shim',
    'docker-containerd-shim': 'containerd-shim',
    'runc': 'runc',
    'docker-runc': 'runc',
    'docker-init': 'docker-init',
    'tini': 'docker-init',
    'tini-static': 'docker-init',
    'docker-proxy': 'docker-proxy',
}

# Shims from before containerd 1.4 (the v1 shim) have no version flag at all.
_SHIMS_WITHOUT_VERSION_FLAG = frozenset(('containerd-shim', 'docker-containerd-shim'))

_HEX_RE = re.compile(r'^[0-9a-fA-F]+$')
_DESCRIBE_RE = re.compile(r'^(?P<tag>.+)-(?P<count>\d+)-g(?P<hash>[0-9a-fA-F]{4,40})$')
_DIRTY_SUFFIXES = ('-dirty', '-unsupported', '.m')


class VersionParseError(ValueError):
    """Raised when the version output of a binary cannot be understood."""


def infer_kind(path):
    """Return the kind for a binary path from its basename, or ``unknown``."""
    return _NAME_TO_KIND.get(os.path.basename(path or ''), UNKNOWN_KIND)


def version_args(kind, path):
    """Return the argument list (without the binary) of the version command, or ``None`` when
    the binary has no version command and must not be run."""
    if kind in ('dockerd', 'docker', 'containerd', 'ctr', 'runc', 'docker-init', 'docker-proxy'):
        return ['--version']
    if kind == 'containerd-shim':
        if os.path.basename(path or '') in _SHIMS_WITHOUT_VERSION_FLAG:
            return None
        return ['-v']
    return None


def split_commit(commit):
    """Split a raw commit string into ``(commit_hash, dirty)``.

    Handles plain hashes (``f19387a6``), git-describe forms (``v1.4.3-0-gbb14dabeb``) and
    dirty-tree suffixes (``-dirty``, Docker's ``-unsupported``).
    """
    if commit is None:
        return None, False
    value = commit.strip()
    dirty = False
    for suffix in _DIRTY_SUFFIXES:
        if value.endswith(suffix) and len(value) > len(suffix):
            value = value[:-len(suffix)]
            dirty = True
            break
    match = _DESCRIBE_RE.match(value)
    if match:
        return match.group('hash').lower(), dirty
    if _HEX_RE.match(value):
        return value.lower(), dirty
    return value, dirty


def _result(version=None, commit=None, go_version=None, libseccomp=None, spec=None, dirty=None):
    commit_hash, commit_dirty = split_commit(commit)
    return {
        'version': version,
        'commit': commit,
        'commit_hash': commit_hash,
        'dirty': bool(dirty) or commit_dirty,
        'go_version': go_version,
        'libseccomp': libseccomp,
        'spec': spec,
    }


def _strip_v(version):
    if version and len(version) > 1 and version[0] == 'v' and version[1].isdigit():
        return version[1:]
    return version


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def _malformed(kind, text, expected):
    snippet = text.strip().splitlines()[0] if text.strip() else ''
    if len(snippet) > 120:
        snippet = snippet[:117] + '...'
    return VersionParseError(
        'cannot parse the version output of a %s binary: expected %s, got %r' % (kind, expected, snippet))


# Docker CLI / daemon: cli/cli/command/commands (docker) and moby cmd/dockerd/docker.go (dockerd)
# print "Docker version <version>, build <gitcommit>".
_DOCKER_RE = re.compile(r'^Docker version (?P<version>[^\s,]+)(?:,\s*build\s+(?P<commit>\S+))?')


def _parse_docker(kind, text):
    for line in _lines(text):
        match = _DOCKER_RE.match(line)
        if match:
            return _result(version=match.group('version'), commit=match.group('commit'))
    raise _malformed(kind, text, "'Docker version <version>, build <commit>'")


# containerd/ctr 0.2.x: "containerd version 0.2.3 commit: <sha>" (urfave/cli VersionPrinter in containerd/main.go);
# 1.x/2.x: "containerd github.com/containerd/containerd[/v2] v1.6.20 <revision>"
# (cmd/containerd/command/main.go, cli.VersionPrinter prints Name, Package, Version, Revision).
def _make_containerd_re(name):
    return (
        re.compile(r'^%s version (?P<version>\S+)(?:\s+commit:\s*(?P<commit>\S+))?' % re.escape(name)),
        re.compile(r'^%s (?P<package>\S+/\S+) (?P<version>\S+)(?:\s+(?P<commit>\S+))?' % re.escape(name)),
    )


_CONTAINERD_RES = {
    'containerd': _make_containerd_re('containerd'),
    'ctr': _make_containerd_re('ctr'),
}


def _parse_containerd(kind, text):
    old_re, new_re = _CONTAINERD_RES[kind]
    for line in _lines(text):
        for regex in (old_re, new_re):
            match = regex.match(line)
            if match:
                return _result(version=_strip_v(match.group('version')), commit=match.group('commit'))
    raise _malformed(kind, text, "'%s version <version> commit: <sha>' or '%s <package> v<version> [<revision>]'" % (kind, kind))


# containerd-shim-runc-v2 -v (runtime/v2/shim/shim.go / pkg/shim/shim.go):
#   <argv0>:
#     Version:  v2.3.3
#     Revision: <sha>
#     Go version: go1.26.5
_KV_RE = re.compile(r'^(?P<key>[A-Za-z][A-Za-z ]*?):\s*(?P<value>.*)$')


def _key_values(text):
    values = {}
    for line in _lines(text):
        match = _KV_RE.match(line)
        if match and match.group('value'):
            values.setdefault(match.group('key').strip().lower(), match.group('value').strip())
    return values


def _parse_shim(kind, text):
    values = _key_values(text)
    version = values.get('version')
    if not version:
        raise _malformed(kind, text, "a 'Version: <version>' line")
    return _result(
        version=_strip_v(version),
        commit=values.get('revision'),
        go_version=values.get('go version'),
    )


# runc --version (runc main.go): "runc version X\ncommit: C\nspec: S\ngo: G\nlibseccomp: L"
_RUNC_RE = re.compile(r'^runc version (?P<version>\S+)')


def _parse_runc(kind, text):
    version = None
    for line in _lines(text):
        match = _RUNC_RE.match(line)
        if match:
            version = match.group('version')
            break
    if version is None:
        raise _malformed(kind, text, "'runc version <version>'")
    values = _key_values(text)
    return _result(
        version=_strip_v(version),
        commit=values.get('commit'),
        go_version=values.get('go'),
        libseccomp=values.get('libseccomp'),
        spec=values.get('spec'),
    )


# tini --version (tini src/tini.c print_usage/TINI_VERSION_STRING):
# "tini version 0.19.0 - git.de40ad0" (git part only when built from a git checkout; "-dirty" when the tree was dirty)
_TINI_RE = re.compile(r'^tini version (?P<version>\S+)(?:\s+-\s+git\.(?P<commit>[0-9a-fA-F]+)(?P<dirty>-dirty)?)?')


def _parse_tini(kind, text):
    for line in _lines(text):
        match = _TINI_RE.match(line)
        if match:
            return _result(
                version=_strip_v(match.group('version')),
                commit=match.group('commit'),
                dirty=bool(match.group('dirty')),
            )
    raise _malformed(kind, text, "'tini version <version> [- git.<commit>]'")


# docker-proxy --version (moby cmd/docker-proxy, 25.0+): "docker-proxy (commit 6a43e3d) version 29.7.2"
_PROXY_RE = re.compile(r'^docker-proxy\s+\(commit\s+(?P<commit>[^)\s]*)\)\s+version\s+(?P<version>\S+)')
_PROXY_RE_ALT = re.compile(r'^docker-proxy\s+version\s+(?P<version>\S+)(?:,?\s+(?:build|commit)\s+(?P<commit>\S+))?')


def _parse_proxy(kind, text):
    for line in _lines(text):
        for regex in (_PROXY_RE, _PROXY_RE_ALT):
            match = regex.match(line)
            if match:
                return _result(version=_strip_v(match.group('version')), commit=match.group('commit') or None)
    raise _malformed(kind, text, "'docker-proxy (commit <commit>) version <version>'")


_PARSERS = {
    'dockerd': _parse_docker,
    'docker': _parse_docker,
    'containerd': _parse_containerd,
    'ctr': _parse_containerd,
    'containerd-shim': _parse_shim,
    'runc': _parse_runc,
    'docker-init': _parse_tini,
    'docker-proxy': _parse_proxy,
}


def parse_version_output(kind, text):
    """Parse the output of a binary's version command.

    Returns a dict with the keys ``version``, ``commit``, ``commit_hash``, ``dirty``, ``go_version``,
    ``libseccomp`` and ``spec`` (keys a binary does not print are ``None``).

    Raises ``VersionParseError`` for empty or unrecognised output and for unsupported kinds.
    """
    parser = _PARSERS.get(kind)
    if parser is None:
        raise VersionParseError('unsupported kind %r; supported kinds: %s' % (kind, ', '.join(KINDS)))
    if text is None or not str(text).strip():
        raise VersionParseError('the version command of the %s binary printed nothing' % kind)
    return parser(kind, str(text))


def looks_like_usage(text):
    """True when the output looks like a flag-parsing error / usage text (binaries without a version flag)."""
    lowered = (text or '').lower()
    return ('usage' in lowered or 'flag provided but not defined' in lowered
            or 'unknown flag' in lowered or 'unknown option' in lowered)


def compare_commit(expected, actual):
    """Compare two commit identifiers.

    Both sides are reduced to a hex hash (git-describe ``v1.4.3-0-gbb14dab`` forms and ``-dirty`` suffixes are
    understood), then compared case-insensitively as a prefix in either direction. Both hashes must be at least
    7 hex characters long, otherwise the result is ``False``.
    """
    if not expected or not actual:
        return False
    left, dummy = split_commit(str(expected))
    right, dummy = split_commit(str(actual))
    if not left or not right:
        return False
    left = left.lower()
    right = right.lower()
    if len(left) < 7 or len(right) < 7 or not _HEX_RE.match(left) or not _HEX_RE.match(right):
        return False
    return left.startswith(right) or right.startswith(left)
