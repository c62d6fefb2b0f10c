#!/bin/bash
# The ppp program ends under a call: the stand-in exits (SIGTERM: it ends
# its loop and exits 0, as pppd does when its link terminates) or is
# killed (SIGKILL), for a tunnelled session and for a direct one.  For
# each: pptpctrl and (tunnelled) pptpd's session process end within 5 s,
# the session leaves `lrp -S` within 5 s, and the client is told as RFC
# 2637 says: Call-Disconnect-Notify for its call (the Call ID it got in
# Outgoing-Call-Reply), then Stop-Control-Connection-Request, then the
# close, within 5 s; it dials again at once into the freed slot; a
# tunnelled and a direct call set up before keep passing echoes.
. "$top_srcdir/tests/host/fault.inc"
plan 34

fault_network 3
start_bystanders 60

# one_case NAME KIND(tunnel|direct) SIGNAL NEXT: a victim's call (the
# previous case's redial, if there was one), its stand-in ended with
# SIGNAL; then the client dials again at once: the call that comes up is
# case NEXT's victim, or with NEXT "last" a short call that hangs up.
one_case() {
	local name=$1 kind=$2 sig=$3 next=$4 v ns server ip
	if [ "$kind" = tunnel ]; then ns=cli1 server=$LAN_LRP ip=$CLI1; else ns=dir1 server=$DIR1_SRV ip=$DIR1; fi
	if [ -z "${VICTIM:-}" ]; then
		dial "victim-$name" $ns "$server" 40
		VICTIM=$DIAL_PID
	fi
	v=$VICTIM
	VICTIM=
	if [ "$kind" = tunnel ]; then tunnel_session $ip; else direct_session $ip; fi
	eval "${name}_port=\$S_PORT"
	fault_start
	eval "${name}_t0=\$T0_EPOCH"
	kill "-$sig" "$S_PPP"
	if [ "$kind" = tunnel ]; then
		watch_teardown < <(server_ends; lrp_end $ip "$S_PORT"; client_end "$v")
	else
		watch_teardown < <(server_ends; client_end "$v")
	fi
	check_teardown "$name $kind ppp program $sig"
	wait "$v"
	check "$name: the victim's call was up and ended in its hold" victim_call_was_up "victim-$name"
	if [ "$next" = last ]; then
		check "$name: the client dials again at once" dial_once "redial-$name" $ns "$server"
		return
	fi
	# the next case's victim
	dial "victim-$next" $ns "$server" 40
	VICTIM=$DIAL_PID
	if [ "$kind" = tunnel ]; then
		check "$name: the client dials again at once (the call comes up)" \
			wait_for 15 eval 'lrp_status | grep -q " ${ip//./\\.}:[0-9]* .* call-up " && running_standin $ip >/dev/null'
	else
		check "$name: the client dials again at once (the call comes up)" \
			wait_for 15 eval 'running_standin $ip >/dev/null'
	fi
}

VICTIM=
one_case e1 tunnel TERM e2
one_case e2 tunnel KILL last
one_case e3 direct TERM e4
one_case e4 direct KILL last

hold_end "$bys_t"
hold_end "$bys_d"
check "the tunnelled bystander's call passed every echo through all four" bystander_ok "$bys_t" bystander-tunnel
check "the direct bystander's call too" bystander_ok "$bys_d" bystander-direct

fault_stop_captures
for c in e1:lan:"$LAN_LRP":$CLI1 e2:lan:"$LAN_LRP":$CLI1 e3:dir1:$DIR1_SRV:$DIR1 e4:dir1:$DIR1_SRV:$DIR1; do
	IFS=: read -r name cap server client <<<"$c"
	eval "port=\$${name}_port; T0_EPOCH=\$${name}_t0"
	check "$name: on the wire the client got CDN (its Call ID) then StopCCRQ" \
		told "$T_TMP/$cap.pcap" "$server" "$client" "$port"
	diag "$name: control messages to the client: $TOLD"
	check_closed_in_time "$name" "$T_TMP/$cap.pcap" "$server" 1723 "$client" "$port"
done
diag "$(cat "$T_TMP/teardown-times")"
t_finish
