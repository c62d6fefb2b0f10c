#!/bin/bash
# A burst of real clients is served whole: when a server restarts or an
# office's WAN comes back, every client redials at once.  For each of
# pptpd's 1723, rrp-listen and the LRP's 1723 (their pending bound at its
# default, 100): 1000 connections from 50 source addresses, all started at
# once, each sending its whole first message (a Start-Control-Connection-
# Request, or the tunnel's HELLO) as soon as it is connected.  Every one
# must get its answer (a Start-Control-Connection-Reply "success" from
# pptpctrl or through the LRP's tunnel, or pptpd's CHALLENGE), and none
# may be closed to make room for another: only connections that stay
# silent past a grace are.  (Before, a listener that accepted faster than
# it read closed connections whose first message was already in their
# socket: the benchmark's 200 sessions at once lost most of theirs.)
# Under the sanitizers, where every pptpctrl and session process takes
# a tenth of a second of CPU to start, pptpd's bursts are 200 (4 from each
# address), still twice the bound.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd unshare
t_init
plan 9

BURST_ADDRS=50
BURST_PER=20
BURST_N=$((BURST_ADDRS * BURST_PER))
PPTPD_PER=$BURST_PER
[ "$T_SAN" = 1 ] && PPTPD_PER=4
PPTPD_N=$((BURST_ADDRS * PPTPD_PER))

# srv: pptpd (1723 and rrp-listen); lrp: an LRP and the RRP its tunnels
# go to (bench-rrp-peer: any number of tunnels at once, SCCRQ -> SCCRP);
# lan: the clients, 50 addresses towards each
ns_add srv
ns_add lrp
ns_add lan
ns_link srv 10.45.0.1/16 lan 10.45.0.2/16
ns_link lrp 10.46.0.1/16 lan 10.46.0.2/16
for i in $(seq 1 $BURST_ADDRS); do
	ip -n "$(ns lan)" addr add "10.45.1.$i/16" dev to-srv
	ip -n "$(ns lan)" addr add "10.46.1.$i/16" dev to-lrp
done

make_secret "$T_TMP/secret"
# a slot and an address for every client at once (they hang up as soon
# as they are answered, and pptpctrl with them)
cat >"$T_TMP/pptpd.conf" <<EOF
ppp $TOOLS/ppp-standin
connections $BURST_N
localip 192.168.77.1
remoteip 172.20.0.1-250,172.20.1.1-250,172.20.2.1-250,172.20.3.1-250
rrp-listen 10.45.0.1:1724
rrp-secret-file $T_TMP/secret
EOF
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

run_bg rrp-peer ip netns exec "$(ns lrp)" "$top_builddir/tests/bench/bench-rrp-peer" \
	-l 127.0.0.1:1725 -k "$T_TMP/secret"
peer=$BG_PID
wait_for 5 grep -q listening "$T_TMP/rrp-peer.out" || bail_out "bench-rrp-peer did not start"
LAN_LRP=10.46.0.1 write_lrp_conf "$T_TMP/lrp.conf" 127.0.0.1:1725 "max-sessions 2000" "log-level info"
start_lrp lrp "$T_TMP/lrp.conf"

# burst NAME TARGET FIRST_ADDR PER_ADDRESS MESSAGE [OPTIONS]: the burst's
# counts go to the log
burst() {
	local out rc
	out=$(ip netns exec "$(ns lan)" "$TOOLS/burst" "$2" --from "$3" --addresses $BURST_ADDRS \
		--per-address "$4" --message "$5" --timeout 90 "${@:6}")
	rc=$?
	diag "$1: $out"
	check "$1: all $((BURST_ADDRS * $4)) clients are served" test "$rc" -eq 0
}

burst pptpd-1723 10.45.0.1:1723 10.45.1.1 $PPTPD_PER sccrq
check "pptpd-1723: none was closed to make room (no max-pending line)" \
	eval '! log_has "MGR: max-pending [0-9]+ connections wait for their first message; closed"'
check "pptpd-1723: pptpctrl started for every client" \
	eval '[ "$(grep -c "CTRL: Client 10\.45\.1\.[0-9]* control connection started" "$LOGFILE")" -eq '$PPTPD_N' ]'

# as a real LRP does: AUTH at once on CHALLENGE, served once WELCOME
# (from the tunnel's session process) verifies
burst rrp-listen 10.45.0.1:1724 10.45.1.1 $PPTPD_PER hello --secret "$T_TMP/secret"
check "rrp-listen: none was closed to make room (no rrp-max-pending line)" \
	eval '! log_has "RRP: rrp-max-pending [0-9]+ connections wait for their first message; closed"'

burst lrp-1723 10.46.0.1:1723 10.46.1.1 $BURST_PER sccrq
check "lrp-1723: none was closed to make room (no max-pending line)" \
	eval '! lrp_log_has "max-pending [0-9]+ clients have not sent their first message; closed"'
check "lrp-1723: none was closed to make room (lrp -S counts none)" \
	eval 'lrp_status | grep -q "closed to make room (max-pending) 0[,;]"'
check "lrp-1723: a tunnel was opened for every client (bench-rrp-peer accepted $BURST_N)" \
	eval 'kill -USR1 $peer && wait_for 5 grep -q "accepted='$BURST_N' " "$T_TMP/rrp-peer.out"'
t_finish
