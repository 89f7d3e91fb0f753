#!/usr/bin/env python3
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test harness: a real local Docker engine and locally built instance images.

  harness.py engine        make sure a Docker engine answers (install docker.io, start dockerd)
  harness.py engine-stop   stop dockerd, but only if `engine` started it
  harness.py images        build the instance images, cached by a hash of their recipe
  harness.py images --set legacy   the legacy hosts (no Python, busybox only, python2.7 only)
  harness.py images --set debian13 the Debian 13 hosts (the offline scenario)
  harness.py images --set buildtools  Debian 12 with the build tools and Go (the scenarios that compile after default)
  --set all: every image
  (--set may be given more than once)
  harness.py host-tools    install shellcheck, busybox and debootstrap when missing (before work that runs side by side)
  harness.py instance N   start test instance N (molecule create, make demo)
  harness.py instance-rm N...  remove instances and their docker volumes

No registry is reachable from these machines, so every image is made with debootstrap and
`docker import`. An image is rebuilt only when the hash of its recipe changes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = ROOT / ".cache" / "harness"
MIRROR = os.environ.get("SOURCEBUILT_DEBIAN_MIRROR", "http://deb.debian.org/debian")
# The suite of an image without its own "suite" (kept out of the spec, so the Debian 12 hashes stay).
SUITE = "bookworm"

# Bump RECIPE_REVISION when the way an image is made changes without its package list changing.
RECIPE_REVISION = 3
BASE_PACKAGES = ["python3", "sudo", "procps", "iproute2", "ca-certificates", "xz-utils", "gnupg"]
IMAGES = {
    # Debian 12 with systemd as PID 1: the default, fleet, offline and upstream scenarios.
    "localhost/sourcebuilt-debian12-systemd": {
        "packages": BASE_PACKAGES + ["systemd", "systemd-sysv", "dbus"],
        "cmd": "/lib/systemd/systemd",
    },
    # Debian 12 with sysvinit as PID 1 and no systemd at all: the sysv scenario.
    "localhost/sourcebuilt-debian12-sysv": {
        "packages": BASE_PACKAGES + ["sysvinit-core", "sysv-rc", "initscripts", "insserv"],
        "cmd": "/sbin/init",
        "exclude": ["systemd", "systemd-sysv"],
    },
}
# Debian 13 (trixie) hosts, built only by `images --set debian13|all`: the offline scenario compiles the
# debian-trixie profile on them.
DEBIAN13_IMAGES = {
    "localhost/sourcebuilt-debian13-systemd": {
        "suite": "trixie",
        "packages": BASE_PACKAGES + ["systemd", "systemd-sysv", "dbus"],
        "cmd": "/lib/systemd/systemd",
    },
}
# Made on top of one above with `docker build` (network: host): the C tools and the Debian build dependencies
# of the profile, from the archive, as the toolchain role installs them. Lists read from the roles' data.
# The offline scenario's host: as a site's own package mirror would provide them, and no Go at all (the
# toolchain comes from the controller's bundle).
DEBIAN13_DERIVED = {
    "localhost/sourcebuilt-debian13-buildtools": {
        "suite": "trixie",
        "from": "localhost/sourcebuilt-debian13-systemd",
        "packages_from": "roles/toolchain/vars/Debian.yml",
        "build_deps_from": "roles/build/profiles/debian-trixie.yml",
    },
}
# Built only by `images --set buildtools|all`, on top of the default images: the Debian 12 hosts that compile
# after `default` did (reproduce, faults-restart, faults-build, the fleet's builder), with Debian's Go kept. The
# toolchain role then finds its packages installed and installs nothing; `default` installs them for real.
BUILDTOOLS_DERIVED = {
    "localhost/sourcebuilt-debian12-buildtools": {
        "from": "localhost/sourcebuilt-debian12-systemd",
        "packages_from": "roles/toolchain/vars/Debian.yml",
        "build_deps_from": "roles/build/profiles/debian-bookworm.yml",
        "keep_go": True,
    },
}
# Hosts of the legacy (Python-free) deploy path, issue #15. Built only by `images --set legacy|all`,
# so the other scenarios' `make images` neither waits for them nor rebuilds anything. "absent" lists
# paths that must not exist in the finished rootfs: the build fails if a dependency pulled one in.
NO_PYTHON = ["usr/bin/python", "usr/bin/python2", "usr/bin/python3", "usr/bin/python2.7", "usr/lib/python3"]
LEGACY_IMAGES = {
    # Debian 12 minimal with sysvinit as PID 1 and no Python at all. tar, gzip, coreutils (sha256sum),
    # sed and grep come with minbase; procps and iproute2 are what a real minimal host also has. Reached over
    # SSH as "deploy" with sudo: sshd (started by sysvinit) on 127.0.0.1:22422, keys only; sudo logs each
    # command to /var/log/sudo.log. The scenario's prepare step installs that run's public key. Docker's
    # /etc/hosts lacks the hostname, so libnss-myhostname resolves it (else sudo warns on every run).
    "localhost/sourcebuilt-debian12-nopython": {
        "packages": ["sysvinit-core", "sysv-rc", "initscripts", "insserv", "procps", "iproute2",
                     "openssh-server", "sudo", "libnss-myhostname"],
        "exclude": ["systemd", "systemd-sysv"],
        "cmd": "/sbin/init",
        "absent": NO_PYTHON,
        "setup": ("set -e; useradd -m -s /bin/sh deploy; usermod -p '*' deploy;"
                  " printf 'Defaults logfile=/var/log/sudo.log,loglinelen=0\\ndeploy ALL=(ALL) NOPASSWD: ALL\\n'"
                  " > /etc/sudoers.d/deploy; chmod 0440 /etc/sudoers.d/deploy; visudo -c >/dev/null;"
                  " printf 'Port 22422\\nListenAddress 127.0.0.1\\nPasswordAuthentication no\\n'"
                  " > /etc/ssh/sshd_config.d/sourcebuilt.conf; ls /etc/rc2.d/S*ssh >/dev/null;"
                  " grep -q '^hosts:.*myhostname' /etc/nsswitch.conf"),
    },
    # Debian 11 with python2.7 as its only Python (/usr/bin/python -> python2.7, as on CentOS 7) and
    # sysvinit: the closest stand-in for CentOS 7 that the reachable mirrors allow (ENVIRONMENT.md).
    "localhost/sourcebuilt-debian11-python2": {
        "suite": "bullseye",
        "packages": ["python2", "python-is-python2", "sysvinit-core", "sysv-rc", "initscripts", "insserv",
                     "procps", "iproute2"],
        "exclude": ["systemd", "systemd-sysv"],
        "cmd": "/sbin/init",
        "absent": ["usr/bin/python3", "usr/lib/python3"],
    },
}
# A host with nothing but Debian's busybox-static: /bin/busybox, one link per applet at the path
# `busybox --list-full` gives, busybox init as PID 1 with the inittab below, no Python, no coreutils.
# Applets of busybox-static 1:1.35.0-4+deb12u1 (bookworm) that matter to the deploy path, checked
# with `busybox --list`: sh ash tar gzip gunzip zcat sha256sum sha1sum sha512sum md5sum mount umount
# setsid start-stop-daemon mktemp mv ln readlink stat df find sed awk grep ps pidof kill timeout
# modprobe lsmod nsenter unshare base64 uudecode crc32 xz; and NOT: cksum, iptables, runlevel,
# chkconfig, update-rc.d, flock, python.
BUSYBOX_HOST_IMAGE = "localhost/sourcebuilt-busybox-host"
BUSYBOX_HOST_FILES = {
    "etc/inittab": "::sysinit:/etc/init.d/rcS\n::shutdown:/bin/umount -a -r\n",
    "etc/init.d/rcS": ("#!/bin/sh\n"
                       "mkdir -p /run/lock /var/log /var/tmp\n"
                       "echo ready > /run/sourcebuilt-ready\n"),
    "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
    "etc/group": "root:x:0:\n",
    "etc/hostname": "instance\n",
}
BUSYBOX_IMAGE = "localhost/sourcebuilt-busybox"
BUSYBOX_TAR = ROOT / ".cache" / "images" / "busybox-rootfs.tar"

# Every capability the Debian 20.10 engine knows except SYS_RESOURCE, which is not in this
# machine's bounding set (so --privileged fails here). See shared/ENVIRONMENT.md.
CAPABILITIES = (
    "AUDIT_CONTROL AUDIT_READ AUDIT_WRITE BLOCK_SUSPEND CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID "
    "IPC_LOCK IPC_OWNER KILL LEASE LINUX_IMMUTABLE MAC_ADMIN MAC_OVERRIDE MKNOD NET_ADMIN NET_BIND_SERVICE "
    "NET_BROADCAST NET_RAW SETFCAP SETGID SETPCAP SETUID SYSLOG SYS_ADMIN SYS_BOOT SYS_CHROOT SYS_MODULE "
    "SYS_NICE SYS_PACCT SYS_PTRACE SYS_RAWIO SYS_TIME SYS_TTY_CONFIG WAKE_ALARM"
).split()


def log(msg: str) -> None:
    print(f"harness: {msg}", flush=True)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


def engine_answers() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def cmd_engine(_args) -> int:
    if engine_answers():
        log("a Docker engine answers; using it")
        return 0
    if os.geteuid() != 0:
        sys.exit("harness: no Docker engine answers and this is not root: start one, or run as root")
    if not shutil.which("dockerd"):
        log("installing Debian's docker.io")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "update", "-qq"], env=env)
        run(["apt-get", "install", "-y", "-qq", "docker.io"], env=env)
    if engine_answers():  # the package may have started it
        return 0
    STATE.mkdir(parents=True, exist_ok=True)
    logf = open(STATE / "dockerd.log", "ab")
    # No systemd on the host: start dockerd ourselves. --bridge=none and --iptables=false as
    # measured in ENVIRONMENT.md; instances use the host network.
    proc = subprocess.Popen(
        ["dockerd", "--iptables=false", "--bridge=none"],
        stdout=logf, stderr=subprocess.STDOUT, start_new_session=True,
    )
    (STATE / "dockerd.pid").write_text(str(proc.pid))
    for _ in range(60):
        if engine_answers():
            log(f"started dockerd (pid {proc.pid}, log {STATE / 'dockerd.log'})")
            return 0
        if proc.poll() is not None:
            break
        time.sleep(1)
    sys.exit(f"harness: dockerd did not come up; see {STATE / 'dockerd.log'}")


def cmd_engine_stop(_args) -> int:
    pidfile = STATE / "dockerd.pid"
    if not pidfile.exists():
        log("dockerd was not started by the harness; leaving it alone")
        return 0
    pid = int(pidfile.read_text())
    try:
        os.kill(pid, 15)
        for _ in range(30):
            os.kill(pid, 0)
            time.sleep(1)
    except ProcessLookupError:
        pass
    pidfile.unlink()
    log(f"stopped dockerd (pid {pid})")
    return 0


def image_hash(name: str, spec: dict) -> str:
    suite = spec.get("suite", SUITE)
    blob = json.dumps({"name": name, "spec": spec, "suite": suite, "rev": RECIPE_REVISION}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def image_label(image: str) -> str | None:
    out = subprocess.run(
        ["docker", "image", "inspect", "-f", '{{ index .Config.Labels "org.sourcebuilt.hash" }}', f"{image}:latest"],
        capture_output=True, text=True,
    )
    return out.stdout.strip() if out.returncode == 0 else None


def ensure_host_tools(packages: tuple[str, ...] = ("debootstrap",)) -> None:
    """Install the Debian packages whose program is missing: debootstrap, or shellcheck for the shell tests."""
    commands = {"debootstrap": "debootstrap", "shellcheck": "shellcheck"}
    missing = [pkg for pkg in packages if not shutil.which(commands.get(pkg, pkg))]
    if not shutil.which("dpkg-deb"):
        missing.append("dpkg")
    if missing:
        log(f"installing {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, check=False).returncode != 0:
            # A fresh machine may have no package lists yet.
            run(["apt-get", "update", "-qq"], env=env)
            run(["apt-get", "install", "-y", "-qq", *missing], env=env)


def cmd_host_tools(_args) -> int:
    """shellcheck (the unit tests of shell files), busybox (the init scripts' tests run them under busybox sh too)
    and debootstrap (images), installed before `make test` builds the images beside the lint and unit stages: two
    apt-get at once would fight for the dpkg lock."""
    ensure_host_tools(("shellcheck", "busybox", "debootstrap"))
    return 0


def build_rootfs_image(name: str, spec: dict, digest: str) -> None:
    """debootstrap a rootfs, keep it as a tarball under .cache/images, and `docker import` it."""
    ensure_host_tools()
    tarball = ROOT / ".cache" / "images" / f"{name.rsplit('/', 1)[-1]}-{digest}.tar"
    if not tarball.exists():
        tarball.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="sourcebuilt-rootfs-") as tmp:
            rootfs = Path(tmp) / "rootfs"
            cmd = ["debootstrap", "--variant=minbase", f"--include={','.join(spec['packages'])}"]
            if spec.get("exclude"):
                cmd.append(f"--exclude={','.join(spec['exclude'])}")
            started = time.monotonic()
            run(cmd + [spec.get("suite", SUITE), str(rootfs), MIRROR], stdout=subprocess.DEVNULL)
            customise_rootfs(rootfs, spec)
            present = [p for p in spec.get("absent", []) if (rootfs / p).exists() or (rootfs / p).is_symlink()]
            if present:
                sys.exit(f"harness: {name} must not have {', '.join(present)}")
            run(["tar", "-C", str(rootfs), "-cf", f"{tarball}.part", "."])
            os.replace(f"{tarball}.part", tarball)
            log(f"debootstrapped {name} in {time.monotonic() - started:.0f} s")
        for old in tarball.parent.glob(f"{name.rsplit('/', 1)[-1]}-*.tar"):
            if old != tarball:
                old.unlink()
    run(["docker", "import", "-c", f'CMD ["{spec["cmd"]}"]', "-c", f"LABEL org.sourcebuilt.hash={digest}",
         str(tarball), f"{name}:latest"], stdout=subprocess.DEVNULL)
    log(f"imported {name}:latest")


def customise_rootfs(rootfs: Path, spec: dict) -> None:
    """Make the rootfs behave as a container: no gettys, no first-boot prompts, a deb-src line."""
    (rootfs / "etc" / "apt" / "sources.list").write_text(f"deb {MIRROR} {spec.get('suite', SUITE)} main\n")
    (rootfs / "etc" / "hostname").write_text("instance\n")
    for unit in ("getty.target", "console-getty.service", "systemd-firstboot.service"):
        link = rootfs / "etc" / "systemd" / "system" / unit
        if (rootfs / "lib" / "systemd").exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.unlink(missing_ok=True)
            link.symlink_to("/dev/null")
    if spec.get("setup"):
        run(["chroot", str(rootfs), "/bin/sh", "-c", spec["setup"]])
    inittab = rootfs / "etc" / "inittab"
    if inittab.exists():
        lines = [ln for ln in inittab.read_text().splitlines() if "getty" not in ln]
        inittab.write_text("\n".join(lines) + "\n")
    # Keep the image small: apt lists are refetched by the roles.
    shutil.rmtree(rootfs / "var" / "lib" / "apt" / "lists", ignore_errors=True)
    (rootfs / "var" / "lib" / "apt" / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    shutil.rmtree(rootfs / "var" / "cache" / "apt" / "archives", ignore_errors=True)
    (rootfs / "var" / "cache" / "apt" / "archives" / "partial").mkdir(parents=True, exist_ok=True)


def busybox_static(tmp: Path) -> Path:
    """Debian's busybox-static from the controller's apt sources, extracted under tmp."""
    run(["apt-get", "download", "-qq", "busybox-static"], cwd=tmp, stderr=subprocess.DEVNULL)
    deb = next(tmp.glob("busybox-static_*.deb"))
    run(["dpkg-deb", "-x", str(deb), str(tmp / "x")])
    return tmp / "x" / "bin" / "busybox"


def build_busybox_host() -> None:
    """The busybox-only legacy host: busybox-static, its applet links, busybox init, no Python."""
    digest = image_hash(BUSYBOX_HOST_IMAGE, {"pkg": "busybox-static", "files": BUSYBOX_HOST_FILES, "cmd": "/sbin/init"})
    if image_label(BUSYBOX_HOST_IMAGE) == digest:
        log(f"{BUSYBOX_HOST_IMAGE} is current ({digest})")
        return
    ensure_host_tools()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sourcebuilt-busybox-host-") as tmp:
        root = Path(tmp) / "root"
        (root / "bin").mkdir(parents=True)
        shutil.copy2(busybox_static(Path(tmp)), root / "bin" / "busybox")
        applets = subprocess.run([str(root / "bin" / "busybox"), "--list-full"],
                                 capture_output=True, text=True, check=True)
        for path in applets.stdout.split():
            link = root / path
            if link.name == "busybox" or link.exists():
                continue
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to("/bin/busybox")
        for rel, text in BUSYBOX_HOST_FILES.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        (root / "etc" / "init.d" / "rcS").chmod(0o755)
        for d in ("proc", "sys", "dev", "run", "root", "var/log", "var/tmp", "tmp"):
            (root / d).mkdir(parents=True, exist_ok=True)
        (root / "tmp").chmod(0o1777)
        (root / "var" / "tmp").chmod(0o1777)
        run(["docker", "import", "-c", 'CMD ["/sbin/init"]', "-c", f"LABEL org.sourcebuilt.hash={digest}",
             "-", f"{BUSYBOX_HOST_IMAGE}:latest"],
            input=subprocess.run(["tar", "--owner=0", "--group=0", "-C", str(root), "-c", "."],
                                 capture_output=True, check=True).stdout, stdout=subprocess.DEVNULL)
    log(f"built {BUSYBOX_HOST_IMAGE} in {time.monotonic() - started:.0f} s")


def build_busybox() -> None:
    """A busybox rootfs tarball (Debian's busybox-static) that the dockerd under test imports."""
    digest = image_hash(BUSYBOX_IMAGE, {"pkg": "busybox-static"})
    stamp = BUSYBOX_TAR.with_suffix(".hash")
    if BUSYBOX_TAR.exists() and stamp.exists() and stamp.read_text() == digest and image_label(BUSYBOX_IMAGE) == digest:
        log(f"{BUSYBOX_IMAGE} is current ({digest})")
        return
    ensure_host_tools()
    BUSYBOX_TAR.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sourcebuilt-busybox-") as tmp:
        root = Path(tmp) / "root"
        (root / "bin").mkdir(parents=True)
        shutil.copy2(busybox_static(Path(tmp)), root / "bin" / "busybox")
        applets = subprocess.run([str(root / "bin" / "busybox"), "--list"], capture_output=True, text=True, check=True)
        for applet in applets.stdout.split():
            if applet != "busybox":
                (root / "bin" / applet).symlink_to("busybox")
        for d in ("etc", "tmp", "proc", "sys", "dev"):
            (root / d).mkdir(exist_ok=True)
        run(["tar", "--owner=0", "--group=0", "-C", str(root), "-cf", str(BUSYBOX_TAR), "."])
    run(["docker", "import", "-c", 'CMD ["/bin/sh"]', "-c", f"LABEL org.sourcebuilt.hash={digest}",
         str(BUSYBOX_TAR), f"{BUSYBOX_IMAGE}:latest"], stdout=subprocess.DEVNULL)
    stamp.write_text(digest)
    log(f"built {BUSYBOX_IMAGE} and {BUSYBOX_TAR}")


def derived_script(spec: dict) -> str:
    """The RUN step of a derived image: build tools and build-deps in, Go out (unless keep_go), apt state dropped."""
    import yaml  # the venv's PyYAML (ansible-core depends on it)

    packages = yaml.safe_load((ROOT / spec["packages_from"]).read_text())["__toolchain_packages"]
    build_deps = yaml.safe_load((ROOT / spec["build_deps_from"]).read_text())["debian_build_deps"]
    return " && ".join([
        "set -e", "export DEBIAN_FRONTEND=noninteractive",
        f"echo 'deb-src {MIRROR} {spec.get('suite', SUITE)} main' > /etc/apt/sources.list.d/deb-src.list",
        "apt-get update -qq",
        f"apt-get install -y -qq --no-install-recommends {' '.join(packages)} >/dev/null",
        f"apt-get build-dep -y -qq {' '.join(build_deps)} >/dev/null",
        *(["command -v go"] if spec.get("keep_go") else [
            # Go arrives with the build-deps; the offline build must take it from the controller.
            "dpkg --purge --force-depends $(dpkg-query -W -f '${Package} ' 'golang-go' 'golang-src' 'golang-any'"
            " 'golang-1.*' 2>/dev/null) >/dev/null",
            "! command -v go", "! ls -d /usr/lib/go-* 2>/dev/null"]),
        "test -d /usr/share/gocode/src",
        "rm -rf /etc/apt/sources.list.d/deb-src.list /var/lib/apt/lists/* /var/cache/apt/archives/*.deb",
    ])


def build_derived_image(name: str, spec: dict, digest: str) -> None:
    dockerfile = (f"FROM {spec['from']}:latest\n"
                  f"RUN {derived_script(spec)}\n"
                  f"LABEL org.sourcebuilt.hash={digest}\n")
    started = time.monotonic()
    # No layer cache: a new hash means new packages (a point release), which a cached RUN layer would not have.
    run(["docker", "build", "-q", "--no-cache", "--network", "host", "-t", f"{name}:latest", "-"],
        input=dockerfile.encode(), stdout=subprocess.DEVNULL)
    log(f"built {name} in {time.monotonic() - started:.0f} s")


def cmd_images(args) -> int:
    sets = set(args.set or ["default"])
    if "all" in sets:
        sets = {"default", "legacy", "debian13", "buildtools"}
    if "legacy" in sets:
        build_images(LEGACY_IMAGES)
        build_busybox_host()
    if "debian13" in sets:
        build_images(DEBIAN13_IMAGES)
        build_derived_images(DEBIAN13_DERIVED)
    if "default" in sets:
        build_images(IMAGES)
        build_busybox()
    if "buildtools" in sets:
        build_images(IMAGES)  # current when the default set was built first (make test orders the two)
        build_derived_images(BUILDTOOLS_DERIVED)
    return 0


def archive_date(suite: str) -> str:
    """The Date of the suite's Release file: it changes with each point release of the archive."""
    with urllib.request.urlopen(f"{MIRROR}/dists/{suite}/Release", timeout=60) as response:
        head = response.read(4096).decode(errors="replace")
    return next((line[5:].strip() for line in head.splitlines() if line.startswith("Date:")), "")


def build_derived_images(images: dict) -> None:
    for name, spec in images.items():
        recipe = {**spec, "base": image_label(spec["from"]), "script": derived_script(spec)}
        if spec.get("keep_go"):
            # Its packages must be the ones `default` installs from the archive in the same run: a point
            # release makes a new image.
            recipe["archive"] = archive_date(spec.get("suite", SUITE))
        digest = image_hash(name, recipe)
        if image_label(name) == digest:
            log(f"{name} is current ({digest})")
            continue
        log(f"building {name} ({digest}) from {spec['from']}")
        build_derived_image(name, spec, digest)


def build_images(images: dict) -> None:
    for name, spec in images.items():
        digest = image_hash(name, spec)
        if image_label(name) == digest:
            log(f"{name} is current ({digest})")
            continue
        log(f"building {name} ({digest}) with debootstrap from {MIRROR}")
        build_rootfs_image(name, spec, digest)


def privileged_works(image: str) -> bool:
    probe = subprocess.run(["docker", "run", "--rm", "--privileged", "--entrypoint", "/bin/true", image],
                           capture_output=True)
    return probe.returncode == 0


def instance_run_args(image: str) -> list[str]:
    """The `docker run` options that give a container a working systemd (see ENVIRONMENT.md)."""
    args = ["--stop-signal", "SIGRTMIN+3" if "systemd" in image else "SIGTERM",
            "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
            "--cgroupns=host", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw",
            "--tmpfs", "/run", "--tmpfs", "/run/lock", "--network", "host"]
    if privileged_works(image):
        return ["--privileged"] + args
    args += ["--security-opt", "systempaths=unconfined"]
    for cap in CAPABILITIES:
        args += ["--cap-add", cap]
    return args


def cmd_instance(args) -> int:
    """Start (or replace) one test instance; molecule's create playbook and `make demo` call this."""
    image = args.image if ":" in args.image else f"{args.image}:latest"
    subprocess.run(["docker", "rm", "-f", args.name], capture_output=True)
    opts = instance_run_args(image)
    if args.network:
        opts = [o for o in opts if o not in ("--network", "host")] + ["--network", args.network]
    # The state dirs of the dockerd and containerd under test must not be on overlayfs: volumes.
    opts += ["-v", f"{args.name}-docker:/var/lib/docker", "-v", f"{args.name}-containerd:/var/lib/containerd",
             "--hostname", args.name]
    for label in args.label or []:
        opts += ["--label", label]
    run(["docker", "run", "-d", "--name", args.name, *opts, image], stdout=subprocess.DEVNULL)
    state = "unknown"
    for _ in range(60):
        probe = subprocess.run(["docker", "exec", args.name, "sh", "-c",
                                "command -v systemctl >/dev/null && systemctl is-system-running || runlevel"
                                " || cat /run/sourcebuilt-ready"],
                               capture_output=True, text=True)
        # The first line: is-system-running exits non-zero when degraded (Debian 13 containers: systemd-modules-load
        # fails), and runlevel then prints too.
        state = (probe.stdout.strip().splitlines() or [""])[0]
        if state in ("running", "degraded", "ready") or (probe.returncode == 0 and state.split()[-1:] == ["2"]):
            break
        time.sleep(1)
    log(f"instance {args.name} is up from {image} (init: {state or 'unknown'})")
    return 0


def cmd_instance_rm(args) -> int:
    for name in args.names:
        subprocess.run(["docker", "rm", "-f", "-v", name], capture_output=True)
        subprocess.run(["docker", "volume", "rm", f"{name}-docker", f"{name}-containerd"], capture_output=True)
        log(f"removed instance {name}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name, fn in (("engine", cmd_engine), ("engine-stop", cmd_engine_stop), ("host-tools", cmd_host_tools)):
        sub.add_parser(name).set_defaults(fn=fn)
    images = sub.add_parser("images", help="build the instance images that are not current")
    images.add_argument("--set", choices=("default", "legacy", "debian13", "buildtools", "all"), action="append",
                        help="default (when no --set is given): the scenarios' Debian 12 images; legacy: the "
                             "Python-free hosts (issue #15); debian13: the Debian 13 hosts; buildtools: Debian 12 with "
                             "the build tools and Go; all: every image")
    images.set_defaults(fn=cmd_images)
    inst = sub.add_parser("instance", help="start a test instance")
    inst.add_argument("name")
    inst.add_argument("--image", default="localhost/sourcebuilt-debian12-systemd")
    inst.add_argument("--network", help="docker network mode (default: host)")
    inst.add_argument("--label", action="append")
    inst.set_defaults(fn=cmd_instance)
    rm = sub.add_parser("instance-rm", help="remove test instances and their volumes")
    rm.add_argument("names", nargs="+")
    rm.set_defaults(fn=cmd_instance_rm)
    args = parser.parse_args()
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
