#!/bin/bash
# A PPTP client gone wrong, played by an independent crafter (scapy, from
# the RFC's layouts, tests/host/hostile/), at the LRP's TCP 1723: a wrong
# magic cookie, length fields that lie (smaller or bigger than the message,
# below 12, above 220), a message cut short then the connection closed, an
# unknown message type, and messages out of order (Outgoing-Call-Request
# before Start-Control-Connection-Request, a second SCCRQ, a second OCRQ,
# Set-Link-Info before a call and for another call, Call-Clear-Request for
# another call).  Each ends that client's session with a log line naming
# the client and the cause; a repeated OCRQ never reaches pptpd (no second
# ppp); a bystander's call keeps answering echoes throughout; afterwards
# lrp holds as many descriptors as before, pptpd runs as many pptpctrl and
# ppp as before, and a new call works.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/host/hostile/lib.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
require_scapy
t_init
plan 21

nat_topology 2
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

# the bystander: a call held (and echoed every 200 ms) until told to end
run_bg good pptp_client cli1 "$LAN_LRP" -n 3 -m 20 -H 300 -E 200 -t 320
good=$BG_PID
wait_for 15 eval 'lrp_status | grep -q "^1 .* call-up "' || diag "the bystander's call did not come up"
# its pptpctrl and its ppp program (a pptpctrl's fork keeps the name
# until it execs the ppp program)
wait_for 5 eval '[ "$(ns_procs srv pptpctrl)" -eq 1 ] && [ "$(ns_procs srv ppp-standin)" -eq 1 ]' ||
	diag "the bystander's call runs $(ns_procs srv pptpctrl) pptpctrl and $(ns_procs srv ppp-standin) ppp, not one each"
fd_base=$(fd_count "$LRP_PID")
ctrl_base=$(ns_procs srv pptpctrl)
ppp_base=$(ns_procs srv ppp-standin)
diag "baseline: lrp holds $fd_base descriptors; pptpd runs $ctrl_base pptpctrl, $ppp_base ppp"

# hostile CASE PATTERN DESCRIPTION: the crafter plays CASE from cli2; the
# LRP must log "client 10.40.1.12:PORT: PATTERN; closing" and close it.
hostile() {
	local case=$1 pattern=$2 what=$3 out port
	out=$(craft cli2 lrp-ctrl "$LAN_LRP" 1723 "$case" --hold 1.5)
	port=$(craft_port "$out")
	if [ -n "$port" ] && echo "$out" | grep -qx closed-by-peer &&
	   wait_for 5 lrp_log_has "client 10\.40\.1\.12:$port: $pattern; closing"; then
		ok "$what: closed, logged: $(grep -E -m1 "client 10\.40\.1\.12:$port: $pattern" "$LRP_LOG" | sed 's/^lrp: //')"
	else
		diag "$out" "wanted: client 10.40.1.12:$port: $pattern"
		diag "$(grep -E "10\.40\.1\.12:${port:-x}" "$LRP_LOG")"
		not_ok "$what: closed and logged"
	fi
}

hostile bad-magic "malformed control message from the client: magic cookie is not 0x1a2b3c4d" \
	"a wrong magic cookie"
hostile length-smaller "malformed control message from the client: Start-Control-Connection-Request of 16 bytes \(RFC 2637 says 156\)" \
	"a length field smaller than the message (16 for a 156-byte SCCRQ)"
hostile length-bigger "malformed control message from the client: Start-Control-Connection-Request of 200 bytes \(RFC 2637 says 156\)" \
	"a length field bigger than the message (200 for a 156-byte SCCRQ)"
hostile length-below-minimum "the client lost PPTP framing \(length field 8 outside 12\.\.220\)" \
	"a length field below the header's 12 bytes"
hostile length-above-maximum "the client lost PPTP framing \(length field 1000 outside 12\.\.220\)" \
	"a length field above the largest message"
hostile truncated "the client closed its control connection in the middle of a control message \(100 bytes of it\)" \
	"100 bytes of a 156-byte message, then the client hangs up"
hostile unknown-type "malformed control message from the client: unknown control message type" \
	"control message type 42"
hostile ocrq-first "out-of-order control message from the client: Outgoing-Call-Request before Start-Control-Connection-Request" \
	"an Outgoing-Call-Request before Start-Control-Connection-Request"
hostile sccrq-twice "out-of-order control message from the client: a second Start-Control-Connection-Request" \
	"a second Start-Control-Connection-Request"
hostile sli-before-call "out-of-order control message from the client: Set-Link-Info for an unknown call \(Peer Call ID 7\)" \
	"a Set-Link-Info before any call"
hostile sli-unknown-call "out-of-order control message from the client: Set-Link-Info for an unknown call \(Peer Call ID [0-9]+\)" \
	"a Set-Link-Info naming another call"
hostile ccrq-unknown-call "out-of-order control message from the client: Call-Clear-Request for an unknown call \(Call ID 5911\)" \
	"a Call-Clear-Request naming another call"

# A second Outgoing-Call-Request: watch pptpd's processes while it comes.
reports_before=$(standin_reports | wc -l)
run_bg ocrq-twice craft cli2 lrp-ctrl "$LAN_LRP" 1723 ocrq-twice --hold 2
crafter=$BG_PID
watch_procs "$crafter" srv
wait "$crafter"
# a ppp program wrongly started for the second request would have had the
# crafter's hold and this second to show: nothing to wait for
sleep 1
out=$(cat "$T_TMP/ocrq-twice.out")
port=$(craft_port "$out")
reports_after=$(standin_reports | wc -l)
if echo "$out" | grep -qx closed-by-peer &&
   wait_for 5 lrp_log_has "client 10\.40\.1\.12:$port: out-of-order control message from the client: a second Outgoing-Call-Request \(Call ID 17219\) while call 16962 exists; closing"; then
	ok "a second Outgoing-Call-Request: closed, logged: $(grep -E -m1 "10\.40\.1\.12:$port: out-of-order" "$LRP_LOG" | sed 's/^lrp: //')"
else
	diag "$out"
	not_ok "a second Outgoing-Call-Request: closed and logged"
fi
check "one ppp program started for the first OCRQ and none for the second ($((reports_after - reports_before)) started; at most $MAX_CTRL pptpctrl and $MAX_PPP ppp at once, from $ctrl_base and $ppp_base)" \
	test "$((reports_after - reports_before))" -eq 1 -a "$MAX_CTRL" -le $((ctrl_base + 1)) -a "$MAX_PPP" -le $((ppp_base + 1))

# Back to the baseline: one session, its descriptors, its processes.
check "lrp is back to the bystander's session alone" settled lrp_sessions 1
check "lrp holds as many descriptors as before ($fd_base)" settled "fd_count $LRP_PID" "$fd_base"
check "pptpd runs as many pptpctrl as before ($ctrl_base)" settled "ns_procs srv pptpctrl" "$ctrl_base"
check "and as many ppp as before ($ppp_base)" settled "ns_procs srv ppp-standin" "$ppp_base"

# end the bystander's hold: its echoes must all have been answered
end_hold cli1 "$good"
rc=$?
diag "$(cat "$T_TMP/good.out")"
check "the bystander's call, echoed every 200 ms throughout, passed all its checks" test "$rc" -eq 0
check_redial cli1
check "lrp is still running" kill -0 "$LRP_PID"
t_finish
