#!/bin/bash
# The LRP's timeouts free what a client or the path holds:
#   start-timeout  a client that connects to TCP 1723 and says nothing is
#                  closed after it; so is a client whose tunnel cannot open
#                  (the server's port silently dropped), and that one is
#                  answered "general error" first;
#   idle-timeout   a client with a control connection that then sends
#                  nothing is told (Stop-Control-Connection-Request) and
#                  closed after it (10 s, the shortest lrp.conf accepts; it
#                  runs while the other cases do), and the tunnel is closed
#                  with CLOSE IDLE, which pptpd logs.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd iptables
require_pptp_raw_client
t_init
plan 9

nat_topology 3
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724" "start-timeout 2" "idle-timeout 10"
start_lrp lrp "$T_TMP/lrp.conf"

# idle: control connection up, then silence (it runs in the background)
t_idle=$(date +%s%N)
run_bg idle pptp_raw_client cli3 -M idle -t 20 "$LAN_LRP"
idle=$BG_PID

# silent: not even a Start-Control-Connection-Request
out=$(pptp_raw_client cli1 -M silent -t 8 "$LAN_LRP" 2>&1)
diag "$out"
ms=$(echo "$out" | sed -n 's/.*closed the connection after \([0-9]*\) ms.*/\1/p')
check "a client that says nothing is closed after start-timeout 2 s (${ms:-not within 8000} ms)" \
	test -n "$ms" -a "${ms:-0}" -ge 1500 -a "${ms:-99999}" -le 4000
check "the LRP logs why" \
	lrp_log_has "client 10\.40\.1\.11:[0-9]+: no Start-Control-Connection-Request within 2 s; closing"
check "and it was told nothing it did not ask for" eval 'echo "$out" | grep -q "ctrl-rx -$"'

# a tunnel that cannot open: new sessions go to a port the NAT blackholes
in_ns nat iptables -I FORWARD -p tcp --dport 1799 -j DROP
sed -i "s/^server .*/server $SRV_ADDR:1799/" "$T_TMP/lrp.conf"
kill -HUP "$LRP_PID"
wait_for 3 lrp_log_has "reloaded .*: server $SRV_ADDR:1799" || diag "lrp did not reload"
out=$(pptp_raw_client cli2 -t 8 "$LAN_LRP" 2>&1)
diag "$out"
check "a client whose tunnel does not open is answered \"general error\" and closed" \
	eval 'echo "$out" | grep -q "ctrl-rx 2r2$"'
check "after start-timeout, which the LRP logs" \
	lrp_log_has "client 10\.40\.1\.12:[0-9]+: the tunnel to $SRV_ADDR:1799 did not open within 2 s; closing"

wait "$idle"
rc=$?
ms=$((($(date +%s%N) - t_idle) / 1000000))
out=$(cat "$T_TMP/idle.out")
diag "$out"
check "an idle client is closed after idle-timeout 10 s (exit $rc, $ms ms after it connected)" \
	test "$rc" -eq 0 -a "$ms" -ge 9500 -a "$ms" -le 13500
check "it was told with Stop-Control-Connection-Request" eval 'echo "$out" | grep -q "ctrl-rx 2r1,3$"'
check "the LRP logs why" lrp_log_has "client 10\.40\.1\.13:[0-9]+: nothing from the client for 10 s; closing"
check "pptpd logs the tunnel closed by the LRP for idleness" \
	wait_for 3 log_has "RRP: client 10\.40\.1\.13:[0-9]+ via LRP .*: tunnel closed by the LRP: idle timeout \(2\)"
t_finish
