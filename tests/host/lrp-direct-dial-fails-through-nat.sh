#!/bin/bash
# The problem the LRP exists for: behind a NAT that passes TCP but drops
# GRE (no PPTP conntrack helper), Debian's pptp client dialing pptpd
# directly gets its control connection and its call set up, and then no
# PPP frame ever arrives; the same client, through the LRP on its LAN,
# gets a working call.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare tcpdump tshark iptables
t_init
plan 8

nat_topology 1
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_capture srv to-nat wan
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

# Direct: TCP 1723 crosses the NAT (masqueraded), GRE does not.
# (into a file: if the dial hangs, pptp's call manager would keep a
# command substitution waiting after pptp-drive gave up)
run_bg direct pptp_client cli1 "$SRV_ADDR" -n 3 -m 10 -t 5
wait "$BG_PID"
rc=$?
out=$(cat "$T_TMP/direct.out")
diag "$out"
check "a client dialing pptpd directly through the NAT fails (pptp-drive exit $rc)" test "$rc" -ne 0
check "no PPP frame of the call ever reached it" \
	eval 'echo "$out" | grep -q "waiting for the server.s first frame: timed out"'
check "its control connection and call were set up (pptpd started a session for the NAT's address)" \
	eval 'log_has "CTRL: Client $NAT_WAN control connection started" && standin_count 1'
dropped=$(nat_gre_dropped)
check "the NAT dropped the call's GRE ($dropped packets)" test "${dropped:-0}" -gt 0
stop_capture "$CAP_PID" wan
wan=$("$LIB/pcap-summary" "$T_TMP/wan.pcap")
diag "$wan"
check "on the server's side, pptpd sent GRE towards the NAT and no GRE came back" \
	eval 'echo "$wan" | grep -q "^gre $SRV_ADDR $NAT_WAN " && ! echo "$wan" | grep -q "^gre $NAT_WAN $SRV_ADDR "'

# Through the LRP: the same client, the same NAT.
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"
before=$(nat_gre_dropped)
out=$(pptp_client cli1 "$LAN_LRP" -n 3 -m 10 -t 10 2>&1)
rc=$?
diag "$out"
check "the same client through the LRP gets a working call" test "$rc" -eq 0
check "through the LRP the NAT had no GRE to drop (still $(nat_gre_dropped) dropped)" \
	test "$(nat_gre_dropped)" = "$before"
check "pptpd's session carries the client's own address" \
	test -n "$(standin_for 10.40.1.11)"
t_finish
