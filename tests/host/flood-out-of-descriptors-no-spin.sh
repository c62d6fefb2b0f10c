#!/bin/bash
# When a flood uses up every descriptor a daemon may open (the limits set
# too high for its `ulimit -n`), accept() fails with EMFILE while the
# connection stays queued, so a daemon that retries at once spins at 100%
# CPU.  pptpd's manager (port 1723 and rrp-listen) and the LRP pause
# accepting for a second instead, log it (once a minute), keep running,
# and serve a real client again once the flood is gone.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare
t_init
plan 10

# CPU ticks (user + system, 1/100 s) a process has used so far
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# ticks the process used during the next 3 s
ticks_in_3s() {
	local a b
	a=$(ticks "$1")
	sleep 3
	b=$(ticks "$1")
	echo $((b - a))
}

# Each daemon runs with at most 40 descriptors, its limits far above that.
cat >"$T_TMP/pptpd-40fds" <<EOF
#!/bin/sh
ulimit -n 40 && exec "$top_builddir/pptpd/pptpd" "\$@"
EOF
cat >"$T_TMP/lrp-40fds" <<EOF
#!/bin/sh
ulimit -n 40 && exec "$top_builddir/lrp/lrp" "\$@"
EOF
chmod +x "$T_TMP/pptpd-40fds" "$T_TMP/lrp-40fds"

# cli -- lrp -- srv, no NAT: the direct client's GRE must get through
ns_add srv
ns_add lrp
ns_add cli
ns_link srv 10.43.0.1/24 lrp 10.43.0.2/24
ns_link lrp 10.43.1.1/24 cli 10.43.1.2/24
SRV_ADDR=10.43.0.1
LAN_LRP=10.43.1.1
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret" \
	"max-pending 1000" "rrp-max-pending 1000" "stimeout 10"
start_pptpd srv "$T_TMP/pptpd.conf" "$T_TMP/pptpd-40fds"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724" "max-pending 1000" "log-level info" \
	"interface to-cli"
start_lrp lrp "$T_TMP/lrp.conf" "$T_TMP/lrp-40fds"

# --- pptpd, port 1723 and rrp-listen ---------------------------------------
run_bg flood1 ip netns exec "$(ns lrp)" "$TOOLS/flooder" "$SRV_ADDR:1723" --half-open 200 --seconds 8
f1=$BG_PID
run_bg flood2 ip netns exec "$(ns lrp)" "$TOOLS/flooder" "$SRV_ADDR:1724" --half-open 200 --seconds 8
f2=$BG_PID
sleep 2
t=$(ticks_in_3s "$PPTPD_PID")
check "pptpd's manager does not spin while out of descriptors ($t/300 CPU ticks in 3 s)" test "$t" -lt 100
check "it logs accept failing on 1723, once" \
	eval '[ "$(grep -c "MGR: accept on port 1723: Too many open files .*; not accepting for 1000 ms at a time" "$LOGFILE")" -eq 1 ]'
check "and on rrp-listen" \
	log_has 'RRP: accept on an rrp-listen socket: Too many open files; not accepting for a second at a time'
wait "$f1" "$f2" 2>/dev/null
diag "$(cat "$T_TMP/flood1.out" "$T_TMP/flood2.out")"
check "pptpd's manager is still running" kill -0 "$PPTPD_PID"
# the flood's connections are closed: the manager sees their EOF, or
# drops them at stimeout
out=$(pptp_client lrp "$SRV_ADDR" -n 1 -m 2 -t 15 2>&1)
check "a real client is served on 1723 again after the flood" test $? -eq 0
diag "$out"

# --- the LRP -----------------------------------------------------------------
run_bg flood3 ip netns exec "$(ns cli)" "$TOOLS/flooder" "$LAN_LRP:1723" --half-open 200 --seconds 8
f3=$BG_PID
sleep 2
t=$(ticks_in_3s "$LRP_PID")
check "the LRP does not spin while out of descriptors ($t/300 CPU ticks in 3 s)" test "$t" -lt 100
# the LRP sizes max-sessions to its descriptor limit at start (and pauses
# accepting on EMFILE like pptpd), so here it refuses the flood instead
n=$(grep -c "refused: max-sessions\|accept: Too many open files" "$LRP_LOG")
check "it logs the refusals (or accept failing) at most once per 10 s ($n lines)" \
	test "$n" -ge 1 -a "$n" -le 2
wait "$f3" 2>/dev/null
diag "$(cat "$T_TMP/flood3.out")"
check "the LRP is still running" kill -0 "$LRP_PID"
out=$(pptp_client cli "$LAN_LRP" -n 1 -m 2 -t 15 2>&1)
check "a real client is served through the LRP again after the flood" test $? -eq 0
diag "$out"
check "pptpd's manager is still running at the end" kill -0 "$PPTPD_PID"
t_finish
