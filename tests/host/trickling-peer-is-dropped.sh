#!/bin/bash
# A peer that sends a whole Start-Control-Connection-Request and then one
# byte a second, never completing another message, is dropped by its
# pptpctrl like a silent peer: an Echo-Request IDLE_WAIT (60 s) after its
# last whole message, the end MAX_ECHO_WAIT (60 s) later - bound 150 s.
# Its connection slot then serves a real client, a real client beside it
# keeps its call throughout, and the trickle logs no line per byte.
# Upstream reset its idle timer on any readable byte and kept such a peer
# (and a slot) for good, logging an error for each byte (patches/0022).
# The two timers are compiled in (pptpdefs.h, no pptpd.conf knob), so this
# test runs about 130 s.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare ss
t_init
plan 6

ns_add srv
ns_add cli
ns_link srv 10.44.0.1/24 cli 10.44.0.2/24
write_pptpd_conf "$T_TMP/pptpd.conf" "connections 2"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
started() { grep -c 'CTRL: Client 10\.44\.0\.2 control connection started' "$LOGFILE"; }

# the bystander: a call held (and echoed every 2 s) until told to end
run_bg good pptp_client cli 10.44.0.1 -n 1 -m 2 -H 240 -E 2000 -t 260
good=$BG_PID
wait_for 15 standin_count 1 || diag "the bystander's call did not come up"

# the trickler takes the second (last) slot
flooder_conns() { in_ns cli ss -tnpH state established '( dport = :1723 )' | grep -c '"flooder"'; }
start=$(date +%s)
run_bg trickle ip netns exec "$(ns cli)" "$TOOLS/flooder" 10.44.0.1:1723 --slow 1 --whole-first \
	--message sccrq --every 1000 --seconds 300
trickle=$BG_PID
wait_for 10 eval '[ "$(started)" -ge 2 ]' || diag "the trickler's SCCRQ did not start a pptpctrl"
wait_for 5 eval '[ "$(flooder_conns)" -eq 1 ]' || diag "the trickler is not connected"

# (polled once a second against the clock: ss in a namespace is not cheap)
while [ "$(flooder_conns)" -ne 0 ] && [ $(($(date +%s) - start)) -lt 150 ]; do
	sleep 1
done
s=$(($(date +%s) - start))
check "pptpctrl ends the trickling peer's connection within 150 s" \
	test "$(flooder_conns)" -eq 0 -a "$s" -le 150
diag "the trickler was dropped ${s} s after its SCCRQ (bound 150 s: IDLE_WAIT 60 + MAX_ECHO_WAIT 60 + slack)"
check "pptpctrl logs the drop as a session timeout" log_has 'CTRL: Session timed out, ending call'
check "not before IDLE_WAIT (60 s) without a whole message: it took ${s} s" \
	test "$s" -ge 60

out=$(pptp_client cli 10.44.0.1 -n 1 -m 2 -t 15 2>&1)
rc=$?
diag "$out"
check "its slot is free: a real client is served (connections 2, the bystander holds the other)" \
	test "$rc" -eq 0

# end the bystander's hold: its echoes must all have been answered
for pid in $(ip netns pids "$(ns cli)"); do
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pptp-drive ] && kill -USR1 "$pid"
done
wait "$good"
rc=$?
diag "$(cat "$T_TMP/good.out")"
check "the bystander kept its call, every echo answered, through it all" test "$rc" -eq 0

kill -TERM "$trickle" 2>/dev/null
wait "$trickle" 2>/dev/null
diag "$(cat "$T_TMP/trickle.out")"
n=$(grep -c "couldn't read packet header\|Error reading ctrl packet" "$LOGFILE")
check "no log line per trickled byte ($n such lines)" test "$n" -eq 0
t_finish
