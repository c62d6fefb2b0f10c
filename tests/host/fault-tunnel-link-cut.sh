#!/bin/bash
# The path between the LRP and pptpd cut under one tunnel, mid-call
# (iptables in the NAT between them, matching only that tunnel's TCP
# connection; keepalive 1 s on both ends):
#   d1. dropped both ways: each end notices by its keepalive timeout
#       (3 x 1 s);
#   d2. reset both ways (REJECT --reject-with tcp-reset: each end's next
#       segment is answered with a RST).
# For each: pptpd's session process, its pptpctrl and its ppp stand-in are
# gone within 5 s, and so is the session in `lrp -S`; the client gets
# Call-Disconnect-Notify (its Call ID) and Stop-Control-Connection-Request
# from the LRP and its connection closed within 5 s; it dials again at once
# (a new tunnel, on a path that works) into the freed slot; a call through
# another tunnel of the same LRP, and a direct call, keep passing echoes.
. "$top_srcdir/tests/host/fault.inc"
plan 23

fault_network 3
start_bystanders 60

# one_case NAME TARGET: cut cli1's tunnel with iptables TARGET in the NAT
one_case() {
	local name=$1 target=("${@:2}") v nat_port
	dial "victim-$name" cli1 "$LAN_LRP" 40
	v=$DIAL_PID
	tunnel_session $CLI1
	eval "${name}_port=\$S_PORT"
	# the tunnel as pptpd sees it: from the NAT's address and port
	nat_port=$(sed -n "s/.*RRP: client ${CLI1//./\\.}:$S_PORT via LRP ${NAT_WAN//./\\.}:\([0-9]*\): tunnel authenticated.*/\1/p" "$LOGFILE" | tail -n 1)
	diag "$name: cutting the tunnel $NAT_WAN:$nat_port - $SRV_ADDR:1724 with ${target[*]}"
	fault_start
	eval "${name}_t0=\$T0_EPOCH"
	in_ns nat iptables -I FORWARD -p tcp -m conntrack --ctrepldst "$NAT_WAN" --ctrepldstport "$nat_port" \
		--ctreplsrc "$SRV_ADDR" --ctreplsrcport 1724 -j "${target[@]}"
	watch_teardown < <(server_ends; lrp_end $CLI1 "$S_PORT"; client_end "$v")
	check_teardown "$name tunnel cut (${target[*]})"
	wait "$v"
	check "$name: the victim's call was up and ended in its hold" victim_call_was_up "victim-$name"
	check "$name: the client dials again at once" dial_once "redial-$name" cli1 "$LAN_LRP"
	diag "$name: NAT: $(in_ns nat iptables -L FORWARD -v -n -x | awk '$3 == "DROP" || $3 == "REJECT" { print $1 " packets " $3 }' | head -n 1)"
}

one_case d1 DROP
one_case d2 REJECT --reject-with tcp-reset

check "pptpd logged the dropped tunnel's keepalive timeout" \
	log_has "RRP: client ${CLI1//./\\.}:$d1_port via LRP .*: nothing from the LRP for 3 s; closing"
check "the LRP did too" lrp_log_has "client ${CLI1//./\\.}:$d1_port: nothing from the RRP for 3 s; closing"
check "pptpd logged the reset tunnel as lost" \
	log_has "RRP: client ${CLI1//./\\.}:$d2_port via LRP .*: tunnel lost: Connection reset by peer"

hold_end "$bys_t"
hold_end "$bys_d"
check "the bystander through another tunnel of the same LRP passed every echo" bystander_ok "$bys_t" bystander-tunnel
check "the direct bystander too" bystander_ok "$bys_d" bystander-direct

fault_stop_captures
for name in d1 d2; do
	eval "port=\$${name}_port; T0_EPOCH=\$${name}_t0"
	check "$name: on the wire the LRP sent CDN (the client's Call ID) then StopCCRQ" \
		told "$T_TMP/lan.pcap" "$LAN_LRP" $CLI1 "$port"
	diag "$name: control messages to the client: $TOLD"
	check_closed_in_time "$name" "$T_TMP/lan.pcap" "$LAN_LRP" 1723 $CLI1 "$port"
done
diag "$(cat "$T_TMP/teardown-times")"
t_finish
