#!/bin/bash
# An RRP that stays alive but stops reading (tests/tools/rrp-fake-server
# --behave deaf: it answers the Start-Control-Connection-Request, then
# only sends a KEEPALIVE every second, so the tunnel never looks idle)
# while its client sends Echo-Requests as fast as it can: the LRP stops
# reading the client once the tunnel's queue holds 32 KiB of control over
# queue-limit, and when the queue has not drained for 3 x keepalive
# (6 s here) it ends the session as the protocol's section 10 says for
# control that cannot be delivered in time (CLOSE OVERLOAD), with a log
# line naming the client, the RRP and the bytes stuck; lrp's memory stays
# bounded meanwhile.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd iptables
require_pptp_raw_client
t_init
plan 5
[ "$T_SAN" = 1 ] && ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=0:thread_local_quarantine_size_kb=0"

nat_topology 1
make_secret "$T_TMP/secret"
run_bg fake ip netns exec "$(ns srv)" "$TOOLS/rrp-fake-server" -l "$SRV_ADDR:1724" -k "$T_TMP/secret" \
	--behave deaf --idle-timeout 60
wait_for 5 grep -q '^listening' "$T_TMP/fake.out" || bail_out "rrp-fake-server did not start"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724" "keepalive 2"
start_lrp lrp "$T_TMP/lrp.conf"
kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$LRP_PID/status"; }
rss_before=$(kib VmRSS)

run_bg flood ip netns exec "$(ns cli1)" "$TOOLS/pptp-raw-client" -M echo-flood -F 1000000 -t 60 "$LAN_LRP"
flood=$BG_PID
wait_for 10 grep -q 'echo-flood from port' "$T_TMP/flood.out"
port=$(sed -n 's/.*echo-flood from port \([0-9]*\)$/\1/p' "$T_TMP/flood.out" | head -n 1)
check "the LRP stopped reading the client of the deaf RRP" \
	wait_for 30 grep -q 'held back after' "$T_TMP/flood.out"
check "3 x keepalive later it ended the session: the tunnel took none of the queued control" \
	wait_for 30 lrp_log_has "client 10\.40\.1\.11:$port: the tunnel to $SRV_ADDR:1724 has not taken the client's control messages for 6 s \([0-9]+ bytes queued\); closing"
check "the session ended with that reason (CLOSE OVERLOAD \"tunnel stalled\")" \
	wait_for 10 lrp_log_has "client 10\.40\.1\.11:$port: session ended \(tunnel stalled\)"
wait "$flood"
diag "$(cat "$T_TMP/flood.out")" "$(cat "$T_TMP/fake.out")"
hwm=$(kib VmHWM)
check "lrp's resident memory grew by less than 8192 KiB at its peak ($rss_before -> peak $hwm KiB)" \
	test "$((hwm - rss_before))" -lt 8192
check "lrp is still running, with no session left" wait_for 10 eval '[ "$(lrp_sessions)" = 0 ]'
t_finish
