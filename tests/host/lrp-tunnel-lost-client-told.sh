#!/bin/bash
# When a session's tunnel ends under it, the LRP tells the client the way a
# PPTP server would and closes its control connection, and logs why:
#   - pptpd's session process for the client dies (SIGKILL, no CLOSE): the
#     client gets Call-Disconnect-Notify (with the LRP's Call ID) and
#     Stop-Control-Connection-Request, then the connection closes;
#   - the path to the server goes dead (the NAT's uplink down): after
#     3 x keepalive without a frame, the same;
#   - the RRP refuses the tunnel (wrong secret in lrp's secret file):
#     the client's Start-Control-Connection-Request is answered with a
#     Start-Control-Connection-Reply "general error", then closed.
# A bystander's call through the same LRP is not disturbed by the first.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare tcpdump tshark iptables
require_pptp_raw_client
t_init
plan 13

nat_topology 3
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret" \
	"rrp-keepalive 1"
start_capture lrp to-lan lan
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724" "keepalive 1"
start_lrp lrp "$T_TMP/lrp.conf"

# cli1: its pptpd session process will die; cli2: its path will; cli3: a
# bystander whose call must survive the first (and is over before the
# second, which takes every tunnel's path)
run_bg c1 pptp_client cli1 "$LAN_LRP" -n 3 -m 20 -H 30 -t 40
c1=$BG_PID
run_bg c2 pptp_client cli2 "$LAN_LRP" -n 3 -m 20 -H 30 -t 40
c2=$BG_PID
run_bg c3 pptp_client cli3 "$LAN_LRP" -n 3 -m 20 -H 3 -t 40
c3=$BG_PID
wait_for 10 eval '[ "$(lrp_status | grep -c " call-up ")" -ge 3 ]' || diag "three calls did not come up"
table=$(lrp_status)
diag "$table"
cid1=$(echo "$table" | awk '$2 ~ /^10\.40\.1\.11:/ { print $4 }')
cid2=$(echo "$table" | awk '$2 ~ /^10\.40\.1\.12:/ { print $4 }')
port1=$(echo "$table" | awk '$2 ~ /^10\.40\.1\.11:/ { sub(".*:", "", $2); print $2 }')
port2=$(echo "$table" | awk '$2 ~ /^10\.40\.1\.12:/ { sub(".*:", "", $2); print $2 }')

# 1. pptpd's session process for cli1 is killed
sess1=$(sed -n "s/.*pptpd\[\([0-9]*\)\]: RRP: client 10\.40\.1\.11:$port1 via LRP .*: tunnel authenticated.*/\1/p" "$LOGFILE")
diag "cli1: 10.40.1.11:$port1, LRP Call ID $cid1, pptpd session process $sess1"
[ -n "$sess1" ] && kill -KILL "$sess1"
check "the LRP logs that the RRP closed cli1's tunnel, and tells the client" \
	wait_for 5 lrp_log_has "client 10\.40\.1\.11:$port1: the RRP at $SRV_ADDR:1724 closed the tunnel; telling the client and closing"
wait "$c1"
rc=$?
diag "cli1: $(cat "$T_TMP/c1.out")"
check "cli1's call ended in the middle of its hold (pptp-drive exit $rc)" \
	eval '[ "$rc" -ne 0 ] && grep -q "holding the call: the client closed its end" "$T_TMP/c1.out"'

wait "$c3"
rc=$?
diag "cli3: $(cat "$T_TMP/c3.out")"
check "cli3's call, up meanwhile, passed all its checks" test "$rc" -eq 0

# 2. the NAT's uplink goes down under cli2's tunnel
ip -n "$(ns nat)" link set to-srv down
t0=$(date +%s%N)
check "the LRP notices the dead path by its keepalive timeout and tells cli2" \
	wait_for 8 lrp_log_has "client 10\.40\.1\.12:$port2: nothing from the RRP for 3 s; closing"
ms=$((($(date +%s%N) - t0) / 1000000))
check "within about 3 x keepalive 1 s ($ms ms)" test "$ms" -le 6000
wait "$c2"
rc=$?
diag "cli2: $(cat "$T_TMP/c2.out")"
check "cli2's call ended in the middle of its hold (pptp-drive exit $rc)" \
	eval '[ "$rc" -ne 0 ] && grep -q "holding the call: the client closed its end" "$T_TMP/c2.out"'
ip -n "$(ns nat)" link set to-srv up


# 3. the RRP refuses the tunnel: lrp restarted with the wrong secret
kill -TERM "$LRP_PID"
wait "$LRP_PID"
make_secret "$T_TMP/wrong.secret"
write_lrp_conf "$T_TMP/lrp-wrong.conf" "$SRV_ADDR:1724" "secret-file $T_TMP/wrong.secret"
start_lrp lrp "$T_TMP/lrp-wrong.conf"
out=$(pptp_raw_client cli3 -t 5 "$LAN_LRP" 2>&1)
diag "$out"
check "a client of an LRP with the wrong secret gets Start-Control-Connection-Reply \"general error\"" \
	eval 'echo "$out" | grep -q "ctrl-rx 2r2$"'
check "the LRP logs the cause" \
	wait_for 3 lrp_log_has "client 10\.40\.1\.13:[0-9]+: the RRP reported an error: .*auth.*; telling the client and closing"
check "pptpd logs the failed authentication" \
	log_has "RRP: tunnel from LRP $NAT_WAN:[0-9]+: authentication failed"
start_client_logsink refused
out=$(pptp_client_syslog refused cli3 "$LAN_LRP" -n 1 -m 1 -t 5 2>&1)
rc=$?
diag "$out"
check "Debian's pptp client is refused too, and says why (pptp-drive exit $rc)" \
	eval '[ "$rc" -ne 0 ] && wait_for 2 grep -q "Reply result code is 2 .General Error" "$T_TMP/refused.syslog"'

stop_capture "$CAP_PID" lan
told() {	# told CLIENT_IP PORT LRP_CID: CDN with that Call ID, then StopCCRQ
	pptp_ctrl_stream "$T_TMP/lan.pcap" "$LAN_LRP" "$1" "$2" |
		awk -v cid="$3" '$1 == 13 && $2 == cid { cdn = 1 } $1 == 3 && cdn { stop = 1 } END { exit !stop }'
}
diag "to cli1: $(pptp_ctrl_stream "$T_TMP/lan.pcap" "$LAN_LRP" 10.40.1.11 "$port1" | xargs -d '\n' | sed 's/ /,/g')"
check "on the wire cli1 got Call-Disconnect-Notify for Call ID $cid1, then Stop-Control-Connection-Request" \
	told 10.40.1.11 "$port1" "$cid1"
check "on the wire cli2 got the same for Call ID $cid2" told 10.40.1.12 "$port2" "$cid2"
fins=$(tshark -r "$T_TMP/lan.pcap" -n -Y "ip.src == $LAN_LRP && tcp.srcport == 1723 && tcp.flags.fin == 1 && (tcp.dstport == $port1 || tcp.dstport == $port2)" 2>/dev/null | wc -l)
check "and then the LRP closed both control connections ($fins FINs)" test "$fins" -eq 2
t_finish
