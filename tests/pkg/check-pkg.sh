#!/bin/bash
# tests/pkg/check-pkg.sh [POPTOP_TARBALL] - the Debian packages, tested.
#
#   make check-pkg                      (as root; from a git checkout)
#   PKG_SUITES=trixie tests/pkg/check-pkg.sh /path/to/pptpd_1.5.0.orig.tar.gz
#
# (a) makes the source package from this tree (debian/make-orig.sh: the
#     orig tarball and the Poptop component), builds it on this machine
#     with no network, and runs lintian on the result (no errors, no
#     warnings);
# (b) in debootstrap'ed chroots of each of PKG_SUITES (default: bookworm
#     trixie), builds it again with the build dependencies of that release
#     and no network, installs Debian's stock pptpd, edits its
#     configuration, installs ours over it with `apt install ./...deb',
#     checks that the edits survive, that `pptpd --version' names the fork,
#     Debian's paths, systemd-analyze verify of both units, lrp under the
#     unit's privileges, and that remove and purge leave nothing behind;
# (c) makes an apt-ftparchive repository of each release's packages and
#     installs pptpd-rrp and lrp from it by name.
#
# Output is TAP.  Chroots and downloaded packages are cached in
# $PKG_CACHE (default /var/tmp/pptpd-rrp-pkg), so a second run skips
# debootstrap; the packages, repositories and logs of the last run are in
# $PKG_CACHE/out.  Without POPTOP_TARBALL, Poptop is fetched through apt.
set -u

if [ "$(id -u)" != 0 ]; then
	echo "check-pkg: needs root (debootstrap, chroot, mounts)" >&2
	exit 1
fi
# Every mount the tests make lives in this private mount namespace and
# goes away with it, whatever happens.
if [ -z "${PKG_IN_MOUNT_NS:-}" ]; then
	PKG_IN_MOUNT_NS=1 exec unshare -m --propagation private "$BASH" "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/suite.sh"

poptop=${1:-${POPTOP_TARBALL:-}}
suites=${PKG_SUITES:-bookworm trixie}
out=$PKG_CACHE/out
tap_logdir=$out/logs
rm -rf "$out"
mkdir -p "$out" "$tap_logdir"
start=$(date +%s)
echo "# check-pkg: results and logs in $out"

export DEBIAN_FRONTEND=noninteractive
host_tools="debootstrap apt-utils lintian debhelper dpkg-dev fakeroot git iproute2 util-linux"
missing=
for p in $host_tools; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	check "host: install$missing" sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends $missing" ||
		{ tap_end; exit 1; }
fi

# The chroots' debootstrap (first run only) overlaps with (a).
for suite in $suites; do
	[ -d "$PKG_CACHE/chroots/$suite-base" ] ||
		chroot_base "$suite" >"$tap_logdir/debootstrap-$suite.log" 2>&1 &
done

# (a) the source package, and the binary packages built on this machine
src=$out/source
if ! check "host: source package (make-orig: orig tarball and Poptop component; dpkg-source -b)" \
	"$here/source-package.sh" "$src" ${poptop:+"$poptop"}; then
	tap_end
	exit 1
fi
dsc=$(ls "$src"/*.dsc)
pin=$(sed -n 's/^POPTOP_SHA256=//p' "$pkg_top/configure.ac")
check "host: the poptop component holds Poptop's release tarball, sha256 as pinned" \
	sh -c "grep -- '-poptop-tarball.tar.gz' '$dsc' &&
		tar -xzOf '$src'/*.orig-poptop-tarball.tar.gz poptop-tarball/pptpd_1.5.0.orig.tar.gz |
		sha256sum | grep -q '^$pin '"

check "host: build dependencies installed" \
	apt-get build-dep -y -q --no-install-recommends "$dsc"
host=$out/host
mkdir -p "$host"
cp "$src"/*.dsc "$src"/*.tar.* "$host/"
if check "host: dpkg-buildpackage (source and binaries) with no network" \
	unshare -n /bin/sh -c 'ip link set lo up && cd "$1" && dpkg-source -x *.dsc src &&
		cd src && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc' sh "$host"; then
	changes=$(ls "$host"/*_source.changes "$host"/*.changes 2>/dev/null | grep -v _source | head -n 1)
	lintian --version | tap_diag
	lintian -I --pedantic "$changes" > "$out/lintian.txt" 2>&1
	tap_diag < "$out/lintian.txt"
	check "host: lintian reports no errors and no warnings" \
		sh -c "! grep -E '^[EW]: ' '$out/lintian.txt'"
fi

# (b), (c) in each release's chroot
for suite in $suites; do
	suite_tests "$suite" "$src" "$out"
done

wait
echo "# check-pkg: $(( $(date +%s) - start )) s"
tap_end
