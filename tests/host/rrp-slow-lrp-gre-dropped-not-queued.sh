#!/bin/bash
# A slow consumer: an LRP that stops reading its tunnel while 28 MB of
# echoed frames head its way.  The RRP's per-tunnel queue is bounded: GRE
# beyond rrp-queue-limit is dropped and counted (in the log at the end),
# the session process's memory stays small, and control messages still
# get through afterwards (a PPTP Echo-Request is answered).
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
t_init
plan 5

ns_add srv
ns_add lrp
ns_link srv 10.21.0.1/24 lrp 10.21.0.2/24
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" \
	"rrp-listen 10.21.0.1:1724" \
	"rrp-secret-file $T_TMP/secret" \
	"rrp-queue-limit 65536"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

run_bg flood rrp_client lrp -s 10.21.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.50:45000 -n 2 -m 10 \
	--mode flood:20000 -H 2 -t 60 -q
client=$BG_PID
# the session process is pptpd's child; watch its peak memory while it runs
peak=0
while kill -0 "$client" 2>/dev/null; do
	for pid in $(pgrep -P "$PPTPD_PID"); do
		kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		[ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb
	done
	sleep 0.1
done
wait "$client"
rc=$?
out=$(cat "$T_TMP/flood.out")
diag "$out"
check "the flooded session still passed its checks, control answered after the flood" test "$rc" -eq 0
wait_for 5 log_has 'tunnel closed' || true
line=$(grep 'tunnel closed' "$LOGFILE" | tail -n 1)
diag "$line"
dropped_to_lrp=$(echo "$line" | sed -n 's/.*GRE dropped [0-9]* from \/ \([0-9]*\) to the LRP.*/\1/p')
check "GRE beyond the queue limit was dropped and counted ($dropped_to_lrp packets)" \
	test "${dropped_to_lrp:-0}" -gt 0
back=$(echo "$out" | sed -n 's/.*flood \([0-9]*\) sent \([0-9]*\) back.*/\2/p')
check "the slow LRP got far fewer than it was sent ($back of 20000 frames back)" \
	test -n "$back" -a "${back:-20000}" -lt 20000
diag "session process peak resident memory: $peak KiB (28 MB were flooded)"
check "the session process's memory stayed bounded (peak $peak KiB < 16384 KiB)" \
	test "$peak" -gt 0 -a "$peak" -lt 16384
check "pptpd's manager is still running" kill -0 "$PPTPD_PID"
t_finish
