#!/bin/bash
# A client connected straight to pptpd's port 1723 (no LRP in between)
# that sends a second Outgoing-Call-Request while its call is open,
# played by the scapy crafter: pptpctrl logs it (the order check of
# patches/0019, pptpd/pptpctrl_order.c), tells the client (Call-
# Disconnect-Notify, Stop-Control-Connection-Request) and ends the control
# connection, and only one ppp program ever runs for it - upstream
# pptpctrl started a second one.  Afterwards pptpd runs its manager alone
# again and a real client's call works.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/host/hostile/lib.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
require_scapy
t_init
plan 5

ns_add srv
ns_add cli
ns_link srv 10.17.0.1/24 cli 10.17.0.2/24
# the crafter has no GRE socket: drop pptpd's GRE quietly rather than
# answer it with ICMP protocol-unreachable, which would end the call
in_ns cli iptables -A INPUT -p 47 -j DROP
write_pptpd_conf "$T_TMP/pptpd.conf"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
wait_for 5 pptpd_listening srv || diag "pptpd's manager is not listening on 1723"
pptpd_base=$(ns_procs srv pptpd)

run_bg crafter craft cli lrp-ctrl 10.17.0.1 1723 ocrq-twice --hold 2
crafter=$BG_PID
watch_procs "$crafter" srv
wait "$crafter"
out=$(cat "$T_TMP/crafter.out")
diag "$out"
starts=$(standin_reports | wc -l)
port=$(craft_port "$out")
if echo "$out" | grep -qx closed-by-peer &&
   wait_for 5 log_has "CTRL: Client 10\.17\.0\.2:$port: out-of-order control message from the client: a second Outgoing-Call-Request \(Call ID 17219\) while call 16962 exists; closing"; then
	ok "the second Outgoing-Call-Request ended the control connection, logged: $(grep -m1 'a second Outgoing-Call-Request' "$LOGFILE" | sed 's/.*CTRL: //')"
else
	not_ok "the second Outgoing-Call-Request ended the control connection and was logged"
fi
check "one ppp program started for it ($starts started; at most $MAX_CTRL pptpctrl and $MAX_PPP ppp at once)" \
	test "$starts" -eq 1 -a "$MAX_CTRL" -le 1 -a "$MAX_PPP" -le 1
check "the client was told: Call-Disconnect-Notify, then Stop-Control-Connection-Request" \
	eval 'echo "$out" | sed -n "/^second-ocrq/,\$p" | grep -q "^rx 13" && echo "$out" | sed -n "/^second-ocrq/,\$p" | grep -q "^rx 3"'
check "pptpd runs its manager alone again" \
	eval 'settled "ns_procs srv pptpd" "$pptpd_base" && settled "ns_procs srv pptpctrl" 0 && settled "ns_procs srv ppp-standin" 0'
in_ns cli iptables -D INPUT -p 47 -j DROP	# the real client takes GRE
out=$(pptp_client cli 10.17.0.1 -n 2 -m 10 2>&1)
check "a real client's call works afterwards" test $? -eq 0
diag "$out"
t_finish
