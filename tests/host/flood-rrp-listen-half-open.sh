#!/bin/bash
# 1000 connections to rrp-listen that never send a HELLO (and 50 that
# trickle one a byte a second) do not lock out a real LRP: its tunnel is
# served within 5 s while they keep coming.  pptpd keeps at most
# rrp-max-pending of them in its manager (closing the oldest from the
# busiest address, with a log line naming the peer and the limit), gives
# none of them a connection slot or a session process, and its descriptors
# are back to where they were once the flood stops.  (Without patches/0011
# each one took a slot and a process until rrp-handshake-timeout: a real
# LRP got CLOSE FULL.)  Then 200 peers that send a whole HELLO and stall:
# the manager runs the handshake itself, so they get no slot and no
# process either, and a real LRP is served meanwhile.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd unshare
t_init
plan 10

ns_add srv
ns_add lrp
ns_link srv 10.42.0.1/24 lrp 10.42.0.2/24
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" \
	"rrp-listen 10.42.0.1:1724" \
	"rrp-secret-file $T_TMP/secret" \
	"rrp-handshake-timeout 5" \
	"rrp-max-pending 50"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

fds() { ls "/proc/$PPTPD_PID/fd" 2>/dev/null | wc -l; }
children() { in_ns srv pgrep -c -P "$PPTPD_PID"; }
base_fds=$(fds)

run_bg flooder ip netns exec "$(ns lrp)" "$TOOLS/flooder" 10.42.0.1:1724 --half-open 1000 --slow 50 \
	--message hello --every 1000 --reconnect --seconds 40 --ready "$T_TMP/ready"
flooder=$BG_PID
wait_for 20 test -s "$T_TMP/ready" || diag "the flooder did not open its 1050 connections within 20 s"
sleep 2	# the flood runs 2 s before it is measured: the scenario, not a wait
n_flood=$(children)
diag "flood: pptpd holds $(fds) descriptors (baseline $base_fds), $n_flood child processes"

served_within 5000 "a real LRP's tunnel session is served during the flood" \
	rrp_client lrp -s 10.42.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.30:43000 -n 1 -m 2 -t 8 -q

check "pptpd logs the limit, naming a flooding peer" \
	wait_for 5 log_has 'RRP: rrp-max-pending 50 connections wait for their first message; closed the oldest from the address with the most waiting, 10\.42\.0\.2:[0-9]+'
held=$(fds)
check "pptpd holds at most rrp-max-pending (50) waiting tunnels ($held descriptors, baseline $base_fds)" \
	test "$held" -le $((base_fds + 50 + 2))
check "no session process was started for a flooding connection ($n_flood children of the manager)" \
	test "$n_flood" -eq 0

# (a connection whose peer vanished without a FIN or RST goes at its
# rrp-handshake-timeout deadline)
stop_flooder 10 pptpd
check "the manager is still running" kill -0 "$PPTPD_PID"

# 200 peers that send a whole HELLO and then stall (no AUTH): the manager
# answers each with CHALLENGE and keeps it in its pending set, where only
# an authenticated tunnel leaves it.  (When the session process ran the
# handshake, each got a slot and a process at its HELLO, for up to
# rrp-handshake-timeout: 40 of them took every slot.)
run_bg stall ip netns exec "$(ns lrp)" "$TOOLS/flooder" 10.42.0.1:1724 --slow 200 --whole-first \
	--message hello --every 60000 --seconds 20 --ready "$T_TMP/ready-stall"
stall=$BG_PID
wait_for 20 test -s "$T_TMP/ready-stall" || diag "the staller did not open its 200 connections within 20 s"
sleep 1	# the stalled peers sit 1 s, time for a wrong slot or process to show
n_stall=$(children)
served_within 5000 "a real LRP is served while peers that sent HELLO stall" \
	rrp_client lrp -s 10.42.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.32:43000 -n 1 -m 2 -t 8 -q
check "no slot or session process for a peer that has not authenticated ($n_stall children of the manager)" \
	test "$n_stall" -eq 0
# (the flooder would hold them 20 s; their "handshake not completed
# within 5 s (waiting for AUTH)" lines share a rate limit with the first
# flood's, so the descriptors are what is checked)
check "pptpd closes the stalled ones at rrp-handshake-timeout: its descriptors are back to the baseline ($base_fds)" \
	wait_for 10 eval '[ "$(fds)" -le "$base_fds" ]'
kill -TERM "$stall" 2>/dev/null
wait "$stall" 2>/dev/null
diag "$(cat "$T_TMP/stall.out")"

out=$(rrp_client lrp -s 10.42.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.31:43000 -n 1 -m 2 -t 8 -q 2>&1)
check "and a real LRP is still served after it all" test $? -eq 0
t_finish
