# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The debian-bookworm stack was compiled on the instance: every binary is static and reports
the version and commit its profile pins."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
PROFILE_NAME = os.environ.get("SOURCEBUILT_PROFILE", "debian-bookworm")
PROFILE = yaml.safe_load((PROJECT / "roles/build/profiles" / (PROFILE_NAME + ".yml")).read_text())
ARTIFACTS = "/var/lib/sourcebuilt-docker/artifacts"

# binary -> (component, version flag, what its output must contain); None: no version flag
BINARIES = {
    "dockerd": ("dockerd", "--version", ["Docker version {version}, build {commit7}"]),
    "docker": ("cli", "--version", ["Docker version {version}, build {commit7}"]),
    "containerd": ("containerd", "--version", ["containerd github.com/containerd/containerd", " v{version} {commit}"]),
    "ctr": ("containerd", "--version", ["ctr github.com/containerd/containerd", " v{version}"]),
    "containerd-shim-runc-v2": ("containerd", "-v", ["Version:  v{version}"]),
    "runc": ("runc", "--version", ["runc version {version}\ncommit: {commit}"]),
    "docker-init": ("tini", "--version", ["tini version {version} - git.{commit7}"]),
    # libnetwork's proxy (<= 20.10) has no version flag; moby's (>= 23) has.
    "docker-proxy": ("proxy", "--version" if PROFILE["components"]["proxy"].get("era") != "gopath" else None,
                     ["docker-proxy (commit {commit7}) version {version}"]),
}


def manifest(host, component):
    cmd = host.run("cat %s/%s/*/manifest.json", ARTIFACTS, component)
    assert cmd.rc == 0, cmd.stderr
    data = json.loads(cmd.stdout)
    assert data["name"] == component
    return data


@pytest.mark.parametrize("binary", sorted(BINARIES))
def test_binary_is_static_and_reports_its_pin(host, binary):
    component, flag, expected = BINARIES[binary]
    pin = PROFILE["components"][component]
    data = manifest(host, component)
    path = "%s/%s/%s/bin/%s" % (ARTIFACTS, component, data["fingerprint"], binary)
    assert host.file(path).exists
    described = host.check_output("file -L %s", path)
    assert "statically linked" in described or "static-pie linked" in described, described
    assert "interpreter" not in described, described
    if flag:
        out = host.check_output("%s %s", path, flag)
        commit = str(pin.get("commit", ""))
        for part in expected:
            assert part.format(version=pin["version"], commit=commit, commit7=commit[:7]) in out, out


def test_runc_links_the_libseccomp_the_collection_built(host):
    data = manifest(host, "runc")
    out = host.check_output("%s/runc/%s/bin/runc --version", ARTIFACTS, data["fingerprint"])
    assert "libseccomp: %s" % PROFILE["components"]["libseccomp"]["version"] in out


def test_manifests_record_checksums_and_fingerprints(host):
    for component in PROFILE["components"]:
        data = manifest(host, component)
        assert data["version"] == PROFILE["components"][component]["version"]
        assert len(data["fingerprint"]) == 16
        for entry in data["files"]:
            path = "%s/%s/%s/%s" % (ARTIFACTS, component, data["fingerprint"], entry["path"])
            assert host.file(path).sha256sum == entry["sha256"], path


def test_builds_ran_unprivileged(host):
    for component in PROFILE["components"]:
        log = host.file("/var/lib/sourcebuilt-docker/logs/%s.log" % component)
        assert log.exists and log.user == "sourcebuilt", component
    assert host.file("/var/lib/sourcebuilt-docker/trees").user == "sourcebuilt"
