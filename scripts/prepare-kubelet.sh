#!/usr/bin/env bash
# Prepares a real node for the e2e suite (dev.gatehouse.e2e.node.RealNode) and caches it at
#   ${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}/kubelet/
#     <version>/kubelet         the kubelet, same Debian source package (and version) as kube-apiserver
#     images/busybox.tar        docker-archive image gatehouse.invalid/busybox:1 (busybox-static: sh, tar, cat, nc, httpd, ...)
#     images/pause.tar          docker-archive image gatehouse.invalid/pause:1 (a static pause() binary, the sandbox image)
# and installs Debian's containerd, runc, containernetworking-plugins and busybox-static.
#
# Idempotent and safe on every test run: when the cached kubelet runs (`--version`), the packages are
# installed and both images exist, it prints nothing and exits 0. Otherwise it prints one line per step:
#   1. installs missing Debian packages (apt-get update first when it has to install anything);
#   2. builds the images (no registry: a rootfs tarred as one layer, config and manifest.json by hand);
#   3. `apt-get source kubernetes` (deb-src entries as scripts/prepare-kube-apiserver.sh adds them) and
#      `make WHAT=cmd/kubelet` (GOPATH mode, GOMAXPROCS=2, nice -n 19; about 10-30 minutes on 2 cores),
#      installs the binary into the cache atomically and removes the source tree.
# Fails with a message and a non-zero exit when any step fails.
#
# Environment: GATEHOUSE_CACHE (cache root), GATEHOUSE_KEEP_KUBE_SRC=1 (keep the source tree).
set -euo pipefail

me="prepare-kubelet"
cache_root="${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}/kubelet"
images_dir="$cache_root/images"
build_packages=(golang-go rsync dpkg-dev make xz-utils ca-certificates)
node_packages=(containerd runc containernetworking-plugins busybox-static iproute2 gcc libc6-dev)
# Bumped whenever the image recipe changes, so a warm cache is rebuilt.
image_recipe=1

step() { echo "$me: $*"; }
die() { echo "$me: FAILED: $*" >&2; exit 1; }

# shellcheck source=lib/kube-source.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/kube-source.sh"

# Prints the path of a cached kubelet that runs, newest version first; fails if none.
cached_kubelet() {
  local bin
  [ -d "$cache_root" ] || return 1
  for bin in $(ls -d "$cache_root"/*/kubelet 2>/dev/null | sort -rV); do
    if [ -x "$bin" ] && timeout 20 "$bin" --version >/dev/null 2>&1; then
      echo "$bin"
      return 0
    fi
  done
  return 1
}

images_ready() {
  [ -s "$images_dir/busybox.tar" ] && [ -s "$images_dir/pause.tar" ] \
    && [ "$(cat "$images_dir/recipe" 2>/dev/null)" = "$image_recipe" ]
}

# Quiet fast path.
if cached_kubelet >/dev/null && images_ready && [ -z "$(missing_packages "${node_packages[@]}")" ]; then
  exit 0
fi

mkdir -p "$cache_root"
# One preparer at a time (a developer's run and CI may overlap on one machine).
exec 9>"$cache_root/.lock"
if ! flock -n 9; then
  step "another run is preparing the kubelet; waiting for it"
  flock 9
fi

install_packages "${node_packages[@]}"
for tool in containerd ctr runc busybox gcc ip; do
  command -v "$tool" >/dev/null || die "'$tool' is not on PATH after installing ${node_packages[*]}"
done
[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/loopback ] \
  || die "containernetworking-plugins is installed but /usr/lib/cni/{bridge,host-local,loopback} are missing"

# --- images ---------------------------------------------------------------------------------------
# docker_archive <out.tar> <repo:tag> <rootfs dir> <json array for Cmd>: one layer, config, manifest.json.
docker_archive() {
  local out="$1" tag="$2" rootfs="$3" cmd="$4" work diff config_json config_sha
  work=$(mktemp -d)
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$rootfs" -cf "$work/layer.tar" .
  diff=$(sha256sum "$work/layer.tar" | awk '{print $1}')
  mkdir "$work/$diff"
  mv "$work/layer.tar" "$work/$diff/layer.tar"
  config_json=$(printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":["PATH=/bin"],"Cmd":%s,"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$cmd" "$diff")
  config_sha=$(printf '%s' "$config_json" | sha256sum | awk '{print $1}')
  printf '%s' "$config_json" >"$work/$config_sha.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$config_sha" "$tag" "$diff" >"$work/manifest.json"
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$work" -cf "$out.tmp" manifest.json "$config_sha.json" "$diff"
  mv -f "$out.tmp" "$out"
  rm -rf "$work"
}

if ! images_ready; then
  step "building images gatehouse.invalid/busybox:1 and gatehouse.invalid/pause:1 in $images_dir"
  mkdir -p "$images_dir"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT

  # busybox: the static busybox with every applet linked in /bin, and the dirs runc mounts onto.
  mkdir -p "$work/busybox/bin" "$work/busybox/etc" "$work/busybox/tmp" "$work/busybox/root" \
    "$work/busybox/proc" "$work/busybox/sys" "$work/busybox/dev" "$work/busybox/var/www"
  cp "$(readlink -f "$(command -v busybox)")" "$work/busybox/bin/busybox"
  file_type=$(od -An -c -N4 "$work/busybox/bin/busybox" | tr -d ' ')
  [ "$file_type" = '177ELF' ] || die "$(command -v busybox) is not an ELF binary"
  for applet in $("$work/busybox/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$work/busybox/bin/$applet"
  done
  for applet in sh tar cat nc httpd sleep; do
    [ -e "$work/busybox/bin/$applet" ] || die "busybox has no '$applet' applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$work/busybox/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$work/busybox/etc/group"
  chmod 1777 "$work/busybox/tmp"
  docker_archive "$images_dir/busybox.tar" gatehouse.invalid/busybox:1 "$work/busybox" '["sh"]'

  # pause: waits for a signal, reaps children; static, so the image needs nothing else.
  mkdir -p "$work/pause"
  cat >"$work/pause.c" <<'C'
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void stop(int sig) { (void) sig; _exit(0); }
static void reap(int sig) { (void) sig; while (waitpid(-1, NULL, WNOHANG) > 0) {} }
int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = reap;
    sigaction(SIGCHLD, &sa, NULL);
    for (;;) pause();
}
C
  gcc -static -Os -s -o "$work/pause/pause" "$work/pause.c" >"$cache_root/pause-build.log" 2>&1 \
    || { cat "$cache_root/pause-build.log" >&2; die "cannot compile the static pause binary (gcc -static; needs libc6-dev)"; }
  docker_archive "$images_dir/pause.tar" gatehouse.invalid/pause:1 "$work/pause" '["/pause"]'
  echo "$image_recipe" >"$images_dir/recipe"
  rm -rf "$work"
  trap - EXIT
fi

if cached_kubelet >/dev/null; then
  exit 0
fi

# --- kubelet -----------------------------------------------------------------------------------------
install_packages "${build_packages[@]}"
command -v go >/dev/null || die "golang-go is installed but 'go' is not on PATH"
fetch_kube_source "$cache_root/src"
src_dir="$kube_src_dir"

build_log="$cache_root/build.log"
step "building the kubelet in $src_dir (make WHAT=cmd/kubelet; about 10-30 minutes on 2 cores; log: $build_log)"
start=$(date +%s)
# GOPATH mode from the vendor/ tree, as in prepare-kube-apiserver.sh; CGO_ENABLED=0 gives a static binary.
if ! (cd "$src_dir" && env GOFLAGS= GO111MODULE=off GOMAXPROCS=2 GOTOOLCHAIN=local CGO_ENABLED=0 \
      nice -n 19 make WHAT=cmd/kubelet) >"$build_log" 2>&1; then
  tail -n 40 "$build_log" >&2
  die "make WHAT=cmd/kubelet failed after $(( $(date +%s) - start ))s (full log: $build_log)"
fi
built="$src_dir/_output/bin/kubelet"
[ -x "$built" ] || built="$src_dir/_output/local/bin/linux/$(go env GOARCH)/kubelet"
[ -x "$built" ] || die "build finished but produced no kubelet under $src_dir/_output"
version_line=$(timeout 20 "$built" --version 2>&1) || die "built kubelet does not run: $version_line"
version=$(echo "$version_line" | awk '{print $2}')
version="${version#v}"
[ -n "$version" ] || die "cannot read the version from '$version_line'"
step "built kubelet $version in $(( $(date +%s) - start ))s"

dest_dir="$cache_root/$version"
mkdir -p "$dest_dir"
cp "$built" "$dest_dir/kubelet.tmp"
chmod 0755 "$dest_dir/kubelet.tmp"
mv -f "$dest_dir/kubelet.tmp" "$dest_dir/kubelet"
timeout 20 "$dest_dir/kubelet" --version >/dev/null 2>&1 || die "cached $dest_dir/kubelet does not run"
if [ "${GATEHOUSE_KEEP_KUBE_SRC:-0}" != "1" ]; then
  rm -rf "$cache_root/src"
fi
step "cached $dest_dir/kubelet"
