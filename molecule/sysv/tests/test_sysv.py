# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""dockerd runs from /etc/init.d/docker on a host without systemd: LSB script, start/stop/restart/
status/reload, --iptables=false, a container from a locally imported image, the proxy environment and the log
cap. Last, after the uninstall: the takeover of Debian's docker.io run by its own init script (daemon_adopt) and
rollback.yml back to it."""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
import site_run
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


PROXY_ENV = {"HTTPS_PROXY": "http://proxy.invalid:3128", "NO_PROXY": "localhost,127.0.0.1,.internal"}


def dockerd_environment(host):
    words = host.file("/proc/%s/environ" % dockerd_pid(host)).content_string.split("\0")
    return dict(word.split("=", 1) for word in words if "=" in word)


def test_proxy_environment_and_log_cap(host):
    """daemon_proxy_env reaches dockerd's environment through the defaults file the script reads, and goes again when
    unset; daemon_log_max_size caps /var/log/docker.log with the real logrotate (from the archive, copytruncate)."""
    out = converges("-e", json.dumps({"daemon_proxy_env": PROXY_ENV, "daemon_log_max_size": "1k", "daemon_log_keep": 2}))
    assert "changed=0" not in out.split("PLAY RECAP")[-1]
    environment = dockerd_environment(host)
    assert {key: environment.get(key) for key in PROXY_ENV} == PROXY_ENV
    rule = host.file("/etc/logrotate.d/sourcebuilt-docker").content_string
    assert "/var/log/docker.log {" in rule and "size 1k" in rule and "rotate 2" in rule and "copytruncate" in rule
    apt = "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends logrotate"
    install = host.run("%s || { apt-get update -qq && %s; }" % (apt, apt))
    assert install.rc == 0, install.stdout[-2000:] + install.stderr[-2000:]
    before = int(host.check_output("stat -c %s /var/log/docker.log"))
    assert before > 1024
    host.check_output("logrotate -s /tmp/sb-logrotate.state /etc/logrotate.d/sourcebuilt-docker")
    assert int(host.check_output("stat -c %s /var/log/docker.log.1")) == before
    assert int(host.check_output("stat -c %s /var/log/docker.log")) < before
    assert_one_dockerd_and_the_container_runs(host)

    converges()
    assert not set(PROXY_ENV) & set(dockerd_environment(host))
    assert "size 100M" in host.file("/etc/logrotate.d/sourcebuilt-docker").content_string
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


# Issue #17 on SysV: after the uninstall above, Debian's docker.io from the archive, run by its own
# /etc/init.d/docker, is taken over with daemon_adopt and given back by playbooks/rollback.yml.
PACKAGES = {"docker.io", "containerd", "runc"}
PKG_DATA = "written under the packaged engine"
# This instance lacks CAP_SYS_RESOURCE: the package's init script (set -e) stops at `ulimit -n 1048576`. The
# defaults file it sources is where an operator of such a host (a container) makes that limit best effort.
ULIMIT_HOOK = 'ulimit() { command ulimit "$@" 2>/dev/null || true; }'
# The S links of the runlevels, each with whether its script is the collection's or another dockerd's.
BOOT_LINKS = ("for l in /etc/rc[0-6S].d/S*; do t=$(readlink -f \"$l\"); grep -qs -e dockerd -e containerd \"$t\" || continue;"
              " if grep -qs 'sourcebuilt[.]docker' \"$t\"; then echo \"own $l\"; else echo \"package $l\"; fi; done")


def pkg_keeper(host):
    """ID, whether it runs, and PID of the container started under the packaged engine, once it runs."""
    host.check_output("for i in $(seq 60); do [ \"$(docker inspect -f '{{.State.Running}}' pkgkeeper 2>/dev/null)\" = true ]"
                      " && exit 0; sleep 1; done; exit 1")
    assert host.check_output("docker exec pkgkeeper cat /data/file") == PKG_DATA
    return host.check_output("docker inspect -f '{{.Id}} {{.State.Running}} {{.State.Pid}}' pkgkeeper").split()


def dockerds(host):
    return host.check_output("for p in $(pgrep -x dockerd); do readlink /proc/$p/exe; done").split()


def package_script_md5(host):
    """The md5 of /etc/init.d/docker as docker.io ships it (dpkg's record of its conffiles)."""
    conffiles = host.check_output("dpkg-query -W -f '${Conffiles}' docker.io").split("\n")
    return next(line.split()[1] for line in conffiles if line.split()[:1] == ["/etc/init.d/docker"])


def boot_links(host):
    return [line.split()[0] for line in host.check_output(BOOT_LINKS).splitlines()]


def held(host):
    return set(host.check_output("apt-mark showhold").split())


def recap(result):
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).split("PLAY RECAP")[-1]


def test_packaged_docker_io_runs_from_its_own_init_script(host):
    # The uninstall above left nothing of the collection that a takeover would take for the package's.
    assert not host.file("/etc/logrotate.d/sourcebuilt-docker").exists
    host.check_output("mkdir -p /etc/docker && echo '{\"iptables\": false, \"bridge\": \"none\"}' > /etc/docker/daemon.json")
    # policy-rc.d holds the start of the postinst back until the defaults file has the hook.
    host.check_output("printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d")
    try:
        install = host.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends"
                           " docker.io")
    finally:
        host.check_output("rm -f /usr/sbin/policy-rc.d")
    assert install.rc == 0, install.stdout[-3000:] + install.stderr[-3000:]
    assert PACKAGES <= set(host.check_output("dpkg-query -W -f '${Package} ' docker.io containerd runc").split())
    host.check_output("printf '\\n%%s\\n' '%s' >> /etc/default/docker" % ULIMIT_HOOK)
    start = host.run("/etc/init.d/docker start")
    assert start.rc == 0, start.stdout + start.stderr
    host.check_output("for i in $(seq 60); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1")
    assert dockerds(host) == ["/usr/sbin/dockerd"]
    assert host.file("/etc/init.d/docker").md5sum == package_script_md5(host)
    assert host.check_output("cat /var/run/docker-ssd.pid") == host.check_output("pgrep -x dockerd")
    assert boot_links(host) and set(boot_links(host)) == {"package"}
    # The container of the tests above (stop timeout 10 s) goes: the takeover and the rollback would wait for it.
    host.check_output("docker rm -f keeper && docker volume rm keep")
    # The image imported above is still in the data-root; --stop-timeout 1: the takeover and rollback stop it twice.
    host.check_output("docker volume create pkgdata && docker run --rm --network none -v pkgdata:/data sourcebuilt/busybox:test"
                      " sh -c 'echo \"%s\" > /data/file'" % PKG_DATA)
    host.check_output("docker run -d --name pkgkeeper --restart always --stop-timeout 1 --network none -v pkgdata:/data"
                      " sourcebuilt/busybox:test sleep 100000")
    assert pkg_keeper(host)[1] == "true"


def test_site_run_on_the_packaged_engine_stops_before_any_change(host):
    before = pkg_keeper(host)
    files = host.check_output("md5sum /etc/init.d/docker /etc/default/docker /etc/docker/daemon.json")
    result = site_run.playbook()
    output = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).replace('\\"', '"').split())
    assert result.returncode != 0, result.stdout[-6000:]
    for words in ("sb-sysv has a Docker engine this collection did not install", "package docker.io 20.10.24",
                  "SysV script /etc/init.d/docker", "from /usr/sbin/dockerd", "Nothing was changed",
                  "set daemon_adopt: true for it"):
        assert words in output, "%r not in the output:\n%s" % (words, result.stdout[-6000:])
    assert re.search(r"sb-sysv\s*: ok=\d+\s+changed=0\s+unreachable=0\s+failed=1\s", recap(result)), recap(result)
    assert host.check_output("md5sum /etc/init.d/docker /etc/default/docker /etc/docker/daemon.json") == files
    assert not host.file("/opt/sourcebuilt-docker").exists and not held(host)
    assert pkg_keeper(host) == before and dockerds(host) == ["/usr/sbin/dockerd"]


def test_adopt_takes_the_sysv_host_over_with_its_container(host):
    before = pkg_keeper(host)
    result = site_run.playbook("-e", "daemon_adopt=true")
    assert result.returncode == 0, result.stdout[-8000:]
    # The same container, its volume read back, under the source-built dockerd started by the collection's script.
    assert pkg_keeper(host)[0] == before[0]
    assert [exe.startswith("/opt/sourcebuilt-docker/releases/") for exe in dockerds(host)] == [True]
    assert status(host) == 0 and host.check_output("pgrep -x dockerd") == dockerd_pid(host)
    # The collection's script took the package's path; the package's copy is kept for the rollback.
    assert "sourcebuilt.docker" in host.file(SCRIPT).content_string
    saved = host.file("/opt/sourcebuilt-docker/adopted/files/%etc%init.d%docker")
    assert saved.md5sum == package_script_md5(host) and saved.mode == 0o755
    assert ULIMIT_HOOK in host.file("/opt/sourcebuilt-docker/adopted/files/%etc%default%docker").content_string
    # No package script starts at boot; the collection's does.
    links = boot_links(host)
    assert "package" not in links and "own" in links, host.check_output(BOOT_LINKS)
    assert PACKAGES <= held(host)


def test_adopted_sysv_host_second_run_changes_nothing(host):
    before = pkg_keeper(host)
    out = converges()
    assert re.search(r"sb-sysv\s*: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0\s", out.split("PLAY RECAP")[-1]), \
        out[-6000:]
    assert pkg_keeper(host) == before


def test_rollback_returns_to_the_packaged_engine_from_its_init_script(host):
    before = pkg_keeper(host)
    result = site_run.playbook("rollback.yml")
    output = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).split())
    assert result.returncode == 0, result.stdout[-8000:]
    assert "sb-sysv runs its packaged dockerd 20.10.24" in output, result.stdout[-8000:]
    assert pkg_keeper(host)[0] == before[0]
    # The package's dockerd, started by the package's script (its start-stop-daemon pidfile), which starts at boot again.
    assert dockerds(host) == ["/usr/sbin/dockerd"]
    assert host.file("/etc/init.d/docker").md5sum == package_script_md5(host)
    assert host.check_output("cat /var/run/docker-ssd.pid") == host.check_output("pgrep -x dockerd")
    assert host.run("/etc/init.d/docker status").rc == 0
    assert ULIMIT_HOOK in host.file("/etc/default/docker").content_string
    assert host.check_output("cat /etc/docker/daemon.json") == '{"iptables": false, "bridge": "none"}'
    links = boot_links(host)
    assert set(links) == {"package"} and len(links) == 4, host.check_output(BOOT_LINKS)
    assert not PACKAGES & held(host)
    for path in ("/opt/sourcebuilt-docker/adopted", "/etc/logrotate.d/sourcebuilt-docker"):
        assert not host.file(path).exists, path
