#!/bin/bash
# The LRP's reassembly of fragmented GRE is not for anyone on the LAN to
# take (issue 20, item 3).  A host that is no client sends a steady stream
# of first fragments of GRE (8 every 10 ms, a few hundred a second), each
# with an IP id of its own and never completed: each would hold a
# reassembly slot for the 2 s reassembly timeout, and 64 is the whole
# pool, so on the old code the pool stays full and takes back every slot
# a client's completed datagram frees.  Meanwhile a real client,
# whose LAN MTU of 1000 makes its kernel fragment its GRE packets of up to
# 1420 bytes (a client with pppd's usual MRU of 1500 on an Ethernet LAN
# fragments its 1540-byte ones the same way), runs 1000 data frames
# through its call: every one crosses; the flood is refused, counted in
# `lrp -S' and logged naming the host and the cause, at most once a
# second.  Then the flooding host dials a call of its own and floods from
# its address again: now it may start datagrams, but holds at most 8 at
# once (each new one replaces its own oldest), and the first client's
# frames still all cross.
. "$top_srcdir/tests/lib/common.sh"
. "$top_srcdir/tests/host/hostile/lib.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
require_scapy
t_init
plan 12

nat_topology 2
for n in cli1 lrp; do ip -n "$(ns "$n")" link set to-lan mtu 1000; done
ip -n "$(ns lan)" link set p-cli1 mtu 1000
ip -n "$(ns lan)" link set p-lrp mtu 1000
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

FLOODER=10.40.1.12	# cli2
# reasm LABEL: a counter of the reassembly line of `lrp -S'
reasm() { lrp_status | sed -n "s/^GRE fragments.* $1 \([0-9]*\).*/\1/p"; }
fragments() { lrp_status | sed -n 's/^GRE fragments \([0-9]*\),.*/\1/p'; }
# flood NAME: first fragments from $FLOODER, from cli2, until killed
# (ip netns exec execs the crafter: $FLOOD is its PID)
flood() {
	run_bg "$1" ip netns exec "$(ns cli2)" "$PY" -B "$HOSTILE/craft.py" lrp-frag-flood \
		"$FLOODER" "$LAN_LRP" --burst 8 --every 0.01
	FLOOD=$BG_PID
}
# flooder_call_up: $FLOODER's call is up and its GRE has gone up
flooder_call_up() {
	lrp_status | awk -v c="$FLOODER:" 'index($2, c) == 1 && $3 == "call-up" && $10 > 0 { f = 1 } END { exit !f }'
}
# stop_flood NAME: end the flood, show what it said
stop_flood() {
	kill -TERM "$FLOOD" 2>/dev/null
	wait "$FLOOD" 2>/dev/null
	diag "$(cat "$T_TMP/$1.out")"
}

# 1. a host with no call
f0=$(fragments)
start=$(date +%s)
flood flood-no-call
wait_for 20 eval '[ "$(fragments)" -ge $((f0 + 128)) ]' ||
	diag "the LRP did not see 128 fragments of the flood"
out=$(pptp_client cli1 "$LAN_LRP" -n 3 -m 1000 2>&1)
rc=$?
stop_flood flood-no-call
secs=$(($(date +%s) - start))
diag "$out"
table=$(lrp_status)
diag "$table"
check "1000 data frames of up to 1400 bytes, fragmented on the LAN, crossed both ways during the flood" \
	test "$rc" -eq 0
reassembled=$(reasm reassembled)
check "the client's GRE was reassembled ($reassembled datagrams)" test "${reassembled:-0}" -gt 100
refused=$(reasm "refused (no call up from the source)")
check "every fragment of the flood was refused ($refused in $secs s)" \
	test "${refused:-0}" -ge 128
check "none of the client's datagrams was lost" \
	eval 'echo "$table" | grep -q "reassembly timed out 0, dropped 0, refused ([^)]*) [0-9]*, evicted ([^)]*) 0$"'
pattern="GRE fragment from 10\.40\.1\.12 \(IP id [0-9]+\): no call is up from that address, so it may not start a datagram in reassembly; refused \([0-9]+ refused so far\)"
if lrp_log_has "$pattern"; then
	ok "logged: $(grep -E "$pattern" "$LRP_LOG" | tail -n 1 | sed 's/^lrp: //')"
else
	not_ok "the refusal is logged, naming the host and the cause"
fi
n=$(grep -cE "$pattern" "$LRP_LOG")
check "$refused refused fragments in $secs s cost $n log lines (at most one a second)" \
	test "$n" -ge 1 -a "$n" -le $((secs + 1))

# 2. the same host with a call of its own
run_bg cli2 pptp_client cli2 "$LAN_LRP" -n 1 -m 1 -H 120 -t 140
held=$BG_PID
# its call is up and its GRE has reached the LRP (so the LRP knows the
# address is a client's)
wait_for 20 flooder_call_up || diag "the flooding host's call did not come up"
e0=$(reasm "evicted (per-source or pool limit)")
f0=$(fragments)
flood flood-in-call
wait_for 20 eval '[ "$(fragments)" -ge $((f0 + 128)) ]' ||
	diag "the LRP did not see 128 fragments of the second flood"
out=$(pptp_client cli1 "$LAN_LRP" -n 3 -m 1000 2>&1)
rc=$?
stop_flood flood-in-call
diag "$out"
table=$(lrp_status)
diag "$table"
check "with the host in a call and flooding from its address, the client's 1000 frames all crossed again" \
	test "$rc" -eq 0
e1=$(reasm "evicted (per-source or pool limit)")
check "the flooding host held at most 8 datagrams: its others were evicted ($e0 -> $e1)" \
	test "${e1:-0}" -ge $((${e0:-0} + 128 - 8))
pattern="GRE fragment from 10\.40\.1\.12 starts a datagram in reassembly: its address already holds 8, the most one address may; the oldest of 10\.40\.1\.12 \(IP id [0-9]+\) dropped to make room \([0-9]+ evicted so far\)"
if lrp_log_has "$pattern"; then
	ok "logged: $(grep -E "$pattern" "$LRP_LOG" | tail -n 1 | sed 's/^lrp: //')"
else
	not_ok "the eviction is logged, naming the host and the cause"
fi
end_hold cli2 "$held"
rc=$?
diag "$(cat "$T_TMP/cli2.out")"
check "the flooding host's own call passed its checks" test "$rc" -eq 0
check_redial cli1
check "lrp is still running" kill -0 "$LRP_PID"
t_finish
