#!/bin/bash
# An LRP gone wrong, played by an independent crafter (scapy and python's
# hmac, from doc/tunnel-protocol.md alone), at pptpd's rrp-listen: a HELLO
# with the wrong magic, an unknown version, a length below HELLO's, a
# length of 65535, a header promising more than comes; an AUTH whose MAC
# is wrong; and a real LRP's handshake, captured with tcpdump and replayed
# byte for byte (its AUTH MAC covers a server nonce this connection never
# had).  Each is refused with the ERROR the protocol names and a log line
# naming the LRP and the cause; a call through the real LRP held meanwhile
# is not disturbed; afterwards pptpd's manager holds as many descriptors
# and runs as many processes as before, and a new call works.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/host/hostile/lib.sh"
require_tier host
require_root
require_cmd pptp unshare iptables tcpdump
require_scapy
t_init
plan 13

nat_topology 1
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

# a real LRP's handshake on the wire, for the replay
start_capture lrp to-nat lrp-rrp "tcp port 1724"
cap=$CAP_PID
run_bg good pptp_client cli1 "$LAN_LRP" -n 2 -m 10 -H 300 -t 320
good=$BG_PID
wait_for 15 eval 'lrp_status | grep -q "^1 .* call-up "' || diag "the held call did not come up"
stop_capture "$cap" lrp-rrp
# its pptpctrl and its ppp program (a pptpctrl's fork keeps the name
# until it execs the ppp program)
wait_for 5 eval '[ "$(ns_procs srv pptpctrl)" -eq 1 ] && [ "$(ns_procs srv ppp-standin)" -eq 1 ]' ||
	diag "the held call runs $(ns_procs srv pptpctrl) pptpctrl and $(ns_procs srv ppp-standin) ppp, not one each"
mgr_fd_base=$(fd_count "$PPTPD_PID")
pptpd_base=$(ns_procs srv pptpd)
ctrl_base=$(ns_procs srv pptpctrl)
ppp_base=$(ns_procs srv ppp-standin)
diag "baseline: pptpd's manager holds $mgr_fd_base descriptors; $pptpd_base pptpd, $ctrl_base pptpctrl, $ppp_base ppp"

# hostile CASE EXPECT PATTERN DESCRIPTION [CRAFT OPTIONS]: the crafter in
# the LRP's namespace (through the NAT: pptpd sees it as 10.40.3.1).
hostile() {
	local case=$1 expect=$2 pattern=$3 what=$4 out port
	shift 4
	out=$(craft lrp rrp "$SRV_ADDR" 1724 "$case" --secret "$T_TMP/secret" "$@")
	port=$(craft_port "$out")
	# this connection's own line (the NAT keeps the crafter's port)
	pattern="tunnel from LRP 10\.40\.3\.1:$port: $pattern"
	if echo "$out" | grep -q "^$expect" && wait_for 5 log_has "$pattern"; then
		ok "$what: answered $expect, logged: $(grep -E "$pattern" "$LOGFILE" | tail -n 1 | sed 's/.*RRP: //')"
	else
		diag "$out" "wanted: $expect and $pattern"
		not_ok "$what: answered $expect, logged"
	fi
}

hostile hello-bad-magic "error MAGIC" "bad HELLO: HELLO without the protocol magic" \
	"a HELLO with magic PPTP instead of PRRP"
hostile hello-bad-version "error VERSION" "no common protocol version: offered versions 2\.\.3, this RRP speaks 1\.\.1" \
	"a HELLO offering versions 2..3"
hostile hello-length-short "error LENGTH" "waiting for HELLO: bad frame header: length out of bounds" \
	"a HELLO of 39 bytes"
hostile hello-length-huge "error LENGTH" "waiting for HELLO: bad frame header: length out of bounds" \
	"a HELLO header announcing 65535 bytes"
hostile hello-length-lies "eof" "closed by the LRP waiting for HELLO" \
	"a HELLO header promising 40 bytes, 20 sent, then the peer hangs up"
hostile auth-wrong-mac "error AUTH" "authentication failed" \
	"an AUTH whose MAC has one bit wrong"
n_auth=$(grep -c "authentication failed" "$LOGFILE")
hostile replay "error AUTH" "authentication failed" \
	"a real LRP's HELLO and AUTH replayed from the capture" --pcap "$T_TMP/lrp-rrp.pcap"
check "the replay was refused by its own log line (authentication failures $n_auth -> $(grep -c "authentication failed" "$LOGFILE"))" \
	test "$(grep -c "authentication failed" "$LOGFILE")" -eq $((n_auth + 1))

check "pptpd's manager holds as many descriptors as before ($mgr_fd_base)" settled "fd_count $PPTPD_PID" "$mgr_fd_base"
check "pptpd runs as many pptpd, pptpctrl and ppp processes as before ($pptpd_base, $ctrl_base, $ppp_base)" \
	eval 'settled "ns_procs srv pptpd" "$pptpd_base" && settled "ns_procs srv pptpctrl" "$ctrl_base" && settled "ns_procs srv ppp-standin" "$ppp_base"'

end_hold cli1 "$good"
rc=$?
diag "$(cat "$T_TMP/good.out")"
check "the call held through the real LRP meanwhile passed all its checks" test "$rc" -eq 0
check_redial cli1
check "pptpd's manager is still running" kill -0 "$PPTPD_PID"
t_finish
