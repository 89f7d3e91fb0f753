# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/install/files/release.sh, run directly under dash and bash --posix against releases in tmp dirs:
install from a gzip tarball, hard links for unchanged files, a sha256 mismatch refused before the switch,
the switch with its previous file and links, keep N, rollback, a read-only state, and the record of verified
files that spares an up-to-date host reading its release again."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile

import subprocess

import pytest

from ansible.parsing.splitter import split_args

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, 'roles', 'install', 'files', 'release.sh')
SHELLS = [['dash'], ['bash', '--posix']]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def release(files: dict[str, bytes]) -> dict:
    """Files of a release and its id (the first 12 hex of the sums, as ids are hex)."""
    rid = sha(b''.join(sha(v).encode() for _name, v in sorted(files.items())))[:12]
    return {'id': rid, 'files': files}


def tarball(path, files: dict[str, bytes]):
    with tarfile.open(path, 'w:gz') as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755
            tar.addfile(info, io.BytesIO(data))
    return str(path)


class Host:
    def __init__(self, tmp_path, shell):
        self.tmp = tmp_path
        self.prefix = tmp_path / 'opt'
        self.bin = tmp_path / 'bin'
        self.shell = shell

    def run(self, cmd, rel, *extra, sha256='sha256sum', links=None, check=True, env=None):
        links = {'dockerd': 'bin/dockerd', 'docker': 'bin/docker'} if links is None else links
        args = [cmd, str(self.prefix), rel['id'], sha256]
        args += ['sum=%s:%s' % (sha(data), path) for path, data in rel['files'].items()]
        args += ['link=%s/%s:%s' % (self.bin, name, path) for name, path in links.items()]
        proc = subprocess.run(self.shell + [SCRIPT] + args + list(extra), capture_output=True, text=True, check=False,
                              env=env)
        if check:
            assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    def deploy(self, rel, *extra, **kw):
        tgz = tarball(self.tmp / ('%s.tgz' % rel['id']), rel['files'])
        self.run('install', rel, '--tarball=' + tgz, **kw)
        return self.run('switch', rel, *extra, **kw)

    def current(self):
        return os.path.basename(os.readlink(self.prefix / 'current'))

    def previous(self):
        return (self.prefix / 'previous').read_text().strip()

    def snapshot(self):
        out = []
        for root, dirs, files in os.walk(self.tmp):
            for name in sorted(dirs + files):
                p = os.path.join(root, name)
                st = os.lstat(p)
                # A directory's mtime moves with a staging dir made and removed inside it; its entries tell the rest.
                mtime = None if os.path.isdir(p) and not os.path.islink(p) else st.st_mtime_ns
                out.append((p, st.st_mode, st.st_ino, mtime, os.readlink(p) if os.path.islink(p) else None))
        return sorted(out)


@pytest.fixture(params=SHELLS, ids=lambda s: s[0])
def host(request, tmp_path):
    return Host(tmp_path, request.param)


R1 = release({'bin/dockerd': b'dockerd 1\n', 'bin/docker': b'docker 1\n', 'manifest.json': b'{"id": 1}\n'})
R2 = release({'bin/dockerd': b'dockerd 2\n', 'bin/docker': b'docker 1\n', 'manifest.json': b'{"id": 2}\n'})
R3 = release({'bin/dockerd': b'dockerd 3\n', 'bin/docker': b'docker 1\n', 'manifest.json': b'{"id": 3}\n'})
R4 = release({'bin/dockerd': b'dockerd 4\n', 'bin/docker': b'docker 4\n', 'manifest.json': b'{"id": 4}\n'})


def test_usable_as_raw_text():
    with open(SCRIPT, encoding='utf-8') as f:
        text = f.read()
    assert split_args('set -- state /opt 0abc sha256sum\n' + text)


def test_first_install_switch_and_links(host):
    assert 'release missing' in host.run('state', R1).stdout
    out = host.deploy(R1).stdout
    assert 'switched - %s' % R1['id'] in out
    assert host.current() == R1['id']
    assert not (host.prefix / 'previous').exists()
    assert os.readlink(host.bin / 'dockerd') == str(host.prefix / 'current' / 'bin' / 'dockerd')
    assert (host.bin / 'dockerd').read_bytes() == b'dockerd 1\n'
    assert not list(host.prefix.joinpath('releases').glob('.*'))


def test_up_to_date_host_is_left_alone(host):
    host.deploy(R1)
    before = host.snapshot()
    state = [line.strip() for line in host.run('state', R1).stdout.splitlines()]
    assert state == ['current %s' % R1['id'], 'previous -', 'manifest {"id": 1}', 'release ok']
    assert 'release ok' in host.run('install', R1).stdout
    assert host.run('switch', R1).stdout == ''
    assert host.snapshot() == before


def test_unchanged_files_are_hard_links_and_not_shipped(host):
    host.deploy(R1)
    state = host.run('state', R2).stdout.splitlines()
    assert 'same bin/docker' in state and 'ship bin/dockerd' in state and 'ship manifest.json' in state
    # Only the changed files travel; the unchanged one comes from the current release.
    tgz = tarball(host.tmp / 'r2.tgz', {k: v for k, v in R2['files'].items() if k != 'bin/docker'})
    out = host.run('install', R2, '--tarball=' + tgz).stdout
    assert 'linked bin/docker' in out
    rel = host.prefix / 'releases'
    assert os.stat(rel / R1['id'] / 'bin/docker').st_ino == os.stat(rel / R2['id'] / 'bin/docker').st_ino
    assert os.stat(rel / R1['id'] / 'bin/dockerd').st_ino != os.stat(rel / R2['id'] / 'bin/dockerd').st_ino
    host.run('switch', R2)
    assert host.current() == R2['id'] and host.previous() == R1['id']


def test_files_the_host_built_itself_are_copied_in_with_the_manifest_from_the_command(host):
    """from=FILE:PATH: a host that built the release takes its binaries from its own build tree, mode 0755,
    and only the manifest travels, in the command (--manifest=TEXT); nothing is sent as a file. A file the
    current release has unchanged is still a hard link."""
    built = host.tmp / 'artifacts'
    built.mkdir()
    for path, data in R1['files'].items():
        (built / path.replace('/', '_')).write_bytes(data)
    froms = ['from=%s:%s' % (built / p.replace('/', '_'), p) for p in R1['files'] if p != 'manifest.json']
    manifest = '--manifest=' + R1['files']['manifest.json'].decode()
    assert 'installed %s' % R1['id'] in host.run('install', R1, manifest, *froms).stdout
    host.run('switch', R1)
    release_dir = host.prefix / 'releases' / R1['id']
    assert (release_dir / 'bin/dockerd').read_bytes() == b'dockerd 1\n'
    assert (release_dir / 'manifest.json').read_bytes() == R1['files']['manifest.json']
    assert os.stat(release_dir / 'bin/dockerd').st_mode & 0o777 == 0o755
    (built / 'bin_dockerd').write_bytes(R2['files']['bin/dockerd'])
    out = host.run('install', R2, '--manifest=' + R2['files']['manifest.json'].decode(), *froms).stdout
    assert 'linked bin/docker' in out and 'linked bin/dockerd' not in out
    assert os.stat(release_dir / 'bin/docker').st_ino == os.stat(host.prefix / 'releases' / R2['id'] / 'bin/docker').st_ino


def test_a_manifest_other_than_its_sum_is_refused(host):
    host.deploy(R1)
    files = {p: data for p, data in R2['files'].items() if p != 'manifest.json'}
    tgz = tarball(host.tmp / 'nomanifest.tgz', files)
    proc = host.run('install', R2, '--tarball=' + tgz, '--manifest={"id": "not 2"}\n', check=False)
    assert proc.returncode == 1 and 'manifest.json' in proc.stderr and 'unchanged' in proc.stderr, proc.stderr
    assert not (host.prefix / 'releases' / R2['id']).exists() and host.current() == R1['id']


def test_a_file_the_host_cannot_copy_in_is_refused_and_leaves_no_stage(host):
    host.deploy(R1)
    missing = ['from=%s:%s' % (host.tmp / 'gone', p) for p in R2['files']]
    proc = host.run('install', R2, *missing, check=False)
    assert proc.returncode == 1 and 'copying into' in proc.stderr and 'unchanged' in proc.stderr, proc.stderr
    assert not list((host.prefix / 'releases').glob('.*')) and not (host.prefix / 'releases' / R2['id']).exists()
    assert host.current() == R1['id']


def test_sha256_mismatch_is_refused_before_the_switch(host):
    host.deploy(R1)
    bad = dict(R2['files'], **{'bin/dockerd': b'tampered\n'})
    tgz = tarball(host.tmp / 'bad.tgz', bad)
    before = [e for e in host.snapshot() if not e[0].endswith('bad.tgz')]
    proc = host.run('install', R2, '--tarball=' + tgz, check=False)
    assert proc.returncode == 1
    assert 'bin/dockerd' in proc.stderr and 'refused before the switch' in proc.stderr
    assert not (host.prefix / 'releases' / R2['id']).exists()
    assert [e for e in host.snapshot() if not e[0].endswith('bad.tgz')] == before
    # Nor does switch accept a release that is not (intact) on the host.
    assert host.run('switch', R2, check=False).returncode == 1
    assert host.current() == R1['id']


def test_a_damaged_release_is_reported_and_replaced(host):
    host.deploy(R1)
    (host.prefix / 'releases' / R1['id'] / 'bin/dockerd').write_bytes(b'rot\n')
    state = host.run('state', R1).stdout.splitlines()
    assert 'release damaged' in state and 'ship bin/dockerd' in state and 'ship bin/docker' not in state
    out = host.deploy(R1).stdout
    assert (host.prefix / 'current' / 'bin/dockerd').read_bytes() == b'dockerd 1\n'
    assert 'switched' not in out


def test_keep_n_never_removes_current_or_previous(host):
    for i, rel in enumerate([R1, R2, R3, R4]):
        host.deploy(rel, '--keep=2')
        os.utime(host.prefix / 'releases' / rel['id'], (1000 + i, 1000 + i))
    left = sorted(p.name for p in (host.prefix / 'releases').iterdir())
    assert left == sorted([R3['id'], R4['id']])
    assert sorted(p.name for p in (host.prefix / 'verified').iterdir()) == left
    # Rolled back to R3, a new deploy keeps R3 (now the previous) even though R4 is newer.
    host.run('switch', R3, '--keep=2')
    host.deploy(R1, '--keep=2')
    os.utime(host.prefix / 'releases' / R1['id'], (900, 900))
    host.run('switch', R1, '--keep=2')
    assert host.current() == R1['id'] and host.previous() == R3['id']
    assert (host.prefix / 'releases' / R3['id']).is_dir()


def test_rollback_and_rollback_again(host):
    host.deploy(R1)
    host.deploy(R2)
    out = host.run('switch', R1).stdout
    assert 'switched %s %s' % (R2['id'], R1['id']) in out
    assert host.current() == R1['id'] and host.previous() == R2['id']
    assert (host.bin / 'dockerd').read_bytes() == b'dockerd 1\n'
    host.run('switch', R2)
    assert host.current() == R2['id'] and host.previous() == R1['id']


def test_rollback_after_a_failed_restart_keeps_previous_off_the_failed_release(host):
    host.deploy(R1)
    host.deploy(R2)
    host.deploy(R3)
    # R3 failed its health check: back to R2, and previous names what it named before (R1), not R3.
    host.run('switch', R2, '--previous=' + R1['id'])
    assert host.current() == R2['id'] and host.previous() == R1['id']


def test_links_the_release_no_longer_has_are_removed(host):
    host.deploy(R1, links={'dockerd': 'bin/dockerd', 'docker': 'bin/docker'})
    other = host.bin / 'unrelated'
    other.symlink_to('/usr/bin/env')
    out = host.run('switch', R1, links={'dockerd': 'bin/dockerd'}).stdout
    assert 'unlinked %s' % (host.bin / 'docker') in out
    assert not (host.bin / 'docker').is_symlink() and other.is_symlink()


def test_sha256_given_as_a_command_and_its_applet(host):
    # "env sha256sum" stands for "busybox sha256sum": a binary and its first argument.
    host.deploy(R1, sha256='env sha256sum')
    assert 'release ok' in host.run('state', R1, sha256='env sha256sum').stdout


@pytest.mark.parametrize('args, message', [
    (['state', 'relative', 'abc', 'sha256sum', 'sum=%s:bin/x' % ('0' * 64)], 'absolute'),
    (['state', '/opt', 'NOTHEX', 'sha256sum', 'sum=%s:bin/x' % ('0' * 64)], 'hex'),
    (['state', '/opt', 'abc', 'sha256sum', 'sum=123:bin/x'], 'bad sha256'),
    (['state', '/opt', 'abc', 'sha256sum', 'sum=%s:../x' % ('0' * 64)], 'bad path'),
    (['state', '/opt', 'abc', 'sha256sum'], 'no sum='),
    (['install', '/opt', 'abc', 'sha256sum', 'sum=%s:bin/x' % ('0' * 64), 'from=/tmp/a b:bin/x'], 'bad file'),
    (['switch', '/opt', 'abc', 'sha256sum', 'sum=%s:bin/x' % ('0' * 64), '--keep=1'], 'at least 2'),
])
def test_bad_usage_is_refused_with_the_reason(args, message):
    proc = subprocess.run(['dash', SCRIPT] + args, capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and message in proc.stderr, proc.stderr


def counting_sha256(host):
    """A sha256 command that logs each file it reads: how often release.sh hashes."""
    log = host.tmp / 'hashed.log'
    tool = host.tmp / 'sha256-counting'
    tool.write_text('#!/bin/sh\necho x >>%s\nexec sha256sum\n' % log)
    tool.chmod(0o755)
    return str(tool), log


def hashed(log):
    count = len(log.read_text().splitlines()) if log.exists() else 0
    log.unlink(missing_ok=True)
    return count


def test_a_verified_release_is_not_read_again_unless_asked(host):
    tool, log = counting_sha256(host)
    host.deploy(R1, sha256=tool)
    hashed(log)
    assert host.run('state', R1, sha256=tool).stdout.splitlines()[-1] == 'release ok'
    assert hashed(log) == 0
    assert 'release ok' in host.run('install', R1, sha256=tool).stdout
    assert host.run('switch', R1, sha256=tool).stdout == ''
    assert hashed(log) == 0
    # verify.yml's state reads every file.
    assert host.run('state', R1, '--rehash', sha256=tool).stdout.splitlines()[-1] == 'release ok'
    assert hashed(log) == len(R1['files'])


def test_a_release_installed_before_the_record_is_recorded_by_the_next_install(host):
    tool, log = counting_sha256(host)
    host.deploy(R1, sha256=tool)
    for record in (host.prefix / 'verified').iterdir():
        record.unlink()
    hashed(log)
    assert host.run('state', R1, sha256=tool).stdout.splitlines()[-2:] == ['release ok', 'record stale']
    assert hashed(log) == len(R1['files'])
    assert host.run('install', R1, sha256=tool).stdout == 'release ok %s\n' % R1['id']
    hashed(log)
    assert host.run('state', R1, sha256=tool).stdout.splitlines()[-1] == 'release ok'
    assert hashed(log) == 0


def test_a_file_changed_behind_the_record_is_read_and_reported(host):
    tool, log = counting_sha256(host)
    host.deploy(R1, sha256=tool)
    hashed(log)
    target = host.prefix / 'releases' / R1['id'] / 'bin/dockerd'
    before = target.stat()
    # Same size, the old mtime put back: only the ctime (which nobody can set back) tells.
    target.write_bytes(b'dockerd X\n')
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    state = host.run('state', R1, sha256=tool).stdout.splitlines()
    assert 'release damaged' in state and 'ship bin/dockerd' in state and 'ship bin/docker' not in state
    assert hashed(log) == 1


def test_without_stat_every_file_is_read(host):
    tool, log = counting_sha256(host)
    host.deploy(R1, sha256=tool)
    hashed(log)
    fake = host.tmp / 'nostat'
    fake.mkdir()
    (fake / 'stat').write_text('#!/bin/sh\nexit 1\n')
    (fake / 'stat').chmod(0o755)
    env = dict(os.environ, PATH='%s:%s' % (fake, os.environ['PATH']))
    assert host.run('state', R1, sha256=tool, env=env).stdout.splitlines()[-1] == 'release ok'
    assert hashed(log) == len(R1['files'])


def test_a_new_release_reads_only_the_files_it_does_not_share_with_the_verified_current_one(host):
    tool, log = counting_sha256(host)
    host.deploy(R1, sha256=tool)
    hashed(log)
    # R2 shares bin/docker with R1: state and install take its sha256 from R1's record, the hard link is not read.
    state = host.run('state', R2, sha256=tool).stdout.splitlines()
    assert 'same bin/docker' in state and 'ship bin/dockerd' in state and 'ship manifest.json' in state
    assert hashed(log) == 0
    tgz = tarball(host.tmp / 'r2.tgz', {p: d for p, d in R2['files'].items() if p != 'bin/docker'})
    out = host.run('install', R2, '--tarball=' + tgz, sha256=tool).stdout
    assert 'linked bin/docker' in out and 'installed %s' % R2['id'] in out
    assert hashed(log) == 2
    assert not list(host.prefix.joinpath('releases').glob('.*'))
    host.run('switch', R2, sha256=tool)
    assert (host.bin / 'docker').read_bytes() == b'docker 1\n'


def test_a_current_file_changed_behind_its_record_is_not_hard_linked(host):
    host.deploy(R1)
    target = host.prefix / 'releases' / R1['id'] / 'bin/docker'
    before = target.stat()
    target.write_bytes(b'docker X\n')
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    state = host.run('state', R2).stdout.splitlines()
    assert 'ship bin/docker' in state
    tgz = tarball(host.tmp / 'r2.tgz', R2['files'])
    out = host.run('install', R2, '--tarball=' + tgz).stdout
    assert 'linked bin/docker' not in out
    assert (host.prefix / 'releases' / R2['id'] / 'bin/docker').read_bytes() == b'docker 1\n'


def test_state_prints_the_current_manifest_on_one_line(host):
    manifest = json.dumps({'id': 'r5', 'components': {'runc': {'files': [{'path': 'bin/runc', 'sha256': 'ab'}]}}}, indent=2)
    r5 = release({'bin/dockerd': b'dockerd 5\n', 'bin/docker': b'docker 5\n', 'manifest.json': manifest.encode() + b'\n'})
    assert not [line for line in host.run('state', r5).stdout.splitlines() if line.startswith('manifest ')]
    host.deploy(r5)
    lines = [line for line in host.run('state', R1).stdout.splitlines() if line.startswith('manifest ')]
    assert len(lines) == 1 and json.loads(lines[0][len('manifest '):]) == json.loads(manifest)
