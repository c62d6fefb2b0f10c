#!/bin/bash
# SIGTERM to pptpd ends the sessions it started before it exits
# (patches/0016: upstream's manager exited at once and left its pptpctrl
# and tunnel session processes running, clients and addresses included).
# One direct call and one through an RRP tunnel are held; after the
# SIGTERM the direct client must have received Call-Disconnect-Notify and
# Stop-Control-Connection-Request, the tunnel a CLOSE (shutdown), and by
# the time pptpd has exited, none of the processes it started may be left.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_pptp_raw_client
require_cmd tcpdump tshark
t_init
plan 6

ns_add srv
ns_add cli
ns_add lrp
ns_link srv 10.24.0.1/24 cli 10.24.0.2/24
ns_link srv 10.24.1.1/24 lrp 10.24.1.2/24
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen 10.24.1.1:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
start_capture srv to-cli ctrl "tcp port 1723"
cap=$CAP_PID

run_bg direct in_ns cli "$TOOLS/pptp-raw-client" -i 4661 -n 1 -H 60 -t 10 10.24.0.1
run_bg tunnel in_ns lrp "$TOOLS/rrp-client" -s 10.24.1.1:1724 -k "$T_TMP/secret" \
	-n 1 -H 60 -t 10 --expect close:SHUTDOWN
check "both calls are up (two ppp stand-ins running)" wait_for 15 standin_count 2

# everything pptpd started: its children and theirs, down to the stand-ins
descendants() {
	local p
	for p in $(pgrep -P "$1"); do
		echo "$p"
		descendants "$p"
	done
}
started=$(descendants "$PPTPD_PID" | tr '\n' ' ')
diag "pptpd $PPTPD_PID started: $started"
t0=$(date +%s%N)
kill -TERM "$PPTPD_PID"
wait_for 30 eval '! kill -0 "$PPTPD_PID"'
wait "$PPTPD_PID" 2>/dev/null
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
left=
for p in $started; do
	[ -d "/proc/$p" ] && left="$left $p($(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-40))"
done
diag "pptpd exited ${ms} ms after SIGTERM"
check "when pptpd had exited, none of its sessions' processes was left:${left:- none}" test -z "$left"
check "pptpd logged that it ended its 2 sessions" log_has 'MGR: shutting down: ending 2 sessions'

stop_capture "$cap" ctrl
sent=$(pptp_ctrl_stream "$T_TMP/ctrl.pcap" 10.24.0.1 10.24.0.2 | awk '{ print $1 }' | tr '\n' ' ')
diag "pptpd sent the direct client (control message types): $sent"
check "the direct client was sent Call-Disconnect-Notify (13) and Stop-Control-Connection-Request (3)" \
	eval '[[ "$sent" == *" 13 3 "* ]]'
wait_for 10 grep -q 'rrp-client:' "$T_TMP/tunnel.out"
diag "tunnel client: $(tail -n 1 "$T_TMP/tunnel.out")"
check "the tunnel's session said goodbye through the tunnel" log_has 'via LRP .*: shutting down'
check "and closed the tunnel with CLOSE (shutdown)" grep -q '^rrp-client: ok' "$T_TMP/tunnel.out"
t_finish
