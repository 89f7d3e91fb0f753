# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The groundwork of the Python-free deploy path (issue #15) against real hosts, over community.docker.docker.

Needs the Docker engine and the legacy images (tests/harness/harness.py engine; images --set legacy), which the
session fixture makes sure of, and `make collection`. Run from the repository root:

    .venv/bin/python -m pytest tests/legacy -v

Hosts (instances named sb-legacy-*, removed at the end):
  sb-legacy-nopy     Debian 12, sysvinit as PID 1, no Python
  sb-legacy-busybox  busybox-static only, busybox init as PID 1
  sb-legacy-py2      Debian 11, sysvinit, python2.7 only (the stand-in for CentOS 7)
  sb-legacy-modules  Debian 12 with sysvinit and python3 (the sysv scenario's image): the modules path
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, '.cache', 'collections'))

from ansible_collections.sourcebuilt.docker.plugins.plugin_utils.legacy_target import (  # noqa: E402
    preflight_report, target_path)

HARNESS = os.path.join(REPO, 'tests', 'harness', 'harness.py')
VENV_BIN = os.path.join(REPO, '.venv', 'bin')
HOSTS = {
    'sb-legacy-nopy': 'localhost/sourcebuilt-debian12-nopython',
    'sb-legacy-busybox': 'localhost/sourcebuilt-busybox-host',
    'sb-legacy-py2': 'localhost/sourcebuilt-debian11-python2',
    'sb-legacy-modules': 'localhost/sourcebuilt-debian12-sysv',
}
SHELL_HOSTS = ['sb-legacy-nopy', 'sb-legacy-busybox', 'sb-legacy-py2']
PROBE = os.path.join(REPO, 'playbooks', 'files', 'target_probe.sh')
PREFLIGHT = os.path.join(REPO, 'roles', 'daemon', 'files', 'preflight.sh')
HELPER = '/opt/sourcebuilt-docker/helpers/busybox'


def env():
    return dict(os.environ, PATH=f"{VENV_BIN}:{os.environ['PATH']}", ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'),
                ANSIBLE_STDOUT_CALLBACK='ansible.posix.json', ANSIBLE_LOAD_CALLBACK_PLUGINS='1',
                ANSIBLE_CALLBACKS_ENABLED='ansible.posix.json', ANSIBLE_FORCE_COLOR='false')


def ansible(hosts, module, args, *extra):
    """Run one ad-hoc module on hosts; return {host: result}."""
    proc = subprocess.run(['ansible', 'all', '-i', ','.join(hosts) + ',', '-c', 'community.docker.docker',
                           '-m', module, '-a', args, *extra], capture_output=True, text=True, env=env(), check=False)
    assert proc.stdout, proc.stderr
    return json.loads(proc.stdout)['plays'][0]['tasks'][0]['hosts']


def playbook(hosts, path, *extra):
    """Run a playbook on hosts; return (stats by host, the debug messages of the last task by host)."""
    proc = subprocess.run(['ansible-playbook', '-i', ','.join(hosts) + ',', '-c', 'community.docker.docker',
                           path, *extra], capture_output=True, text=True, env=env(), check=False)
    assert proc.stdout, proc.stderr
    out = json.loads(proc.stdout)
    tasks = out['plays'][0]['tasks']
    return out['stats'], tasks, {h: r.get('msg') for h, r in tasks[-1]['hosts'].items()}


def docker_exec(host, cmd):
    return subprocess.run(['docker', 'exec', host, 'sh', '-c', cmd], capture_output=True, text=True, check=False)


@pytest.fixture(scope='session')
def hosts():
    python = sys.executable
    subprocess.run([python, HARNESS, 'engine'], check=True)
    subprocess.run([python, HARNESS, 'images', '--set', 'legacy'], check=True)
    if subprocess.run(['docker', 'image', 'inspect', HOSTS['sb-legacy-modules']], capture_output=True).returncode:
        subprocess.run([python, HARNESS, 'images'], check=True)
    for name, image in HOSTS.items():
        subprocess.run([python, HARNESS, 'instance', name, '--image', image], check=True)
    yield list(HOSTS)
    subprocess.run([python, HARNESS, 'instance-rm', *HOSTS], check=True)


def test_hosts_are_what_they_claim(hosts):
    check = ('for p in python3 python python2; do command -v "$p" >/dev/null 2>&1 && echo "has $p $($p -V 2>&1)"; done;'
             ' echo "pid1 $(readlink /proc/1/exe)"; ls -l /bin/ls | sed "s/.* -> /ls -> /"; true')
    out = {h: r['stdout'].replace('\r', '') for h, r in ansible(hosts, 'raw', check).items()}
    assert 'has ' not in out['sb-legacy-nopy']
    assert 'has ' not in out['sb-legacy-busybox']
    assert 'has python3' not in out['sb-legacy-py2']
    assert 'has python Python 2.7.18' in out['sb-legacy-py2']
    assert 'has python2 Python 2.7.18' in out['sb-legacy-py2']
    assert 'pid1 /bin/busybox' in out['sb-legacy-busybox']
    assert 'ls -> /bin/busybox' in out['sb-legacy-busybox']  # no coreutils
    for host in ('sb-legacy-nopy', 'sb-legacy-py2'):
        assert 'pid1 /sbin/init' in out[host] or 'pid1 /usr/sbin/init' in out[host], out[host]
    # what a minimal Debian host has: procps, iproute2, tar, gzip, coreutils
    tools = ansible(['sb-legacy-nopy'], 'raw', 'for t in ps ip tar gzip sha256sum runlevel; do command -v $t; done')
    assert len(tools['sb-legacy-nopy']['stdout'].split()) == 6


def test_probe_decides_the_path(hosts):
    with open(PROBE, encoding='utf-8') as f:
        results = ansible(hosts, 'raw', f.read())
    decided = {h: target_path(r['stdout']) for h, r in results.items()}
    for host in SHELL_HOSTS:
        assert decided[host]['path'] == 'shell', decided[host]
        assert decided[host]['interpreter'] is None
        assert decided[host]['shell_path_blockers'] == []
        assert decided[host]['sha256_helper'] is False
        assert decided[host]['enable_with'] == ('rc-links' if host == 'sb-legacy-busybox' else 'update-rc.d')
    assert decided['sb-legacy-py2']['reason'].startswith('no Python >= 3.9 (found: /usr/bin/python 2.7.18')
    assert decided['sb-legacy-nopy']['reason'] == 'no Python >= 3.9 (found: none)'
    modules = decided['sb-legacy-modules']
    assert (modules['path'], modules['interpreter']) == ('modules', '/usr/bin/python3.11')
    assert target_path(results['sb-legacy-modules']['stdout'], 'shell')['path'] == 'shell'
    # the decision holds: a module runs with the chosen interpreter, and none runs on the python2.7 host
    pong = ansible(['sb-legacy-modules'], 'ansible.builtin.ping', '', '-e',
                   f"ansible_python_interpreter={modules['interpreter']}")
    assert pong['sb-legacy-modules']['ping'] == 'pong'
    refused = ansible(['sb-legacy-py2'], 'ansible.builtin.ping', '', '-e', 'ansible_python_interpreter=/usr/bin/python')
    assert refused['sb-legacy-py2'].get('failed') is True


def test_preflight_on_the_hosts(hosts):
    results = ansible(SHELL_HOSTS, 'script', f'{PREFLIGHT} --go-version 1.26.5 --iptables auto --disk /var/lib/docker:512')
    for host, result in results.items():
        report = preflight_report(result['stdout'])
        assert report['passed'], (host, report['failed'])
        assert result['rc'] == 0
        checks = report['checks']
        assert checks['kernel']['status'] == 'ok'
        assert checks['go-runtime']['status'] == 'ok'
        assert checks['storage.overlay2']['status'] == 'ok'
        assert all(checks[f'cgroup.{c}']['status'] == 'ok' for c in ('cpu', 'memory', 'devices', 'freezer', 'cpuset'))
        assert checks['disk:/var/lib/docker']['status'] == 'ok'
        # no iptables on any of these hosts: a warning under auto
        assert checks['iptables'] == {'status': 'warn', 'message': 'no iptables command: dockerd will run with --iptables=false'}
        assert checks['kernel-config']['status'] in ('ok', 'skip')
    # the same script as the text of a raw command (no file put on the host at all), arguments set first
    with open(PREFLIGHT, encoding='utf-8') as f:
        text = f.read()
    raw = ansible(SHELL_HOSTS, 'raw', f'set -- --go-version 1.26.5 --iptables auto --disk /var/lib/docker:512\n{text}')
    for host, result in raw.items():
        statuses = {k: v['status'] for k, v in preflight_report(result['stdout'])['checks'].items()}
        assert statuses == {k: v['status'] for k, v in preflight_report(results[host]['stdout'])['checks'].items()}, host
    refused = ansible(['sb-legacy-busybox'], 'script', f'{PREFLIGHT} --kernel-min 99 --iptables yes --disk /:99999999')
    report = preflight_report(refused['sb-legacy-busybox']['stdout'])
    assert refused['sb-legacy-busybox']['rc'] == 1
    failed = [f.split(':')[0] for f in report['failed']]
    assert failed[:3] == ['kernel', 'iptables', 'disk']
    # with iptables asked for, any netfilter option this kernel lacks fails too (here: NETFILTER_XT_MATCH_IPVS)
    assert all(key.startswith('config.') for key in failed[3:])


def test_sha256_helper(hosts, tmp_path_factory):
    """nopy plays CentOS 4 (its sha256sum removed); busybox is made to use the helper; py2 keeps its own tool."""
    cache = tmp_path_factory.mktemp('helper-cache')
    assert docker_exec('sb-legacy-nopy', 'rm -f /usr/bin/sha256sum && ! command -v sha256sum').returncode == 0
    pb = os.path.join(REPO, 'tests', 'legacy', 'sha256_helper.yml')
    args = ['-e', f'sourcebuilt_sha256_helper_dir={cache}',
            '-e', f"sourcebuilt_sha256_helper_fetch={os.path.join(REPO, 'playbooks', 'files', 'sha256_helper_fetch.sh')}",
            '-e', '{"sourcebuilt_sha256_helper_force": "{{ inventory_hostname == \'sb-legacy-busybox\' }}"}']
    shell_hosts = SHELL_HOSTS

    stats, tasks, msgs = playbook(shell_hosts, pb, *args)
    assert {h: s['failures'] for h, s in stats.items()} == dict.fromkeys(shell_hosts, 0), msgs
    # 3 changes on each host that gets the helper, + 1 on the first host for the controller cache it filled
    assert {h: s['changed'] for h, s in stats.items()} == {'sb-legacy-nopy': 4, 'sb-legacy-busybox': 3, 'sb-legacy-py2': 0}
    assert msgs['sb-legacy-nopy'] == f'sha256 sb-legacy-nopy {HELPER} sha256sum | f: OK'
    assert msgs['sb-legacy-busybox'] == f'sha256 sb-legacy-busybox {HELPER} sha256sum | f: OK'
    assert msgs['sb-legacy-py2'] == 'sha256 sb-legacy-py2 /usr/bin/sha256sum | f: OK'
    checked = next(t for t in tasks if t['task']['name'].endswith('Check the copy and put it in place'))['hosts']
    assert checked['sb-legacy-nopy']['stdout'].strip() == 'checked sha256 cksum'  # coreutils cksum on the host
    assert checked['sb-legacy-busybox']['stdout'].strip() == 'checked sha256 md5'  # busybox has no cksum
    fetched = next(t for t in tasks if t['task']['name'].endswith('Fetch the helper into the controller cache'))
    assert json.loads(fetched['hosts']['sb-legacy-nopy']['stdout'])['state'] == 'fetched'

    stats, _, msgs = playbook(shell_hosts, pb, *args)
    assert {h: (s['changed'], s['failures']) for h, s in stats.items()} == dict.fromkeys(shell_hosts, (0, 0)), msgs

    # a damaged helper is replaced; --check changes nothing on the host
    assert docker_exec('sb-legacy-nopy', f'echo x >>{HELPER}').returncode == 0
    stats, _, msgs = playbook(shell_hosts, pb, *args)
    assert {h: s['changed'] for h, s in stats.items()} == {'sb-legacy-nopy': 3, 'sb-legacy-busybox': 0, 'sb-legacy-py2': 0}
    assert msgs['sb-legacy-nopy'].endswith('| f: OK')
    assert docker_exec('sb-legacy-nopy', f'rm -f {HELPER}').returncode == 0
    stats, _, _ = playbook(shell_hosts, pb, '--check', *args)
    assert {h: (s['changed'], s['failures']) for h, s in stats.items()} == dict.fromkeys(shell_hosts, (0, 0))
    assert docker_exec('sb-legacy-nopy', f'test -e {HELPER} || test -e {HELPER}.new').returncode == 1


def test_fetch_refuses_a_tampered_package(tmp_path):
    """sha256_helper_fetch.sh takes the binary only when it matches the package's own md5sums."""
    fetch = os.path.join(REPO, 'playbooks', 'files', 'sha256_helper_fetch.sh')
    good = subprocess.run([fetch, str(tmp_path / 'good')], capture_output=True, text=True, check=True)
    helper = json.loads(good.stdout)
    pkg = tmp_path / 'pkg'
    (pkg / 'DEBIAN').mkdir(parents=True)
    (pkg / 'bin').mkdir()
    shutil.copy(helper['path'], pkg / 'bin' / 'busybox')
    with open(pkg / 'bin' / 'busybox', 'ab') as f:
        f.write(b'tampered')
    (pkg / 'DEBIAN' / 'control').write_text('Package: busybox-static\nVersion: 1:0-test\nArchitecture: amd64\n'
                                           'Maintainer: test <test@example.org>\nDescription: test\n')
    (pkg / 'DEBIAN' / 'md5sums').write_text(f"{helper['md5']}  bin/busybox\n")
    subprocess.run(['dpkg-deb', '-b', str(pkg), str(tmp_path / 'bad.deb')], capture_output=True, check=True)
    bad = subprocess.run([fetch, str(tmp_path / 'bad'), str(tmp_path / 'bad.deb')], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "does not match the package's md5sums" in bad.stderr
    assert not (tmp_path / 'bad' / 'busybox').exists()
