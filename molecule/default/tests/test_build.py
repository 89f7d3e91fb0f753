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


def test_the_release_has_a_valid_sbom_that_lists_what_the_host_runs(host):
    """The CycloneDX SBOM the build wrote to the controller cache for the release this host runs: valid by the
    schema cyclonedx-python-lib ships, every file of the release with its sha256, each Debian source as a purl, the
    patch sets with their sha256, Go from Debian, and the golang-*-dev packages runc compiled in."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    release = json.loads(host.check_output("cat /opt/sourcebuilt-docker/current/manifest.json"))
    cache = Path(os.environ.get("SOURCEBUILT_DOCKER_CACHE", PROJECT / ".cache" / "artifacts"))
    text = (cache / "sbom" / ("%s.cdx.json" % release["id"])).read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    sbom = json.loads(text)
    items = {item["bom-ref"]: item for item in sbom["components"]}
    depends = {entry["ref"]: entry["dependsOn"] for entry in sbom["dependencies"]}
    for name, component in release["components"].items():
        item = items["component:%s@%s" % (name, component["fingerprint"])]
        assert sorted((f["name"], f["hashes"][0]["content"]) for f in item["components"]) == \
            sorted((f["path"], f["sha256"]) for f in component["files"]), name
        source = PROFILE["components"][name]["source"]
        assert item["purl"].startswith("pkg:deb/debian/%s@" % source["package"]), item["purl"]
    dockerd = items["component:dockerd@%s" % release["components"]["dockerd"]["fingerprint"]]
    patches = {p["name"]: p["value"] for p in dockerd["properties"] if p["name"].startswith("sourcebuilt:patch:")}
    assert sorted(patches) == sorted("sourcebuilt:patch:patch_sets/%s.patch" % name
                                     for name in PROFILE["components"]["dockerd"]["patch_sets"])
    runc = "component:runc@%s" % release["components"]["runc"]["fingerprint"]
    assert "toolchain:go@1.19" in depends[runc]
    assert any(ref.startswith("deb:golang-github-") for ref in depends[runc]), depends[runc]
    assert items["toolchain:go@1.19"]["purl"].startswith("pkg:deb/debian/golang-1.19-go@")
    # Read from the binary's own Go build information: the Go that built it, and no module list (GOPATH mode).
    runc_file = {f["name"]: f for f in items[runc]["components"]}["bin/runc"]
    properties = {p["name"]: p["value"] for p in runc_file["properties"]}
    assert properties["sourcebuilt:go.version"] == host.check_output("runc --version").split("go: ")[1].split()[0]
    assert properties["sourcebuilt:go.modules"].startswith("none: built in GOPATH mode")
