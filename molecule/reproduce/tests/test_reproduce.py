# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole debian-bookworm stack, compiled here (another host, build root and account than the default
scenario's, cold Go caches, nothing from the controller cache), is identical file by file to what the default
scenario compiled and published to the controller cache."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
CACHE = Path(os.environ.get("SOURCEBUILT_DOCKER_CACHE", PROJECT / ".cache" / "artifacts"))
ROOT = "/var/lib/sourcebuilt-reproduce"
COMPONENTS = ["libseccomp", "runc", "containerd", "tini", "proxy", "dockerd", "cli"]
# `make test` starts this scenario once default has passed; the wait is for a run started by hand beside default.
WAIT_FOR_THE_CACHE = int(os.environ.get("SOURCEBUILT_REPRODUCE_WAIT", "1800"))


@pytest.fixture(name="root")
def fixture_root(host):
    with host.sudo():
        yield host


def manifests_here(host):
    """component -> the manifest of the artifacts compiled here (one fingerprint each: a fresh build root)."""
    found = {}
    for component in COMPONENTS:
        paths = host.check_output("ls %s/artifacts/%s/*/manifest.json", ROOT, component).split()
        assert len(paths) == 1, (component, paths)
        found[component] = json.loads(host.file(paths[0]).content_string)
    return found


def test_every_component_was_compiled_here(root):
    for component in COMPONENTS:
        assert root.file("%s/logs/%s.status" % (ROOT, component)).content_string.strip() == "0", component
    # Its own Go caches, account and root: nothing of the default build root is on this host.
    assert "go-build-1.19" in root.check_output("ls %s/cache", ROOT).split()
    assert root.user("sourcebuilt-reproduce").exists
    assert not root.file("/var/lib/sourcebuilt-docker").exists


def test_every_file_is_identical_to_the_default_scenarios_compile(root):
    here = manifests_here(root)
    deadline = time.monotonic() + WAIT_FOR_THE_CACHE
    missing = list(COMPONENTS)
    while missing and time.monotonic() < deadline:
        missing = [c for c in COMPONENTS if not (CACHE / c / here[c]["fingerprint"] / "manifest.json").is_file()]
        if missing:
            time.sleep(10)
    assert not missing, "the controller cache %s has no entry of %s: run the default scenario first" % (CACHE, missing)
    differences = []
    for component in COMPONENTS:
        cached = json.loads((CACHE / component / here[component]["fingerprint"] / "manifest.json").read_text())
        assert cached["built_on"] != here[component]["built_on"], "%s: the cache entry was not compiled elsewhere" % component
        ours = {f["path"]: f["sha256"] for f in here[component]["files"]}
        theirs = {f["path"]: f["sha256"] for f in cached["files"]}
        for path in sorted(set(ours) | set(theirs)):
            if ours.get(path) != theirs.get(path):
                differences.append("%s %s: %s here, %s from %s" % (component, path, ours.get(path, "absent"),
                                                                  theirs.get(path, "absent"), cached["built_on"]))
    assert not differences, "not reproduced:\n" + "\n".join(differences)
