# tests/host/hostile/lib.sh - shared by the hostile-*.sh tests (sourced
# after tests/lib/common.sh): the crafter and the leak accounting.
#
# The crafter (craft.py, with layouts.py) is scapy from Debian's
# python3-scapy, run by Debian's own python3 (/usr/bin/python3: a python
# of the user's PATH may not see Debian's modules).

HOSTILE=$top_srcdir/tests/host/hostile
PY=/usr/bin/python3

require_scapy() {
	"$PY" -c 'import scapy.all' 2>/dev/null ||
		bail_out "python3-scapy not installed: run build-aux/install-deps"
}

# craft NS ARGS...: craft.py in namespace NS; its output on stdout.
craft() {
	local nsname=$1
	shift
	in_ns "$nsname" "$PY" -B "$HOSTILE/craft.py" "$@" 2>&1
}

# ns_procs NS COMM: how many processes named COMM run in namespace NS.
ns_procs() {
	local pid n=0
	for pid in $(ip netns pids "$(ns "$1")" 2>/dev/null); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && n=$((n + 1))
	done
	echo "$n"
}

# fd_count PID: the descriptors PID holds.
fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# craft_port OUTPUT: the local port the crafter's connection had.
craft_port() { echo "$1" | sed -n 's/^port \([0-9]*\)$/\1/p' | head -n 1; }

# settled COMMAND EXPECTED: COMMAND's output becomes EXPECTED within 10 s.
settled() {
	local want=$2 i
	for i in $(seq 100); do
		[ "$($1)" = "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# ns_ctrls NS: how many pptpctrl run in namespace NS, one per control
# connection: the child a pptpctrl forks to start the ppp program keeps
# the name pptpctrl until its exec (long enough under ASan to be seen),
# so a pptpctrl whose parent is a pptpctrl is not counted.
ns_ctrls() {
	local pid ppid n=0
	for pid in $(ip netns pids "$(ns "$1")" 2>/dev/null); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pptpctrl ] || continue
		ppid=$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
		[ -n "$ppid" ] && [ "$(cat "/proc/$ppid/comm" 2>/dev/null)" = pptpctrl ] && continue
		n=$((n + 1))
	done
	echo "$n"
}

# watch_procs PID NS: while PID runs, the most pptpctrl (ns_ctrls) and
# processes named ppp-standin namespace NS had at once; sets MAX_CTRL and
# MAX_PPP.
watch_procs() {
	local c p
	MAX_CTRL=0
	MAX_PPP=0
	while kill -0 "$1" 2>/dev/null; do
		c=$(ns_ctrls "$2")
		p=$(ns_procs "$2" ppp-standin)
		[ "$c" -gt "$MAX_CTRL" ] && MAX_CTRL=$c
		[ "$p" -gt "$MAX_PPP" ] && MAX_PPP=$p
		sleep 0.05
	done
}

# end_hold NS PID: end the hold of the pptp-drive in namespace NS
# (SIGUSR1) and wait for PID, the job that runs it; returns its status.
end_hold() {
	local pid
	for pid in $(ip netns pids "$(ns "$1")"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pptp-drive ] && kill -USR1 "$pid"
	done
	wait "$2"
}

# check_redial NS: a check that a new call from NS through the LRP works.
check_redial() {
	local out rc
	out=$(pptp_client "$1" "$LAN_LRP" -n 2 -m 10 2>&1)
	rc=$?
	check "a new call through the LRP works afterwards" test "$rc" -eq 0
	diag "$out"
}
