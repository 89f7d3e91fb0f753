# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""dockerd runs from /etc/init.d/docker on a host without systemd: LSB script, start/stop/restart/
status/reload, --iptables=false, and a container from a locally imported image."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from site_run import converges

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
BUSYBOX_TAR = PROJECT / ".cache" / "images" / "busybox-rootfs.tar"
SCRIPT = "/etc/init.d/docker"
SOCKET = "/var/run/docker.sock"
PIDFILE = "/var/run/docker.pid"
VERSION = "20.10.24"


def status(host):
    return host.run("service docker status").rc


def dockerd_pid(host):
    return host.file(PIDFILE).content_string.strip()


@pytest.fixture(autouse=True)
def _root(host):
    with host.sudo():
        yield


def test_init_script_is_lsb_and_chkconfig(host):
    script = host.file(SCRIPT)
    assert script.exists
    assert script.user == "root"
    assert script.group == "root"
    assert script.mode == 0o755
    text = script.content_string
    assert "### BEGIN INIT INFO" in text and "### END INIT INFO" in text
    assert "# Provides:          docker" in text
    assert "# Required-Start:    $remote_fs $syslog" in text
    assert "# Default-Start:     2 3 4 5" in text
    assert "# chkconfig: 2345 95 95" in text


def test_no_systemd_and_enabled_at_boot(host):
    assert host.file("/proc/1/comm").content_string.strip() != "systemd"
    assert host.run("ls /etc/rc2.d/S*docker").rc == 0


def test_config_files(host):
    daemon_json = host.file("/etc/docker/daemon.json")
    assert daemon_json.user == "root" and daemon_json.mode == 0o644
    assert '"bridge": "none"' in daemon_json.content_string
    assert "--iptables=false" in host.file("/etc/default/docker").content_string


def test_running_with_iptables_off(host):
    assert status(host) == 0
    version = host.check_output("docker version --format '{{.Server.Version}}'")
    assert version == VERSION
    cmdline = host.file("/proc/%s/cmdline" % dockerd_pid(host)).content_string.replace("\0", " ")
    assert "dockerd" in cmdline
    assert "--iptables=false" in cmdline


def test_stop_start_restart_reload(host):
    assert host.run("service docker stop").rc == 0
    assert status(host) == 3
    assert not host.file(SOCKET).exists
    start = host.run("service docker start")
    assert start.rc == 0, start.stdout + start.stderr
    assert status(host) == 0
    assert host.file(SOCKET).is_socket
    before = dockerd_pid(host)
    restart = host.run("service docker restart")
    assert restart.rc == 0, restart.stdout + restart.stderr
    after = dockerd_pid(host)
    assert after and after != before
    assert host.run("service docker reload").rc == 0
    time.sleep(1)
    assert status(host) == 0
    assert dockerd_pid(host) == after
    assert host.run("docker info").rc == 0


def test_run_a_container(host):
    assert BUSYBOX_TAR.exists(), "the harness writes %s" % BUSYBOX_TAR
    copied = host.ansible("copy", "src=%s dest=/tmp/busybox.tar mode=0644" % BUSYBOX_TAR, become=True, check=False)
    assert not copied.get("failed"), copied
    host.check_output("docker import /tmp/busybox.tar sourcebuilt/busybox:test")
    out = host.check_output("docker run --rm --network none sourcebuilt/busybox:test echo hello-from-sourcebuilt")
    assert out == "hello-from-sourcebuilt"


def test_artifacts_came_over_http():
    """Every deployed component was downloaded from build_cache_url, manifest and binaries."""
    log = (Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "http.log").read_text()
    for path in ("/runc/", "/containerd/", "/dockerd/", "/cli/", "/tini/", "/proxy/"):
        assert f'"GET {path}' in log and "/manifest.json HTTP/1.1\" 200" in log, path
    assert '/bin/dockerd HTTP/1.1" 200' in log


# Words that /bin/sh would run or expand if the defaults file did not quote them; each reaches dockerd as it is.
NASTY = ["$(touch /tmp/sb-pwned)", "`touch /tmp/sb-pwned2`", "${PATH}", "$HOME", "%n %% %i", "it's", 'say "hi"',
         "back\\slash", "two  spaces", "semi;colon && pipe|"]
DATA = "kept across restarts"


def assert_one_dockerd_and_the_container_runs(host):
    assert host.run("pgrep -c -x dockerd").stdout.strip() == "1"
    assert status(host) == 0
    for _ in range(30):
        if host.check_output("docker inspect -f '{{.State.Running}}' keeper") == "true":
            break
        time.sleep(1)
    assert host.check_output("docker exec keeper cat /data/file") == DATA


def test_container_with_restart_policy_and_volume(host):
    host.check_output("docker volume create keep")
    host.check_output("docker run --rm --network none -v keep:/data sourcebuilt/busybox:test sh -c 'echo \"%s\" > /data/file'"
                      % DATA)
    host.check_output("docker run -d --name keeper --restart always --network none -v keep:/data sourcebuilt/busybox:test "
                      "sleep 100000")
    assert_one_dockerd_and_the_container_runs(host)


def test_flag_values_reach_dockerd_verbatim(host):
    """The defaults file quotes every flag: the init script's eval runs nothing and dockerd gets each word."""
    labels = ["sb.l%d=%s" % (i, value) for i, value in enumerate(NASTY)]
    converges("-e", json.dumps({"daemon_flags": {"label": labels}}))
    assert host.run("ls /tmp/sb-pwned /tmp/sb-pwned2").rc != 0
    # dockerd lists its labels in an order of its own.
    assert sorted(json.loads(host.check_output("docker info --format '{{json .Labels}}'"))) == sorted(labels)
    argv = host.file("/proc/%s/cmdline" % dockerd_pid(host)).content_string.split("\0")
    assert ["--label=" + label for label in labels] == [word for word in argv if word.startswith("--label=")]
    # The script itself, called by hand, also runs nothing.
    assert host.run("service docker status").rc == 0 and host.run("ls /tmp/sb-pwned").rc != 0
    assert_one_dockerd_and_the_container_runs(host)
    converges()
    assert_one_dockerd_and_the_container_runs(host)


def test_lost_pidfile_never_starts_a_second_dockerd(host):
    before = dockerd_pid(host)
    host.check_output("rm -f %s" % PIDFILE)
    out = converges()
    assert "changed=0" in out.split("PLAY RECAP")[-1]
    assert host.run("pgrep -c -x dockerd").stdout.strip() == "1"
    # start finds the dockerd that runs (and writes its pidfile again) instead of starting another.
    assert "already running (pid %s)" % before in host.check_output("service docker start")
    assert dockerd_pid(host) == before
    assert_one_dockerd_and_the_container_runs(host)


def test_deleted_socket_is_repaired(host):
    before = dockerd_pid(host)
    host.check_output("rm -f %s" % SOCKET)
    out = converges()
    assert "%s is missing: dockerd is restarted to repair it" % SOCKET in out
    assert dockerd_pid(host) != before
    assert_one_dockerd_and_the_container_runs(host)


def test_uninstall_removes_the_collection_and_keeps_the_data(host):
    """Last: playbooks/uninstall.yml stops dockerd and removes everything the collection installed; the
    data-root with the volume's data stays; a second run changes nothing."""
    out = converges("uninstall.yml")
    assert "data-root /var/lib/docker (images, containers, volumes) stays" in out
    assert host.run("pgrep -x dockerd").rc != 0 and host.run("pgrep -x containerd").rc != 0
    for path in ("/etc/init.d/docker", "/etc/default/docker", "/etc/docker/daemon.json", "/usr/local/bin/dockerd",
                 "/usr/local/bin/docker", "/usr/local/libexec/docker/docker-init", "/opt/sourcebuilt-docker",
                 "/var/lib/sourcebuilt-docker"):
        assert not host.file(path).exists, path
    assert host.run("ls /etc/rc*.d/*docker*").rc != 0
    assert host.run("ls /etc/docker/*~").rc != 0
    assert not host.user("sourcebuilt").exists
    volume = host.check_output("ls -d /var/lib/docker/volumes/keep/_data")
    assert host.file(volume + "/file").content_string.strip() == DATA
    assert "changed=0" in converges("uninstall.yml").split("PLAY RECAP")[-1]
