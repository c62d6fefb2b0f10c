#!/bin/bash
# A client connected straight to pptpd's port 1723 (no LRP in between)
# is held to the order RFC 2637 gives its control messages, as the LRP and
# the RRP hold theirs (patches/0019, pptpd/pptpctrl_order.c; issue 20
# item 9).  The scapy crafter sends a second Start-Control-Connection-
# Request, a Set-Link-Info before any call and one naming another call, a
# Call-Clear-Request naming another Call ID, and one shorter than its type
# (the Call ID it names must be in it): upstream pptpctrl acted on each.
# Each must end that control connection with a log line naming the client
# (address and port) and the cause; a direct client's call held meanwhile
# keeps answering echoes, pptpd runs as many pptpctrl and ppp as before,
# and a session through an RRP tunnel (whose messages the session process
# checks, not pptpctrl) works from start to teardown.  (A first message
# that is not a whole Start-Control-Connection-Request never reaches
# pptpctrl: the manager drops it, pptpd/pptpd_pending.c.)
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/host/hostile/lib.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
require_scapy
t_init
plan 11

ns_add srv
ns_add cli1
ns_add cli2
ns_add lrp
ns_link srv 10.28.0.1/24 cli1 10.28.0.2/24
ns_link srv 10.28.1.1/24 cli2 10.28.1.2/24
ns_link srv 10.28.2.1/24 lrp 10.28.2.2/24
# the crafter has no GRE socket: drop pptpd's GRE quietly rather than
# answer it with ICMP protocol-unreachable, which would end its calls
in_ns cli2 iptables -A INPUT -p 47 -j DROP
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen 10.28.2.1:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

# the bystander: a direct call held (and echoed every 200 ms) until told
run_bg good pptp_client cli1 10.28.0.1 -n 3 -m 20 -H 300 -E 200 -t 320
good=$BG_PID
wait_for 15 standin_count 1 || diag "the bystander's call did not come up"
# its pptpctrl and its ppp program, and nothing else
wait_for 5 eval '[ "$(ns_ctrls srv)" -eq 1 ] && [ "$(ns_procs srv ppp-standin)" -eq 1 ]' ||
	diag "the bystander's call runs $(ns_ctrls srv) pptpctrl and $(ns_procs srv ppp-standin) ppp, not one each"
ctrl_base=$(ns_ctrls srv)
ppp_base=$(ns_procs srv ppp-standin)
diag "baseline: pptpd runs $ctrl_base pptpctrl, $ppp_base ppp"

# hostile CASE PATTERN DESCRIPTION: the crafter plays CASE from cli2;
# pptpctrl must log "CTRL: Client 10.28.1.2:PORT: PATTERN; closing" and
# close the control connection (with a call up, after waiting up to 5 s
# for a Stop-Control-Connection-Reply the crafter never sends).
hostile() {
	local case=$1 pattern=$2 what=$3 out port
	out=$(craft cli2 lrp-ctrl 10.28.1.1 1723 "$case" --timeout 15)
	port=$(craft_port "$out")
	if [ -n "$port" ] && echo "$out" | grep -qx closed-by-peer &&
	   wait_for 5 log_has "CTRL: Client 10\.28\.1\.2:$port: $pattern; closing"; then
		ok "$what: closed, logged: $(grep -E -m1 "CTRL: Client 10\.28\.1\.2:$port: $pattern" "$LOGFILE" | sed 's/.*CTRL: //')"
	else
		diag "$out" "wanted: CTRL: Client 10.28.1.2:$port: $pattern; closing"
		diag "$(grep -E "CTRL: .*10\.28\.1\.2" "$LOGFILE" | tail -n 5)"
		not_ok "$what: closed and logged"
	fi
}

hostile sccrq-twice "out-of-order control message from the client: a second Start-Control-Connection-Request" \
	"a second Start-Control-Connection-Request"
hostile sli-before-call "out-of-order control message from the client: Set-Link-Info for an unknown call \(Peer Call ID 7\)" \
	"a Set-Link-Info before any call"
hostile ccrq-unknown-call "out-of-order control message from the client: Call-Clear-Request for an unknown call \(Call ID 5911\)" \
	"a Call-Clear-Request naming another Call ID"
hostile sli-unknown-call "out-of-order control message from the client: Set-Link-Info for an unknown call \(Peer Call ID [0-9]+\)" \
	"a Set-Link-Info naming another call"
hostile ccrq-short "malformed control message from the client: Call-Clear-Request of 12 bytes \(RFC 2637 says 16\)" \
	"a Call-Clear-Request of its 12-byte header alone"

check "pptpd runs as many pptpctrl as before ($ctrl_base)" settled "ns_ctrls srv" "$ctrl_base"
check "and as many ppp as before ($ppp_base)" settled "ns_procs srv ppp-standin" "$ppp_base"
end_hold cli1 "$good"
rc=$?
diag "$(cat "$T_TMP/good.out")"
check "the direct bystander's call, echoed every 200 ms throughout, passed all its checks" test "$rc" -eq 0

out=$(rrp_client lrp -s 10.28.2.1:1724 -k "$T_TMP/secret" -c 192.0.2.28:40028 -n 3 -m 20 -q)
rc=$?
diag "$out"
check "a session through an RRP tunnel works from start to teardown (Set-Link-Info, Call-Clear-Request)" \
	test "$rc" -eq 0
check "pptpd logged no refusal but the crafter's five (none for the two real clients)" \
	eval '[ "$(grep -cE "CTRL: Client .*: (out-of-order|malformed) control message" "$LOGFILE")" -eq 5 ]'
check "pptpd is still running" kill -0 "$PPTPD_PID"
t_finish
