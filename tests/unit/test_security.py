# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Static security rules over every task, template and playbook of the collection: no disabled
certificate checks, no download without a pinned checksum, no piping a download into a shell, and
compiles started only as the unprivileged build account. The runtime side (owners and modes of what
is installed, the docker socket's group) is checked on a real host by molecule/faults-build."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted(
    p for base in ("roles", "playbooks") for p in (ROOT / base).rglob("*.yml")
)
TEXT_FILES = YAML_FILES + sorted((ROOT / "roles").rglob("*.j2"))


def tasks(node):
    """Every mapping in a YAML document that looks like a task (has a module key)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from tasks(value)
    elif isinstance(node, list):
        for item in node:
            yield from tasks(item)


def load(path: Path):
    return yaml.safe_load(path.read_text()) or []


def test_there_is_something_to_check():
    assert len(YAML_FILES) > 30 and any(p.suffix == ".j2" for p in TEXT_FILES)


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_disabled_certificate_checks(path):
    text = path.read_text()
    assert not re.search(r"validate_certs\s*:\s*(false|no|False)", text)
    assert "--insecure" not in text and "--no-check-certificate" not in text
    assert not re.search(r"\bcurl\b[^\n|]*-k\b", text)
    assert "GIT_SSL_NO_VERIFY" not in text and "sslVerify false" not in text


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_download_piped_into_a_shell(path):
    assert not re.search(r"\b(curl|wget)\b[^\n]*\|\s*(sudo\s+)?(ba)?sh\b", path.read_text())


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_download_is_pinned_by_sha256(path):
    for task in tasks(load(path)):
        spec = task.get("ansible.builtin.get_url")
        if spec is None:
            continue
        assert str(spec.get("checksum", "")).startswith("sha256:"), "%s: %s" % (path, task.get("name"))
    for task in tasks(load(path)):
        for module in ("ansible.builtin.uri",):
            spec = task.get(module)
            if spec is not None:
                # uri only reads manifests; it never writes a file that is installed.
                assert "dest" not in spec, "%s: %s" % (path, task.get("name"))


def test_compiles_run_as_the_build_account():
    """Every task that runs a script of files/ (patches, compiles) runs it as the build account."""
    seen = set()
    for path in ("prepare.yml", "finish.yml", "wait.yml", "wave.yml"):
        for task in tasks(load(ROOT / "roles/build/tasks" / path)):
            modules = ("ansible.builtin.command", "ansible.builtin.shell", "ansible.builtin.raw")
            text = "".join(str(task.get(module, "")) for module in modules)
            # compile-prepare.sh runs apply-patches.sh and compile-start.sh.
            for script in ("compile-prepare.sh", "compile-wait.sh", "compile-stop.sh"):
                if script in text:
                    seen.add(script)
                    if script != "compile-wait.sh":
                        assert task.get("become_user") == "{{ build_user }}", task.get("name")
    assert seen == {"compile-prepare.sh", "compile-wait.sh", "compile-stop.sh"}


def test_build_account_is_a_system_account_without_root():
    defaults = load(ROOT / "roles/build/defaults/main.yml")
    assert defaults["build_user"] not in ("root", "")
    workspace = load(ROOT / "roles/build/tasks/workspace.yml")
    user = next(t["ansible.builtin.user"] for t in tasks(workspace) if "ansible.builtin.user" in t)
    assert user["system"] is True and "groups" not in user
