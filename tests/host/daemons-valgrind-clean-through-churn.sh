#!/bin/bash
# pptpd (the manager, every pptpctrl it starts, every RRP session process)
# and lrp run under valgrind's memcheck through a churn of many sessions
# opening and closing - PPTP clients on a LAN through the LRP to
# rrp-listen, and others dialling pptpd's port 1723 directly - then are
# stopped as an operator would (SIGTERM): every process's valgrind log
# must show 0 errors and no definitely or indirectly lost memory.
#
# A normal build only: a --enable-sanitizers build's programs cannot run
# under valgrind (and are checked by the sanitizers instead).
# VG_LRP_ROUNDS and VG_DIRECT_ROUNDS change the churn (defaults below).
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
[ "$T_SAN" = 1 ] && skip_all "a sanitizer build (--enable-sanitizers): ASan and valgrind do not mix; the sanitizers check these daemons there"
require_cmd valgrind pptp unshare iptables
t_init
plan 8

LRP_ROUNDS=${VG_LRP_ROUNDS:-10}		# rounds of 3 clients through the LRP
DIRECT_ROUNDS=${VG_DIRECT_ROUNDS:-6}	# rounds of 2 clients on port 1723
# everything runs many times slower under valgrind
T_START_WAIT=60

nat_topology 3
# a LAN of its own for the direct clients: GRE flows there, no NAT
ns_add dir
ns_link srv 10.40.4.1/24 dir 10.40.4.2/24
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"

# One log per process (%p): the manager, each RRP session process (a fork
# of the manager), each pptpctrl (exec'd by a fork of either), lrp.  The
# ppp program is the test's stand-in, not ours: valgrind leaves it alone.
mkdir -m 1777 "$T_TMP/vg"
# vg_wrapper FILE BINARY: a script that execs BINARY under memcheck with
# the arguments it is given (start_pptpd and start_lrp take one).
vg_wrapper() {
	cat >"$1" <<EOF
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \\
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \\
	--trace-children=yes --trace-children-skip='*/ppp-standin' \\
	--child-silent-after-fork=no --num-callers=30 \\
	--suppressions="$top_srcdir/tests/lib/valgrind.supp" \\
	--log-file="$T_TMP/vg/vg.%p" "$2" "\$@"
EOF
	chmod 0755 "$1"
}
vg_wrapper "$T_TMP/vg-pptpd" "$top_builddir/pptpd/pptpd"
vg_wrapper "$T_TMP/vg-lrp" "$top_builddir/lrp/lrp"

start_pptpd srv "$T_TMP/pptpd.conf" "$T_TMP/vg-pptpd"
start_lrp lrp "$T_TMP/lrp.conf" "$T_TMP/vg-lrp"

# The churn: each round starts its clients together and waits for them;
# each client's call carries a few echoes and data frames, then hangs up.
churn_failed=0
churn_ok=0
run_round() {
	local tag=$1 server=$2
	shift 2
	local pids=() n=0 nsname
	for nsname in "$@"; do
		n=$((n + 1))
		run_bg "client-$tag-$n" pptp_client "$nsname" "$server" -n 2 -m 10 -t 60
		pids+=("$BG_PID")
	done
	n=0
	for pid in "${pids[@]}"; do
		n=$((n + 1))
		if wait "$pid"; then
			churn_ok=$((churn_ok + 1))
		else
			churn_failed=$((churn_failed + 1))
			diag "client $tag-$n: $(cat "$T_TMP/client-$tag-$n.out")"
		fi
	done
}
for ((r = 1; r <= LRP_ROUNDS; r++)); do
	run_round "lrp$r" "$LAN_LRP" cli1 cli2 cli3
	# a direct round in between, so both kinds overlap in pptpd's life
	if [ "$r" -le "$DIRECT_ROUNDS" ]; then
		run_round "dir$r" 10.40.4.1 dir dir
	fi
done
total=$((LRP_ROUNDS * 3 + DIRECT_ROUNDS * 2))
check "$total sessions opened, carried traffic and closed under valgrind ($churn_ok ok, $churn_failed failed)" \
	test "$churn_ok" -eq "$total"
rrp_sessions=$(grep -c 'tunnel authenticated' "$LOGFILE")
check "$((LRP_ROUNDS * 3)) of them through the LRP and rrp-listen (pptpd logged $rrp_sessions tunnels)" \
	test "$rrp_sessions" -eq $((LRP_ROUNDS * 3))
check "lrp logged every session's end ($(grep -c 'session ended' "$LRP_LOG"))" \
	wait_for 30 eval '[ "$(grep -c "session ended" "$LRP_LOG")" -ge $((LRP_ROUNDS * 3)) ]'

# Stop as an operator would: SIGTERM to lrp and to pptpd's manager, then
# to any pptpctrl or session process that outlived it (pptpctrl's pty
# and the stand-in go with them), and wait for valgrind to write each
# process's leak summary.
vg_pids() {
	local f
	for f in "$T_TMP"/vg/vg.*; do
		[ -e "$f" ] || continue
		kill -0 "${f##*.}" 2>/dev/null && echo "${f##*.}"
	done
}
kill -TERM "$LRP_PID" "$PPTPD_PID" 2>/dev/null
wait_for 60 eval '! kill -0 "$LRP_PID" 2>/dev/null && ! kill -0 "$PPTPD_PID" 2>/dev/null' ||
	diag "lrp or pptpd still running 60 s after SIGTERM"
left=$(vg_pids | xargs)
if [ -n "$left" ]; then
	diag "still running after the manager's exit, sent SIGTERM: $left"
	# shellcheck disable=SC2086
	kill -TERM $left 2>/dev/null
fi
check "every process under valgrind exited after SIGTERM" wait_for 60 eval '[ -z "$(vg_pids)" ]'

# Read the logs.  A process that exec'd a program valgrind does not trace
# (the fork of pptpctrl that becomes the stand-in: a pptpctrl whose parent
# is a pptpctrl) leaves a log without a summary; every other one must end
# with its ERROR SUMMARY.
logs=0
finished=0
bad=()
lost=()
unfinished=()
for f in "$T_TMP"/vg/vg.*; do
	[ -e "$f" ] || continue
	logs=$((logs + 1))
	cmd=$(sed -n 's/^==[0-9]*== Command: //p' "$f" | head -n 1)
	if ! grep -q 'ERROR SUMMARY:' "$f"; then
		parent=$(sed -n 's/^==[0-9]*== Parent PID: //p' "$f" | head -n 1)
		case $cmd in
		*/pptpctrl\ *)
			grep -q "^==[0-9]*== Command: [^ ]*/pptpctrl " "$T_TMP/vg/vg.$parent" 2>/dev/null && continue ;;
		esac
		unfinished+=("$f ($cmd)")
		continue
	fi
	finished=$((finished + 1))
	errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$f" | tail -n 1)
	definite=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$f" | tr -d , | tail -n 1)
	indirect=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$f" | tr -d , | tail -n 1)
	summary="$(basename "$f") $cmd: ${errors:-?} errors, definitely lost ${definite:-0}, indirectly lost ${indirect:-0}"
	[ "${errors:-1}" -eq 0 ] || bad+=("$f")
	[ "${definite:-0}" -eq 0 ] && [ "${indirect:-0}" -eq 0 ] || lost+=("$f")
	case $cmd in
	*/pptpctrl*) n_ctrl=$((${n_ctrl:-0} + 1)) ;;
	*/pptpd*) n_pptpd=$((${n_pptpd:-0} + 1)) ;;
	*/lrp*)
		# lrp forks a short-lived child to test, as its run-as user,
		# that the secret file is readable (lrp_privs_cannot_read):
		# its log is checked like any other, counted apart
		parent=$(sed -n 's/^==[0-9]*== Parent PID: //p' "$f" | head -n 1)
		if grep -q "^==[0-9]*== Command: [^ ]*/lrp " "$T_TMP/vg/vg.$parent" 2>/dev/null; then
			n_lrp_child=$((${n_lrp_child:-0} + 1))
		else
			n_lrp=$((${n_lrp:-0} + 1))
		fi ;;
	esac
	echo "$summary" >>"$T_TMP/vg-summaries"
done
diag "$(sort -k2 "$T_TMP/vg-summaries" 2>/dev/null | awk '{ $1 = ""; print }' | sort | uniq -c)"
diag "$logs valgrind logs: $finished finished (pptpd manager and session processes ${n_pptpd:-0}, pptpctrl ${n_ctrl:-0}, lrp ${n_lrp:-0} and its checking children ${n_lrp_child:-0})"
check "pptpd's manager, its RRP session processes, every pptpctrl and lrp ran under valgrind ($finished logs with a summary)" \
	test "${n_lrp:-0}" -eq 1 -a "${n_pptpd:-0}" -ge $((1 + LRP_ROUNDS * 3)) -a "${n_ctrl:-0}" -ge "$total"
for f in "${unfinished[@]}"; do diag "no summary (killed?): $f" "$(tail -n 20 "${f%% *}")"; done
check "every log was finished (${#unfinished[@]} without a summary)" test "${#unfinished[@]}" -eq 0
for f in "${bad[@]}"; do diag "==== $f" "$(cat "$f")"; done
check "0 memcheck errors in every process (${#bad[@]} logs with errors)" test "${#bad[@]}" -eq 0
for f in "${lost[@]}"; do diag "==== $f" "$(cat "$f")"; done
check "no definitely or indirectly lost memory in any process (${#lost[@]} logs with leaks)" test "${#lost[@]}" -eq 0
t_finish
