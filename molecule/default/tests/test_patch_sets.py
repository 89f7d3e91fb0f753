# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The named patch sets fit the Debian bookworm sources and the stack still builds with them: each
component's patches.log (written by the patch step) lists every patch set of its profile as applied,
or as already applied when the tree carries it (engine-static-build-tag in docker.io 20.10), the
patched files hold the change, and the compile that followed succeeded. libseccomp-golang-static is
checked against Debian's own copy of libseccomp-golang, which the build does not patch."""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
import yaml

PROJECT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
PROFILE_NAME = os.environ.get("SOURCEBUILT_PROFILE", "debian-bookworm")
PROFILE = yaml.safe_load((PROJECT / "roles/build/profiles" / (PROFILE_NAME + ".yml")).read_text())
PATCH_SETS = PROJECT / "roles/build/files/patch_sets"
ROOT = "/var/lib/sourcebuilt-docker"


def patch_set_names(spec):
    """The patch sets a component uses: by name (patch_sets:) or by path (patches: [patch_sets/<name>.patch])."""
    return list(spec.get("patch_sets", [])) + [
        Path(p).name[:-len(".patch")] for p in spec.get("patches", []) if p.startswith("patch_sets/")]


PATCHED = sorted(name for name, spec in PROFILE["components"].items() if patch_set_names(spec))

# Patch set -> (file under the component's patch_dir, text the patched file must contain).
MARKERS = {
    "engine-no-btrfs": ("daemon/graphdriver/register/register_btrfs.go", "dropped by the engine-no-btrfs patch set"),
    "engine-static-build-tag": ("hack/make.sh", '-tags "netgo osusergo static_build $DOCKER_BUILDTAGS"'),
    "engine-quota-kernel-headers": ("quota/projectquota.go", "#include <linux/types.h>\n#include <linux/ioctl.h>\n"),
    "containerd-makefile-static": ("Makefile", "GO_BUILDTAGS ?= no_btrfs netgo osusergo static_build"),
}
# Patch sets the Debian trees already carry: the patch step must skip them, not fail.
ALREADY_IN_DEBIAN = {"engine-static-build-tag"}


@pytest.fixture(autouse=True)
def _root(host):
    with host.sudo():
        yield


def _compiled_here(host, component):
    if not host.file("%s/trees/%s/patches.log" % (ROOT, component)).exists:
        pytest.skip("%s was not compiled on this instance (taken from a cache)" % component)


@pytest.mark.parametrize("component", PATCHED)
def test_every_patch_set_was_applied_or_found_already_applied(host, component):
    _compiled_here(host, component)
    log = host.file("%s/trees/%s/patches.log" % (ROOT, component)).content_string.splitlines()
    names = patch_set_names(PROFILE["components"][component])
    assert len(log) == len(names), log
    for index, name in enumerate(names):
        staged = "%03d-%s.patch" % (index + 1, name)
        if PROFILE_NAME == "debian-bookworm" and name in ALREADY_IN_DEBIAN:
            assert log[index] == "already applied %s (skipped: the tree carries it)" % staged, log
        else:
            assert log[index] == "applied %s" % staged, log


@pytest.mark.parametrize("component", PATCHED)
def test_the_patched_files_hold_the_change(host, component):
    _compiled_here(host, component)
    spec = PROFILE["components"][component]
    base = "%s/trees/%s/src/%s" % (ROOT, component, spec.get("patch_dir", "."))
    checked = 0
    for name in patch_set_names(spec):
        if name not in MARKERS:
            continue
        path, text = MARKERS[name]
        assert text in host.file("%s/%s" % (base, path)).content_string, (name, path)
        checked += 1
    assert not host.run("find %s -name '*.rej' -o -name '*.orig'", base).stdout.strip()
    if PROFILE_NAME == "debian-bookworm":
        assert checked == len(patch_set_names(spec))


@pytest.mark.parametrize("component", PATCHED)
def test_the_patched_tree_compiled(host, component):
    _compiled_here(host, component)
    log = host.file("%s/logs/%s.log" % (ROOT, component)).content_string
    assert "sourcebuilt: %s done in" % component in log
    manifest = json.loads(host.check_output("cat %s/artifacts/%s/*/manifest.json", ROOT, component))
    assert manifest["files"], manifest


def test_libseccomp_golang_static_fits_debians_copy_and_links_the_static_archive(host):
    """Debian's runc has no vendor/: libseccomp-golang comes from golang-github-seccomp-libseccomp-golang-dev.
    Apply the patch set to a copy of it laid out as a vendored package, build a program that
    reports the library version with the libseccomp the collection built (PKG_CONFIG=/bin/false: the
    unpatched binding would fail at pkg-config), and check it linked the archive and reports that version."""
    if PROFILE_NAME != "debian-bookworm":
        pytest.skip("checks Debian's libseccomp-golang")
    gocode = "/usr/share/gocode/src/github.com/seccomp/libseccomp-golang"
    if not host.file(gocode).exists:
        pytest.skip("golang-github-seccomp-libseccomp-golang-dev is not installed (runc came from a cache)")
    prefix = host.check_output("dirname $(ls -d %s/artifacts/libseccomp/*/lib | head -n 1)", ROOT)
    patch = base64.b64encode((PATCH_SETS / "libseccomp-golang-static.patch").read_bytes()).decode()
    script = r"""
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
app="$work/src/example.invalid/seccompversion"
mkdir -p "$app/vendor/github.com/seccomp"
cp -a {gocode} "$app/vendor/github.com/seccomp/libseccomp-golang"
echo {patch} | base64 -d > "$work/p.patch"
(cd "$app" && patch -p1 --forward --batch -i "$work/p.patch")
cat > "$app/main.go" <<'EOF'
package main

import (
	"fmt"

	seccomp "github.com/seccomp/libseccomp-golang"
)

func main() {{
	major, minor, micro := seccomp.GetLibraryVersion()
	fmt.Printf("libseccomp %d.%d.%d\n", major, minor, micro)
}}
EOF
cd "$app"
export GO111MODULE=off GOPATH="$work" GOCACHE={root}/cache/go-build-1.19 GOFLAGS=-buildvcs=false
export CGO_ENABLED=1 CGO_CFLAGS="-I{prefix}/include" CGO_LDFLAGS="-L{prefix}/lib" PKG_CONFIG=/bin/false
/usr/lib/go-1.19/bin/go build -o "$work/seccompversion" .
if ldd "$work/seccompversion" | grep libseccomp; then echo "linked the shared library"; exit 1; fi
"$work/seccompversion"
""".format(gocode=gocode, patch=patch, root=ROOT, prefix=prefix)
    out = host.check_output("runuser -u sourcebuilt -- bash -c %s", script)
    assert "patching file vendor/github.com/seccomp/libseccomp-golang/seccomp_internal.go" in out, out
    assert out.strip().endswith("libseccomp %s" % PROFILE["components"]["libseccomp"]["version"]), out
