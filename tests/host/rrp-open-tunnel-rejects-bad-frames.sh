#!/bin/bash
# An authenticated tunnel that then sends a malformed control message, a
# malformed GRE packet or a frame of unknown type is ended with ERROR and
# one log line naming the client, the LRP and the cause; its pptpctrl goes
# away; a session held open meanwhile is not disturbed.
. "$top_srcdir/tests/host/rrp-bad-peers-are-contained.inc"
plan 8
setup_server 8

bad_case bad-ctrl error:PAYLOAD 'client 192\.0\.2\.20:42000 via LRP 10\.16\.0\.2:[0-9]+: bad control message from the LRP: magic cookie' "a control message with a bad magic cookie"
bad_case bad-gre error:PAYLOAD 'client 192\.0\.2\.20:42000 via LRP .*: bad GRE packet from the LRP: GRE payload length' "a GRE packet whose length lies"
bad_case garbage-after-open error:TYPE 'client 192\.0\.2\.20:42000 via LRP .*: bad frame from the LRP: unknown frame type' "an unknown frame in an open tunnel"

broken_closed() { grep -c 'client 192\.0\.2\.20:42000 via LRP .*: tunnel closed' "$LOGFILE"; }
check "each broken tunnel's session ended and was logged" \
	wait_for 10 eval '[ "$(broken_closed)" -ge 3 ]'
diag "$(broken_closed) broken tunnels logged closed"

# The processes each broken tunnel had, from pptpd's log: the session
# process "pptpd[PID]" and the pptpctrl it started.  The good session's
# are not among them (another client address).
procs=$(sed -n 's/.*pptpd\[\([0-9]*\)\]: RRP: client 192\.0\.2\.20:42000 via LRP [^ ]*: pptpctrl \([0-9]*\) started.*/\1 \2/p' "$LOGFILE")
# running PID...: one of them is a live process (a zombie has ended)
running() {
	local pid s
	for pid in "$@"; do
		s=$(ps -o stat= -p "$pid") && [ "${s#Z}" = "$s" ] && return 0
	done
	return 1
}
# shellcheck disable=SC2086
if [ "$(echo $procs | wc -w)" -eq 6 ] && wait_for 5 eval '! running $procs'; then
	ok "each broken tunnel's pptpctrl and session process went away"
else
	# shellcheck disable=SC2086
	diag "session process and pptpctrl of each broken tunnel: ${procs:-none logged}" \
		"$(ps -o pid,stat,args -p "$(echo $procs | tr ' ' ,)" 2>&1)"
	not_ok "each broken tunnel's pptpctrl and session process went away"
fi
finish_good
t_finish
