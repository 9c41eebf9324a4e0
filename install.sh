#!/bin/sh
# Install a tiergate release binary: picks the archive for this OS and CPU, downloads
# it with its .sha256 file from the GitHub release of the version, checks the sha256
# and installs `tiergate` into a directory. POSIX sh; needs curl or wget, tar, and
# sha256sum or shasum.
#
#   sh install.sh --repo OWNER/NAME [--version 0.1.0] [--to ~/.local/bin]
#
# Environment: TIERGATE_REPO, TIERGATE_VERSION and TIERGATE_INSTALL_DIR give the same
# values; TIERGATE_RELEASE_URL replaces https://github.com/OWNER/NAME/releases/download
# (a mirror). Reference: docs/src/install.md.
set -eu

version="${TIERGATE_VERSION:-0.1.0}"
repo="${TIERGATE_REPO:-}"
to="${TIERGATE_INSTALL_DIR:-$HOME/.local/bin}"
releases="${TIERGATE_RELEASE_URL:-}"

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}

usage() {
    sed -n '2,11s/^# \{0,1\}//p' "$0" 2>/dev/null || true
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --version) [ $# -ge 2 ] || die "--version needs a value"; version="$2"; shift 2 ;;
        --repo) [ $# -ge 2 ] || die "--repo needs a value"; repo="$2"; shift 2 ;;
        --to) [ $# -ge 2 ] || die "--to needs a value"; to="$2"; shift 2 ;;
        -h | --help) usage 0 ;;
        *) say "unknown argument: $1"; usage 2 ;;
    esac
done

version="${version#v}"
case "$version" in
    "" | *[!0-9A-Za-z.+-]*) die "not a version: $version" ;;
esac
if [ -z "$releases" ]; then
    case "$repo" in
        "") die "name the GitHub repository tiergate is released from: --repo OWNER/NAME" ;;
        */*/* | /* | */ | *[!0-9A-Za-z._/-]*) die "not a GitHub repository (OWNER/NAME): $repo" ;;
        */*) releases="https://github.com/$repo/releases/download" ;;
        *) die "not a GitHub repository (OWNER/NAME): $repo" ;;
    esac
fi

os="$(uname -s)"
arch="$(uname -m)"
case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no tiergate release for the CPU $arch (build it with cargo: docs/src/install.md)" ;;
esac
case "$os" in
    Linux) target="$arch-unknown-linux-musl" ;;
    Darwin) target="$arch-apple-darwin" ;;
    *) die "no tiergate release for $os here; on Windows download the .zip (docs/src/install.md)" ;;
esac

archive="tiergate-$target.tar.gz"
url="$releases/v$version/$archive"

fetch() {
    if command -v curl > /dev/null 2>&1; then
        curl -fsSL --retry 3 -o "$2" "$1"
    elif command -v wget > /dev/null 2>&1; then
        wget -q -O "$2" "$1"
    else
        die "neither curl nor wget is installed"
    fi
}

sha256_of() {
    if command -v sha256sum > /dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum > /dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    else
        die "neither sha256sum nor shasum is installed"
    fi
}

tmp="$(mktemp -d 2> /dev/null || mktemp -d -t tiergate)"
trap 'rm -rf "$tmp"' EXIT INT TERM

say "downloading $url"
fetch "$url" "$tmp/$archive" || die "cannot download $url"
fetch "$url.sha256" "$tmp/$archive.sha256" || die "cannot download $url.sha256"
expected="$(cut -d ' ' -f 1 < "$tmp/$archive.sha256")"
actual="$(sha256_of "$tmp/$archive")"
case "$expected" in
    *[!0-9a-f]* | "") die "$archive.sha256 holds no sha256" ;;
esac
[ "$expected" = "$actual" ] || die "$archive: sha256 $actual, the release says $expected"

tar -xzf "$tmp/$archive" -C "$tmp" tiergate
mkdir -p "$to"
# Install under a temporary name, then rename: a running tiergate is never half-written.
cp "$tmp/tiergate" "$to/.tiergate.new"
chmod 755 "$to/.tiergate.new"
mv -f "$to/.tiergate.new" "$to/tiergate"
say "installed $("$to/tiergate" --version) to $to/tiergate"
case ":${PATH:-}:" in
    *":$to:"*) ;;
    *) say "note: $to is not on PATH" ;;
esac
