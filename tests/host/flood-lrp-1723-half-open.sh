#!/bin/bash
# 1000 connections to the LRP's port 1723 that never send their first
# message (and 50 that trickle a Start-Control-Connection-Request a byte a
# second) do not lock out a real client: Debian's pptp client is served
# through the LRP within 5 s while they keep coming.  The LRP keeps at most
# max-pending of them (closing the oldest from the busiest address, with a
# log line naming it and the limit), opens no tunnel to the RRP for any of
# them (so pptpd starts no session process), and its descriptors are back
# to where they were once the flood stops.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
t_init
plan 8

nat_topology 2
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724" "max-pending 50" "start-timeout 5" "log-level info"
start_lrp lrp "$T_TMP/lrp.conf"

fds() { ls "/proc/$LRP_PID/fd" 2>/dev/null | wc -l; }
children() { in_ns srv pgrep -c -P "$PPTPD_PID"; }
base_fds=$(fds)

run_bg flooder ip netns exec "$(ns cli1)" "$TOOLS/flooder" "$LAN_LRP:1723" --half-open 1000 --slow 50 \
	--message sccrq --every 1000 --reconnect --seconds 40 --ready "$T_TMP/ready"
flooder=$BG_PID
wait_for 20 test -s "$T_TMP/ready" || diag "the flooder did not open its 1050 connections within 20 s"
sleep 2	# the flood runs 2 s before it is measured: the scenario, not a wait
n_flood=$(children)
diag "flood: the LRP holds $(fds) descriptors (baseline $base_fds); pptpd has $n_flood child processes"

served_within 5000 "a real pptp client is served through the LRP during the flood" \
	pptp_client cli2 "$LAN_LRP" -n 1 -m 2 -t 8

check "the LRP logs the limit, naming a flooding client" \
	wait_for 5 lrp_log_has 'max-pending 50 clients have not sent their first message; closed the oldest from the address with the most waiting, client 10\.40\.1\.11:[0-9]+'
held=$(fds)
# each waiting client is one descriptor (no tunnel yet); closed ones
# linger until the flooder sees our FIN
check "the LRP holds about max-pending (50) waiting clients ($held descriptors, baseline $base_fds)" \
	test "$held" -le $((base_fds + 50 + 50))
check "no tunnel was opened for a flooding client: pptpd started no session process ($n_flood)" \
	test "$n_flood" -eq 0
check "the LRP's status shows the waiting clients as first-message" \
	eval 'lrp_status | grep -q "first-message"'

stop_flooder 10 "the LRP"
check "the LRP is still running" kill -0 "$LRP_PID"
out=$(pptp_client cli2 "$LAN_LRP" -n 1 -m 2 -t 8 2>&1)
check "and a real client is still served through it after it all" test $? -eq 0
t_finish
