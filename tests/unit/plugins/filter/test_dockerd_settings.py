# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import subprocess

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.sourcebuilt.docker.plugins.filter import dockerd_command_line as line_plugin
from ansible_collections.sourcebuilt.docker.plugins.filter import dockerd_settings_errors as errors_plugin

errors = errors_plugin.FilterModule().filters()['dockerd_settings_errors']
command_line = line_plugin.FilterModule().filters()['dockerd_command_line']

GOOD = {
    'daemon_data_root': '/var/lib/docker', 'daemon_bin_dir': '/usr/local/bin', 'daemon_install_prefix': '/opt/sb',
    'daemon_group': 'docker', 'daemon_health_timeout': 60, 'daemon_log_tail': 40, 'daemon_storage_driver': '',
    'daemon_bridge': 'none', 'daemon_flags': {'label': ['a=b'], 'debug': 'true', 'mtu': '1400'},
    'daemon_json': {'data-root': '/var/lib/docker', 'bip': '172.18.0.1/16', 'log-level': 'warn', 'live-restore': True,
                    'default-address-pools': [{'base': '10.10.0.0/16', 'size': 24}], 'dns': ['1.1.1.1'],
                    'log-opts': {'max-size': '10m'}, 'mtu': 1500, 'fixed-cidr-v6': 'fd00::/64'},
}

# (settings merged over GOOD, words every message must contain); one row per rule.
BAD = [
    ({'daemon_json': {'data-root': 'docker-data'}}, ['daemon_data_root (daemon.json key data-root) must be an absolute',
                                                     "'docker-data'"]),
    ({'daemon_json': {'storage-driver': 'overlay3'}}, ['daemon_storage_driver (daemon.json key storage-driver) must be']),
    ({'daemon_bin_dir': '/usr/local/bin dir'}, ['daemon_bin_dir may hold only letters']),
    ({'daemon_install_prefix': '$(id)'}, ['daemon_install_prefix must be an absolute path']),
    ({'daemon_group': 'Docker Users'}, ['daemon_group must be a group name']),
    ({'daemon_health_timeout': 0}, ['daemon_health_timeout must be a whole number from 5 to 3600, got 0']),
    ({'daemon_health_timeout': 'soon'}, ['daemon_health_timeout must be a whole number']),
    ({'daemon_log_tail': -1}, ['daemon_log_tail must be a whole number']),
    ({'daemon_bridge': 'br 0'}, ['daemon_bridge must be empty, none or an interface name']),
    ({'daemon_json': {'bip': '10.0.0.1/33'}}, ['(daemon.json key bip', 'is not a valid CIDR', '10.0.0.1/33']),
    ({'daemon_json': {'bip': '10.0.0.1'}}, ['(daemon.json key bip', 'with a prefix length']),
    ({'daemon_json': {'bip': 'fd00::1/64'}}, ['must be an IPv4 CIDR']),
    ({'daemon_json': {'fixed-cidr': 'x/8'}}, ['(daemon.json key fixed-cidr', 'is not a valid CIDR']),
    ({'daemon_json': {'default-gateway': '300.1.1.1'}}, ['(daemon.json key default-gateway) must be an IP address']),
    ({'daemon_json': {'data-root': 'rel'}}, ['(daemon.json key data-root', 'must be an absolute path']),
    ({'daemon_json': {'exec-root': 'run/docker'}}, ['(daemon.json key exec-root', 'absolute path']),
    ({'daemon_json': {'log-level': 'verbose'}}, ['(daemon.json key log-level', 'debug, info, warn, error, fatal']),
    ({'daemon_json': {'storage-driver': 'zfs2'}}, ['(daemon.json key storage-driver) must be one of']),
    ({'daemon_json': {'live-restore': 'yes'}}, ['(daemon.json key live-restore) must be true or false (a JSON boolean']),
    ({'daemon_json': {'mtu': 20}}, ['(daemon.json key mtu) must be a whole number from 68 to 65535, got 20']),
    ({'daemon_json': {'dns': '8.8.8.8'}}, ['(daemon.json key dns) must be a list of strings']),
    ({'daemon_json': {'dns': ['dns.example']}}, ['(daemon.json key dns) must be an IP address']),
    ({'daemon_json': {'log-opts': {'max-file': 3}}}, ['(daemon.json key log-opts) must be a dict of strings']),
    ({'daemon_json': {'default-address-pools': [{'base': '10.0.0.0/8', 'size': 4}]}}, ['item 0 size must be a prefix']),
    ({'daemon_json': {'default-address-pools': [{'bse': '10.0.0.0/8'}]}}, ['item 0 must be a dict with base']),
    ({'daemon_json': {'default-address-pools': [{'base': '10.0.0.0/40'}]}}, ['item 0 base is not a valid CIDR']),
    ({'daemon_options': []}, ['daemon_options must be a dict']),
    ({'daemon_flags': {'label': ['a=b\nc']}}, ['daemon_flags.label holds a control character', 'daemon_options']),
    ({'daemon_flags': {'label': {'x': 'tab\there'}}}, ['daemon_flags.label holds a control character']),
    ({'daemon_flags': {'--bip': '10.0.0.1/33'}}, ['daemon_flags.--bip is not a valid CIDR']),
    ({'daemon_flags': {'debug': 'maybe'}}, ['daemon_flags.debug must be true or false']),
    ({'daemon_flags': {'-l': 'loud'}}, ['daemon_flags.-l must be one of debug']),
    ({'daemon_flags': {'data-root': 'x'}}, ['daemon_flags.data-root must be an absolute path']),
    ({'daemon_flags': ['--debug']}, ['daemon_flags must be a dict']),
    ({'daemon_log_max_size': '100MB'}, ['daemon_log_max_size must be empty (no cap) or a size']),
    ({'daemon_log_max_size': '1;rm'}, ['daemon_log_max_size must be']),
    ({'daemon_log_max_size': 100}, ['daemon_log_max_size must be']),
    ({'daemon_log_keep': 0}, ['daemon_log_keep must be a whole number from 1']),
    # the remote API over TCP
    ({'daemon_tcp_listen': '0.0.0.0'}, ['daemon_tcp_listen must be empty or ADDRESS:PORT']),
    ({'daemon_tcp_listen': '0.0.0.0:70000', 'daemon_tcp_plain': True}, ['daemon_tcp_listen must be empty or ADDRESS:PORT']),
    ({'daemon_tcp_listen': 'tcp://0.0.0.0:2376', 'daemon_tcp_plain': True}, ['daemon_tcp_listen must be']),
    ({'daemon_tcp_listen': '0.0.0.0:2375'}, ['daemon_tcp_listen is 0.0.0.0:2375 without TLS', 'daemon_tcp_plain: true']),
    ({'daemon_tcp_listen': '0.0.0.0:2375', 'daemon_tcp_plain': 'yes'}, ['daemon_tcp_plain must be true or false']),
    ({'daemon_tcp_listen': '[::]:2376', 'daemon_tls_ca': '/c/ca.pem', 'daemon_tls_cert': '/c/cert.pem'},
     ['go together', 'daemon_tls_key is empty']),
    ({'daemon_tls_ca': '/c/ca.pem', 'daemon_tls_cert': '/c/c.pem', 'daemon_tls_key': '/c/k.pem', 'daemon_tcp_listen': ''},
     ['daemon_tcp_listen is empty']),
    ({'daemon_tcp_listen': '10.0.0.5:2376', 'daemon_tls_ca': '/c/ca.pem', 'daemon_tls_cert': '/c/c.pem',
      'daemon_tls_key': 'k\n.pem'}, ['daemon_tls_key must be the path of a PEM file']),
    ({'daemon_tcp_listen': 'h.example:2376', 'daemon_tls_ca': '/c/ca.pem', 'daemon_tls_cert': '/c/c.pem',
      'daemon_tls_key': '/c/k.pem', 'daemon_options': {'tlsverify': False}}, ['daemon_options sets tlsverify']),
]


def test_good_settings_have_no_errors():
    assert errors(GOOD) == []
    assert errors({}) == []
    assert errors(dict(GOOD, daemon_tcp_listen='', daemon_tls_ca='', daemon_tls_cert='', daemon_tls_key='')) == []
    assert errors(dict(GOOD, daemon_tcp_listen='127.0.0.1:2375', daemon_tcp_plain=True)) == []
    assert errors(dict(GOOD, daemon_log_max_size='100M', daemon_log_keep=5)) == []
    assert errors(dict(GOOD, daemon_log_max_size='', daemon_log_keep=1)) == []
    assert errors(dict(GOOD, daemon_tcp_listen='[::1]:2376', daemon_tls_ca='ca.pem', daemon_tls_cert='/c/c.pem',
                       daemon_tls_key='files/k.pem')) == []


@pytest.mark.parametrize('bad, words', BAD, ids=[str(sorted(row[0].items())) for row in BAD])
def test_each_bad_setting_is_named(bad, words):
    found = errors(dict(GOOD, **bad))
    assert len(found) == 1, found
    for word in words:
        assert word in found[0]


def test_every_problem_is_reported_at_once():
    found = errors(dict(GOOD, daemon_group='A', daemon_options={'bip': 'nope'}, daemon_json={'bip': 'nope', 'data-root': 'x'}))
    assert [message.split()[0] for message in found] == ['daemon_group', 'daemon_options.bip', 'daemon_data_root']


# The role's own choices and the options it owns: checked when the role passes daemon_init (its preflight does).
ROLE_GOOD = dict(GOOD, daemon_init='systemd', daemon_containerd='dockerd', daemon_iptables='auto', install_naming='modern',
                 daemon_live_restore=False, daemon_flags={'label': ['a=b']}, daemon_options={'log-level': 'warn'})
ROLE_BAD = [
    ({'daemon_iptables': 'sometimes'}, ['daemon_iptables is "sometimes"; allowed: auto, true, false']),
    ({'install_naming': 'docker18'}, ['install_naming is "docker18"; allowed: modern', 'or docker17']),
    ({'daemon_flags': {'-H': 'tcp://0.0.0.0:2375', 'iptables': 'false'}}, ['host, iptables set in daemon_flags or daemon_options']),
    ({'daemon_options': {'hosts': ['unix:///x']}}, ['host set in daemon_flags or daemon_options']),
    ({'daemon_containerd': 'service', 'daemon_flags': {'containerd': '/run/c.sock'}}, ['containerd set in daemon_flags']),
    ({'daemon_init': 'sysv', 'daemon_flags': {'pidfile': '/run/d.pid'}}, ['pidfile set in daemon_flags']),
    ({'daemon_json': dict(GOOD['daemon_json'], **{'storage-drivr': 'overlay2'})},
     ['daemon_options holds keys no dockerd knows: storage-drivr (did you mean storage-driver?)']),
    ({'daemon_flags': {'data-root': '/srv/docker'}}, ['set both as command-line flags (daemon_flags) and in daemon.json', 'data-root']),
    ({'daemon_live_restore': 'yes', 'daemon_options': {'live-restore': True}},
     ['live-restore is set both with daemon_live_restore and in daemon_options']),
]


def test_the_role_choices_that_are_fine_pass():
    assert errors(ROLE_GOOD) == []
    assert errors(dict(ROLE_GOOD, daemon_init='sysv', daemon_containerd='service', daemon_iptables=False)) == []


@pytest.mark.parametrize('bad, words', ROLE_BAD, ids=[str(sorted(row[0])) for row in ROLE_BAD])
def test_each_bad_role_choice_is_named(bad, words):
    found = errors(dict(ROLE_GOOD, **bad))
    assert len(found) == 1, found
    for word in words:
        assert word in found[0]


# Words that a shell or systemd would rewrite or run if they were not quoted.
NASTY = ['$(touch /tmp/sb-pwned)', '`touch /tmp/sb-pwned`', '${PATH}', '$PATH', '%n', '%%', "it's", 'say "hi"',
         'back\\slash', 'two  spaces', '', '-', ';', '&&', '|', '*', '~', '#hash', '\\"', '\\\\$x']


@pytest.mark.parametrize('style, argv, expected', [
    ('systemd', ['/usr/local/bin/dockerd', '--iptables=false'], '"/usr/local/bin/dockerd" "--iptables=false"'),
    ('systemd', ['--label=a=$(id)'], '"--label=a=$$(id)"'),
    ('systemd', ['--label=%n ${X}'], '"--label=%%n $${X}"'),
    ('systemd', ['--label=a"b\\c'], '"--label=a\\"b\\\\c"'),
    ('sh', ['--label=a=$(id)', "it's"], "'--label=a=$(id)' 'it'\"'\"'s'"),
    ('sh_assignment', ['--x=1'], "DOCKER_OPTS=--x=1"),
])
def test_command_line_table(style, argv, expected):
    assert command_line(argv, style, name='DOCKER_OPTS') == expected


def test_sh_assignment_reads_back_exactly_and_runs_nothing(tmp_path):
    """The defaults file line, sourced by /bin/sh and split as the init script does, gives back every word."""
    argv = ['--label=%s' % word for word in NASTY] + NASTY
    defaults = tmp_path / 'docker'
    defaults.write_text(command_line(argv, 'sh_assignment', name='DOCKER_OPTS') + '\n')
    out = subprocess.run(['/bin/sh', '-c', '. "$1"; eval "set -- $DOCKER_OPTS"; printf "%s\\0" "$@"', 'sh', str(defaults)],
                         capture_output=True, check=True, cwd=tmp_path)
    assert out.stdout.split(b'\0')[:-1] == [word.encode() for word in argv]
    assert not (tmp_path / 'sb-pwned').exists() and not list(tmp_path.glob('*pwned*'))


def test_systemd_line_unescapes_to_the_same_words():
    """systemd's rules for a quoted word: \\\\ and \\" unescape, %% is %, $$ is $ (systemd.service(5))."""
    argv = ['--label=%s' % word for word in NASTY]
    line = command_line(argv, 'systemd')
    words = []
    for quoted in _split_systemd(line):
        words.append(quoted.replace('%%', '%').replace('$$', '$'))
    assert words == argv


def _split_systemd(line):
    """A small reader of double-quoted words with backslash escapes, as systemd's extract_first_word does."""
    words, i = [], 0
    while i < len(line):
        if line[i] == ' ':
            i += 1
            continue
        assert line[i] == '"', line[i:]
        i += 1
        word = ''
        while line[i] != '"':
            if line[i] == '\\':
                i += 1
            word += line[i]
            i += 1
        words.append(word)
        i += 1
    return words


@pytest.mark.parametrize('argv, style', [(['a\nb'], 'systemd'), ('--x', 'sh'), (['x'], 'ini')])
def test_command_line_errors(argv, style):
    with pytest.raises(AnsibleFilterError):
        command_line(argv, style)


PROXY = {'HTTPS_PROXY': 'http://user:p%a$s"s\\w@proxy.example:3128', 'NO_PROXY': 'localhost,127.0.0.1,.corp',
         'http_proxy': "http://it's:$(touch sb-pwned)@p:3128"}


def test_environment_reads_back_exactly_under_sh_and_runs_nothing(tmp_path):
    words = ['%s=%s' % item for item in PROXY.items()] + ['X=%s' % word for word in NASTY]
    defaults = tmp_path / 'docker'
    defaults.write_text(command_line(words, 'sh_environment') + '\n')
    out = subprocess.run(['/bin/sh', '-c', '. "$1"; env -0', 'sh', str(defaults)], capture_output=True, check=True,
                         cwd=tmp_path, env={'PATH': '/usr/bin:/bin'})
    env = dict(item.split('=', 1) for item in out.stdout.decode().split('\0') if item)
    for name, value in PROXY.items():
        assert env[name] == value
    assert env['X'] == NASTY[-1]
    assert not list(tmp_path.glob('*pwned*'))


def test_systemd_environment_unescapes_to_the_same_values():
    """Environment= unquotes and C-unescapes, expands %-specifiers and not $ (systemd.exec(5))."""
    words = ['%s=%s' % item for item in PROXY.items()] + ['X%d=%s' % (i, word) for i, word in enumerate(NASTY)]
    line = command_line(words, 'systemd_environment')
    assert [word.replace('%%', '%') for word in _split_systemd(line)] == words
    assert '$$' not in line


@pytest.mark.parametrize('words', [['NOVALUE'], ['1X=a'], ['A=b\nc'], ['A B=c']])
@pytest.mark.parametrize('style', ['systemd_environment', 'sh_environment'])
def test_environment_refuses(words, style):
    with pytest.raises(AnsibleFilterError):
        command_line(words, style)


@pytest.mark.parametrize('value, words', [
    (['HTTPS_PROXY=x'], 'must be a dict of proxy variables'),
    ({'FTP_PROXY': 'x'}, "holds 'FTP_PROXY'"),
    ({'NO_PROXY': 'a\nb'}, 'each value must be a string on one line'),
    ({'HTTP_PROXY': 3128}, 'each value must be a string'),
])
def test_proxy_env_refused(value, words):
    found = errors(dict(GOOD, daemon_proxy_env=value))
    assert len(found) == 1 and found[0].startswith('daemon_proxy_env ') and words in found[0]


def test_proxy_env_accepted():
    assert errors(dict(GOOD, daemon_proxy_env=PROXY)) == errors(dict(GOOD, daemon_proxy_env={})) == []
