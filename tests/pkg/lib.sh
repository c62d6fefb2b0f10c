# tests/pkg/lib.sh - shared by the package tests (sourced, bash).
#
# TAP output, the Debian mirror this machine uses, and Debian chroots made
# with debootstrap and kept as overlayfs layers under $PKG_CACHE, so a
# re-run starts from cached layers and each test gets a fresh, throw-away
# upper layer:
#
#   SUITE-base   debootstrap --variant=buildd SUITE
#   SUITE-deps   + the source package's build dependencies (rebuilt when
#                debian/control's Build-Depends change)
#   SUITE-rt     + systemd (for systemd-analyze verify)
#
# Downloaded .debs stay in $PKG_CACHE/apt-SUITE, bind-mounted as the
# chroots' /var/cache/apt/archives.  Callers run inside a private mount
# namespace (check-pkg.sh re-executes itself under unshare -m), so every
# mount disappears with the process, whatever happens.

PKG_CACHE=${PKG_CACHE:-/var/tmp/pptpd-rrp-pkg}
pkg_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# ---------------------------------------------------------------- TAP
tap_n=0
tap_failed=0
tap_logdir=${tap_logdir:-$PKG_CACHE/logs}

tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
tap_not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
tap_diag() { sed 's/^/# /'; }
tap_skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }

# check DESC CMD...: one TAP line for CMD's exit status.  Its output goes
# to a log; on failure the log's tail is printed as diagnostics.
check() {
	local desc=$1 log
	shift
	mkdir -p "$tap_logdir"
	log=$tap_logdir/$(printf '%03d' $((tap_n + 1)))-$(echo "$desc" | tr -c 'a-zA-Z0-9.\n-' '-' | cut -c1-60).log
	if "$@" >"$log" 2>&1; then
		tap_ok "$desc"
		return 0
	fi
	tap_not_ok "$desc"
	echo "log: $log" | tap_diag
	tail -n 25 "$log" | tap_diag
	return 1
}

tap_end() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }

# ---------------------------------------------------------------- mirror
# The first Debian archive URI in this machine's apt sources, skipping the
# security archive (as build-aux/apt-suite does).
pkg_mirror() {
	local uri=${PKG_MIRROR:-}
	if [ -z "$uri" ]; then
		uri=$({
			for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
				[ -r "$f" ] || continue
				sed -n 's/^[[:space:]]*deb\(-src\)\{0,1\}[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([a-z]\{1,\}:[^[:space:]]*\).*/\3/p' "$f"
			done
			for f in /etc/apt/sources.list.d/*.sources; do
				[ -r "$f" ] || continue
				sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr ' ' '\n'
			done
		} | grep -v -e '-security' -e '^$' | grep -i debian | head -n 1)
	fi
	[ -n "$uri" ] || { echo "no Debian archive URI in /etc/apt/sources*; set PKG_MIRROR" >&2; return 1; }
	echo "$uri"
}

# ---------------------------------------------------------------- chroots
# in_chroot ROOT CMD...: run a shell command line in ROOT with a clean
# environment, no terminal and no services started by maintainer scripts.
# With NO_NET=1 the command runs in a new network namespace that has only
# a loopback interface: proof that it needs no network.
in_chroot() {
	local root=$1
	shift
	if [ "${NO_NET:-0}" = 1 ]; then
		unshare -n /bin/sh -c 'ip link set lo up && exec "$@"' sh \
			chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
			/bin/sh -c "$*" </dev/null
		return
	fi
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		/bin/sh -c "$*" </dev/null
}

# The files of a system, for "remove and purge leave nothing behind":
# everything but the package manager's own state, caches, logs and the
# API file systems.
chroot_files() {
	in_chroot "$1" 'find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run \
		-o -path /tmp -o -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg \
		-o -path /var/log -o -path /var/tmp \) -prune -o -print' | LC_ALL=C sort
}

# The API file systems a chroot needs for apt, dpkg and systemd-analyze.
chroot_mount_api() {
	local root=$1
	mount -t proc proc "$root/proc"
	mount -t sysfs -o ro sysfs "$root/sys"
	mount --bind /dev "$root/dev"
	mount -t tmpfs tmpfs "$root/run"
	mount -t tmpfs tmpfs "$root/tmp"
}

# overlay_up NAME SUITE LAYER...: a fresh overlay of the named layers
# (topmost first, SUITE-base last) at $PKG_CACHE/run/NAME/root, with the
# API file systems, the shared apt cache and a policy-rc.d that stops
# maintainer scripts from starting services.  Prints the root.
overlay_up() {
	local name=$1 suite=$2 dir lower=
	shift 2
	dir=$PKG_CACHE/run/$name
	overlay_down "$name"
	rm -rf "$dir"
	mkdir -p "$dir/upper" "$dir/work" "$dir/root" "$PKG_CACHE/apt-$suite/partial"
	for l in "$@"; do
		lower="$lower$PKG_CACHE/chroots/$suite-$l:"
	done
	lower="$lower$PKG_CACHE/chroots/$suite-base"
	mount -t overlay overlay \
		-o "lowerdir=$lower,upperdir=$dir/upper,workdir=$dir/work" "$dir/root"
	chroot_mount_api "$dir/root"
	mount --bind "$PKG_CACHE/apt-$suite" "$dir/root/var/cache/apt/archives"
	printf '#!/bin/sh\nexit 101\n' > "$dir/root/usr/sbin/policy-rc.d"
	chmod 755 "$dir/root/usr/sbin/policy-rc.d"
	echo "$dir/root"
}

overlay_down() {
	local dir=$PKG_CACHE/run/$1 m
	[ -d "$dir/root" ] || return 0
	# innermost first
	for m in $(awk -v r="$dir/root" 'index($2, r) == 1 { print $2 }' /proc/self/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}

# layer_commit NAME SUITE LAYER: keep overlay NAME's upper dir as layer
# SUITE-LAYER (without the policy-rc.d and the mounts overlay_up added).
layer_commit() {
	local dir=$PKG_CACHE/run/$1 dest=$PKG_CACHE/chroots/$2-$3
	overlay_down "$1"
	rm -f "$dir/upper/usr/sbin/policy-rc.d" "$dir/upper/var/cache/apt/"*.bin
	rm -rf "$dest"
	mv "$dir/upper" "$dest"
	rm -rf "$dir"
}

# chroot_base SUITE: debootstrap SUITE once.  A lock lets check-pkg start
# it in the background early and have the tests wait for it.
chroot_base() {
	local suite=$1 dest=$PKG_CACHE/chroots/$1-base mirror
	[ -d "$dest" ] && return 0
	mirror=$(pkg_mirror) || return 1
	mkdir -p "$PKG_CACHE/chroots"
	(
		flock 9
		[ -d "$dest" ] && exit 0
		rm -rf "$dest.tmp"
		debootstrap --variant=buildd "$suite" "$dest.tmp" "$mirror" || exit 1
		echo "deb $mirror $suite main" > "$dest.tmp/etc/apt/sources.list"
		mv "$dest.tmp" "$dest"
	) 9>"$PKG_CACHE/chroots/$suite-base.lock"
}

# chroot_layer SUITE LAYER KEY SCRIPT [BELOW...]: layer SUITE-LAYER made by
# running SCRIPT in an overlay of BELOW (and base); remade when KEY changes.
chroot_layer() {
	local suite=$1 layer=$2 key=$3 script=$4 root
	shift 4
	local stamp=$PKG_CACHE/chroots/$suite-$layer.key
	if [ -d "$PKG_CACHE/chroots/$suite-$layer" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
		return 0
	fi
	root=$(overlay_up "mk-$suite-$layer" "$suite" "$@") || return 1
	if ! in_chroot "$root" "apt-get update -q && $script"; then
		overlay_down "mk-$suite-$layer"
		return 1
	fi
	layer_commit "mk-$suite-$layer" "$suite" "$layer"
	echo "$key" > "$stamp"
}
