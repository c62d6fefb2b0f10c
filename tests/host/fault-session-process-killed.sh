#!/bin/bash
# pptpd's per-session processes killed (SIGKILL) mid-call:
#   a1. the RRP session process of a tunnelled session;
#   a2. the pptpctrl of a tunnelled session;
#   b.  the pptpctrl of a direct client on 1723.
# For each: pptpctrl, the session process and the ppp stand-in are gone
# within 5 s, and so is the session in `lrp -S`; the client's control
# connection is closed within 5 s, after Call-Disconnect-Notify (for the
# Call ID it knows) and Stop-Control-Connection-Request wherever a process
# is left to send them (the LRP for a1 and a2; nobody for b, where the
# kernel closes the dead pptpctrl's socket); the client dials again at once
# into the freed slot (pptpd has exactly the slots in use); a tunnelled and
# a direct call set up before the faults keep passing echoes throughout.
. "$top_srcdir/tests/host/fault.inc"
require_pptp_raw_client
plan 28

fault_network 3
start_bystanders 50

# a1. the RRP session process
dial victim-a1 cli1 "$LAN_LRP" 40
v=$DIAL_PID
tunnel_session $CLI1
a1_port=$S_PORT
out=$(pptp_raw_client cli1 -t 5 "$LAN_LRP" 2>&1)
diag "$out"
check "with the victim's call up every slot is taken: a fourth client is refused" \
	eval 'echo "$out" | grep -q "ctrl-rx 2r2$"'
fault_start
kill -KILL "$S_SESS"
watch_teardown < <(server_ends; lrp_end $CLI1 "$S_PORT"; client_end "$v")
check_teardown "a1 session process killed"
wait "$v"
check "a1: the victim's call was up and ended in its hold" victim_call_was_up victim-a1
a1_t0=$T0_EPOCH

# a2. pptpctrl of a tunnelled session: the victim is cli1 dialling again
# at once after a1
dial victim-a2 cli1 "$LAN_LRP" 40
v=$DIAL_PID
check "a1: the client dials again at once (the call comes up)" tunnel_session $CLI1
a2_port=$S_PORT
fault_start
kill -KILL "$S_CTRL"
watch_teardown < <(server_ends; lrp_end $CLI1 "$S_PORT"; client_end "$v")
check_teardown "a2 tunnelled pptpctrl killed"
wait "$v"
check "a2: the victim's call was up and ended in its hold" victim_call_was_up victim-a2
check "a2: the client dials again at once" dial_once redial-a2 cli1 "$LAN_LRP"
a2_t0=$T0_EPOCH

# b. pptpctrl of a direct client
dial victim-b dir1 "$DIR1_SRV" 40
v=$DIAL_PID
direct_session $DIR1
b_port=$S_PORT
fault_start
kill -KILL "$S_CTRL"
watch_teardown < <(server_ends; client_end "$v")
check_teardown "b direct pptpctrl killed"
wait "$v"
check "b: the victim's call was up and ended in its hold" victim_call_was_up victim-b
check "b: the client dials again at once" dial_once redial-b dir1 "$DIR1_SRV"
b_t0=$T0_EPOCH

hold_end "$bys_t"
hold_end "$bys_d"
check "the tunnelled bystander's call passed every echo through all three faults" bystander_ok "$bys_t" bystander-tunnel
check "the direct bystander's call too" bystander_ok "$bys_d" bystander-direct

fault_stop_captures
T0_EPOCH=$a1_t0
check "a1: on the wire the LRP sent CDN (the client's Call ID) then StopCCRQ" told "$T_TMP/lan.pcap" "$LAN_LRP" $CLI1 "$a1_port"
diag "a1: control messages to the client: $TOLD"
check_closed_in_time a1 "$T_TMP/lan.pcap" "$LAN_LRP" 1723 $CLI1 "$a1_port"
T0_EPOCH=$a2_t0
check "a2: on the wire the LRP sent CDN (the client's Call ID) then StopCCRQ" told "$T_TMP/lan.pcap" "$LAN_LRP" $CLI1 "$a2_port"
diag "a2: control messages to the client: $TOLD"
check_closed_in_time a2 "$T_TMP/lan.pcap" "$LAN_LRP" 1723 $CLI1 "$a2_port"
T0_EPOCH=$b_t0
check_closed_in_time b "$T_TMP/dir1.pcap" "$DIR1_SRV" 1723 $DIR1 "$b_port"
told "$T_TMP/dir1.pcap" "$DIR1_SRV" $DIR1 "$b_port"
check "b: nobody is left to tell the direct client more than the close (control messages: $TOLD)" \
	test "$TOLD" = "2 8"
diag "$(cat "$T_TMP/teardown-times")"
t_finish
