#!/bin/bash
# What a client sends is checked before it reaches pptpd, and one client's
# garbage ends only its own session:
#   - a control message with a bad magic cookie, a length field of 5, or a
#     size wrong for its type ends that session with a log line naming the
#     problem: sent first, before any tunnel is opened for it (pptpd never
#     hears of it; tests/host/lrp-garbage-first-message-opens-no-tunnel.sh
#     has more such first messages); after a good Start-Control-
#     Connection-Request, pptpd only sees the tunnel closed (PEER_GONE);
#   - GRE carrying the LRP Call ID of another client's session, from a
#     different address (spoofed), is dropped and counted ("spoofed
#     source" in `lrp -S`), and never reaches that session's ppp;
#   - GRE with a Call ID no session has is counted too;
# while another client's call through the same LRP carries on unaffected.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
require_pptp_raw_client
t_init
plan 11

nat_topology 3
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

# the good client: a call held while everything below happens, then a
# second round of data to show it still works
run_bg good pptp_client cli1 "$LAN_LRP" -n 3 -m 50 -H 14 -t 20
good=$BG_PID
wait_for 10 eval 'lrp_status | grep -q "^1 .* call-up "' || diag "the good call did not come up"

# bad_case MODE LOGPATTERN DESCRIPTION [CTRL_RX GOOD]: a client in cli2
# sends the MODE's message; the LRP must close it and log LOGPATTERN for
# it; the client must have received CTRL_RX (default nothing) and pptpd
# GOOD control messages, then the tunnel's end with PEER_GONE; without
# GOOD (a first message) pptpd must not have heard of the client at all
bad_case() {
	local mode=$1 pattern=$2 what=$3 rx=${4:--} good=${5:-} out port
	out=$(pptp_raw_client cli2 -M "$mode" -t 5 "$LAN_LRP" 2>&1)
	port=$(echo "$out" | sed -n 's/.* from port \([0-9]*\): the server closed.*/\1/p')
	if [ -z "$good" ] && [ -n "$port" ] && echo "$out" | grep -q "ctrl-rx $rx$" &&
	   wait_for 3 lrp_log_has "client 10\.40\.1\.12:$port: $pattern; closing, no tunnel opened" &&
	   ! log_has "client 10\.40\.1\.12:$port via LRP"; then
		ok "$what: session ended, no tunnel opened, logged: $(grep -E -m1 "client 10\.40\.1\.12:$port: $pattern" "$LRP_LOG" | sed 's/^lrp: //')"
	elif [ -n "$good" ] && [ -n "$port" ] && echo "$out" | grep -q "ctrl-rx $rx$" &&
	   wait_for 3 lrp_log_has "client 10\.40\.1\.12:$port: $pattern; closing" &&
	   wait_for 3 log_has "RRP: client 10\.40\.1\.12:$port via LRP .*: tunnel closed by the LRP: other side went away \(5\) \"client (sent a malformed control message|broke PPTP framing)\"" &&
	   wait_for 3 log_has "RRP: client 10\.40\.1\.12:$port via LRP .*: tunnel closed; control $good from / "; then
		ok "$what: session ended, pptpd got $good control messages, logged: $(grep -E -m1 "client 10\.40\.1\.12:$port: $pattern" "$LRP_LOG" | sed 's/^lrp: //')"
	else
		diag "$out" "log pattern: $pattern"
		not_ok "$what: session ended and logged, ${good:+pptpd got $good control messages}${good:-no tunnel opened}"
	fi
}
bad_case bad-magic "malformed control message from the client: magic cookie is not 0x1a2b3c4d" \
	"a control message with a bad magic cookie"
bad_case bad-length "the client lost PPTP framing \(length field 5 outside 12\.\.220\)" \
	"a length field of 5"
bad_case bad-size "malformed control message from the client: Echo-Request of 20 bytes \(RFC 2637 says 16\)" \
	"an Echo-Request 4 bytes too long"
bad_case bad-magic:started "malformed control message from the client: magic cookie is not 0x1a2b3c4d" \
	"a bad magic cookie after a good Start-Control-Connection-Request (then told Stop-Control-Connection-Request)" \
	"2r1,3" 1

# GRE: spoofed from cli3 with the good session's LRP Call ID, and unknown
table=$(lrp_status)
cid=$(echo "$table" | awk '$1 == 1 { print $4 }')
up_before=$(echo "$table" | awk '$1 == 1 { print $10 }')
spoofed_before=$(echo "$table" | sed -n 's/.*spoofed source \([0-9]*\),.*/\1/p')
unknown_before=$(echo "$table" | sed -n 's/.*unknown Call ID \([0-9]*\),.*/\1/p')
unknown=1
while echo "$table" | awk -v c="$unknown" '$4 == c { f = 1 } END { exit !f }'; do unknown=$((unknown + 1)); done
out=$(pptp_raw_client cli3 -G 10 -i "$cid" "$LAN_LRP" 2>&1)
diag "spoofed: $out"
out=$(pptp_raw_client cli3 -G 7 -i "$unknown" "$LAN_LRP" 2>&1)
diag "unknown: $out"
# the LRP reads them from its capture: wait until it has counted them all
counter() { lrp_status | sed -n "s/.*$1 \([0-9]*\),.*/\1/p"; }
wait_for 5 eval '[ "$(counter "spoofed source")" -ge $((spoofed_before + 10)) ] &&
	[ "$(counter "unknown Call ID")" -ge $((unknown_before + 7)) ]' ||
	diag "the LRP did not count the 10 spoofed and 7 unknown within 5 s"
table=$(lrp_status)
diag "$table"
spoofed=$(echo "$table" | sed -n 's/.*spoofed source \([0-9]*\),.*/\1/p')
unknown_n=$(echo "$table" | sed -n 's/.*unknown Call ID \([0-9]*\),.*/\1/p')
up_after=$(echo "$table" | awk '$1 == 1 { print $10 }')
check "10 GRE packets with session 1's Call ID $cid from another address are counted as spoofed ($spoofed_before -> $spoofed)" \
	test "$((spoofed - spoofed_before))" -eq 10
check "and did not go up session 1's tunnel (GRE up $up_before -> $up_after)" test "$up_after" = "$up_before"
check "7 GRE packets with Call ID $unknown, which no session has, are counted as unknown ($unknown_before -> $unknown_n)" \
	test "$((unknown_n - unknown_before))" -eq 7

wait "$good"
rc=$?
diag "$(cat "$T_TMP/good.out")"
check "the good client's call, held throughout, passed all its checks" test "$rc" -eq 0
report=$(standin_for 10.40.1.11)
wait_for 5 grep -q '^end: ' "$report" || true
diag "$(cat "$report")"
check "its ppp never saw the spoofed packets (answered exactly its 3 LCP echoes)" \
	grep -qx 'lcp-echo-answered: 3' "$report"
out=$(pptp_client cli1 "$LAN_LRP" -n 2 -m 20 2>&1)
check "and a new call works afterwards" test $? -eq 0
diag "$out"
check "lrp is still running" kill -0 "$LRP_PID"
t_finish
