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
t_init

# patch file : what proves it : test (run with top_builddir=<variant>)
fixes=(
	"0001-logwtmp-plugin-builds-with-ppp-2.4-and-2.5.patch|building the plugin against Debian 12's ppp headers|build:pptpd/pptpd-logwtmp.so"
	"0002-stimeout-from-config-file.patch|tests/host/stimeout-from-config.sh|script:tests/host/stimeout-from-config.sh"
	"0003-refuse-clients-beyond-the-ip-pool.patch|tests/host/pool-smaller-than-connections.sh|script:tests/host/pool-smaller-than-connections.sh"
	"0004-decaps-gre-checks-lengths-before-reading.patch|tests/unit/decaps_gre_test|program:tests/unit/decaps_gre_test"
	"0010-gre-reorder-queue-released-on-timeout.patch|tests/host/gre-held-after-a-gap-is-delivered.sh|script:tests/host/gre-held-after-a-gap-is-delivered.sh"
)
plan ${#fixes[@]}

tarball=$top_builddir/poptop/pptpd_1.5.0.orig.tar.gz
[ -f "$tarball" ] || bail_out "$tarball missing: build the tree first"

for entry in "${fixes[@]}"; do
	IFS='|' read -r patch what how <<<"$entry"
	dir=$T_TMP/without-${patch%%-*}
	mkdir -p "$dir"
	grep -vxF "$patch" "$top_srcdir/patches/series" >"$dir/series"
	kind=${how%%:*}
	target=${how#*:}
	(
		cd "$dir" &&
		"$top_srcdir/configure" -q --with-poptop-tarball="$tarball" \
			--with-poptop-series="$dir/series" CC="${CC:-cc}" &&
		make -s poptop/src/.prepared &&
		make -s -k pptpd/pptpd pptpd/pptpctrl tests/tools/ppp-standin \
			tests/tools/pptp-drive tests/tools/logsink tests/tools/rrp-client \
			tests/unit/decaps_gre_test
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
			ok "without $patch, $what fails: $(echo "$out" | grep -m1 -E '^not ok|ERROR: AddressSanitizer' | sed 's/^not ok [0-9]* - //')"
		else
			diag "$out"
			not_ok "without $patch, $what still passes"
		fi
		;;
	esac
done
t_finish
