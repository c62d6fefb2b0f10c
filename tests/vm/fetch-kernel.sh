#!/bin/sh
# fetch-kernel.sh CACHE_DIR
#
# Obtains Debian's own kernel for the VM tier without installing it: the host
# kernel has no PPP support, the guest kernel does.  Resolves the real package
# behind the linux-image-amd64 metapackage, downloads the .deb into CACHE_DIR
# and unpacks it there with dpkg-deb -x.  A second run with the same package
# version finds the unpacked tree and downloads nothing.
#
# Prints on stdout:
#   VMLINUZ=<path of the kernel image>
#   MODULES=<path of lib/modules/<version>>
#   ROOT=<root of the unpacked tree, what modprobe -d and depmod -b want>
# Needs `apt-get update` to have run once (or a kernel already cached).
set -eu

cache=${1:?usage: fetch-kernel.sh CACHE_DIR}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

say() { echo "fetch-kernel: $*" >&2; }
die() { say "error: $*"; exit 1; }

# Runs of the VM tier may overlap (two make jobs): one downloads at a time.
exec 9>"$cache/.lock"
flock 9

# The metapackage depends on exactly one linux-image-<abi>-amd64 package.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
ver=
[ -z "$pkg" ] || ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')

if [ -z "$pkg" ] || [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
	# No package lists (apt-get update never ran, or no network): a kernel
	# unpacked earlier still serves.
	root=$(ls -d "$cache"/linux-image-*/.unpacked 2>/dev/null | tail -n 1)
	[ -n "$root" ] ||
		die "cannot resolve linux-image-amd64 and nothing cached (run apt-get update)"
	root=${root%/.unpacked}
	say "apt cannot resolve linux-image-amd64; using cached ${root##*/}"
else
	root="$cache/$pkg-$ver"
fi

if [ ! -f "$root/.unpacked" ]; then
	say "downloading $pkg $ver"
	tmp=$(mktemp -d "$cache/dl.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# apt-get download writes into the current directory, as the _apt user
	# when that user may write there.
	chown _apt "$tmp" 2>/dev/null || chmod 777 "$tmp"
	(cd "$tmp" && apt-get download -q "$pkg=$ver" >&2) ||
		die "apt-get download $pkg=$ver failed"
	deb=$(ls "$tmp"/*.deb)
	rm -rf "$root"
	mkdir -p "$root"
	dpkg-deb -x "$deb" "$root"
	# The marker comes last, so an interrupted unpack is redone.  The .deb
	# itself is not kept: the unpacked tree is all the tier uses.
	touch "$root/.unpacked"
else
	say "using cached ${root##*/}"
fi

vmlinuz=$(ls "$root"/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$vmlinuz" ] || die "no vmlinuz in $pkg"
kver=${vmlinuz##*/vmlinuz-}
modules="$root/lib/modules/$kver"
[ -d "$modules" ] || die "no modules dir $modules"

# The .deb ships no modules.dep (the postinst makes it); modprobe needs it.
if [ ! -f "$modules/modules.dep" ]; then
	depmod -b "$root" "$kver" >&2 || die "depmod failed"
fi

echo "VMLINUZ=$vmlinuz"
echo "MODULES=$modules"
echo "ROOT=$root"
