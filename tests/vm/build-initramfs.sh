#!/bin/sh
# build-initramfs.sh: pack everything one VM scenario needs into a cpio
# (newc) initramfs for Debian's kernel.
#
# usage: build-initramfs.sh -o OUT.cpio -k KERNEL_ROOT -s SCENARIO [options]
#
#   -o FILE        the initramfs to write
#   -k DIR         the unpacked kernel package (ROOT= from fetch-kernel.sh)
#   -s FILE        the scenario script, run by /init inside the guest
#   -c DIR         cache the base part in DIR (see below)
#   -b HOST[=GUEST]  one more binary or shared object to carry, with the
#                  libraries ldd reports (GUEST defaults to HOST's path)
#   -f HOST=GUEST  one more plain file to carry (no ldd)
#   -m MODULE      one more kernel module to carry (with its dependencies)
#
# The pptpd under test is chosen here, so the same harness carries Debian's
# stock pptpd, a fresh build, or anything else.  Environment, with Debian's
# stock files as defaults:
#   VM_PPTPD     host path of pptpd            -> guest /usr/sbin/pptpd
#   VM_PPTPCTRL  host path of pptpctrl         -> guest /usr/sbin/pptpctrl
#   VM_LOGWTMP   host path of pptpd-logwtmp.so -> guest /usr/lib/pptpd/
#   VM_BCRELAY   host path of bcrelay (optional)
#   VM_LRP       host path of lrp, the Local Route Proxy (optional)
#                                              -> guest /usr/sbin/lrp
# The guest gets them at the standard paths, so nothing needs PPTPD_PPTPCTRL
# or PPTPD_LOGWTMP_PLUGIN; /etc/vm/manifest records "GUEST SHA256 HOST" for
# each of them (and for every -b) so a scenario can prove which binary ran.
#
# The image is two cpio archives back to back, which the kernel unpacks in
# order: the base (Debian's tools and libraries, kernel modules, /etc) and
# the top (the pptpd under test, init, the scenario and its library).  The
# base depends only on the kernel, the installed Debian packages and this
# script, so with -c it is built once and reused; the top is rebuilt every
# time.
#
# The guest's file system is merged-/usr like Debian 12's: /bin, /sbin, /lib
# and /lib64 are symlinks into /usr, and host paths are mapped the same way.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

say() { echo "build-initramfs: $*" >&2; }
die() { say "error: $*"; exit 1; }

out='' kroot='' scenario='' cache='' extra_bins='' extra_files='' extra_mods=''
nl='
'
while getopts o:k:s:c:b:f:m: opt; do
	case $opt in
	o) out=$OPTARG ;;
	k) kroot=$OPTARG ;;
	s) scenario=$OPTARG ;;
	c) cache=$OPTARG ;;
	b) extra_bins="$extra_bins$OPTARG$nl" ;;
	f) extra_files="$extra_files$OPTARG$nl" ;;
	m) extra_mods="$extra_mods $OPTARG" ;;
	*) die "bad option (see the header of $0)" ;;
	esac
done
[ -n "$out" ] && [ -n "$kroot" ] && [ -n "$scenario" ] ||
	die "usage: $0 -o OUT -k KERNEL_ROOT -s SCENARIO [-c CACHE] [-b BIN] [-f FILE] [-m MOD]"
[ -f "$scenario" ] || die "no scenario $scenario"

: "${VM_PPTPD:=/usr/sbin/pptpd}"
: "${VM_PPTPCTRL:=/usr/sbin/pptpctrl}"
: "${VM_LOGWTMP:=/usr/lib/pptpd/pptpd-logwtmp.so}"
: "${VM_BCRELAY:=}"
: "${VM_LRP:=}"

kver=$(ls "$kroot/lib/modules" | head -n 1)
[ -n "$kver" ] || die "no lib/modules/<version> under $kroot"
moddir=$kroot/lib/modules/$kver

work=$(mktemp -d "${TMPDIR:-/tmp}/vm-initramfs.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- file placement (into the archive being built, $stage) ---------------

# Map a host path to where it lives in the merged-/usr guest.
guest_path() {
	case $1 in
	/bin/*|/sbin/*|/lib/*|/lib64/*) echo "/usr$1" ;;
	*) echo "$1" ;;
	esac
}

# new_stage DIR: start an archive tree.  Its root's mode becomes the guest's
# / (mktemp makes 0700).
new_stage() {
	stage=$1
	mkdir -p "$stage"
	chmod 755 "$stage"
	: >"$stage/.copy"
	: >"$stage/.ldd"
}

# put HOST GUEST [MODE]: copy one file (following symlinks) into the stage.
put() {
	[ -e "$1" ] || die "missing $1"
	mkdir -p "$stage$(dirname "$2")"
	cp -L "$1" "$stage$2"
	[ -z "${3:-}" ] || chmod "$3" "$stage$2"
}

# put_text GUEST MODE: write stdin to a file in the stage.
put_text() {
	mkdir -p "$stage$(dirname "$1")"
	cat >"$stage$1"
	chmod "$2" "$stage$1"
}

# put_bin HOST [GUEST]: carry a binary or shared object and, later, the
# libraries ldd reports for it.  Files that keep their host path are only
# listed here and copied in one pass by copy_listed (forking a cp and an
# ldd per file made the build take 20 s).
put_bin() {
	[ -e "$1" ] || die "missing $1"
	g=${2:-$(guest_path "$1")}
	if [ "$g" = "$(guest_path "$1")" ]; then
		echo "$g" >>"$stage/.copy"
	else
		put "$1" "$g"
	fi
	echo "$1" >>"$stage/.ldd"
}

# copy_listed: add every library that ldd reports for the listed binaries
# (and the dynamic loader), then copy all listed files in one cpio pass.
# The host is merged-/usr like the guest, so /usr/lib/... names every file.
copy_listed() {
	# ldd fails on static binaries and plain files; their lines are skipped,
	# and so are the "FILE:" headers it prints when given several files.
	xargs ldd <"$stage/.ldd" 2>/dev/null | while read -r a b c _; do
		case $a:$b in
		/*:"("*) echo "$a" ;;        # /lib64/ld-linux-x86-64.so.2 (0x...)
		*:"=>") echo "$c" ;;         # libc.so.6 => /lib/.../libc.so.6 (0x...)
		esac
	done | grep '^/' | sed 's,^/\(bin\|sbin\|lib\|lib64\)/,/usr/\1/,' \
		>>"$stage/.copy" || true
	# cpio -p copies relative names under the stage; -L follows symlinks
	# (libpcap.so.0.8 -> libpcap.so.1.10.3 arrives as a file named for its
	# soname).
	sort -u "$stage/.copy" | sed 's,^/,,' |
		(cd / && cpio -pdmL --quiet "$stage") || die "copying files failed"
	rm -f "$stage/.copy" "$stage/.ldd"
}

# pack FILE: the stage as a newc archive, every file owned by root.
pack() {
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$1"
}

# Record which host file a guest path came from, for the scenario to check.
manifest() {
	sum=$(sha256sum "$1" | cut -d' ' -f1)
	mkdir -p "$stage/etc/vm"
	echo "$2 $sum $1" >>"$stage/etc/vm/manifest"
}

# --- the base archive -----------------------------------------------------

build_base() {
	new_stage "$work/base"

	mkdir -p "$stage/usr/bin" "$stage/usr/sbin" "$stage/usr/lib" \
		"$stage/usr/lib64" "$stage/proc" "$stage/sys" "$stage/dev" \
		"$stage/run" "$stage/tmp" "$stage/results" "$stage/root" \
		"$stage/var/log" "$stage/var/lib" "$stage/etc/vm" "$stage/usr/lib/vm"
	for d in bin sbin lib lib64; do ln -s "usr/$d" "$stage/$d"; done
	ln -s ../run "$stage/var/run"
	ln -s ../run/lock "$stage/var/lock"
	chmod 1777 "$stage/tmp"

	# dash is /bin/sh.  Busybox supplies the small tools (mount, sleep, awk)
	# from a directory that comes last in PATH: its own shell would run its
	# `ip` applet ahead of iproute2's, which lacks `ip netns`.
	# guest-init.sh makes the applet links (busybox --install -s) at boot.
	put /usr/bin/dash /usr/bin/dash
	ln -s dash "$stage/usr/bin/sh"
	put /usr/bin/busybox /usr/libexec/busybox

	# The real tools, with their libraries.
	for b in /usr/sbin/pppd /usr/sbin/pptp /usr/bin/ip /usr/bin/ss \
		/usr/sbin/tc /usr/bin/iperf3 /usr/bin/ping /usr/bin/unshare \
		/usr/bin/nsenter /usr/bin/kmod; do
		put_bin "$b"
	done
	for l in modprobe insmod rmmod lsmod depmod modinfo; do
		ln -s ../bin/kmod "$stage/usr/sbin/$l"
	done

	# iptables is a multi-call binary; its match and target extensions are
	# shared objects it dlopens from the xtables directory (ldd misses them).
	ipt=$(readlink -f /usr/sbin/iptables)
	put_bin "$ipt"
	for l in iptables iptables-save iptables-restore ip6tables; do
		ln -sf "$(basename "$ipt")" "$stage/usr/sbin/$l"
	done
	xt=$(dirname "$(readlink -f /usr/lib/x86_64-linux-gnu/libxtables.so.12)")/xtables
	for so in "$xt"/*.so; do put_bin "$so"; done

	# glibc dlopens libgcc_s for thread cancellation and unwinding.
	put_bin /usr/lib/x86_64-linux-gnu/libgcc_s.so.1
	copy_listed

	# Kernel modules: PPP with MPPE for pptpd and pptp, veth and bridge for
	# the namespaces (a bridge is a LAN switch), 9p over virtio for the
	# results share, netem for delay and loss; every netfilter and qdisc module too, so iptables (nft or legacy)
	# and tc work through the kernel's own autoloading (it calls
	# /sbin/modprobe, kmod, in the guest).
	mods="virtio_pci 9pnet_virtio 9p ppp_generic ppp_async ppp_mppe veth bridge sch_netem $extra_mods"
	for d in net/netfilter net/ipv4/netfilter net/ipv6/netfilter net/sched; do
		[ -d "$moddir/kernel/$d" ] || continue
		mods="$mods $(find "$moddir/kernel/$d" -name '*.ko*' |
			sed 's,.*/,,; s,\.ko.*$,,' | tr '\n' ' ')"
	done
	# --show-depends prints one "insmod PATH" line per module, dependencies
	# first; copy the union in one pass and let depmod index it.
	# shellcheck disable=SC2086 # $mods is a list of module names
	modprobe -d "$kroot" -S "$kver" -a --show-depends $mods >"$work/modules" ||
		die "kernel $kver lacks a module of: $mods"
	awk '$1 == "insmod" { print $2 }' "$work/modules" | sort -u |
		sed "s,^$kroot/,," | (cd "$kroot" && cpio -pdm --quiet "$stage/usr") ||
		die "copying modules failed"
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ ! -f "$moddir/$f" ] || put "$moddir/$f" "/usr/lib/modules/$kver/$f"
	done
	# The stage's /lib is a symlink into /usr, which depmod -b follows.
	depmod -b "$stage" "$kver" || die "depmod on the stage failed"

	# /etc.  pppd and pptpd look up users and groups (scripts, utmp).
	put_text /etc/passwd 644 <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
		nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
	EOF
	put_text /etc/group 644 <<-'EOF'
		root:x:0:
		daemon:x:1:
		tty:x:5:
		dip:x:30:
		nogroup:x:65534:
	EOF
	echo "127.0.0.1 localhost" | put_text /etc/hosts 644
	printf 'passwd: files\ngroup: files\nhosts: files\n' |
		put_text /etc/nsswitch.conf 644
	: | put_text /etc/fstab 644

	# The options every pppd reads first.  Debian's file turns on `auth`,
	# `lock` and `crtscts`; the guest's pppds get their options from
	# guest-lib.sh instead, so each side's policy is visible in one place.
	echo "# Options for every pppd in the VM; each side's come from guest-lib.sh." |
		put_text /etc/ppp/options 644
	# guest-lib.sh writes the real secrets and pptpd.conf at run time.
	# pppd insists that secrets files are not world readable.
	: | put_text /etc/ppp/chap-secrets 600
	: | put_text /etc/ppp/pap-secrets 600
	echo "$kver" >"$stage/etc/vm/kernel"

	pack "$1"
}

# --- the top archive ------------------------------------------------------

build_top() {
	new_stage "$work/top"

	# The pptpd under test.
	put_bin "$VM_PPTPD" /usr/sbin/pptpd
	put_bin "$VM_PPTPCTRL" /usr/sbin/pptpctrl
	put_bin "$VM_LOGWTMP" /usr/lib/pptpd/pptpd-logwtmp.so
	manifest "$VM_PPTPD" /usr/sbin/pptpd
	manifest "$VM_PPTPCTRL" /usr/sbin/pptpctrl
	manifest "$VM_LOGWTMP" /usr/lib/pptpd/pptpd-logwtmp.so
	if [ -n "$VM_BCRELAY" ]; then
		put_bin "$VM_BCRELAY" /usr/sbin/bcrelay
		manifest "$VM_BCRELAY" /usr/sbin/bcrelay
	fi
	# The LRP links libpcap, libevent and libcrypto: copy_listed carries
	# them (ldd), so it needs nothing from the base.
	if [ -n "$VM_LRP" ]; then
		put_bin "$VM_LRP" /usr/sbin/lrp
		manifest "$VM_LRP" /usr/sbin/lrp
	fi

	# Extras from the command line (paths may not hold newlines).
	old_ifs=$IFS
	IFS=$nl
	for spec in $extra_bins; do
		IFS=$old_ifs
		case $spec in
		*=*) put_bin "${spec%%=*}" "${spec#*=}"; manifest "${spec%%=*}" "${spec#*=}" ;;
		*) put_bin "$spec"; manifest "$spec" "$(guest_path "$spec")" ;;
		esac
	done
	for spec in $extra_files; do
		IFS=$old_ifs
		case $spec in
		*=*) put "${spec%%=*}" "${spec#*=}" ;;
		*) die "-f wants HOST=GUEST, got $spec" ;;
		esac
	done
	IFS=$old_ifs
	# Their libraries: mostly in the base already; a duplicate is harmless
	# (the later archive's copy wins) and keeps a new dependency working.
	copy_listed

	# pppd runs ip-up and ip-down with a cleared environment; the hook
	# writes the events where the host and guest-lib.sh read them.
	put "$here/ppp-hook.sh" /etc/ppp/ip-up 755
	put "$here/ppp-hook.sh" /etc/ppp/ip-down 755
	put "$here/guest-init.sh" /init 755
	put "$here/guest-lib.sh" /usr/lib/vm/guest-lib.sh 644
	put "$scenario" /usr/lib/vm/scenario.sh 755
	basename "$scenario" >"$stage/etc/vm/scenario-name"

	pack "$1"
}

# --- assemble -------------------------------------------------------------

# The base is keyed on everything it is made from: this script, the kernel,
# the extra modules, and every installed package's version (any of them can
# own a library that a tool loads).
base=
if [ -n "$cache" ]; then
	mkdir -p "$cache"
	key=$({
		cat "$0"
		echo "$kroot $extra_mods"
		dpkg-query -W -f '${Package} ${Version}\n'
	} | sha256sum | cut -c1-16)
	base=$cache/initramfs-base-$key.cpio
fi
if [ -n "$base" ] && [ -f "$base" ]; then
	say "reusing $(basename "$base")"
else
	build_base "$work/base.cpio"
	if [ -n "$base" ]; then
		rm -f "$cache"/initramfs-base-*.cpio
		mv "$work/base.cpio" "$base.tmp.$$"
		mv "$base.tmp.$$" "$base"
	else
		base=$work/base.cpio
	fi
fi
build_top "$work/top.cpio"

mkdir -p "$(dirname "$out")"
# Uncompressed: under TCG the kernel unpacks raw cpio faster than it
# inflates gzip.
cat "$base" "$work/top.cpio" >"$out.tmp"
mv "$out.tmp" "$out"
say "wrote $out ($(du -h "$out" | cut -f1))"
