#!/usr/bin/env bash
# Builds a real kube-apiserver once from Debian's `kubernetes` source package and caches it at
#   ${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}/kube-apiserver/<version>/kube-apiserver
# for the e2e suite (dev.gatehouse.e2e.apiserver.RealApiServer), together with Debian's etcd.
#
# Idempotent and safe on every test run: when a cached binary runs (`--version`) and etcd is
# installed, it prints nothing and exits 0. Otherwise it prints one line per step:
#   1. installs missing Debian packages (golang-go, rsync, etcd-server, dpkg-dev, make, xz-utils);
#   2. adds deb-src entries derived from the machine's own Debian apt sources if there are none;
#   3. `apt-get source kubernetes` into the cache dir;
#   4. `make WHAT=cmd/kube-apiserver` (GOPATH mode with the vendored tree, as upstream 1.20 does;
#      GOMAXPROCS=2, no -j, niced: about 5-15 minutes on 2 cores; 4.4 min measured here);
#   5. installs the binary into the cache (atomically) and removes the source tree.
# Fails with a message and a non-zero exit when any step fails.
#
# Environment: GATEHOUSE_CACHE (cache root), GATEHOUSE_KEEP_KUBE_SRC=1 (keep the source tree and the
# Go build cache after a successful build, for fast rebuilds).
set -euo pipefail

me="prepare-kube-apiserver"
cache_root="${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}/kube-apiserver"
packages=(golang-go rsync etcd-server dpkg-dev make xz-utils ca-certificates)

step() { echo "$me: $*"; }
die() { echo "$me: FAILED: $*" >&2; exit 1; }

# Prints the path of a cached kube-apiserver that runs, newest version first; fails if none.
cached_binary() {
  local bin
  [ -d "$cache_root" ] || return 1
  for bin in $(ls -d "$cache_root"/*/kube-apiserver 2>/dev/null | sort -rV); do
    if [ -x "$bin" ] && timeout 20 "$bin" --version >/dev/null 2>&1; then
      echo "$bin"
      return 0
    fi
  done
  return 1
}

# Quiet fast path.
if cached_binary >/dev/null && command -v etcd >/dev/null 2>&1; then
  exit 0
fi

# shellcheck source=lib/kube-source.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/kube-source.sh"

mkdir -p "$cache_root"
# One preparer at a time (a developer's run and CI may overlap on one machine).
exec 9>"$cache_root/.lock"
if ! flock -n 9; then
  step "another run is preparing kube-apiserver; waiting for it"
  flock 9
fi

if cached_binary >/dev/null; then
  install_packages etcd-server
  exit 0
fi

install_packages "${packages[@]}"
command -v go >/dev/null || die "golang-go is installed but 'go' is not on PATH"

# --- source (deb-src entries derived from the machine's own apt sources if needed) ------------------
src_root="$cache_root/src"
fetch_kube_source "$src_root"
src_dir="$kube_src_dir"

# --- build ---------------------------------------------------------------------------------------
build_log="$cache_root/build.log"
step "building kube-apiserver in $src_dir (make WHAT=cmd/kube-apiserver; about 5-15 minutes on 2 cores; log: $build_log)"
start=$(date +%s)
# Kubernetes 1.20 builds in GOPATH mode from its vendor/ tree: hack/lib/init.sh sets GO111MODULE=off
# and hack/lib/golang.sh sets GOPATH/GOCACHE under _output/ inside the source tree (so inside the
# cache dir; nothing goes to ~/go or ~/.cache/go-build). GOFLAGS must not carry module flags
# (-mod=...) in GOPATH mode, so it is cleared. CGO_ENABLED=0 as Debian's own build does.
if ! (cd "$src_dir" && env GOFLAGS= GO111MODULE=off GOMAXPROCS=2 GOTOOLCHAIN=local CGO_ENABLED=0 \
      nice -n 10 make WHAT=cmd/kube-apiserver) >"$build_log" 2>&1; then
  tail -n 40 "$build_log" >&2
  die "make WHAT=cmd/kube-apiserver failed after $(( $(date +%s) - start ))s (full log: $build_log)"
fi
built="$src_dir/_output/bin/kube-apiserver"
[ -x "$built" ] || built="$src_dir/_output/local/bin/linux/$(go env GOARCH)/kube-apiserver"
[ -x "$built" ] || die "build finished but produced no kube-apiserver under $src_dir/_output"
version_line=$(timeout 20 "$built" --version 2>&1) || die "built kube-apiserver does not run: $version_line"
version=$(echo "$version_line" | awk '{print $2}')
version="${version#v}"
[ -n "$version" ] || die "cannot read the version from '$version_line'"
step "built kube-apiserver $version in $(( $(date +%s) - start ))s"

# --- install into the cache ----------------------------------------------------------------------
dest_dir="$cache_root/$version"
mkdir -p "$dest_dir"
cp "$built" "$dest_dir/kube-apiserver.tmp"
chmod 0755 "$dest_dir/kube-apiserver.tmp"
mv -f "$dest_dir/kube-apiserver.tmp" "$dest_dir/kube-apiserver"
timeout 20 "$dest_dir/kube-apiserver" --version >/dev/null 2>&1 || die "cached $dest_dir/kube-apiserver does not run"
if [ "${GATEHOUSE_KEEP_KUBE_SRC:-0}" != "1" ]; then
  rm -rf "$src_root"
fi
step "cached $dest_dir/kube-apiserver"
