#!/bin/bash
# Every bad rrp-* line or --rrp-* flag stops pptpd at start with a message
# on stderr that names the file, line and problem (a misspelled option is
# reported, not ignored); a secret file that is not root's with mode 0600
# or 0400 is refused, naming its owner and mode; rrp-listen without a
# secret refuses to start unless the explicit insecure option is set,
# which then works and warns.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
t_init

ns_add srv
ip -n "$(ns srv)" addr add 10.19.0.1/24 dev lo
PPTPD=$top_builddir/pptpd/pptpd
make_secret "$T_TMP/secret"
umask 077
printf 'short\n' >"$T_TMP/short.secret"
: >"$T_TMP/empty.secret"
cp "$T_TMP/secret" "$T_TMP/open.secret"
chmod 0644 "$T_TMP/open.secret"
# modes that keep group and others out but are not the documented 0600
# or 0400, and a 0600 file another user owns (and so could rewrite)
for m in 0700 0200; do
	cp "$T_TMP/secret" "$T_TMP/mode$m.secret"
	chmod "$m" "$T_TMP/mode$m.secret"
done
cp "$T_TMP/secret" "$T_TMP/nobodys.secret"
chown nobody "$T_TMP/nobodys.secret"

# refuses DESCRIPTION PATTERN [CONF LINES...] -- [FLAGS...]
refuses() {
	local what=$1 pattern=$2 conf=$T_TMP/case.conf out rc
	shift 2
	{
		echo "ppp $TOOLS/ppp-standin"
		echo "localip 192.168.77.1"
		echo "remoteip 192.168.77.10-20"
		while [ $# -gt 0 ] && [ "$1" != -- ]; do echo "$1"; shift; done
	} >"$conf"
	[ "${1:-}" = -- ] && shift
	out=$(in_ns srv timeout 5 "$PPTPD" --fg -c "$conf" -p "$T_TMP/case.pid" "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && echo "$out" | grep -qE -- "$pattern"; then
		ok "$what: refused to start: $(echo "$out" | grep -E -m1 -- "$pattern")"
	else
		diag "exit status $rc" "$out"
		not_ok "$what: refused to start with a message matching: $pattern"
	fi
}

plan 25
C=$T_TMP/case.conf
refuses "misspelled option" "$C:4: unknown option \`rrp-lisen' \(did you mean \`rrp-listen'\?\)" \
	"rrp-lisen 10.19.0.1:1724" "rrp-secret-file $T_TMP/secret"
refuses "address without port" "$C:4: rrp-listen \`10.19.0.1' is not ADDR:PORT" \
	"rrp-listen 10.19.0.1" "rrp-secret-file $T_TMP/secret"
refuses "port out of range" "port \`99999' is not a number in 1\.\.65535" \
	"rrp-listen 10.19.0.1:99999" "rrp-secret-file $T_TMP/secret"
refuses "IPv6 address without brackets" "write IPv6 addresses as \[ADDR\]:PORT" \
	"rrp-listen fd00::1:1724" "rrp-secret-file $T_TMP/secret"
refuses "unresolvable name" "cannot resolve \`no-such-host.invalid'" \
	"rrp-listen no-such-host.invalid:1724" "rrp-secret-file $T_TMP/secret"
refuses "two values on one line" "rrp-listen takes one value, got \`10.19.0.1:1724 10.19.0.1:1725'" \
	"rrp-listen 10.19.0.1:1724 10.19.0.1:1725" "rrp-secret-file $T_TMP/secret"
refuses "rrp-listen without a secret" "rrp-listen needs rrp-secret-file" \
	"rrp-listen 10.19.0.1:1724"
refuses "missing secret file" "rrp-secret-file: $T_TMP/nonexistent" \
	"rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/nonexistent"
refuses "secret readable by others" "rrp-secret-file: $T_TMP/open.secret: .*(group|others)" \
	"rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/open.secret"
refuses "secret of mode 0700" "rrp-secret-file: $T_TMP/mode0700\.secret: mode 0700 \(owner root\): a secret file must be mode 0600 or 0400" \
	"rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/mode0700.secret"
refuses "secret of mode 0200" "rrp-secret-file: $T_TMP/mode0200\.secret: mode 0200 \(owner root\): a secret file must be mode 0600 or 0400" \
	"rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/mode0200.secret"
refuses "secret owned by another user" "rrp-secret-file: $T_TMP/nobodys\.secret: owned by nobody \(mode 0600\), who could change the secret: it must be owned by root" \
	"rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/nobodys.secret"
refuses "empty secret" "rrp-secret-file: $T_TMP/empty.secret: .*empty" \
	"rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/empty.secret"
refuses "secret too short" "rrp-secret-file: $T_TMP/short.secret: .*short" \
	"rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/short.secret"
refuses "bad keepalive" "rrp-keepalive \`0' is not a number of seconds in 1\.\.3600" \
	"rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/secret" "rrp-keepalive 0"
refuses "a value for a flag option" "rrp-insecure-no-secret takes no value" \
	"rrp-listen 10.19.0.1:1724" "rrp-insecure-no-secret yes"
refuses "the same address twice" "rrp-listen 10.19.0.1:1724 is given twice" \
	"rrp-listen 10.19.0.1:1724" "rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/secret"
refuses "an address this host does not have" "rrp-listen 10.99.0.1:1724: bind: Cannot assign requested address" \
	"rrp-listen 10.99.0.1:1724" "rrp-secret-file $T_TMP/secret"
refuses "bad --rrp-listen on the command line" "--rrp-listen: rrp-listen \`garbage' is not ADDR:PORT" \
	-- --rrp-listen garbage --rrp-secret-file "$T_TMP/secret"
refuses "bad --rrp-queue-limit on the command line" "--rrp-queue-limit: rrp-queue-limit \`5' is not a number of bytes" \
	-- --rrp-queue-limit 5
refuses "max-pending 0 in pptpd.conf" "max-pending \`0' is not a number of connections in 1\.\.10000" \
	"max-pending 0"
refuses "bad rrp-max-pending in pptpd.conf" "rrp-max-pending \`99999' is not a number of connections in 1\.\.10000" \
	"rrp-listen 10.19.0.1:1724" "rrp-secret-file $T_TMP/secret" "rrp-max-pending 99999"
refuses "bad --max-pending on the command line" "--max-pending: max-pending \`abc' is not a number of connections" \
	-- --max-pending abc

# The insecure option is explicit, loud, and works.
write_pptpd_conf "$T_TMP/insecure.conf" "rrp-listen 10.19.0.1:1724" "rrp-insecure-no-secret"
start_pptpd srv "$T_TMP/insecure.conf" "$PPTPD"
check "rrp-insecure-no-secret starts, with a warning in the log" \
	log_has 'RRP: rrp-insecure-no-secret: LRP tunnels are NOT authenticated'
printf 'pptpd-rrp insecure: no secret configured' >"$T_TMP/insecure.secret"
out=$(rrp_client srv -s 10.19.0.1:1724 -k "$T_TMP/insecure.secret" -n 1 -m 2 -q 2>&1)
rc=$?
diag "$out"
check "an LRP configured without a secret too can open a session" test "$rc" -eq 0
t_finish
