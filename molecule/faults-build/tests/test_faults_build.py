# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults on the build and install side never leave the host without Docker. Each test injects one
fault (a killed compiler, an unreachable mirror, a damaged cache entry, a patch that does not apply, a
moved tag, an archive whose sha256 differs, a release without dockerd, a full disk during install) into
a host that runs the release, checks that the previous dockerd still runs the previous release, that the
data of a container's volume is intact and the container is still there, and, where the fault can be
lifted, that a re-run of site.yml converges. Last, the owners and modes of everything installed. The
tests run in file order: the compile of the first leaves the runc log the later ones read."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from testinfra.host import Host

# Before the import, so that a failed assert in the shared checks shows its values.
pytest.register_assert_rewrite("fault_host")

from fault_host import PREFIX, PROJECT, ROOT, assert_docker_and_data_intact, current_release, dockerd_pid  # noqa: E402
from site_run import converges, playbook, start  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1]
FILES = SCENARIO / "files"
PATCH = FILES / "0001-runc-usage-faults-marker.patch"
CACHE = Path(os.environ.get("SOURCEBUILT_DOCKER_CACHE", PROJECT / ".cache" / "artifacts"))
# A git daemon and an HTTP server on the controller; the faults-restart scenario needs no port.
GIT_PORT = 19428
HTTP_PORT = 19490

testinfra_hosts = ["sb-faults-build"]
pytest_plugins = ["fault_host"]


def test_compiler_killed_mid_build_then_rerun(host: Host) -> None:
    """Kill every process of the build account while runc compiles: the play fails naming runc and
    its log, the running release is untouched, and the re-run compiles and installs the patch."""
    before_pid, before_release = dockerd_pid(host), current_release(host)
    extra = '{"build_component_overrides": {"runc": {"patches": ["%s"]}}}' % PATCH
    # build_force: compile even when an earlier run left this fingerprint in the controller cache.
    proc = start("-t", "runc", "-e", extra, "-e", "build_force=runc")
    killed = False
    deadline = time.monotonic() + 900
    while proc.poll() is None and time.monotonic() < deadline:
        # `go build` of runc runs as the build account; its compile/link children appear soon after.
        if host.run("pgrep -u sourcebuilt -f 'go build'").rc == 0:
            time.sleep(2)
            host.run("pkill -9 -u sourcebuilt")
            killed = True
            break
        time.sleep(0.5)
    out, _ = proc.communicate(timeout=600)
    assert killed, "the runc compile never started:\n" + out[-4000:]
    assert proc.returncode != 0
    assert "runc" in out and "%s/logs/runc.log" % ROOT in out
    assert dockerd_pid(host) == before_pid
    assert current_release(host) == before_release
    assert_docker_and_data_intact(host)

    out = converges("-t", "runc", "-e", extra, "-e", "build_force=runc")
    assert "Compiling runc" not in out and host.file("%s/logs/runc.status" % ROOT).content_string.strip() == "0"
    assert current_release(host) != before_release
    assert "sourcebuilt-faults-patch" in host.check_output("runc --help")
    assert dockerd_pid(host) == before_pid  # runc is used per container: no restart
    assert_docker_and_data_intact(host)


def test_unreachable_mirror_is_retried_then_explained(host: Host) -> None:
    before_pid, before_release = dockerd_pid(host), current_release(host)
    extra = ('{"build_component_overrides": {"runc": {"source": {"type": "git", "repo": "git://127.0.0.1:9/runc.git",'
             ' "ref": "v1.1.5"}, "commit": "f19387a6bec4944c770f7668ab51c4348d9c2f38"}}}')
    proc = playbook("-t", "runc", "-e", extra)
    assert proc.returncode != 0
    assert "git://127.0.0.1:9/runc.git" in proc.stdout
    assert "FAILED - RETRYING" in proc.stdout
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)


def test_damaged_cache_artifact_is_refused(host: Host) -> None:
    """A runc artifact in the controller cache whose bytes no longer match its manifest: reported as
    damaged, never installed; a host that may not compile refuses before any change."""
    before_pid, before_release = dockerd_pid(host), current_release(host)
    fingerprint = host.check_output("ls %s/artifacts/runc | head -n 1" % ROOT)
    entries = sorted(p.name for p in (CACHE / "runc").iterdir() if (p / "manifest.json").is_file())
    assert entries, "the controller cache has no runc entry"
    with tempfile.TemporaryDirectory(prefix="sourcebuilt-faults-cache-") as tmp:
        shutil.copytree(CACHE / "runc", Path(tmp) / "runc")
        for entry in entries:
            with open(Path(tmp) / "runc" / entry / "bin" / "runc", "ab") as binary:
                binary.write(b"\0damaged")
        # The host must need runc from the cache: forget its own copy of the profile's runc.
        for entry in entries:
            host.run("rm -rf %s/artifacts/runc/%s" % (ROOT, entry))
        proc = playbook("-t", "runc", "-e", "build_cache_dir=%s" % tmp, "-e", "build_allow_compile=false")
    assert proc.returncode != 0
    assert "is damaged: checksum mismatch" in proc.stdout
    assert "build_allow_compile is false" in proc.stdout
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)
    assert fingerprint


def test_patch_that_does_not_apply_shows_its_rejected_hunk(host: Host) -> None:
    """containerd (forced) starts compiling first, then runc's patch fails: the run fails with the
    rejected hunk and stops the containerd compile instead of leaving it running."""
    before_pid, before_release = dockerd_pid(host), current_release(host)
    bad = FILES / "0002-runc-does-not-apply.patch"
    proc = playbook("-t", "containerd,runc", "-e", "build_force=containerd",
                    "-e", '{"build_component_overrides": {"runc": {"patches": ["%s"]}}}' % bad)
    assert proc.returncode != 0
    assert "001-0002-runc-does-not-apply.patch does not apply to runc" in proc.stdout
    assert "stopped the compile of containerd" in proc.stdout
    # The stopped compile's process group ends within a few seconds, then nothing of the build account runs.
    for _ in range(15):
        if host.run("pgrep -u sourcebuilt").rc != 0:
            break
        time.sleep(1)
    assert host.run("pgrep -u sourcebuilt").rc != 0, host.run("ps -u sourcebuilt -o pid,args").stdout
    assert "rejected hunk(s) in ./main.go.rej" in proc.stdout and "as it was never written" in proc.stdout
    # Stopped before its compile: the log and exit status of the last runc compile are kept.
    assert host.file("%s/logs/runc.status" % ROOT).content_string.strip() == "0"
    assert host.file("%s/logs/runc.log" % ROOT).size > 0
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)


def test_commit_that_does_not_match_the_tag_is_refused(host: Host, tmp_path: Path) -> None:
    """A mirror whose tag points elsewhere than the pin (a moved tag, a wrong mirror)."""
    before_pid, before_release = dockerd_pid(host), current_release(host)
    repo = tmp_path / "runc.git"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q", str(tmp_path / "work")], check=True)
    (tmp_path / "work" / "main.go").write_text("package main\n")
    subprocess.run(git + ["-C", str(tmp_path / "work"), "add", "."], check=True)
    subprocess.run(git + ["-C", str(tmp_path / "work"), "commit", "-q", "-m", "moved tag"], check=True)
    subprocess.run(git + ["-C", str(tmp_path / "work"), "tag", "v1.1.5"], check=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(tmp_path / "work"), str(repo)], check=True)
    moved = subprocess.run(["git", "-C", str(repo), "rev-parse", "v1.1.5"], check=True, capture_output=True,
                           text=True).stdout.strip()
    daemon = subprocess.Popen(["git", "daemon", "--export-all", "--base-path=%s" % tmp_path, "--listen=127.0.0.1",
                               "--port=%d" % GIT_PORT, "--reuseaddr", str(tmp_path)])
    try:
        time.sleep(1)
        extra = ('{"build_component_overrides": {"runc": {"source": {"type": "git", "repo": "git://127.0.0.1:%d/runc.git",'
                 ' "ref": "v1.1.5"}, "commit": "f19387a6bec4944c770f7668ab51c4348d9c2f38"}}}' % GIT_PORT)
        proc = playbook("-t", "runc", "-e", extra)
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
    assert proc.returncode != 0
    assert "v1.1.5 is commit %s, not the pinned f19387a6bec4944c770f7668ab51c4348d9c2f38" % moved in proc.stdout
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)


def test_archive_whose_sha256_differs_is_refused(host: Host, tmp_path: Path) -> None:
    before_pid, before_release = dockerd_pid(host), current_release(host)
    (tmp_path / "tini-0.19.0.tar.gz").write_bytes(b"not the archive that was pinned\n")
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(HTTP_PORT), "--bind", "127.0.0.1",
                               "--directory", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        extra = ('{"build_component_overrides": {"tini": {"source": {"type": "archive",'
                 ' "url": "http://127.0.0.1:%d/tini-0.19.0.tar.gz", "sha256": "%s"}}}}' % (HTTP_PORT, "0" * 64))
        proc = playbook("-t", "tini", "-e", extra)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert proc.returncode != 0
    assert "tini-0.19.0.tar.gz" in proc.stdout and "did not match" in proc.stdout
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)


def test_release_without_dockerd_is_never_installed(host: Host) -> None:
    before_pid, before_release = dockerd_pid(host), current_release(host)
    proc = playbook("-e", '{"build_component_overrides": {"dockerd": {"enabled": false}}}')
    assert proc.returncode != 0
    assert "dockerd" in proc.stdout and "enabled" in proc.stdout
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert host.file("/usr/local/bin/dockerd").is_symlink
    assert_docker_and_data_intact(host)


def test_full_disk_during_install_leaves_no_partial_file(host: Host) -> None:
    """The releases directory on a file system with no room for the new runc: the copy fails with the
    reason, no partial file stays in the new release, the running release is untouched, and once there is
    room again the same run converges."""
    before_pid, before_release = dockerd_pid(host), current_release(host)
    # A runc without seccomp: other bytes than any release on the host has, so it is copied, not linked.
    extra = '{"build_component_overrides": {"runc": {"build_tags": ["netgo", "osusergo", "static_build", "urfave_cli_no_docs"]}}}'
    used = int(host.check_output("du -sm %s/releases | cut -f1" % PREFIX))
    host.check_output("mkdir -p /tmp/sb-releases && cp -a %s/releases/. /tmp/sb-releases/" % PREFIX)
    host.check_output("mount -t tmpfs -o size=%dm sb-full %s/releases && cp -a /tmp/sb-releases/. %s/releases/"
                      % (used + 2, PREFIX, PREFIX))
    try:
        host.run("dd if=/dev/zero of=%s/releases/filler bs=1M count=1" % PREFIX)
        proc = playbook("-t", "runc", "-e", extra)
        new = re.search(r"release \| Unpack, hard-link .* of release ([0-9a-f]+)", proc.stdout)
        # Neither the new release, nor its staging directory, nor the tarball that brought its manifest.
        leftovers = host.run("ls -1d %s/releases/%s %s/releases/.[!.]* 2>/dev/null"
                             % (PREFIX, new.group(1) if new else "none", PREFIX)).stdout
    finally:
        host.run("umount -l %s/releases; rm -rf /tmp/sb-releases" % PREFIX)
    assert proc.returncode != 0
    assert "Copying release" in proc.stdout and "failed" in proc.stdout and "free space under" in proc.stdout, proc.stdout[-3000:]
    assert leftovers.strip() == "", leftovers
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)
    converges("-t", "runc", "-e", extra)
    assert "seccomp" not in host.check_output("runc --version")


def test_installed_files_owners_and_modes(host: Host) -> None:
    release = "%s/current/" % PREFIX
    for binary in host.check_output("ls %sbin" % release).split():
        f = host.file(release + "bin/" + binary)
        assert (f.user, f.group, f.mode) == ("root", "root", 0o755), binary
    for path in ("/etc/docker/daemon.json", "/etc/systemd/system/docker.service", "/etc/systemd/system/docker.socket"):
        f = host.file(path)
        if path.endswith(".socket") and not f.exists:
            continue
        assert f.user == "root" and f.group == "root", path
        assert not f.mode & 0o022, "%s is group/world-writable (%o)" % (path, f.mode)
    sock = host.file("/var/run/docker.sock")
    assert sock.is_socket and sock.group == "docker" and sock.mode == 0o660
    # Builds run as the unprivileged build account: its logs and artifacts are its own.
    assert host.file("%s/logs/runc.log" % ROOT).user == "sourcebuilt"
    assert host.user("sourcebuilt").uid != 0
    assert host.check_output("stat -c %%U %s/artifacts/runc" % ROOT) == "sourcebuilt"
