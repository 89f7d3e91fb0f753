# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults on the restart side never leave the host without Docker. Each test injects one fault (a
dockerd that fails its health check or hangs at start, a run interrupted between install and restart
or after the switch of `current`, a deleted API socket, a failed restart after a switch) into a host
that runs the release, checks that the previous dockerd still runs or was rolled back to and runs, that
the data of a container's volume is intact and the container is still there, and that the next run
of site.yml converges; also that flag values reach dockerd verbatim. The API's longest silence in each
watched fault goes to .cache/faults-downtime.json. The tests run in file order; the containerd test
leaves the host on a release the last test switches away from."""
from __future__ import annotations

import json
import re
import time

import pytest
from testinfra.host import Host

# Before the import, so that a failed assert in the shared checks shows its values.
pytest.register_assert_rewrite("fault_host")

from fault_host import DOWNTIME, PREFIX, api_watch, assert_docker_and_data_intact, current_release, dockerd_pid  # noqa: E402
from site_run import converges, kill_at_task, playbook  # noqa: E402

testinfra_hosts = ["sb-faults-restart"]
pytest_plugins = ["fault_host"]


def test_failed_health_check_rolls_back(host: Host) -> None:
    """A daemon.json that dockerd accepts on paper but cannot start with: the play restarts dockerd,
    sees it fail, puts back the previous config, restarts that, and fails with dockerd's log."""
    before_release = current_release(host)
    before_json = host.file("/etc/docker/daemon.json").content_string
    with api_watch(host, "failed-health-check"):
        proc = playbook("-e", json.dumps({"daemon_options": {"exec-root": "/proc/sourcebuilt-faults"},
                                          "daemon_proxy_env": {"HTTPS_PROXY": "http://proxy.invalid:3128"}}))
    assert proc.returncode != 0
    assert "did not come up healthy" in proc.stdout
    assert "rolled back to" in proc.stdout and "that daemon is healthy" in proc.stdout
    assert "sourcebuilt-faults" in proc.stdout  # dockerd's own error, from the log tail
    assert host.file("/etc/docker/daemon.json").content_string == before_json
    assert current_release(host) == before_release
    assert_docker_and_data_intact(host)
    out = converges()
    assert "failed=0" in out


def test_interrupted_between_install_and_restart_completes_next_run(host: Host) -> None:
    """Kill ansible-playbook right after it wrote a new daemon.json, before the restart: dockerd still
    runs the old config; the next run notices and restarts it."""
    before_pid = dockerd_pid(host)
    extra = '{"daemon_options": {"log-level": "warn"}}'
    # The task after "files | Write daemon.json" starts: the file is written, no restart yet.
    kill_at_task("files | Write the unit files or init scripts of", "-e", extra)
    assert '"log-level": "warn"' in host.file("/etc/docker/daemon.json").content_string
    assert dockerd_pid(host) == before_pid  # interrupted: nothing restarted it

    out = converges("-e", extra)
    assert "changed after dockerd started" in out and "dockerd is restarted to repair it" in out
    assert dockerd_pid(host) != before_pid
    assert_docker_and_data_intact(host)
    # The next test's first run leaves the log level of this one (it asserts nothing about it).


# Words that a shell or systemd would run or rewrite; each must reach dockerd as it is.
NASTY = ["$(touch /tmp/sb-pwned)", "`touch /tmp/sb-pwned2`", "${PATH}", "$HOME", "%n %% %i", "it's", 'say "hi"',
         "back\\slash", "two  spaces", "semi;colon && pipe|"]


def test_flag_values_reach_dockerd_verbatim(host: Host) -> None:
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


def test_deleted_socket_on_an_up_to_date_host_is_repaired(host: Host) -> None:
    """The API socket removed under a running dockerd: the next run notices on a host with nothing to change."""
    before_pid = dockerd_pid(host)
    host.check_output("rm -f /var/run/docker.sock")
    with api_watch(host, "deleted-socket"):
        out = converges()
    assert "/var/run/docker.sock is missing: dockerd is restarted to repair it" in out
    assert dockerd_pid(host) != before_pid
    assert_docker_and_data_intact(host)


def test_dockerd_that_hangs_at_start_is_bounded_and_rolled_back(host: Host) -> None:
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


def test_containerd_change_interrupted_after_the_switch_is_finished_next_run(host: Host) -> None:
    """The controller dies right after `current` switched to a release with a new containerd: dockerd and its
    containerd still run the old binaries; the next run sees the containerd drift and restarts."""
    before_release = current_release(host)
    kill_at_task("switch | Record the installed release and the components that changed", "-e", CONTAINERD_CHANGE)
    assert current_release(host) != before_release

    with api_watch(host, "containerd-drift"):
        out = converges("-e", CONTAINERD_CHANGE)
    assert "not the installed" in out and "dockerd is restarted to repair it" in out
    containerd = host.check_output("pgrep -x containerd")
    assert host.run("cmp /proc/%s/exe /usr/local/bin/containerd" % containerd).rc == 0
    assert_docker_and_data_intact(host)


def test_failed_restart_after_a_switch_returns_to_the_release_before_with_its_links(host: Host) -> None:
    """A switch to another release whose dockerd then fails to start: current, every link and the config
    (daemon.json, and the proxy drop-in the run created) go back, that dockerd runs, and `previous` does not
    name the release that failed."""
    before_release = current_release(host)
    before_links = host.check_output("find /usr/local/bin /usr/local/libexec/docker -maxdepth 1 -type l -printf '%p %l\\n' | sort")
    with api_watch(host, "failed-switch"):
        proc = playbook("-e", json.dumps({"daemon_options": {"exec-root": "/proc/sourcebuilt-faults"},
                                          "daemon_proxy_env": {"HTTPS_PROXY": "http://proxy.invalid:3128"}}))
    assert proc.returncode != 0
    assert DOWNTIME["failed-switch"] < 120
    assert "rolled back to release %s" % before_release in proc.stdout and "that daemon is healthy" in proc.stdout
    # Written by the failed run, so removed by its rollback, which names each config file it restored or removed.
    assert "removed /etc/systemd/system/docker.service.d/proxy.conf" in proc.stdout
    assert re.search(r"restored /etc/docker/daemon\.json /etc/docker/daemon\.json\.[0-9]+\.[0-9@:-]+~", proc.stdout)
    assert not host.file("/etc/systemd/system/docker.service.d/proxy.conf").exists
    assert "exec-root" not in host.file("/etc/docker/daemon.json").content_string
    failed = re.search(r"switch the current link to release ([0-9a-f]+)", proc.stdout).group(1)
    assert failed != before_release
    assert current_release(host) == before_release
    assert host.check_output("cat %s/previous" % PREFIX) != failed
    assert host.check_output("find /usr/local/bin /usr/local/libexec/docker -maxdepth 1 -type l -printf '%p %l\\n' | sort") == before_links
    assert_docker_and_data_intact(host)
    converges()
