#!/bin/bash
# Tunnels and direct 1723 clients are one population: at the same time,
# from the same `connections` slots and address pool, with Call IDs from
# the same allocator; a client of either kind beyond the limit is refused
# (a tunnel with CLOSE FULL), with a log line.  TCP wrappers apply to the
# LRP's address as to a direct client's.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare tshark
t_init
plan 12

ns_add srv
ns_add lrp
ns_add cli
ns_add bad
ip -n "$(ns srv)" link add br0 type bridge
ip -n "$(ns srv)" link set br0 up
ip -n "$(ns srv)" addr add 10.18.0.1/24 dev br0
for n in lrp cli bad; do
	ip link add "to-srv" netns "$(ns $n)" type veth peer name "p-$n" netns "$(ns srv)"
	ip -n "$(ns srv)" link set "p-$n" master br0 up
	ip -n "$(ns $n)" link set to-srv up
done
ip -n "$(ns lrp)" addr add 10.18.0.2/24 dev to-srv
ip -n "$(ns cli)" addr add 10.18.0.3/24 dev to-srv
ip -n "$(ns bad)" addr add 10.18.0.4/24 dev to-srv
make_secret "$T_TMP/secret"
{
	echo "ppp $TOOLS/ppp-standin"
	echo "connections 2"
	echo "localip 192.168.77.1"
	echo "remoteip 192.168.77.10-11"
	echo "rrp-listen 10.18.0.1:1724"
	echo "rrp-secret-file $T_TMP/secret"
} >"$T_TMP/pptpd.conf"
echo "pptpd: 10.18.0.4" >"$T_TMP/hosts.deny"
export WITH_DEVLOG_HOSTS_DENY=$T_TMP/hosts.deny
start_capture srv br0 wire
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

# One of each kind, both held.
run_bg tunnel rrp_client lrp -s 10.18.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.40:44000 -n 2 -m 20 -H 6 -q
t1=$BG_PID
run_bg direct pptp_client cli 10.18.0.1 -n 2 -m 20 -H 5
d1=$BG_PID
wait_for 10 standin_count 2 || diag "both sessions did not come up"
argvs=$(cat $(standin_reports) | sed -n 's/^argv: //p')
diag "$argvs"
check "a tunnel session and a direct session run at the same time" standin_count 2
check "they got the two different addresses of the pool" \
	eval 'echo "$argvs" | grep -q 192.168.77.10 && echo "$argvs" | grep -q 192.168.77.11'

out=$(rrp_client lrp -s 10.18.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.41:44001 --expect close:FULL -t 5 -q 2>&1)
rc=$?
diag "$out"
check "a third client by tunnel is refused with CLOSE FULL" test "$rc" -eq 0
check "pptpd logs the refused tunnel" \
	log_has 'RRP: refused tunnel from LRP 10\.18\.0\.2:[0-9]+: all 2 connection slots'
out=$(pptp_client cli 10.18.0.1 -n 1 -m 1 -t 4 2>&1)
check "a third client direct on 1723 is refused too" test $? -ne 0
check "pptpd logs the refused direct client" log_has 'MGR: Refused client 10\.18\.0\.3: all 2 connection slots'

wait "$t1"; rt=$?
wait "$d1"; rd=$?
diag "$(cat "$T_TMP/tunnel.out" "$T_TMP/direct.out")"
check "the held tunnel session passed its checks" test "$rt" -eq 0
check "the held direct session passed its checks" test "$rd" -eq 0

# Call IDs: one allocator for both kinds (0, 128, 256, ... in accept order)
tunnel_cid=$(sed -n 's/.*server call id \([0-9]*\);.*/\1/p' "$T_TMP/tunnel.out")
# their slots are free once the manager has reaped their processes
wait_for 10 eval '[ -z "$(pgrep -P "$PPTPD_PID")" ]' || diag "the held sessions' processes are still running"
out=$(rrp_client lrp -s 10.18.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.42:44002 -n 1 -m 5 -q 2>&1)
check "once they hung up, a new tunnel gets a slot" test $? -eq 0
later_cid=$(echo "$out" | sed -n 's/.*server call id \([0-9]*\);.*/\1/p')
stop_capture "$CAP_PID" wire
direct_cid=$("$LIB/pcap-summary" "$T_TMP/wire.pcap" | awk '$1 == "ctrl" && $4 == 8 { print $5; exit }')
diag "pptpd Call IDs: first tunnel $tunnel_cid, direct $direct_cid, later tunnel $later_cid"
check "tunnels and direct clients draw Call IDs from one allocator (distinct multiples of 128)" \
	eval '[ -n "$tunnel_cid" ] && [ -n "$direct_cid" ] && [ -n "$later_cid" ] &&
	      [ $((tunnel_cid % 128)) -eq 0 ] && [ $((direct_cid % 128)) -eq 0 ] &&
	      [ "$tunnel_cid" != "$direct_cid" ] && [ "$later_cid" != "$tunnel_cid" ] &&
	      [ "$later_cid" != "$direct_cid" ]'

out=$(in_ns bad "$TOOLS/rrp-client" -s 10.18.0.1:1724 -k "$T_TMP/secret" --expect close:REFUSED -t 5 -q 2>&1)
rc=$?
diag "$out"
check "an LRP that hosts.deny names is refused with CLOSE REFUSED" test "$rc" -eq 0
check "pptpd logs it" log_has 'RRP: refused tunnel from LRP 10\.18\.0\.4:[0-9]+: denied by TCP wrappers'
t_finish
