# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""A host with Debian's docker.io and a running container: without daemon_adopt, site.yml stops in the daemon
preflight before any change, names the package, units and running dockerd and the setting that adopts the host,
and warns about the geerlingguy.docker variables of the inventory. The container and its data are untouched."""
from __future__ import annotations

import http.client
import json
import os
import re
import ssl

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


PACKAGED_JSON = '{"iptables": false, "bridge": "none", "log-opts": {"max-size": "10m"}, "max-concurrent-downloads": 4}'
PACKAGES = {"docker.io", "containerd", "runc"}


def flat(result):
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    return plain, " ".join(plain.replace('\\"', '"').replace("\\n", " ").split())


def wait_running(host, seconds=90):
    host.check_output("for i in $(seq %d); do [ \"$(docker inspect -f '{{.State.Running}}' keeper 2>/dev/null)\" = true ]"
                      " && exit 0; sleep 1; done; exit 1" % seconds)


def dockerd_exe(host):
    pid = host.check_output("systemctl show -p MainPID --value docker")
    return host.check_output("readlink /proc/%s/exe" % pid)


def held(host):
    return set(host.check_output("apt-mark showhold").split())


def assert_packaged_engine_back(host, before):
    """The packaged dockerd runs again with the same container and its data, its daemon.json, its units
    enabled and active, the packages not held, and no record of a takeover."""
    wait_running(host)
    assert dockerd_exe(host) == "/usr/sbin/dockerd"
    assert keeper(host)[0] == before[0]
    assert host.check_output("docker exec keeper /bin/cat /data/file") == "kept-by-adopt"
    assert host.check_output("cat /etc/docker/daemon.json") == PACKAGED_JSON
    assert host.check_output("systemctl show -p FragmentPath --value docker.service") == "/lib/systemd/system/docker.service"
    for unit in ("docker.socket", "docker.service", "containerd.service"):
        assert host.run("systemctl is-enabled %s" % unit).stdout.strip() == "enabled", unit
        assert host.run("systemctl is-active %s" % unit).stdout.strip() == "active", unit
    assert not PACKAGES & held(host)
    assert not host.file("/opt/sourcebuilt-docker/adopted").exists


def test_takeover_whose_first_start_fails_returns_to_the_packaged_engine(host):
    """daemon_adopt with a setting that keeps the source-built dockerd from starting: the failed restart gives
    the host back to its packaged engine (files, units, packages as they were), with the same container."""
    only(host, "sb-adopt")
    before = keeper(host)
    fault = {"daemon_adopt": True, "daemon_options": {"max-concurrent-downloads": 6, "exec-root": "/proc/sourcebuilt-adopt"}}
    result = site_run.playbook("--limit", "sb-adopt", "-e", json.dumps(fault))
    plain, output = flat(result)
    assert result.returncode != 0, plain[-8000:]
    assert "dockerd did not come up healthy on sb-adopt" in output, plain[-8000:]
    assert re.search(r"Rollback: returned to the packaged engine \([^)]*docker.io", output), plain[-8000:]
    assert_packaged_engine_back(host, before)


def test_adopt_takes_the_host_over_with_its_container_and_settings(host):
    only(host, "sb-adopt")
    before = keeper(host)
    assert dockerd_exe(host) == "/usr/sbin/dockerd"
    result = site_run.playbook("--limit", "sb-adopt", "-e", "daemon_adopt=true")
    plain, output = flat(result)
    assert result.returncode == 0, plain[-8000:]
    for words in ('kept log-opts={"max-size": "10m"}', "overridden max-concurrent-downloads: 4 -> 6",
                  "dropped iptables=false (a command-line flag the role sets)",
                  "data-root /var/lib/docker and storage driver overlay2 kept"):
        assert words in output, "%r not in the output:\n%s" % (words, plain[-8000:])
    # The same container runs under the source-built dockerd, and its volume reads back.
    wait_running(host)
    assert dockerd_exe(host).startswith("/opt/sourcebuilt-docker/")
    assert keeper(host)[0] == before[0]
    assert host.check_output("docker exec keeper /bin/cat /data/file") == "kept-by-adopt"
    config = json.loads(host.check_output("cat /etc/docker/daemon.json"))
    assert config["log-opts"] == {"max-size": "10m"} and config["max-concurrent-downloads"] == 6
    assert config["storage-driver"] == "overlay2" and config["data-root"] == "/var/lib/docker"
    assert "iptables" not in config
    # The package's units cannot come back: docker.service is the collection's, the others are masked.
    assert host.check_output("systemctl show -p FragmentPath --value docker.service") == "/etc/systemd/system/docker.service"
    for unit in ("docker.socket", "containerd.service"):
        assert host.run("systemctl is-enabled %s" % unit).stdout.strip() == "masked", unit
        assert host.run("systemctl is-active %s" % unit).stdout.strip() != "active", unit
    assert host.run("systemctl start containerd.service").rc != 0
    assert PACKAGES <= held(host)
    # What was taken over is recorded, root only.
    assert host.file("/opt/sourcebuilt-docker/adopted/state.json").mode == 0o600
    assert host.check_output("cat /opt/sourcebuilt-docker/adopted/files/%etc%docker%daemon.json") == PACKAGED_JSON


def test_adopted_host_second_run_changes_nothing(host):
    only(host, "sb-adopt")
    before = keeper(host)
    # The record of the takeover lets the run go on without daemon_adopt.
    result = site_run.playbook("--limit", "sb-adopt")
    plain, _ = flat(result)
    assert re.search(r"sb-adopt\s*: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0\s", plain), plain[-8000:]
    assert keeper(host) == before


def test_rollback_returns_to_the_packaged_engine_with_the_container(host):
    only(host, "sb-adopt")
    before = keeper(host)
    result = site_run.playbook("rollback.yml", "--limit", "sb-adopt")
    plain, output = flat(result)
    assert result.returncode == 0, plain[-8000:]
    assert "runs its packaged dockerd 20.10.24" in output, plain[-8000:]
    assert_packaged_engine_back(host, before)


def test_takeover_that_removes_the_packages_and_rollback_that_installs_them_again(host):
    """daemon_adopt_packages: remove uninstalls the packages (the data-root stays), and rollback.yml installs
    them again at their versions from the archive, with the container."""
    only(host, "sb-adopt")
    before = keeper(host)
    versions = host.check_output("dpkg-query -W -f '${Package}=${Version} ' docker.io containerd runc").split()
    result = site_run.playbook("--limit", "sb-adopt", "-e", "daemon_adopt=true", "-e", "daemon_adopt_packages=remove")
    plain, _ = flat(result)
    assert result.returncode == 0, plain[-8000:]
    wait_running(host)
    assert dockerd_exe(host).startswith("/opt/sourcebuilt-docker/")
    assert keeper(host)[0] == before[0]
    assert host.check_output("docker exec keeper /bin/cat /data/file") == "kept-by-adopt"
    for package in PACKAGES:
        assert host.run("dpkg-query -W -f '${db:Status-Status}' %s" % package).stdout.strip() != "installed", package
    result = site_run.playbook("rollback.yml", "--limit", "sb-adopt")
    plain, output = flat(result)
    assert result.returncode == 0, plain[-8000:]
    assert host.check_output("dpkg-query -W -f '${Package}=${Version} ' docker.io containerd runc").split() == versions
    assert_packaged_engine_back(host, before)


TLS_PORT = 23761
PROXY = 'http://user:p%a$s"s@proxy.invalid:3128'


def tls_dir():
    return os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "tls")


def api_version(context):
    conn = http.client.HTTPSConnection("127.0.0.1", TLS_PORT, context=context, timeout=15)
    try:
        conn.request("GET", "/version")
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def client_context(cert=None):
    context = ssl.create_default_context(cafile=os.path.join(tls_dir(), "ca.pem"))
    # Python 3.13 also wants key usage extensions in the CA that the test makes; dockerd and the docker CLI do not.
    context.verify_flags &= ~ssl.VERIFY_X509_STRICT
    if cert:
        context.load_cert_chain(os.path.join(tls_dir(), cert + "-cert.pem"), os.path.join(tls_dir(), cert + "-key.pem"))
    return context


def test_remote_api_over_tls_needs_a_client_certificate_of_the_ca(host):
    only(host, "sb-adopt-live")
    assert host.check_output("systemctl show -p ExecStart --value docker").count("tcp://127.0.0.1:%d" % TLS_PORT) == 1
    config = json.loads(host.check_output("cat /etc/docker/daemon.json"))
    assert config["tlsverify"] is True and config["tlskey"] == "/etc/docker/tls/server-key.pem"
    key, folder = host.file("/etc/docker/tls/server-key.pem"), host.file("/etc/docker/tls")
    assert (key.mode, key.user, key.group, folder.mode, folder.user) == (0o600, "root", "root", 0o700, "root")
    # A client with a certificate signed by the CA reaches the API.
    status, body = api_version(client_context("client"))
    assert status == 200 and body["Version"] == "20.10.24"
    # Without a certificate, or with one of another CA, the handshake is refused.
    for cert in (None, "stranger"):
        with pytest.raises((ssl.SSLError, OSError)):
            api_version(client_context(cert))
    # Plain HTTP gets no API answer.
    conn = http.client.HTTPConnection("127.0.0.1", TLS_PORT, timeout=15)
    try:
        conn.request("GET", "/version")
        response = conn.getresponse()
        assert response.status == 400 and b"ApiVersion" not in response.read()
    finally:
        conn.close()


def test_proxy_environment_reaches_dockerd_verbatim(host):
    only(host, "sb-adopt-live")
    pid = host.check_output("systemctl show -p MainPID --value docker")
    environ = host.check_output("tr '\\0' '\\n' < /proc/%s/environ" % pid).splitlines()
    assert "HTTPS_PROXY=%s" % PROXY in environ and "NO_PROXY=localhost,127.0.0.1" in environ
    assert host.check_output("stat -c %a /etc/systemd/system/docker.service.d/proxy.conf") == "644"


def test_installed_but_stopped_and_not_started_at_boot(host):
    only(host, "sb-adopt-live")
    result = site_run.playbook("--limit", "sb-adopt-live", "-e", "daemon_service_state=stopped", "-e", "daemon_service_enabled=false")
    assert result.returncode == 0, result.stdout[-6000:]
    assert host.run("systemctl is-active docker").stdout.strip() == "inactive"
    assert host.run("systemctl is-enabled docker").stdout.strip() == "disabled"
    assert host.file("/opt/sourcebuilt-docker/current/bin/dockerd").exists
    result = site_run.playbook("--limit", "sb-adopt-live")
    assert result.returncode == 0, result.stdout[-6000:]
    assert host.run("systemctl is-active docker").stdout.strip() == "active"
    assert host.run("systemctl is-enabled docker").stdout.strip() == "enabled"
