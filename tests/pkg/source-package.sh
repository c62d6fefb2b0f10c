#!/bin/sh
# tests/pkg/source-package.sh OUTDIR [POPTOP_TARBALL]
#
# Makes the pptpd-rrp source package from this tree in OUTDIR: the orig
# tarball and its poptop component (debian/make-orig.sh: the component is
# Poptop's pinned release tarball, checksum-verified), debian/ as the
# debian.tar.xz, and the .dsc (dpkg-source -b).  Prints the .dsc's path.
# Without POPTOP_TARBALL, make-orig fetches Poptop through apt.
set -eu

out=${1:?usage: source-package.sh OUTDIR [POPTOP_TARBALL]}
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

src=$(dpkg-parsechangelog -l "$top/debian/changelog" -SSource)
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -SVersion)
upstream=${version%-*}

"$top/debian/make-orig.sh" -o "$out" ${2:+"$2"} >&2

# The tree dpkg-source builds from: exactly the tarballs plus debian/.
tree=$out/$src-$upstream
rm -rf "$tree"
tar -C "$out" -xzf "$out/${src}_$upstream.orig.tar.gz"
mkdir "$tree/poptop-tarball"
tar -C "$tree/poptop-tarball" --strip-components=1 -xzf "$out/${src}_$upstream.orig-poptop-tarball.tar.gz"
cp -a "$top/debian" "$tree/debian"
rm -rf "$tree/debian/build" "$tree/debian/.debhelper" "$tree/debian/tmp"
(cd "$out" && dpkg-source -b "$src-$upstream") >&2
rm -rf "$tree"
echo "$out/${src}_$version.dsc"
