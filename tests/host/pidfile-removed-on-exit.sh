#!/bin/bash
# pptpd removes its pid file when it exits, on SIGTERM and on SIGINT, and
# only while the file still names it (patches/0015: upstream left it
# behind, naming a dead process).
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
t_init
plan 5

ns_add srv
write_pptpd_conf "$T_TMP/pptpd.conf"
pidfile=$T_TMP/pptpd-srv.pid	# start_pptpd's -p

# end_pptpd SIGNAL: signal pptpd, wait up to 20 s for it to exit, then
# SIGKILL it (a pptpd that ignores the signal must fail the test, not
# hang it)
end_pptpd() {
	kill -"$1" "$PPTPD_PID"
	if ! wait_for 20 eval '! kill -0 "$PPTPD_PID"'; then
		diag "pptpd did not exit within 20 s of SIG$1; killing it"
		kill -KILL "$PPTPD_PID"
	fi
	wait "$PPTPD_PID" 2>/dev/null
}

for sig in TERM INT; do
	start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
	check "pptpd wrote its pid to the pid file ($(cat "$pidfile" 2>/dev/null) = $PPTPD_PID)" \
		test "$(cat "$pidfile" 2>/dev/null)" = "$PPTPD_PID"
	end_pptpd "$sig"
	check "after SIG$sig pptpd has exited and its pid file is gone" \
		test ! -e "$pidfile" -a ! -d "/proc/$PPTPD_PID"
done

# Another process has written the file since: it is not ours to remove.
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
echo 999999 >"$pidfile"
end_pptpd TERM
check "a pid file naming another process is left alone" test "$(cat "$pidfile" 2>/dev/null)" = 999999
t_finish
