#!/bin/bash
# What an operator has: `lrp -S` shows each session's state, its three
# Call IDs (the LRP's, the client's, pptpd's) and counters that grow with
# the call; SIGUSR1 writes the same table to the log; SIGHUP re-reads
# lrp.conf (a lower max-sessions refuses the next client, with a log line)
# and keeps the running configuration when the file has errors; SIGTERM
# tells the client in a call (Call-Disconnect-Notify, Stop-Control-
# Connection-Request), closes its tunnel, and lrp exits 0.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare tcpdump tshark iptables
require_pptp_raw_client
t_init
plan 15

FRAMES=3000
nat_topology 2
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_capture lrp to-lan lan
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

run_bg c1 pptp_client cli1 "$LAN_LRP" -n 3 -m $FRAMES -H 60 -t 70
c1=$BG_PID
row() { lrp_status | awk '$2 ~ /^10\.40\.1\.11:/'; }
wait_for 10 eval 'row | grep -q " call-up "' || diag "the call did not come up"
first=$(row)
wait_for 15 eval '[ "$(row | awk "{ print \$11 }")" -ge $FRAMES ]' || diag "the data frames did not all cross"
table=$(lrp_status)
diag "$table"
later=$(row)
read -r id client state lrp_cid client_cid server_cid _ ctrl_up ctrl_down gre_up gre_down _ <<<"$later"
read -r _ _ _ _ _ _ _ _ _ gre_up0 gre_down0 _ <<<"$first"
port=${client#*:}
check "lrp -S shows the session in state call-up" test "$state" = call-up
check "with the LRP's Call ID it showed the client ($lrp_cid)" \
	lrp_log_has "client $client: Outgoing-Call-Reply connected: pptpd's Call ID $server_cid shown to the client as $lrp_cid$"
check "with the client's own Call ID ($client_cid)" \
	lrp_log_has "client $client: Outgoing-Call-Request, client Call ID $client_cid$"
check "with pptpd's Call ID ($server_cid)" test "$server_cid" = 0
check "and GRE counters that grew with the call (up $gre_up0 -> $gre_up, down $gre_down0 -> $gre_down)" \
	test "$gre_up" -gt "$gre_up0" -a "$gre_down" -gt "$gre_down0" -a "$gre_down" -ge $FRAMES

kill -USR1 "$LRP_PID"
check "SIGUSR1 writes the same table to the log" \
	wait_for 3 lrp_log_has "status: $id +$client +call-up +$lrp_cid +$client_cid +$server_cid "
check "through syslog too" \
	wait_for 3 grep -Eq "lrp\[$LRP_PID\]: status: $id +$client +call-up" "$LRP_SYSLOG"

# SIGHUP: max-sessions 1 takes effect
echo "max-sessions 1" >>"$T_TMP/lrp.conf"
kill -HUP "$LRP_PID"
check "SIGHUP re-reads lrp.conf" wait_for 3 lrp_log_has "reloaded $T_TMP/lrp.conf: .*max-sessions 1,"
out=$(pptp_raw_client cli2 -M silent -t 5 "$LAN_LRP" 2>&1)
diag "$out"
check "a second client is refused now" eval 'echo "$out" | grep -q "closed the connection after"'
check "with the log line saying why" \
	lrp_log_has "client 10\.40\.1\.12:[0-9]+ refused: max-sessions 1 reached"

# SIGHUP with a broken file keeps what runs
echo "max-sessions lots" >>"$T_TMP/lrp.conf"
kill -HUP "$LRP_PID"
check "SIGHUP with an error in lrp.conf quotes it and keeps the running configuration" \
	wait_for 3 eval 'lrp_log_has "lrp\.conf:[0-9]+: .max-sessions lots.: .lots. is not a number" &&
		lrp_log_has "reload: $T_TMP/lrp\.conf has errors \(above\); keeping the running configuration"'
check "max-sessions is still 1, the call still up (and lrp -S works in spite of the broken file)" \
	eval 'lrp_status 2>/dev/null | grep -q "1 sessions (max 1)" && row 2>/dev/null | grep -q " call-up "'

# SIGTERM: the client is told, lrp exits 0
kill -TERM "$LRP_PID"
wait "$LRP_PID"
rc=$?
check "on SIGTERM lrp tells its client and exits 0 (exit $rc)" \
	eval '[ "$rc" -eq 0 ] && lrp_log_has "SIGTERM: telling 1 client\(s\) and shutting down" && lrp_log_has "lrp stopped \(0 session\(s\) left\)"'
wait "$c1"
diag "$(cat "$T_TMP/c1.out")"
check "pptpd logs the tunnel closed by the LRP for shutdown" \
	wait_for 3 log_has "RRP: client 10\.40\.1\.11:$port via LRP .*: tunnel closed by the LRP: shutting down \(1\)"
stop_capture "$CAP_PID" lan
msgs=$(pptp_ctrl_stream "$T_TMP/lan.pcap" "$LAN_LRP" 10.40.1.11 "$port" | awk '{ print $1 }' | xargs)
check "on the wire the client got Call-Disconnect-Notify then Stop-Control-Connection-Request ($msgs)" \
	test "$msgs" = "2 8 13 3"
t_finish
