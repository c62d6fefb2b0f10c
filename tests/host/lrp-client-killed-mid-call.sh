#!/bin/bash
# A client killed (SIGKILL, pptp and its call manager) in the middle of a
# call: the LRP logs its session's end and closes the tunnel with CLOSE;
# pptpd logs the tunnel closed by the LRP and its pptpctrl and ppp
# stand-in exit; `lrp -S` no longer lists the session; another client's
# call through the same LRP carries on undisturbed.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
t_init
plan 9
OTHER_FRAMES=20000

nat_topology 2
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

run_bg victim pptp_client cli1 "$LAN_LRP" -n 3 -m 50 -H 30 -t 40
# the other client is busy: its data frames cross while the victim dies
run_bg other pptp_client cli2 "$LAN_LRP" -n 3 -m $OTHER_FRAMES -H 1 -t 40
other=$BG_PID
wait_for 10 eval '[ "$(lrp_status | grep -c " call-up ")" -ge 2 ]' || diag "the two calls did not come up"
wait_for 5 eval 'standin_count 2 && [ -n "$(standin_for 10.40.1.11)" ]' || true
victim_report=$(standin_for 10.40.1.11)
victim_standin=$(basename "$victim_report" .txt)
victim_standin=${victim_standin#standin-}
victim_port=$(lrp_status | awk '$2 ~ /^10\.40\.1\.11:/ { sub(".*:", "", $2); print $2 }')
victim_ctrl=$(sed -n "s/.*RRP: client 10\.40\.1\.11:$victim_port via LRP .*: pptpctrl \([0-9]*\) started.*/\1/p" "$LOGFILE")
diag "victim: client 10.40.1.11:$victim_port, pptpctrl $victim_ctrl, stand-in $victim_standin"
gre_before=$(lrp_status | awk '$2 ~ /^10\.40\.1\.12:/ { print $11 }')
diag "the other client's GRE packets down so far: $gre_before (of $OTHER_FRAMES frames)"

ns_kill9 cli1
check "the LRP logs the killed client's session end (gone in a call, not a hang-up)" \
	wait_for 5 lrp_log_has "client 10\.40\.1\.11:$victim_port: session ended \(client (vanished in a call|connection lost)\)"
check "pptpd logs the tunnel closed by the LRP with PEER_GONE" \
	wait_for 5 log_has "RRP: client 10\.40\.1\.11:$victim_port via LRP .*: tunnel closed by the LRP: other side went away \(5\) \"client (vanished in a call|connection lost)\""
check "its pptpctrl ($victim_ctrl) exits" \
	wait_for 5 eval '[ -n "$victim_ctrl" ] && ! kill -0 "$victim_ctrl" 2>/dev/null'
check "its ppp stand-in ($victim_standin) exits" \
	wait_for 5 eval '[ -n "$victim_standin" ] && ! kill -0 "$victim_standin" 2>/dev/null && grep -q "^end: " "$victim_report"'
table=$(lrp_status)
diag "$table"
check "lrp -S lists only the other client's session" \
	eval '[ "$(lrp_sessions)" = 1 ] && ! echo "$table" | grep -q " 10\.40\.1\.11:"'
gre_after=$(lrp_status | awk '$2 ~ /^10\.40\.1\.12:/ { print $11 }')
check "the other client's data kept flowing meanwhile ($gre_before then $gre_after packets down)" \
	test "${gre_after:-0}" -gt "${gre_before:-0}"

wait "$other"
rc=$?
diag "$(cat "$T_TMP/other.out")"
check "the other client's call passed all its checks" test "$rc" -eq 0
check "then lrp -S shows 0 sessions" wait_for 5 eval '[ "$(lrp_sessions)" = 0 ]'
check "and pptpd has no session process left" \
	wait_for 5 eval '[ -z "$(pgrep -P "$PPTPD_PID")" ]'
t_finish
