#!/bin/bash
# pptpd answers a client's Call-Clear-Request with Call-Disconnect-Notify
# (RFC 2637 2.12-2.13), carrying the Call ID of its Outgoing-Call-Reply and
# result code 4, "disconnected by request" (patches/0012: upstream closed
# the connection without a word).  Seen on the wire, on the server's side.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd tcpdump tshark
require_pptp_raw_client
t_init
plan 3

ns_add srv
ns_add cli
ns_link srv 10.23.0.1/24 cli 10.23.0.2/24
write_pptpd_conf "$T_TMP/pptpd.conf"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
start_capture srv to-cli ctrl "tcp port 1723"
cap=$CAP_PID

out=$(pptp_raw_client cli -i 4660 -n 2 -t 10 10.23.0.1 2>&1)
rc=$?
diag "$out"
check "the client's call worked and it hung up with Call-Clear-Request" test "$rc" -eq 0
stop_capture "$cap" ctrl

msgs=$(pptp_ctrl_stream "$T_TMP/ctrl.pcap" 10.23.0.1 10.23.0.2)
diag "pptpd sent (type, word at 12, bytes at 14 and 16):" "$msgs"
ocrp_cid=$(echo "$msgs" | awk '$1 == 8 { print $2; exit }')
cdn=$(echo "$msgs" | awk '$1 == 13 { print; exit }')
check "pptpd sent Call-Disconnect-Notify after the Call-Clear-Request" test -n "$cdn"
check "with its call's Call ID ($ocrp_cid) and result code 4 (by request): '$cdn'" \
	test -n "$ocrp_cid" -a "$(echo "$cdn" | awk '{ print $2, $3 }')" = "$ocrp_cid 4"
t_finish
