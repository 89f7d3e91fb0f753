# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks of the daemon role's settings before any change, and the quoting of dockerd's command line
for a systemd unit and for a file that /bin/sh reads.

Every check returns messages that name the variable and what to do; nothing here raises for bad user
input, so one task can report every problem at once.
"""

from __future__ import annotations

import ipaddress
import json
import re
import shlex
from typing import Any, Callable, Iterable, Optional

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.dockerd_options import (
    FLAG_TO_JSON, SHORT_FLAGS, dockerd_conflicts, dockerd_unknown_options,
)

# Characters that are safe unquoted in a path that lands in a unit file, a shell file and a PATH.
SAFE_PATH = re.compile(r'^/[A-Za-z0-9._+/-]*$')
GROUP_NAME = re.compile(r'^[a-z_][a-z0-9_-]{0,31}$')
CONTROL = re.compile(r'[\x00-\x1f\x7f]')
# Spellings of the options the role sets itself, by the name the role refuses.
RESERVED_ALIASES = {'H': 'host', 'hosts': 'host'}

LOG_LEVELS = ('debug', 'info', 'warn', 'error', 'fatal')
STORAGE_DRIVERS = ('overlay2', 'overlay', 'fuse-overlayfs', 'vfs', 'btrfs', 'zfs', 'devicemapper', 'aufs', 'overlayfs')

# daemon.json keys by the type dockerd reads them as (moby daemon/config); flags are checked by the same key.
BOOL_KEYS = frozenset((
    'debug', 'experimental', 'icc', 'ip-forward', 'ip-masq', 'ip6tables', 'ipv6', 'live-restore', 'no-new-privileges',
    'raw-logs', 'selinux-enabled', 'tls', 'tlsverify', 'userland-proxy', 'init',
))
INT_KEYS = {
    'mtu': (68, 65535), 'max-concurrent-downloads': (1, 1024), 'max-concurrent-uploads': (1, 1024),
    'max-download-attempts': (1, 1024), 'shutdown-timeout': (0, 86400), 'oom-score-adjust': (-1000, 1000),
    'network-control-plane-mtu': (68, 65535),
}
ABS_PATH_KEYS = frozenset((
    'data-root', 'exec-root', 'pidfile', 'userland-proxy-path', 'init-path', 'tlscacert', 'tlscert', 'tlskey',
    'graph',
))
IP_KEYS = {'ip': None, 'default-gateway': 4, 'default-gateway-v6': 6}
CIDR_KEYS = {'fixed-cidr': 4, 'fixed-cidr-v6': 6}
STR_LIST_KEYS = frozenset(('dns', 'dns-opts', 'dns-search', 'exec-opts', 'insecure-registries', 'registry-mirrors',
                           'storage-opts', 'labels', 'authorization-plugins'))
STR_MAP_KEYS = frozenset(('log-opts',))

# daemon.json keys that the daemon role fills from a variable of its own unless daemon_options sets them.
DEDICATED = {'data-root': 'daemon_data_root', 'bridge': 'daemon_bridge', 'storage-driver': 'daemon_storage_driver'}

# The daemon role's own variables: name -> check returning an error text or None.
Check = Callable[[Any], Optional[str]]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _path_error(value: Any, safe: bool) -> Optional[str]:
    if not isinstance(value, str) or not value.startswith('/'):
        return 'must be an absolute path (starting with /), got %r' % (value,)
    if CONTROL.search(value):
        return 'must not contain control characters (newline, tab), got %r' % (value,)
    if safe and not SAFE_PATH.match(value):
        return ('may hold only letters, digits and . _ + - / (it is written into the unit, the init script and PATH), '
                'got %r' % (value,))
    return None


def _int_error(value: Any, low: int, high: int) -> Optional[str]:
    if isinstance(value, str) and re.fullmatch(r'-?[0-9]+', value.strip()):
        value = int(value)
    if not _is_int(value) or not low <= value <= high:
        return 'must be a whole number from %d to %d, got %r' % (low, high, value)
    return None


ROLE_CHECKS: dict[str, Check] = {
    'daemon_bin_dir': lambda v: _path_error(v, safe=True),
    'daemon_install_prefix': lambda v: _path_error(v, safe=True),
    'daemon_group': lambda v: None if isinstance(v, str) and GROUP_NAME.match(v) else (
        'must be a group name (lower case letters, digits, _ and -, at most 32), got %r' % (v,)),
    'daemon_health_timeout': lambda v: _int_error(v, 5, 3600),
    'daemon_log_tail': lambda v: _int_error(v, 0, 100000),
    'daemon_bridge': lambda v: None if isinstance(v, str) and not CONTROL.search(v) and ' ' not in v else (
        'must be empty, none or an interface name, got %r' % (v,)),
    'daemon_log_max_size': lambda v: None if isinstance(v, str) and re.fullmatch(r'([1-9][0-9]{0,8}[kMG]?)?', v) else (
        'must be empty (no cap) or a size logrotate reads: a number with k, M or G (100M), got %r' % (v,)),
    'daemon_log_keep': lambda v: _int_error(v, 1, 1000),
}


TCP_LISTEN = re.compile(r'^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$')
TLS_FILES = ('daemon_tls_ca', 'daemon_tls_cert', 'daemon_tls_key')
TLS_KEYS = ('tls', 'tlsverify', 'tlscacert', 'tlscert', 'tlskey')


def _listen_error(value: Any) -> Optional[str]:
    match = TCP_LISTEN.match(value) if isinstance(value, str) else None
    if value == '' or (match and 1 <= int(match.group(2)) <= 65535):
        return None
    return 'must be empty or ADDRESS:PORT (0.0.0.0:2376, 10.0.0.5:2376, [::1]:2376), got %r' % (value,)


def remote_api_errors(settings: dict) -> list:
    """The remote API over TCP: an address, TLS certificates given all three or none, plain TCP only on purpose."""
    errors = []
    listen = settings.get('daemon_tcp_listen', '')
    files = {name: settings.get(name, '') for name in TLS_FILES}
    for name, value in files.items():
        if not isinstance(value, str) or CONTROL.search(value):
            errors.append('%s must be the path of a PEM file on the controller, or empty, got %r.' % (name, value))
    given = [name for name, value in files.items() if value]
    if given and len(given) < len(TLS_FILES):
        errors.append('daemon_tls_ca, daemon_tls_cert and daemon_tls_key go together (the CA that signs the clients, the '
                      'server certificate and its key); %s is empty.' % ', '.join(n for n in TLS_FILES if n not in given))
    if given and not listen:
        errors.append('daemon_tls_ca, daemon_tls_cert and daemon_tls_key are set but daemon_tcp_listen is empty: set the '
                      'address dockerd listens on (0.0.0.0:2376), or leave the certificates empty.')
    plain = settings.get('daemon_tcp_plain', False)
    if listen and not _listen_error(listen) and not given and plain is False:
        errors.append('daemon_tcp_listen is %s without TLS: anyone who reaches that port controls dockerd, which is root '
                      'on the host. Set daemon_tls_ca, daemon_tls_cert and daemon_tls_key (tlsverify: a client needs a '
                      'certificate signed by that CA), or daemon_tcp_plain: true to allow plain TCP on purpose.' % (listen,))
    if not isinstance(plain, bool):
        errors.append('daemon_tcp_plain must be true or false, got %r.' % (plain,))
    options = settings.get('daemon_options', {})
    taken = [key for key in TLS_KEYS if given and isinstance(options, dict) and key in options]
    if taken:
        errors.append('daemon_options sets %s, which daemon_tls_ca, daemon_tls_cert and daemon_tls_key set; remove it '
                      'from daemon_options.' % ', '.join(taken))
    return errors


def _bool_error(value: Any, from_flag: bool) -> Optional[str]:
    if isinstance(value, bool):
        return None
    if from_flag and isinstance(value, str) and value.lower() in ('true', 'false'):
        return None
    return 'must be true or false%s, got %r' % ('' if from_flag else ' (a JSON boolean, not a string)', value)


def _ip_error(value: Any, version: Optional[int]) -> Optional[str]:
    try:
        address = ipaddress.ip_address(str(value))
    except ValueError:
        return 'must be an IP address, got %r' % (value,)
    if version and address.version != version:
        return 'must be an IPv%d address, got %r' % (version, value)
    return None


def _network_error(value: Any, version: Optional[int], interface: bool = False) -> Optional[str]:
    text = str(value)
    if '/' not in text:
        return 'must be an address with a prefix length (CIDR, like 172.18.0.1/16), got %r' % (value,)
    try:
        network = ipaddress.ip_interface(text) if interface else ipaddress.ip_network(text, strict=False)
    except ValueError as exc:
        return 'is not a valid CIDR (%s), got %r' % (exc, value)
    if version and network.version != version:
        return 'must be an IPv%d CIDR, got %r' % (version, value)
    return None


def _pools_error(value: Any) -> Optional[str]:
    if not isinstance(value, list):
        return 'must be a list of {base: CIDR, size: prefix length}, got %r' % (value,)
    for index, pool in enumerate(value):
        if not isinstance(pool, dict) or set(pool) - {'base', 'size'} or 'base' not in pool:
            return 'item %d must be a dict with base (a CIDR) and size (a prefix length), got %r' % (index, pool)
        error = _network_error(pool['base'], None)
        if error:
            return 'item %d base %s' % (index, error)
        network = ipaddress.ip_network(str(pool['base']), strict=False)
        size = pool.get('size', network.prefixlen)
        if not _is_int(size) or not network.prefixlen <= size <= network.max_prefixlen:
            return 'item %d size must be a prefix length from %d to %d, got %r' % (
                index, network.prefixlen, network.max_prefixlen, size)
    return None


def _option_error(key: str, value: Any, from_flag: bool) -> Optional[str]:
    """The error of one daemon.json key (or the flag of the same meaning), or None."""
    if key in BOOL_KEYS:
        return _bool_error(value, from_flag)
    if key in INT_KEYS:
        return _int_error(value, *INT_KEYS[key])
    if key in ABS_PATH_KEYS:
        return _path_error(value, safe=False)
    if key == 'bip':
        return _network_error(value, 4, interface=True)
    if key in CIDR_KEYS:
        return _network_error(value, CIDR_KEYS[key])
    if key in IP_KEYS:
        return _ip_error(value, IP_KEYS[key])
    if key == 'log-level':
        return None if value in LOG_LEVELS else 'must be one of %s, got %r' % (', '.join(LOG_LEVELS), value)
    if key == 'storage-driver':
        return None if value in STORAGE_DRIVERS else 'must be one of %s, got %r' % (', '.join(STORAGE_DRIVERS), value)
    if key == 'default-address-pools':
        return _pools_error(value)
    if key in STR_LIST_KEYS and not from_flag:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return 'must be a list of strings in daemon.json, got %r' % (value,)
        if key == 'dns':
            return next((_ip_error(item, None) for item in value if _ip_error(item, None)), None)
    if key in STR_MAP_KEYS and not from_flag:
        if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
            return 'must be a dict of strings (quote numbers: "max-size": "10m", "max-file": "3"), got %r' % (value,)
    return None


def _flag_values(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        return ['%s=%s' % item for item in value.items() if item[1] is not None]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [] if value is None else [value]


def _flag_key(name: Any) -> Optional[str]:
    if not isinstance(name, str):
        return None
    stripped = name.lstrip('-')
    stripped = SHORT_FLAGS.get(stripped, stripped) if len(stripped) == 1 else stripped
    return FLAG_TO_JSON.get(stripped, stripped)


def role_choice_errors(settings: dict, flags: dict, daemon_json: dict, options: dict) -> list:
    """The role's choices (iptables, naming, live-restore) and the options it owns or dockerd refuses, for the keys
    ``settings`` holds: daemon_iptables, install_naming, daemon_init (the init system taken), daemon_containerd and
    daemon_live_restore; the flags and daemon.json the role would use are checked whenever ``daemon_init`` is given."""
    errors = []
    if 'daemon_iptables' in settings and str(settings['daemon_iptables']).lower() not in ('auto', 'true', 'false', 'yes', 'no'):
        errors.append('daemon_iptables is %s; allowed: auto, true, false (auto: true unless iptables is missing on the '
                      'host or older than 1.4).' % json.dumps(settings['daemon_iptables']))
    if settings.get('install_naming', 'modern') not in ('modern', 'docker17'):
        errors.append('install_naming is %s; allowed: modern (containerd, containerd-shim-runc-v2, ctr, runc) or docker17 '
                      '(docker-containerd, docker-containerd-shim, docker-containerd-ctr, docker-runc).'
                      % json.dumps(settings['install_naming']))
    if 'daemon_init' not in settings:
        return errors
    reserved = ['iptables', 'host'] + (['containerd'] if settings.get('daemon_containerd') == 'service' else []) \
        + (['pidfile', 'p'] if settings['daemon_init'] == 'sysv' else [])
    used = []
    for key in list(flags) + list(options):
        name = RESERVED_ALIASES.get(str(key).lstrip('-'), str(key).lstrip('-'))
        if name in reserved and name not in used:
            used.append(name)
    if used:
        errors.append('%s set in daemon_flags or daemon_options: iptables is set with daemon_iptables, host with '
                      'daemon_socket_activation (unix socket or fd://), containerd with daemon_containerd, pidfile by the '
                      'SysV script. Remove them from daemon_flags/daemon_options.' % ', '.join(used))
    unknown = dockerd_unknown_options(daemon_json)
    if unknown:
        errors.append('daemon_options holds keys no dockerd knows: %s. dockerd would refuse to start with them; use the '
                      'daemon.json spelling (plural for lists: labels, hosts, log-opts, storage-opts, insecure-registries, '
                      'registry-mirrors, ...) or put a command-line flag in daemon_flags.' % ', '.join(unknown))
    conflicts = dockerd_conflicts(flags, daemon_json)
    if conflicts:
        errors.append('These dockerd options are set both as command-line flags (daemon_flags) and in daemon.json '
                      '(daemon_options, daemon_data_root, daemon_bridge, daemon_storage_driver): %s. dockerd refuses to '
                      'start like that; set each in one place only.' % ', '.join(conflicts))
    if boolean(settings.get('daemon_live_restore', False), strict=False) and 'live-restore' in options:
        errors.append('live-restore is set both with daemon_live_restore and in daemon_options; set daemon_live_restore only.')
    return errors


def dockerd_settings_errors(settings: dict) -> list:
    """Every problem of the daemon role's settings, as messages naming the variable; [] when all is well.

    ``settings`` maps the daemon role's variable names to their values; ``daemon_json`` is the daemon.json the
    role would write (its dedicated variables merged with daemon_options).
    """
    errors = []
    for name, check in ROLE_CHECKS.items():
        if name in settings:
            error = check(settings[name])
            if error:
                errors.append('%s %s.' % (name, error))

    if 'daemon_tcp_listen' in settings:
        errors.extend(remote_api_errors(settings))

    daemon_json = settings.get('daemon_json', {})
    options = settings.get('daemon_options', {})
    if not isinstance(daemon_json, dict) or not isinstance(options, dict):
        errors.append('daemon_options must be a dict of daemon.json keys to values, got %r.' % (options,))
        daemon_json = {}
    for key, value in sorted(daemon_json.items(), key=lambda item: str(item[0])):
        error = _option_error(str(key), value, from_flag=False)
        if error:
            origin = 'daemon_options.%s' % key if key in options else DEDICATED.get(key, 'daemon_options.%s' % key)
            errors.append('%s (daemon.json key %s) %s.' % (origin, key, error))

    flags = settings.get('daemon_flags', {})
    if not isinstance(flags, dict):
        errors.append('daemon_flags must be a dict of dockerd flag names to values, got %r.' % (flags,))
        flags = {}
    errors.extend(role_choice_errors(settings, flags, daemon_json, options))
    for name, value in flags.items():
        key = _flag_key(name)
        for item in _flag_values(value):
            if isinstance(item, str) and CONTROL.search(item):
                errors.append('daemon_flags.%s holds a control character (newline, tab, ...): %r. dockerd flags are one '
                              'line each; put multi-line settings in daemon_options (daemon.json).' % (name, item))
                continue
            error = _option_error(key, item, from_flag=True) if key else None
            if error:
                errors.append('daemon_flags.%s %s.' % (name, error))
    return errors


def systemd_exec_line(argv: list) -> str:
    """argv as an ExecStart= value that systemd splits back into exactly these words.

    Each word is double-quoted; inside, backslash and double quote are escaped, % is doubled (systemd
    specifiers) and $ is doubled (systemd's variable expansion). Control characters are refused by
    dockerd_settings_errors before this is rendered.
    """
    words = []
    for word in argv:
        text = str(word)
        if CONTROL.search(text):
            raise ValueError('systemd_exec_line: %r holds a control character' % (text,))
        text = text.replace('\\', '\\\\').replace('"', '\\"').replace('%', '%%').replace('$', '$$')
        words.append('"%s"' % text)
    return ' '.join(words)


def sh_words(argv: list) -> str:
    """argv as one shell string: each word single-quoted, so `eval "set -- $VAR"` gives back exactly argv."""
    return ' '.join(shlex.quote(str(word)) for word in argv)


def sh_assignment(name: str, value: str) -> str:
    """NAME='value' for a file that /bin/sh sources: nothing in value is expanded or run."""
    if not re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', name):
        raise ValueError('sh_assignment: %r is not a shell variable name' % (name,))
    return '%s=%s' % (name, shlex.quote(value))


def _environment_words(words: list) -> list:
    pairs = []
    for word in words:
        name, sep, value = str(word).partition('=')
        if not sep or not re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', name) or CONTROL.search(value):
            raise ValueError('environment: %r is not NAME=value on one line' % (word,))
        pairs.append((name, value))
    return pairs


def systemd_environment_line(words: list) -> str:
    """NAME=value words as an Environment= value: systemd unquotes and C-unescapes each, expands % specifiers and
    nothing else, so the service gets exactly each value."""
    quoted = []
    for name, value in _environment_words(words):
        text = ('%s=%s' % (name, value)).replace('\\', '\\\\').replace('"', '\\"').replace('%', '%%')
        quoted.append('"%s"' % text)
    return ' '.join(quoted)


def sh_environment(words: list) -> str:
    """NAME=value words as NAME='value' and export NAME lines for a file /bin/sh sources: nothing is expanded or run."""
    return '\n'.join('%s\nexport %s' % (sh_assignment(name, value), name) for name, value in _environment_words(words))


PROXY_NAMES = ('HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy')


def _proxy_error(value: Any) -> Optional[str]:
    if not isinstance(value, dict):
        return ('must be a dict of proxy variables to values, such as {HTTPS_PROXY: "http://proxy.example:3128", '
                'NO_PROXY: "localhost,127.0.0.1"}, got %r' % (value,))
    for name, item in value.items():
        if name not in PROXY_NAMES:
            return 'holds %r; the names dockerd reads are %s' % (name, ', '.join(PROXY_NAMES))
        if not isinstance(item, str) or CONTROL.search(item):
            return 'has %s=%r: each value must be a string on one line' % (name, item)
    return None


# The checks defined below ROLE_CHECKS.
ROLE_CHECKS.update({'daemon_tcp_listen': _listen_error, 'daemon_proxy_env': _proxy_error})
