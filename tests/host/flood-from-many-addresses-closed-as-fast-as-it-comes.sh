#!/bin/bash
# A flood of silent connections from many addresses, one connection from
# each, is closed as fast as it comes, not a grace at a time.  A full
# listener closes a connection for room only once it has waited a second
# without its first message (so that a burst of real clients is served
# whole; common/pending_set.h), and accepts nothing meanwhile.  Against a
# flood from one address the grace goes once the address has had one
# closed so; but with one connection per address no address is flooding,
# and the listener would turn its set over once a second while the flood
# filled the kernel's queue ahead of every real client.  So once it has
# closed one silent past its grace, the listener is under a flood, and a
# connection alone from its address gets no grace.  For each of pptpd's
# 1723, rrp-listen and the LRP's 1723 (bound 20): 500 connections from
# 500 addresses that never send a byte, each replaced 10 ms after the
# server closes it; in 8 s the server must close well over a thousand
# (a second at a time it would close about 20 a second), and its limit
# line names a flooding address with 1 waiting from it.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd unshare
t_init
plan 6

FLOOD_ADDRS=500
FLOOD_SECS=8
# at most (FLOOD_SECS + 1) * 20 if the set turned over once a second
MIN_CLOSED=1000

# srv: pptpd (1723 and rrp-listen); lrp: an LRP (no tunnel is opened for
# a client that has not sent its first message, so its server need not
# listen); lan: the flood's 500 addresses towards each
ns_add srv
ns_add lrp
ns_add lan
ns_link srv 10.47.0.1/16 lan 10.47.0.2/16
ns_link lrp 10.48.0.1/16 lan 10.48.0.2/16
# the flood's: 10.4x.2.1 onwards
for i in $(seq 1 $FLOOD_ADDRS); do
	echo "addr add 10.47.$((2 + i / 256)).$((i % 256))/16 dev to-srv"
	echo "addr add 10.48.$((2 + i / 256)).$((i % 256))/16 dev to-lrp"
done | ip -n "$(ns lan)" -batch - || bail_out "could not add the flood's addresses"

make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "stimeout 60" "max-pending 20" \
	"rrp-listen 10.47.0.1:1724" "rrp-secret-file $T_TMP/secret" \
	"rrp-handshake-timeout 60" "rrp-max-pending 20"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
LAN_LRP=10.48.0.1 write_lrp_conf "$T_TMP/lrp.conf" 10.48.0.2:1724 \
	"max-pending 20" "start-timeout 60" "log-level info"
start_lrp lrp "$T_TMP/lrp.conf"

# flood NAME TARGET FIRST_ADDR LOG_PATTERN LOG_CHECK
flood() {
	local name=$1 target=$2 from=$3 pattern=$4 logcheck=$5 closed
	run_bg "flood-$name" ip netns exec "$(ns lan)" "$TOOLS/flooder" "$target" \
		--source "$from" --sources $FLOOD_ADDRS --half-open $FLOOD_ADDRS \
		--reconnect --every 10 --seconds $FLOOD_SECS
	wait "$BG_PID" 2>/dev/null
	diag "$name: $(cat "$T_TMP/flood-$name.out")"
	closed=$(sed -n 's/.*closed by the server \([0-9]*\),.*/\1/p' "$T_TMP/flood-$name.out")
	check "$name: the flood's connections are closed as fast as they come ($closed in $FLOOD_SECS s, at least $MIN_CLOSED)" \
		test "${closed:-0}" -ge $MIN_CLOSED
	check "$name: the limit's log line names a flooding address, 1 waiting from it" \
		wait_for 5 "$logcheck" "$pattern"
}

flood pptpd-1723 10.47.0.1:1723 10.47.2.1 \
	'MGR: max-pending 20 connections wait for their first message; closed the oldest from the address with the most waiting, 10\.47\.[2-9]\.[0-9]+:[0-9]+ \(1 waiting from it' log_has
flood rrp-listen 10.47.0.1:1724 10.47.2.1 \
	'RRP: rrp-max-pending 20 connections wait for their first message; closed the oldest from the address with the most waiting, 10\.47\.[2-9]\.[0-9]+:[0-9]+ \(1 waiting from it' log_has
flood lrp-1723 10.48.0.1:1723 10.48.2.1 \
	'max-pending 20 clients have not sent their first message; closed the oldest from the address with the most waiting, client 10\.48\.[2-9]\.[0-9]+:[0-9]+ \(1 waiting from it' lrp_log_has
t_finish
