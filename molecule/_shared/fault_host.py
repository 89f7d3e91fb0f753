# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The host the faults-build and faults-restart scenarios inject faults into, as a pytest plugin: a test
module names its instance in ``testinfra_hosts`` and loads this with ``pytest_plugins = ["fault_host"]``.

Before the first test, a volume gets data and two containers use it (``sentinel``, stopped; ``keeper``,
restarted by dockerd). After each fault, ``assert_docker_and_data_intact`` proves that dockerd runs, the
containers are there and the volume's data is intact; ``api_watch`` measures how long the API did not
answer during a fault and keeps it in .cache/faults-downtime.json."""
from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import testinfra
from testinfra.host import Host

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[2]))
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE", "")
BUSYBOX_TAR = PROJECT / ".cache" / "images" / "busybox-rootfs.tar"
BUSYBOX = "sourcebuilt/busybox:faults"
PREFIX = "/opt/sourcebuilt-docker"
ROOT = "/var/lib/sourcebuilt-docker"
DATA = "written before the faults"
DOWNTIME_RECORD = PROJECT / ".cache" / "faults-downtime.json"

# The longest time the API did not answer, in seconds, by the name given to api_watch.
DOWNTIME: dict[str, float] = {}


@pytest.fixture(scope="module")
def host(request: pytest.FixtureRequest) -> Host:
    """The test module's one instance (its testinfra_hosts), every command run with sudo."""
    (name,) = request.module.testinfra_hosts
    return testinfra.get_host("ansible://" + name, ansible_inventory=INVENTORY, sudo=True)


def dockerd_pid(host: Host) -> str:
    return host.check_output("systemctl show -p MainPID --value docker.service")


def current_release(host: Host) -> str:
    return host.check_output("basename \"$(readlink %s/current)\"" % PREFIX)


def assert_docker_and_data_intact(host: Host) -> None:
    """dockerd 20.10.24 runs once, the sentinel container is there, and the volume's data reads back the same
    from a new container and from inside the restarted keeper."""
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
def api_watch(host: Host, name: str) -> Iterator[None]:
    """Poll the API from inside the host twice a second while the block runs; afterwards keep in DOWNTIME
    and in .cache/faults-downtime.json the longest time dockerd did not answer."""
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
    # Kept for the notes: one entry per watched fault, from whichever scenario watched it.
    DOWNTIME_RECORD.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(DOWNTIME_RECORD.read_text()) if DOWNTIME_RECORD.exists() else {}
    DOWNTIME_RECORD.write_text(json.dumps(dict(known, **{name: round(longest, 1)}), indent=1) + "\n")


@pytest.fixture(scope="module", autouse=True)
def sentinel(host: Host) -> None:
    """A volume with data and a container that uses it, made before any fault."""
    host.ansible("ansible.builtin.copy", "src=%s dest=/tmp/busybox-rootfs.tar mode=0644" % BUSYBOX_TAR,
                 check=False, become=True)
    host.check_output("docker import /tmp/busybox-rootfs.tar %s" % BUSYBOX)
    host.check_output("docker volume create keep")
    host.check_output("docker run --rm --network none -v keep:/data %s sh -c 'echo \"%s\" > /data/file'" % (BUSYBOX, DATA))
    host.check_output("docker create --name sentinel --network none -v keep:/data %s sleep 3600" % BUSYBOX)
    host.check_output("docker run -d --name keeper --restart always --network none -v keep:/data %s sleep 100000" % BUSYBOX)
    assert_docker_and_data_intact(host)
