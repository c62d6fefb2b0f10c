#!/bin/bash
# The LRP opens a tunnel - and so a session process and a pptpctrl at
# pptpd - only for a client whose first message is a whole, valid
# Start-Control-Connection-Request.  A first message that is anything
# else: the two bytes ff ff (a length field of 65535), a length field of
# 11, an SCCRQ with a bad magic cookie, an Outgoing-Call-Request before
# any SCCRQ, is refused where it arrives: a log line names the client and
# the cause, the connection is closed (nothing is sent: no SCCRQ was
# made, so there is no Start-Control-Connection-Reply to give), and pptpd
# never hears of it (no "tunnel authenticated" nor pptpctrl in its log,
# no pptpctrl started meanwhile).  A bystander's call carries on, and a
# new call works afterwards.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/host/hostile/lib.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
require_pptp_raw_client
t_init
plan 7

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
ctrl_base=$(ns_ctrls srv)
diag "baseline: pptpd runs $ctrl_base pptpctrl"

# garbage MODE PATTERN DESCRIPTION: cli2 sends MODE's first message; the
# LRP must close the connection without a word and log "client
# 10.40.1.12:PORT: PATTERN; closing, no tunnel opened"; neither lrp nor
# pptpd may show a tunnel for that port, and no pptpctrl may start
garbage() {
	local mode=$1 pattern=$2 what=$3 out port
	run_bg "garbage-$mode" ip netns exec "$(ns cli2)" "$TOOLS/pptp-raw-client" -M "$mode" -t 5 "$LAN_LRP"
	watch_procs "$BG_PID" srv
	wait "$BG_PID"
	out=$(cat "$T_TMP/garbage-$mode.out")
	port=$(echo "$out" | sed -n 's/.* from port \([0-9]*\): the server closed.*/\1/p')
	if [ -n "$port" ] && echo "$out" | grep -q 'ctrl-rx -$' &&
	   wait_for 3 lrp_log_has "client 10\.40\.1\.12:$port: $pattern; closing, no tunnel opened" &&
	   wait_for 3 lrp_log_has "client 10\.40\.1\.12:$port: session ended" &&
	   ! lrp_log_has "client 10\.40\.1\.12:$port: (connected to the RRP|tunnel to .* open)" &&
	   ! log_has "client 10\.40\.1\.12:$port via LRP" &&
	   [ "$MAX_CTRL" -le "$ctrl_base" ]; then
		ok "$what: closed, no tunnel, no pptpctrl (at most $MAX_CTRL at once); logged: $(grep -E -m1 "client 10\.40\.1\.12:$port: $pattern" "$LRP_LOG" | sed 's/^lrp: //')"
	else
		diag "$out" "wanted: client 10.40.1.12:$port: $pattern; closing, no tunnel opened" \
			"at most $MAX_CTRL pptpctrl at once (baseline $ctrl_base)" \
			"lrp:" "$(grep -E "10\.40\.1\.12:${port:-x}" "$LRP_LOG")" \
			"pptpd:" "$(grep -E "10\.40\.1\.12:${port:-x}" "$LOGFILE")"
		not_ok "$what: closed and logged, no tunnel opened, no pptpctrl started"
	fi
}
garbage length-ffff "the client lost PPTP framing \(length field 65535 outside 12\.\.220\)" \
	"the two bytes ff ff"
garbage length-11 "the client lost PPTP framing \(length field 11 outside 12\.\.220\)" \
	"a Start-Control-Connection-Request whose length field says 11"
garbage sccrq-bad-magic "malformed control message from the client: magic cookie is not 0x1a2b3c4d" \
	"a Start-Control-Connection-Request with a bad magic cookie"
garbage ocrq-first "out-of-order control message from the client: Outgoing-Call-Request before Start-Control-Connection-Request" \
	"an Outgoing-Call-Request first"

check "pptpd's log names no tunnel but the bystander's" \
	test "$(grep -c 'RRP: client .* tunnel authenticated' "$LOGFILE")" -eq 1

end_hold cli1 "$good"
rc=$?
diag "$(cat "$T_TMP/good.out")"
check "the bystander's call, echoed every 200 ms throughout, passed all its checks" test "$rc" -eq 0
check_redial cli1
t_finish
