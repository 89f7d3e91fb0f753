# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build once, deploy everywhere: the builder compiled every component once, the targets took the
release straight from the controller cache (no compiler, no Go, no compile log, no artifacts of their own) and
run dockerd under systemd.
A controller with an empty cache gets every artifact back from the builder, with no compile. Then a
runc patch shipped with `site.yml -t runc` is compiled on the builder only, reaches both targets
without a dockerd restart, and `rollback.yml` takes both back to the release before it."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import testinfra

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
SCENARIO = Path(os.environ.get("MOLECULE_SCENARIO_DIRECTORY", Path(__file__).resolve().parents[1]))
INVENTORY = os.environ.get("MOLECULE_INVENTORY_FILE", "")
TIMES = Path(os.environ.get("SOURCEBUILT_FLEET_TIMES", PROJECT / ".cache" / "fleet-times.txt"))
BUSYBOX_TAR = PROJECT / ".cache" / "images" / "busybox-rootfs.tar"
BUSYBOX = "sourcebuilt/busybox:test"
# The runc patch, with this run's id in its description: its fingerprint is new in every run, so a controller cache
# kept from an earlier run never holds it and the builder compiles it here.
PATCH = Path(tempfile.mkdtemp(prefix="sourcebuilt-fleet-")) / "0001-runc-usage-fleet-marker.patch"
PATCH.write_text((SCENARIO / "files" / PATCH.name).read_text().replace("\n", "\nRun: %s\n" % uuid.uuid4(), 1))
MARKER = "sourcebuilt-fleet-patch"

BUILDER = "sb-fleet-builder"
TARGETS = ["sb-fleet-t1", "sb-fleet-t2"]
COMPONENTS = ["libseccomp", "runc", "containerd", "tini", "proxy", "dockerd", "cli"]
PREFIX = "/opt/sourcebuilt-docker"
LOGS = "/var/lib/sourcebuilt-docker/logs"


@pytest.fixture
def root(host):
    """The instance under test, as root (tests without it run once, from the controller)."""
    with host.sudo():
        yield host


def is_target(host):
    return "docker_hosts" in host.ansible.get_variables().get("group_names", [])


def other_host(name):
    return testinfra.get_host("ansible://" + name, ansible_inventory=INVENTORY, sudo=True)


def import_busybox(host):
    if host.run("docker image inspect %s", BUSYBOX).rc != 0:
        host.ansible("ansible.builtin.copy", "src=%s dest=/tmp/busybox-rootfs.tar mode=0644" % BUSYBOX_TAR,
                     check=False, become=True)
        host.check_output("docker import /tmp/busybox-rootfs.tar %s", BUSYBOX)


def docker_run_line(host):
    return host.check_output("docker run --rm --network none %s sh -c 'echo hello-from-the-fleet; id -u'", BUSYBOX)


def dockerd_pid(host):
    return host.check_output("systemctl show -p MainPID --value docker.service")


def current_release(host):
    return host.check_output("basename \"$(readlink %s/current)\"", PREFIX)


def log_mtimes(host):
    out = host.run("cd %s && stat -c '%%n %%Y' *.log", LOGS).stdout
    return dict(line.split() for line in out.splitlines())


def run_playbook(name, *args):
    """Run a playbook of the collection from the controller against the molecule inventory."""
    exe = Path(sys.executable).with_name("ansible-playbook")
    cmd = [str(exe) if exe.exists() else "ansible-playbook", "-i", str(Path(INVENTORY).parent),
           str(PROJECT / "playbooks" / name), *args]
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    TIMES.parent.mkdir(parents=True, exist_ok=True)
    with TIMES.open("a") as f:
        f.write("%s %s: %.0f s (rc %d)\n" % (name, " ".join(args), elapsed, proc.returncode))
    proc.args = " ".join(cmd)
    return proc


def playbook(name, *args):
    """Run a playbook that must pass; its output."""
    proc = run_playbook(name, *args)
    assert proc.returncode == 0, "%s failed:\n%s\n%s" % (proc.args, proc.stdout[-6000:], proc.stderr[-3000:])
    return proc.stdout


def playbook_fails(name, *args):
    """Run a playbook that must fail; its output, whitespace collapsed (a result format may fold a long message)."""
    proc = run_playbook(name, *args)
    assert proc.returncode != 0, "%s passed:\n%s" % (proc.args, proc.stdout[-6000:])
    return " ".join((proc.stdout + proc.stderr).split())


def test_builder_compiled_what_the_cache_lacked(root):
    """Cold (SOURCEBUILT_FLEET_CACHE_PULL=false): the builder compiles all 7. In `make test` the default
    scenario has already compiled these fingerprints, so the builder copies them and compiles nothing."""
    if is_target(root):
        pytest.skip("builder only")
    logs = sorted(root.run("ls %s/*.log", LOGS).stdout.split())
    if os.environ.get("SOURCEBUILT_FLEET_CACHE_PULL", "true") == "false":
        assert logs == sorted("%s/%s.log" % (LOGS, c) for c in COMPONENTS)
        assert root.exists("gcc")
    else:
        assert logs == []


def test_targets_have_no_compiler_and_no_compile(root):
    if not is_target(root):
        pytest.skip("targets only")
    assert not root.exists("gcc") and not root.exists("cc")
    assert not root.exists("go")
    assert root.run("ls /usr/lib/go-* /usr/local/go/bin/go").rc != 0
    assert root.run("ls %s/*.log", LOGS).rc != 0
    # The release came straight from the controller cache (no artifacts kept on the target), every file checked
    # against its sha256 at install; no component was built on a target.
    assert not root.file("/var/lib/sourcebuilt-docker/artifacts").exists
    release = json.loads(root.check_output("cat %s/current/manifest.json", PREFIX))
    # libseccomp is linked into runc, not deployed.
    deployed = [c for c in COMPONENTS if c != "libseccomp"]
    assert sorted(release["components"]) == sorted(deployed)
    for component in deployed:
        assert release["components"][component]["built_on"] not in TARGETS, component


def test_targets_run_the_release_under_systemd(root):
    if not is_target(root):
        pytest.skip("targets only")
    assert root.service("docker").is_running and root.service("docker").is_enabled
    cmdline = root.file("/proc/%s/cmdline" % dockerd_pid(root)).content_string.replace("\0", " ")
    assert cmdline.startswith("/usr/local/bin/dockerd") and "--iptables=false" in cmdline
    assert root.file(PREFIX + "/current").is_symlink
    assert root.check_output("docker version --format '{{.Server.Version}}'") == "20.10.24"


def test_targets_run_a_container(root):
    if not is_target(root):
        pytest.skip("targets only")
    import_busybox(root)
    assert docker_run_line(root).split() == ["hello-from-the-fleet", "0"]


def test_verify_playbook_passes():
    out = playbook("verify.yml")
    recap = [line for line in out.splitlines() if " : ok=" in line]
    assert len(recap) == len(TARGETS)
    assert all(" changed=0 " in line and " failed=0 " in line for line in recap), recap


@pytest.mark.skipif(os.environ.get("SOURCEBUILT_FLEET_REBUILD", "false") != "true",
                    reason="SOURCEBUILT_FLEET_REBUILD=true runs it (about 7 min more in a loaded make test)")
def test_a_rebuild_on_the_builder_reproduces_what_the_targets_run():
    """`verify.yml -e verify_rebuild=true`: the builder compiles runc (with the static libseccomp it links) and tini
    again, as its own account in its own root with cold Go caches and nothing from the controller cache, and each
    target's files are identical to that rebuild (they came through the cache from another compile: the default
    scenario's, on another host, in /var/lib/sourcebuilt-docker). A rebuild from an inventory that changes tini's
    build fails, naming the fingerprint the targets run and the one the inventory builds. Not in `make test`:
    `SOURCEBUILT_FLEET_REBUILD=true make molecule SCENARIOS=fleet`."""
    out = playbook("verify.yml", "-e", "verify_rebuild=true", "-e", "build_components=runc,tini")
    for target in TARGETS:
        assert "%s: runc, tini identical to the rebuild on %s; not rebuilt: cli, containerd, dockerd, proxy." \
            % (target, BUILDER) in out, out[-3000:]
    builder = other_host(BUILDER)
    for component in ("libseccomp", "runc", "tini"):
        log = "/var/lib/sourcebuilt-docker-rebuild/logs/%s.log" % component
        assert builder.file(log).contains("sourcebuilt: %s done in" % component), log
    out = playbook_fails("verify.yml", "-e", "verify_rebuild=true", "-e", "build_components=tini",
                         "-e", '{"build_component_overrides": {"tini": {"cmake_policy_minimum": true}}}')
    for target in TARGETS:
        release = json.loads(other_host(target).check_output("cat %s/current/manifest.json", PREFIX))
        assert "%s runs release %s, which the rebuild on %s does not reproduce: tini: the host runs fingerprint %s, " \
            "the inventory builds " % (target, release["id"], BUILDER, release["components"]["tini"]["fingerprint"]) \
            in out, out[max(out.find("does not reproduce") - 500, 0):][:3000]


def test_install_and_daemon_tags_change_nothing():
    """`-t install` and `-t daemon` alone work on an up-to-date fleet (they need the recorded release)."""
    for tag in ("install", "daemon"):
        out = playbook("site.yml", "-t", tag)
        recap = [line for line in out.splitlines() if " : ok=" in line]
        assert len(recap) == len(TARGETS) + 1, recap
        assert all(" changed=0 " in line and " failed=0 " in line for line in recap), (tag, recap)


def test_check_mode_says_what_would_change_and_changes_nothing():
    """`site.yml --check --diff`: an up-to-date fleet shows no change; a daemon setting shows its diff and
    the restart it would need; a runc patch shows the compile on the builder and that the targets lack it.
    No host changes: no compile log, no release, no daemon.json, no dockerd restart."""
    builder = other_host(BUILDER)
    targets = [other_host(t) for t in TARGETS]

    def state():
        return (log_mtimes(builder), builder.check_output("ls -l --time-style=+%%s /var/lib/sourcebuilt-docker/trees"),
                [(current_release(t), dockerd_pid(t), t.file("/etc/docker/daemon.json").content_string) for t in targets])

    before = state()
    out = playbook("site.yml", "--check", "--diff")
    recap = [line for line in out.splitlines() if " : ok=" in line]
    assert len(recap) == len(TARGETS) + 1
    assert all(" changed=0 " in line and " failed=0 " in line for line in recap), recap

    out = playbook("site.yml", "--check", "--diff", "-e", json.dumps({"daemon_options": {"log-level": "warn"}}))
    assert out.count('+    "log-level": "warn"') == len(TARGETS)
    assert out.count("Check mode: dockerd would be restarted, then checked for health.") == len(TARGETS)

    extra = {"build_component_overrides": {"runc": {"patches": [str(PATCH)]}}}
    out = playbook("site.yml", "--check", "-t", "runc", "-e", json.dumps(extra))
    assert out.count("Would compile here: runc (log %s/runc.log)." % LOGS) == 1
    assert out.count("a run without --check fails here unless the hosts of docker_builders build them first: runc.") \
        == len(TARGETS)
    assert out.count("is not built yet (it lacks runc), so neither its install nor the daemon settings are checked") \
        == len(TARGETS)
    assert state() == before


def test_empty_controller_cache_is_filled_from_the_builder(tmp_path):
    """A controller with an empty cache (a second operator, an AWX job): the builder sends what it holds
    back to the controller instead of compiling it again, and the targets take it from there, unchanged."""
    builder = other_host(BUILDER)
    logs_before = log_mtimes(builder)
    out = playbook("site.yml", "-e", json.dumps({"build_cache_dir": str(tmp_path)}))

    assert log_mtimes(builder) == logs_before, "the builder compiled"
    for component in COMPONENTS:
        entries = [p for p in (tmp_path / component).iterdir() if (p / "manifest.json").is_file()]
        assert len(entries) == 1, (component, entries)
        assert json.loads((entries[0] / "manifest.json").read_text())["built_on"] not in TARGETS, component
    recap = [line for line in out.splitlines() if " : ok=" in line and line.startswith(tuple(TARGETS))]
    assert len(recap) == len(TARGETS)
    assert all(" changed=0 " in line and " failed=0 " in line for line in recap), recap


def signing_key(directory):
    """A real SSH signing key, and an allowed_signers file that trusts it for releases."""
    key = directory / "release-key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fleet-signer", "-f", str(key)], check=True)
    allowed = directory / "allowed_signers"
    allowed.write_text('fleet-signer namespaces="sourcebuilt-docker-release" %s\n' % (directory / "release-key.pub").read_text().strip())
    return str(key), str(allowed)


def test_runc_patch_ships_once_and_rolls_back(tmp_path):
    """`site.yml -t runc` with a runc patch: compiled on the builder only, on both targets without a
    dockerd restart; `rollback.yml` returns both targets to the release they ran before. With a trust root
    (install_trusted_signers), the unsigned release is refused on both targets before the install changes
    anything; signed by the builder's run (build_signing_key), it ships; `verify.yml` checks the signature of
    what runs and fails once the signed statement is altered."""
    builder = other_host(BUILDER)
    targets = [other_host(t) for t in TARGETS]
    logs_before = log_mtimes(builder)
    release_before = [current_release(t) for t in targets]
    pids_before = [dockerd_pid(t) for t in targets]
    releases_before = [t.check_output("ls %s/releases", PREFIX) for t in targets]
    for t in targets:
        assert MARKER not in t.check_output("runc --help")
    key, allowed = signing_key(tmp_path)
    provenance = Path(os.environ.get("SOURCEBUILT_DOCKER_CACHE", PROJECT / ".cache" / "artifacts")) / "provenance"
    subprocess.run(["rm", "-rf", str(provenance)], check=True)

    extra = {"build_component_overrides": {"runc": {"patches": [str(PATCH)]}}}
    out = playbook_fails("site.yml", "-t", "runc", "-e", json.dumps(extra), "-e", "install_trusted_signers=" + allowed)
    for target in TARGETS:
        assert re.search(r"fatal: \[%s\]: FAILED! => [^}]*release [0-9a-f]+ has no provenance: %s/"
                         % (target, re.escape(str(provenance))), out), out[-3000:]
    for t, release, pid, listing in zip(targets, release_before, pids_before, releases_before):
        assert (current_release(t), dockerd_pid(t), t.check_output("ls %s/releases", PREFIX)) == (release, pid, listing)
        assert MARKER not in t.check_output("runc --help")

    playbook("site.yml", "-t", "runc", "-e", json.dumps(extra), "-e", "build_signing_key=" + key,
             "-e", "install_trusted_signers=" + allowed)

    logs_after = log_mtimes(builder)
    assert logs_after["runc.log"] != logs_before.get("runc.log")
    assert {k: v for k, v in logs_after.items() if k != "runc.log"} == \
        {k: v for k, v in logs_before.items() if k != "runc.log"}
    inode = "stat -c %%i %s/releases/%s/bin/%s"
    for t, release, pid in zip(targets, release_before, pids_before):
        assert MARKER in t.check_output("runc --help")
        assert current_release(t) != release
        # The new release hard-links what did not change from the one it replaces and copies runc.
        assert t.check_output(inode, PREFIX, current_release(t), "dockerd") == t.check_output(inode, PREFIX, release, "dockerd")
        assert t.check_output(inode, PREFIX, current_release(t), "runc") != t.check_output(inode, PREFIX, release, "runc")
        assert t.check_output("cat %s/previous", PREFIX) == release
        assert dockerd_pid(t) == pid, "dockerd was restarted for a runc change"
        assert t.run("ls %s/*.log", LOGS).rc != 0, "a target compiled"
        import_busybox(t)
        assert docker_run_line(t).split() == ["hello-from-the-fleet", "0"]
    patched = [current_release(t) for t in targets]
    assert patched[0] == patched[1]
    statement = provenance / ("%s.intoto.json" % patched[0])
    assert (provenance / ("%s.intoto.json.sig" % patched[0])).is_file()
    assert json.loads(statement.read_text())["predicateType"] == "https://slsa.dev/provenance/v1"

    playbook("verify.yml", "-e", "install_trusted_signers=" + allowed)
    statement.write_text(statement.read_text().replace('"sha256": "', '"sha256": "0', 1))
    out = playbook_fails("verify.yml", "-e", "install_trusted_signers=" + allowed)
    for target in TARGETS:
        assert re.search(r"fatal: \[%s\]: FAILED! => [^}]*the provenance of release %s \(%s\) is not trusted"
                         % (target, patched[0], re.escape(str(statement))), out), out[-3000:]

    playbook("rollback.yml")

    for t, release, pid in zip(targets, release_before, pids_before):
        assert current_release(t) == release
        assert t.check_output("cat %s/previous", PREFIX) == patched[0]
        assert MARKER not in t.check_output("runc --help")
        assert dockerd_pid(t) == pid, "a runc rollback needs no dockerd restart"
        assert docker_run_line(t).split() == ["hello-from-the-fleet", "0"]
