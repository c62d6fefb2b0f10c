#!/bin/bash
# GRE gone wrong on the LAN, crafted with scapy's own enhanced-GRE layer
# and sent at the LRP's capture: GRE version 0, a protocol other than PPP,
# a GRE header cut short, a payload length that lies, a Call ID no session
# has, and a live session's Call ID from another host on the LAN and from
# a forged source address.  Each is dropped with a log line naming the
# sender and the cause (at most one a second per cause), counted in
# `lrp -S', and never reaches the live session's tunnel or its ppp; the
# live call keeps answering echoes throughout; afterwards lrp holds as
# many descriptors as before and a new call works.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/host/hostile/lib.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
require_scapy
t_init
plan 15

nat_topology 2
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

run_bg good pptp_client cli1 "$LAN_LRP" -n 3 -m 20 -H 300 -t 320
good=$BG_PID
wait_for 15 eval 'lrp_status | grep -q "^1 .* call-up "' || diag "the live call did not come up"
# the call's own echoes and data frames cross after call-up, and the GRE
# up counter read next must be past them; pptp-drive does not say when it
# starts holding the call, so there is nothing to wait for
sleep 1
fd_base=$(fd_count "$LRP_PID")
table=$(lrp_status)
diag "$table"
cid=$(echo "$table" | awk '$1 == 1 { print $4 }')
up_before=$(echo "$table" | awk '$1 == 1 { print $10 }')
counter() { lrp_status | sed -n "s/.*$1 \([0-9]*\),.*/\1/p"; }
unknown=1
while echo "$table" | awk -v c="$unknown" '$4 == c { f = 1 } END { exit !f }'; do unknown=$((unknown + 1)); done

# gre CASE CALLID SRC PATTERN DESCRIPTION: 5 packets from cli2 (source
# address SRC); lrp must log PATTERN for them.
gre() {
	local case=$1 callid=$2 src=$3 pattern=$4 what=$5 out
	sleep 1.1	# one line a second per cause: let the last one's second pass
	out=$(craft cli2 lrp-gre "$src" "$LAN_LRP" "$case" "$callid" 5)
	if echo "$out" | grep -q '^sent 5' && wait_for 5 lrp_log_has "$pattern"; then
		ok "$what: dropped, logged: $(grep -E "$pattern" "$LRP_LOG" | tail -n 1 | sed 's/^lrp: //')"
	else
		diag "$out" "wanted: $pattern"
		not_ok "$what: dropped and logged"
	fi
}

m0=$(counter malformed)
u0=$(counter "unknown Call ID")
s0=$(counter "spoofed source")
# the malformed cases carry the live session's Call ID, so only the
# header check stands between them and its tunnel
gre bad-version "$cid" 10.40.1.12 "GRE from 10\.40\.1\.12: malformed \(.*version.*\); dropped \([0-9]+ malformed so far\)" \
	"GRE version 0"
gre bad-protocol "$cid" 10.40.1.12 "GRE from 10\.40\.1\.12: malformed \(.*protocol.*\); dropped \([0-9]+ malformed so far\)" \
	"GRE protocol 0x0800 instead of PPP"
gre truncated "$cid" 10.40.1.12 "GRE from 10\.40\.1\.12: malformed \(.*(short|truncated).*\); dropped \([0-9]+ malformed so far\)" \
	"a GRE header of 6 bytes"
gre length-lies "$cid" 10.40.1.12 "GRE from 10\.40\.1\.12: malformed \(.*length.*\); dropped \([0-9]+ malformed so far\)" \
	"a GRE payload length of 400 on 12 bytes"
gre unknown-callid "$unknown" 10.40.1.12 "GRE from 10\.40\.1\.12: Call ID $unknown belongs to no session; dropped \([0-9]+ so far\)" \
	"Call ID $unknown, which no session has"
gre spoofed-source "$cid" 10.40.1.12 "GRE from 10\.40\.1\.12: Call ID $cid is session 1's \(client 10\.40\.1\.11:[0-9]+\): spoofed source; dropped \([0-9]+ so far\)" \
	"the live session's Call ID $cid from another host on the LAN"
gre spoofed-source "$cid" 10.40.1.99 "GRE from 10\.40\.1\.99: Call ID $cid is session 1's \(client 10\.40\.1\.11:[0-9]+\): spoofed source; dropped \([0-9]+ so far\)" \
	"the live session's Call ID from a forged source address"
# the LRP reads them from its capture: wait until it has counted them all
wait_for 5 eval '[ $(($(counter malformed) - m0)) -ge 20 ] && [ $(($(counter "unknown Call ID") - u0)) -ge 5 ] &&
	[ $(($(counter "spoofed source") - s0)) -ge 10 ]' || diag "the LRP did not count all 35 packets within 5 s"
m1=$(counter malformed)
u1=$(counter "unknown Call ID")
s1=$(counter "spoofed source")
up_after=$(lrp_status | awk '$1 == 1 { print $10 }')
check "lrp -S counted 20 malformed ($m0 -> $m1), 5 unknown ($u0 -> $u1), 10 spoofed ($s0 -> $s1)" \
	test $((m1 - m0)) -eq 20 -a $((u1 - u0)) -eq 5 -a $((s1 - s0)) -eq 10
check "none went up the live session's tunnel (its GRE up counter $up_before -> $up_after)" \
	test "$up_after" = "$up_before"
n=$(grep -cE "GRE from 10\.40\.1\.(12|99):" "$LRP_LOG")
check "35 packets cost $n log lines (one per cause a second)" test "$n" -eq 7
check "lrp holds as many descriptors as before ($fd_base)" settled "fd_count $LRP_PID" "$fd_base"

end_hold cli1 "$good"
rc=$?
diag "$(cat "$T_TMP/good.out")"
check "the live call, held throughout, passed all its checks" test "$rc" -eq 0
report=$(standin_for 10.40.1.11)
wait_for 5 grep -q '^end: ' "$report" || true
diag "$(cat "$report")"
check "its ppp never saw the crafted LCP Echo-Requests (answered exactly the call's own 3)" \
	grep -qx 'lcp-echo-answered: 3' "$report"
check_redial cli1
check "lrp is still running" kill -0 "$LRP_PID"
t_finish
