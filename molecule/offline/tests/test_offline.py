# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stack was compiled and runs on a host with no network at all: Go and every source came from
the controller's bundle, pinned by sha256, and dockerd runs a container."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

testinfra_hosts = ["sb-offline"]

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
BUNDLE = Path(os.environ["SOURCEBUILT_BUNDLE_DIR"])
BUSYBOX_TAR = PROJECT / ".cache" / "images" / "busybox-rootfs.tar"
ROOT = "/var/lib/sourcebuilt-docker"
COMPILED = ["libseccomp", "runc", "containerd", "tini", "proxy", "dockerd", "cli"]


@pytest.fixture(autouse=True)
def _root(host):
    with host.sudo():
        yield


def test_host_has_no_network(host):
    links = host.check_output("ls /sys/class/net").split()
    assert links == ["lo"]
    assert host.run("getent hosts deb.debian.org").rc != 0


def test_image_had_no_go(host):
    # Debian's Go was purged from the image; the one that built the stack is the bundle's tarball.
    assert host.run("ls -d /usr/lib/go-*").rc != 0
    go = host.check_output("/opt/sourcebuilt-docker/toolchains/go1.19/bin/go version")
    assert "go1.19" in go


def test_bundle_pins_every_file():
    bundle = yaml.safe_load((BUNDLE / "vars.yml").read_text())
    overrides = bundle["build_component_overrides"]
    assert sorted(overrides) == sorted(COMPILED)
    for name, spec in overrides.items():
        assert spec["source"]["type"] == "controller", name
        assert Path(spec["source"]["path"]).is_file(), name
        assert len(spec["source"]["sha256"]) == 64, name
    go = bundle["build_go_toolchains"]["1.19"]
    assert go["source"] == "controller" and Path(go["path"]).is_file()


def test_every_component_compiled_here(host):
    for name in COMPILED:
        log = host.file("%s/logs/%s.log" % (ROOT, name))
        assert log.exists, name
        assert host.file("%s/logs/%s.status" % (ROOT, name)).content_string.strip() == "0", name
        manifests = host.check_output("ls %s/artifacts/%s/*/manifest.json" % (ROOT, name)).split()
        manifest = json.loads(host.file(manifests[-1]).content_string)
        assert manifest["built_on"] == "sb-offline", name


def test_a_container_runs(host):
    host.ansible("ansible.builtin.copy", "src=%s dest=/tmp/busybox-rootfs.tar mode=0644" % BUSYBOX_TAR, check=False)
    host.check_output("docker import /tmp/busybox-rootfs.tar sourcebuilt/busybox:offline")
    out = host.check_output("docker run --rm --network none sourcebuilt/busybox:offline echo offline-ok")
    assert out.strip() == "offline-ok"
    assert "--iptables=false" in host.file("/proc/%s/cmdline" % host.check_output("pidof dockerd")).content_string.replace("\0", " ")
