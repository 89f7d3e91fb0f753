# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The software bill of materials of a release, as CycloneDX 1.6 JSON: one component per built component
(version, source identity, fingerprint, build settings, patches with their sha256 and text, every file with its
sha256), the Go toolchain and C tool packages of the builder, the Debian golang-*-dev packages a GOPATH build
compiled in (from the Build-Depends of its source package, at the versions installed on the builder), the Go
modules each Go binary records in its build information (read from the controller cache's copy of the binary), and
what links what. Deterministic: the same release and builder give the same bytes (no timestamp; the serial number is
derived from the release id)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from urllib.parse import quote

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.module_utils.elf import ElfError
from ansible_collections.sourcebuilt.docker.plugins.module_utils.go_buildinfo import read_go_buildinfo

SPEC_VERSION = '1.6'
# The packages of the builder that a build compiles with or links in, besides the golang-*-dev trees.
BUILDER_PACKAGES = ('gcc', 'libc6-dev', 'libseccomp-dev')
_SPLIT = re.compile(r'\s*,\s*')
_RELATION_NAME = re.compile(r'^([a-z0-9][a-z0-9+.-]+)')


def debian_build_depends(control):
    """The package names the Build-Depends (and -Arch, -Indep) fields of a debian/control text name, first
    alternatives, without versions, architectures or build profiles."""
    if not isinstance(control, str):
        raise AnsibleFilterError('debian_build_depends: debian/control must be text, got %s' % type(control).__name__)
    names, field = [], None
    for line in control.splitlines():
        if not line.strip():
            field = None  # a blank line ends the source paragraph
            if names:
                break
            continue
        if line[0] in ' \t' and field:
            value = line
        else:
            key, _sep, value = line.partition(':')
            field = key.strip() if key.strip() in ('Build-Depends', 'Build-Depends-Arch', 'Build-Depends-Indep') else None
        if field:
            for relation in _SPLIT.split(value.strip()):
                match = _RELATION_NAME.match(relation.split('|')[0].strip())
                if match and match.group(1) not in names:
                    names.append(match.group(1))
    return names


TAIL_HEADER = re.compile(r'^==> (.*) <==$')


def tail_files(text: str, names: dict | None = None) -> dict:
    """The output of ``tail -v -n +1 FILE...`` (each file after a ``==> FILE <==`` line) as {FILE: its text}; with
    ``names`` ({key: FILE}), as {key: text} for the files the output holds (a file tail could not read is left out)."""
    if not isinstance(text, str):
        raise AnsibleFilterError('tail_files: expected the text tail printed, got %s' % type(text).__name__)
    files, current = {}, None
    for line in text.splitlines(keepends=True):
        header = TAIL_HEADER.match(line.rstrip('\n'))
        if header:
            current = header.group(1)
            files[current] = ''
        elif current is not None:
            files[current] += line
    if names is None:
        return files
    return {key: files[path] for key, path in names.items() if path in files}


def collection_version():
    """The version of this collection: MANIFEST.json of an installed one, else galaxy.yml of a checkout."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        with open(os.path.join(root, 'MANIFEST.json')) as handle:
            return str(json.load(handle)['collection_info']['version'])
    except (OSError, ValueError, KeyError):
        pass
    try:
        with open(os.path.join(root, 'galaxy.yml')) as handle:
            match = re.search(r'^version:\s*["\']?([^"\'\s]+)', handle.read(), re.MULTILINE)
            return match.group(1) if match else 'unknown'
    except OSError:
        return 'unknown'


def _purl_deb(package, version, source=False):
    return 'pkg:deb/debian/%s@%s%s' % (package, quote(str(version), safe=''), '?arch=source' if source else '')


def _purl(name, spec):
    source = spec.get('source') or {}
    kind = source.get('type')
    if kind == 'debian':
        return _purl_deb(source.get('package', name), source.get('version', ''), source=True)
    qualifiers = []
    if kind == 'git' and source.get('repo'):
        qualifiers.append('vcs_url=' + quote('git+%s@%s' % (source['repo'], spec.get('commit') or source.get('ref', '')), safe=''))
    if kind in ('archive', 'controller') and source.get('sha256'):
        qualifiers.append('checksum=' + quote('sha256:' + source['sha256'], safe=''))
    return 'pkg:generic/%s@%s%s' % (name, quote(str(spec.get('version', '')), safe=''),
                                    '?' + '&'.join(qualifiers) if qualifiers else '')


def _external_references(spec):
    source = spec.get('source') or {}
    kind = source.get('type')
    if kind == 'debian':
        return [{'type': 'distribution', 'url': 'https://sources.debian.org/src/%s/%s/' % (source.get('package'), source.get('version'))}]
    if kind == 'git' and source.get('repo'):
        return [{'type': 'vcs', 'url': source['repo']}]
    if kind == 'archive' and source.get('url'):
        return [{'type': 'distribution', 'url': source['url'], 'hashes': [{'alg': 'SHA-256', 'content': source['sha256']}]}]
    return []


def _properties(pairs):
    return [{'name': 'sourcebuilt:%s' % key, 'value': str(value)} for key, value in pairs if value not in (None, '', [], {})]


def _purl_golang(path, version):
    """pkg:golang/<module path>@<version>, the module path as Go spells it (its case matters to Go)."""
    return 'pkg:golang/%s%s' % ('/'.join(quote(part, safe='') for part in path.split('/')),
                                '@' + quote(version, safe='') if version else '')


def _local_replacement(path):
    """Whether a go.mod replacement is a directory (./x, ../x, /x) rather than another module."""
    return path.startswith(('./', '../', '/')) or path in ('.', '..')


def _go_module(dep, component):
    """The CycloneDX library of a module a Go binary of ``component`` was built from (its ``dep`` line of the build
    information, with the ``=>`` replacement Go compiled instead). Go's h1: sum hashes a listing of the module's
    files, not one file, so it is a property rather than a CycloneDX hash; a -mod=vendor build records none."""
    replace = dep.get('replace')
    ref = 'gomod:%s@%s' % (dep['path'], dep['version'])
    item = {'type': 'library', 'name': dep['path'], 'version': dep['version']}
    if not replace:
        item.update(purl=_purl_golang(dep['path'], dep['version']), properties=_properties([('go.sum', dep.get('sum'))]))
    elif _local_replacement(replace['path']):
        # A directory of the component's own source: no upstream module to name.
        ref += '=>%s:%s' % (component, replace['path'])
        item['properties'] = _properties([('go.replace', '%s (a directory of the %s source)' % (replace['path'], component))])
    else:
        ref += '=>%s@%s' % (replace['path'], replace['version'])
        item.update(name=replace['path'], version=replace['version'], purl=_purl_golang(replace['path'], replace['version']),
                    properties=_properties([('go.sum', replace.get('sum')), ('go.replaces', '%s %s' % (dep['path'], dep['version']))]),
                    pedigree={'ancestors': [{'type': 'library', 'name': dep['path'], 'version': dep['version'],
                                             'purl': _purl_golang(dep['path'], dep['version'])}]})
    item['bom-ref'] = ref
    if not item['properties']:
        del item['properties']
    return item


def _go_binary(path, sha256):
    """(build information or None, a note for the SBOM or None) of the controller cache's copy of a file of a Go
    component, read only when its bytes are the ones the manifest names."""
    try:
        with open(path, 'rb') as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1 << 20), b''):
                digest.update(chunk)
            if sha256 and digest.hexdigest() != sha256:
                return None, 'not read: the controller cache holds other bytes than the manifest names'
            return read_go_buildinfo(handle), None
    except ElfError as exc:
        return None, 'not read: %s' % exc
    except OSError:
        return None, 'not read: the file is not in the controller cache'


def _files(name, manifest, cache):
    """The file components of component ``name`` and, when ``cache`` is set, the Go modules of each Go binary of it
    as the controller cache's copy records them: (files, {module bom-ref: module}, [the binaries' dependencies])."""
    files, modules, depends = [], {}, []
    for entry in manifest.get('files') or ():
        item = {'type': 'file', 'bom-ref': 'file:%s@%s/%s' % (name, manifest.get('fingerprint'), entry['path']),
                'name': entry['path'], 'hashes': [{'alg': 'SHA-256', 'content': entry['sha256']}]}
        files.append(item)
        if not cache or entry.get('elf') is False:
            continue
        info, note = _go_binary(os.path.join(cache, name, str(manifest.get('fingerprint')), entry['path']), entry.get('sha256'))
        if info is None:
            if note:
                item['properties'] = _properties([('go.modules', note)])
            continue
        main = info['main']
        binary = dict((module['bom-ref'], module) for module in (_go_module(dep, name) for dep in info['deps']))
        item['properties'] = _properties(
            [('go.version', info['go_version']), ('go.package', info['path']),
             ('go.module', '%s %s' % (main['path'], main['version']) if main else None),
             ('go.modules', None if main or binary else 'none: built in GOPATH mode, the binary records no modules')])
        modules.update(binary)
        if main or binary:
            depends.append({'ref': item['bom-ref'], 'dependsOn': sorted(binary)})
    return files, modules, depends


def parse_packages(text):
    """``dpkg-query -W -f='${Package} ${Version}\\n'`` output -> {package: version} (installed ones only)."""
    packages = {}
    for line in (text or '').splitlines():
        fields = line.split()
        if len(fields) == 2:
            packages[fields[0]] = fields[1]
    return packages


def _patch_texts(plan):
    """Patch label -> text, read from the controller files the plan fingerprinted (in the same order)."""
    texts = {}
    for name, paths in (plan.get('patches') or {}).items():
        labels = [label for label, _sha in ((plan.get('inputs') or {}).get(name) or {}).get('patches') or ()]
        for label, path in zip(labels, paths):
            try:
                with open(path, encoding='utf-8', errors='replace') as handle:
                    texts[label] = handle.read()
            except OSError:
                pass
    return texts


def release_sbom(release, plan, packages=None, controls=None, tool=None, cache=None):
    """CycloneDX 1.6 of ``release`` (the build role's build_release fact) built by ``plan`` (its build plan);
    ``packages``: package -> version installed on the builder (or the dpkg-query text of parse_packages);
    ``controls``: component -> the text of the debian/control of its Debian source (its Build-Depends);
    ``tool``: the version of this collection; ``cache``: the controller cache (build_cache_dir) that holds the
    release's files as ``<cache>/<component>/<fingerprint>/<path>``, to read the Go modules of each Go binary."""
    for label, value in (('release', release), ('plan', plan)):
        if not isinstance(value, dict):
            raise AnsibleFilterError('release_sbom: %s must be a dict, got %s' % (label, type(value).__name__))
    if not release.get('id') or not isinstance(release.get('components'), dict):
        raise AnsibleFilterError('release_sbom: the release has no id or no components (the build_release fact of the build role)')
    packages = parse_packages(packages) if isinstance(packages, str) else dict(packages or {})
    build_depends = {name: debian_build_depends(text) for name, text in (controls or {}).items() if isinstance(text, str)}
    patch_texts = _patch_texts(plan)
    release_ref = 'release:%s' % release['id']
    components, dependencies, package_refs, module_items = [], [], {}, {}

    def package_ref(package):
        if package not in packages:
            return None
        if package not in package_refs:
            package_refs[package] = 'deb:%s@%s' % (package, packages[package])
            components.append({'type': 'library' if package.endswith('-dev') else 'application',
                               'bom-ref': package_refs[package], 'name': package, 'version': packages[package],
                               'purl': _purl_deb(package, packages[package])})
        return package_refs[package]

    toolchain_refs = {}
    for go_name, entry in sorted((plan.get('go') or {}).items()):
        if not any((spec or {}).get('go') == go_name for spec in plan.get('components', {}).values()):
            continue
        entry = entry if isinstance(entry, dict) else {}
        ref = 'toolchain:go@%s' % go_name
        toolchain_refs[go_name] = ref
        item = {'type': 'application', 'bom-ref': ref, 'name': 'go', 'version': str(go_name),
                'properties': _properties([('source', entry.get('source')), ('package', entry.get('package')),
                                           ('sha256', entry.get('sha256')), ('url', entry.get('url'))])}
        if entry.get('source') == 'distro' and entry.get('package') in packages:
            item['version'] = packages[entry['package']]
            item['purl'] = _purl_deb(entry['package'], packages[entry['package']])
        elif entry.get('sha256'):
            item['hashes'] = [{'alg': 'SHA-256', 'content': entry['sha256']}]
        components.append(item)

    refs = {name: 'component:%s@%s' % (name, manifest.get('fingerprint'))
            for name, manifest in release['components'].items()}
    for name in sorted(release['components']):
        manifest = release['components'][name]
        spec = (plan.get('components') or {}).get(name) or {}
        inputs = (plan.get('inputs') or {}).get(name) or {}
        patches = inputs.get('patches') or []
        files, modules, file_depends = _files(name, manifest, spec.get('go') and cache)
        module_items.update(modules)
        item = {
            'type': 'library' if name == 'libseccomp' else 'application',
            'bom-ref': refs[name],
            'name': name,
            'version': str(manifest.get('version') or spec.get('version', '')),
            'purl': _purl(name, spec),
            'properties': _properties(
                [('fingerprint', manifest.get('fingerprint')), ('commit', manifest.get('commit') or spec.get('commit')),
                 ('recipe', spec.get('recipe')), ('era', spec.get('era')), ('build_tags', ' '.join(spec.get('build_tags') or [])),
                 ('arch', inputs.get('arch') or plan.get('arch')), ('script_sha256', inputs.get('script_sha256')),
                 ('built_on', manifest.get('built_on'))]
                + [('source.%s' % key, value) for key, value in sorted((inputs.get('source') or {}).items())]
                + [('patch:%s' % label, sha) for label, sha in patches]),
            'components': files,
        }
        references = _external_references(spec)
        if references:
            item['externalReferences'] = references
        if patches:
            item['pedigree'] = {'patches': [
                dict({'type': 'unofficial', 'diff': dict({'url': label}, **(
                    {'text': {'contentType': 'text/x-diff', 'content': patch_texts[label]}} if label in patch_texts else {}))})
                for label, _sha in patches]}
        components.append(item)
        depends = [refs[dep] for dep in spec.get('depends') or () if dep in refs]
        if spec.get('go') in toolchain_refs:
            depends.append(toolchain_refs[spec['go']])
        if name in ('libseccomp', 'tini') or spec.get('depends'):
            depends.extend(ref for ref in (package_ref(package) for package in ('gcc', 'libc6-dev')) if ref)
        depends.extend(ref for ref in (package_ref(package) for package in build_depends.get(name) or ()
                                       if package.startswith('golang-') and package.endswith('-dev')) if ref)
        if spec.get('go') and (spec.get('source') or {}).get('type') == 'debian' and name not in build_depends:
            item['properties'].append({'name': 'sourcebuilt:golang_dev_packages',
                                       'value': 'not recorded: its source is not on the builder that wrote this SBOM'})
        depends.extend(ref for entry in file_depends for ref in entry['dependsOn'])
        dependencies.append({'ref': refs[name], 'dependsOn': sorted(set(depends))})
        # A module's own dependencies are not in the build information: modules get no entry (unknown, not none).
        dependencies.extend(file_depends)

    for ref in sorted(set(package_refs.values()) | set(toolchain_refs.values())):
        dependencies.append({'ref': ref, 'dependsOn': []})
    components.extend(module_items.values())
    dependencies.insert(0, {'ref': release_ref, 'dependsOn': sorted(refs.values())})
    return {
        'bomFormat': 'CycloneDX',
        'specVersion': SPEC_VERSION,
        'serialNumber': 'urn:uuid:%s' % uuid.uuid5(uuid.NAMESPACE_URL, 'sourcebuilt.docker/release/%s' % release['id']),
        'version': 1,
        'metadata': {
            'component': {'type': 'application', 'bom-ref': release_ref, 'name': 'sourcebuilt-docker-release',
                          'version': release['id'],
                          'description': 'Docker engine stack built from source, profile %s' % release.get('profile', '')},
            'tools': {'components': [{'type': 'application', 'name': 'sourcebuilt.docker', 'version': str(tool or collection_version())}]},
            'properties': _properties([('profile', release.get('profile')), ('naming', release.get('naming'))]),
        },
        'components': sorted(components, key=lambda item: item['bom-ref']),
        'dependencies': dependencies,
    }
