# Sourced by scripts/prepare-*.sh that build Kubernetes binaries from Debian's `kubernetes` source package.
# The caller sets: me (prefix of its messages), cache_root (its cache dir, which holds apt.log); and defines
# step() and die(). Functions: as_root, apt_update, install_packages, ensure_kube_source_known,
# fetch_kube_source <dir> (sets kube_src_dir to the unpacked source dir).

apt_updated=0
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root for: $* (run as root or with password-less sudo)"
  fi
}

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

# Makes `apt-get source kubernetes` possible: deb-src entries derived from the machine's own sources.
ensure_kube_source_known() {
  knows_source && return 0
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
}

# `apt-get source kubernetes` into $1 unless already there; sets kube_src_dir to the unpacked source dir.
fetch_kube_source() {
  local src_root="$1" src_dir
  if [ ! -f "$src_root/.fetched" ]; then
    ensure_kube_source_known
    step "fetching Debian source package 'kubernetes' into $src_root"
    rm -rf "$src_root"
    mkdir -p "$src_root"
    (cd "$src_root" && apt-get source -qq kubernetes >"$src_root/fetch.log" 2>&1) \
      || { tail -n 20 "$src_root/fetch.log" >&2; die "apt-get source kubernetes failed (log: $src_root/fetch.log)"; }
    touch "$src_root/.fetched"
  fi
  src_dir=$(ls -d "$src_root"/kubernetes-*/ 2>/dev/null | head -n 1)
  [ -n "$src_dir" ] && [ -f "$src_dir/Makefile" ] || die "no unpacked kubernetes source under $src_root"
  kube_src_dir="${src_dir%/}"
}
