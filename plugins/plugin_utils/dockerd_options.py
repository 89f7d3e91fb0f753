# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controller-side helpers for dockerd command line flags and daemon.json (used by filter plugins)."""

from __future__ import annotations

import difflib
import json

from ansible.errors import AnsibleFilterError

# dockerd short flags -> long flag names.
SHORT_FLAGS = {
    'H': 'host',
    'b': 'bridge',
    'D': 'debug',
    'G': 'group',
    'l': 'log-level',
    'p': 'pidfile',
    's': 'storage-driver',
    'g': 'graph',
}

# Flag names whose daemon.json key is spelled differently (flag -> daemon.json key).
FLAG_TO_JSON = {
    'label': 'labels',
    'insecure-registry': 'insecure-registries',
    'registry-mirror': 'registry-mirrors',
    'storage-opt': 'storage-opts',
    'log-opt': 'log-opts',
    'exec-opt': 'exec-opts',
    'host': 'hosts',
    'dns-opt': 'dns-opts',
    'authorization-plugin': 'authorization-plugins',
    'add-runtime': 'runtimes',
    'default-ulimit': 'default-ulimits',
    'node-generic-resource': 'node-generic-resources',
    'feature': 'features',
    'graph': 'data-root',
}

# Every daemon.json key some dockerd from 17.05 to 29.x reads (the json tags of moby's daemon/config
# and registry packages at v17.05.0-ce, v20.10.24, v28.5.2 and docker-v29.7.2). dockerd refuses to
# start on any other key ("the following directives don't match any configuration option").
DAEMON_JSON_KEYS = frozenset((
    'allow-direct-routing', 'allow-nondistributable-artifacts', 'api-cors-header', 'api-enable-cors',
    'authorization-plugins', 'bip', 'bip6', 'bridge', 'bridge-accept-fwmark', 'builder', 'cdi-spec-dirs',
    'cgroup-parent', 'cluster-advertise', 'cluster-store', 'cluster-store-opts', 'containerd',
    'containerd-namespace', 'containerd-plugin-namespace', 'cpu-rt-period', 'cpu-rt-runtime', 'cri-containerd',
    'data-root', 'debug', 'default-address-pools', 'default-cgroupns-mode', 'default-gateway', 'default-gateway-v6',
    'default-init', 'default-ipc-mode', 'default-network-opts', 'default-runtime', 'default-shm-size',
    'default-stop-timeout', 'default-ulimits', 'deprecated-key-path', 'device', 'disable-legacy-registry', 'dns',
    'dns-opts', 'dns-search', 'exec-opts', 'exec-root', 'experimental', 'features', 'firewall-backend', 'fixed-cidr',
    'fixed-cidr-v6', 'graph', 'group', 'host-gateway-ip', 'host-gateway-ips', 'hosts', 'http-proxy', 'https-proxy',
    'icc', 'init', 'init-path', 'insecure-registries', 'ip', 'ip-forward', 'ip-forward-no-drop', 'ip-masq',
    'ip6tables', 'iptables', 'ipv6', 'labels', 'live-restore', 'log-driver', 'log-format', 'log-level', 'log-opts',
    'max-concurrent-downloads', 'max-concurrent-uploads', 'max-download-attempts', 'metrics-addr', 'min-api-version',
    'mtu', 'network-control-plane-mtu', 'network-diagnostic-port', 'network-host', 'no-new-privileges', 'no-proxy',
    'node-generic-resources', 'nri-opts', 'oom-score-adjust', 'pidfile', 'proxies', 'raw-logs', 'registry-mirrors',
    'resolv-conf', 'rootless', 'runtimes', 'seccomp-profile', 'security-insecure', 'selinux-enabled',
    'shutdown-timeout', 'storage-driver', 'storage-opts', 'swarm-default-advertise-addr', 'swarm-raft-election-tick',
    'swarm-raft-heartbeat-tick', 'tls', 'tlscacert', 'tlscert', 'tlskey', 'tlsverify', 'userland-proxy',
    'userland-proxy-path', 'userns-remap',
))

JSON_TO_FLAG = {value: key for key, value in FLAG_TO_JSON.items() if key != 'graph'}
# daemon.json also accepted the deprecated "graph" key; it is the same setting as data-root.
JSON_TO_FLAG['graph'] = 'data-root'


def normalize_flag_name(name, filter_name='dockerd_flags'):
    """Strip leading dashes and expand dockerd's short flags. Raises AnsibleFilterError for invalid names."""
    if not isinstance(name, str):
        raise AnsibleFilterError('%s: option names must be strings, got %s %r' % (filter_name, type(name).__name__, name))
    stripped = name.lstrip('-')
    if not stripped or any(char.isspace() for char in stripped) or '=' in stripped:
        raise AnsibleFilterError(
            "%s: invalid option name %r; use the dockerd flag name, for example 'iptables' or '--iptables'" % (filter_name, name))
    if len(stripped) == 1:
        if stripped not in SHORT_FLAGS:
            raise AnsibleFilterError(
                '%s: unknown short flag %r; supported short flags: %s (or use the long name)'
                % (filter_name, name, ', '.join('-%s' % key for key in sorted(SHORT_FLAGS))))
        return SHORT_FLAGS[stripped]
    return stripped


def _scalar(value, key, where):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise AnsibleFilterError(
        "dockerd_flags: option %r: unsupported value type %s%s; allowed are strings, numbers, booleans, "
        "a list of those (repeated flag) or a dict of those (repeated --%s=key=value)"
        % (key, type(value).__name__, ' ' + where if where else '', key))


def dockerd_flags(options):
    """Convert a dict of dockerd options into a sorted list of ``--key=value`` strings."""
    if options is None:
        return []
    if not isinstance(options, dict):
        raise AnsibleFilterError(
            'dockerd_flags: input must be a dict of dockerd option names to values, got %s' % type(options).__name__)
    normalized = {}
    for raw_key, value in options.items():
        key = normalize_flag_name(raw_key)
        if key in normalized:
            raise AnsibleFilterError(
                'dockerd_flags: option %r is given twice (as %r and %r); keep one of them'
                % (key, normalized[key][0], raw_key))
        normalized[key] = (raw_key, value)

    flags = []
    for key in sorted(normalized):
        value = normalized[key][1]
        if value is None:
            continue
        if isinstance(value, dict):
            for sub_key in sorted(value, key=str):
                sub_value = value[sub_key]
                if sub_value is None:
                    continue
                if not isinstance(sub_key, str):
                    raise AnsibleFilterError('dockerd_flags: option %r: dict keys must be strings, got %r' % (key, sub_key))
                flags.append('--%s=%s=%s' % (key, sub_key, _scalar(sub_value, key, 'for dict key %r' % sub_key)))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                flags.append('--%s=%s' % (key, _scalar(item, key, 'in list item %d (nested lists/dicts are not allowed)' % index)))
        else:
            flags.append('--%s=%s' % (key, _scalar(value, key, '')))
    return flags


def _flag_names_from_list(flags):
    names = {}
    for index, item in enumerate(flags):
        if not isinstance(item, str):
            raise AnsibleFilterError(
                'dockerd_conflicts: flags[%d] must be a string like --key=value, got %s' % (index, type(item).__name__))
        item = item.strip()
        if not item.startswith('-') or item in ('-', '--'):
            # A separate value token of the previous flag (['--host', 'unix://...']).
            continue
        name = item.split('=', 1)[0].split(None, 1)[0]
        if name.startswith('--'):
            long_name = normalize_flag_name(name, 'dockerd_conflicts')
        else:
            # A short flag, possibly with its value attached (-Hunix://...).
            long_name = normalize_flag_name(name[:2], 'dockerd_conflicts')
        names.setdefault(long_name, long_name)
    return names


def _canonical(flag_name):
    """The daemon.json key a flag maps to."""
    return FLAG_TO_JSON.get(flag_name, flag_name)


def dockerd_conflicts(flags, daemon_json):
    """Return the sorted list of options set both as dockerd flags and in daemon.json."""
    if flags is None:
        flag_names = {}
    elif isinstance(flags, dict):
        flag_names = {}
        for raw_key, value in flags.items():
            if value is None:
                continue
            name = normalize_flag_name(raw_key, 'dockerd_conflicts')
            flag_names[name] = name
    elif isinstance(flags, (list, tuple)):
        flag_names = _flag_names_from_list(flags)
    else:
        raise AnsibleFilterError(
            'dockerd_conflicts: flags must be a dict of options or a list of --key=value strings, got %s' % type(flags).__name__)

    if daemon_json is None:
        daemon_json = {}
    elif isinstance(daemon_json, str):
        try:
            daemon_json = json.loads(daemon_json) if daemon_json.strip() else {}
        except ValueError as exc:
            raise AnsibleFilterError('dockerd_conflicts: daemon_json is a string but not valid JSON: %s' % exc)
    if not isinstance(daemon_json, dict):
        raise AnsibleFilterError('dockerd_conflicts: daemon_json must be a dict (the daemon.json content), got %s' % type(daemon_json).__name__)

    by_canonical_flag = {}
    for name in flag_names:
        by_canonical_flag.setdefault(_canonical(name), name)
    by_canonical_json = {}
    for key in daemon_json:
        if not isinstance(key, str):
            continue
        canonical = key if key not in JSON_TO_FLAG else _canonical(JSON_TO_FLAG[key])
        by_canonical_json.setdefault(canonical, key)

    result = []
    for canonical in set(by_canonical_flag) & set(by_canonical_json):
        flag_name = by_canonical_flag[canonical]
        json_key = by_canonical_json[canonical]
        if flag_name == json_key:
            result.append(flag_name)
        else:
            result.append('%s (daemon.json: %s)' % (flag_name, json_key))
    return sorted(result)


def dockerd_unknown_options(daemon_json):
    """Return the daemon.json keys no dockerd knows, each with the closest known key when there is one."""
    if daemon_json is None:
        return []
    if not isinstance(daemon_json, dict):
        raise AnsibleFilterError('dockerd_unknown_options: input must be a dict (the daemon.json content), got %s'
                                 % type(daemon_json).__name__)
    result = []
    for key in sorted(str(k) for k in daemon_json):
        if key in DAEMON_JSON_KEYS:
            continue
        close = difflib.get_close_matches(key, sorted(DAEMON_JSON_KEYS), n=1)
        result.append('%s (did you mean %s?)' % (key, close[0]) if close else key)
    return result
