# daemons.sh - the daemons under test, pptpd and lrp, with their
# configuration files, their logs (a logsink per daemon) and what the ppp
# stand-in reports (sourced by common.sh, bash).

# ---- logs ----------------------------------------------------------------

# start_logsink NAME: a syslog receiver; sets LOGSOCK and LOGFILE.
start_logsink() {
	LOGSOCK=$T_TMP/$1.sock
	LOGFILE=$T_TMP/$1.log
	: >"$LOGFILE"
	run_bg "$1-sink" "$TOOLS/logsink" "$LOGSOCK" "$LOGFILE"
	wait_for 5 test -S "$LOGSOCK" || bail_out "logsink did not start"
}

# log_has PATTERN: the daemon's syslog has a line matching PATTERN (ERE).
log_has() { grep -Eq -- "$1" "$LOGFILE"; }

# ---- pptpd and the ppp stand-in -------------------------------------------

# start_pptpd NS CONF BINARY [ARGS...]: run a pptpd in the foreground in
# namespace NS, logging to a fresh logsink, with the stand-in reporting to
# $T_TMP/standin; sets PPTPD_PID.  BINARY is ours ($top_builddir/pptpd/pptpd,
# which is told to run our own pptpctrl and plugin), Debian's stock one, or
# a wrapper that execs one with the arguments it is given (valgrind).
# Waits $T_START_WAIT seconds (5 by default) for the manager to start.
start_pptpd() {
	local nsname=$1 conf=$2 bin=$3
	shift 3
	mkdir -p "$T_TMP/standin"
	start_logsink "pptpd-$nsname"
	run_bg "pptpd-$nsname" ip netns exec "$(ns "$nsname")" env \
		STANDIN_DIR="$T_TMP/standin" \
		PPTPD_PPTPCTRL="$top_builddir/pptpd/pptpctrl" \
		PPTPD_LOGWTMP_PLUGIN="$top_builddir/pptpd/pptpd-logwtmp.so" \
		"$LIB/with-devlog" "$LOGSOCK" \
		"$bin" --fg -c "$conf" -p "$T_TMP/pptpd-$nsname.pid" "$@"
	PPTPD_PID=$BG_PID
	wait_for "${T_START_WAIT:-5}" log_has 'MGR: Manager process started' ||
		{ cat "$T_TMP/pptpd-$nsname.out" "$LOGFILE" >&2; bail_out "pptpd did not start"; }
}

# pptpd_listening NS: pptpd's manager in NS listens on TCP 1723 - the
# last descriptor it opens, after it logs that it started (for wait_for,
# before a test counts the manager's descriptors).
pptpd_listening() { [ -n "$(in_ns "$1" ss -Hltn 'sport = :1723')" ]; }

# write_pptpd_conf FILE [EXTRA LINES...]: a pptpd.conf using the stand-in.
write_pptpd_conf() {
	local f=$1
	shift
	{
		echo "ppp $TOOLS/ppp-standin"
		echo "localip 192.168.77.1"
		echo "remoteip 192.168.77.10-49"
		printf '%s\n' "$@"
	} >"$f"
}

# standin_reports: the stand-in report files written so far.
standin_reports() { ls "$T_TMP"/standin/standin-*.txt 2>/dev/null; }
# standin_count N: at least N stand-ins have started (for wait_for).
standin_count() { [ "$(standin_reports | wc -l)" -ge "$1" ]; }

# make_secret FILE: a fresh shared secret, mode 0600.
make_secret() {
	(umask 077 && head -c 32 /dev/urandom | base64 >"$1")
}

# standin_for IP: the stand-in report whose ipparam is IP.
standin_for() { grep -l "ipparam $1 " $(standin_reports) </dev/null 2>/dev/null | head -n 1; }

# ---- the LRP ---------------------------------------------------------------

# write_lrp_conf FILE SERVER [EXTRA LINES...]: an lrp.conf for nat_topology
# (clients on the LAN address, GRE captured on to-lan), with the test's
# secret $T_TMP/secret, pidfile, status socket $T_TMP/lrp.sock and debug
# logging; EXTRA LINES come last, so they can override.
write_lrp_conf() {
	local f=$1 server=$2
	shift 2
	{
		echo "listen ${LAN_LRP:-10.40.1.1}:1723"
		echo "interface to-lan"
		echo "server $server"
		echo "secret-file $T_TMP/secret"
		echo "pidfile $T_TMP/lrp.pid"
		echo "status-socket $T_TMP/lrp.sock"
		echo "log-level debug"
		printf '%s\n' "$@"
	} >"$f"
}

# start_lrp NS CONF [BINARY]: our lrp in the foreground in namespace NS (its
# stderr log in $LRP_LOG, its syslog in $LRP_SYSLOG through a private
# /dev/log), started by run_bg itself so that LRP_PID is lrp's own PID
# (every step is an exec); waits for its "started" line ($T_START_WAIT
# seconds, 5 by default).  BINARY (default: ours) may be a wrapper that
# execs lrp with the arguments it is given (valgrind).
start_lrp() {
	local nsname=$1 conf=$2 bin=${3:-$top_builddir/lrp/lrp}
	# lrp drops to user nobody, which re-reads the configuration on SIGHUP
	chmod 0711 "$T_TMP"
	LRP_NS=$nsname
	LRP_CONF=$conf
	LRP_LOG=$T_TMP/lrp-$nsname.out
	LRP_SYSLOG=$T_TMP/lrp-$nsname.syslog
	: >"$LRP_SYSLOG"
	if [ ! -S "$T_TMP/lrp-$nsname-log.sock" ]; then
		run_bg "lrp-$nsname-sink" "$TOOLS/logsink" "$T_TMP/lrp-$nsname-log.sock" "$LRP_SYSLOG"
		wait_for 5 test -S "$T_TMP/lrp-$nsname-log.sock" || bail_out "logsink for lrp did not start"
	fi
	run_bg "lrp-$nsname" ip netns exec "$(ns "$nsname")" \
		"$LIB/with-devlog" "$T_TMP/lrp-$nsname-log.sock" "$bin" -f -c "$conf"
	LRP_PID=$BG_PID
	wait_for "${T_START_WAIT:-5}" lrp_log_has 'lrp .* started: ' ||
		{ cat "$LRP_LOG" >&2; bail_out "lrp did not start"; }
}

# lrp_log_has PATTERN: lrp's log has a line matching PATTERN (ERE).
lrp_log_has() { grep -Eq -- "$1" "$LRP_LOG"; }

# lrp_status: `lrp -S` against the running lrp (its status table).
lrp_status() { in_ns "$LRP_NS" "$top_builddir/lrp/lrp" -S -c "$LRP_CONF"; }

# lrp_sessions: the number of sessions `lrp -S` reports.
lrp_sessions() { lrp_status | sed -n 's/.*, \([0-9]*\) sessions (max.*/\1/p'; }
