#!/bin/sh
# direct-dial.sh: two PPTP clients dial pptpd directly, with real pppd on
# both ends, MS-CHAPv2 and MPPE-128 required.  Runs inside the VM.
#
#   srv (10.0.0.1, pptpd) ---- veth ---- cli (10.0.0.2, clients 1 and 2)
#
# Proves: both calls come up with pool addresses and MPPE-128; ping and
# iperf3 pass through each tunnel; the server's pppd got the client's real
# address as ipparam; a wrong password is refused by pppd; and which pptpd,
# pptpctrl and logwtmp plugin ran (checked against the host's manifest).
#
# vm_iperf_secs (from the kernel command line, default 3) sets the length of
# each iperf3 run; 0 skips them.
#
# vm-variants: installed
# `make check-vm` runs it with Debian's stock pptpd only, the reference for
# the harness: the build under test dials directly in through-lrp.sh's
# baseline phase, which checks the same things.  VM_VARIANTS=build (or
# "installed build") runs it with the build too.
. /usr/lib/vm/guest-lib.sh

SERVER=10.0.0.1
CLIENT=10.0.0.2
PPP_SERVER=192.168.90.1
IPERF_SECS=${vm_iperf_secs:-3}

vm_begin "direct-dial: two PPTP clients dial pptpd directly (MS-CHAPv2 + MPPE-128)"

make_ns srv
make_ns cli
link_ns srv $SERVER/24 cli $CLIENT/24

set_chap_secret user1 secret-one
set_chap_secret user2 secret-two
write_pptpd_conf $PPP_SERVER 192.168.90.10-19
start_pptpd srv
check_exe pptpd "$PPTPD_PID" /usr/sbin/pptpd

# Both clients dial at once, from one address, as two clients behind one
# NAT would appear to the server.
dial_client cli client1 user1 secret-one $SERVER 0
dial_client cli client2 user2 secret-two $SERVER 1

n=0
for ifc in ppp0 ppp1; do
	n=$((n + 1))
	wait_ppp_up cli $ifc client$n 30
	[ "$PPP_REMOTE" = $PPP_SERVER ] ||
		fail "client $n: peer address $PPP_REMOTE, expected $PPP_SERVER"
	case $PPP_LOCAL in
	192.168.90.1[0-9]) ;;
	*) fail "client $n: address $PPP_LOCAL is not from the pool" ;;
	esac
	mppe_on client$n || fail "client $n: MPPE-128 not enabled (see pppd-client$n.log)"
	eval "LOCAL_$n=$PPP_LOCAL"
	say "client $n: $ifc up, $PPP_LOCAL <-> $PPP_REMOTE, MS-CHAPv2 + MPPE-128"
done
[ "$LOCAL_1" != "$LOCAL_2" ] || fail "both clients got $LOCAL_1"

# The server side of each call: pppd's ipparam must be the client's real
# address (pptpctrl passes it), and the pppd/pptpctrl/plugin must be the
# ones under test.
n=0
for local in "$LOCAL_1" "$LOCAL_2"; do
	n=$((n + 1))
	wait_until 10 server_link "$local" ||
		fail "server: no ip-up for client $n ($local)"
	[ "$SRV_IPPARAM" = $CLIENT ] ||
		fail "server: ipparam for client $n is '$SRV_IPPARAM', expected $CLIENT"
	# The logwtmp plugin got the same address (pptpd-original-ip).
	logged "pptpd-logwtmp.so ip-up $SRV_IF $SRV_PEER $CLIENT" ||
		fail "server: the logwtmp plugin did not log $SRV_PEER from $CLIENT on $SRV_IF"
	say "server: $SRV_IF for $SRV_PEER ($local), ipparam and logwtmp: $SRV_IPPARAM = client's real address"
done
check_exe pptpctrl "$(parent_of "$SRV_PPPD")" /usr/sbin/pptpctrl
check_plugin "server pppd" "$SRV_PPPD" /usr/lib/pptpd/pptpd-logwtmp.so

n=0
for ifc in ppp0 ppp1; do
	n=$((n + 1))
	ping_via cli $ifc $PPP_SERVER 5
	say "client $n: ping $PPP_SERVER via $ifc ok (5/5, avg ${PING_RTT} ms)"
done

if [ "$IPERF_SECS" -gt 0 ]; then
	start_iperf_server srv $PPP_SERVER
	n=0
	for ifc in ppp0 ppp1; do
		n=$((n + 1))
		iperf_via cli $ifc $PPP_SERVER "$IPERF_SECS"
		say "client $n: iperf3 ${IPERF_SECS} s through the tunnel: $IPERF_MBPS Mbit/s"
		echo "client$n $IPERF_MBPS" >>"$VM_RESULTS/iperf3.txt"
	done
fi

# A wrong password: the server's pppd rejects MS-CHAPv2 and the client's
# pppd gives up with status 19 (failed to authenticate to the peer).
dial_client cli client3 user1 wrong-password $SERVER 2
wait_pppd_exit client3 30
[ "$PPPD_STATUS" = 19 ] ||
	fail "client 3: pppd exit status $PPPD_STATUS, expected 19 (authentication refused)"
[ ! -f "$VM_STATE/ppp/cli.ppp2" ] || fail "client 3: ppp2 came up with a wrong password"
logged "Peer user1 failed CHAP authentication" ||
	fail "client 3: the server's pppd did not log the failed authentication"
say "client 3: wrong password refused by the server's pppd (client pppd exit status 19)"

# The two good calls survived the refused one.
ping_via cli ppp0 $PPP_SERVER 2
ping_via cli ppp1 $PPP_SERVER 2
say "clients 1 and 2: still up after the refused call"

vm_end
