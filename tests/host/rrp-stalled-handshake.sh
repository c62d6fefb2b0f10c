#!/bin/bash
# A tunnel whose handshake never completes does not hold up anyone else:
# while it hangs, a tunnel session and a direct 1723 session are served at
# once; it is dropped after rrp-handshake-timeout with ERROR TIMEOUT and a
# log line, and leaves no process behind.  (Upstream's manager waited for
# each 1723 connection's first packet and served nothing else meanwhile.
# pptpd's manager keeps the connections that have not sent their first
# message in its set of waiting connections, inside its own select() loop
# (pptpd/pptpd_pending.h), and runs a tunnel's handshake there, frame by
# frame as it arrives; a tunnel gets a connection slot and a session
# process only once the LRP has authenticated (pptpd/rrp_listen.h).)
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare
t_init
plan 6

# the handshake timeout the sessions must beat, and the slack for closing
# after it: 4 s and 3 s, or 10 s and 6 s in a sanitizer build, whose
# processes run several times slower
hs=4 slack=3000
[ "$T_SAN" = 1 ] && hs=10 slack=6000

ns_add srv
ns_add lrp
ns_link srv 10.17.0.1/24 lrp 10.17.0.2/24
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" \
	"rrp-listen 10.17.0.1:1724" \
	"rrp-secret-file $T_TMP/secret" \
	"rrp-handshake-timeout $hs"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

start=$(date +%s%N)
run_bg stall rrp_client lrp -s 10.17.0.1:1724 -k "$T_TMP/secret" --mode stall --expect error:TIMEOUT -t $((hs + 8)) -q
stall=$BG_PID
# the silent tunnel is connected (in the listen queue ahead of the others)
wait_for 5 eval '[ -n "$(in_ns srv ss -Htn state established "( sport = :1724 )")" ]' ||
	diag "the silent tunnel did not connect"

out=$(rrp_client lrp -s 10.17.0.1:1724 -k "$T_TMP/secret" -c 192.0.2.30:43000 -n 3 -m 20 -q 2>&1)
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
diag "$out"
check "a tunnel session is served while the other handshake hangs (done after $ms ms)" \
	test "$rc" -eq 0 -a "$ms" -lt $((hs * 1000 - 500))
out=$(pptp_client lrp 10.17.0.1 -n 2 -m 5 2>&1)
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
diag "$out"
check "a direct 1723 session too (done after $ms ms, handshake timeout $((hs * 1000)) ms)" \
	test "$rc" -eq 0 -a "$ms" -lt $((hs * 1000))

wait "$stall"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
diag "$(cat "$T_TMP/stall.out")"
check "the silent tunnel gets ERROR TIMEOUT" test "$rc" -eq 0
check "after the handshake timeout ($ms ms, configured $hs s)" test "$ms" -ge $((hs * 1000 - 500)) -a "$ms" -lt $((hs * 1000 + slack))
check "and pptpd logs it, naming the LRP" \
	log_has 'RRP: tunnel from LRP 10\.17\.0\.2:[0-9]+: handshake not completed within '"$hs"' s \(waiting for HELLO\); closed'
check "once it is dropped pptpd has no session process left" \
	wait_for 3 eval '[ "$(in_ns srv pgrep -c -P "$PPTPD_PID")" -eq 0 ]'
t_finish
