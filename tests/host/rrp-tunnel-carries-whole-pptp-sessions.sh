#!/bin/bash
# A tunnel client (tests/tools/rrp-client, independent of the LRP) opens
# tunnels to our pptpd's rrp-listen port and runs full PPTP sessions
# through them to the ppp stand-in: handshake, SCCRQ/SCCRP, OCRQ/OCRP, SLI,
# GRE both ways with sequence numbers, CCRQ, teardown.  pppd's argv must
# carry the client address the handshake asserted, not the tunnel's; no
# GRE may cross the network; IPv4 and IPv6 listeners both work.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd tcpdump tshark
t_init
plan 14

ns_add srv
ns_add lrp
ns_link srv 10.14.0.1/24 lrp 10.14.0.2/24
ip -n "$(ns srv)" addr add fd00:14::1/64 dev to-lrp nodad
ip -n "$(ns lrp)" addr add fd00:14::2/64 dev to-srv nodad
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" \
	"logwtmp" \
	"rrp-listen 10.14.0.1:1724" \
	"rrp-listen [fd00:14::1]:1724" \
	"rrp-secret-file $T_TMP/secret"
start_capture srv to-lrp wire
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
check "pptpd listens for tunnels on both addresses" \
	eval 'log_has "RRP: listening for LRP tunnels on 10.14.0.1:1724" && log_has "RRP: listening for LRP tunnels on \[fd00:14::1\]:1724"'

out=$(rrp_client lrp -s 10.14.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.77:40001 -n 10 -m 300 -q)
rc=$?
diag "$out"
check "a full PPTP session through an IPv4 tunnel: echoes and 300 data frames intact, in order, torn down with CLOSE" \
	test "$rc" -eq 0
check "GRE through the tunnel kept its sequence numbers (no gaps, nothing out of order)" \
	eval 'echo "$out" | grep -q "seq_gaps 0 ooo 0 bad_callid 0 bad_ack 0"'

report=$(standin_reports | head -n 1)
diag "$(cat "$report" 2>/dev/null)"
check "pppd's ipparam and remotenumber are the client's address from the handshake" \
	grep -q "ipparam 192.0.2.77 .*remotenumber 192.0.2.77" "$report"
check "the logwtmp plugin gets the client's address as pptpd-original-ip" \
	grep -q "plugin $top_builddir/pptpd/pptpd-logwtmp.so pptpd-original-ip 192.0.2.77 " "$report"
check "the stand-in was started by our pptpctrl" \
	grep -qx "parent-exe: $top_builddir/pptpd/pptpctrl" "$report"
check "pptpd's log names the client and the LRP" \
	log_has 'RRP: client 192\.0\.2\.77:40001 via LRP 10\.14\.0\.2:[0-9]+: tunnel authenticated'
check "pptpctrl's log names the client and the LRP" \
	log_has 'CTRL: Client 192\.0\.2\.77:40001 via LRP 10\.14\.0\.2:[0-9]+ \(RRP tunnel\)'
check "the session's end is logged with its counters" \
	log_has 'RRP: client 192\.0\.2\.77:40001 via LRP .*: tunnel closed; control [0-9]+ from / [0-9]+ to the LRP, GRE [0-9]+ from'

out=$(rrp_client lrp -s '[fd00:14::1]:1724' -k "$T_TMP/secret" -c 192.0.2.78:40002 -n 3 -m 50 -q)
rc=$?
diag "$out"
check "a session through an IPv6 tunnel" test "$rc" -eq 0
check "pptpd's log names the IPv6 LRP" \
	log_has 'RRP: client 192\.0\.2\.78:40002 via LRP \[fd00:14::2\]:[0-9]+: tunnel authenticated'

# Back to back: every session frees its slot and address.
ok_count=0
for i in 1 2 3; do
	rrp_client lrp -s 10.14.0.1:1724 -k "$T_TMP/secret" -c "192.0.2.$((80 + i)):4000$i" -n 1 -m 5 -q >/dev/null && ok_count=$((ok_count + 1))
done
check "three more sessions one after another all work ($ok_count/3)" test "$ok_count" -eq 3

wait_for 5 eval '[ "$(grep -c "tunnel closed" "$LOGFILE")" -ge 5 ]' || true
stop_capture "$CAP_PID" wire
summary=$("$LIB/pcap-summary" "$T_TMP/wire.pcap")
gre=$(echo "$summary" | grep -c '^gre' || true)
check "no GRE crossed the network between the tunnel client and pptpd ($gre GRE flows)" test "$gre" -eq 0
tunnel_packets=$(tshark -r "$T_TMP/wire.pcap" -Y 'tcp.port == 1724 && tcp.len > 0' 2>/dev/null | wc -l)
check "the sessions went over TCP port 1724 ($tunnel_packets data segments)" test "$tunnel_packets" -gt 100
t_finish
