#!/bin/bash
# lrp killed (SIGKILL) with two tunnelled calls up.  Nothing is left on the
# LRP's host to send PPTP messages, so each client can only see its control
# connection close: on the wire within 5 s.  On pptpd's side each session
# process, its pptpctrl and its ppp stand-in are gone within 5 s (the
# tunnels' TCP connections end with the process).  lrp started again shows
# no session in `lrp -S`, and a client dials through it at once into a
# freed slot (pptpd has exactly the slots in use); a direct call set up
# before keeps passing echoes throughout.
. "$top_srcdir/tests/host/fault.inc"
plan 16

fault_network 3
dial bystander-direct dir2 "$DIR2_SRV" 60
bys_d=$DIAL_PID
dial victim-1 cli1 "$LAN_LRP" 40
v1=$DIAL_PID
dial victim-2 cli2 "$LAN_LRP" 40
v2=$DIAL_PID
tunnel_session $CLI1
p1=$S_PORT sess1=$S_SESS ctrl1=$S_CTRL ppp1=$S_PPP
tunnel_session $CLI2
p2=$S_PORT sess2=$S_SESS ctrl2=$S_CTRL ppp2=$S_PPP
wait_for 15 eval 'running_standin $DIR2 >/dev/null' || diag "the bystander's call did not come up"

fault_start
kill -KILL "$LRP_PID"
watch_teardown <<EOF2
session-process-1=! alive $sess1
pptpctrl-1=! alive $ctrl1
ppp-program-1=! alive $ppp1
session-process-2=! alive $sess2
pptpctrl-2=! alive $ctrl2
ppp-program-2=! alive $ppp2
client-closed-1=! alive $v1
client-closed-2=! alive $v2
EOF2
check_teardown "c lrp killed"
wait "$v1"
check "c: the first victim's call was up and ended in its hold" victim_call_was_up victim-1
wait "$v2"
check "c: the second victim's call too" victim_call_was_up victim-2
log_has "RRP: client 10\.40\.1\.11:$p1 via LRP .*: (tunnel lost|the LRP closed the tunnel)" &&
	log_has "RRP: client 10\.40\.1\.12:$p2 via LRP .*: (tunnel lost|the LRP closed the tunnel)"
check "c: pptpd logs both tunnels' end, naming the client" test $? -eq 0

start_lrp lrp "$T_TMP/lrp.conf"
check "c: lrp started again lists no session" eval '[ "$(lrp_sessions)" = 0 ]'
check "c: a client dials through it at once" dial_once redial-c cli1 "$LAN_LRP"

hold_end "$bys_d"
check "the direct bystander's call passed every echo" bystander_ok "$bys_d" bystander-direct
fault_stop_captures
check_closed_in_time "c victim 1" "$T_TMP/lan.pcap" "$LAN_LRP" 1723 $CLI1 "$p1"
check_closed_in_time "c victim 2" "$T_TMP/lan.pcap" "$LAN_LRP" 1723 $CLI2 "$p2"
diag "$(cat "$T_TMP/teardown-times")"
t_finish
