#!/bin/sh
# vm-goodput-loss.sh: TCP goodput inside a real PPTP call under random loss,
# through the LRP and RRP against direct GRE; the VM-tier part of the
# benchmark (`make bench-vm`).  Runs inside the VM (tests/vm/run-vm.sh).
#
# vm-variants: build
# vm-uses: lrp
# vm-timeout: 600
#
# The network of tests/vm/scenarios/through-lrp.sh (guest-lib.sh's
# nat_lan) with one client; srv runs pptpd with rrp-listen on :1724.
#
# The client holds two calls at once: ppp1 dials pptpd directly through
# rtr (GRE on the rtr-srv link), ppp0 dials the LRP, whose tunnel crosses
# the nat-srv link.  For each loss rate, netem drops that share of the
# packets leaving both ends of both links (so each way), and iperf3 runs
# a TCP flow through ppp1, then through ppp0: real pppd, MS-CHAPv2 and
# MPPE-128, the client's and the server's kernel TCP inside PPP.  Direct,
# a lost GRE packet is a lost PPP frame (and pptpd's reorder queue holds
# what follows a gap); through the LRP, the tunnel's TCP retransmits it
# below PPP.  Prints and writes goodput-loss.txt: one line per loss rate.
#
# Kernel command line knobs: vm_losses (default "0 0.5 1 2", percent),
# vm_iperf_secs (default 5), vm_rounds (default 3: direct and proxied in
# turn, their means and each round's ratio reported).
. /usr/lib/vm/guest-lib.sh

RRP_PORT=1724
PPP_SERVER=192.168.90.1
SECRET=/etc/pptpd-rrp.secret
LOSSES=${vm_losses:-0 0.5 1 2}
IPERF_SECS=${vm_iperf_secs:-5}
ROUNDS=${vm_rounds:-3}

vm_begin "goodput under loss: iperf3 inside a PPTP call, direct GRE against LRP + RRP, netem loss on the path to the server"

# set_loss: netem drops LOSS percent of what leaves either end of the
# rtr-srv and nat-srv links.
set_loss() {
	local pair
	for pair in "srv rtr" "rtr srv" "srv nat" "nat srv"; do
		# shellcheck disable=SC2086 # a namespace and its interface
		set -- $pair
		in_ns "$1" tc qdisc replace dev "$2" root netem loss "$LOSS%" ||
			fail "$1: cannot set netem loss $LOSS% on $2 (sch_netem?)"
	done
}

nat_lan 1

make_secret $SECRET
set_chap_secret user1 secret-one
write_pptpd_conf $PPP_SERVER 192.168.90.10-19 \
	"rrp-listen $SERVER:$RRP_PORT" "rrp-secret-file $SECRET"
start_pptpd srv
wait_until 10 listening srv $RRP_PORT ||
	fail "pptpd is not listening for LRP tunnels on $RRP_PORT (see pptpd.out, syslog.log)"
start_lrp lrp $LAN_LRP:1723 lan $SERVER:$RRP_PORT $SECRET

dial_client cli1 direct1 user1 secret-one $SERVER_DIRECT 1
wait_ppp_up cli1 ppp1 direct1 30
dial_client cli1 client1 user1 secret-one $LAN_LRP 0
wait_ppp_up cli1 ppp0 client1 30
ping_via cli1 ppp1 $PPP_SERVER 2
ping_via cli1 ppp0 $PPP_SERVER 2
say "client 1: ppp1 direct to $SERVER_DIRECT (GRE via rtr), ppp0 through the LRP (TCP $RRP_PORT via nat), both up"

start_iperf_server srv 0.0.0.0 5201
: >"$VM_RESULTS/goodput-loss.txt"
for LOSS in $LOSSES; do
	set_loss
	# direct and proxied in turn, so a change in the host's load hits both
	direct=0 proxied=0 ratios=
	round=0
	while [ $round -lt "$ROUNDS" ]; do
		round=$((round + 1))
		iperf_via cli1 ppp1 $PPP_SERVER "$IPERF_SECS" 5201
		d=$IPERF_MBPS
		iperf_via cli1 ppp0 $PPP_SERVER "$IPERF_SECS" 5201
		p=$IPERF_MBPS
		direct=$(sum "$direct" "$d") proxied=$(sum "$proxied" "$p")
		ratios="$ratios $(ratio "$p" "$d")"
	done
	direct=$(awk -v a="$direct" -v n="$ROUNDS" 'BEGIN { printf "%.2f", a / n }')
	proxied=$(awk -v a="$proxied" -v n="$ROUNDS" 'BEGIN { printf "%.2f", a / n }')
	r=$(ratio "$proxied" "$direct")
	echo "loss $LOSS direct $direct proxied $proxied ratio $r rounds$ratios" >>"$VM_RESULTS/goodput-loss.txt"
	say "loss $LOSS% each way: direct GRE $direct Mbit/s, through LRP + RRP $proxied Mbit/s (means of $ROUNDS), ratio $r (rounds:$ratios)"
done
LOSS=0
set_loss

vm_end
