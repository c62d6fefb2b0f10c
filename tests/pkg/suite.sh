# tests/pkg/suite.sh - the package tests in one Debian release's chroot
# (sourced by check-pkg.sh after lib.sh).
#
#   suite_tests SUITE SRCDIR OUTDIR
#
# SRCDIR holds the source package (.dsc and its tarballs).  The binary
# packages built in the chroot go to OUTDIR/SUITE/, with an apt-ftparchive
# repository of them in OUTDIR/SUITE/repo/.

# suite_tests stops early when a step everything after needs fails.
suite_tests() {
	local suite=$1 srcdir=$2 out=$3/$1 root bdeps v
	local debs=$out/debs
	rm -rf "$out"
	mkdir -p "$debs"

	check "$suite: debootstrap chroot (cached in $PKG_CACHE/chroots)" \
		chroot_base "$suite" || return 0

	# The build dependencies come from the .dsc, so the layer that has
	# them is remade when they change.
	bdeps=$(sed -n '/^Build-Depends:/{s/^Build-Depends: *//;p}' "$srcdir"/*.dsc)
	check "$suite: chroot with the build dependencies" \
		chroot_layer "$suite" deps "$bdeps" \
		"apt-get satisfy -y -q --no-install-recommends '$bdeps'" || return 0
	check "$suite: chroot with systemd and man-db (for systemd-analyze verify)" \
		chroot_layer "$suite" rt systemd-man-1 \
		'apt-get install -y -q --no-install-recommends systemd man-db' || return 0

	# (a) The build: from the source package, with no network.
	root=$(overlay_up "build-$suite" "$suite" deps) || return 0
	mkdir "$root/build"
	cp "$srcdir"/*.dsc "$srcdir"/*.tar.* "$root/build/"
	check "$suite: dpkg-source -x verifies and unpacks the source package" \
		in_chroot "$root" 'cd /build && dpkg-source -x *.dsc src' || return 0
	NO_NET=1 check "$suite: dpkg-buildpackage builds pptpd-rrp and lrp with no network" \
		in_chroot "$root" 'cd /build/src && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b' || return 0
	cp "$root"/build/*.deb "$root"/build/*.changes "$root"/build/*.buildinfo "$debs/"
	overlay_down "build-$suite"
	rm -f "$debs"/*-dbgsym_*.deb

	check "$suite: pptpd-rrp depends on the ppp ABI it was built for (dh_ppp)" \
		sh -c "dpkg-deb -f '$debs'/pptpd-rrp_*.deb Depends | tr ',' '\n' | grep -E '^ *ppp \(>= ' &&
		       dpkg-deb -f '$debs'/pptpd-rrp_*.deb Depends | tr ',' '\n' | grep -E '^ *ppp \(<< '"

	suite_replace_stock "$suite" "$debs"
	suite_apt_repo "$suite" "$debs" "$out/repo"
}

# (b) Debian's stock pptpd, edited, replaced by ours; then remove and purge.
suite_replace_stock() {
	local suite=$1 debs=$2 root v
	root=$(overlay_up "install-$suite" "$suite" rt) || return 0
	mkdir "$root/debs"
	cp "$debs"/*.deb "$root/debs/"
	check "$suite: apt-get update" in_chroot "$root" 'apt-get update -q' || return 0
	# What our packages need is installed first, so that the file lists
	# before and after differ only by what pptpd-rrp and lrp leave.
	check "$suite: the dependencies of pptpd-rrp and lrp install" \
		in_chroot "$root" "apt-get satisfy -y -q --no-install-recommends \
		\"\$(dpkg-deb -f /debs/pptpd-rrp_*.deb Depends), \$(dpkg-deb -f /debs/lrp_*.deb Depends)\"" || return 0
	chroot_files "$root" > "$root.files-before"

	check "$suite: Debian's pptpd installs" \
		in_chroot "$root" 'apt-get install -y -q --no-install-recommends pptpd' || return 0
	v=$(in_chroot "$root" "dpkg-query -W -f='\${Version}' pptpd")
	echo "# $suite: stock pptpd $v, $(in_chroot "$root" "dpkg-query -W -f='ppp \${Version}' ppp")"
	# As on a machine that runs it: enabled, and its configuration edited.
	in_chroot "$root" 'systemctl enable pptpd.service >/dev/null 2>&1 &&
		echo "connections 42 # edited before pptpd-rrp" >> /etc/pptpd.conf &&
		echo "ms-dns 192.0.2.53 # edited before pptpd-rrp" >> /etc/ppp/pptpd-options'

	check "$suite: apt install ./pptpd-rrp_*.deb ./lrp_*.deb replaces pptpd and bcrelay, no prompt" \
		in_chroot "$root" 'cd /debs && apt install -y -q ./pptpd-rrp_*.deb ./lrp_*.deb &&
			dpkg-query -W -f="\${db:Status-Abbrev} \${Package}\n" pptpd-rrp lrp pptpd bcrelay 2>&1 &&
			[ "$(dpkg-query -W -f="\${db:Status-Abbrev}" pptpd-rrp)" = "ii " ] &&
			[ "$(dpkg-query -W -f="\${db:Status-Abbrev}" lrp)" = "ii " ] &&
			! dpkg-query -W -f="\${db:Status-Abbrev}\n" pptpd bcrelay 2>/dev/null | grep -q "^ii"'
	check "$suite: the edits to /etc/pptpd.conf and /etc/ppp/pptpd-options survive" \
		in_chroot "$root" 'grep -x "connections 42 # edited before pptpd-rrp" /etc/pptpd.conf &&
			grep -x "ms-dns 192.0.2.53 # edited before pptpd-rrp" /etc/ppp/pptpd-options &&
			grep "^#rrp-listen" /etc/pptpd.conf.dpkg-dist'
	check "$suite: pptpd --version names the fork" \
		in_chroot "$root" 'pptpd --version 2>&1 | tee /dev/stderr | grep -q "pptpd-rrp"'
	check "$suite: Debian's paths: programs, plugin, conffiles, man pages" \
		in_chroot "$root" 'set -e
			for f in /usr/sbin/pptpd /usr/sbin/pptpctrl /usr/sbin/bcrelay /usr/sbin/lrp; do test -x $f; done
			test -f /usr/lib/pptpd/pptpd-logwtmp.so
			for m in pptpd.8 pptpctrl.8 bcrelay.8 pptpd.conf.5 lrp.8 lrp.conf.5; do man -w ${m##*.} ${m%.*}; done
			c=$(dpkg-query -W -f="\${Conffiles}" pptpd-rrp lrp)
			for f in /etc/pptpd.conf /etc/ppp/pptpd-options /etc/default/pptpd /etc/lrp.conf; do
				echo "$c" | grep -q " $f "; done'
	check "$suite: systemd-analyze verify pptpd.service lrp.service (in the chroot)" \
		in_chroot "$root" 'systemd-analyze --version | head -n 1 &&
			systemd-analyze verify pptpd.service lrp.service 2>&1 | tee /tmp/verify.log &&
			! grep -v "^$" /tmp/verify.log'
	# pppd parses its options, loading plugins, before it needs the
	# kernel's PPP support, so `dryrun' works in a chroot.
	check "$suite: that release's pppd loads the installed plugin and its options" \
		in_chroot "$root" 'pppd --version 2>&1; out=$(pppd plugin /usr/lib/pptpd/pptpd-logwtmp.so \
			pptpd-original-ip 192.0.2.7 dryrun nodetach 2>&1); echo "$out";
			echo "$out" | grep -q "Plugin .*pptpd-logwtmp.so loaded" &&
			! echo "$out" | grep -q "unrecognized option"'
	check "$suite: lrp.service's exposure (systemd-analyze security) is at most 2.5" \
		in_chroot "$root" 'systemd-analyze security --offline=true lrp.service > /tmp/security.log 2>&1;
			cat /tmp/security.log; awk "/Overall exposure level/ { exit !(\$(NF-2) <= 2.5) }" /tmp/security.log &&
			grep -q "Overall exposure level" /tmp/security.log'
	# pptpd keeps root for pppd and the ip-up scripts (the unit says why);
	# Debian's unit rates 9.6, ours 5.9 with systemd 252
	check "$suite: pptpd.service's exposure (systemd-analyze security) is at most 6.5" \
		in_chroot "$root" 'systemd-analyze security --offline=true pptpd.service > /tmp/security.log 2>&1;
			cat /tmp/security.log; awk "/Overall exposure level/ { exit !(\$(NF-2) <= 6.5) }" /tmp/security.log &&
			grep -q "Overall exposure level" /tmp/security.log'
	check "$suite: pptpd.service still enabled, as Debian's was; lrp.service left to the operator" \
		in_chroot "$root" 'test -L /etc/systemd/system/multi-user.target.wants/pptpd.service &&
			! test -e /etc/systemd/system/multi-user.target.wants/lrp.service'
	check "$suite: lrp runs as _lrp, given CAP_NET_RAW and CAP_NET_BIND_SERVICE, and drops them after start-up" \
		suite_lrp_unprivileged "$root"

	check "$suite: purging Debian's leftover pptpd keeps pptpd-rrp's conffiles" \
		in_chroot "$root" 'dpkg --purge pptpd &&
			grep -x "connections 42 # edited before pptpd-rrp" /etc/pptpd.conf &&
			test -f /etc/ppp/pptpd-options && test -f /etc/default/pptpd'
	if in_chroot "$root" 'test -L /etc/systemd/system/multi-user.target.wants/pptpd.service'; then
		tap_ok "$suite: pptpd.service still enabled after purging Debian's pptpd"
	else
		# Debian's pptpd's postrm purge runs deb-systemd-helper purge
		# pptpd.service, which removes the enablement the unit of the same
		# name now has: re-enable with systemctl enable pptpd.
		tap_n=$((tap_n + 1))
		echo "not ok $tap_n - $suite: pptpd.service still enabled after purging Debian's pptpd # TODO Debian's pptpd postrm purge disables the shared unit name"
	fi

	check "$suite: apt remove keeps the conffiles and removes the programs" \
		in_chroot "$root" 'apt-get remove -y -q pptpd-rrp lrp && test -f /etc/pptpd.conf &&
			test -f /etc/lrp.conf && ! test -e /usr/sbin/pptpd && ! test -e /usr/sbin/lrp'
	check "$suite: apt purge leaves nothing behind (file lists before Debian's pptpd and after)" \
		suite_purged_clean "$root"
	overlay_down "install-$suite"
}

# lrp under the unit's privileges: user _lrp, the two capabilities as
# ambient ones, no new privileges, in a network namespace of its own
# (loopback only), with the status socket in /run/lrp.
suite_lrp_unprivileged() {
	local root=$1 pid rc=0
	in_chroot "$root" 'install -d -o _lrp -g _lrp /run/lrp &&
		cat > /tmp/lrp.conf <<EOF
listen 127.0.0.1:1723
interface lo
server 127.0.0.1:1724
insecure-no-secret
pidfile /run/lrp/lrp.pid
status-socket /run/lrp/lrp.sock
EOF'
	unshare -n /bin/sh -c 'ip link set lo up
		chroot "$1" /usr/bin/setpriv --reuid=_lrp --regid=_lrp --clear-groups \
			--inh-caps=-all,+net_raw,+net_bind_service \
			--ambient-caps=-all,+net_raw,+net_bind_service \
			--bounding-set=-all,+net_raw,+net_bind_service --no-new-privs \
			/usr/sbin/lrp -f -c /tmp/lrp.conf >"$1/tmp/lrp.log" 2>&1 &
		pid=$!
		sleep 2
		kill -0 $pid || { echo "lrp exited"; cat "$1/tmp/lrp.log"; exit 1; }
		chroot "$1" /usr/sbin/lrp -S -c /tmp/lrp.conf || { kill $pid; exit 1; }
		grep -E "^(Uid|CapEff|CapPrm|CapAmb|CapBnd)" /proc/$pid/status
		# the two capabilities open its sockets; it gives them up after
		ok=1
		for f in CapEff CapPrm CapAmb; do
			grep -Eq "^$f:[[:space:]]+0+$" /proc/$pid/status || { echo "lrp kept $f"; ok=0; }
		done
		kill $pid; wait $pid
		[ $ok = 1 ] || exit 1
		cat "$1/tmp/lrp.log"' sh "$root" || rc=1
	return $rc
}

suite_purged_clean() {
	local root=$1
	in_chroot "$root" 'apt-get purge -y -q pptpd-rrp lrp' || return 1
	chroot_files "$root" > "$root.files-after"
	in_chroot "$root" 'dpkg -l pptpd-rrp lrp pptpd bcrelay 2>&1 | grep -E "^(ii|rc)"' && return 1
	diff -u "$root.files-before" "$root.files-after"
}

# (c) An apt-ftparchive repository of the packages: apt install by name.
suite_apt_repo() {
	local suite=$1 debs=$2 repo=$3 root
	check "$suite: apt-ftparchive makes a repository of the packages" \
		sh -c "mkdir -p '$repo' && cp '$debs'/*.deb '$repo/' && cd '$repo' &&
			apt-ftparchive packages . > Packages && apt-ftparchive release . > Release &&
			cat Release" || return 0
	root=$(overlay_up "repo-$suite" "$suite" rt) || return 0
	mkdir "$root/srv/pptpd-rrp"
	mount --bind "$repo" "$root/srv/pptpd-rrp"
	echo 'deb [trusted=yes] file:/srv/pptpd-rrp ./' > "$root/etc/apt/sources.list.d/pptpd-rrp.list"
	check "$suite: apt install pptpd-rrp lrp, by name from the repository (pptpd.service enabled)" \
		in_chroot "$root" 'apt-get update -q && apt-cache policy pptpd-rrp lrp &&
			apt install -y -q pptpd-rrp lrp &&
			apt-cache policy pptpd-rrp | grep -q "file:/srv/pptpd-rrp" &&
			dpkg-query -W -f="\${db:Status-Abbrev}\n" pptpd-rrp lrp | grep -c "^ii" | grep -qx 2 &&
			pptpd --version 2>&1 | grep pptpd-rrp && lrp -V &&
			test -L /etc/systemd/system/multi-user.target.wants/pptpd.service'
	overlay_down "repo-$suite"
}
