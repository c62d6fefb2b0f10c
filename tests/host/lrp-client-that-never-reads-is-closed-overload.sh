#!/bin/bash
# A LAN client with no credentials (the login comes later, inside PPP)
# sends a Start-Control-Connection-Request, then Echo-Requests (up to a
# million) as fast as the LAN takes them, and never reads a byte.  Control
# is never dropped, so the LRP bounds it by reading less:
#   1. the client's tunnel frozen (pptpd's session process for it stopped
#      with SIGSTOP): once the tunnel's queue holds 32 KiB of control over
#      queue-limit the LRP stops reading the client, which TCP then holds
#      back; the queue stays within that bound and lrp's resident memory
#      grows by less than 8 MiB at its peak (the flood, queued whole, is
#      about 20 MB);
#   2. the link to the RRP slowed to 2 Mbit/s (tbf): the client is read
#      only as fast as the tunnel drains, pptpctrl answers what reaches it,
#      the answers pile up for a client that does not read them, and past
#      64 KiB the LRP ends that session with CLOSE OVERLOAD and a log line
#      naming the client and the cause (pptpd logs the reason it got);
#      lrp's peak memory stays within the same bound;
# while another client's call through the same LRP passes LCP echoes
# every 200 ms throughout.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/host/hostile/lib.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
require_pptp_raw_client
t_init
plan 11
# ASan holds freed memory in quarantine (256 MB by default), which would
# make RSS measure what was freed as well as what is held
[ "$T_SAN" = 1 ] && ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=0:thread_local_quarantine_size_kb=0"

QUEUE_LIMIT=262144	# lrp's default queue-limit
CTRL_ROOM=32768		# LRP_CTRL_ROOM_BYTES (lrp/lrp.h)
RSS_BOUND_KIB=8192

nat_topology 2
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"
kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$LRP_PID/status"; }

# the bystander: a call held (and echoed every 200 ms) until told to end
run_bg good pptp_client cli1 "$LAN_LRP" -n 3 -m 20 -H 300 -E 200 -t 320
good=$BG_PID
wait_for 15 eval 'lrp_status | grep -q "^1 .* call-up "' || diag "the bystander's call did not come up"

rss_before=$(kib VmRSS)

# flood CASE [ARGS]: start the flooder in cli2 ($T_TMP/flood-CASE.out);
# sets flood (its PID) and port (its TCP port)
flood() {
	run_bg "flood-$1" ip netns exec "$(ns cli2)" "$TOOLS/pptp-raw-client" -M echo-flood -F 1000000 -t 150 "${@:2}" "$LAN_LRP"
	flood=$BG_PID
	wait_for 10 grep -q 'echo-flood from port' "$T_TMP/flood-$1.out"
	port=$(sed -n 's/.*echo-flood from port \([0-9]*\)$/\1/p' "$T_TMP/flood-$1.out" | head -n 1)
	diag "flooder $1 is 10.40.1.12:$port"
}

# 1. frozen: the SCCRQ opens a tunnel, whose session process is stopped
# before the flood (-W: on SIGUSR1) begins
flood frozen -W
wait_for 10 grep -q 'the flood starts on SIGUSR1' "$T_TMP/flood-frozen.out"
wait_for 10 log_has "RRP: client 10\.40\.1\.12:$port via LRP .*: pptpctrl [0-9]+ started" ||
	diag "no pptpctrl for the flooder"
session=$(sed -n "s/.*pptpd\[\([0-9]*\)\]: RRP: client 10\.40\.1\.12:$port via LRP .*: tunnel authenticated.*/\1/p" "$LOGFILE" | head -n 1)
diag "pptpd's session process for it is $session; stopped"
kill -STOP "$session"
kill -USR1 "$flood"
wait_for 60 grep -Eq 'held back after|all [0-9]+ Echo-Requests sent|ended the connection' "$T_TMP/flood-frozen.out"
stopped_reading="client 10\.40\.1\.12:$port: [0-9]+ bytes queued in the tunnel, over queue-limit $QUEUE_LIMIT \+ $CTRL_ROOM for control: not reading the client"
wait_for 5 lrp_log_has "$stopped_reading" || true
diag "$(cat "$T_TMP/flood-frozen.out")"
row=$(lrp_status | awk -v c="10.40.1.12:$port" '$2 == c')
diag "lrp -S: $row"
queued=$(echo "$row" | awk '{ print $14 }')
hwm=$(kib VmHWM)
check "frozen tunnel: the LRP stopped reading the flooder, which TCP held back" \
	grep -q 'held back after' "$T_TMP/flood-frozen.out"
check "frozen tunnel: its queue stayed within queue-limit + 32 KiB + one message (${queued:-?} bytes)" \
	test -n "$queued" -a "${queued:-999999999}" -le $((QUEUE_LIMIT + CTRL_ROOM + 224))
check "frozen tunnel: lrp's resident memory grew by less than $RSS_BOUND_KIB KiB at its peak ($rss_before -> peak $hwm KiB)" \
	test "$((hwm - rss_before))" -lt "$RSS_BOUND_KIB"
check "frozen tunnel: the LRP logged why it stopped reading the client" \
	lrp_log_has "$stopped_reading"
# the flooder goes away and the tunnel thaws: the session ends
{ kill -KILL "$flood"; wait "$flood"; } 2>/dev/null
kill -CONT "$session"
check "frozen tunnel: once the flooder is gone and the tunnel moves, its session ends" \
	wait_for 60 lrp_log_has "client 10\.40\.1\.12:$port: session ended"

# 2. unread: a flood paced for pptpctrl to answer it all
flood unread -R ${FLOOD_RATE:-2000}
check "unread answers: the LRP ended the session of the client that does not read its control messages" \
	wait_for 90 lrp_log_has "client 10\.40\.1\.12:$port: the client does not read its control messages \([0-9]+ bytes wait for it, over the bound of 65536\); closing"
check "unread answers: with CLOSE OVERLOAD, as pptpd logged it" \
	wait_for 10 log_has "RRP: client 10\.40\.1\.12:$port via LRP .*: tunnel closed by the LRP: control could not be delivered in time \(6\) \"client does not read its control messages\""
wait "$flood"
rc=$?
diag "$(cat "$T_TMP/flood-unread.out")"
diag "$(grep -E "client 10\.40\.1\.12:$port: (session ended|.*not reading the client|the tunnel's queue drained)" "$LRP_LOG" | head -n 4)"
check "unread answers: the flooder's connection was ended by the LRP" test "$rc" -eq 0
hwm=$(kib VmHWM)
check "lrp's peak resident memory over both floods grew by less than $RSS_BOUND_KIB KiB ($rss_before -> peak $hwm KiB)" \
	test "$((hwm - rss_before))" -lt "$RSS_BOUND_KIB"

end_hold cli1 "$good"
rc=$?
diag "$(cat "$T_TMP/good.out")"
check "the bystander's call, echoed every 200 ms throughout, passed all its checks" test "$rc" -eq 0
check "lrp is still running, with no session left" settled lrp_sessions 0
t_finish
