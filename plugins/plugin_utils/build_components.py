# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controller-side logic for build components: resolving release profiles, build order and fingerprints."""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import math
import re

from ansible.errors import AnsibleFilterError

OVERRIDES_VAR = 'build_component_overrides'

SOURCE_TYPES = ('git', 'archive', 'controller', 'debian')
ARCHIVE_SUFFIXES = ('.tar.gz', '.tgz', '.tar.xz', '.txz', '.tar.bz2', '.tar.zst', '.tar', '.bundle')

COMPONENT_FIELDS = (
    'version', 'commit', 'source', 'recipe', 'era', 'go', 'go_min', 'build_tags', 'env', 'patches', 'patch_sets',
    'patch_dir', 'layout', 'cmake_policy_minimum', 'depends', 'artifacts', 'deploy', 'enabled',
)

# The recipes of roles/build/templates/recipes/ and the eras each one knows (None: the recipe has no
# eras, so `era` must not be set). tests/unit checks this table against the templates.
RECIPE_ERAS = {
    'cli': ('gopath', 'gopath-cli', 'gopath-cmd', 'moby'),
    'containerd': ('gopath', 'gopath-make', 'gopath-make-0.2', 'modules', 'modules-v2'),
    'dockerd': ('gopath', 'gopath-cmd', 'modules'),
    'libseccomp': None,
    'proxy': ('gopath', 'gopath-cmd', 'modules'),
    'runc': ('godeps', 'gopath', 'modules'),
    'tini': None,
}
SOURCE_FIELDS = ('type', 'repo', 'ref', 'url', 'sha256', 'strip', 'path', 'package', 'version', 'upstream_repo', 'full_history')

_HEX40 = re.compile(r'^[0-9a-fA-F]{40}$')
_HEX7_40 = re.compile(r'^[0-9a-fA-F]{7,40}$')
_HEX64 = re.compile(r'^[0-9a-fA-F]{64}$')
# A layout key: a name under github.com/docker, or a full import path (github.com/moby/buildkit).
_LAYOUT_KEY = re.compile(r'^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$')


# ---------------------------------------------------------------------------------------------------------------------
# build_fingerprint

def _check_json(value, path):
    """Walk ``value`` and raise AnsibleFilterError naming the first non-JSON value; return a plain copy."""
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) else str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise AnsibleFilterError('build_fingerprint: value at %s is %r, which has no JSON representation' % (path, value))
        return float(value)
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise AnsibleFilterError(
                    'build_fingerprint: dict key %r at %s is a %s; only string keys are allowed (quote the key in YAML)'
                    % (key, path, type(key).__name__))
            result[str(key)] = _check_json(item, '%s.%s' % (path, key))
        return result
    if isinstance(value, (list, tuple)):
        return [_check_json(item, '%s[%d]' % (path, index)) for index, item in enumerate(value)]
    raise AnsibleFilterError(
        'build_fingerprint: value at %s has type %s, which is not JSON-serialisable; '
        'allowed are dicts with string keys, lists, strings, numbers, booleans and null' % (path, type(value).__name__))


def canonical_json(value):
    """Canonical JSON text of ``value`` (sorted keys, compact separators, ASCII only)."""
    plain = _check_json(value, 'input')
    return json.dumps(plain, sort_keys=True, separators=(',', ':'), ensure_ascii=True, allow_nan=False)


def build_fingerprint(inputs, length=None):
    """SHA-256 hex digest of the canonical JSON of ``inputs``, optionally truncated to ``length`` characters."""
    if length is not None:
        if isinstance(length, bool) or not isinstance(length, int):
            raise AnsibleFilterError('build_fingerprint: length must be an integer between 1 and 64, got %r' % (length,))
        if not 1 <= length <= 64:
            raise AnsibleFilterError('build_fingerprint: length must be between 1 and 64, got %d' % length)
    digest = hashlib.sha256(canonical_json(inputs).encode('ascii')).hexdigest()
    return digest[:length] if length else digest


# ---------------------------------------------------------------------------------------------------------------------
# build_resolve_components

def _plain(value):
    """Deep copy into plain dict/list/scalars (also drops Ansible's tagged/lazy container types)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def deep_merge(base, override):
    """Return a new dict: dicts merge recursively, lists and scalars in ``override`` replace."""
    result = _plain(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = _plain(value)
    return result


# An override that moves a component to another source must also give that source's pin: the profile's pin
# belongs to the profile's source. source.type -> (fields that move it, the pin it then needs, where that pin lives).
_PIN_FOR_SOURCE = {
    'git': (('type', 'ref'), ('commit',), 'the full 40-character commit SHA that source.ref points to'),
    'archive': (('type', 'url'), ('source', 'sha256'), 'the sha256 of the new archive (64 hex characters, as printed by sha256sum)'),
    'controller': (('type', 'path'), ('source', 'sha256'), 'the sha256 of the new file (64 hex characters, as printed by sha256sum)'),
    'debian': (('type', 'package'), ('source', 'version'), 'the Debian version of the new source package'),
}


class _Validator:
    def __init__(self, name, spec, override, known_names, base=None):
        self.name = name
        self.spec = spec
        self.override = override or {}
        self.known_names = known_names
        self.base = base if isinstance(base, dict) else {}

    def _touched(self, path):
        node = self.override
        for part in path:
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def fail(self, path, message):
        field = '.'.join(path)
        suffix = ''
        if self.override and self._touched(path):
            label = '%s.%s.%s' % (OVERRIDES_VAR, self.name, field)
        else:
            label = 'profile component %s: %s' % (self.name, field) if field else 'profile component %s' % self.name
            if self.override:
                suffix = ' (after applying %s.%s)' % (OVERRIDES_VAR, self.name)
        raise AnsibleFilterError('%s: %s%s' % (label, message, suffix))

    def _changed(self, path):
        """True when the override sets ``path`` to something other than the profile's value."""
        if not self._touched(path):
            return False
        node = self.base
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        return node != self._get(path)

    def _check_override_pin(self, source_type):
        """An override that points a component at another source must set that source's pin itself."""
        if not self.override or source_type not in _PIN_FOR_SOURCE:
            return
        moved_by, pin, what = _PIN_FOR_SOURCE[source_type]
        moved = [field for field in moved_by if self._changed(('source', field))]
        if not moved or self._touched(pin):
            return
        if source_type == 'controller' and not str(self._get(('source', 'path')) or '').lower().endswith(ARCHIVE_SUFFIXES):
            return
        raise AnsibleFilterError(
            '%s.%s.%s: is required because the override changes %s (the profile\'s %s pins the profile\'s source, '
            'not this one); set it to %s'
            % (OVERRIDES_VAR, self.name, '.'.join(pin), ' and '.join('source.' + field for field in moved),
               '.'.join(pin), what))

    def _typo_check(self, mapping, allowed, path):
        for key in mapping:
            if not isinstance(key, str):
                self.fail(path, 'field names must be strings, got %r' % (key,))
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.8)
            if close:
                self.fail(path + (key,), 'unknown field; did you mean %r?' % close[0])
            self.fail(path + (key,), 'unknown field; allowed: %s' % ', '.join(sorted(allowed)))

    def string(self, path, required=False, allow_empty=False):
        value = self._get(path)
        if value is None:
            if required:
                self.fail(path, 'is required (a string)')
            return None
        if not isinstance(value, str):
            hint = ''
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                hint = "; quote it in YAML (for example '1.10', not 1.10)"
            self.fail(path, 'must be a string, got %s %r%s' % (type(value).__name__, value, hint))
        if not allow_empty and not value.strip():
            self.fail(path, 'must not be empty')
        return value

    def string_list(self, path):
        value = self._get(path)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(path, 'must be a list of strings, got %s' % type(value).__name__)
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item:
                self.fail(path, 'item %d must be a non-empty string, got %r' % (index, item))
        return value

    def _get(self, path):
        node = self.spec
        for part in path:
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    def validate(self):
        spec = self.spec
        if not isinstance(spec, dict):
            self.fail((), 'must be a dict (component spec), got %s' % type(spec).__name__)
        self._typo_check(spec, COMPONENT_FIELDS, ())
        self.string(('version',), required=True)

        source = spec.get('source')
        if not isinstance(source, dict):
            self.fail(('source',), 'is required and must be a dict with a type (one of %s), got %s'
                      % (', '.join(SOURCE_TYPES), type(source).__name__ if source is not None else 'nothing'))
        self._typo_check(source, SOURCE_FIELDS, ('source',))
        source_type = source.get('type')
        if source_type not in SOURCE_TYPES:
            self.fail(('source', 'type'), 'must be one of %s, got %r' % (', '.join(SOURCE_TYPES), source_type))

        if source.get('full_history') is not None and not isinstance(source.get('full_history'), bool):
            self.fail(('source', 'full_history'), 'must be a boolean (true: clone the whole history), got %r' % (source.get('full_history'),))
        commit = spec.get('commit')
        if source_type == 'git':
            self.string(('source', 'repo'), required=True)
            self.string(('source', 'ref'), required=True)
            self._check_override_pin(source_type)
            if commit is None:
                self.fail(('commit',), 'is required for source.type git: set it to the full 40-character commit SHA '
                                       'that source.ref points to')
            if not isinstance(commit, str) or not _HEX40.match(commit):
                self.fail(('commit',), 'must be the full 40-character hex commit SHA for source.type git, got %r' % (commit,))
        elif commit is not None:
            if not isinstance(commit, str) or not _HEX7_40.match(commit):
                self.fail(('commit',), 'must be a hex commit SHA of 7 to 40 characters, got %r' % (commit,))

        if source_type == 'archive':
            self.string(('source', 'url'), required=True)
            self._check_override_pin(source_type)
            self._sha256(('source', 'sha256'), required=True, why='for source.type archive')
            strip = source.get('strip', 1)
            if isinstance(strip, bool) or not isinstance(strip, int) or strip < 0:
                self.fail(('source', 'strip'), 'must be a non-negative integer (path components to strip), got %r' % (strip,))
            source['strip'] = strip
        elif source_type == 'controller':
            path = self.string(('source', 'path'), required=True)
            needs_sum = path.lower().endswith(ARCHIVE_SUFFIXES)
            self._check_override_pin(source_type)
            self._sha256(('source', 'sha256'), required=needs_sum,
                         why='when source.path is an archive or bundle (%s)' % ', '.join(ARCHIVE_SUFFIXES))
        elif source_type == 'debian':
            self.string(('source', 'package'), required=True)
            self._check_override_pin(source_type)
            self.string(('source', 'version'), required=True)

        recipe = self.string(('recipe',))
        if recipe is not None and recipe not in RECIPE_ERAS:
            self.fail(('recipe',), 'unknown recipe %r; allowed: %s' % (recipe, ', '.join(sorted(RECIPE_ERAS))))
        eras = RECIPE_ERAS.get(recipe, ())
        era = spec.get('era')
        if eras is None and era is not None:
            self.fail(('era',), 'recipe %s has no eras, so era must not be set (got %r)' % (recipe, era))
        if eras and era is not None and era not in eras:
            self.fail(('era',), 'unknown era %r of recipe %s; allowed: %s (unset means gopath)' % (era, recipe, ', '.join(eras)))
        if spec.get('go') is not None:
            self.string(('go',))
        self.string(('go_min',))
        patch_dir = self.string(('patch_dir',))
        if patch_dir is not None and (patch_dir.startswith('/') or '..' in patch_dir.split('/')):
            self.fail(('patch_dir',), 'must be a directory relative to the source tree (no leading / and no ..), got %r' % patch_dir)
        layout = spec.get('layout')
        if layout is not None:
            if not isinstance(layout, dict) or not layout:
                self.fail(('layout',), 'must be a non-empty dict of import path name -> directory of the source tree, got %r' % (layout,))
            for key, value in layout.items():
                if not isinstance(key, str) or not _LAYOUT_KEY.match(key) or '..' in key.split('/') \
                        or not isinstance(value, str) or not value:
                    self.fail(('layout',), 'entry %r: %r must map a name under github.com/docker (letters, digits, . _ -) or a '
                                           'full import path (such names joined by /) to a non-empty directory' % (key, value))
        for flag in ('cmake_policy_minimum', 'deploy'):
            if spec.get(flag) is not None and not isinstance(spec.get(flag), bool):
                self.fail((flag,), 'must be a boolean (true or false), got %r' % (spec.get(flag),))
        self.string_list(('build_tags',))
        env = spec.get('env')
        if env is not None:
            if not isinstance(env, dict):
                self.fail(('env',), 'must be a dict of variable name -> string value, got %s' % type(env).__name__)
            for key, value in env.items():
                if not isinstance(key, str) or not key:
                    self.fail(('env',), 'variable names must be non-empty strings, got %r' % (key,))
                if not isinstance(value, str):
                    self.fail(('env', key), 'must be a string, got %s %r; quote it in YAML' % (type(value).__name__, value))
        self.string_list(('patches',))
        self.string_list(('patch_sets',))
        depends = self.string_list(('depends',))
        for dep in depends or ():
            if dep == self.name:
                self.fail(('depends',), 'a component cannot depend on itself')
            if dep not in self.known_names:
                self.fail(('depends',), 'unknown component %r; known components: %s' % (dep, ', '.join(sorted(self.known_names))))
        self.string_list(('artifacts',))
        enabled = spec.get('enabled', True)
        if not isinstance(enabled, bool):
            self.fail(('enabled',), 'must be a boolean (true or false), got %r' % (enabled,))
        spec['enabled'] = enabled
        return spec

    def _sha256(self, path, required, why):
        value = self._get(path)
        if value is None:
            if required:
                self.fail(path, 'is required %s (64 hex characters, as printed by sha256sum)' % why)
            return
        if not isinstance(value, str) or not _HEX64.match(value):
            self.fail(path, 'must be 64 hex characters (as printed by sha256sum), got %r' % (value,))


def _names_list(value, what):
    if value is None:
        return None
    if isinstance(value, str):
        value = [part.strip() for part in value.split(',') if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise AnsibleFilterError('build_resolve_components: %s must be a list of component names, got %s' % (what, type(value).__name__))
    for item in value:
        if not isinstance(item, str):
            raise AnsibleFilterError('build_resolve_components: %s must contain component names (strings), got %r' % (what, item))
    return list(value)


def rewrite_mirror(repo, mirror):
    """Rewrite a https://github.com/ URL to the mirror base; return the new URL or None when not applicable."""
    prefix = 'https://github.com/'
    if not isinstance(repo, str) or not repo.startswith(prefix):
        return None
    return '%s/%s' % (mirror.rstrip('/'), repo[len(prefix):])


def build_resolve_components(profile_components, overrides=None, mirror=None, only=None):
    """Merge inventory overrides into the release profile's components, validate, rewrite mirrors and filter."""
    if not isinstance(profile_components, dict):
        raise AnsibleFilterError(
            'build_resolve_components: the profile components must be a dict of component name -> spec, got %s'
            % type(profile_components).__name__)
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise AnsibleFilterError('%s must be a dict of component name -> partial spec, got %s'
                                 % (OVERRIDES_VAR, type(overrides).__name__))
    known = list(profile_components)
    for name in known:
        if not isinstance(name, str) or not name:
            raise AnsibleFilterError('build_resolve_components: component names must be non-empty strings, got %r' % (name,))
    known_set = set(known)
    for name in overrides:
        if not isinstance(name, str) or not name.strip():
            raise AnsibleFilterError('%s has an entry with an empty component name (%r); name one of: %s'
                                     % (OVERRIDES_VAR, name, ', '.join(sorted(known))))
        if name not in known_set:
            raise AnsibleFilterError("%s: unknown component '%s'; known components: %s"
                                     % (OVERRIDES_VAR, name, ', '.join(sorted(known))))
        if not isinstance(overrides[name], dict) and overrides[name] is not None:
            raise AnsibleFilterError('%s.%s must be a dict (a partial component spec), got %s'
                                     % (OVERRIDES_VAR, name, type(overrides[name]).__name__))

    if mirror is not None and not isinstance(mirror, str):
        raise AnsibleFilterError('build_resolve_components: mirror must be a string (a base URL or path), got %s'
                                 % type(mirror).__name__)
    only_list = _names_list(only, 'only')
    if only_list:
        unknown = [name for name in only_list if name not in known_set]
        if unknown:
            raise AnsibleFilterError("build_resolve_components: only: unknown component%s %s; known components: %s"
                                     % ('s' if len(unknown) > 1 else '', ', '.join("'%s'" % name for name in unknown),
                                        ', '.join(sorted(known))))

    resolved = {}
    for name in known:
        spec = profile_components[name]
        override = overrides.get(name) or {}
        if spec is None:
            spec = {}
        if isinstance(spec, dict):
            merged = deep_merge(spec, override)
        else:
            merged = _plain(spec)
        validator = _Validator(name, merged, override, known_set, base=spec)
        if not isinstance(merged, dict):
            validator.fail((), 'must be a dict (component spec), got %s' % type(merged).__name__)
        enabled = merged.get('enabled', True)
        if only_list and name not in only_list:
            continue
        if enabled is False:
            continue
        merged = validator.validate()
        if mirror:
            new_repo = rewrite_mirror(merged['source'].get('repo'), mirror) if merged['source']['type'] == 'git' else None
            if new_repo is not None:
                merged['source']['upstream_repo'] = merged['source']['repo']
                merged['source']['repo'] = new_repo
        resolved[name] = merged
    return resolved


# ---------------------------------------------------------------------------------------------------------------------
# build_order

def _find_cycle(graph, nodes):
    """Return one dependency cycle (list of names, first repeated at the end) within ``nodes``."""
    for start in sorted(nodes):
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for dep in sorted(graph.get(node, ()), reverse=True):
                if dep not in nodes:
                    continue
                if dep == start:
                    return path + [start]
                if dep not in seen:
                    seen.add(dep)
                    stack.append((dep, path + [dep]))
    return sorted(nodes)


def build_order(components, late=False):
    """Group component names into waves: every component comes after all of its dependencies.

    ``late``: put each component in the last wave that still comes before everything that depends
    on it, so that the final wave is as large as possible (the most compiles overlap there)."""
    if not isinstance(components, dict):
        raise AnsibleFilterError('build_order: input must be the dict of resolved components, got %s' % type(components).__name__)
    graph = {}
    for name, spec in components.items():
        depends = spec.get('depends') if isinstance(spec, dict) else None
        if depends is None:
            depends = []
        if isinstance(depends, str) or not isinstance(depends, (list, tuple)):
            raise AnsibleFilterError('build_order: component %s: depends must be a list of component names, got %s'
                                     % (name, type(depends).__name__))
        graph[name] = [dep for dep in depends if dep in components and dep != name]
        if name in depends:
            raise AnsibleFilterError('build_order: component %s depends on itself' % name)

    remaining = {name: set(deps) for name, deps in graph.items()}
    waves = []
    while remaining:
        ready = sorted(name for name, deps in remaining.items() if not deps)
        if not ready:
            cycle = _find_cycle(graph, set(remaining))
            raise AnsibleFilterError('build_order: dependency cycle between components: %s (remove one of these depends)'
                                     % ' -> '.join(cycle))
        waves.append(ready)
        for name in ready:
            del remaining[name]
        for deps in remaining.values():
            deps.difference_update(ready)
    if not late:
        return waves
    # Height: 0 for what nothing depends on, else one more than the highest dependent.
    height = {}
    for wave in reversed(waves):
        for name in wave:
            dependents = [other for other, deps in graph.items() if name in deps]
            height[name] = 1 + max(height[d] for d in dependents) if dependents else 0
    top = max(height.values(), default=-1)
    return [[name for name in components if height[name] == level] for level in range(top, -1, -1)]


# ---------------------------------------------------------------------------------------------------------------------
# build_debian_unavailable

def _version_order(char):
    """dpkg's order of a character in the non-digit runs of a version: ~ first (before even the end), then
    letters, then everything else."""
    if char == '~':
        return -1
    if char.isalpha():
        return ord(char)
    return ord(char) + 256


def _compare_version_part(left, right):
    """dpkg's verrevcmp: alternating runs of non-digits (compared character by character) and digits (as numbers)."""
    while left or right:
        lead_left = re.match(r'[^0-9]*', left).group(0)
        lead_right = re.match(r'[^0-9]*', right).group(0)
        for index in range(max(len(lead_left), len(lead_right))):
            one = _version_order(lead_left[index]) if index < len(lead_left) else 0
            other = _version_order(lead_right[index]) if index < len(lead_right) else 0
            if one != other:
                return -1 if one < other else 1
        left, right = left[len(lead_left):], right[len(lead_right):]
        digits_left = re.match(r'[0-9]*', left).group(0)
        digits_right = re.match(r'[0-9]*', right).group(0)
        if int(digits_left or 0) != int(digits_right or 0):
            return -1 if int(digits_left or 0) < int(digits_right or 0) else 1
        left, right = left[len(digits_left):], right[len(digits_right):]
    return 0


def debian_version_compare(left, right):
    """-1, 0 or 1 as ``dpkg --compare-versions`` orders two Debian versions ([epoch:]upstream[-revision])."""
    def split(version):
        epoch, rest = version.split(':', 1) if ':' in version else ('0', version)
        upstream, revision = rest.rsplit('-', 1) if '-' in rest else (rest, '0')
        return int(epoch or 0), upstream, revision
    epoch_left, upstream_left, revision_left = split(str(left))
    epoch_right, upstream_right, revision_right = split(str(right))
    if epoch_left != epoch_right:
        return -1 if epoch_left < epoch_right else 1
    return _compare_version_part(upstream_left, upstream_right) or _compare_version_part(revision_left, revision_right)


def build_debian_unavailable(components, versions, suite, url=None):
    """One message per component whose Debian source version the suite's index does not list: a point release or
    an upload replaced it (the versions the suite now has and how to pin one), the pin is from another suite (newer
    than every version listed: build on a host of that suite), or the package is not in the suite.
    ``components``: resolved components (name -> spec); ``versions``: package -> versions the index lists."""
    if not isinstance(components, dict):
        raise AnsibleFilterError('build_debian_unavailable: components must be a dict of name -> spec, got %s'
                                 % type(components).__name__)
    if not isinstance(versions, dict):
        raise AnsibleFilterError('build_debian_unavailable: versions must be a dict of package -> versions, got %s'
                                 % type(versions).__name__)
    where = ' (%s)' % url if url else ''
    messages = []
    for name in sorted(components):
        source = (components[name] or {}).get('source') or {}
        if source.get('type') != 'debian':
            continue
        package, version = source.get('package'), source.get('version')
        listed = [str(item) for item in versions.get(package) or ()]
        if version in listed:
            continue
        if not listed:
            messages.append(
                'component %s: the Debian source package %s is not in the %s index%s, so %s=%s cannot be fetched. '
                'Build on a host of a suite that has it, or point %s.%s.source at another source.'
                % (name, package, suite, where, package, version, OVERRIDES_VAR, name))
            continue
        if all(debian_version_compare(item, version) < 0 for item in listed):
            messages.append(
                'component %s: the %s index%s lists %s %s, all older than the pinned %s: the pin is not from Debian %s '
                '(this host\'s suite), so apt-get source cannot fetch it. Build on a host of the suite the profile\'s sources '
                'come from, or choose a profile made of Debian %s sources.'
                % (name, suite, where, package, ', '.join(listed), version, suite, suite))
            continue
        newest = max(listed, key=functools.cmp_to_key(debian_version_compare))
        messages.append(
            'component %s: Debian %s no longer carries %s=%s (a point release or a newer upload replaced it); the %s '
            "index%s now has %s %s. Pin it: %s: {%s: {source: {version: '%s'}}} (the build then compiles that version), "
            'or use a profile that pins it.'
            % (name, suite, package, version, suite, where, package, ', '.join(listed), OVERRIDES_VAR, name, newest))
    return messages
