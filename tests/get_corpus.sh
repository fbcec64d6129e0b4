#!/usr/bin/env bash
# Fetch real Rust crates from Debian (librust-*-dev packages ship the crate sources) and unpack
# them into DEST/<pkgname>/ for the differential scanner tests and the benchmark.
#
#   tests/get_corpus.sh DEST PKG...
#
# Idempotent: a package already unpacked is skipped, and DEST/.done marks a complete corpus.
# Needs apt-get/dpkg-deb (Debian/Ubuntu); `apt-get download` works unprivileged, but the one-off
# `apt-get update` (only when the package lists are missing) needs root.
set -euo pipefail

die() {
    echo "get_corpus.sh: $*" >&2
    exit 1
}

[ $# -ge 2 ] || die "usage: $0 DEST PKG..."
dest=$1
shift

for tool in apt-get apt-cache dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found; the corpus needs a Debian-based system"
done

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

if [ -e "$dest/.done" ]; then
    echo "corpus already present in $dest"
    exit 0
fi

# A fresh container has no package lists; `apt-cache policy` then reports no candidate.
# (Captured first: `| grep -q` would SIGPIPE apt-cache and trip pipefail.)
policy=$(apt-cache policy "$1" 2>/dev/null || true)
if ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
    echo "no apt candidate for $1; running apt-get update"
    apt-get update -qq || die "apt-get update failed (not root? no network?)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for pkg in "$@"; do
    if [ -d "$dest/$pkg" ] && [ -e "$dest/$pkg/.unpacked" ]; then
        echo "$pkg: already unpacked"
        continue
    fi
    # apt-get download writes to the current directory; run it in a per-package temp dir so a
    # failed download never leaves a partial .deb where a later run could pick it up.
    mkdir -p "$tmp/$pkg"
    # As root, apt drops to the _apt user for downloads; let it write here to avoid a warning.
    chmod 0755 "$tmp" && chmod 0777 "$tmp/$pkg"
    (cd "$tmp/$pkg" && apt-get download -qq "$pkg") \
        || die "apt-get download $pkg failed (unknown package or no network?)"
    debs=("$tmp/$pkg"/*.deb)
    [ -e "${debs[0]}" ] || die "apt-get download $pkg produced no .deb"
    # Unpack beside the destination and rename, so an interrupted run leaves no half-filled dir.
    rm -rf "$dest/$pkg.partial" "$dest/$pkg"
    mkdir -p "$dest/$pkg.partial"
    for deb in "${debs[@]}"; do
        dpkg-deb -x "$deb" "$dest/$pkg.partial" || die "dpkg-deb -x $deb failed"
    done
    touch "$dest/$pkg.partial/.unpacked"
    mv "$dest/$pkg.partial" "$dest/$pkg"
    echo "$pkg: $(find "$dest/$pkg" -name '*.rs' -type f | wc -l) .rs files"
done

touch "$dest/.done"
count=$(find "$dest" -name '*.rs' -type f | wc -l)
bytes=$(find "$dest" -name '*.rs' -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
echo "corpus ready in $dest: $count .rs files, $((bytes / 1024 / 1024)) MB"
