#!/bin/bash
# An LRP that authenticates properly (the crafter computes the handshake
# with python's hmac from doc/tunnel-protocol.md section 6) and then sends
# what no client would: CTRL frames whose PPTP length field lies (bigger
# or smaller than the frame), a frame shorter than its message,
# Outgoing-Call-Request before Start-Control-Connection-Request, a second
# SCCRQ, a second OCRQ, Set-Link-Info for another call, and GRE for a Call
# ID that is not its call.  The control messages are refused with ERROR
# PAYLOAD and a log line naming the client, the LRP and the cause; a
# second OCRQ never reaches pptpctrl, so no second ppp starts; GRE for
# another call is dropped with a log line while the tunnel goes on
# serving.  A session held meanwhile is not disturbed; afterwards pptpd
# runs as many processes as before, its manager holds as many
# descriptors, and a new session works.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/host/hostile/lib.sh"
require_tier host
require_root
require_scapy
t_init
plan 17

ns_add srv
ns_add lrp
ns_link srv 10.16.0.1/24 lrp 10.16.0.2/24
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen 10.16.0.1:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
# the baseline: pptpd alone (the held session ends before the last checks)
wait_for 5 pptpd_listening srv || diag "pptpd's manager is not listening on 1723"
mgr_fd_base=$(fd_count "$PPTPD_PID")
pptpd_base=$(ns_procs srv pptpd)
diag "baseline: pptpd's manager holds $mgr_fd_base descriptors; $pptpd_base pptpd"
run_bg good rrp_client lrp -s 10.16.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.10:41000 \
	-n 3 -m 50 -H 45 -q
good=$BG_PID
wait_for 10 standin_count 1 || diag "the held session did not start"
# its pptpctrl and its ppp program (a pptpctrl's fork keeps the name
# until it execs the ppp program)
wait_for 5 eval '[ "$(ns_procs srv pptpctrl)" -eq 1 ] && [ "$(ns_procs srv ppp-standin)" -eq 1 ]' ||
	diag "the held session runs $(ns_procs srv pptpctrl) pptpctrl and $(ns_procs srv ppp-standin) ppp, not one each"
ctrl_base=$(ns_procs srv pptpctrl)
ppp_base=$(ns_procs srv ppp-standin)
diag "with the held session: $(ns_procs srv pptpd) pptpd, $ctrl_base pptpctrl, $ppp_base ppp"

who='client 192\.0\.2\.66:40666 via LRP 10\.16\.0\.2:[0-9]+'
# hostile CASE EXPECT PATTERN DESCRIPTION [CRAFT OPTIONS]
hostile() {
	local case=$1 expect=$2 pattern=$3 what=$4 out port
	shift 4
	out=$(craft lrp rrp 10.16.0.1 1724 "open-$case" --secret "$T_TMP/secret" "$@")
	port=$(craft_port "$out")
	# this connection's own line: the LRP's address names its port
	pattern="client 192\.0\.2\.66:40666 via LRP 10\.16\.0\.2:$port: $pattern"
	if echo "$out" | grep -qx welcome-verified && echo "$out" | grep -q "^$expect" &&
	   wait_for 5 log_has "$pattern"; then
		ok "$what: answered $expect, logged: $(grep -E "$pattern" "$LOGFILE" | tail -n 1 | sed 's/.*RRP: //')"
	else
		diag "$out" "wanted: $expect and $pattern"
		not_ok "$what: answered $expect, logged"
	fi
}

hostile ctrl-length-bigger "error PAYLOAD" "bad control message from the LRP: message shorter than its length field" \
	"a 156-byte CTRL whose PPTP length field says 168"
hostile ctrl-length-smaller "error PAYLOAD" "bad control message from the LRP: length field out of bounds or not the message's length" \
	"a 156-byte CTRL whose PPTP length field says 100"
hostile ctrl-frame-shorter "error PAYLOAD" "bad control message from the LRP: message shorter than its length field" \
	"a 100-byte CTRL frame holding the start of a 156-byte message"
hostile ocrq-first "error PAYLOAD" "out-of-order control message from the LRP: Outgoing-Call-Request before Start-Control-Connection-Request" \
	"Outgoing-Call-Request before Start-Control-Connection-Request"
hostile sccrq-twice "error PAYLOAD" "out-of-order control message from the LRP: a second Start-Control-Connection-Request" \
	"a second Start-Control-Connection-Request"
hostile sli-unknown-call "error PAYLOAD" "out-of-order control message from the LRP: Set-Link-Info for an unknown call \(Peer Call ID [0-9]+\)" \
	"a Set-Link-Info naming another call"

# A second Outgoing-Call-Request, with pptpd's processes counted meanwhile.
starts_before=$(standin_reports | wc -l)
run_bg ocrq-twice craft lrp rrp 10.16.0.1 1724 open-ocrq-twice --secret "$T_TMP/secret" --hold 2
crafter=$BG_PID
watch_procs "$crafter" srv
wait "$crafter"
out=$(cat "$T_TMP/ocrq-twice.out")
if echo "$out" | grep -q '^error PAYLOAD' &&
   wait_for 5 log_has "$who: out-of-order control message from the LRP: a second Outgoing-Call-Request \(Call ID 17219\) while call 16962 exists"; then
	ok "a second Outgoing-Call-Request: answered error PAYLOAD, logged: $(grep -E "$who: out-of-order.*second Outgoing" "$LOGFILE" | tail -n 1 | sed 's/.*RRP: //')"
else
	diag "$out"
	not_ok "a second Outgoing-Call-Request: answered error PAYLOAD, logged"
fi
# a ppp program wrongly started for the second request would have had the
# crafter's hold and this second to show: nothing to wait for
sleep 1
starts=$(( $(standin_reports | wc -l) - starts_before ))
check "one ppp program started for its call and none for the second OCRQ ($starts started; at most $MAX_CTRL pptpctrl and $MAX_PPP ppp at once, from $ctrl_base and $ppp_base)" \
	test "$starts" -eq 1 -a "$MAX_CTRL" -le $((ctrl_base + 1)) -a "$MAX_PPP" -le $((ppp_base + 1))

# GRE for a Call ID that is not the tunnel's call
out=$(craft lrp rrp 10.16.0.1 1724 open-gre-wrong-callid --secret "$T_TMP/secret" --count 9)
diag "$out"
if echo "$out" | grep -q '^sent 9 gre' &&
   wait_for 5 log_has "$who: GRE for Call ID [0-9]+, which is not this tunnel's call; dropped \(1 so far\)"; then
	ok "GRE for another Call ID: dropped, logged: $(grep -E -m1 "$who: GRE for Call ID" "$LOGFILE" | sed 's/.*RRP: //')"
else
	not_ok "GRE for another Call ID: dropped, logged"
fi
n=$(grep -cE "$who: GRE for Call ID" "$LOGFILE")
check "9 such packets cost $n log lines (1st, 2nd, 4th, 8th)" test "$n" -eq 4
check "and the tunnel went on serving: a PPTP echo answered after them" grep -qx echo-reply <<<"$out"
check "the tunnel's end counted them" \
	wait_for 5 log_has "$who: tunnel closed; .*GRE for another call 9,"

wait "$good"
rc=$?
diag "$(cat "$T_TMP/good.out")"
check "the session held meanwhile passed all its checks" test "$rc" -eq 0
check "with every session over, pptpd runs its manager alone again ($pptpd_base pptpd, no pptpctrl, no ppp)" \
	eval 'settled "ns_procs srv pptpd" "$pptpd_base" && settled "ns_procs srv pptpctrl" 0 && settled "ns_procs srv ppp-standin" 0'
check "and the manager holds as many descriptors as before ($mgr_fd_base)" settled "fd_count $PPTPD_PID" "$mgr_fd_base"
out=$(rrp_client lrp -s 10.16.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.11:41001 -n 2 -m 10 -q 2>&1)
check "a new session works afterwards" test $? -eq 0
check "pptpd's manager is still running" kill -0 "$PPTPD_PID"
t_finish
