#!/bin/bash
# A tunnel that stops moving (pptpd's session process for it is frozen
# with SIGSTOP) while its client sends 28 MB of GRE: the LRP's queue for
# that tunnel is bounded by queue-limit - GRE beyond it is dropped and
# counted (lrp -S), the LRP's memory stays small - and once the tunnel
# moves again the call's control messages still get through (the client's
# teardown completes).
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd iptables
require_pptp_raw_client
t_init
plan 6

nat_topology 1
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724" "queue-limit 65536"
start_lrp lrp "$T_TMP/lrp.conf"
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$LRP_PID/status"; }
rss_before=$(rss)

run_bg call pptp_raw_client cli1 -n 2 -m 10 -H 6 -t 30 "$LAN_LRP"
call=$BG_PID
wait_for 10 eval '[ "$(lrp_status | grep -c " call-up ")" -ge 1 ]' || diag "the call did not come up"
cid=$(lrp_status | awk '$3 == "call-up" { print $4; exit }')
session=$(sed -n 's/.*pptpd\[\([0-9]*\)\]: RRP: client 10\.40\.1\.11:[0-9]* via LRP .*: tunnel authenticated.*/\1/p' "$LOGFILE" | head -n 1)
diag "LRP Call ID $cid; pptpd's session process $session"
kill -STOP "$session"

out=$(pptp_raw_client cli1 -G 20000 -S 1400 -i "$cid" "$LAN_LRP" 2>&1)
diag "$out"
# the LRP reads the burst from its capture after the sender is done:
# wait until it has counted the drops
dropped_now() { lrp_status | awk -v c="$cid" '$4 == c { print $12 }'; }
wait_for 10 eval '[ "$(dropped_now)" -gt 1000 ]' || diag "the LRP did not count 1000 drops within 10 s"
table=$(lrp_status)
diag "$table"
row=$(echo "$table" | awk -v c="$cid" '$4 == c')
dropped=$(echo "$row" | awk '{ print $12 }')
queued=$(echo "$row" | awk '{ print $14 }')
rss_during=$(rss)
check "GRE beyond queue-limit was dropped and counted ($dropped packets)" test "${dropped:-0}" -gt 1000
check "the tunnel's queue stayed within queue-limit ($queued of 65536 bytes queued)" \
	test -n "$queued" -a "${queued:-999999}" -le 65536
check "the LRP's memory stayed bounded (RSS $rss_before -> $rss_during KiB while 28 MB were sent)" \
	test "$((rss_during - rss_before))" -lt 8192

kill -CONT "$session"
wait "$call"
rc=$?
diag "$(cat "$T_TMP/call.out")"
check "once the tunnel moved again, the call's checks and its teardown completed (control not lost)" test "$rc" -eq 0
check "the LRP logged the session's drops at its end" \
	wait_for 5 lrp_log_has "client 10\.40\.1\.11:[0-9]+: session ended .*GRE dropped [1-9][0-9]* up"
check "pptpd's manager is still running" kill -0 "$PPTPD_PID"
t_finish
