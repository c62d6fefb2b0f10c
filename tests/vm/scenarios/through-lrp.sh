#!/bin/sh
# through-lrp.sh: two PPTP clients on a LAN reach pptpd across a NAT that
# drops GRE, through the Local Route Proxy and pptpd's RRP; real pppd on
# both ends, MS-CHAPv2 and MPPE-128 required.  Runs inside the VM.
#
# vm-variants: build
# vm-uses: lrp
# vm-timeout: 240
#
#   cli1 10.1.0.11 --+
#   cli2 10.1.0.12 --+ lan (a bridge)
#   lrp  10.1.0.2  --+   nat: masquerades the LAN, drops IP protocol 47
#   nat  10.1.0.1  --+-- nat 203.0.113.1 ---- 203.0.113.2  --+ srv: pptpd on
#   rtr  10.1.0.3  --+-- rtr 198.51.100.1 --- 198.51.100.2 --+ 1723, rrp-listen
#                        rtr: routes, no NAT (the baseline)    203.0.113.2:1724
#
# The clients' default route is nat; rtr is the path to the server's other
# address, for the baseline.  Phases:
#  1. baseline: both clients dial pptpd directly through rtr (ppp1).
#  2. a direct dial through nat fails: its GRE is dropped.
#  3. both clients dial the LRP (ppp0): pool addresses, Call IDs translated
#     (the LRP's table against what each pptp client logged), the server's
#     pppd gets each client's LAN address, ping, a full-size packet.
#  4. throughput: iperf3 from both clients at once, direct and through the
#     LRP in turn (so a change in the host's load hits both alike); no GRE
#     reaches srv from nat; the ratio proxied/direct is printed.
#  5. a wrong password through the LRP is refused by the server's pppd; the
#     good calls stay up.
#
# Kernel command line knobs: vm_iperf_secs (default 2; 0 skips iperf3) and
# vm_iperf_rounds (default 3) for phase 4; vm_client_mtu sets the clients'
# pppd mtu and mru (default: pppd's, as pptp-linux dials out of the box).
. /usr/lib/vm/guest-lib.sh

RRP_PORT=1724
PPP_SERVER=192.168.90.1
SECRET=/etc/pptpd-rrp.secret
IPERF_SECS=${vm_iperf_secs:-2}
IPERF_ROUNDS=${vm_iperf_rounds:-3}
CLIENT_MTU=${vm_client_mtu:-}
MTU_OPTS=${CLIENT_MTU:+mtu $CLIENT_MTU mru $CLIENT_MTU}

vm_begin "through-lrp: two PPTP clients reach pptpd across a NAT that drops GRE, through the LRP (MS-CHAPv2 + MPPE-128)"

# --- helpers ------------------------------------------------------------------

# phase TEXT: announce a phase, with the seconds since the scenario began.
phase() { say "-- $* [$(( $(date +%s) - VM_T0 )) s]"; }

# counter NS TABLE CHAIN TARGET IN: packets counted by the rule with that
# target and input interface (- for any).
counter() {
	local n
	n=$(in_ns "$1" iptables -t "$2" -L "$3" -v -x -n |
		awk -v t="$4" -v i="${5:-*}" '$3 == t && $6 == i { print $1; exit }')
	[ -n "$n" ] || fail "$1: no $2 $3 rule with target $4, input ${5:-any}"
	echo "$n"
}

# up_checks N NS IFACE NAME: client N's IFACE in NS came up with a pool
# address, the server's address as peer, MPPE-128; the server's pppd for it
# got the client's LAN address as ipparam and remotenumber and in the
# logwtmp plugin.
up_checks() {
	local n=$1 ns=$2 ifc=$3 name=$4 real
	eval "real=\$CLI_$n"
	wait_ppp_up "$ns" "$ifc" "$name" 30
	[ "$PPP_REMOTE" = $PPP_SERVER ] ||
		fail "$(label "$name"): peer address $PPP_REMOTE, expected $PPP_SERVER"
	case $PPP_LOCAL in
	192.168.90.1[0-9]) ;;
	*) fail "$(label "$name"): address $PPP_LOCAL is not from the pool" ;;
	esac
	mppe_on "$name" || fail "$(label "$name"): MPPE-128 not enabled (see pppd-$name.log)"
	wait_until 10 server_link "$PPP_LOCAL" ||
		fail "server: no ip-up for $(label "$name") ($PPP_LOCAL)"
	[ "$SRV_IPPARAM" = "$real" ] ||
		fail "server: ipparam for $(label "$name") is '$SRV_IPPARAM', expected its LAN address $real"
	tr '\0' ' ' <"/proc/$SRV_PPPD/cmdline" | grep -q " remotenumber $real " ||
		fail "server: pppd $SRV_PPPD for $(label "$name") lacks 'remotenumber $real': $(tr '\0' ' ' <"/proc/$SRV_PPPD/cmdline")"
	logged "pptpd-logwtmp.so ip-up $SRV_IF $SRV_PEER $real" ||
		fail "server: the logwtmp plugin did not log $SRV_PEER from $real on $SRV_IF"
	say "$(label "$name"): $ifc up, $PPP_LOCAL <-> $PPP_REMOTE, MS-CHAPv2 + MPPE-128; server's $SRV_IF: peer $SRV_PEER, ipparam and remotenumber $real"
}

# reachable WHAT IFACE: both clients ping the server's PPP address out of
# IFACE, and client 1 sends a full-size packet.
reachable() {
	local what=$1 ifc=$2 rtt1 mtu big
	ping_via cli1 "$ifc" $PPP_SERVER 5
	rtt1=$PING_RTT
	ping_via cli2 "$ifc" $PPP_SERVER 5
	say "$what: ping $PPP_SERVER via $ifc 5/5 from both clients (avg $rtt1 ms, $PING_RTT ms)"
	# At pppd's default MTU the GRE packet of a full-size packet is bigger
	# than the LAN's 1500 bytes: the client's kernel sends it in two IP
	# fragments (so are iperf3's segments).
	mtu=$(ip -n cli1 link show "$ifc" | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
	big=$((mtu - 28))
	in_ns cli1 ping -n -c 2 -i 0.2 -W 3 -s $big -M "do" -I "$ifc" $PPP_SERVER \
		>>"$VM_RESULTS/ping.log" 2>&1 ||
		traffic_fail "$what: a full-size packet ($mtu bytes) through client 1's $ifc got no answer"
	say "$what: a full-size packet ($mtu bytes) through $ifc passes"
}

# both_iperf WHAT IFACE ROUND: iperf3 from both clients at once out of
# IFACE; sets BOTH_1, BOTH_2 and BOTH_SUM (Mbit/s).
both_iperf() {
	local what=$1 ifc=$2 round=$3
	iperf_start "$what-1-$round" cli1 "$ifc" $PPP_SERVER "$IPERF_SECS" 5201
	iperf_start "$what-2-$round" cli2 "$ifc" $PPP_SERVER "$IPERF_SECS" 5202
	iperf_wait "$what-1-$round"
	BOTH_1=$IPERF_MBPS
	iperf_wait "$what-2-$round"
	BOTH_2=$IPERF_MBPS
	BOTH_SUM=$(sum "$BOTH_1" "$BOTH_2")
	awk -v a="$BOTH_1" -v b="$BOTH_2" 'BEGIN { exit !(a > 0 && b > 0) }' ||
		traffic_fail "$what: iperf3 moved nothing ($BOTH_1 and $BOTH_2 Mbit/s via $ifc; see iperf3-client.log)"
	echo "round $round $what $BOTH_1 $BOTH_2 $BOTH_SUM" >>"$VM_RESULTS/iperf3.txt"
}

# traffic_fail WHY: fail; when the LRP runs, keep its table (lrp-status.txt)
# and say how many GRE packets it found malformed: a client's GRE packet
# bigger than the LAN's MTU reaches it in IP fragments.
traffic_fail() {
	local mal
	[ -n "${LRP_PID:-}" ] || fail "$@"
	mal=$(lrp_status 2>&1 | sed -n 's/.* malformed \([0-9]*\),.*/\1/p')
	fail "$*; lrp: ${mal:-?} GRE packets malformed (IP fragments of GRE over 1500 bytes count there)"
}

# --- the network ----------------------------------------------------------------

nat_lan 2
# Count the GRE that reaches srv, by the way it came.
in_ns srv iptables -A INPUT -i nat -p 47 -j ACCEPT || fail "srv: cannot count GRE"
in_ns srv iptables -A INPUT -i rtr -p 47 -j ACCEPT || fail "srv: cannot count GRE"
say "nat: masquerades the LAN behind $WAN_NAT, drops GRE; rtr: routes the LAN to $SERVER_DIRECT, no NAT"

make_secret $SECRET
set_chap_secret user1 secret-one
set_chap_secret user2 secret-two
write_pptpd_conf $PPP_SERVER 192.168.90.10-19 \
	"rrp-listen $SERVER:$RRP_PORT" "rrp-secret-file $SECRET"
start_pptpd srv
wait_until 10 listening srv $RRP_PORT ||
	fail "pptpd is not listening for LRP tunnels on $RRP_PORT (see pptpd.out, syslog.log)"
say "pptpd: accepting LRP tunnels on $SERVER:$RRP_PORT (rrp-listen), shared secret $SECRET"
check_exe pptpd "$PPTPD_PID" /usr/sbin/pptpd

# --- 1. baseline: direct, no NAT --------------------------------------------------

phase "1. baseline: the clients dial pptpd directly at $SERVER_DIRECT, through rtr (no NAT)"
dial_client cli1 direct1 user1 secret-one $SERVER_DIRECT 1 $MTU_OPTS
dial_client cli2 direct2 user2 secret-two $SERVER_DIRECT 1 $MTU_OPTS
up_checks 1 cli1 ppp1 direct1
up_checks 2 cli2 ppp1 direct2
reachable direct ppp1

# --- 2. through the NAT, directly ---------------------------------------------------

phase "2. a direct dial to $SERVER, through nat"
# Without GRE, LCP never gets an answer: give up after 4 tries, 1 s apart.
dial_client cli1 blocked1 user1 secret-one $SERVER 2 lcp-restart 1 lcp-max-configure 4
wait_pppd_exit blocked1 30
[ "$PPPD_STATUS" != 0 ] && [ "$PPPD_STATUS" != 19 ] ||
	fail "blocked 1: pppd exit status $PPPD_STATUS, expected a failed negotiation"
grep -q 'LCP: timeout sending Config-Requests' "$VM_RESULTS/pppd-blocked1.log" ||
	fail "blocked 1: pppd did not time out in LCP (see pppd-blocked1.log)"
dropped=$(counter nat raw PREROUTING DROP)
[ "$dropped" -gt 0 ] || fail "blocked 1: the NAT dropped no GRE"
say "blocked 1: failed: the control connection came up, LCP got no answer (pppd exit status $PPPD_STATUS); nat dropped $dropped GRE packets"

# --- 3. through the LRP -----------------------------------------------------------

phase "3. the clients dial the LRP ($LAN_LRP); it carries each call to pptpd over TCP $RRP_PORT, through nat"
start_lrp lrp $LAN_LRP:1723 lan $SERVER:$RRP_PORT $SECRET
check_exe lrp "$LRP_PID" /usr/sbin/lrp
dial_client cli1 client1 user1 secret-one $LAN_LRP 0 $MTU_OPTS
dial_client cli2 client2 user2 secret-two $LAN_LRP 0 $MTU_OPTS
up_checks 1 cli1 ppp0 client1
up_checks 2 cli2 ppp0 client2
check_exe pptpctrl "$(parent_of "$SRV_PPPD")" /usr/sbin/pptpctrl
check_plugin "server pppd" "$SRV_PPPD" /usr/lib/pptpd/pptpd-logwtmp.so

# pptpd sees each client's own address, and the LRP behind the NAT.
for n in 1 2; do
	eval "real=\$CLI_$n"
	logged "RRP: client $real:" || fail "pptpd: no RRP log line for client $n ($real)"
	via=$(grep -o "RRP: client $real:[0-9]* via LRP [0-9.]*" "$VM_RESULTS/syslog.log" |
		head -n 1 | sed 's/.* via LRP //')
	[ "$via" = $WAN_NAT ] ||
		fail "pptpd: client $n's tunnel came from '$via', expected the NAT's $WAN_NAT"
done
say "pptpd: both tunnels came from $WAN_NAT (the NAT); its log names each client by its own address"

# Call IDs: the LRP shows each client its own Call ID in place of pptpd's.
LRP_TABLE=$(lrp_status) || fail "lrp -S failed"
say "lrp -S (the LRP's session table):"
echo "$LRP_TABLE" | awk 'NR >= 3 { printf "  %-3s %-18s %-8s %8s %11s %11s\n", $1, $2, $3, $4, $5, $6 }'
for n in 1 2; do
	eval "real=\$CLI_$n"
	lrp_session "$real" || { echo "$LRP_TABLE"; fail "lrp: no session for client $n ($real)"; }
	[ "$LRP_STATE" = call-up ] || { echo "$LRP_TABLE"; fail "lrp: client $n's session is $LRP_STATE"; }
	logged "Outgoing call established (call ID $CLIENT_CID, peer's call ID $LRP_CID)" ||
		{ echo "$LRP_TABLE"; fail "client $n: pptp did not see the LRP's Call ID $LRP_CID as its peer's"; }
	eval "LRP_CID_$n=$LRP_CID"
	say "client $n: Call IDs: its own $CLIENT_CID; it sees the server's as $LRP_CID (the LRP's, per its pptp's log); pptpd's is $SERVER_CID"
done
[ "$LRP_CID_1" != "$LRP_CID_2" ] || fail "lrp: both clients got Call ID $LRP_CID_1"
reachable "through the LRP" ppp0

# --- 4. throughput ------------------------------------------------------------------

if [ "$IPERF_SECS" -gt 0 ] && [ "$IPERF_ROUNDS" -gt 0 ]; then
	phase "4. throughput: iperf3 ${IPERF_SECS} s from both clients at once, direct (ppp1) and through the LRP (ppp0) in turn, $IPERF_ROUNDS rounds"
	start_iperf_server srv 0.0.0.0 5201
	start_iperf_server srv 0.0.0.0 5202
	DIRECT_SUM=0 PROXY_SUM=0 ratios=
	round=0
	while [ $round -lt "$IPERF_ROUNDS" ]; do
		round=$((round + 1))
		both_iperf direct ppp1 $round
		d="$BOTH_1 + $BOTH_2 = $BOTH_SUM"
		direct=$BOTH_SUM
		DIRECT_SUM=$(sum "$DIRECT_SUM" "$BOTH_SUM")
		both_iperf proxied ppp0 $round
		PROXY_SUM=$(sum "$PROXY_SUM" "$BOTH_SUM")
		r=$(ratio "$BOTH_SUM" "$direct")
		ratios="$ratios $r"
		say "round $round: direct $d Mbit/s; through the LRP $BOTH_1 + $BOTH_2 = $BOTH_SUM Mbit/s; ratio $r"
	done
	# The median of the rounds' ratios: a round the host's load upset
	# (other jobs on its cores) does not decide it.
	r=$(echo "$ratios" | tr ' ' '\n' | grep . | sort -n |
		awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	echo "total direct $DIRECT_SUM proxied $PROXY_SUM ratios$ratios median $r" >>"$VM_RESULTS/iperf3.txt"
	say "throughput ratio proxied/direct: $r (median of$ratios; totals $PROXY_SUM / $DIRECT_SUM Mbit/s; emulated CPUs: compare, never read as rates)"
else
	phase "4. throughput: skipped (vm_iperf_secs=0)"
fi
LRP_TABLE=$(lrp_status)
for n in 1 2; do
	eval "real=\$CLI_$n"
	# shellcheck disable=SC2046 # two numbers
	set -- $(echo "$LRP_TABLE" | awk -v ip="$real" 'index($2, ip ":") == 1 { print $10, $11; exit }')
	[ "${1:-0}" -gt 0 ] && [ "${2:-0}" -gt 0 ] ||
		{ echo "$LRP_TABLE"; fail "lrp: client $n's session forwarded no GRE"; }
	say "lrp: client $n's call: $1 GRE packets up, $2 down, each carried in the tunnel"
done
gre_nat=$(counter srv filter INPUT ACCEPT nat)
gre_rtr=$(counter srv filter INPUT ACCEPT rtr)
[ "$gre_nat" = 0 ] || fail "srv: $gre_nat GRE packets arrived from nat; the LRP's calls must carry none"
[ "$gre_rtr" -gt 0 ] || fail "srv: no GRE arrived from rtr; the direct calls must have sent some"
say "srv: GRE received from nat: 0; from rtr (the direct calls): $gre_rtr packets"

# --- 5. a wrong password, through the LRP ----------------------------------------

phase "5. a third call through the LRP, with a wrong password"
dial_client cli1 client3 user1 wrong-password $LAN_LRP 3
wait_pppd_exit client3 30
[ "$PPPD_STATUS" = 19 ] ||
	fail "client 3: pppd exit status $PPPD_STATUS, expected 19 (authentication refused)"
[ ! -f "$VM_STATE/ppp/cli1.ppp3" ] || fail "client 3: ppp3 came up with a wrong password"
logged "Peer user1 failed CHAP authentication" ||
	fail "client 3: the server's pppd did not log the failed authentication"
say "client 3: wrong password refused by the server's pppd (client pppd exit status 19)"
ping_via cli1 ppp0 $PPP_SERVER 2
ping_via cli2 ppp0 $PPP_SERVER 2
say "clients 1 and 2: still up through the LRP after the refused call"

vm_end
