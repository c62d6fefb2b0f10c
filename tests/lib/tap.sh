# tap.sh - TAP output for the tests (sourced by common.sh, bash).
#
# One test prints one TAP stream: a plan (first, or last after a loop of
# checks), one "ok N"/"not ok N" per check, diagnostics as "# " lines, or
# a single "1..0 # SKIP" when it cannot run here.  T_NUM and T_FAILED
# count the checks; a sanitizer build adds one line of its own
# (sanitizers.sh), which plan counts.

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

# t_finish: the test's exit status (the last command of every test).
t_finish() {
	[ "$T_FAILED" -eq 0 ]
}
