#!/bin/bash
# The pptpd-logwtmp.so plugin builds against ppp 2.4 (Debian 12) and ppp
# 2.5 (Debian 13) headers, and Debian 12's real pppd loads it and accepts
# its options (patches/0001: upstream 1.5.0 built only against ppp 2.5).
. "$top_srcdir/tests/lib/common.sh"
require_cmd pppd
t_init
plan 4

plugin=$top_builddir/pptpd/pptpd-logwtmp.so
check "the plugin was built against this machine's ppp headers" test -f "$plugin"

# pppd parses its options (loading plugins on the way) before it needs
# the kernel's PPP support, so `dryrun` works on this host.
out=$(pppd plugin "$plugin" pptpd-original-ip 192.0.2.7 pptpd-logwtmp-strip-domain dryrun nodetach 2>&1)
diag "$out"
check "pppd $(pppd --version 2>&1 | awk '{print $3}') loads it" eval 'echo "$out" | grep -q "Plugin .*pptpd-logwtmp.so loaded"'
check "pppd accepts the plugin's options (pptpd-original-ip, pptpd-logwtmp-strip-domain)" \
	eval '! echo "$out" | grep -q "unrecognized option"'

# ppp 2.5's headers, from Debian 13's ppp-dev (cached in the build tree).
cache=$top_builddir/tests/cache/ppp-dev-trixie
src=$top_builddir/poptop/src/plugins/pptpd-logwtmp.c
if [ ! -f "$cache/usr/include/pppd/options.h" ]; then
	mkdir -p "$cache.dl"
	(cd "$cache.dl" && "$top_srcdir/build-aux/apt-suite" --bin trixie download ppp-dev) >"$T_TMP/fetch.log" 2>&1 &&
		dpkg-deb -x "$cache.dl"/ppp-dev_*.deb "$cache" 2>>"$T_TMP/fetch.log"
	rm -rf "$cache.dl"
fi
if [ -f "$cache/usr/include/pppd/options.h" ]; then
	v=$(sed -n 's/.*PPPD_VERSION[^"]*"\([^"]*\)".*/\1/p' "$cache/usr/include/pppd/pppdconf.h" | head -n 1)
	if ${CC:-cc} -DHAVE_PPPD_OPTIONS_H -I"$cache/usr/include" -fPIC -shared -Wall -Werror=implicit-function-declaration \
		-o "$T_TMP/plugin-ppp25.so" "$src" -lutil >"$T_TMP/cc25.log" 2>&1; then
		ok "it also builds against ppp $v's headers (Debian 13)"
	else
		diag "$(cat "$T_TMP/cc25.log")"
		not_ok "it also builds against ppp $v's headers (Debian 13)"
	fi
elif grep -qiE 'temporary failure|could not resolve|failed to fetch|unable to connect|network is unreachable' "$T_TMP/fetch.log"; then
	diag "$(cat "$T_TMP/fetch.log")"
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM # SKIP ppp 2.5 headers: the Debian archive is out of reach (offline build)"
else
	diag "$(cat "$T_TMP/fetch.log")"
	not_ok "ppp 2.5 headers (trixie's ppp-dev) could not be fetched through apt"
fi
t_finish
