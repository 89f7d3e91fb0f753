# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/daemon/files/preflight.sh against fake /proc, /boot and /lib/modules trees (--root, --kernel-release),
under dash and bash --posix; its output read back with the preflight_report filter. The same script runs on the
real legacy hosts in tests/legacy/."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess

import pytest

from ansible_collections.sourcebuilt.docker.plugins.filter import preflight_report as preflight_plugin

preflight_report = preflight_plugin.FilterModule().filters()['preflight_report']

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, 'roles', 'daemon', 'files', 'preflight.sh')
SHELLS = [shell for shell in (['dash'], ['bash', '--posix']) if shutil.which(shell[0])]

V1_MOUNTS = ''.join(f'cgroup /sys/fs/cgroup/{c} cgroup rw,nosuid,{c} 0 0\n'
                    for c in ('cpu,cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'blkio', 'pids'))
V2_MOUNTS = 'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec 0 0\n'
PROC_CGROUPS = '#subsys_name\thierarchy\tnum_cgroups\tenabled\n' + ''.join(
    f'{c}\t0\t1\t1\n' for c in ('cpuset', 'cpu', 'cpuacct', 'blkio', 'memory', 'devices', 'freezer', 'pids'))
# The "Generally Necessary" options of moby's contrib/check-config.sh.
CONFIG_ALWAYS = ('NAMESPACES NET_NS PID_NS IPC_NS UTS_NS CGROUPS CGROUP_CPUACCT CGROUP_DEVICE CGROUP_FREEZER CGROUP_SCHED '
                 'CPUSETS MEMCG KEYS VETH BRIDGE POSIX_MQUEUE').split()
CONFIG_NETFILTER = ('BRIDGE_NETFILTER IP_NF_FILTER IP_NF_MANGLE IP_NF_TARGET_MASQUERADE IP6_NF_FILTER IP6_NF_MANGLE '
                    'IP6_NF_TARGET_MASQUERADE NETFILTER_XT_MATCH_ADDRTYPE NETFILTER_XT_MATCH_CONNTRACK '
                    'NETFILTER_XT_MATCH_IPVS NETFILTER_XT_MARK IP_NF_RAW IP_NF_NAT NF_NAT IP6_NF_RAW IP6_NF_NAT').split()
CONFIG_OLD = ['DEVPTS_MULTIPLE_INSTANCES', 'NF_NAT_IPV4', 'NF_NAT_NEEDED']  # kernels before 4.8 / 5.2 / 5.3
CONFIG_NEW = ['CGROUP_BPF']  # kernels from 4.15


def config_text(options, unset=()):
    lines = ['# Linux kernel config']
    for opt in options:
        lines.append(f'# CONFIG_{opt} is not set' if opt in unset else f'CONFIG_{opt}=m' if 'NF' in opt else f'CONFIG_{opt}=y')
    return '\n'.join(lines) + '\n'


def fake_root(tmp_path, mounts=V1_MOUNTS, cgroups=PROC_CGROUPS, filesystems='nodev\tproc\nnodev\toverlay\n',
              files=None):
    root = tmp_path / 'root'
    tree = {'proc/self/mounts': mounts, 'proc/cgroups': cgroups, 'proc/filesystems': filesystems, **(files or {})}
    for rel, content in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        if rel.endswith('/iptables'):
            path.chmod(0o755)
    return root


def run(root, release='6.1.0-28-amd64', *args, shell=('sh',)):
    cmd = [*shell, SCRIPT, '--root', str(root), '--kernel-release', release, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={'PATH': '/usr/bin:/bin'}, check=False)
    assert proc.stderr == ''
    return proc


def lines(proc, prefix=''):
    return [line for line in proc.stdout.splitlines() if line.split(' ', 2)[1].startswith(prefix)] if prefix else \
        proc.stdout.splitlines()


@pytest.fixture(params=SHELLS, ids=lambda shell: shell[0])
def shell(request):
    return request.param


@pytest.mark.parametrize('release, kernel_min, go, expected', [
    ('6.1.0-28-amd64', None, '1.26.5', ['ok kernel 6.1.0-28-amd64', 'ok go-runtime Go 1.26.5 needs Linux 3.2']),
    ('3.10.0-1160.el7.x86_64', None, '1.26.5', ['ok kernel 3.10.0-1160.el7.x86_64', 'ok go-runtime Go 1.26.5 needs Linux 3.2']),
    ('3.9.11', None, None, ['fail kernel Linux 3.9.11 is older than 3.10, the oldest kernel this collection deploys to']),
    ('2.6.32-754.el6.x86_64', '2.6.32', '1.26.5', [
        'ok kernel 2.6.32-754.el6.x86_64',
        'fail go-runtime the release is built with Go 1.26.5, whose binaries need Linux 3.2 or newer; this host runs '
        '2.6.32-754.el6.x86_64: build a release with Go 1.23 or older for it (a classic profile)']),
    ('2.6.32-754.el6.x86_64', '2.6.32', '1.23.4', ['ok kernel 2.6.32-754.el6.x86_64', 'ok go-runtime Go 1.23.4 needs Linux 2.6.32']),
    ('2.6.18-419.el5', '2.6.18', '1.19.13', [
        'ok kernel 2.6.18-419.el5',
        'fail go-runtime the release is built with Go 1.19.13, whose binaries need Linux 2.6.32 or newer; this host runs '
        '2.6.18-419.el5: build a release with Go 1.17 or older for it (a classic profile)']),
    ('4.4', None, '1.7', ['ok kernel 4.4', 'ok go-runtime Go 1.7 needs Linux 2.6.23']),
    ('3.1.10', '3.0', 'go1.24.0', ['ok kernel 3.1.10', 'fail go-runtime the release is built with Go 1.24.0, whose binaries need '
                                   'Linux 3.2 or newer; this host runs 3.1.10: build a release with Go 1.23 or older for it (a classic profile)']),
])
def test_kernel(tmp_path, shell, release, kernel_min, go, expected):
    args = (['--kernel-min', kernel_min] if kernel_min else []) + (['--go-version', go] if go else [])
    proc = run(fake_root(tmp_path), release, *args, shell=shell)
    assert [ln for ln in lines(proc) if ln.split()[1] in ('kernel', 'go-runtime')] == expected


@pytest.mark.parametrize('mounts, cgroups, files, expected', [
    (V1_MOUNTS, PROC_CGROUPS, {}, {'cpu': 'ok cgroup.cpu mounted at /sys/fs/cgroup/cpu,cpuacct',
                                   'cpuacct': 'ok cgroup.cpuacct mounted at /sys/fs/cgroup/cpu,cpuacct',
                                   'pids': 'ok cgroup.pids mounted at /sys/fs/cgroup/pids'}),
    ('', PROC_CGROUPS, {}, {'memory': 'ok cgroup.memory mountable (enabled in /proc/cgroups, not mounted)'}),
    ('', PROC_CGROUPS.replace('memory\t0\t1\t1', 'memory\t0\t1\t0'), {},
     {'memory': 'fail cgroup.memory controller not in /proc/cgroups and not mounted: dockerd cannot start containers'}),
    ('', PROC_CGROUPS.replace('pids\t0\t1\t1\n', ''), {},
     {'pids': 'warn cgroup.pids controller not in /proc/cgroups: containers run without pids limits'}),
    (V2_MOUNTS, PROC_CGROUPS, {'sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma\n'},
     {'memory': 'ok cgroup.memory cgroup v2 at /sys/fs/cgroup', 'blkio': 'ok cgroup.blkio cgroup v2 at /sys/fs/cgroup',
      'freezer': 'ok cgroup.freezer cgroup v2 at /sys/fs/cgroup (built in)'}),
    (V2_MOUNTS, PROC_CGROUPS, {'sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io\n'},
     {'memory': 'fail cgroup.memory controller memory is not enabled in the cgroup v2 tree at /sys/fs/cgroup',
      'pids': 'warn cgroup.pids controller pids is not enabled in the cgroup v2 tree at /sys/fs/cgroup'}),
])
def test_cgroups(tmp_path, shell, mounts, cgroups, files, expected):
    proc = run(fake_root(tmp_path, mounts=mounts, cgroups=cgroups, files=files), shell=shell)
    got = {ln.split()[1][len('cgroup.'):]: ln for ln in lines(proc, 'cgroup.')}
    assert len(got) == 8
    for controller, line in expected.items():
        assert got[controller] == line


@pytest.mark.parametrize('driver, filesystems, files, expected', [
    ('overlay2', 'nodev\toverlay\n', {}, 'ok storage.overlay2 overlay in /proc/filesystems'),
    ('overlay2', 'nodev\tproc\n', {'lib/modules/6.1.0-28-amd64/modules.dep': 'kernel/fs/overlayfs/overlay.ko.xz:\n'},
     'ok storage.overlay2 overlay is a loadable module (modprobe overlay)'),
    ('overlay2', 'nodev\tproc\n', {'lib/modules/6.1.0-28-amd64/modules.builtin': 'kernel/fs/overlayfs/overlay.ko\n'},
     'ok storage.overlay2 overlay built into the kernel'),
    ('overlay2', 'nodev\tproc\n', {'lib/modules/6.1.0-28-amd64/modules.dep': 'kernel/fs/btrfs/btrfs.ko: kernel/lib/overlay.ko\n'},
     'fail storage.overlay2 the kernel has no overlay filesystem: not in /proc/filesystems, nor a module in '
     '/lib/modules/6.1.0-28-amd64; use another storage driver'),
    ('btrfs', '\tbtrfs\n', {}, 'ok storage.btrfs btrfs in /proc/filesystems'),
    ('vfs', '', {}, 'ok storage.vfs no kernel filesystem to check'),
])
def test_storage(tmp_path, shell, driver, filesystems, files, expected):
    proc = run(fake_root(tmp_path, filesystems=filesystems, files=files), '6.1.0-28-amd64', '--storage-driver', driver,
               shell=shell)
    assert lines(proc, 'storage.') == [expected]


IPT_18 = '#!/bin/sh\necho "iptables v1.8.9 (legacy)"\n'
IPT_13 = '#!/bin/sh\necho "iptables v1.3.5"\n'
IPT_BROKEN = '#!/bin/sh\nexit 1\n'


@pytest.mark.parametrize('mode, files, expected', [
    ('no', {}, []),
    ('no', {'usr/sbin/iptables': IPT_13}, []),
    ('yes', {'usr/sbin/iptables': IPT_18}, ['ok iptables /usr/sbin/iptables 1.8.9']),
    ('auto', {'sbin/iptables': IPT_18}, ['ok iptables /sbin/iptables 1.8.9']),
    ('auto', {'sbin/iptables': IPT_13},
     ['warn iptables /sbin/iptables is 1.3.5, dockerd needs >= 1.4: dockerd will run with --iptables=false']),
    ('auto', {'sbin/iptables': IPT_BROKEN},
     ['warn iptables /sbin/iptables is of unknown version, dockerd needs >= 1.4: dockerd will run with --iptables=false']),
    ('yes', {'sbin/iptables': IPT_13},
     ['fail iptables /sbin/iptables is 1.3.5, dockerd needs >= 1.4: upgrade it or set daemon_iptables: false']),
    ('auto', {}, ['warn iptables no iptables command: dockerd will run with --iptables=false']),
    ('true', {}, ['fail iptables no iptables command, and the daemon is to run with iptables: install it or set '
                  'daemon_iptables: false']),
])
def test_iptables(tmp_path, shell, mode, files, expected):
    proc = run(fake_root(tmp_path, files=files), '6.1.0-28-amd64', '--iptables', mode, shell=shell)
    assert lines(proc, 'iptables') == expected


def test_disk(tmp_path, shell):
    root = fake_root(tmp_path)
    proc = run(root, '6.1.0-28-amd64', '--disk', f'{tmp_path}:1', '--disk', f'{tmp_path}/not/yet/there:1',
               '--disk', f'{tmp_path}:999999999', shell=shell)
    got = lines(proc, 'disk:')
    assert [ln.split()[0] for ln in got] == ['ok', 'ok', 'fail']
    assert got[1].startswith(f'ok disk:{tmp_path}/not/yet/there ')
    assert got[1].endswith(f' MiB free on {tmp_path}, 1 MiB needed')
    assert got[2].endswith(' MiB needed') and ' 999999999 ' in got[2]
    assert proc.returncode == 1


@pytest.mark.parametrize('release, iptables, unset, expected_missing', [
    # a 6.1 kernel: CGROUP_BPF counts, the pre-4.8/5.2/5.3 options do not
    ('6.1.0-28-amd64', 'no', [], []),
    ('6.1.0-28-amd64', 'no', ['VETH', 'CGROUP_BPF'], ['fail config.VETH', 'fail config.CGROUP_BPF']),
    ('6.1.0-28-amd64', 'no', ['IP_NF_NAT'], ['warn config.IP_NF_NAT']),
    ('6.1.0-28-amd64', 'yes', ['IP_NF_NAT'], ['fail config.IP_NF_NAT']),
    # an EL7 kernel: the old options count, CGROUP_BPF does not
    ('3.10.0-1160.el7.x86_64', 'no', ['CGROUP_BPF'], []),
    ('3.10.0-1160.el7.x86_64', 'yes', ['DEVPTS_MULTIPLE_INSTANCES', 'NF_NAT_IPV4'],
     ['fail config.DEVPTS_MULTIPLE_INSTANCES', 'fail config.NF_NAT_IPV4']),
])
def test_kernel_config(tmp_path, shell, release, iptables, unset, expected_missing):
    text = config_text(CONFIG_ALWAYS + CONFIG_NETFILTER + CONFIG_OLD + CONFIG_NEW, unset)
    root = fake_root(tmp_path, files={f'boot/config-{release}': text, 'usr/sbin/iptables': IPT_18})
    proc = run(root, release, '--iptables', iptables, shell=shell)
    got = lines(proc, 'config.')
    assert [' '.join(ln.split()[:2]) for ln in got if not ln.startswith('ok ')] == expected_missing
    for line in got:
        if not line.startswith('ok '):
            opt = line.split()[1][len('config.'):]
            assert line.endswith(f'CONFIG_{opt} is not set in {root}/boot/config-{release}')
    expected = len(CONFIG_ALWAYS + CONFIG_NETFILTER) + (1 if release.startswith('6.') else 3)
    assert len(got) == expected
    assert lines(proc, 'kernel-config') == [f'ok kernel-config {root}/boot/config-{release}']


def test_kernel_config_sources(tmp_path, shell):
    """/proc/config.gz comes first, then /boot/config-RELEASE; --kernel-config names one; none: skip."""
    good = config_text(CONFIG_ALWAYS + CONFIG_NETFILTER + CONFIG_NEW)
    root = fake_root(tmp_path, files={'proc/config.gz': gzip.compress(good.encode()),
                                      'boot/config-6.1.0-28-amd64': config_text(CONFIG_ALWAYS, unset=['VETH'])})
    proc = run(root, shell=shell)
    assert lines(proc, 'kernel-config') == [f'ok kernel-config {root}/proc/config.gz']
    assert all(ln.startswith('ok ') for ln in lines(proc, 'config.'))
    proc = run(root, '6.1.0-28-amd64', '--kernel-config', f'{root}/boot/config-6.1.0-28-amd64', shell=shell)
    assert 'fail config.VETH CONFIG_VETH is not set in ' + f'{root}/boot/config-6.1.0-28-amd64' in lines(proc)
    (root / 'proc' / 'config.gz').write_bytes(b'')
    proc = run(root, shell=shell)
    assert lines(proc, 'kernel-config') == [f'fail kernel-config {root}/proc/config.gz has no CONFIG_ lines']
    proc = run(fake_root(tmp_path / 'empty'), shell=shell)
    assert lines(proc, 'kernel-config') == ['skip kernel-config no readable /proc/config.gz or /boot/config-6.1.0-28-amd64']
    assert lines(proc, 'config.') == []


@pytest.mark.parametrize('release, args, passed, rc', [
    ('6.1.0-28-amd64', ['--go-version', '1.26.5'], True, 0),
    ('2.6.32-754.el6.x86_64', ['--go-version', '1.26.5'], False, 1),
    ('6.1.0-28-amd64', ['--iptables', 'auto'], True, 0),
])
def test_end_line_and_report(tmp_path, shell, release, args, passed, rc):
    proc = run(fake_root(tmp_path), release, *args, shell=shell)
    report = preflight_report(proc.stdout)
    assert proc.returncode == rc
    assert report['passed'] is passed
    assert lines(proc)[-1] == f"end {len(report['failed'])} {len(report['warnings'])}"
    assert all(ln.split()[0] in ('ok', 'fail', 'warn', 'skip', 'end') for ln in lines(proc))


@pytest.mark.parametrize('args', [['--bogus', 'x'], ['--disk'], ['--iptables']])
def test_usage(args):
    proc = subprocess.run(['sh', SCRIPT, *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ''
    assert proc.stderr.startswith('usage: ')
