# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults never leave the host without Docker. Each test injects one fault into a host that runs the
release, checks that the previous dockerd still runs (or was rolled back to and runs), that the
data of a container's volume is intact and the container is still there, and that a re-run of
site.yml converges. The tests run in file order; each leaves the host converged for the next."""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import testinfra
from site_run import converges, kill_at_task, playbook, start

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
SCENARIO = Path(os.environ.get("MOLECULE_SCENARIO_DIRECTORY", Path(__file__).resolve().parents[1]))
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE", "")
CACHE = Path(os.environ.get("SOURCEBUILT_DOCKER_CACHE", PROJECT / ".cache" / "artifacts"))
BUSYBOX_TAR = PROJECT / ".cache" / "images" / "busybox-rootfs.tar"
BUSYBOX = "sourcebuilt/busybox:faults"
PATCH = SCENARIO / "files" / "0001-runc-usage-faults-marker.patch"
PREFIX = "/opt/sourcebuilt-docker"
ROOT = "/var/lib/sourcebuilt-docker"
NAME = "sb-faults"
DATA = "written before the faults"

testinfra_hosts = [NAME]


@pytest.fixture(scope="module")
def host():
    return testinfra.get_host("ansible://" + NAME, ansible_inventory=INVENTORY, sudo=True)


def dockerd_pid(host) -> str:
    return host.check_output("systemctl show -p MainPID --value docker.service")


def current_release(host) -> str:
    return host.check_output("basename \"$(readlink %s/current)\"" % PREFIX)


def assert_docker_and_data_intact(host) -> None:
    assert host.service("docker").is_running
    assert host.check_output("docker version --format '{{.Server.Version}}'") == "20.10.24"
    assert host.check_output("docker ps -a --filter name=sentinel --format '{{.Names}}'") == "sentinel"
    out = host.check_output("docker run --rm --network none -v keep:/data %s cat /data/file" % BUSYBOX)
    assert out == DATA
    # The container with a restart policy runs again after every restart, its volume's data read from inside it.
    for _ in range(30):
        if host.check_output("docker inspect -f '{{.State.Running}}' keeper") == "true":
            break
        time.sleep(1)
    assert host.check_output("docker exec keeper cat /data/file") == DATA
    assert host.run("pgrep -c -x dockerd").stdout.strip() == "1"


@contextlib.contextmanager
def api_watch(host, name: str):
    """Poll the API from inside the host twice a second while the block runs; afterwards print and keep in
    DOWNTIME the longest time dockerd did not answer."""
    log = "/tmp/sb-watch-%s.log" % name
    host.check_output("setsid sh -c 'while :; do if timeout 2 docker version >/dev/null 2>&1; then s=up; else s=down; fi;"
                      " echo \"$(date +%%s.%%N) $s\"; sleep 0.5; done' > %s 2>&1 < /dev/null & echo $! > %s.pid" % (log, log))
    try:
        yield
    finally:
        host.run("kill $(cat %s.pid)" % log)
    longest, since = 0.0, None
    for line in host.check_output("cat %s" % log).splitlines():
        stamp, state = line.split()
        if state == "down" and since is None:
            since = float(stamp)
        elif state == "up" and since is not None:
            longest, since = max(longest, float(stamp) - since), None
    DOWNTIME[name] = longest
    # Kept for the notes: .cache/faults-downtime.json, one entry per watched fault.
    record = PROJECT / ".cache" / "faults-downtime.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(record.read_text()) if record.exists() else {}
    record.write_text(json.dumps(dict(known, **{name: round(longest, 1)}), indent=1) + "\n")


DOWNTIME: dict = {}


@pytest.fixture(scope="module", autouse=True)
def sentinel(host):
    """A volume with data and a container that uses it, made before any fault."""
    host.ansible("ansible.builtin.copy", "src=%s dest=/tmp/busybox-rootfs.tar mode=0644" % BUSYBOX_TAR,
                 check=False, become=True)
    host.check_output("docker import /tmp/busybox-rootfs.tar %s" % BUSYBOX)
    host.check_output("docker volume create keep")
    host.check_output("docker run --rm --network none -v keep:/data %s sh -c 'echo \"%s\" > /data/file'" % (BUSYBOX, DATA))
    host.check_output("docker create --name sentinel --network none -v keep:/data %s sleep 3600" % BUSYBOX)
    host.check_output("docker run -d --name keeper --restart always --network none -v keep:/data %s sleep 100000" % BUSYBOX)
    assert_docker_and_data_intact(host)


def test_compiler_killed_mid_build_then_rerun(host):
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


def test_unreachable_mirror_is_retried_then_explained(host):
    before_pid, before_release = dockerd_pid(host), current_release(host)
    extra = ('{"build_component_overrides": {"runc": {"source": {"type": "git", "repo": "git://127.0.0.1:9/runc.git",'
             ' "ref": "v1.1.5"}, "commit": "f19387a6bec4944c770f7668ab51c4348d9c2f38"}}}')
    proc = playbook("-t", "runc", "-e", extra)
    assert proc.returncode != 0
    assert "git://127.0.0.1:9/runc.git" in proc.stdout
    assert "FAILED - RETRYING" in proc.stdout
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)


def test_damaged_cache_artifact_is_refused(host):
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


def test_failed_health_check_rolls_back(host):
    """A daemon.json that dockerd accepts on paper but cannot start with: the play restarts dockerd,
    sees it fail, puts back the previous config, restarts that, and fails with dockerd's log."""
    before_release = current_release(host)
    before_json = host.file("/etc/docker/daemon.json").content_string
    with api_watch(host, "failed-health-check"):
        proc = playbook("-e", '{"daemon_options": {"exec-root": "/proc/sourcebuilt-faults"}}')
    assert proc.returncode != 0
    assert "did not come up healthy" in proc.stdout
    assert "rolled back to" in proc.stdout and "that daemon is healthy" in proc.stdout
    assert "sourcebuilt-faults" in proc.stdout  # dockerd's own error, from the log tail
    assert host.file("/etc/docker/daemon.json").content_string == before_json
    assert current_release(host) == before_release
    assert_docker_and_data_intact(host)
    out = converges()
    assert "failed=0" in out


def test_interrupted_between_install_and_restart_completes_next_run(host):
    """Kill ansible-playbook right after it wrote a new daemon.json, before the restart: dockerd still
    runs the old config; the next run notices and restarts it."""
    before_pid = dockerd_pid(host)
    extra = '{"daemon_options": {"log-level": "warn"}}'
    # The task after "config | Write daemon.json" starts: the file is written, no restart yet.
    kill_at_task("systemd | Write the docker, socket and containerd units", "-e", extra)
    assert '"log-level": "warn"' in host.file("/etc/docker/daemon.json").content_string
    assert dockerd_pid(host) == before_pid  # interrupted: nothing restarted it

    out = converges("-e", extra)
    assert "changed after dockerd started" in out and "dockerd is restarted to repair it" in out
    assert dockerd_pid(host) != before_pid
    assert_docker_and_data_intact(host)
    converges()  # back to the scenario's config


def test_patch_that_does_not_apply_shows_its_rejected_hunk(host):
    """containerd (forced) starts compiling first, then runc's patch fails: the run fails with the
    rejected hunk and stops the containerd compile instead of leaving it running."""
    before_pid, before_release = dockerd_pid(host), current_release(host)
    bad = SCENARIO / "files" / "0002-runc-does-not-apply.patch"
    proc = playbook("-t", "containerd,runc", "-e", "build_force=containerd",
                    "-e", '{"build_component_overrides": {"runc": {"patches": ["%s"]}}}' % bad)
    assert proc.returncode != 0
    assert "001-0002-runc-does-not-apply.patch does not apply to runc" in proc.stdout
    assert "stopped the compile of containerd" in proc.stdout
    # Ansible's async wrapper notices its job ended within a few seconds, then nothing of the build account runs.
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


def test_commit_that_does_not_match_the_tag_is_refused(host, tmp_path):
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
                               "--port=19418", "--reuseaddr", str(tmp_path)])
    try:
        time.sleep(1)
        extra = ('{"build_component_overrides": {"runc": {"source": {"type": "git", "repo": "git://127.0.0.1:19418/runc.git",'
                 ' "ref": "v1.1.5"}, "commit": "f19387a6bec4944c770f7668ab51c4348d9c2f38"}}}')
        proc = playbook("-t", "runc", "-e", extra)
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
    assert proc.returncode != 0
    assert "v1.1.5 is commit %s, not the pinned f19387a6bec4944c770f7668ab51c4348d9c2f38" % moved in proc.stdout
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)


def test_archive_whose_sha256_differs_is_refused(host, tmp_path):
    before_pid, before_release = dockerd_pid(host), current_release(host)
    (tmp_path / "tini-0.19.0.tar.gz").write_bytes(b"not the archive that was pinned\n")
    server = subprocess.Popen([sys.executable, "-m", "http.server", "19480", "--bind", "127.0.0.1",
                               "--directory", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        extra = ('{"build_component_overrides": {"tini": {"source": {"type": "archive",'
                 ' "url": "http://127.0.0.1:19480/tini-0.19.0.tar.gz", "sha256": "%s"}}}}' % ("0" * 64))
        proc = playbook("-t", "tini", "-e", extra)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert proc.returncode != 0
    assert "tini-0.19.0.tar.gz" in proc.stdout and "did not match" in proc.stdout
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)


# Words that a shell or systemd would run or rewrite; each must reach dockerd as it is.
NASTY = ["$(touch /tmp/sb-pwned)", "`touch /tmp/sb-pwned2`", "${PATH}", "$HOME", "%n %% %i", "it's", 'say "hi"',
         "back\\slash", "two  spaces", "semi;colon && pipe|"]


def test_flag_values_reach_dockerd_verbatim(host):
    """daemon_flags values with $(...), backticks, $VAR, %-specifiers, quotes, backslashes and spaces reach
    dockerd unchanged through the systemd unit, and nothing in them runs."""
    labels = ["sb.l%d=%s" % (i, value) for i, value in enumerate(NASTY)]
    converges("-e", json.dumps({"daemon_flags": {"label": labels}}))
    assert host.run("ls /tmp/sb-pwned /tmp/sb-pwned2").rc != 0
    # dockerd lists its labels in an order of its own.
    assert sorted(json.loads(host.check_output("docker info --format '{{json .Labels}}'"))) == sorted(labels)
    assert_docker_and_data_intact(host)
    converges()
    assert json.loads(host.check_output("docker info --format '{{json .Labels}}'")) in ([], None)


def test_deleted_socket_on_an_up_to_date_host_is_repaired(host):
    """The API socket removed under a running dockerd: the next run notices on a host with nothing to change."""
    before_pid = dockerd_pid(host)
    host.check_output("rm -f /var/run/docker.sock")
    with api_watch(host, "deleted-socket"):
        out = converges()
    assert "/var/run/docker.sock is missing: dockerd is restarted to repair it" in out
    assert dockerd_pid(host) != before_pid
    assert_docker_and_data_intact(host)


def test_dockerd_that_hangs_at_start_is_bounded_and_rolled_back(host):
    """A dockerd that never gets ready (its containerd socket accepts and never answers): each wait ends after
    daemon_health_timeout, the previous unit comes back and runs, and the play fails naming the cause."""
    host.check_output("setsid python3 -c 'import socket, time; s = socket.socket(socket.AF_UNIX); "
                      "s.bind(\"/run/sb-hang.sock\"); s.listen(8); time.sleep(900)' >/dev/null 2>&1 < /dev/null &")
    before_unit = host.file("/etc/systemd/system/docker.service").content_string
    started = time.monotonic()
    try:
        with api_watch(host, "hang"):
            proc = playbook("-e", json.dumps({"daemon_flags": {"containerd": "/run/sb-hang.sock"}, "daemon_health_timeout": 25}))
    finally:
        host.run("pkill -f sb-hang.sock; rm -f /run/sb-hang.sock")
    elapsed = time.monotonic() - started
    assert proc.returncode != 0
    assert "did not come up healthy" in proc.stdout and "that daemon is healthy" in proc.stdout
    assert elapsed < 300, "the failed restart took %d s" % elapsed
    assert DOWNTIME["hang"] < 120
    assert host.file("/etc/systemd/system/docker.service").content_string == before_unit
    assert_docker_and_data_intact(host)


CONTAINERD_CHANGE = json.dumps({"build_component_overrides": {"containerd": {
    "build_tags": ["osusergo", "netgo", "static_build", "no_btrfs"]}}})


def test_containerd_change_interrupted_after_the_switch_is_finished_next_run(host):
    """The controller dies right after `current` switched to a release with a new containerd: dockerd and its
    containerd still run the old binaries; the next run sees the containerd drift and restarts."""
    before_release = current_release(host)
    kill_at_task("switch | Read the links in the bin and libexec directories", "-e", CONTAINERD_CHANGE)
    assert current_release(host) != before_release

    with api_watch(host, "containerd-drift"):
        out = converges("-e", CONTAINERD_CHANGE)
    assert "not the installed" in out and "dockerd is restarted to repair it" in out
    containerd = host.check_output("pgrep -x containerd")
    assert host.run("cmp /proc/%s/exe /usr/local/bin/containerd" % containerd).rc == 0
    assert_docker_and_data_intact(host)


def test_failed_restart_after_a_switch_returns_to_the_release_before_with_its_links(host):
    """A switch to another release whose dockerd then fails to start: current, every link and the config
    go back, that dockerd runs, and `previous` does not name the release that failed."""
    before_release = current_release(host)
    before_links = host.check_output("find /usr/local/bin /usr/local/libexec/docker -maxdepth 1 -type l -printf '%p %l\\n' | sort")
    with api_watch(host, "failed-switch"):
        proc = playbook("-e", '{"daemon_options": {"exec-root": "/proc/sourcebuilt-faults"}}')
    assert proc.returncode != 0
    assert DOWNTIME["failed-switch"] < 120
    assert "rolled back to release %s" % before_release in proc.stdout and "that daemon is healthy" in proc.stdout
    failed = re.search(r"Switch the current link to release ([0-9a-f]+)", proc.stdout).group(1)
    assert failed != before_release
    assert current_release(host) == before_release
    assert host.check_output("cat %s/previous" % PREFIX) != failed
    assert host.check_output("find /usr/local/bin /usr/local/libexec/docker -maxdepth 1 -type l -printf '%p %l\\n' | sort") == before_links
    assert_docker_and_data_intact(host)
    converges()


def test_release_without_dockerd_is_never_installed(host):
    before_pid, before_release = dockerd_pid(host), current_release(host)
    proc = playbook("-e", '{"build_component_overrides": {"dockerd": {"enabled": false}}}')
    assert proc.returncode != 0
    assert "dockerd" in proc.stdout and "enabled" in proc.stdout
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert host.file("/usr/local/bin/dockerd").is_symlink
    assert_docker_and_data_intact(host)


def test_full_disk_during_install_leaves_no_partial_file(host):
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
        new = re.search(r"Copy the binaries of release ([0-9a-f]+)", proc.stdout)
        leftovers = host.run("find %s/releases/%s -type f ! -name manifest.json -size -1k"
                             % (PREFIX, new.group(1) if new else "none")).stdout
    finally:
        host.run("umount -l %s/releases; rm -rf /tmp/sb-releases" % PREFIX)
    assert proc.returncode != 0
    assert "Copying release" in proc.stdout and "failed" in proc.stdout and "free space under" in proc.stdout, proc.stdout[-3000:]
    assert leftovers.strip() == "", leftovers
    assert dockerd_pid(host) == before_pid and current_release(host) == before_release
    assert_docker_and_data_intact(host)
    converges("-t", "runc", "-e", extra)
    assert "seccomp" not in host.check_output("runc --version")
    converges()


def test_installed_files_owners_and_modes(host):
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
