#!/bin/bash
# bench.sh - the performance benchmark (`make bench`; tests/bench/README.md).
#
# Three namespaces on veth pairs, built and torn down here (the host-tier
# library, tests/lib/common.sh):
#
#   cli 10.77.1.2 --- 10.77.1.1 lrp 10.77.2.1 --- 10.77.2.2 srv
#   (generators)      (the LRP; a router for       (pptpd: 1723 direct,
#                      direct PPTP)                  rrp-listen 1724;
#                                                    bench-rrp-peer :1725)
#
# Direct PPTP goes cli -> srv:1723 through lrp as a router; proxied PPTP
# goes cli -> LRP:1723, tunnel -> srv:1724.  Every figure is a ratio to a
# baseline measured in this run, runs of the two alternate, and the median
# of the pairwise ratios is reported.  It prints a table and writes
# $BENCH_RESULTS (JSON); it exits 0 whatever the numbers, non-zero only
# when a part could not run.
#
# Environment: top_builddir, top_srcdir (set by `make bench`),
# BENCH_RESULTS (default $top_builddir/tests/bench/results.json),
# BENCH_ONLY=tput,lat,split,framing,relay,memory,loss (default all),
# BENCH_SECS (measuring window, default 3), BENCH_REPS (default 3),
# BENCH_KEEP=1 keeps the temporary directory, BENCH_LRP=PATH measures
# another lrp binary (a prototype) in the same harness, BENCH_PERF=DIR
# profiles the throughput and latency runs (perf; DIR/*.txt).

. "$top_srcdir/tests/lib/common.sh"
require_root
require_cmd iptables taskset awk
[ -n "${BENCH_KEEP:-}" ] && RRP_TEST_KEEP=1
BT=$top_builddir/tests/bench
for t in bench-pptp bench-gre-blast bench-rrp-peer bench-bare-relay bench-sessions; do
	[ -x "$BT/$t" ] || bail_out "$BT/$t not built (make)"
done
LRP_BIN=${BENCH_LRP:-$top_builddir/lrp/lrp}	# BENCH_LRP: another build to measure
[ -x "$LRP_BIN" ] || bail_out "$LRP_BIN not built"
SECS=${BENCH_SECS:-3}
REPS=${BENCH_REPS:-3}
RESULTS=${BENCH_RESULTS:-$top_builddir/tests/bench/results.json}
ONLY=${BENCH_ONLY:-}
ONLY=${ONLY:-tput,lat,split,framing,relay,memory,loss}
want() { case ",$ONLY," in *",$1,"*) return 0 ;; esac; return 1; }

# descriptors for 10,000 sessions (two each in the LRP) and their clients
ulimit -Hn 65536 2>/dev/null && ulimit -n 65536 2>/dev/null ||
	echo "# cannot raise the descriptor limit; 10,000 sessions may fail" >&2

# a directory of our own: other suites clean up /tmp/rrp-test.* at times
export TMPDIR=${TMPDIR:-/tmp}/pptpd-rrp-bench
mkdir -p "$TMPDIR"
t_init
chmod 0711 "$TMPDIR" "$T_TMP"	# lrp drops to nobody
BENCH_ERRORS=0
BENCH_START=$(date +%s)
say() { printf '# %s\n' "$*" >&2; }

# ---- results -------------------------------------------------------------

FIG_NAMES=()
declare -A FIG
# figure NAME DESCRIPTION VALUE UNIT BASELINE BASELINE_DESC RATIO TARGET_OP TARGET [NOTE]
# TARGET_OP: ge (ratio or value >= target), le, eq, or "-" (informational);
# what is compared is the ratio when one is given, else the value.
figure() {
	local n=$1
	FIG_NAMES+=("$n")
	FIG[$n.desc]=$2 FIG[$n.value]=$3 FIG[$n.unit]=$4 FIG[$n.base]=$5 FIG[$n.base_desc]=$6
	FIG[$n.ratio]=$7 FIG[$n.op]=$8 FIG[$n.target]=$9 FIG[$n.note]=${10:-}
	local x=$7
	[ "$x" = "-" ] && x=$3
	if [ "$3" = "error" ]; then
		FIG[$n.verdict]=error
	elif [ "$8" = "-" ]; then
		FIG[$n.verdict]=info
	else
		FIG[$n.verdict]=$(awk -v x="$x" -v t="$9" -v op="$8" 'BEGIN {
			if (op == "ge") ok = (x + 0 >= t + 0); else if (op == "le") ok = (x + 0 <= t + 0);
			else ok = (x + 0 == t + 0); print ok ? "pass" : "miss" }')
	fi
	say "$n: ${FIG[$n.verdict]} value=$3 $4 baseline=$5 ratio=$7 ${10:-}"
}

figure_error() {
	figure "$1" "$2" error - - - - - - "$3"
	BENCH_ERRORS=$((BENCH_ERRORS + 1))
}

NOTES=()
note() { NOTES+=("$*"); say "note: $*"; }

# kv KEY TEXT: the value of KEY=... in TEXT (last occurrence).
kv() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | tail -n 1; }

# median of the arguments
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "nan"; else printf "%.3f\n", a / b }'; }
fmt() { awk -v a="$1" -v d="${2:-0}" 'BEGIN { printf "%.*f\n", d, a }'; }

# ---- machine -------------------------------------------------------------

CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
NPROC=$(nproc)
KERNEL=$(uname -r)
COMMIT=$(git -C "$top_srcdir" rev-parse --short HEAD 2>/dev/null || echo unknown)
say "machine: $NPROC CPUs ($CPU_MODEL), kernel $KERNEL, commit $COMMIT"
[ "$NPROC" -ge 2 ] || note "fewer than 2 CPUs: the relay ceiling pins sender and relay to the same CPU"
CPU_SEND=0
CPU_RELAY=$((NPROC > 1 ? 1 : 0))

# ---- network ---------------------------------------------------------------

ns_add cli
ns_add lrp
ns_add srv
ns_link cli 10.77.1.2/24 lrp 10.77.1.1/24
ns_link lrp 10.77.2.1/24 srv 10.77.2.2/24
ip -n "$(ns cli)" route add default via 10.77.1.1
ip -n "$(ns srv)" route add default via 10.77.2.1
in_ns lrp sysctl -qw net.ipv4.ip_forward=1
CLI=10.77.1.2 LRP=10.77.1.1 SRV=10.77.2.2 PEER_PORT=1725

make_secret "$T_TMP/secret"
# The stand-in's mode is read at each call's start, so one pptpd serves
# the echo and the sink runs.
echo echo >"$T_TMP/standin-mode"
cat >"$T_TMP/ppp-standin" <<EOF
#!/bin/sh
STANDIN_MODE=\$(cat "$T_TMP/standin-mode") exec "$TOOLS/ppp-standin" "\$@"
EOF
chmod 0755 "$T_TMP/ppp-standin"
{
	echo "ppp $T_TMP/ppp-standin"
	echo "localip 192.168.77.1"
	echo "remoteip 192.168.77.10-250"
	echo "connections 240"
	echo "rrp-listen $SRV:1724"
	echo "rrp-secret-file $T_TMP/secret"
} >"$T_TMP/pptpd.conf"
PPTPD_STARTED=
need_pptpd() {
	[ -n "$PPTPD_STARTED" ] && return 0
	start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
	PPTPD_STARTED=1
}

# ---- processes ---------------------------------------------------------------

# stop_pid PID: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
	local pid=${1:-} i
	case $pid in ''|0|-*) return 0 ;; esac
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

LRP_N=0
LRP_LOGSOCK=$T_TMP/lrp-log.sock
run_bg lrp-logsink "$TOOLS/logsink" "$LRP_LOGSOCK" "$T_TMP/lrp.syslog"
wait_for 5 test -S "$LRP_LOGSOCK" || bail_out "logsink for lrp did not start"

# lrp_start SERVER_PORT CAPTURE_MODE [EXTRA CONFIG LINES...]: the LRP in
# namespace lrp, pinned to CPU_RELAY; sets LRP_PID, LRP_OUT.
lrp_start() {
	local port=$1 mode=$2
	shift 2
	LRP_N=$((LRP_N + 1))
	LRP_CONF=$T_TMP/lrp-$LRP_N.conf
	{
		echo "listen $LRP:1723"
		echo "interface to-cli"
		echo "server $SRV:$port"
		echo "secret-file $T_TMP/secret"
		echo "pidfile $T_TMP/lrp.pid"
		echo "status-socket $T_TMP/lrp.sock"
		echo "log-level notice"
		echo "capture-mode $mode"
		printf '%s\n' "$@"
	} >"$LRP_CONF"
	run_bg "lrp-$LRP_N" ip netns exec "$(ns lrp)" taskset -c "$CPU_RELAY" \
		"$LIB/with-devlog" "$LRP_LOGSOCK" "$LRP_BIN" -f -c "$LRP_CONF"
	LRP_PID=$BG_PID
	LRP_OUT=$T_TMP/lrp-$LRP_N.out
	wait_for 5 grep -q 'started: ' "$LRP_OUT" || { cat "$LRP_OUT" >&2; return 1; }
}
lrp_status() { in_ns lrp "$LRP_BIN" -S -c "$LRP_CONF" 2>/dev/null; }
lrp_stop() {
	lrp_status >"$T_TMP/lrp-$LRP_N.status" || true
	stop_pid "$LRP_PID"
}

PEER_N=0
# peer_start ARGS...: bench-rrp-peer in srv on $SRV:$PEER_PORT; sets PEER_PID, PEER_OUT.
peer_start() {
	PEER_N=$((PEER_N + 1))
	run_bg "peer-$PEER_N" ip netns exec "$(ns srv)" "$BT/bench-rrp-peer" -l "$SRV:$PEER_PORT" "$@"
	PEER_PID=$BG_PID
	PEER_OUT=$T_TMP/peer-$PEER_N.out
	wait_for 5 grep -q '^listening' "$PEER_OUT" || { cat "$PEER_OUT" >&2; return 1; }
}
# peer_stats: the peer's counters now (a "stats ..." line).
peer_stats() {
	local before
	before=$(grep -c '^stats' "$PEER_OUT")
	kill -USR1 "$PEER_PID"
	wait_for 3 eval '[ "$(grep -c "^stats" "$PEER_OUT")" -gt "$before" ]'
	grep '^stats' "$PEER_OUT" | tail -n 1
}

HOLD_N=0
# hold_start SERVER: a bench-pptp call held open in cli; sets HOLD_PID, HOLD_CID (the Call ID to send GRE to).
hold_start() {
	HOLD_N=$((HOLD_N + 1))
	run_bg "hold-$HOLD_N" ip netns exec "$(ns cli)" "$BT/bench-pptp" -s "$1" -c $((1000 + HOLD_N)) hold
	HOLD_PID=$BG_PID
	wait_for 10 grep -q 'hold ' "$T_TMP/hold-$HOLD_N.out" || { cat "$T_TMP/hold-$HOLD_N.out" >&2; return 1; }
	HOLD_CID=$(kv peer_cid "$(grep 'hold ' "$T_TMP/hold-$HOLD_N.out")")
}

# cpu_ticks PID: utime + stime of PID, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK=$(getconf CLK_TCK)

# gen ARGS...: bench-pptp in cli; prints its summary line.
gen() { in_ns cli "$BT/bench-pptp" "$@" 2>>"$T_TMP/gen.err" | grep '^bench-pptp: ' | tail -n 1; }

# gen_profiled NAME ARGS...: gen; with BENCH_PERF=DIR, under a system-wide
# `perf record` (every process and the kernel, cpu-clock samples), whose
# CPU time per process and hottest symbols go to DIR/NAME.txt.
gen_profiled() {
	local name=$1 out
	shift
	if [ -z "${BENCH_PERF:-}" ]; then
		gen "$@"
		return
	fi
	mkdir -p "$BENCH_PERF"
	perf record -a -q -F 1999 -o "$BENCH_PERF/$name.data" -- \
		ip netns exec "$(ns cli)" "$BT/bench-pptp" "$@" 2>>"$T_TMP/gen.err" >"$T_TMP/gen.out"
	out=$(grep '^bench-pptp: ' "$T_TMP/gen.out" | tail -n 1)
	{
		echo "# $name: bench-pptp $*"
		echo "# $out"
		perf report -i "$BENCH_PERF/$name.data" --stdio --sort comm --percent-limit 1 2>/dev/null | grep -v '^#' | grep -v '^$'
		echo "# hottest symbols (any process)"
		perf report -i "$BENCH_PERF/$name.data" --stdio --sort comm,sym --percent-limit 1.5 2>/dev/null | grep -v '^#' | grep -v '^$'
	} >"$BENCH_PERF/$name.txt"
	rm -f "$BENCH_PERF/$name.data"
	echo "$out"
}

# ---- 1. throughput and latency: direct PPTP vs LRP + RRP ----------------------

if want tput || want lat || want split || want loss; then
	need_pptpd
	lrp_start 1724 immediate || bail_out "lrp did not start"
	PROXY_LRP_PID=$LRP_PID
fi

if want tput; then
	for smode in echo sink; do
		echo "$smode" >"$T_TMP/standin-mode"
		# echoing, at most 32 frames (45 KB of HDLC) may be in flight:
		# more can fill both directions of the pty, and pptpctrl and the
		# stand-in then block writing to each other for good
		TPUT_WINDOW=32
		[ "$smode" = sink ] && TPUT_WINDOW=64
		d_all=() p_all=() r_all=()
		for rep in $(seq "$REPS"); do
			d=$(gen_profiled "tput-$smode-$rep-direct" -s "$SRV" -t "$SECS" -W 1 -w "$TPUT_WINDOW" tput)
			p=$(gen_profiled "tput-$smode-$rep-proxied" -s "$LRP" -t "$SECS" -W 1 -w "$TPUT_WINDOW" tput)
			say "tput $smode #$rep direct: $d"
			say "tput $smode #$rep proxied: $p"
			dv=$(kv frames_per_s "$d") pv=$(kv frames_per_s "$p")
			[ -n "$dv" ] && [ -n "$pv" ] || continue
			d_all+=("$dv") p_all+=("$pv") r_all+=("$(div "$pv" "$dv")")
		done
		if [ "${#r_all[@]}" -eq 0 ]; then
			figure_error "throughput_$smode" "throughput, stand-in ${smode}ing" "a generator run failed ($T_TMP/gen.err)"
			continue
		fi
		dm=$(median "${d_all[@]}") pm=$(median "${p_all[@]}")
		figure "throughput_$smode" \
			"throughput through LRP+RRP, 1400-byte PPP frames, stand-in ${smode}ing, $TPUT_WINDOW in flight" \
			"$(fmt "$pm")" frames/s "$(fmt "$dm")" "direct PPTP to the same pptpd" \
			"$(median "${r_all[@]}")" ge 0.95 \
			"$(fmt "$(awk -v f="$pm" 'BEGIN { print f * 1400 * 8 / 1e6 }')" 1) Mbit/s proxied; ratios ${r_all[*]}"
	done
	echo echo >"$T_TMP/standin-mode"
fi

if want lat; then
	echo echo >"$T_TMP/standin-mode"
	d50=() d99=() p50=() p99=()
	for rep in $(seq "$REPS"); do
		d=$(gen_profiled "lat-$rep-direct" -s "$SRV" -n 5000 lat)
		p=$(gen_profiled "lat-$rep-proxied" -s "$LRP" -n 5000 lat)
		say "lat #$rep direct: $d"
		say "lat #$rep proxied: $p"
		[ -n "$(kv p50_us "$d")" ] && [ -n "$(kv p50_us "$p")" ] || continue
		d50+=("$(kv p50_us "$d")") d99+=("$(kv p99_us "$d")")
		p50+=("$(kv p50_us "$p")") p99+=("$(kv p99_us "$p")")
	done
	if [ "${#d50[@]}" -eq 0 ]; then
		figure_error latency_added_p50 "latency added per round trip, p50" "a generator run failed"
		figure_error latency_added_p99 "latency added per round trip, p99" "a generator run failed"
	else
		a50=() a99=()
		for i in "${!d50[@]}"; do
			a50+=($((p50[i] - d50[i])))
			a99+=($((p99[i] - d99[i])))
		done
		figure latency_added_p50 "latency added by LRP+RRP per round trip (LCP echo through the stand-in), p50" \
			"$(median "${a50[@]}")" us "$(median "${d50[@]}")" "direct round trip p50 (us)" - le 30 \
			"proxied p50 $(median "${p50[@]}") us; per run ${a50[*]}"
		figure latency_added_p99 "latency added by LRP+RRP per round trip, p99" \
			"$(median "${a99[@]}")" us "$(median "${d99[@]}")" "direct round trip p99 (us)" - le 200 \
			"proxied p99 $(median "${p99[@]}") us; per run ${a99[*]}"
	fi
fi

# ---- 1b. where the added latency goes --------------------------------------------

# Each echo's packets are timestamped on the LRP namespace's two links
# (tcpdump): the LRP's share up and down is from a client's GRE arriving to
# its tunnel segment leaving (and back), the server side's from that
# segment leaving to the answer arriving; direct runs give the same server
# side for GRE forwarded to pptpd.  Informational: it explains
# latency_added, it has no target of its own.
split_medians() {	# FILE KIND: "up server down total" medians of KIND's round trips
	local f=$1 k=$2
	printf '%s %s %s %s\n' \
		"$(median $(awk -v k="$k" '$1 == k { print $2 }' "$f"))" \
		"$(median $(awk -v k="$k" '$1 == k { print $3 }' "$f"))" \
		"$(median $(awk -v k="$k" '$1 == k { print $4 }' "$f"))" \
		"$(median $(awk -v k="$k" '$1 == k { print $5 }' "$f"))"
}
if want split && command -v tshark >/dev/null && command -v tcpdump >/dev/null; then
	echo echo >"$T_TMP/standin-mode"
	if_cli=$(ip -n "$(ns lrp)" -o link show to-cli | cut -d: -f1)
	if_srv=$(ip -n "$(ns lrp)" -o link show to-srv | cut -d: -f1)
	run_bg split-cap ip netns exec "$(ns lrp)" tcpdump -i any -nn -B 16384 \
		--time-stamp-precision=nano -w "$T_TMP/split.pcap" 'ip proto 47 or tcp port 1724'
	cap_pid=$BG_PID
	sleep 1
	gen -s "$SRV" -n 3000 lat >/dev/null
	gen -s "$LRP" -n 3000 lat >/dev/null
	sleep 0.5
	stop_pid "$cap_pid"
	# events: A client's echo in, B it leaves towards pptpd (GRE forwarded,
	# or a tunnel segment), C the answer comes back, D it leaves to the client
	tshark -r "$T_TMP/split.pcap" -T fields -e frame.time_epoch -e sll.ifindex -e sll.pkttype \
		-e ip.proto -e tcp.len -e ppp.protocol 2>/dev/null |
	awk -F '\t' -v ic="$if_cli" -v is="$if_srv" '
		BEGIN { n = -1 }
		function ev(e, t) {
			if (e == "A") { ta = t; n = 0; return }
			if (n == 0 && (e == "Bd" || e == "Bp")) { tb = t; kind = (e == "Bd") ? "direct" : "proxied"; n = 1; return }
			if (n == 1 && (e == "Cd" || e == "Cp")) { tc = t; n = 2; return }
			if (n == 2 && e == "D")
				printf "%s %.1f %.1f %.1f %.1f\n", kind, (tb - ta) * 1e6, (tc - tb) * 1e6, (t - tc) * 1e6, (t - ta) * 1e6
			n = -1
		}
		$4 == 47 && $6 ~ /^0xc021/ {
			if ($2 == ic && $3 == 0) ev("A", $1); else if ($2 == is && $3 == 4) ev("Bd", $1)
			else if ($2 == is && $3 == 0) ev("Cd", $1); else if ($2 == ic && $3 == 4) ev("D", $1)
		}
		$4 == 6 && $5 > 0 {
			if ($2 == is && $3 == 4) ev("Bp", $1); else if ($2 == is && $3 == 0) ev("Cp", $1)
		}' >"$T_TMP/split.txt"
	read -r d_up d_srv d_down d_tot <<<"$(split_medians "$T_TMP/split.txt" direct)"
	read -r p_up p_srv p_down p_tot <<<"$(split_medians "$T_TMP/split.txt" proxied)"
	nd=$(grep -c '^direct' "$T_TMP/split.txt") np=$(grep -c '^proxied' "$T_TMP/split.txt")
	if [ "$nd" -gt 100 ] && [ "$np" -gt 100 ]; then
		figure latency_split_lrp "the LRP's share of a round trip: capture to tunnel, tunnel to client (medians, us)" \
			"$(awk -v a="$p_up" -v b="$p_down" 'BEGIN { printf "%.1f", a + b }')" us \
			"$(awk -v a="$d_up" -v b="$d_down" 'BEGIN { printf "%.1f", a + b }')" "the same namespace forwarding GRE (direct)" - - - \
			"up $p_up, down $p_down; $np proxied and $nd direct round trips"
		figure latency_split_rrp "the server side's share: tunnel segment out to answer back, RRP + pptpctrl + stand-in (median, us)" \
			"$p_srv" us "$d_srv" "direct GRE out to answer back" - - - \
			"added on the server side: $(awk -v a="$p_srv" -v b="$d_srv" 'BEGIN { printf "%.1f", a - b }') us"
	else
		note "latency split: too few round trips matched in the capture ($np proxied, $nd direct)"
	fi
fi

# ---- 2. TCP-like goodput under loss on the LRP-RRP path --------------------------

# loss_rules add|del P: drop P of the packets both ways, for the direct
# path on GRE forwarded by lrp, for the proxied one on the tunnel's TCP.
loss_rules() {
	local a=-A
	[ "$1" = del ] && a=-D
	in_ns lrp iptables $a FORWARD -p 47 -m statistic --mode random --probability "$2" -j DROP
	in_ns lrp iptables $a INPUT -p tcp -s "$SRV" --sport 1724 -m statistic --mode random --probability "$2" -j DROP
	in_ns srv iptables $a INPUT -p tcp --dport 1724 -m statistic --mode random --probability "$2" -j DROP
}

if want loss; then
	echo echo >"$T_TMP/standin-mode"
	for pct in 0 0.5 1 2; do
		prob=$(awk -v p="$pct" 'BEGIN { printf "%.4f", p / 100 }')
		[ "$pct" != 0 ] && loss_rules add "$prob"
		dg=() pg=()
		for rep in $(seq $(( REPS > 3 ? 3 : REPS ))); do
			d=$(gen -s "$SRV" -t "$((SECS + 1))" -W 1 -w 32 arq)
			p=$(gen -s "$LRP" -t "$((SECS + 1))" -W 1 -w 32 arq)
			say "arq ${pct}% #$rep direct: $d"
			say "arq ${pct}% #$rep proxied: $p"
			[ -n "$(kv goodput_mbit_per_s "$d")" ] && [ -n "$(kv goodput_mbit_per_s "$p")" ] || continue
			dg+=("$(kv goodput_mbit_per_s "$d")") pg+=("$(kv goodput_mbit_per_s "$p")")
		done
		[ "$pct" != 0 ] && loss_rules del "$prob"
		name=goodput_loss_${pct/./_}pct
		if [ "${#dg[@]}" -eq 0 ]; then
			figure_error "$name" "goodput under ${pct}% loss" "a generator run failed"
			continue
		fi
		# ratio of the medians: a direct run can deliver nothing at all
		figure "$name" "TCP-like goodput inside the tunnel, ${pct}% loss each way on the LRP-RRP path" \
			"$(median "${pg[@]}")" Mbit/s "$(median "${dg[@]}")" "direct GRE, same loss" \
			"$(div "$(median "${pg[@]}")" "$(median "${dg[@]}")")" - - "per run: proxied ${pg[*]}, direct ${dg[*]}"
	done
fi

if [ -n "${PROXY_LRP_PID:-}" ]; then
	LRP_PID=$PROXY_LRP_PID
	lrp_stop
fi

# ---- 3. framing overhead -------------------------------------------------------

GRE_LEN=1416		# 12-byte GRE header (S, no A) + ff 03 00 01 + 1400
FRAME_LEN=$((GRE_LEN + 4))

if want framing; then
	HOLD_PID=0 PEER_PID=0
	if lrp_start $PEER_PORT immediate && peer_start -k "$T_TMP/secret" && hold_start "$LRP"; then
		in_ns lrp iptables -A INPUT -i to-cli -p 47
		in_ns lrp iptables -A OUTPUT -o to-srv -p tcp --dport $PEER_PORT
		s0=$(peer_stats)
		in_ns cli "$BT/bench-gre-blast" -d "$LRP" -c "$HOLD_CID" -z 1400 -n 20000 -r 10000 >"$T_TMP/framing-blast.out"
		sleep 1
		s1=$(peer_stats)
		lan=$(in_ns lrp iptables -L INPUT -v -x -n | awk '/to-cli/ { print $1, $2; exit }')
		tun=$(in_ns lrp iptables -L OUTPUT -v -x -n | awk '/to-srv/ { print $1, $2; exit }')
		printf '%s\n' "$s0" "$s1" "lan $lan" "tun $tun" >"$T_TMP/framing.txt"
		in_ns lrp iptables -F INPUT
		in_ns lrp iptables -F OUTPUT
	fi
	stop_pid "$HOLD_PID"
	stop_pid "$PEER_PID"
	lrp_stop
	if [ -s "$T_TMP/framing.txt" ] && [ "$(wc -l <"$T_TMP/framing.txt")" -eq 4 ]; then
		read -r s0 <"$T_TMP/framing.txt"
		s1=$(sed -n 2p "$T_TMP/framing.txt")
		read -r _ lan_pkts lan_bytes < <(sed -n 3p "$T_TMP/framing.txt")
		read -r _ tun_pkts tun_bytes < <(sed -n 4p "$T_TMP/framing.txt")
		frames=$(( $(kv gre_frames "$s1") - $(kv gre_frames "$s0") ))
		greb=$(( $(kv gre_bytes "$s1") - $(kv gre_bytes "$s0") ))
		streamb=$(( $(kv stream_bytes "$s1") - $(kv stream_bytes "$s0") ))
		lan_gre=$((lan_bytes - 20 * lan_pkts))
		if [ "$frames" -gt 0 ] && [ "$lan_pkts" -gt 0 ]; then
			# per packet on each side, so a packet the capture lost
			# (counted on the LAN, never framed) does not skew it
			per=$(awk -v s="$streamb" -v f="$frames" -v g="$lan_gre" -v n="$lan_pkts" 'BEGIN { printf "%.3f", s / f - g / n }')
			figure framing_overhead "framing overhead per GRE packet: tunnel stream bytes per frame minus GRE bytes (IP header excluded) per packet on the LAN" \
				"$per" bytes/packet 4 "protocol: the 4-byte frame header" - le 4 \
				"$frames frames, $streamb stream bytes ($greb of them GRE) in the tunnel; $lan_pkts GRE packets, $lan_gre GRE bytes on the LAN; on the wire (IP) $(div "$tun_bytes" "$frames") tunnel bytes per packet vs $(div "$lan_bytes" "$lan_pkts") on the LAN ($(div "$tun_bytes" "$tun_pkts") bytes per TCP segment)"
			[ "$frames" -eq "$lan_pkts" ] || note "framing: $lan_pkts GRE packets sent at 10,000/s on the LAN but $frames frames in the tunnel: the LRP's capture lost $((lan_pkts - frames))"
		else
			figure_error framing_overhead "framing overhead per GRE packet" "no packets counted"
		fi
	else
		figure_error framing_overhead "framing overhead per GRE packet" "the run failed (see $T_TMP)"
	fi
fi

# ---- 4. relay ceiling: LRP vs bare loops ------------------------------------------

# One run each; sets RELAY_PPS (forwarded packets/s; empty on failure),
# RELAY_CPU (the relay's CPU %), RELAY_SENT (the sender's rate), RELAY_DIAG.
# relay_lrp_up MODE
relay_lrp_up() {
	local out
	lrp_start $PEER_PORT "$1" || return 1
	peer_start -k "$T_TMP/secret" --trunc --frame-bytes $FRAME_LEN -W 1 -t "$SECS" || { lrp_stop; return 1; }
	if hold_start "$LRP"; then
		run_bg "blast-up-$LRP_N" ip netns exec "$(ns cli)" "$BT/bench-gre-blast" -p $CPU_SEND -d "$LRP" \
			-c "$HOLD_CID" -z 1400 -t $((SECS + 8))
		local bpid=$BG_PID c0 c1
		sleep 1.5
		c0=$(cpu_ticks "$LRP_PID")
		sleep "$SECS"
		c1=$(cpu_ticks "$LRP_PID")
		wait_for $((SECS + 6)) grep -q '^measure' "$PEER_OUT"
		out=$(grep '^measure' "$PEER_OUT")
		stop_pid "$bpid"
		RELAY_CPU=$(awk -v a="$c0" -v b="$c1" -v s="$SECS" -v h="$CLK_TCK" 'BEGIN { printf "%.0f", (b - a) / h / s * 100 }')
		RELAY_SENT=$(kv pps "$(cat "$T_TMP/blast-up-$LRP_N.out")")
		stop_pid "$HOLD_PID"
	fi
	stop_pid "$PEER_PID"
	lrp_stop
	RELAY_DIAG=$(sed -n 2p "$T_TMP/lrp-$LRP_N.status" | sed 's/.*GRE captured/captured/')
	[ -n "$out" ] && RELAY_PPS=$(kv pps "$out")
}

# relay_bare_up MODE
relay_bare_up() {
	local out block=
	[ "$1" = block ] && block=--block
	peer_start --raw --trunc --frame-bytes $FRAME_LEN -W 1 -t "$SECS" || return 1
	run_bg "bare-up-$PEER_N" ip netns exec "$(ns lrp)" "$BT/bench-bare-relay" up -p $CPU_RELAY \
		-i to-cli -a "$LRP" -s "$SRV:$PEER_PORT" $block
	local rpid=$BG_PID c0 c1
	if wait_for 5 grep -q ready "$T_TMP/bare-up-$PEER_N.out"; then
		run_bg "blast-bare-$PEER_N" ip netns exec "$(ns cli)" "$BT/bench-gre-blast" -p $CPU_SEND -d "$LRP" \
			-c 4242 -z 1400 -t $((SECS + 8))
		local bpid=$BG_PID
		sleep 1.5
		c0=$(cpu_ticks "$rpid")
		sleep "$SECS"
		c1=$(cpu_ticks "$rpid")
		wait_for $((SECS + 6)) grep -q '^measure' "$PEER_OUT"
		out=$(grep '^measure' "$PEER_OUT")
		stop_pid "$bpid"
		RELAY_CPU=$(awk -v a="$c0" -v b="$c1" -v s="$SECS" -v h="$CLK_TCK" 'BEGIN { printf "%.0f", (b - a) / h / s * 100 }')
		RELAY_SENT=$(kv pps "$(cat "$T_TMP/blast-bare-$PEER_N.out")")
	fi
	stop_pid "$rpid"
	RELAY_DIAG=$(tail -n 1 "$T_TMP/bare-up-$PEER_N.out")
	stop_pid "$PEER_PID"
	[ -n "$out" ] && RELAY_PPS=$(kv pps "$out")
}

# count_down: the client's interface receive rate, once traffic flows.
count_down() {
	in_ns cli "$BT/bench-gre-blast" -C to-lrp -W 1 -t "$SECS" 2>>"$T_TMP/count.err" | grep '^bench-gre-blast: count' | tail -n 1
}

# relay_lrp_down MODE
relay_lrp_down() {
	local out
	lrp_start $PEER_PORT "$1" || return 1
	peer_start -k "$T_TMP/secret" --mode blast -z 1400 -p $CPU_SEND || { lrp_stop; return 1; }
	if hold_start "$LRP"; then
		local c0 c1
		c0=$(cpu_ticks "$LRP_PID")
		out=$(count_down)
		c1=$(cpu_ticks "$LRP_PID")
		RELAY_CPU=$(awk -v a="$c0" -v b="$c1" -v s="$SECS" -v h="$CLK_TCK" 'BEGIN { printf "%.0f", (b - a) / h / (s + 1.1) * 100 }')
		stop_pid "$HOLD_PID"
	fi
	stop_pid "$PEER_PID"
	lrp_stop
	RELAY_DIAG=$(grep -E '^ *[0-9]+ ' "$T_TMP/lrp-$LRP_N.status" | head -n 1)
	[ -n "$out" ] && RELAY_PPS=$(kv pps "$out")
}

relay_bare_down() {
	local out
	peer_start --raw --mode blast -z 1400 -c 4242 -p $CPU_SEND || return 1
	run_bg "bare-down-$PEER_N" ip netns exec "$(ns lrp)" "$BT/bench-bare-relay" down -p $CPU_RELAY \
		-s "$SRV:$PEER_PORT" -d "$CLI"
	local rpid=$BG_PID c0 c1
	if wait_for 5 grep -q ready "$T_TMP/bare-down-$PEER_N.out"; then
		c0=$(cpu_ticks "$rpid")
		out=$(count_down)
		c1=$(cpu_ticks "$rpid")
		RELAY_CPU=$(awk -v a="$c0" -v b="$c1" -v s="$SECS" -v h="$CLK_TCK" 'BEGIN { printf "%.0f", (b - a) / h / (s + 1.1) * 100 }')
	fi
	stop_pid "$rpid"
	RELAY_DIAG=$(tail -n 1 "$T_TMP/bare-down-$PEER_N.out")
	stop_pid "$PEER_PID"
	[ -n "$out" ] && RELAY_PPS=$(kv pps "$out")
}

if want relay; then
	# the client drops the GRE the relays send it (counted on its interface
	# before that), so it never answers with ICMP
	in_ns cli iptables -A INPUT -p 47 -j DROP
	for mode in immediate block; do
		for dir in up down; do
			l_all=() b_all=() r_all=() cpu_l=() cpu_b=()
			for rep in $(seq $(( REPS > 3 ? 3 : REPS ))); do
				RELAY_CPU=- RELAY_SENT=- RELAY_DIAG= RELAY_PPS=
				relay_lrp_$dir "$mode" 2>>"$T_TMP/relay.err"
				lv=$RELAY_PPS
				say "relay $dir $mode #$rep lrp: ${lv:-failed} pps (cpu ${RELAY_CPU}%, sender ${RELAY_SENT} pps; $RELAY_DIAG)"
				cpu_l+=("$RELAY_CPU")
				RELAY_CPU=- RELAY_SENT=- RELAY_DIAG= RELAY_PPS=
				relay_bare_$dir "$mode" 2>>"$T_TMP/relay.err"
				bv=$RELAY_PPS
				say "relay $dir $mode #$rep bare: ${bv:-failed} pps (cpu ${RELAY_CPU}%, sender ${RELAY_SENT} pps; $RELAY_DIAG)"
				cpu_b+=("$RELAY_CPU")
				[ -n "$lv" ] && [ -n "$bv" ] || continue
				l_all+=("$lv") b_all+=("$bv") r_all+=("$(div "$lv" "$bv")")
			done
			name=relay_${dir}_$mode
			if [ "${#r_all[@]}" -eq 0 ]; then
				figure_error "$name" "relay ceiling $dir ($mode)" "runs failed ($T_TMP/relay.err)"
				continue
			fi
			if [ "$dir" = up ]; then
				d="LRP relay ceiling up (pcap $mode -> tunnel), 1416-byte GRE injected at full rate"
				b="bare pcap-to-TCP loop, write() batches of 64, TCP_NODELAY"
			else
				d="LRP relay ceiling down (tunnel -> raw GRE socket), capture-mode $mode, peer sending at full rate"
				b="bare TCP-to-raw-GRE loop, sendmmsg batches of 64"
			fi
			figure "$name" "$d" "$(fmt "$(median "${l_all[@]}")")" packets/s \
				"$(fmt "$(median "${b_all[@]}")")" "$b" "$(median "${r_all[@]}")" ge 0.8 \
				"relay CPU% lrp ${cpu_l[*]} / bare ${cpu_b[*]}; ratios ${r_all[*]}"
		done
	done
	in_ns cli iptables -F INPUT
fi

# ---- 5. memory per idle session, 10,000 sessions ------------------------------------

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

if want memory; then
	if lrp_start $PEER_PORT immediate "max-sessions 11000" && peer_start -k "$T_TMP/secret"; then
		sleep 1
		rss0=$(rss_kib "$LRP_PID")
		run_bg sessions-1000 ip netns exec "$(ns cli)" "$BT/bench-sessions" -s "$LRP" -n 1000 -c 100
		spid=$BG_PID
		if wait_for 60 grep -q holding "$T_TMP/sessions-1000.out"; then
			sleep 1
			rss1=$(rss_kib "$LRP_PID")
			setup=$(grep '^setup' "$T_TMP/sessions-1000.out")
			ps=$(peer_stats)
			per=$(awk -v a="$rss0" -v b="$rss1" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
			figure memory_per_idle_session "LRP memory (RSS) per idle session at 1,000 sessions: (RSS at 1000 - RSS at 0) / 1000" \
				"$per" KiB "$rss0" "RSS with 0 sessions (KiB)" - le 16 \
				"RSS $rss1 KiB at 1000; $setup; tunnels open at the RRP: $(kv open "$ps")"
		else
			figure_error memory_per_idle_session "LRP memory per idle session" "1000 sessions did not come up"
		fi
		stop_pid "$spid"
		# the LRP ends its sessions (2 s linger at most)
		wait_for 15 eval '[ "$(lrp_status | sed -n "s/.*, \([0-9]*\) sessions (max.*/\1/p")" = 0 ]' ||
			note "memory: sessions still open 15 s after their clients left"
		# two descriptors per session in the LRP (client, tunnel) plus a
		# few of its own: what the hard limit allows, up to 10,000
		hard=$(ulimit -Hn)
		[ "$hard" = unlimited ] && hard=1048576
		nbig=$(( (hard - 64) / 2 ))	# lrp_main.c keeps 64 for itself (FD_RESERVE)
		[ "$nbig" -gt 10000 ] && nbig=10000
		[ "$nbig" -lt 10000 ] && note "sessions: the descriptor hard limit here is $hard (no CAP_SYS_RESOURCE to raise it), so one LRP can hold at most $nbig sessions; $nbig were set up instead of 10,000"
		run_bg sessions-big ip netns exec "$(ns cli)" "$BT/bench-sessions" -s "$LRP" -n "$nbig" -c 200 -t 120
		spid=$BG_PID
		if wait_for 150 grep -q holding "$T_TMP/sessions-big.out"; then
			sleep 1
			setup=$(grep '^setup' "$T_TMP/sessions-big.out")
			rssbig=$(rss_kib "$LRP_PID")
			ps=$(peer_stats)
			ok=$(kv ok "$setup")
			figure sessions_10000 "concurrent sessions set up through the LRP (SCCRQ answered through its tunnel), of $nbig attempted" \
				"$ok" sessions - "" - ge 10000 \
				"failed $(kv failed "$setup"); LRP RSS $rssbig KiB ($(awk -v a="$rss0" -v b="$rssbig" -v n="$ok" 'BEGIN { printf "%.2f", (b - a) / n }') KiB per session); tunnels open at the RRP $(kv open "$ps")"
			[ "$nbig" -lt 10000 ] && [ "$ok" = "$nbig" ] && FIG[sessions_10000.verdict]="env"
			figure session_setup_rate "session setup rate (client connect + SCCRQ -> SCCRP through LRP and tunnel, 200 in setup at once), $nbig sessions" \
				"$(kv rate "$setup")" sessions/s - "" - - - "1,000 sessions: $(kv rate "$(grep '^setup' "$T_TMP/sessions-1000.out")") sessions/s"
		else
			figure_error sessions_10000 "10,000 concurrent sessions" "did not finish: $(cat "$T_TMP/sessions-big.out")"
		fi
		n_emfile=$(grep -c 'accept: Too many open files' "$LRP_OUT")
		[ "$n_emfile" -gt 0 ] && note "lrp logged 'accept: Too many open files' $n_emfile times"
		stop_pid "$spid"
		stop_pid "$PEER_PID"
		lrp_stop
	else
		figure_error memory_per_idle_session "LRP memory per idle session" "lrp or the peer did not start"
	fi
fi

# ---- report ------------------------------------------------------------------------

ELAPSED=$(($(date +%s) - BENCH_START))
{
	printf 'pptpd-rrp benchmark: %s CPUs (%s), kernel %s, commit %s, %s, %d s\n' \
		"$NPROC" "$CPU_MODEL" "$KERNEL" "$COMMIT" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$ELAPSED"
	printf 'window %s s, %s repetitions (medians); ratios are LRP+RRP / baseline of the same run\n\n' "$SECS" "$REPS"
	printf '%-26s %14s %14s %8s %8s  %-6s %s\n' FIGURE VALUE BASELINE RATIO TARGET RESULT UNIT
	for n in "${FIG_NAMES[@]}"; do
		t=-
		case ${FIG[$n.op]} in
		ge) t=">=${FIG[$n.target]}" ;;
		le) t="<=${FIG[$n.target]}" ;;
		eq) t="=${FIG[$n.target]}" ;;
		esac
		printf '%-26s %14s %14s %8s %8s  %-6s %s\n' "$n" "${FIG[$n.value]}" "${FIG[$n.base]}" \
			"${FIG[$n.ratio]}" "$t" "${FIG[$n.verdict]}" "${FIG[$n.unit]}"
	done
	echo
	for n in "${FIG_NAMES[@]}"; do
		printf '%s: %s. Baseline: %s. %s\n' "$n" "${FIG[$n.desc]}" "${FIG[$n.base_desc]:--}" "${FIG[$n.note]}"
	done
	for x in "${NOTES[@]}"; do printf 'note: %s\n' "$x"; done
} | tee "${RESULTS%.json}.txt"

json_str() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\n'/\\n}
	s=${s//$'\t'/ }
	printf '"%s"' "$s"
}
json_num() { case $1 in ''|-|nan|error) printf 'null' ;; *) printf '%s' "$1" ;; esac; }
mkdir -p "$(dirname "$RESULTS")"
{
	printf '{\n  "machine": {"nproc": %s, "kernel": %s, "cpu": %s, "commit": %s, "date": %s},\n' \
		"$NPROC" "$(json_str "$KERNEL")" "$(json_str "$CPU_MODEL")" "$(json_str "$COMMIT")" \
		"$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
	printf '  "window_s": %s, "repetitions": %s, "elapsed_s": %s,\n  "figures": [\n' "$SECS" "$REPS" "$ELAPSED"
	first=1
	for n in "${FIG_NAMES[@]}"; do
		[ $first = 1 ] || printf ',\n'
		first=0
		printf '    {"name": %s, "description": %s, "value": %s, "unit": %s, "baseline": %s, "baseline_description": %s, "ratio": %s, "target": %s, "result": %s, "note": %s}' \
			"$(json_str "$n")" "$(json_str "${FIG[$n.desc]}")" "$(json_num "${FIG[$n.value]}")" \
			"$(json_str "${FIG[$n.unit]}")" "$(json_num "${FIG[$n.base]}")" "$(json_str "${FIG[$n.base_desc]}")" \
			"$(json_num "${FIG[$n.ratio]}")" \
			"$(case ${FIG[$n.op]} in ge) json_str ">= ${FIG[$n.target]}" ;; le) json_str "<= ${FIG[$n.target]}" ;; *) printf null ;; esac)" \
			"$(json_str "${FIG[$n.verdict]}")" "$(json_str "${FIG[$n.note]}")"
	done
	printf '\n  ],\n  "notes": ['
	first=1
	for x in "${NOTES[@]}"; do
		[ $first = 1 ] || printf ', '
		first=0
		json_str "$x"
	done
	printf ']\n}\n'
} >"$RESULTS"
echo "results: $RESULTS"
[ "$BENCH_ERRORS" -eq 0 ] || { T_FAILED=1; echo "benchmark: $BENCH_ERRORS part(s) could not run (kept $T_TMP)"; exit 1; }
exit 0
