# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Taking over a packaged Docker engine (daemon_adopt): the daemon.json the source-built dockerd gets
(the host's settings the inventory does not set, kept), its data-root and storage driver, kept, and the
package's units to mask. Pure functions, no Ansible import beyond the error class."""

from __future__ import annotations

import json
import re

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.dockerd_options import (
    FLAG_TO_JSON, dockerd_unknown_options, normalize_flag_name)

DEFAULT_DATA_ROOT = '/var/lib/docker'
# Directories a storage driver leaves under the data-root, in the order dockerd prefers them.
DRIVER_DIRS = ('overlay2', 'fuse-overlayfs', 'btrfs', 'zfs', 'aufs', 'overlay', 'devicemapper', 'vfs')
# Driver -> (build tag that leaves it out, first dockerd version without it).
DRIVER_LIMITS = {
    'btrfs': ('exclude_graphdriver_btrfs', None),
    'zfs': ('exclude_graphdriver_zfs', None),
    'devicemapper': ('exclude_graphdriver_devicemapper', (25, 0)),
    'aufs': ('exclude_graphdriver_aufs', (24, 0)),
    'overlay': ('exclude_graphdriver_overlay', (24, 0)),
    'overlay2': ('exclude_graphdriver_overlay2', None),
    'fuse-overlayfs': ('exclude_graphdriver_fuseoverlayfs', None),
    'vfs': (None, None),
}


def _version(text):
    numbers = re.findall(r'\d+', str(text or ''))[:2]
    return tuple(int(n) for n in numbers) if len(numbers) == 2 else None


def storage_driver_error(driver, dockerd_version='', build_tags=None):
    """Why the built dockerd cannot serve `driver` (a sentence), or '' when it can or nothing says it cannot."""
    if not driver:
        return ''
    if driver not in DRIVER_LIMITS:
        return ''
    tag, removed_in = DRIVER_LIMITS[driver]
    version = _version(dockerd_version)
    reason = ''
    if removed_in and version and version >= removed_in:
        reason = f'dockerd {dockerd_version} has no {driver} driver (removed in {removed_in[0]}.{removed_in[1]})'
    elif tag and tag in (build_tags or []):
        reason = f'the dockerd of this release is built with the tag {tag}'
    if not reason:
        return ''
    return (f'The packaged engine stores its images and containers with the {driver} storage driver, and {reason}: '
            f'under it every container and image of the host would seem gone. Nothing was changed. Either move the '
            f'containers to overlay2 under the packaged engine first (docker save/export, volumes backed up, '
            f'storage-driver: overlay2, then re-create them), or build dockerd with {driver} '
            f'(build_component_overrides: {{dockerd: {{build_tags: [...]}}}} without {tag}, on a release that still has it).')


def _flag_json_keys(flags):
    """daemon.json keys of the dockerd command-line flags (daemon_flags plus the role's own)."""
    keys = set()
    for raw in flags or []:
        name = normalize_flag_name(raw, 'adopt_plan')
        keys.update((name, FLAG_TO_JSON.get(name, name)))
    return keys


def parse_info(text):
    """`docker info --format '{{.Driver}} {{.DockerRootDir}}'` -> (driver, data_root), or ('', '')."""
    words = str(text or '').split()
    if len(words) == 2 and words[1].startswith('/'):
        return words[0], words[1]
    return '', ''


def adopt_plan(existing, inventory_json, flags=(), inventory_keys=(), info='', driver_dirs=(), dockerd_version='',
               build_tags=None, default_data_root=DEFAULT_DATA_ROOT, host='this host'):
    """The daemon.json the source-built dockerd gets on an adopted host, what it keeps and overrides, and the errors.

    existing: the packaged engine's daemon.json (dict, JSON text, or '' when there is none).
    inventory_json: the daemon.json the inventory makes (daemon_options over the dedicated variables).
    flags: the names of the dockerd flags (daemon_flags and the role's own: host, iptables, ...).
    inventory_keys: the daemon.json keys the inventory sets on purpose (daemon_options, daemon_bridge, ...);
      data-root is set on purpose when it differs from default_data_root.
    info: `docker info` of the running packaged engine (driver and data-root); driver_dirs: the storage
      driver directories found under its data-root (when it does not answer)."""
    errors = []
    if isinstance(existing, str):
        try:
            existing = json.loads(existing) if existing.strip() else {}
        except ValueError as exc:
            existing = {}
            errors.append(f'The daemon.json of the packaged engine on {host} is not valid JSON ({exc}); fix or remove it. '
                          'Nothing was changed.')
    if existing is None:
        existing = {}
    if not isinstance(existing, dict) or not isinstance(inventory_json, dict):
        raise AnsibleFilterError('adopt_plan expects the existing daemon.json and the inventory daemon.json as dicts')
    flag_keys = _flag_json_keys(flags)
    set_keys = set(inventory_keys)

    info_driver, info_root = parse_info(info)
    data_root = existing.get('data-root') or existing.get('graph') or info_root or DEFAULT_DATA_ROOT
    wanted_root = inventory_json.get('data-root', default_data_root)
    if wanted_root != default_data_root and wanted_root != data_root:
        errors.append(f'daemon_data_root is {wanted_root}, but the packaged engine on {host} keeps its containers in '
                      f'{data_root}. Adoption keeps the data-root: set daemon_data_root: {data_root} (or leave it at '
                      f'its default), or move the data under the packaged engine first. Nothing was changed.')

    driver = info_driver or existing.get('storage-driver') or next((d for d in DRIVER_DIRS if d in set(driver_dirs)), '')
    wanted_driver = inventory_json.get('storage-driver', '')
    if wanted_driver and driver and wanted_driver != driver:
        errors.append(f'daemon_storage_driver (or storage-driver in daemon_options) is {wanted_driver}, but the packaged '
                      f'engine on {host} uses {driver}: its containers and images would seem gone. Adoption keeps the '
                      f'storage driver: set it to {driver} or leave it empty. Nothing was changed.')
    driver_error = storage_driver_error(driver, dockerd_version, build_tags)
    if driver_error:
        errors.append(driver_error)

    merged, kept, overridden, dropped = {}, [], [], []
    for key in sorted(existing):
        value = existing[key]
        if key in ('graph',):
            dropped.append({'key': key, 'was': value, 'why': 'renamed data-root'})
        elif key in flag_keys:
            dropped.append({'key': key, 'was': value, 'why': 'a command-line flag the role sets'})
        elif key in set_keys and key in inventory_json:
            if inventory_json[key] != value:
                overridden.append({'key': key, 'was': value, 'now': inventory_json[key]})
        else:
            merged[key] = value
            kept.append(key)
    for key, value in inventory_json.items():
        if key in kept and key not in set_keys:
            continue
        merged[key] = value
    merged['data-root'] = data_root if wanted_root == default_data_root else wanted_root
    if driver and not driver_error:
        merged['storage-driver'] = driver
    elif driver_error:
        merged.pop('storage-driver', None)
    errors.extend(f'The daemon.json of the packaged engine on {host} holds {name}, which the source-built dockerd does not '
                  'know; remove it from that file (or from daemon_options) first. Nothing was changed.'
                  for name in dockerd_unknown_options({k: existing[k] for k in kept}))
    report = ([f"kept {key}={json.dumps(existing[key], sort_keys=True)}" for key in kept]
              + [f"overridden {o['key']}: {json.dumps(o['was'], sort_keys=True)} -> {json.dumps(o['now'], sort_keys=True)}"
                 for o in overridden]
              + [f"dropped {d['key']}={json.dumps(d['was'], sort_keys=True)} ({d['why']})" for d in dropped])
    return {'daemon_json': merged, 'kept': kept, 'overridden': overridden, 'dropped': dropped, 'report': report,
            'data_root': merged['data-root'], 'storage_driver': driver, 'errors': errors}
