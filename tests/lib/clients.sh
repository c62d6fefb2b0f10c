# clients.sh - the clients the tests drive (sourced by common.sh, bash):
# Debian's pptp through pptp-drive, the raw PPTP client, the RRP's own
# tunnel client, and the checks built on them (a client served in time,
# a flooder stopped).

# pptp_client NS SERVER [DRIVE OPTIONS...]: Debian's pptp client, without
# pppd, driven by pptp-drive, in namespace NS with a private /run (pptp
# keeps its call-manager socket under /var/run/pptp).
pptp_client() {
	local nsname=$1 server=$2
	shift 2
	in_ns "$nsname" unshare -m sh -c 'mount -t tmpfs tmpfs /run && exec "$@"' sh \
		"$TOOLS/pptp-drive" "$@" -- \
		pptp "$server" --nolaunchpppd --nohostroute --loglevel 0
}

# start_client_logsink NAME: a syslog receiver for pptp_client_syslog,
# writing $T_TMP/NAME.syslog (call it from the test's own shell, not in a
# command substitution, so that the cleanup knows its PID).
start_client_logsink() {
	: >"$T_TMP/$1.syslog"
	run_bg "$1-sink" "$TOOLS/logsink" "$T_TMP/$1-log.sock" "$T_TMP/$1.syslog"
	wait_for 5 test -S "$T_TMP/$1-log.sock" || bail_out "logsink for $1 did not start"
}

# pptp_client_syslog NAME NS SERVER [DRIVE OPTIONS...]: pptp_client, with
# pptp-linux logging at level 1 to its syslog, which goes (through a
# private /dev/log) to start_client_logsink NAME's $T_TMP/NAME.syslog:
# what the client says about how its connection ended.
pptp_client_syslog() {
	local name=$1 nsname=$2 server=$3
	shift 3
	[ -S "$T_TMP/$name-log.sock" ] || bail_out "pptp_client_syslog $name: no start_client_logsink $name"
	in_ns "$nsname" "$LIB/with-devlog" "$T_TMP/$name-log.sock" sh -c 'mount -t tmpfs tmpfs /run && exec "$@"' sh \
		"$TOOLS/pptp-drive" "$@" -- \
		pptp "$server" --nolaunchpppd --nohostroute --loglevel 1
}

# require_pptp_raw_client: bail out (at the start of a test, where TAP
# sees it) unless tests/tools/pptp-raw-client is built.
require_pptp_raw_client() {
	[ -x "$TOOLS/pptp-raw-client" ] ||
		bail_out "$TOOLS/pptp-raw-client not built (tests/tools/pptp-raw-client.mk)"
}

# pptp_raw_client NS ARGS...: tests/tools/pptp-raw-client in NS.
pptp_raw_client() {
	local nsname=$1
	shift
	in_ns "$nsname" "$TOOLS/pptp-raw-client" "$@"
}

# rrp_client NS ARGS...: the RRP's independent test client, in NS.
rrp_client() {
	local nsname=$1
	shift
	in_ns "$nsname" "$TOOLS/rrp-client" "$@"
}

# ---- checks on clients ------------------------------------------------------

# served_within MS WHAT COMMAND...: a check that COMMAND (a client)
# succeeds in under MS milliseconds; its output goes to the log.
served_within() {
	local bound=$1 what=$2 start out rc ms
	shift 2
	start=$(date +%s%N)
	out=$("$@" 2>&1)
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	diag "$out"
	check "$what (done after $ms ms; bound $bound ms)" test "$rc" -eq 0 -a "$ms" -lt "$bound"
}

# stop_flooder SECONDS WHO: end the flood test's flooder (run_bg flooder,
# $flooder; its counts go to the log) and check that WHO's descriptors,
# as the test's fds() counts them, are back to $base_fds within SECONDS.
stop_flooder() {
	kill -TERM "$flooder" 2>/dev/null
	wait "$flooder" 2>/dev/null
	diag "$(cat "$T_TMP/flooder.out")"
	check "once the flood stops $2's descriptors are back to the baseline ($base_fds) within $1 s" \
		wait_for "$1" eval '[ "$(fds)" -le "$base_fds" ]'
	diag "after the flood: $(fds) descriptors"
}
