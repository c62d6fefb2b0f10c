#!/bin/bash
# Each upstream fix in patches/ has a test that fails without it.
#
# For every fix, this builds Poptop with the whole series except that one
# patch (a separate build tree, same configure options) and runs the fix's
# test against that build, which must fail; the same tests pass against
# the real build elsewhere in `make check`.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
# its variants are plain builds whatever this tree is: the main build's
# run proves the same, and a sanitizer build's would only take as long again
[ "$T_SAN" = 1 ] && skip_all "a sanitizer build (--enable-sanitizers): the variants are plain builds, checked by the main build's make check"
t_init

# patch file : what proves it : test (run with top_builddir=<variant>)
#   [: later patches built on this one's lines, left out of the variant too]
fixes=(
	"0001-logwtmp-plugin-builds-with-ppp-2.4-and-2.5.patch|building the plugin against Debian 12's ppp headers|build:pptpd/pptpd-logwtmp.so"
	"0002-stimeout-from-config-file.patch|tests/host/stimeout-from-config.sh|script:tests/host/stimeout-from-config.sh"
	"0003-refuse-clients-beyond-the-ip-pool.patch|tests/host/pool-smaller-than-connections.sh|script:tests/host/pool-smaller-than-connections.sh|0011-manager-waits-for-first-packets-without-blocking.patch"
	"0004-decaps-gre-checks-lengths-before-reading.patch|tests/unit/decaps_gre_test|program:tests/unit/decaps_gre_test"
	"0010-gre-reorder-queue-released-on-timeout.patch|tests/host/gre-held-after-a-gap-is-delivered.sh|script:tests/host/gre-held-after-a-gap-is-delivered.sh|0013-gre-reorder-queue-bounded.patch"
	"0011-manager-waits-for-first-packets-without-blocking.patch|tests/host/flood-pptpd-1723-half-open.sh|script:tests/host/flood-pptpd-1723-half-open.sh"
	"0012-ccrq-answered-with-call-disconnect-notify.patch|tests/host/ccrq-answered-with-cdn.sh|script:tests/host/ccrq-answered-with-cdn.sh"
	"0013-gre-reorder-queue-bounded.patch|tests/unit/gre_receive_test (the queue's bound)|program:tests/unit/gre_receive_test"
	"0014-gre-seq-1-restart-only-first-packet.patch|tests/unit/gre_receive_test (seq 1 mid-call)|program:tests/unit/gre_receive_test"
	"0015-pidfile-removed-on-exit.patch|tests/host/pidfile-removed-on-exit.sh|script:tests/host/pidfile-removed-on-exit.sh"
	"0016-sigterm-ends-the-sessions.patch|tests/host/sigterm-ends-sessions.sh|script:tests/host/sigterm-ends-sessions.sh"
	"0017-stuck-ppp-program-killed.patch|tests/host/stuck-ppp-program-is-killed.sh|script:tests/host/stuck-ppp-program-is-killed.sh"
	"0018-ppp-program-exit-tells-the-client.patch|tests/host/fault-ppp-program-exits.sh|script:tests/host/fault-ppp-program-exits.sh"
	"0019-client-control-messages-kept-in-rfc-order.patch|tests/host/hostile-pptpd-1723-refuses-out-of-order-messages.sh|script:tests/host/hostile-pptpd-1723-refuses-out-of-order-messages.sh|0022-trickling-peer-does-not-reset-the-idle-timer.patch"
	"0020-upstream-clean-under-ubsan-and-leak-checkers.patch|tests/unit/upstream_ub_test|program:tests/unit/upstream_ub_test"
	"0021-gre-rtt-only-for-a-timed-packet.patch|tests/unit/gre_rtt_test|program:tests/unit/gre_rtt_test"
	"0022-trickling-peer-does-not-reset-the-idle-timer.patch|tests/host/trickling-peer-is-dropped.sh|script:tests/host/trickling-peer-is-dropped.sh"
)
plan ${#fixes[@]}

tarball=$top_builddir/poptop/pptpd_1.5.0.orig.tar.gz
[ -f "$tarball" ] || bail_out "$tarball missing: build the tree first"

for entry in "${fixes[@]}"; do
	IFS='|' read -r patch what how also <<<"$entry"
	dir=$T_TMP/without-${patch%%-*}
	mkdir -p "$dir"
	leave_out=("$patch")
	for p in $also; do leave_out+=("$p"); done
	grep -vxF "${leave_out[@]/#/-e}" "$top_srcdir/patches/series" >"$dir/series"
	[ -z "$also" ] || diag "without $patch, also without $also (it changes the same lines)"
	kind=${how%%:*}
	target=${how#*:}
	(
		cd "$dir" &&
		"$top_srcdir/configure" -q --with-poptop-tarball="$tarball" \
			--with-poptop-series="$dir/series" CC="${CC:-cc}" &&
		make -s poptop/src/.prepared &&
		make -s -k pptpd/pptpd pptpd/pptpctrl tests/tools/ppp-standin \
			tests/tools/pptp-drive tests/tools/logsink tests/tools/rrp-client \
			tests/unit/decaps_gre_test tests/unit/gre_receive_test tests/unit/upstream_ub_test tests/unit/gre_rtt_test \
			tests/tools/pptp-raw-client tests/tools/flooder lrp/lrp
	) >"$dir/build.log" 2>&1
	case $kind in
	build)
		if [ -f "$dir/$target" ]; then
			not_ok "without $patch, $target still builds"
		else
			ok "without $patch, $what fails: $(grep -m1 'error' "$dir/build.log" || echo 'no plugin was built')"
		fi
		;;
	script)
		if [ ! -x "$dir/pptpd/pptpd" ]; then
			diag "$(tail -n 20 "$dir/build.log")"
			not_ok "without $patch: the variant did not build"
			continue
		fi
		out=$(top_builddir=$dir RRP_TEST_DISCARD=1 bash "$top_srcdir/$target" 2>&1)
		rc=$?
		if [ "$rc" -ne 0 ] && echo "$out" | grep -q '^not ok'; then
			ok "without $patch, $what fails: $(echo "$out" | grep -m1 '^not ok' | sed 's/^not ok [0-9]* - //')"
		else
			diag "$out"
			not_ok "without $patch, $what still passes"
		fi
		;;
	program)
		if [ ! -x "$dir/$target" ]; then
			diag "$(tail -n 20 "$dir/build.log")"
			not_ok "without $patch: the variant did not build"
			continue
		fi
		out=$("$dir/$target" 2>&1)
		rc=$?
		if [ "$rc" -ne 0 ]; then
			ok "without $patch, $what fails: $(echo "$out" | grep -m1 -E '^not ok|ERROR: AddressSanitizer|runtime error' | sed 's/^not ok [0-9]* - //')"
		else
			diag "$out"
			not_ok "without $patch, $what still passes"
		fi
		;;
	esac
done
t_finish
