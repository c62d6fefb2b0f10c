# common.sh - shared by the host-tier tests (sourced, bash).
#
# Each test is one script that prints TAP.  It builds its network from
# namespaces it creates itself (names carry the test's PID, so tests never
# share one), gives every address only inside them, starts real processes,
# and on exit - pass, fail or signal - kills what it started by PID and
# deletes its namespaces and temporary files.
#
# Environment (set by tests/local.mk for `make check`):
#   top_builddir, top_srcdir   the build and source trees
#   RRP_TEST_TIERS             "unit" skips the namespace tiers (distcheck)
#   RRP_TEST_KEEP              keep the temporary directory for inspection
#                              (a failed test always keeps it...)
#   RRP_TEST_DISCARD           ...unless this is set (expected failures)

set -u

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
top_builddir=$(cd "$top_builddir" && pwd)
top_srcdir=$(cd "$top_srcdir" && pwd)
TOOLS=$top_builddir/tests/tools
LIB=$top_srcdir/tests/lib

T_NUM=0
T_FAILED=0
T_NS=()
T_PIDS=()
T_PREFIX="rrp$$"
T_TMP=
T_PLANNED=

# A --enable-sanitizers build (configure.ac): every process a test starts
# writes its ASan/LSan/UBSan reports under $T_TMP/san/ (t_init), and
# t_cleanup, once it has stopped them, adds one TAP line to the plan that
# fails, with the reports as diag, if any report appeared.
T_SAN=0
grep -q '^SANITIZERS_FLAGS = -fsanitize' "$top_builddir/Makefile" 2>/dev/null && T_SAN=1

# ---- TAP -------------------------------------------------------------

plan() {
	if [ "$T_NUM" -gt 0 ] && [ "$T_SAN" = 1 ]; then
		# a plan printed last: the sanitizer check comes now, before it
		san_check
		echo "1..$(($1 + 1))"
		return 0
	fi
	T_PLANNED=1
	echo "1..$(($1 + T_SAN))"
}

ok() {
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM - $*"
}

not_ok() {
	T_NUM=$((T_NUM + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_NUM - $*"
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESCRIPTION COMMAND...: ok if COMMAND succeeds.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

# ---- prerequisites -----------------------------------------------------

require_tier() {
	case ",${RRP_TEST_TIERS:-unit,host}," in
	*",$1,"*) ;;
	*) skip_all "tier '$1' not selected (RRP_TEST_TIERS=${RRP_TEST_TIERS:-})" ;;
	esac
}

require_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root (network namespaces)"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || bail_out "$c not found: run build-aux/install-deps"
	done
}

# ---- cleanup -----------------------------------------------------------

t_cleanup() {
	local pid ns i
	set +e
	for ((i = ${#T_PIDS[@]} - 1; i >= 0; i--)); do
		pid=${T_PIDS[$i]}
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${T_PIDS[@]}"; do
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	# processes a namespace still holds (pptpctrl, the stand-in) die with
	# it: with SIGTERM first, so that a sanitizer build's daemons exit and
	# report leaks, then SIGKILL
	[ "$T_SAN" = 1 ] && for ns in "${T_NS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -TERM "$pid" 2>/dev/null
		done
	done && sleep 0.5
	for ns in "${T_NS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	local san_failed=
	[ "$T_SAN" = 1 ] && [ -n "$T_PLANNED" ] && ! san_check && san_failed=1
	if [ -n "$T_TMP" ] && [ -d "$T_TMP" ]; then
		if [ -z "${RRP_TEST_DISCARD:-}" ] &&
		   { [ -n "${RRP_TEST_KEEP:-}" ] || [ "$T_FAILED" -gt 0 ]; }; then
			echo "# kept $T_TMP for inspection"
		else
			rm -rf "$T_TMP"
		fi
	fi
	# the script's own status too (t_cleanup runs from the EXIT trap)
	[ -z "$san_failed" ] || exit 1
}

t_init() {
	T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/rrp-test.XXXXXX")
	trap t_cleanup EXIT
	trap 'exit 130' INT TERM
	[ "$T_SAN" = 1 ] && san_init
	return 0
}

# ---- sanitizer builds ----------------------------------------------------

# san_init: ASan and LSan reports go to $T_TMP/san/asan.PID, never only to
# a daemon's stderr that nobody reads.  The directory is writable by the
# processes that drop privileges (lrp runs as nobody).  UBSan stops at the
# first report (the build has -fno-sanitize-recover=all), but gcc's
# libubsan, linked next to libasan, ignores log_path and always writes to
# stderr: san_check also reads every file of $T_TMP (run_bg puts each
# daemon's stderr there).  Exit code 86 for both, so that a report is
# never mistaken for a program's own exit status.
san_init() {
	chmod 0711 "$T_TMP"
	mkdir -m 1777 "$T_TMP/san"
	ASAN_OPTIONS="log_path=$T_TMP/san/asan:exitcode=86:detect_leaks=1:print_stacktrace=1:strict_string_checks=1"
	UBSAN_OPTIONS="log_path=$T_TMP/san/ubsan:print_stacktrace=1:halt_on_error=1:exitcode=86"
	LSAN_OPTIONS="suppressions=$top_srcdir/tests/lib/lsan.supp:print_suppressions=0"
	export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
}

# san_check (from t_cleanup, the test's processes stopped): one TAP line,
# failing with every report as diag if any process wrote one.  A process
# killed by SIGKILL cannot report its leaks; everything else does.
san_check() {
	local f reports
	reports=$(find "$T_TMP/san" -type f -size +0 2>/dev/null | sort
		find "$T_TMP" -path "$T_TMP/san" -prune -o -type f ! -name '*.pcap' -print0 2>/dev/null |
			xargs -0r grep -lE -- ': runtime error: |^==[0-9]+==ERROR: [A-Za-z]+Sanitizer|^SUMMARY: [A-Za-z]+Sanitizer' 2>/dev/null | sort)
	T_NUM=$((T_NUM + 1))
	if [ -z "$reports" ]; then
		echo "ok $T_NUM - no sanitizer reports from the processes this test ran"
		return 0
	fi
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_NUM - sanitizer reports from the processes this test ran: $(echo "$reports" | wc -l)"
	for f in $reports; do
		case $f in
		"$T_TMP/san/"*) diag "==== $f" "$(head -c 20000 "$f")" ;;
		*) diag "==== $f (sanitizer lines and what follows them)" \
			"$(grep -aE -A 12 -- ': runtime error: |^==[0-9]+==ERROR: |^SUMMARY: [A-Za-z]+Sanitizer' "$f" | head -c 20000)" ;;
		esac
	done
	return 1
}

# Register a background process for cleanup: run_bg NAME COMMAND...
# (stdout/stderr go to $T_TMP/NAME.out); sets BG_PID.
run_bg() {
	local name=$1
	shift
	"$@" >"$T_TMP/$name.out" 2>&1 &
	BG_PID=$!
	T_PIDS+=("$BG_PID")
}

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

# Wait until COMMAND succeeds, up to SECONDS (fractional ok): wait_for SECONDS COMMAND...
wait_for() {
	local limit=$1 i=0
	shift
	local tries
	tries=$(awk "BEGIN { print int($limit * 10) }")
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -ge "$tries" ] && return 1
		sleep 0.1
	done
	return 0
}

# ---- namespaces ----------------------------------------------------------

# ns_add NAME: create namespace $T_PREFIX-NAME with loopback up.
ns_add() {
	local ns="$T_PREFIX-$1"
	ip netns add "$ns" || bail_out "ip netns add $ns failed"
	T_NS+=("$ns")
	ip -n "$ns" link set lo up
}

ns() { echo "$T_PREFIX-$1"; }

# in_ns NAME COMMAND...: run COMMAND inside the namespace.
in_ns() {
	local ns="$T_PREFIX-$1"
	shift
	ip netns exec "$ns" "$@"
}

# ns_link A ADDR_A/LEN B ADDR_B/LEN: a veth pair between two namespaces;
# the interfaces are named after the peer ("to-B" in A).
ns_link() {
	local a=$1 aaddr=$2 b=$3 baddr=$4
	ip link add "to-$b" netns "$(ns "$a")" type veth peer name "to-$a" netns "$(ns "$b")" ||
		bail_out "veth $a-$b failed"
	ip -n "$(ns "$a")" addr add "$aaddr" dev "to-$b"
	ip -n "$(ns "$b")" addr add "$baddr" dev "to-$a"
	ip -n "$(ns "$a")" link set "to-$b" up
	ip -n "$(ns "$b")" link set "to-$a" up
}

# ---- daemons and clients -------------------------------------------------

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

# standin_reports: the stand-in report files written so far.
standin_reports() { ls "$T_TMP"/standin/standin-*.txt 2>/dev/null; }
# standin_count N: at least N stand-ins have started (for wait_for).
standin_count() { [ "$(standin_reports | wc -l)" -ge "$1" ]; }

# make_secret FILE: a fresh shared secret, mode 0600.
make_secret() {
	(umask 077 && head -c 32 /dev/urandom | base64 >"$1")
}

# rrp_client NS ARGS...: the RRP's independent test client, in NS.
rrp_client() {
	local nsname=$1
	shift
	in_ns "$nsname" "$TOOLS/rrp-client" "$@"
}

# ---- captures ------------------------------------------------------------

# start_capture NS IFACE NAME [FILTER]: tcpdump in NS on IFACE into
# $T_TMP/NAME.pcap; by default PPTP, the tunnel port, GRE and ICMP (FILTER
# "" captures everything, for tests that assert what did NOT cross).
start_capture() {
	local filter=("${4-tcp port 1723 or tcp port 1724 or ip proto 47 or icmp or icmp6}")
	[ -n "${filter[0]}" ] || filter=()
	run_bg "cap-$3" ip netns exec "$(ns "$1")" tcpdump -i "$2" --immediate-mode -B 16384 -U -n \
		-w "$T_TMP/$3.pcap" "${filter[@]}"
	CAP_PID=$BG_PID
	wait_for 5 grep -q 'listening on' "$T_TMP/cap-$3.out" || bail_out "tcpdump did not start"
}

# stop_capture PID NAME: stop tcpdump and say whether it lost packets (a
# loaded machine can make the kernel drop them, which would look like
# gaps on the wire); sets CAP_DROPPED.
stop_capture() {
	local size=-1 same=0 i
	# tcpdump discards what it has not read yet when it is stopped: on a
	# loaded machine it lags, so let the file stop growing first.
	for i in $(seq 50); do
		if [ "$(stat -c %s "$T_TMP/$2.pcap" 2>/dev/null)" = "$size" ]; then
			same=$((same + 1))
			[ "$same" -ge 3 ] && break
		else
			same=0
			size=$(stat -c %s "$T_TMP/$2.pcap" 2>/dev/null)
		fi
		sleep 0.2
	done
	kill -INT "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	CAP_DROPPED=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$T_TMP/cap-$2.out")
	[ "${CAP_DROPPED:-0}" -eq 0 ] || diag "tcpdump: $CAP_DROPPED packets dropped by kernel"
	return 0
}

# ---- the LRP ---------------------------------------------------------------

# nat_topology N: the network of the LRP's tests, with N client namespaces:
#
#   cli1..cliN --+                        LRP's host: the LAN's router too
#                |  LAN 10.40.1.0/24       (clients' default route)
#   (bridge br0  +-- lrp 10.40.1.1 [to-lan]
#    in ns lan)       lrp 10.40.2.2 [to-nat] -- 10.40.2.1 nat 10.40.3.1 -- 10.40.3.2 srv
#
# Client i is 10.40.1.(10+i) on its interface to-lan.  The nat namespace
# masquerades what it forwards towards srv and drops IP protocol 47
# entirely, with no PPTP conntrack helper assigned: TCP crosses it, GRE
# does not - the NAT that breaks PPTP.  Sets LAN_LRP, SRV_ADDR, NAT_WAN.
nat_topology() {
	local n=$1 i
	LAN_LRP=10.40.1.1
	NAT_WAN=10.40.3.1
	SRV_ADDR=10.40.3.2
	ns_add lan
	ns_add lrp
	ns_add nat
	ns_add srv
	ip -n "$(ns lan)" link add br0 type bridge
	ip -n "$(ns lan)" link set br0 up
	lan_attach lrp 10.40.1.1/24
	for ((i = 1; i <= n; i++)); do
		ns_add "cli$i"
		lan_attach "cli$i" "10.40.1.$((10 + i))/24"
		ip -n "$(ns "cli$i")" route add default via 10.40.1.1
	done
	ns_link lrp 10.40.2.2/24 nat 10.40.2.1/24
	ns_link nat 10.40.3.1/24 srv 10.40.3.2/24
	ip -n "$(ns lrp)" route add default via 10.40.2.1
	ip -n "$(ns nat)" route add 10.40.1.0/24 via 10.40.2.2
	in_ns lrp sysctl -qw net.ipv4.ip_forward=1
	in_ns nat sysctl -qw net.ipv4.ip_forward=1
	in_ns nat iptables -t nat -A POSTROUTING -o to-srv -j MASQUERADE ||
		bail_out "iptables MASQUERADE failed in the nat namespace"
	in_ns nat iptables -A FORWARD -p 47 -j DROP
	# GRE to the NAT's own address too: a NAT without the helper has no
	# mapping for it (it would answer ICMP protocol-unreachable; here it
	# is silently gone, like every other GRE packet)
	in_ns nat iptables -A INPUT -p 47 -j DROP
}

# lan_attach NS ADDR/LEN: NS gets an interface to-lan on the LAN bridge.
lan_attach() {
	ip link add to-lan netns "$(ns "$1")" type veth peer name "p-$1" netns "$(ns lan)" ||
		bail_out "veth $1-lan failed"
	ip -n "$(ns lan)" link set "p-$1" master br0 up
	ip -n "$(ns "$1")" addr add "$2" dev to-lan
	ip -n "$(ns "$1")" link set to-lan up
}

# nat_gre_dropped: how many GRE packets the NAT has dropped.
nat_gre_dropped() {
	in_ns nat iptables -L -v -x -n | awk '$3 == "DROP" && ($4 == "47" || $4 == "gre") { n += $1 } END { print n + 0 }'
}

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

# pptp_ctrl_stream PCAP SRC DST [DST_PORT]: the PPTP control messages SRC
# sent to DST (TCP, in stream order, retransmissions skipped), one line
# each: "TYPE WORD12 BYTE14 BYTE16" - the control message type, the 16-bit
# field at offset 12 (the Call ID of OCRP, CDN, CCRQ...), the bytes at 14
# (SCCRP's result code) and 16 (OCRP's result code).  Parsed from the TCP
# payload bytes, because tshark 4.0's PPTP dissector decodes only the first
# of several messages in one segment (the LRP sends CDN and StopCCRQ in one).
pptp_ctrl_stream() {
	local pcap=$1 src=$2 dst=$3 port=${4:-}
	tshark -r "$pcap" -n -Y "ip.src == $src && ip.dst == $dst && tcp.len > 0${port:+ && tcp.dstport == $port}" \
		-T fields -e tcp.stream -e tcp.seq -e tcp.payload 2>/dev/null |
	awk -F'\t' '
	function hex(h,   i, v) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
	function byte(b, i) { return hex(substr(b, 2 * i + 1, 2)) }
	{
		gsub(":", "", $3)
		if (($1 in want) && $2 + 0 < want[$1]) next	# retransmitted
		want[$1] = $2 + length($3) / 2
		buf[$1] = buf[$1] $3
		while (length(buf[$1]) >= 4) {
			len = byte(buf[$1], 0) * 256 + byte(buf[$1], 1)
			if (len < 12 || length(buf[$1]) < 2 * len) break
			m = substr(buf[$1], 1, 2 * len)
			buf[$1] = substr(buf[$1], 2 * len + 1)
			printf "%d %d %d %d\n", byte(m, 8) * 256 + byte(m, 9), byte(m, 12) * 256 + byte(m, 13),
				(len > 14 ? byte(m, 14) : -1), (len > 16 ? byte(m, 16) : -1)
		}
	}'
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

# ns_kill9 NS: SIGKILL every process in namespace NS (a client vanishing).
# All are stopped first: killed one by one, a survivor could notice the
# first one's death and clean up (pptp's call manager clears the call when
# pptp dies), which is a hang-up, not a client vanishing.
ns_kill9() {
	local pids
	pids=$(ip netns pids "$(ns "$1")")
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086
	kill -STOP $pids 2>/dev/null
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null
}

# standin_for IP: the stand-in report whose ipparam is IP.
standin_for() { grep -l "ipparam $1 " $(standin_reports) </dev/null 2>/dev/null | head -n 1; }

t_finish() {
	[ "$T_FAILED" -eq 0 ]
}
