# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every bad input fails with a message naming the variable and what is allowed, in argument
validation or a preflight step, before any file on the instance changes.

Each case runs playbooks/site.yml on the controller against the molecule instance with the bad
variables as JSON extra vars, and checks: a non-zero exit, the task that failed, the words of the
message, `changed=0` in the recap, and an unchanged snapshot of the instance's file system.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
PLAYBOOK = PROJECT / "playbooks" / "site.yml"
COMPONENTS = "cli, containerd, dockerd, libseccomp, proxy, runc, tini"
RUNC_REPO = "https://github.com/opencontainers/runc.git"

# Everything a failed play could have written, minus what the system or ansible itself changes
# (journal, systemd state, ansible's remote tmp). Directories without their mtime (a __pycache__
# created by python is no change of ours); files with size, mtime, mode and owner.
SNAPSHOT = (
    "find /etc /opt /usr /var /root /home /srv -xdev"
    r" \( -path /var/log -o -path /var/lib/systemd -o -path /var/tmp -o -path /root/.ansible"
    r" -o -name __pycache__ \) -prune"
    r" -o -type d -printf '%p d %m %u:%g\n' -o -printf '%p %y %s %T@ %m %u:%g %l\n'"
    " 2>/dev/null | LC_ALL=C sort"
)

# id: (extra vars, task that must fail, words the output must contain)
CASES = {
    "unknown-profile": (
        {"build_profile": "nope"},
        "sourcebuilt.docker.engine : Validating arguments against arg spec 'main'",
        ["build_profile", "debian-bookworm, debian-trixie, 29.7", "nope"],
    ),
    "unknown-component": (
        {"build_components": ["runc", "nope"]},
        "preflight | Check build_components, build_force, build_jobs, build_keep_artifacts and the Go toolchains",
        ["build_components names nope", "allowed: " + COMPONENTS],
    ),
    "shell-path-unsupported-settings": (
        {"engine_target_path": "shell", "daemon_adopt": True, "daemon_service_enabled": False},
        "shell | Refuse the daemon settings the shell path does not carry out",
        ["takes the shell path", "daemon_adopt: true (taking over a packaged engine)", "daemon_service_enabled: false",
         "dockerd under systemd (set daemon_init_system: sysv"],
    ),
    "daemon-users-missing": (
        {"daemon_users": ["root", "sb-no-such-user"]},
        "preflight | Check that the docker group members exist",
        ["daemon_users lists accounts that do not exist on", "sb-no-such-user"],
    ),
    "override-unknown-component": (
        {"build_component_overrides": {"nope": {"version": "1"}}},
        "profile | Merge the inventory",
        ["build_component_overrides: unknown component", "nope", "known components: " + COMPONENTS],
    ),
    "override-missing-commit": (
        {"build_component_overrides": {"runc": {"source": {"type": "git", "repo": RUNC_REPO, "ref": "v1.1.6"}}}},
        "profile | Merge the inventory",
        ["build_component_overrides.runc.commit: is required because the override changes source.type and source.ref",
         "full 40-character commit SHA"],
    ),
    "git-pin-not-40-hex": (
        {"build_component_overrides": {"runc": {"source": {"type": "git", "repo": RUNC_REPO, "ref": "v1.1.6"},
                                                "commit": "f19387a"}}},
        "profile | Merge the inventory",
        ["build_component_overrides.runc.commit: must be the full 40-character hex commit SHA", "f19387a"],
    ),
    "override-missing-sha256": (
        {"build_component_overrides": {"tini": {"source": {"type": "controller", "path": "/srv/tini.tar.gz"}}}},
        "profile | Merge the inventory",
        ["build_component_overrides.tini.source.sha256", "is required", "64 hex characters"],
    ),
    "bad-sha256": (
        {"build_component_overrides": {"tini": {"source": {"type": "archive", "url": "https://example.invalid/tini.tar.gz",
                                                           "sha256": "abc"}}}},
        "profile | Merge the inventory",
        ["build_component_overrides.tini.source.sha256: must be 64 hex characters", "abc"],
    ),
    "build-force-unknown-name": (
        {"build_force": ["runc", "nope"]},
        "preflight | Check build_components, build_force, build_jobs, build_keep_artifacts and the Go toolchains",
        ["build_force is", "nope is not a component", "Allowed: true, false, or a list", COMPONENTS],
    ),
    "build-force-bad-string": (
        {"build_force": "sometimes"},
        "preflight | Check build_components, build_force, build_jobs, build_keep_artifacts and the Go toolchains",
        ["build_force is", "sometimes is not a component", "Allowed: true, false"],
    ),
    "build-jobs-zero": (
        {"build_jobs": 0},
        "preflight | Check build_components, build_force, build_jobs, build_keep_artifacts and the Go toolchains",
        ["build_jobs is 0", "1 or more (1 = one after another)"],
    ),
    "build-keep-artifacts-zero": (
        {"build_keep_artifacts": 0},
        "preflight | Check build_components, build_force, build_jobs, build_keep_artifacts and the Go toolchains",
        ["build_keep_artifacts is 0", "1 or more"],
    ),
    "build-parallel-replaced": (
        {"build_parallel": True},
        "preflight | Check build_components, build_force, build_jobs, build_keep_artifacts and the Go toolchains",
        ["build_parallel was replaced by build_jobs", "remove build_parallel and set build_jobs"],
    ),
    "go-toolchain-empty-sha256": (
        {"build_profile": "29.7", "build_go_toolchains": {"1.26.5": {
            "source": "tarball", "url": "https://go.dev/dl/go1.26.5.linux-amd64.tar.gz", "sha256": ""}}},
        "preflight_compile | Check the Go toolchains of the components that compile here",
        ["Go toolchain '1.26.5' (for cli, containerd, dockerd, proxy, runc)", "sha256 is empty",
         "must be pinned by its sha256", "It comes from build_go_toolchains", "give the whole entry in build_go_toolchains"],
    ),
    "component-go-undefined": (
        {"build_component_overrides": {"runc": {"go": "9.99"}}},
        "preflight | Check build_components, build_force, build_jobs, build_keep_artifacts and the Go toolchains",
        ["component runc wants Go toolchain '9.99'", "build_go_toolchains defines it (defined: 1.19)"],
    ),
    "go-toolchain-bad-sha256": (
        {"build_go_toolchains": {"1.19": {"source": "tarball", "url": "https://go.dev/dl/go1.19.linux-amd64.tar.gz",
                                          "sha256": "xyz"}}},
        "preflight_compile | Check the Go toolchains of the components that compile here",
        ["Go toolchain '1.19'", "is not 64 lowercase hex digits", "It comes from build_go_toolchains"],
    ),
    "daemon-init-system": (
        {"daemon_init_system": "upstart"},
        "sourcebuilt.docker.engine : Validating arguments against arg spec 'main'",
        ["daemon_init_system must be one of: auto, systemd, sysv", "upstart"],
    ),
    "daemon-iptables": (
        {"daemon_iptables": "sometimes"},
        "preflight | Check every daemon setting and the daemon.json and flags they make",
        ["daemon_iptables is", "sometimes", "allowed: auto, true, false"],
    ),
    "daemon-containerd": (
        {"daemon_containerd": "systemd"},
        "sourcebuilt.docker.engine : Validating arguments against arg spec 'main'",
        ["daemon_containerd must be one of: dockerd, service", "systemd"],
    ),
    # Issue 21: every daemon value is checked before any change, the daemon role's types included.
    "daemon-data-root-relative": (
        {"daemon_data_root": "docker-data"},
        "preflight | Check every daemon setting and the daemon.json and flags they make",
        ["daemon_data_root (daemon.json key data-root) must be an absolute path", "docker-data"],
    ),
    "daemon-bip-prefix-33": (
        {"daemon_options": {"bip": "10.0.0.1/33"}},
        "preflight | Check every daemon setting and the daemon.json and flags they make",
        ["daemon_options.bip (daemon.json key bip) is not a valid CIDR", "10.0.0.1/33"],
    ),
    "daemon-flag-newline": (
        {"daemon_flags": {"label": ["a=b\nExecStartPre=/bin/touch /tmp/x"]}},
        "preflight | Check every daemon setting and the daemon.json and flags they make",
        ["daemon_flags.label holds a control character", "put multi-line settings in daemon_options"],
    ),
    "daemon-log-opts-number": (
        {"daemon_options": {"log-opts": {"max-file": 3}}},
        "preflight | Check every daemon setting and the daemon.json and flags they make",
        ["daemon_options.log-opts (daemon.json key log-opts) must be a dict of strings", '"max-file": "3"'],
    ),
    "daemon-bin-dir-unsafe": (
        {"daemon_bin_dir": "/usr/local/bin;reboot"},
        "preflight | Check every daemon setting and the daemon.json and flags they make",
        ["daemon_bin_dir may hold only letters, digits and . _ + - /"],
    ),
    "daemon-health-timeout-zero": (
        {"daemon_health_timeout": 0},
        "preflight | Check every daemon setting and the daemon.json and flags they make",
        ["daemon_health_timeout must be a whole number from 5 to 3600, got 0"],
    ),
    "daemon-socket-activation-maybe": (
        {"daemon_socket_activation": "maybe"},
        "sourcebuilt.docker.engine : Validating arguments against arg spec 'main'",
        ["daemon_socket_activation", "maybe", "bool"],
    ),
    "install-naming": (
        {"install_naming": "docker18"},
        "sourcebuilt.docker.engine : Validating arguments against arg spec 'main'",
        ["install_naming must be one of", "modern", "docker17", "docker18"],
    ),
    "flag-and-json-conflict": (
        {"daemon_flags": {"data-root": "/srv/docker"}},
        "preflight | Check every daemon setting and the daemon.json and flags they make",
        ["set both as command-line flags (daemon_flags) and in daemon.json", "data-root"],
    ),
    "daemon-option-dockerd-rejects": (
        {"daemon_options": {"storage-drivr": "overlay2"}},
        "preflight | Check every daemon setting and the daemon.json and flags they make",
        ["daemon_options holds keys no dockerd knows: storage-drivr (did you mean storage-driver?)",
         "dockerd would refuse to start"],
    ),
    "kernel-too-old": (
        {"daemon_min_kernel": "99.0"},
        "preflight | Check the kernel is new enough for the release",
        ["older than daemon_min_kernel 99.0", "dockerd >= 23 needs Linux >= 3.10"],
    ),
    "not-enough-disk": (
        {"build_min_free_mb": 1000000000},
        "preflight_compile | Check there is enough free disk for what this run builds",
        ["Not enough free disk", "build_root /var/lib/sourcebuilt-docker", "needs about 1000000000 MB",
         "build_min_free_mb"],
    ),
    "not-enough-disk-estimated": (
        {"build_root": "/dev/shm/sourcebuilt-docker"},  # a 64 MB tmpfs in a container
        "preflight_compile | Check there is enough free disk for what this run builds",
        ["Not enough free disk", "build_root /dev/shm/sourcebuilt-docker is on /dev/shm", "cli 2048 MB, containerd 2048 MB, dockerd 2048 MB",
         "set build_min_free_mb"],
    ),
    "compile-not-allowed": (
        {"build_allow_compile": False},
        "preflight_compile | Refuse to compile on a host that may only take built artifacts",
        ["build_allow_compile is false", "would have to be compiled here", "runc fingerprint ", "dockerd fingerprint ",
         "Build them on a host of docker_builders first, or check build_cache_dir = {cache}"],
    ),
    "go-older-than-go-mod": (
        {"build_profile": "29.7", "build_components": ["runc"], "build_component_overrides": {"runc": {"go": "1.19"}},
         "build_go_toolchains": {"1.19": {"source": "distro", "package": "golang-1.19-go", "goroot": "/usr/lib/go-1.19"}}},
        "preflight_compile | Check that each component compiles with a Go at least as new as its go.mod asks",
        ["runc 1.4.3 needs Go >= 1.24.0 (the go directive of its go.mod)", "Go toolchain '1.19'",
         "build_component_overrides.runc.go"],
    ),
    "go-tarball-sha256-differs": (
        {"build_go_toolchains": {"1.19": {"source": "controller", "path": "{files}/go1.19.linux-amd64.tar.gz",
                                          "sha256": "0" * 64}}},
        "controller_files | Check the Go tarballs on the controller against their sha256",
        ["Go toolchain '1.19': {files}/go1.19.linux-amd64.tar.gz on the controller has sha256 ",
         "but build_go_toolchains pins " + "0" * 64],
    ),
    "source-archive-sha256-differs": (
        {"build_component_overrides": {"tini": {"source": {"type": "controller", "path": "{files}/tini-0.19.0.tar.gz",
                                                           "sha256": "0" * 64}}}},
        "controller_files | Check the component sources on the controller against their sha256",
        ["tini: {files}/tini-0.19.0.tar.gz on the controller has sha256 ",
         "build_component_overrides.tini.source.sha256) is " + "0" * 64],
    ),
    # Build side of issue #21: a release is complete, and every input names the setting to fix.
    "release-without-dockerd": (
        {"build_component_overrides": {"dockerd": {"enabled": False}}},
        "profile | Merge the inventory",
        ["build_component_overrides.dockerd.enabled: false would make a release without dockerd",
         "a release must be complete (dockerd, containerd, runc, cli)", "build_components or -t <name>"],
    ),
    "every-component-disabled": (
        {"build_component_overrides": {name: {"enabled": False} for name in COMPONENTS.split(", ")}},
        "profile | Merge the inventory",
        ["build_component_overrides disables every component of the profile", "there is nothing to build"],
    ),
    "missing-patch-file": (
        {"build_component_overrides": {"runc": {"patches": ["{files}/0001-missing.patch"]}}},
        "profile | Merge the inventory",
        ["build_component_overrides.runc.patches[0]: the patch file {files}/0001-missing.patch does not exist on the controller"],
    ),
    "empty-component-name": (
        {"build_components": ["runc", ""]},
        "preflight | Check build_components, build_force, build_jobs, build_keep_artifacts and the Go toolchains",
        ["build_components has an empty component name", "name components of build_profile debian-bookworm: " + COMPONENTS],
    ),
    "empty-override-name": (
        {"build_component_overrides": {"": {"enabled": False}}},
        "profile | Merge the inventory",
        ["build_component_overrides has an entry with an empty component name", COMPONENTS],
    ),
    "unknown-era": (
        {"build_component_overrides": {"runc": {"era": "modulez"}}},
        "profile | Merge the inventory",
        ["build_component_overrides.runc.era: unknown era 'modulez' of recipe runc; allowed: godeps, gopath, modules"],
    ),
    "unknown-component-field": (
        {"build_component_overrides": {"tini": {"cmake_policy": True}}},
        "profile | Merge the inventory",
        ["build_component_overrides.tini.cmake_policy: unknown field"],
    ),
}


@pytest.fixture(scope="module")
def controller_files(tmp_path_factory):
    """Files on the controller whose content does not match the sha256 the cases pin."""
    path = tmp_path_factory.mktemp("controller-files")
    for name in ("go1.19.linux-amd64.tar.gz", "tini-0.19.0.tar.gz"):
        (path / name).write_bytes(b"not the pinned tarball\n")
    return path


@pytest.fixture(scope="module")
def empty_cache(tmp_path_factory):
    """An empty controller cache: every component would have to compile on the instance."""
    return tmp_path_factory.mktemp("empty-cache")


def ansible_playbook() -> str:
    beside = Path(sys.executable).with_name("ansible-playbook")
    return str(beside) if beside.exists() else (shutil.which("ansible-playbook") or "ansible-playbook")


def run_site(extra_vars: dict) -> subprocess.CompletedProcess:
    env = dict(os.environ)  # molecule's: ANSIBLE_CONFIG, MOLECULE_*, ANSIBLE_ROLES_PATH, ...
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": "%s/.cache/collections:%s/.venv/lib/python3.13/site-packages" % (PROJECT, PROJECT),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_STDOUT_CALLBACK": "default",
        "ANSIBLE_CALLBACK_RESULT_FORMAT": "json",
    })
    cmd = [ansible_playbook(), str(PLAYBOOK), "-i", os.environ["MOLECULE_INVENTORY_FILE"],
           "-e", json.dumps(extra_vars)]
    # One stream, so the failure stays below the task header it belongs to.
    return subprocess.run(cmd, env=env, cwd=str(PROJECT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300)


def snapshot(host) -> set[str]:
    return set(host.check_output(SNAPSHOT).splitlines())


def flat(text: str) -> str:
    """The output with JSON string escapes undone and whitespace collapsed."""
    return " ".join(text.replace('\\"', '"').replace("\\n", " ").split())


def failed_task(output: str) -> str:
    """Name of the task whose result was the (first) failure."""
    task = ""
    for line in output.splitlines():
        match = re.match(r"^TASK \[(.*)\] \**$", line)
        if match:
            task = match.group(1)
        elif line.startswith(("fatal: ", "failed: ", "[ERROR]: Task failed")):
            return task
    return ""


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_fails_before_any_change(host, empty_cache, controller_files, case):
    extra_vars, task, words = CASES[case]
    extra_vars = json.loads(json.dumps(extra_vars).replace("{files}", str(controller_files)))
    extra_vars = dict({"build_cache_dir": str(empty_cache)}, **extra_vars)
    before = snapshot(host)
    result = run_site(extra_vars)
    after = snapshot(host)
    output = result.stdout
    text = flat(output)

    assert result.returncode != 0, output
    assert task in failed_task(output), "failed elsewhere than %r:\n%s" % (task, output)
    for word in words:
        assert word.format(cache=empty_cache, files=controller_files) in text, "%r not in the output:\n%s" % (word, output)
    assert re.search(r"changed=0\s", output), output
    assert before == after, "the play changed files on the instance:\n%s" % "\n".join(
        ["- " + line for line in sorted(before - after)] + ["+ " + line for line in sorted(after - before)])


def test_snapshot_sees_a_change(host):
    """The snapshot would notice a new file (else the cases above prove nothing)."""
    before = snapshot(host)
    host.check_output("touch /etc/sb-preflight-probe")
    try:
        assert any(line.startswith("/etc/sb-preflight-probe ") for line in snapshot(host) - before)
    finally:
        host.check_output("rm -f /etc/sb-preflight-probe")


def test_missing_cgroup_hierarchy_is_explained_before_any_change(host, empty_cache):
    """Last: unmounts the instance's cgroup hierarchies (the scenario destroys it afterwards)."""
    host.run("umount -R /sys/fs/cgroup || true")
    assert host.run("test -e /sys/fs/cgroup/cgroup.controllers || test -e /sys/fs/cgroup/memory/tasks").rc != 0
    before = snapshot(host)
    result = run_site({"build_cache_dir": str(empty_cache)})
    after = snapshot(host)
    text = flat(result.stdout)
    assert result.returncode != 0, result.stdout
    assert "Check that a cgroup hierarchy is mounted" in failed_task(result.stdout), result.stdout
    assert "has no cgroup hierarchy mounted under /sys/fs/cgroup" in text
    assert "daemon_init_system: sysv" in text
    assert re.search(r"changed=0\s", result.stdout), result.stdout
    assert before == after
