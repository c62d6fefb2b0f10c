#!/bin/sh
# debian/make-orig.sh [-o OUTDIR] [POPTOP_TARBALL]
#
# Makes the two upstream tarballs of the pptpd-rrp source package in
# OUTDIR (default: the directory above the source tree):
#
#   pptpd-rrp_VERSION.orig.tar.gz         this tree's files (what git
#       tracks plus new files it does not ignore), without debian/
#   pptpd-rrp_VERSION.orig-poptop-tarball.tar.gz  the component: Poptop's
#       release tarball pptpd_1.5.0.orig.tar.gz, byte for byte, which
#       dpkg-source unpacks into poptop-tarball/
#
# The Poptop tarball comes from POPTOP_TARBALL (argument or environment),
# or through apt like every build (build-aux/poptop-fetch); its SHA-256
# must be the one pinned in configure.ac, or nothing is written.  Both
# tarballs are reproducible: the same files give the same bytes (sorted
# names, owner 0, mtimes from debian/changelog, gzip -n), so a second run
# does not change an orig tarball a source package already names.
#
# Then: dpkg-source -b (see tests/pkg/build-packages.sh) or
#   tar xf ../pptpd-rrp_V.orig.tar.gz; cd pptpd-rrp-V
#   mkdir poptop-tarball; tar xf ../pptpd-rrp_V.orig-poptop-tarball.tar.gz \
#       -C poptop-tarball --strip-components=1
#   cp -r .../debian .; dpkg-buildpackage -us -uc
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=$(dirname "$top")
while getopts o: opt; do
	case $opt in
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-o OUTDIR] [POPTOP_TARBALL]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
poptop=${1:-${POPTOP_TARBALL:-}}

die() { echo "make-orig: $*" >&2; exit 1; }

cd "$top"
ac() { sed -n "s/^$1=//p" configure.ac; }
pop_version=$(ac POPTOP_VERSION)
pop_name=$(ac POPTOP_TARBALL_NAME)
pop_sha=$(ac POPTOP_SHA256)
[ -n "$pop_version" ] && [ -n "$pop_name" ] && [ -n "$pop_sha" ] ||
	die "configure.ac does not pin POPTOP_VERSION, POPTOP_TARBALL_NAME and POPTOP_SHA256"

src=$(dpkg-parsechangelog -l debian/changelog -SSource)
version=$(dpkg-parsechangelog -l debian/changelog -SVersion)
upstream=${version%-*}
upstream=${upstream#*:}
ac_version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' configure.ac)
[ "$upstream" = "$ac_version" ] ||
	die "debian/changelog is at $version but configure.ac's AC_INIT says $ac_version: add a changelog entry (dch -v $ac_version-1)"
epoch=$(dpkg-parsechangelog -l debian/changelog -STimestamp)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/make-orig.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# The pinned Poptop release, verified before anything is written.
if [ -z "$poptop" ]; then
	build-aux/poptop-fetch "$tmp/$pop_name" "$pop_sha" >&2
	poptop=$tmp/$pop_name
fi
[ -f "$poptop" ] || die "$poptop: no such file"
got=$(sha256sum "$poptop" | awk '{print $1}')
[ "$got" = "$pop_sha" ] ||
	die "$poptop has sha256 $got, not the pinned $pop_sha ($pop_name)"

mkdir -p "$out"
out=$(cd "$out" && pwd)
reproducible_tar() {	# DIR PREFIX LIST OUT: tar.gz of LIST (names relative to DIR)
	tar -C "$1" --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime="@$epoch" --mode=go-w --format=pax \
		--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
		--transform="s,^,$2/," --no-recursion -cf - -T "$3" |
		gzip -9n > "$4.tmp"
	mv "$4.tmp" "$4"
}

# The main tarball: the tree as git sees it (tracked files that exist,
# and new files .gitignore does not exclude), without debian/, which the
# source package carries separately.
command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1 ||
	die "$top is not a git checkout: the file list of the orig tarball comes from git"
git ls-files -z --cached --others --exclude-standard |
	tr '\0' '\n' | LC_ALL=C sort -u |
	while IFS= read -r f; do
		case $f in debian/*) continue ;; esac
		{ [ -f "$f" ] || [ -L "$f" ]; } && printf '%s\n' "$f"
	done > "$tmp/files"
[ -s "$tmp/files" ] || die "git lists no files"
orig=$out/${src}_$upstream.orig.tar.gz
reproducible_tar "$top" "$src-$upstream" "$tmp/files" "$orig"
echo "make-orig: $orig ($(wc -l < "$tmp/files") files)"

# The component: the verified release tarball itself, unchanged.
mkdir "$tmp/c"
cp "$poptop" "$tmp/c/$pop_name"
echo "$pop_name" > "$tmp/c.list"
comp=$out/${src}_$upstream.orig-poptop-tarball.tar.gz
reproducible_tar "$tmp/c" "poptop-tarball" "$tmp/c.list" "$comp"
echo "make-orig: $comp (holds $pop_name, sha256 $pop_sha)"
