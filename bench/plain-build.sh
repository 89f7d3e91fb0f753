#!/bin/bash
# Copyright (c) 2026, sourcebuilt.docker contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The baseline of bench/run.py: the classic serial shell script that builds the debian-bookworm
# stack one component after the other, with the flags of roles/build/templates/recipes/*.sh.j2
# and the pins of roles/build/profiles/debian-bookworm.yml (bench/run.py checks that the pins and
# tags below still match the profile before it runs anything). Static outputs, Go 1.19 from
# Debian, GOPATH mode with Debian's golang-*-dev packages, sources from `apt-get source`.
#
#   plain-build.sh setup [COMPONENT...]   deb-src, the C tools, Go, `apt-get build-dep` (not timed)
#   plain-build.sh build [COMPONENT...]   `apt-get source` what is missing, then compile in turn (timed)
#
# COMPONENT: libseccomp runc containerd tini proxy dockerd cli (default: all, in that order; runc
# links the static libseccomp a previous `build libseccomp` left in $PLAIN_ROOT/out/libseccomp).
# Patches in $PLAIN_ROOT/patches/<component>/*.patch are applied with `patch -p1`, in the
# component's patch dir (dockerd: engine/, cli: cli/, proxy: libnetwork/), as the collection does.
set -euo pipefail

ROOT=${PLAIN_ROOT:-/var/tmp/plain-build}
ALL=(libseccomp runc containerd tini proxy dockerd cli)

# Pins (debian-bookworm profile).
LIBSECCOMP_SRC="libseccomp=2.5.4-1+deb12u1"
RUNC_SRC="runc=1.1.5+ds1-1+deb12u1"
CONTAINERD_SRC="containerd=1.6.20~ds1-1+deb12u3"
TINI_SRC="tini=0.19.0-1"
DOCKER_SRC="docker.io=20.10.24+dfsg1-1+deb12u1"
RUNC_VERSION=1.1.5 RUNC_COMMIT=f19387a6bec4944c770f7668ab51c4348d9c2f38
CONTAINERD_VERSION=1.6.20 CONTAINERD_COMMIT=2806fc1057397dbaeefbea0e4e17bddfbd388f38
TINI_COMMIT=de40ad007797e0dcd8b7126f27bb87401d224240
DOCKER_VERSION=20.10.24 DOCKERD_COMMIT=5d6db84 CLI_COMMIT=297e128
RUNC_TAGS="seccomp netgo osusergo static_build urfave_cli_no_docs"
CONTAINERD_TAGS="osusergo netgo static_build"
DOCKERD_TAGS="netgo osusergo static_build apparmor seccomp exclude_graphdriver_btrfs exclude_graphdriver_devicemapper exclude_graphdriver_zfs"
CLI_TAGS="netgo osusergo"
# The same C tools as roles/toolchain/vars/Debian.yml, and the profile's Go.
PACKAGES="gcc make cmake pkg-config git gperf patch libc6-dev dpkg-dev file rsync golang-1.19-go"

export LC_ALL=C.UTF-8 GOROOT=/usr/lib/go-1.19
export PATH="$GOROOT/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
export GOPATH="$ROOT/gopath:/usr/share/gocode" GOCACHE="$ROOT/cache/go-build" GO111MODULE=off
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-buildvcs=false
JOBS=$(nproc)
OUT="$ROOT/out"
GP="$ROOT/gopath/src"

say() { echo "plain-build: $*"; }

source_package() {  # component -> Debian source package=version
  case $1 in
    libseccomp) echo "$LIBSECCOMP_SRC" ;; runc) echo "$RUNC_SRC" ;; containerd) echo "$CONTAINERD_SRC" ;;
    tini) echo "$TINI_SRC" ;; proxy | dockerd | cli) echo "$DOCKER_SRC" ;;
    *) echo "unknown component $1 (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
}

setup() {
  export DEBIAN_FRONTEND=noninteractive
  if ! grep -rqs '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "deb-src http://deb.debian.org/debian bookworm main" >/etc/apt/sources.list.d/plain-build-deb-src.list
  fi
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $PACKAGES >/dev/null
  local deps=()
  for c in "$@"; do
    case $c in runc) deps+=(runc) ;; containerd) deps+=(containerd) ;; proxy | dockerd | cli) deps+=(docker.io) ;; esac
  done
  if [ ${#deps[@]} -gt 0 ]; then
    mapfile -t deps < <(printf '%s\n' "${deps[@]}" | sort -u)
    apt-get build-dep -y -qq "${deps[@]}" >/dev/null
  fi
  mkdir -p "$ROOT/src" "$ROOT/patches" "$OUT"
  say "setup done for: $*"
}

fetch() {  # apt-get source into $ROOT/src/<package>/tree, once
  local spec=$1 pkg=${1%%=*}
  [ -d "$ROOT/src/$pkg/tree" ] && return
  rm -rf "$ROOT/src/$pkg" && mkdir -p "$ROOT/src/$pkg/dl"
  (cd "$ROOT/src/$pkg/dl" && apt-get source -qq "$spec" >/dev/null)
  mv "$(find "$ROOT/src/$pkg/dl" -mindepth 1 -maxdepth 1 -type d | head -n 1)" "$ROOT/src/$pkg/tree"
  rm -rf "$ROOT/src/$pkg/dl"
}

fresh_copy() {  # fresh copy of a source tree at $2, patched with $ROOT/patches/<component>/*.patch
  local component=$1 dest=$2 src="$ROOT/src/${3:-${1}}/tree" patch_dir=${4:-.}
  rm -rf "$dest" && mkdir -p "$(dirname "$dest")" && cp -a "$src" "$dest"
  for p in "$ROOT/patches/$component"/*.patch; do
    [ -f "$p" ] || continue
    (cd "$dest/$patch_dir" && patch -p1 --forward --batch --no-backup-if-mismatch -s -i "$p")
  done
}

docker_tree() {  # docker.io's engine/cli/libnetwork/swarmkit at their GOPATH import paths, patched for $1
  local tree="$ROOT/work/docker-$1"
  fresh_copy "$1" "$tree" docker.io "$2"
  mkdir -p "$GP/github.com/docker"
  for pair in docker:engine cli:cli libnetwork:libnetwork swarmkit:swarmkit; do
    rm -rf "$GP/github.com/docker/${pair%%:*}"
    mv "$tree/${pair#*:}" "$GP/github.com/docker/${pair%%:*}"
  done
  rm -rf "$tree"
}

must_be_static() {
  if readelf -l "$1" | grep -q 'Requesting program interpreter'; then
    echo "plain-build: $1 is not static" >&2
    exit 1
  fi
}

build_libseccomp() {
  fresh_copy libseccomp "$ROOT/work/libseccomp"
  (cd "$ROOT/work/libseccomp" && { [ -x ./configure ] || ./autogen.sh; })
  mkdir -p "$ROOT/work/libseccomp-obj" && cd "$ROOT/work/libseccomp-obj"
  "$ROOT/work/libseccomp/configure" --prefix="$OUT/libseccomp" --libdir="$OUT/libseccomp/lib" \
    --enable-static --disable-shared --disable-python >/dev/null
  make -j"$JOBS" >/dev/null
  make install >/dev/null
  test -f "$OUT/libseccomp/lib/libseccomp.a"
}

build_runc() {
  export PKG_CONFIG_PATH="$OUT/libseccomp/lib/pkgconfig" CGO_ENABLED=1
  fresh_copy runc "$GP/github.com/opencontainers/runc"
  cd "$GP/github.com/opencontainers/runc"
  go build -trimpath -tags "$RUNC_TAGS" \
    -ldflags "-extldflags -static -X main.gitCommit=$RUNC_COMMIT -X main.version=$RUNC_VERSION" -o "$OUT/bin/runc" .
  must_be_static "$OUT/bin/runc"
}

build_containerd() {
  export CGO_ENABLED=0
  local pkg=github.com/containerd/containerd
  local ldflags="-s -w -X $pkg/version.Version=v$CONTAINERD_VERSION -X $pkg/version.Revision=$CONTAINERD_COMMIT -X $pkg/version.Package=$pkg -extldflags -static"
  fresh_copy containerd "$GP/$pkg"
  cd "$GP/$pkg"
  for cmd in containerd containerd-shim-runc-v2 ctr; do
    go build -trimpath -tags "$CONTAINERD_TAGS" -ldflags "$ldflags" -o "$OUT/bin/$cmd" "./cmd/$cmd"
    must_be_static "$OUT/bin/$cmd"
  done
}

build_tini() {
  fresh_copy tini "$ROOT/work/tini"
  cd "$ROOT/work/tini" && rm -rf .git
  cmake . >/dev/null
  sed -i "s|^#define TINI_GIT .*|#define TINI_GIT     \" - git.${TINI_COMMIT:0:7}\"|" tiniConfig.h
  make tini-static >/dev/null
  install -m 0755 tini-static "$OUT/bin/docker-init"
}

build_proxy() {
  export CGO_ENABLED=0
  docker_tree proxy libnetwork
  cd "$GP/github.com/docker/libnetwork"
  go build -trimpath -ldflags "-w" -o "$OUT/bin/docker-proxy" ./cmd/proxy
  must_be_static "$OUT/bin/docker-proxy"
}

build_dockerd() {
  export VERSION=$DOCKER_VERSION DOCKER_GITCOMMIT=$DOCKERD_COMMIT DOCKER_BUILDTAGS=$DOCKERD_TAGS
  docker_tree dockerd engine
  cd "$GP/github.com/docker/docker"
  hack/make.sh binary-daemon >/dev/null
  install -m 0755 "$(readlink -f bundles/binary-daemon/dockerd)" "$OUT/bin/dockerd"
  must_be_static "$OUT/bin/dockerd"
}

build_cli() {
  export CGO_ENABLED=0
  docker_tree cli cli
  cd "$GP/github.com/docker/cli"
  go build -trimpath -tags "$CLI_TAGS" -ldflags "-w \
    -X github.com/docker/cli/cli/version.Version=$DOCKER_VERSION \
    -X github.com/docker/cli/cli/version.GitCommit=$CLI_COMMIT \
    -X github.com/docker/cli/cli/version.BuildTime=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    -o "$OUT/bin/docker" ./cmd/docker
  must_be_static "$OUT/bin/docker"
}

build() {
  mkdir -p "$OUT/bin" "$ROOT/work"
  for c in "$@"; do fetch "$(source_package "$c")"; done
  for c in "$@"; do
    local started=$SECONDS
    (build_"$c")  # a subshell each: no environment leaks from one component to the next
    say "$c built in $((SECONDS - started)) s"
  done
}

cmd=${1:-}
shift || true
[ $# -gt 0 ] || set -- "${ALL[@]}"
for c in "$@"; do source_package "$c" >/dev/null; done
case $cmd in
  setup) setup "$@" ;;
  build) build "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 2 ;;
esac
