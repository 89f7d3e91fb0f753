# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""A host with Debian's docker.io and a running container: without daemon_adopt, site.yml stops in the daemon
preflight before any change, names the package, units and running dockerd and the setting that adopts the host,
and warns about the geerlingguy.docker variables of the inventory. The container and its data are untouched."""
from __future__ import annotations

import json
import re

import pytest
import site_run

# Files a failed play could have written (the docker and containerd state dirs are volumes: -xdev).
SNAPSHOT = (
    "find /etc /opt /usr /var/lib /root /srv -xdev \\( -path /var/lib/systemd -o -path /root/.ansible \\) -prune"
    " -o -printf '%p %y %s %T@ %m %u:%g %l\\n' 2>/dev/null | LC_ALL=C sort"
)


def state(host):
    return set(host.check_output(SNAPSHOT).splitlines())


def keeper(host):
    return host.check_output("docker inspect -f '{{.Id}} {{.State.Running}} {{.State.Pid}}' keeper").split()


def only(host, name):
    if host.backend.get_hostname() != name:
        pytest.skip("runs on %s only" % name)


def test_packaged_engine_stops_the_run_before_any_change(host):
    only(host, "sb-adopt")
    before_files, before_keeper = state(host), keeper(host)
    extra = {"docker_users": [], "docker_daemon_options": {"live-restore": True}}
    result = site_run.playbook("--limit", "sb-adopt", "-e", json.dumps(extra))
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    output = " ".join(plain.replace('\\"', '"').replace("\\n", " ").split())
    assert result.returncode != 0, result.stdout
    assert "Stop on a Docker engine this collection did not install" in result.stdout
    for words in ("sb-adopt has a Docker engine this collection did not install",
                  "package docker.io 20.10.24", "systemd unit docker.service (/",
                  "dockerd running as pid", "from /usr/sbin/dockerd", "Nothing was changed",
                  "set daemon_adopt: true for it",
                  "docker_users is a variable of geerlingguy.docker that sourcebuilt.docker does not read; set daemon_users",
                  "docker_daemon_options is a variable of geerlingguy.docker"):
        assert words in output, "%r not in the output:\n%s" % (words, result.stdout[-6000:])
    assert re.search(r"sb-adopt\s*: ok=\d+\s+changed=0\s+unreachable=0\s+failed=1\s", plain), plain[-3000:]
    assert state(host) == before_files
    assert keeper(host) == before_keeper and before_keeper[1] == "true"
    assert host.check_output("docker exec keeper /bin/cat /data/file") == "kept-by-adopt"


def test_snapshot_sees_a_change(host):
    only(host, "sb-adopt")
    before = state(host)
    host.check_output("touch /etc/sb-adopt-probe")
    try:
        assert any(line.startswith("/etc/sb-adopt-probe ") for line in state(host) - before)
    finally:
        host.check_output("rm -f /etc/sb-adopt-probe")


def test_live_restore_keeps_a_container_running_across_a_dockerd_restart(host):
    only(host, "sb-adopt-live")
    assert '"live-restore": true' in host.check_output("cat /etc/docker/daemon.json")
    host.check_output("rm -rf /tmp/bb && mkdir -p /tmp/bb/bin && cp /bin/busybox /tmp/bb/bin/"
                      " && ln -s busybox /tmp/bb/bin/sleep && tar -C /tmp/bb -c . | docker import - sourcebuilt/busybox:live")
    host.check_output("docker run -d --name live --restart always --network none sourcebuilt/busybox:live /bin/sleep 1000000")
    before = host.check_output("docker inspect -f '{{.Id}} {{.State.Pid}}' live").split()
    dockerd = host.check_output("systemctl show -p MainPID --value docker")
    host.check_output("systemctl restart docker")
    host.check_output("for i in $(seq 60); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1")
    assert host.check_output("systemctl show -p MainPID --value docker") != dockerd
    assert host.check_output("docker inspect -f '{{.Id}} {{.State.Pid}}' live").split() == before
    assert host.run("kill -0 %s" % before[1]).rc == 0
