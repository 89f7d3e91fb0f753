# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The build decision of roles/build, in one place: resolve the profile with the inventory's overrides,
check it, render each component's build script, fingerprint what a compile really reads, and decide
per component what is current, what comes from the controller cache and what compiles.

The fingerprint of a component is the SHA-256 of (the build script rendered from build.sh.j2 and its
recipe with host-independent paths, the spec fields, the source identity, the contents of every patch,
the Go toolchain entry, the target architecture, the machinery scripts of files/ and the fingerprints
of what it links), so that any change of what is compiled changes the cache key."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shlex

import jinja2

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.build_components import (
    OVERRIDES_VAR,
    build_fingerprint,
    build_order,
    build_resolve_components,
)

# A release is complete only with these: without them no dockerd can run a container.
RELEASE_REQUIRED = ('dockerd', 'containerd', 'runc', 'cli')
FINGERPRINT_LENGTH = 16
# Source fields that say where a source is fetched from, not what it is: a mirror or a fork URL with
# the same pin builds the same tree.
SOURCE_LOCATION_FIELDS = ('repo', 'upstream_repo', 'url', 'path')
# Spec fields that change nothing a compile reads (a check, or the switch that drops the component).
NOT_BUILD_INPUTS = ('enabled', 'go_min')
TOOLCHAIN_LOCATION_FIELDS = ('url', 'path')
# Scripts of files/ that shape the tree a compile reads or what it stamps (the others only start, wait
# for and stop it).
MACHINERY_FILES = ('apply-patches.sh', 'compile-prepare.sh', 'source-date-epoch.sh')

# The host-independent values the fingerprinted script is rendered with; the script that runs is
# rendered with the host's own (build_script).
CANONICAL_PATHS = {
    'build_root': '/@build_root@',
    'build_user': '@build_user@',
    'goroot': '/@goroot@',
    'fingerprint': '@fingerprint@',
}


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 16), b''):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def _environment(role_path):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(role_path, 'templates')),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        auto_reload=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters['quote'] = lambda value: shlex.quote(str(value))
    return env


def render_script(role_path, name, component, fingerprints, build_root, build_user, goroot, fingerprint):
    """The build script of ``name``: templates/build.sh.j2 with its recipe, for the given paths."""
    context = {
        '__build_name': name,
        '__build_c': component,
        '__build_fingerprint': fingerprint,
        '__build_fingerprints': fingerprints,
        '__build_tree': '%s/trees/%s' % (build_root, name),
        '__build_goroot': goroot,
        'build_root': build_root,
        'build_user': build_user,
    }
    try:
        return _environment(role_path).get_template('build.sh.j2').render(context)
    except jinja2.TemplateError as error:
        raise AnsibleFilterError('build plan: rendering the build script of %s (recipe %s) failed: %s'
                                 % (name, component.get('recipe'), error))


def _machinery(role_path):
    """sha256 of each script under files/ that changes what a compile reads (the patch loop)."""
    return {entry: _sha256_file(os.path.join(role_path, 'files', entry)) for entry in MACHINERY_FILES}


def _patch_files(name, component, role_path, search, touched):
    """[(label, absolute path)] of the patch sets and patches of a component, in the order they apply."""
    sets_dir = os.path.join(role_path, 'files', 'patch_sets')
    known_sets = sorted(entry[:-len('.patch')] for entry in os.listdir(sets_dir) if entry.endswith('.patch')) \
        if os.path.isdir(sets_dir) else []
    where = (lambda field: '%s.%s.%s' % (OVERRIDES_VAR, name, field)) if touched else \
        (lambda field: 'profile component %s: %s' % (name, field))
    files = []
    for index, patch_set in enumerate(component.get('patch_sets') or ()):
        if patch_set not in known_sets:
            raise AnsibleFilterError('%s: unknown patch set %r; allowed: %s'
                                     % (where('patch_sets[%d]' % index), patch_set, ', '.join(known_sets)))
        files.append(('patch_sets/%s.patch' % patch_set, os.path.join(sets_dir, patch_set + '.patch')))
    for index, patch in enumerate(component.get('patches') or ()):
        candidates = [patch] if os.path.isabs(patch) else [os.path.join(base, patch) for base in search]
        found = [path for path in candidates if os.path.isfile(path)]
        if not found:
            raise AnsibleFilterError(
                '%s: the patch file %s does not exist on the controller (looked at: %s). Give the path of an existing '
                'patch file, absolute or relative to the playbook directory, or remove it from the list.'
                % (where('patches[%d]' % index), patch, ', '.join(candidates) or patch))
        files.append(('patches/%d-%s' % (index + 1, os.path.basename(patch)), os.path.abspath(found[0])))
    return files


# ansible_facts.architecture -> the GOARCH of Go's release file names (go1.x.linux-<goarch>.tar.gz).
GOARCH = {'x86_64': 'amd64', 'amd64': 'amd64', 'aarch64': 'arm64', 'arm64': 'arm64', 'armv7l': 'armv6l', 'armv6l': 'armv6l',
          'i386': '386', 'i686': '386', 'ppc64le': 'ppc64le', 's390x': 's390x', 'riscv64': 'riscv64', 'loongarch64': 'loong64'}
_GO_FILE_ARCH = re.compile(r'linux-([a-z0-9]+)\.tar\.gz$')


def _check_toolchain_arch(go_name, entry, arch, user_defined):
    """A Go tarball named for another architecture than the host's is refused."""
    if not isinstance(entry, dict) or entry.get('source') not in ('tarball', 'controller'):
        return
    location = str(entry.get('url') or entry.get('path') or '')
    match = _GO_FILE_ARCH.search(location)
    want = GOARCH.get(arch, arch)
    got = match.group(1) if match else None
    if got and got != want:
        where = 'build_go_toolchains.%s' % go_name if user_defined else 'the go table of the profile, entry %s' % go_name
        raise AnsibleFilterError(
            'Go toolchain %r (%s) is for linux-%s (%s), but this host is %s (linux-%s): its Go would not run here and '
            'its artifacts would be for another architecture. Set build_go_toolchains.%s to the go%s.linux-%s.tar.gz '
            'of the same version (url or path, and its sha256).'
            % (go_name, where, got, location, arch, want, go_name, go_name, want))


def _check_complete(profile_components, overrides, resolved):
    disabled = [name for name in profile_components if name not in resolved]
    if not resolved:
        raise AnsibleFilterError(
            '%s disables every component of the profile (enabled: false for %s): there is nothing to build. '
            'Remove those enabled: false; to build only some components use build_components or -t <name>.'
            % (OVERRIDES_VAR, ', '.join(disabled)))
    for name in RELEASE_REQUIRED:
        if name in profile_components and name not in resolved:
            source = '%s.%s.enabled' % (OVERRIDES_VAR, name) if 'enabled' in (overrides.get(name) or {}) \
                else 'profile component %s: enabled' % name
            raise AnsibleFilterError(
                '%s: false would make a release without %s, and a release must be complete (%s): a host installing it '
                'would be left without a working Docker. Remove %s (to compile only some components use '
                'build_components or -t <name>; the release then takes the others as they are).'
                % (source, name, ', '.join(RELEASE_REQUIRED), source))
    for name, spec in resolved.items():
        for dep in spec.get('depends') or ():
            if dep not in resolved:
                raise AnsibleFilterError(
                    '%s.%s.enabled: false, but %s depends on %s (it links it). Remove %s.%s.enabled, or disable %s too.'
                    % (OVERRIDES_VAR, dep, name, dep, OVERRIDES_VAR, dep, name))


def build_plan(profile, overrides=None, mirror=None, go_toolchains=None, arch=None, role_path=None, search=None, revision=None):
    """Resolve, check, render and fingerprint every component of a profile. Returns the plan (a dict)."""
    if not isinstance(profile, dict) or not isinstance(profile.get('components'), dict):
        raise AnsibleFilterError('build plan: the release profile must be a dict with a components dict')
    if not isinstance(arch, str) or not arch.strip():
        raise AnsibleFilterError('build plan: the target architecture is unknown (ansible_facts.architecture is %r); '
                                 'gather facts (gather_subset: [min] is enough) before the build role' % (arch,))
    if not role_path or not os.path.isdir(os.path.join(role_path, 'templates')):
        raise AnsibleFilterError('build plan: role_path %r is not the build role' % (role_path,))
    overrides = overrides or {}
    if go_toolchains is not None and not isinstance(go_toolchains, dict):
        raise AnsibleFilterError('build_go_toolchains must be a dict of toolchain name -> entry, got %s'
                                 % type(go_toolchains).__name__)
    go_all = dict(profile.get('go') or {})
    go_all.update(go_toolchains or {})
    resolved = build_resolve_components(profile['components'], overrides, mirror=mirror)
    _check_complete(profile['components'], overrides if isinstance(overrides, dict) else {}, resolved)
    search = [str(path) for path in (search or []) if path]

    fingerprints, inputs, scripts, patches = {}, {}, {}, {}
    machinery = {'revision': revision, 'files': _machinery(role_path)}
    for name in [name for wave in build_order(resolved) for name in wave]:
        spec = resolved[name]
        if not spec.get('recipe'):
            raise AnsibleFilterError('profile component %s: recipe: is required; allowed: the names of %s/templates/recipes'
                                     % (name, role_path))
        touched = bool(overrides.get(name))
        patch_files = _patch_files(name, spec, role_path, search, touched)
        patches[name] = [path for _label, path in patch_files]
        deps = {dep: fingerprints[dep] for dep in spec.get('depends') or ()}
        script = render_script(role_path, name, spec, fingerprints, CANONICAL_PATHS['build_root'],
                               CANONICAL_PATHS['build_user'], CANONICAL_PATHS['goroot'], CANONICAL_PATHS['fingerprint'])
        go_name = spec.get('go')
        toolchain = None
        if go_name:
            entry = go_all.get(go_name)
            _check_toolchain_arch(go_name, entry, arch, go_name in (go_toolchains or {}))
            toolchain = {'name': go_name, 'entry': (
                {key: value for key, value in entry.items() if key not in TOOLCHAIN_LOCATION_FIELDS}
                if isinstance(entry, dict) else entry)}
        item = {
            'arch': GOARCH.get(arch, arch),
            'spec': {key: value for key, value in spec.items() if key not in NOT_BUILD_INPUTS + ('source',)},
            'source': {key: value for key, value in spec['source'].items() if key not in SOURCE_LOCATION_FIELDS},
            'patches': [[label, _sha256_file(path)] for label, path in patch_files],
            'script_sha256': hashlib.sha256(script.encode('utf-8')).hexdigest(),
            'toolchain': toolchain,
            'depends': deps,
            'machinery': machinery,
        }
        inputs[name] = item
        scripts[name] = script
        fingerprints[name] = build_fingerprint(item, length=FINGERPRINT_LENGTH)
    return {
        'profile': profile.get('name', ''),
        'arch': GOARCH.get(arch, arch),
        'role_path': role_path,
        'components': resolved,
        'go': go_all,
        'debian_build_deps': list(profile.get('debian_build_deps') or []),
        'fingerprints': {name: fingerprints[name] for name in resolved},
        'inputs': {name: inputs[name] for name in resolved},
        'scripts': {name: scripts[name] for name in resolved},
        'patches': {name: patches[name] for name in resolved},
        # Everything nothing depends on shares the last wave, where up to build_jobs compiles overlap.
        'waves': build_order(resolved, late=True),
    }


def _names(value, what, known):
    if value is None:
        return []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(',')]
    if not isinstance(value, (list, tuple)):
        raise AnsibleFilterError('%s must be a list of component names, got %s' % (what, type(value).__name__))
    names = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise AnsibleFilterError('%s has an empty component name at position %d (%r); name one of: %s'
                                     % (what, index + 1, item, ', '.join(sorted(known))))
        names.append(item.strip())
    return names


FORCE_ALL = ('true', 'yes', 'on', '1')
FORCE_NONE = ('false', 'no', 'off', '0', '')


def _force_flag(force) -> bool | None:
    """build_force as a flag: True (every component), False (none), or None when it names components."""
    if force is None or isinstance(force, bool):
        return bool(force)
    text = str(force).strip().lower()
    return True if text in FORCE_ALL else False if text in FORCE_NONE else None


def _force_names(force) -> list:
    """The component names build_force gives: a list, a comma-separated string or one name."""
    if isinstance(force, str):
        return [part.strip() for part in force.split(',') if part.strip()]
    if isinstance(force, (list, tuple, set)):
        return [str(item) for item in force]
    return [str(force)]


def build_forced(force, selected: list) -> list:
    """The components of ``selected`` that build_force compiles whatever their state: all of them for a true flag,
    none for a false one, else the names it gives."""
    flag = _force_flag(force)
    if flag is not None:
        return list(selected) if flag else []
    return _force_names(force)


def _unique(names) -> list:
    return list(dict.fromkeys(names))


def build_settings_errors(plan: dict, settings: dict) -> list:
    """Every problem of the build role's run settings, as messages naming the variable and what is allowed; [] when all
    is well. ``settings``: build_profile, build_root, build_components, build_force, build_jobs, build_keep_artifacts
    and build_parallel_set (build_parallel, replaced by build_jobs, is defined)."""
    known = sorted(plan['components'])
    profile = settings.get('build_profile')
    errors = []
    components = settings.get('build_components') or []
    names = [str(n).strip() for n in (components.split(',') if isinstance(components, str) else components)]
    unknown = _unique(n for n in names if n not in plan['components'])
    if '' in unknown:
        errors.append('build_components has an empty component name (%s): remove it, or name components of build_profile '
                      '%s: %s.' % (json.dumps(components), profile, ', '.join(known)))
    elif unknown:
        errors.append('build_components names %s, which %s not a component of build_profile %s; allowed: %s (or an empty '
                      'list for all of them).' % (', '.join(unknown), 'is' if len(unknown) == 1 else 'are', profile,
                                                  ', '.join(known)))
    force = settings.get('build_force')
    if _force_flag(force) is None:
        unknown = _unique(n for n in _force_names(force) if n not in plan['components'])
        if unknown:
            errors.append('build_force is %s: %s is not a component of build_profile %s. Allowed: true, false, or a list '
                          '(or comma-separated string) of %s.'
                          % (json.dumps(force), ', '.join(unknown), profile, ', '.join(known)))
    jobs = settings.get('build_jobs')
    if settings.get('build_parallel_set'):
        errors.append('build_parallel was replaced by build_jobs, the number of compiles that run at the same time: '
                      'remove build_parallel and set build_jobs (1 = one after another).')
    elif not re.match(r'^[0-9]+$', str(jobs)) or int(str(jobs)) < 1:
        errors.append('build_jobs is %s: set it to the number of compiles that may run at the same time, 1 or more (1 = '
                      'one after another).' % json.dumps(jobs))
    keep = settings.get('build_keep_artifacts')
    if not re.match(r'^[0-9]+$', str(keep)) or int(str(keep)) < 1:
        errors.append('build_keep_artifacts is %s: set it to how many fingerprints of each component keep their artifacts '
                      'under %s/artifacts, 1 or more (those of the run\'s release always stay).'
                      % (json.dumps(keep), settings.get('build_root')))
    missing = [(name, spec['go']) for name, spec in plan['components'].items()
               if spec.get('go') and spec['go'] not in (plan.get('go') or {})]
    if missing:
        errors.append('%s, but neither the profile\'s go table nor build_go_toolchains defines it (defined: %s). Add it to '
                      'build_go_toolchains ({source: tarball, url, sha256} | {source: controller, path, sha256} | '
                      '{source: distro, package, goroot}) or set build_component_overrides.<component>.go to one of those.'
                      % (', '.join("component %s wants Go toolchain '%s'" % item for item in missing),
                         ', '.join(plan.get('go') or {}) or 'none'))
    return errors


def build_select(plan, components=None, run_tags=None):
    """The components a run builds: build_components, else the component tags of the run, else all; plus
    everything they depend on."""
    known = plan['components']
    requested = _names(components, 'build_components', known)
    if not requested:
        requested = [name for name in (run_tags or []) if name in known]
    if not requested:
        requested = list(known)
    selected, todo = [], list(requested)
    while todo:
        name = todo.pop(0)
        if name in selected or name not in known:
            continue
        selected.append(name)
        todo.extend(known[name].get('depends') or ())
    return [name for name in known if name in selected]


def build_decision(plan, selected, current=None, cached=None, forced=None, pull=True):
    """Per component of ``selected``: current (intact artifacts of its fingerprint here and not forced),
    from the cache (intact in the controller cache), or compile; plus the waves and toolchains this needs."""
    current = set(current or ()) - set(forced or ())
    stale = [name for name in selected if name not in current]
    pullable = [name for name in stale if name not in (forced or ())] if pull else []
    cached = set(cached or ()) & set(pullable)
    compile_ = [name for name in stale if name not in cached]
    components = plan['components']
    go_names = {components[name].get('go') for name in compile_ if components[name].get('go')}
    packages = []
    for name in compile_:
        package = components[name]['source'].get('package')
        if package and package in plan['debian_build_deps'] and package not in packages:
            packages.append(package)
    return {
        'selected': list(selected),
        'current': [name for name in selected if name in current],
        'todo': stale,
        'pullable': pullable,
        'from_cache': [name for name in stale if name in cached],
        'compile': compile_,
        'toolchains': {name: entry for name, entry in plan['go'].items() if name in go_names},
        'debian_build_deps': packages,
        'waves': [wave for wave in ([name for name in wave if name in selected] for wave in plan['waves']) if wave],
    }


def build_script(plan, name, build_root, build_user, goroots=None):
    """The build script of ``name`` for this host: the fingerprinted script with the host's paths."""
    spec = plan['components'][name]
    go_name = spec.get('go')
    goroot = (goroots or {}).get(go_name, '') if go_name else ''
    if go_name and not goroot:
        raise AnsibleFilterError('build plan: no GOROOT for Go toolchain %r of %s (the toolchain role sets toolchain_goroots)'
                                 % (go_name, name))
    return render_script(plan['role_path'], name, spec, plan['fingerprints'], build_root, build_user, goroot,
                         plan['fingerprints'][name])


def build_inputs(plan, name, build_root, build_user, goroots=None):
    """What a compile of ``name`` reads besides its source, as members of the gzip tar the build role sends
    (sourcebuilt.docker.put_file ``archive``): build.sh, the script of build_script, and each patch of the
    plan as patches/NNN-<file name>, numbered in the order they apply."""
    members = {'build.sh': {'content': build_script(plan, name, build_root, build_user, goroots)}}
    for index, path in enumerate(plan['patches'][name]):
        members['patches/%03d-%s' % (index + 1, os.path.basename(path))] = path
    return members


def build_cache_differences(built, cached):
    """Per component present in both: the files whose bytes differ between the manifest built here and the
    manifest of the controller cache entry of the same fingerprint (a file only on one side counts too)."""
    result = {}
    for name, manifest in (built or {}).items():
        other = (cached or {}).get(name)
        if not other:
            continue
        here = {entry['path']: entry.get('sha256') for entry in manifest.get('files') or ()}
        there = {entry['path']: entry.get('sha256') for entry in other.get('files') or ()}
        differing = [{'path': path, 'here': here.get(path), 'cache': there.get(path)}
                     for path in sorted(set(here) | set(there)) if here.get(path) != there.get(path)]
        if differing:
            result[name] = differing
    return result


def build_staged(state, staged, fingerprints):
    """The artifacts on the build host after this run: ``state`` (sourcebuilt.docker.artifact_state's reading at the
    preflight, every component of ``fingerprints``) with the manifests this run staged and verified (compiled, or
    taken from the cache), so publishing needs no second reading. A staged manifest of another fingerprint than the
    plan's is ignored."""
    for label, value in (('state', state), ('staged', staged), ('fingerprints', fingerprints)):
        if not isinstance(value, dict):
            raise AnsibleFilterError('build_staged: %s must be a dict, got %r' % (label, value))
    fresh = {str(name): manifest for name, manifest in staged.items()
             if isinstance(manifest, dict) and name in fingerprints
             and str(manifest.get('fingerprint')) == str(fingerprints[name])}
    return {
        'current': sorted(set(state.get('current') or ()) | set(fresh)),
        'manifests': dict(state.get('manifests') or {}, **fresh),
        'problems': {name: problem for name, problem in (state.get('problems') or {}).items() if name not in fresh},
    }


def build_unpublished(compiled, compiled_in_cache, held=None, held_in_cache=None):
    """The components a build host copies to the controller cache, sorted: those compiled here whose cache entry is
    not intact (``compiled_in_cache`` lists the intact ones), and, when ``held_in_cache`` was read (not None), those
    it holds intact without having compiled them in this run (``held``) whose cache entry is missing or damaged, so
    that a controller with an empty cache gets a builder's artifacts without a compile."""
    for label, value in (('compiled', compiled), ('compiled_in_cache', compiled_in_cache), ('held', held),
                         ('held_in_cache', held_in_cache)):
        if value is not None and (isinstance(value, (str, bytes, dict)) or not hasattr(value, '__iter__')):
            raise AnsibleFilterError('build_unpublished: %s must be a list of component names, got %r' % (label, value))
    compiled = [str(name) for name in compiled or ()]
    result = set(compiled) - {str(name) for name in compiled_in_cache or ()}
    if held_in_cache is not None:
        result |= {str(name) for name in held or ()} - set(compiled) - {str(name) for name in held_in_cache}
    return sorted(result)


def release_rebuild_report(running, rebuilt):
    """The release a host runs (the ``components`` of its manifest) against a rebuild of the same inventory on a
    builder (``build_release.components``): ``identical`` (components whose every file has the same sha256),
    ``differences`` (one sentence per file that differs or exists on one side only, and per component the
    inventory now builds under another fingerprint) and ``not_rebuilt`` (components the rebuild left out)."""
    for label, value in (('running', running), ('rebuilt', rebuilt)):
        if not isinstance(value, dict):
            raise AnsibleFilterError('release_rebuild_report: %s must be a dict of component -> manifest, got %s'
                                     % (label, type(value).__name__))
    report = {'identical': [], 'differences': [], 'not_rebuilt': []}
    for name in sorted(running):
        here, there = running[name] or {}, rebuilt.get(name)
        if not there:
            report['not_rebuilt'].append(name)
            continue
        if here.get('fingerprint') != there.get('fingerprint'):
            report['differences'].append(
                '%s: the host runs fingerprint %s, the inventory builds %s; the release came from other inputs '
                '(run verify.yml with the inventory it was deployed from, or converge first)'
                % (name, here.get('fingerprint'), there.get('fingerprint')))
            continue
        files = build_cache_differences({name: there}, {name: here}).get(name, [])
        for entry in files:
            report['differences'].append('%s: %s differs: sha256 %s on the host, %s rebuilt'
                                         % (name, entry['path'], entry['cache'] or 'absent', entry['here'] or 'absent'))
        if not files:
            report['identical'].append(name)
    return report
