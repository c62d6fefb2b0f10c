#!/bin/bash
# A SIGTERM is never lost by an RRP tunnel's session process (issue 20,
# item 7).  The session process checked its SIGTERM flag and then called
# poll(): a SIGTERM arriving between the two left it asleep until its
# next keepalive (rrp-keepalive, 60 s here), past the manager's 15 s
# grace after which it is killed without a goodbye.
#
# That gap is a few instructions, and on these machines no SIGTERM sent
# at a random moment ever landed in it (0 of 320 busy sessions), so
# sigterm-before-poll puts it there: it stops each session process under
# ptrace as it enters poll(), its flag just checked, and makes the
# SIGTERM arrive at that instant.  A storm of SESSIONS tunnels, each so
# ended; every tunnel client must then receive Call-Disconnect-Notify,
# Stop-Control-Connection-Request and CLOSE (shutdown) within GOODBYE_S
# seconds, far below the keepalive; and pptpd must go on serving.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
[ "$(uname -m)" = x86_64 ] || skip_all "sigterm-before-poll is written for x86-64 only"
t_init
plan 6

SESSIONS=20
GOODBYE_S=10

ns_add srv
ns_add lrp
ns_link srv 10.27.1.1/24 lrp 10.27.1.2/24
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen 10.27.1.1:1724" "rrp-secret-file $T_TMP/secret" \
	"rrp-keepalive 60"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

# tunnels' session processes: pptpd's children that are pptpd (a direct
# client's pptpctrl is exec'd; a tunnel's session process is forked)
sessions() { pgrep -P "$PPTPD_PID" -x pptpd; }
clients_running() {
	local p
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

pids=()
for i in $(seq 1 "$SESSIONS"); do
	run_bg "client$i" in_ns lrp "$TOOLS/rrp-client" -s 10.27.1.1:1724 -k "$T_TMP/secret" \
		-c "192.0.2.$i:40000" -n 1 -H 120 -t 20 --expect close:SHUTDOWN
	pids+=("$BG_PID")
done
check "$SESSIONS calls are up through $SESSIONS tunnels" wait_for 60 standin_count "$SESSIONS"
targets=$(sessions | tr '\n' ' ')
check "$SESSIONS session processes" test "$(echo $targets | wc -w)" -eq "$SESSIONS"

out=$("$TOOLS/sigterm-before-poll" $targets)
rc=$?
diag "$out"
check "each session process got its SIGTERM as it entered its wait" test "$rc" -eq 0
t0=$(date +%s%N)
wait_for "$GOODBYE_S" eval '! clients_running "${pids[@]}"'
ms=$((($(date +%s%N) - t0) / 1000000))
missed=0
for i in $(seq 1 "$SESSIONS"); do
	if ! grep -q '^rrp-client: ok .*teardown CDN>server-StopCCRQ' "$T_TMP/client$i.out"; then
		missed=$((missed + 1))
		diag "client 192.0.2.$i: $(grep -E '^rrp-client: (ok|FAILED)' "$T_TMP/client$i.out" || echo 'no goodbye yet')"
	fi
done
check "every tunnel client was sent Call-Disconnect-Notify, Stop-Control-Connection-Request and CLOSE (shutdown) within $GOODBYE_S s: $missed were not (the last after $ms ms)" \
	test "$missed" -eq 0
check "every session process logged its shutdown" \
	eval '[ "$(grep -c "via LRP .*: shutting down" "$LOGFILE")" -eq "$SESSIONS" ]'

# the rest of pptpd is untouched: the slots are free again and a new
# tunnel is served
for p in "${pids[@]}"; do
	kill -TERM "$p" 2>/dev/null
done
wait_for 90 eval '[ -z "$(sessions)" ]'
out=$(rrp_client lrp -s 10.27.1.1:1724 -k "$T_TMP/secret" -c 192.0.2.250:40100 -n 3 -m 20 -q)
rc=$?
diag "$out"
check "pptpd then serves a new tunnel" test "$rc" -eq 0
t_finish
