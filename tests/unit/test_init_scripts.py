# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/daemon/templates/docker.init.j2 and containerd.init.j2, rendered with the daemon role's variables and run
directly under dash, bash --posix and busybox sh (where busybox is installed): start, stop and status with their
LSB exit codes and the Red Hat subsys lock, with and without a stand-in for Red Hat's /etc/init.d/functions.
Also: the rendered scripts are shellcheck clean.

Each run happens in a pid and mount namespace of its own (unshare, as root): docker.init finds a running dockerd by
name in its pid namespace, so the host's own dockerd is neither seen nor stopped, and the stand-in functions file is
mounted at /etc/init.d/functions for that namespace only. The scripts are the real ones; dockerd, containerd and
docker are stand-ins. Red Hat's own functions file was never run here (no RPM-based userland can be built)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import jinja2
import jinja2.meta
import pytest
import yaml

from ansible.plugins.filter.core import FilterModule

REPO = Path(__file__).resolve().parents[2]
ROLE = REPO / 'roles' / 'daemon'
SHELLS = [['dash'], ['bash', '--posix'], ['busybox', 'sh']]
OK = '[  OK  ]'

# The namespace's init: it reaps the daemons the scripts leave behind, as init does (a zombie would still
# answer kill -0); on TERM it exits, and the kernel kills every process left in its namespace.
REAPER = '''import os, signal, sys, time
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print(os.getppid(), flush=True)
while True:
    try:
        os.wait()
    except ChildProcessError:
        time.sleep(0.05)
'''

# A stand-in for dockerd and containerd: it writes its pidfile (dockerd's --pidfile), binds its socket, logs
# its start with its PATH, and on TERM removes both and exits, as they do.
DAEMON = '''#!{python}
import os, signal, socket, sys
pidfile = sock = None
for arg in sys.argv[1:]:
    if arg.startswith('--pidfile='):
        pidfile = arg.split('=', 1)[1]
    elif arg.startswith(('--host=unix://', '--address=')):
        sock = arg.split('=', 1)[1].replace('unix://', '', 1)
with open({log!r}, 'a') as f:
    f.write('started %d PATH=%s\\n' % (os.getpid(), os.environ['PATH']))


def leave(*_):
    for path in (pidfile, sock):
        if path and os.path.exists(path):
            os.unlink(path)
    sys.exit(0)


signal.signal(signal.SIGTERM, leave)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
if pidfile:
    with open(pidfile, 'w') as f:
        f.write('%d\\n' % os.getpid())
server = socket.socket(socket.AF_UNIX)
server.bind(sock)
server.listen()
while True:
    signal.pause()
'''

# docker version answers; the script asks it only once the socket exists.
DOCKER = '#!/bin/sh\ncase "$*" in *" version") exit 0 ;; esac\nexit 1\n'

# A stand-in for Red Hat's /etc/init.d/functions: it resets PATH and umask as that file does, success and
# failure print its marks and log their calls, and its status would answer 0 for any service.
FUNCTIONS = '''PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH
umask 022
echo_success() {{ printf '[  OK  ]'; }}
echo_failure() {{ printf '[FAILED]'; }}
success() {{ echo "success $*" >>{log}; echo_success; return 0; }}
failure() {{ rc=$?; echo "failure $*" >>{log}; echo_failure; return $rc; }}
status() {{ echo "status of the functions file"; return 0; }}
'''

# Each script's settings in its options file: the prefix of its variables, its options variable, and the flags
# that make the stand-in daemon write the pidfile and socket the script waits for.
SETTINGS = {
    'docker': ('DOCKER_', 'DOCKER_OPTS', "'--pidfile={run}/docker.pid' '--host=unix://{run}/docker.sock'"),
    'containerd': ('', 'CONTAINERD_OPTS', "'--address={run}/containerd.sock'"),
}
DAEMON_OF = {'docker': 'dockerd', 'containerd': 'containerd'}


def sysconfig(name: str, tmp) -> str:
    """The options file: every path under tmp, the lock included, and a short wait."""
    prefix, opts, flags = SETTINGS[name]
    paths = {'PIDFILE': 'run/%s.pid', 'LOGFILE': '%s.log', 'SOCKET': 'run/%s.sock', 'LOCKFILE': 'subsys/%s'}
    lines = ['%s%s=%s/%s' % (prefix, var, tmp, path % name) for var, path in paths.items()]
    return '\n'.join(lines + ['%sWAIT=10' % prefix, '%s="%s"' % (opts, flags.format(run='%s/run' % tmp)), ''])


def render(template: str, **overrides) -> str:
    """The template as the role writes it: the role's defaults and vars, a role variable that is itself a
    template rendered from the ones it names, Ansible's filters; overrides win."""
    ctx = {}
    for name in ('defaults', 'vars'):
        ctx.update(yaml.safe_load((ROLE / name / 'main.yml').read_text()))
    ctx.update({'ansible_managed': 'Ansible managed', 'ansible_facts': {'os_family': 'RedHat'}}, **overrides)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters.update(FilterModule().filters())

    def resolve(name):
        value = ctx[name]
        if name not in overrides and isinstance(value, str) and '{' in value:
            for used in jinja2.meta.find_undeclared_variables(env.parse(value)) & ctx.keys():
                resolve(used)
            ctx[name] = env.from_string(value).render(ctx)

    source = (ROLE / 'templates' / template).read_text()
    for name in jinja2.meta.find_undeclared_variables(env.parse(source)) & ctx.keys():
        resolve(name)
    return env.from_string(source).render(ctx)


@pytest.fixture
def namespace():
    """The host pid of the init of a new pid and mount namespace; every process in it is killed afterwards."""
    if os.geteuid() != 0:
        pytest.skip('needs root: a pid namespace of its own, and the scripts start daemons only as root')
    proc = subprocess.Popen(['unshare', '--pid', '--fork', '--mount-proc', '--kill-child', sys.executable, '-c', REAPER],
                            stdout=subprocess.PIPE, text=True)
    # It answers once it handles TERM.
    assert proc.stdout.readline().strip() == '0'
    init = int(Path('/proc/%d/task/%d/children' % (proc.pid, proc.pid)).read_text().split()[0])
    yield init
    os.kill(init, signal.SIGTERM)
    proc.wait(timeout=10)
    proc.stdout.close()


class Rig:
    """One init script rendered into a tmp dir, its stand-ins, and the namespace it runs in."""

    def __init__(self, tmp: Path, ns: int, name: str, shell: list[str], functions: bool, subsys: bool = True):
        if not shutil.which(shell[0]):
            pytest.skip('%s is not installed' % shell[0])
        self.tmp, self.ns, self.name, self.shell = tmp, ns, name, shell
        self.daemon = DAEMON_OF[name]
        self.bin = tmp / 'bin'
        for sub in ('bin', 'run', 'sysconfig', 'init.d'):
            (tmp / sub).mkdir()
        if subsys:
            (tmp / 'subsys').mkdir()
        self.lock = tmp / 'subsys' / name
        self.pidfile = tmp / 'run' / ('%s.pid' % name)
        self.starts = tmp / 'starts.log'
        self.calls = tmp / 'functions.log'
        self.calls.touch()
        self.write(self.bin / self.daemon, DAEMON.format(python=sys.executable, log=str(self.starts)))
        self.write(self.bin / 'docker', DOCKER)
        (tmp / 'sysconfig' / name).write_text(sysconfig(name, tmp))
        self.script = tmp / ('%s.init' % name)
        self.write(self.script, render('%s.init.j2' % name, daemon_bin_dir=str(self.bin), daemon_containerd='service',
                                       __daemon_sysconfig=str(tmp / 'sysconfig')))
        if functions:
            (tmp / 'init.d' / 'functions').write_text(FUNCTIONS.format(log=self.calls))
            self.enter('mount', '--bind', str(tmp / 'init.d'), '/etc/init.d', check=True)

    @staticmethod
    def write(path: Path, text: str):
        path.write_text(text)
        path.chmod(0o755)

    def enter(self, *argv, check=False):
        return subprocess.run(['nsenter', '-t', str(self.ns), '-p', '-m', '--', *argv],
                              capture_output=True, text=True, check=check, timeout=60)

    def run(self, action):
        return self.enter(*self.shell, str(self.script), action)

    def running(self) -> list[int]:
        """The pids of the processes named like the daemon in the namespace."""
        ns = os.readlink('/proc/%d/ns/pid' % self.ns)
        pids = []
        for proc in Path('/proc').glob('[0-9]*'):
            try:
                if os.readlink(proc / 'ns' / 'pid') == ns and (proc / 'comm').read_text().strip() == self.daemon:
                    pids.append(int(proc.name))
            except OSError:
                continue
        return pids

    def prepare(self, step):
        if step == 'start':
            out = self.run('start')
            assert out.returncode == 0, out.stdout + out.stderr
        elif step == 'lock':
            self.lock.touch()
        elif step == 'pidfile':
            self.pidfile.write_text('99999\n')
        elif step == 'broken':
            self.write(self.bin / self.daemon, '#!/bin/sh\necho "no such flag" >&2\nexit 1\n')


# (steps before, action, exit code, lock afterwards, daemon running afterwards)
CASES = {
    'start when stopped': ([], 'start', 0, True, True),
    'start when running': (['start'], 'start', 0, True, True),
    'start when the daemon exits at once': (['broken'], 'start', 1, False, False),
    'stop when running': (['start'], 'stop', 0, False, False),
    'stop when stopped': ([], 'stop', 0, False, False),
    'stop when stopped with a lock left over': (['lock'], 'stop', 0, False, False),
    'status when running': (['start'], 'status', 0, True, True),
    'status when stopped': ([], 'status', 3, False, False),
    'status with the lock and no daemon': (['lock'], 'status', 2, True, False),
    'status with the pidfile and no daemon': (['pidfile'], 'status', 1, False, False),
}


@pytest.mark.parametrize('case', CASES)
@pytest.mark.parametrize('functions', [False, True], ids=['plain', 'rh-functions'])
@pytest.mark.parametrize('shell', SHELLS, ids=lambda shell: shell[0])
@pytest.mark.parametrize('name', ['docker', 'containerd'])
def test_lsb_exit_codes_and_subsys_lock(tmp_path, namespace, name, shell, functions, case):
    steps, action, code, locked, running = CASES[case]
    rig = Rig(tmp_path, namespace, name, shell, functions)
    for step in steps:
        rig.prepare(step)
    out = rig.run(action)
    said = out.stdout + out.stderr
    assert out.returncode == code, said
    assert rig.lock.exists() == locked, said
    assert len(rig.running()) == (1 if running else 0), said
    # A start that finds the daemon running starts no second one.
    starts = rig.starts.read_text().splitlines() if rig.starts.exists() else []
    assert len(starts) == (1 if 'start' in steps or (action == 'start' and code == 0) else 0), starts
    # The script's own PATH reaches the daemon, also after the functions file set one of its own.
    assert all(line.split(' PATH=')[1].split(':')[0] == str(rig.bin) for line in starts), starts
    # The script's own status answered, never the functions file's.
    assert 'functions file' not in said
    calls = rig.calls.read_text().splitlines()
    if not functions:
        assert OK not in said and calls == []
    elif action == 'status':
        # status reports through neither; the calls are those of the start before it.
        assert calls == (['success %s startup' % name] if 'start' in steps else []), calls
    else:
        what = 'startup' if action == 'start' else 'shutdown'
        assert calls[-1] == ('success %s %s' if code == 0 else 'failure %s %s') % (name, what), calls
        assert (OK in out.stdout) == (code == 0) and ('[FAILED]' in out.stderr) == (code != 0), said


@pytest.mark.parametrize('name', ['docker', 'containerd'])
def test_without_var_lock_subsys_no_lock_is_written(tmp_path, namespace, name):
    """Debian and busybox hosts have no /var/lock/subsys: start and stop work and leave no lock behind."""
    rig = Rig(tmp_path, namespace, name, ['dash'], functions=False, subsys=False)
    assert rig.run('start').returncode == 0
    assert not rig.lock.parent.exists()
    assert rig.run('status').returncode == 0
    assert rig.run('stop').returncode == 0
    assert rig.run('status').returncode == 3
    assert not rig.lock.parent.exists() and rig.running() == []


@pytest.mark.parametrize('name', ['docker', 'containerd'])
def test_restart_replaces_the_daemon_and_keeps_the_lock(tmp_path, namespace, name):
    rig = Rig(tmp_path, namespace, name, ['dash'], functions=True)
    rig.prepare('start')
    before = rig.running()
    out = rig.run('restart')
    assert out.returncode == 0, out.stdout + out.stderr
    after = rig.running()
    assert len(before) == len(after) == 1 and before != after
    assert rig.lock.exists()
    assert rig.calls.read_text().splitlines() == ['success %s %s' % (name, what)
                                                  for what in ('startup', 'shutdown', 'startup')]


@pytest.mark.parametrize('os_family, sysconfig_dir', [('RedHat', '/etc/sysconfig'), ('Debian', '/etc/default')])
@pytest.mark.parametrize('containerd', ['dockerd', 'service'])
@pytest.mark.parametrize('name', ['docker', 'containerd'])
def test_rendered_scripts_are_shellcheck_clean(tmp_path, name, containerd, os_family, sysconfig_dir):
    """As written for each host family; checked as dash, the strictest shell that runs them (bash and busybox ash
    take everything dash does, ulimit -n/-u/-c included, which POSIX leaves undefined). The files they source are
    checked too, as stand-ins under a source path."""
    if shutil.which('shellcheck') is None:
        pytest.fail('shellcheck is missing: make unit installs it')
    script = tmp_path / name
    script.write_text(render('%s.init.j2' % name, daemon_containerd=containerd, ansible_facts={'os_family': os_family}))
    assert '\n\t. %s/%s\n' % (sysconfig_dir, name) in script.read_text()
    root = tmp_path / 'root'
    (root / sysconfig_dir.lstrip('/')).mkdir(parents=True)
    (root / 'etc' / 'init.d').mkdir(parents=True)
    (root / sysconfig_dir.lstrip('/') / name).write_text(sysconfig(name, '/tmp'))
    (root / 'etc' / 'init.d' / 'functions').write_text(FUNCTIONS.format(log='/dev/null'))
    out = subprocess.run(['shellcheck', '--shell=dash', '--external-sources', '--source-path=%s' % root, str(script)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
