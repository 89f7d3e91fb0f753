# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The debian-trixie stack was compiled and runs on a Debian 13 host with no network at all: Go 1.24
and every source came from the controller's bundle, pinned by sha256; dockerd runs a container, and the
data converge.yml wrote into a named volume is still there after the idempotence step's converge."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import site_run
import yaml

testinfra_hosts = ["sb-offline"]

BUNDLE = Path(os.environ["SOURCEBUILT_BUNDLE_DIR"])
ROOT = "/var/lib/sourcebuilt-docker"
COMPILED = ["libseccomp", "runc", "containerd", "tini", "proxy", "dockerd", "cli"]
# What each installed binary reports: the pins of roles/build/profiles/debian-trixie.yml.
VERSIONS = {
    "docker --version": "Docker version 26.1.5, build a72d7cd",
    "dockerd --version": "Docker version 26.1.5, build 411e817",
    "docker-proxy --version": "docker-proxy (commit 411e817) version 26.1.5",
    "containerd --version": "containerd github.com/containerd/containerd v1.7.24 88bf19b2105c8b17560993bee28a01ddc2f97182",
    "runc --version": "runc version 1.1.15\ncommit: bc20cb4497af9af01bea4a8044f1678ffca2745c",
    "docker-init --version": "tini version 0.19.0 - git.de40ad0",
}


@pytest.fixture(autouse=True)
def _root(host):
    with host.sudo():
        yield


def test_host_has_no_network(host):
    links = host.check_output("ls /sys/class/net").split()
    assert links == ["lo"]
    assert host.run("getent hosts deb.debian.org").rc != 0


def test_host_is_debian_13(host):
    assert host.system_info.distribution == "debian"
    assert host.file("/etc/debian_version").content_string.startswith("13.")


def test_image_had_no_go(host):
    # Debian's Go was purged from the image; the one that built the stack is the bundle's tarball.
    assert host.run("ls -d /usr/lib/go-*").rc != 0
    go = host.check_output("/opt/sourcebuilt-docker/toolchains/go1.24/bin/go version")
    assert "go1.24" in go


def test_bundle_pins_every_file():
    bundle = yaml.safe_load((BUNDLE / "vars.yml").read_text())
    overrides = bundle["build_component_overrides"]
    assert sorted(overrides) == sorted(COMPILED)
    for name, spec in overrides.items():
        assert spec["source"]["type"] == "controller", name
        assert Path(spec["source"]["path"]).is_file(), name
        assert len(spec["source"]["sha256"]) == 64, name
    go = bundle["build_go_toolchains"]["1.24"]
    assert go["source"] == "controller" and Path(go["path"]).is_file()


def test_every_component_compiled_here(host):
    for name in COMPILED:
        log = host.file("%s/logs/%s.log" % (ROOT, name))
        assert log.exists, name
        assert host.file("%s/logs/%s.status" % (ROOT, name)).content_string.strip() == "0", name
        manifests = host.check_output("ls %s/artifacts/%s/*/manifest.json" % (ROOT, name)).split()
        manifest = json.loads(host.file(manifests[-1]).content_string)
        assert manifest["built_on"] == "sb-offline", name


@pytest.mark.parametrize("command", sorted(VERSIONS))
def test_installed_binaries_report_the_trixie_pins(host, command):
    assert VERSIONS[command] in host.check_output(command)


def test_a_container_runs(host):
    # converge.yml imported the busybox rootfs (.cache/images) into the dockerd the play built.
    out = host.check_output("docker run --rm --network none sourcebuilt/busybox:offline echo offline-ok")
    assert out.strip() == "offline-ok"
    assert "--iptables=false" in host.file("/proc/%s/cmdline" % host.check_output("pidof dockerd")).content_string.replace("\0", " ")


def test_volume_data_written_by_the_first_converge_is_still_there(host):
    # converge.yml writes the token only into an empty volume; the idempotence step's converge ran since.
    out = host.check_output("docker run --rm --network none -v offline-data:/data sourcebuilt/busybox:offline cat /data/token")
    assert out.strip() == "written-by-the-first-converge"
    assert "offline-data" in host.check_output("docker volume ls -q").split()


def test_a_debian_version_the_suite_no_longer_lists_is_refused_before_any_change():
    """On the connected Debian 13 host: a containerd pin that trixie's point release replaced stops the bundle's
    preflight with the version the suite has now and the override that pins it, and nothing changes."""
    extra = {"sourcebuilt_bundle_host": "bundlers",
             "build_component_overrides": {"containerd": {"source": {"version": "1.7.24~ds1-6"}}}}
    result = site_run.playbook("bundle.yml", "-e", json.dumps(extra))
    assert result.returncode != 0, result.stdout[-3000:]
    out = result.stdout
    assert "component containerd: Debian trixie no longer carries containerd=1.7.24~ds1-6 " in out, out[-3000:]
    assert "now has containerd 1.7.24~ds1-6+deb13u1." in out
    assert "build_component_overrides: {containerd: {source: {version: '1.7.24~ds1-6+deb13u1'}}}" in out
    assert re.search(r"sb-offline-bundler\s*:\s*ok=\d+\s+changed=0\s+unreachable=0\s+failed=1", out), out[-2000:]
