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

# ---- TAP -------------------------------------------------------------

plan() { echo "1..$1"; }

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
	# processes a namespace still holds (pptpctrl, the stand-in) die with it
	for ns in "${T_NS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$T_TMP" ] && [ -d "$T_TMP" ]; then
		if [ -z "${RRP_TEST_DISCARD:-}" ] &&
		   { [ -n "${RRP_TEST_KEEP:-}" ] || [ "$T_FAILED" -gt 0 ]; }; then
			echo "# kept $T_TMP for inspection"
		else
			rm -rf "$T_TMP"
		fi
	fi
}

t_init() {
	T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/rrp-test.XXXXXX")
	trap t_cleanup EXIT
	trap 'exit 130' INT TERM
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
# which is told to run our own pptpctrl and plugin) or Debian's stock one.
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
	wait_for 5 log_has 'MGR: Manager process started' ||
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

# start_capture NS IFACE NAME: tcpdump in NS on IFACE into $T_TMP/NAME.pcap.
start_capture() {
	run_bg "cap-$3" ip netns exec "$(ns "$1")" tcpdump -i "$2" --immediate-mode -B 16384 -U -n -w "$T_TMP/$3.pcap" "tcp port 1723 or tcp port 1724 or ip proto 47 or icmp or icmp6"
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

t_finish() {
	[ "$T_FAILED" -eq 0 ]
}
