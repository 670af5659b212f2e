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

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root for: $* (run as root or with password-less sudo)"
  fi
}

apt_updated=0
apt_log() { echo "$cache_root/apt.log"; }
apt_update() {
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >>"$(apt_log)" 2>&1 \
    || { tail -n 20 "$(apt_log)" >&2; die "apt-get update failed (log: $(apt_log))"; }
  apt_updated=1
}

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

install_packages() {
  local missing
  missing=$(missing_packages "$@" | tr '\n' ' ')
  [ -n "${missing// /}" ] || return 0
  step "installing Debian packages: $missing"
  [ "$apt_updated" -eq 1 ] || apt_update
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends $missing >>"$(apt_log)" 2>&1 \
    || { tail -n 20 "$(apt_log)" >&2; die "apt-get install $missing failed (log: $(apt_log))"; }
}

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

# --- deb-src entries --------------------------------------------------------------------------
has_deb_src() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && grep -qE '^[[:space:]]*deb-src[[:space:]]' "$f" && return 0
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && grep -qE '^Types:(.*[[:space:]])?deb-src([[:space:]]|$)' "$f" && return 0
  done
  return 1
}

# Derives deb-src entries from the machine's Debian entries: the suites <codename>,
# <codename>-updates and <codename>-security; third-party repositories are left out.
add_deb_src() {
  local codename suite_re f out_list out_sources
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || die "cannot tell the Debian codename from /etc/os-release"
  suite_re="^${codename}(-updates|-security)?$"
  out_list=$(mktemp); out_sources=$(mktemp)
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v re="$suite_re" '
      /^[[:space:]]*deb[[:space:]]/ {
        i = 2
        if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ((i + 1) <= NF && $(i + 1) ~ re) { sub(/^[[:space:]]*deb/, "deb-src"); print }
      }' "$f" >>"$out_list"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822: one stanza per blank-line separated block; keep Debian suites, turn Types into deb-src.
    awk -v re="$suite_re" '
      function flush(   n, i, s, kept, parts) {
        if (nlines > 0 && isdeb && enabled) {
          n = split(suites, parts, /[[:space:]]+/); kept = ""
          for (i = 1; i <= n; i++) if (parts[i] ~ re) kept = kept (kept == "" ? "" : " ") parts[i]
          if (kept != "") {
            print "Types: deb-src"
            for (i = 1; i <= nlines; i++) {
              if (lines[i] ~ /^Types:/) continue
              if (lines[i] ~ /^Suites:/) { print "Suites: " kept; continue }
              print lines[i]
            }
            print ""
          }
        }
        nlines = 0; isdeb = 0; enabled = 1; suites = ""
      }
      BEGIN { nlines = 0; isdeb = 0; enabled = 1 }
      /^[[:space:]]*$/ { flush(); next }
      /^#/ { next }
      {
        lines[++nlines] = $0
        if ($0 ~ /^Types:/ && $0 ~ /[[:space:]]deb([[:space:]]|$)/) isdeb = 1
        if ($0 ~ /^Enabled:[[:space:]]*(no|false)/) enabled = 0
        if ($0 ~ /^Suites:/) { suites = $0; sub(/^Suites:[[:space:]]*/, "", suites) }
      }
      END { flush() }' "$f" >>"$out_sources"
  done
  if [ ! -s "$out_list" ] && [ ! -s "$out_sources" ]; then
    rm -f "$out_list" "$out_sources"
    die "found no Debian '$codename' entry in /etc/apt/sources.list{,.d/} to derive a deb-src entry from"
  fi
  if [ -s "$out_list" ]; then
    as_root install -m 0644 "$out_list" /etc/apt/sources.list.d/gatehouse-deb-src.list
  fi
  if [ -s "$out_sources" ]; then
    as_root install -m 0644 "$out_sources" /etc/apt/sources.list.d/gatehouse-deb-src.sources
  fi
  rm -f "$out_list" "$out_sources"
}

knows_source() { [ -n "$(apt-cache showsrc kubernetes 2>/dev/null)" ]; }
if ! knows_source; then
  if has_deb_src; then
    step "updating apt indexes for source packages"
    apt_update
  fi
  if ! knows_source && ! ls /etc/apt/sources.list.d/gatehouse-deb-src.* >/dev/null 2>&1; then
    step "adding deb-src entries derived from the machine's Debian apt sources (/etc/apt/sources.list.d/gatehouse-deb-src.*)"
    add_deb_src
    apt_update
  fi
  knows_source || die "apt knows no source package 'kubernetes' even with deb-src entries (see /etc/apt/sources.list.d/gatehouse-deb-src.*)"
fi

# --- source --------------------------------------------------------------------------------------
src_root="$cache_root/src"
if [ ! -f "$src_root/.fetched" ]; then
  step "fetching Debian source package 'kubernetes' into $src_root"
  rm -rf "$src_root"
  mkdir -p "$src_root"
  (cd "$src_root" && apt-get source -qq kubernetes >"$src_root/fetch.log" 2>&1) \
    || { tail -n 20 "$src_root/fetch.log" >&2; die "apt-get source kubernetes failed (log: $src_root/fetch.log)"; }
  touch "$src_root/.fetched"
fi
src_dir=$(ls -d "$src_root"/kubernetes-*/ 2>/dev/null | head -n 1)
[ -n "$src_dir" ] && [ -f "$src_dir/Makefile" ] || die "no unpacked kubernetes source under $src_root"
src_dir="${src_dir%/}"

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
