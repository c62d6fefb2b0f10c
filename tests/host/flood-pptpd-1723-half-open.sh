#!/bin/bash
# 1000 connections to pptpd's port 1723 that never send their first packet
# (and 50 that trickle it a byte a second) do not lock out a real client:
# it is served within 5 s while they keep coming, pptpd keeps at most
# max-pending of them (closing the oldest from the busiest address, with a
# log line naming the peer and the limit), starts no process for any of
# them, and its descriptors are back to where they were once the flood
# stops.  Upstream's manager waited up to stimeout seconds for each one's
# first packet and served nothing else meanwhile (patches/0011).
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare
t_init
plan 8

ns_add srv
ns_add cli
ns_link srv 10.41.0.1/24 cli 10.41.0.2/24
write_pptpd_conf "$T_TMP/pptpd.conf" "stimeout 10" "max-pending 50"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

fds() { ls "/proc/$PPTPD_PID/fd" 2>/dev/null | wc -l; }
children() { in_ns srv pgrep -c -P "$PPTPD_PID"; }
base_fds=$(fds)

run_bg flooder ip netns exec "$(ns cli)" "$TOOLS/flooder" 10.41.0.1:1723 --half-open 1000 --slow 50 \
	--message sccrq --every 1000 --reconnect --seconds 40 --ready "$T_TMP/ready"
flooder=$BG_PID
wait_for 20 test -s "$T_TMP/ready" || diag "the flooder did not open its 1050 connections within 20 s"
sleep 2	# the flood runs 2 s before it is measured: the scenario, not a wait
diag "flood: pptpd holds $(fds) descriptors (baseline $base_fds), $(children) child processes"

served_within 5000 "a real pptp client is served during the flood" \
	pptp_client cli 10.41.0.1 -n 1 -m 2 -t 8

check "pptpd logs the limit, naming a flooding peer" \
	wait_for 5 log_has 'MGR: max-pending 50 connections wait for their first message; closed the oldest from the address with the most waiting, 10\.41\.0\.2:[0-9]+'
held=$(fds)
check "pptpd holds at most max-pending (50) waiting connections ($held descriptors, baseline $base_fds)" \
	test "$held" -le $((base_fds + 50 + 2))
n=$(children)
check "no process was started for a flooding connection ($n children of the manager)" \
	test "$n" -eq 0

# (a connection whose peer vanished without a FIN or RST - the flooder's
# kernel dropped some on the floor - goes at its stimeout deadline)
stop_flooder 15 pptpd
check "the manager is still running" kill -0 "$PPTPD_PID"

# A trickled Start-Control-Connection-Request that does arrive whole is
# served like any other: the manager waits for the whole message, not
# for the first byte.
started() { grep -c 'CTRL: Client 10\.41\.0\.2 control connection started' "$LOGFILE"; }
before=$(started)
run_bg trickle ip netns exec "$(ns cli)" "$TOOLS/flooder" 10.41.0.1:1723 --slow 1 --message sccrq --every 5 --seconds 4
trickle=$BG_PID
check "a client whose first packet trickles in (a byte every 5 ms) gets pptpctrl once it is whole" \
	wait_for 6 eval '[ "$(started)" -gt "$before" ]'
wait "$trickle" 2>/dev/null
out=$(pptp_client cli 10.41.0.1 -n 1 -m 2 -t 8 2>&1)
check "and a real client is still served after it all" test $? -eq 0
t_finish
