# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The release we built is installed and dockerd runs it under systemd with --iptables=false:
`docker info` names the built version, a container runs, and the binaries need no host libc."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
PROFILE_NAME = os.environ.get("SOURCEBUILT_PROFILE", "debian-bookworm")
PROFILE = yaml.safe_load((PROJECT / "roles/build/profiles" / (PROFILE_NAME + ".yml")).read_text())
BUSYBOX_TAR = PROJECT / ".cache" / "images" / "busybox-rootfs.tar"
PREFIX = "/opt/sourcebuilt-docker"
BINARIES = ["docker", "dockerd", "containerd", "containerd-shim-runc-v2", "ctr", "runc", "docker-init", "docker-proxy"]


@pytest.fixture(autouse=True)
def _root(host):
    with host.sudo():
        yield


@pytest.fixture(scope="module")
def busybox_image(host):
    """Import the harness's busybox rootfs into the dockerd under test."""
    with host.sudo():
        host.ansible("ansible.builtin.copy", "src=%s dest=/tmp/busybox-rootfs.tar mode=0644" % BUSYBOX_TAR,
                     check=False)
        host.check_output("docker import /tmp/busybox-rootfs.tar sourcebuilt/busybox:test")
    return "sourcebuilt/busybox:test"


def test_release_is_installed_and_linked(host):
    current = host.file(PREFIX + "/current")
    assert current.is_symlink
    manifest = json.loads(host.file(PREFIX + "/current/manifest.json").content_string)
    assert manifest
    for name in BINARIES:
        link = host.file("/usr/local/bin/" + name)
        assert link.is_symlink, name
        target = host.file(PREFIX + "/current/bin/" + name)
        assert target.user == "root" and target.mode == 0o755, name


def test_dockerd_runs_under_systemd_with_iptables_off(host):
    service = host.service("docker")
    assert service.is_running and service.is_enabled
    pid = host.check_output("systemctl show -p MainPID --value docker")
    cmdline = host.file("/proc/%s/cmdline" % pid).content_string.replace("\0", " ")
    assert cmdline.startswith("/usr/local/bin/dockerd")
    assert "--iptables=false" in cmdline
    unit = host.file("/etc/systemd/system/docker.service").content_string
    assert "Delegate=yes" in unit and "KillMode=process" in unit


def test_docker_info_shows_the_built_version(host):
    version = PROFILE["components"]["dockerd"]["version"]
    assert host.check_output("docker version --format '{{.Client.Version}} {{.Server.Version}}'") == \
        "%s %s" % (PROFILE["components"]["cli"]["version"], version)
    info = json.loads(host.check_output("docker info --format '{{json .}}'"))
    assert info["ServerVersion"] == version
    assert info["ContainerdCommit"]["ID"].startswith(PROFILE["components"]["containerd"]["commit"][:7])
    assert info["RuncCommit"]["ID"].startswith(PROFILE["components"]["runc"]["commit"][:7])


def test_docker_run_prints_what_we_expect(host, busybox_image):
    out = host.check_output("docker run --rm --network none %s sh -c 'echo hello-from-sourcebuilt; id -u'",
                            busybox_image)
    assert out.split() == ["hello-from-sourcebuilt", "0"]
    # docker-init (tini) as PID 1 with --init
    assert host.check_output("docker run --rm --init --network none %s cat /proc/1/comm", busybox_image) == \
        "docker-init"


def test_binaries_need_no_libc_from_the_host(host):
    """dockerd and runc answer --version in a chroot holding only busybox and our binaries."""
    root = "/tmp/sb-chroot"
    host.run("rm -rf %s", root)
    host.check_output("mkdir -p %s/bin && tar -C %s -xf /tmp/busybox-rootfs.tar", root, root)
    for name in ("dockerd", "runc"):
        host.check_output("cp -L /usr/local/bin/%s %s/bin/%s", name, root, name)
    assert not host.file(root + "/lib/x86_64-linux-gnu").exists
    out = host.check_output("chroot %s /bin/dockerd --version", root)
    assert out.startswith("Docker version %s" % PROFILE["components"]["dockerd"]["version"])
    out = host.check_output("chroot %s /bin/runc --version", root)
    assert out.startswith("runc version %s" % PROFILE["components"]["runc"]["version"])
    host.run("rm -rf %s", root)


def test_file_modes(host):
    daemon_json = host.file("/etc/docker/daemon.json")
    assert daemon_json.user == "root" and not daemon_json.mode & 0o002
    assert host.file("/var/run/docker.sock").group == "docker"
