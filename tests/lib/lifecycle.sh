# lifecycle.sh - a test's life (sourced by common.sh, bash): what it needs
# to run at all, its temporary directory, the processes it starts in the
# background (run_bg), waiting for what it can observe (wait_for), and the
# cleanup that runs on exit - pass, fail or signal - killing by PID what
# it started and deleting its namespaces and temporary files.

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

# ---- start and cleanup ---------------------------------------------------

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

# ---- background processes and waits ---------------------------------------

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
