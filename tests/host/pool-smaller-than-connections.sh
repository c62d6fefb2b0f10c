#!/bin/bash
# A remote IP pool smaller than `connections`: the client beyond the pool
# is refused at once with a log line naming it, and pptpctrl never runs
# with a truncated argv (patches/0003).
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare
t_init
plan 6

ns_add srv
ns_add cli
ns_link srv 10.13.0.1/24 cli 10.13.0.2/24
{
	echo "ppp $TOOLS/ppp-standin"
	echo "connections 4"
	echo "localip 192.168.77.1"
	echo "remoteip 192.168.77.10"
} >"$T_TMP/pptpd.conf"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
check "pptpd reduces the limit to the pool" log_has 'reduced to 1, not enough IP addresses'

# Client 1 takes the only address and holds its call.
run_bg client1 pptp_client cli 10.13.0.1 -n 3 -m 10 -H 4
c1=$BG_PID
wait_for 10 standin_count 1 || diag "client 1's call did not come up"

# Client 2 finds no free address.
out=$(pptp_client cli 10.13.0.1 -n 1 -m 1 -t 4 2>&1)
rc=$?
check "client 2 (beyond the pool) does not get a call" test "$rc" -ne 0
check "pptpd logs the refusal, naming the client" \
	log_has 'MGR: Refused client 10\.13\.0\.2: all 1 connection slots'
check "pptpctrl never ran with a truncated argv" \
	eval '! grep -q "insufficient arguments" "$T_TMP"/pptpd-srv.out'

wait "$c1"
rc1=$?
diag "$(cat "$T_TMP/client1.out")"
check "client 1 kept its call meanwhile" test "$rc1" -eq 0

# The address is free again once client 1 hung up: once its pptpctrl is
# reaped (the manager frees the slot and address as it reaps it).
wait_for 10 eval '[ -z "$(pgrep -P "$PPTPD_PID")" ]' || diag "client 1's pptpctrl is still running"
out=$(pptp_client cli 10.13.0.1 -n 2 -m 5 2>&1)
check "the next client gets the freed address" test $? -eq 0
diag "$out"
t_finish
