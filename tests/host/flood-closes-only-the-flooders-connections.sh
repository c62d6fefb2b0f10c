#!/bin/bash
# When a listener's bound of connections waiting for their first message
# is reached, the connection closed to make room is the oldest from the
# address with the most waiting, so a flood from one address cannot push
# out a client waiting from another, however fast it comes.  For each of
# pptpd's 1723, rrp-listen and the LRP's 1723: one silent connection from
# address B waits (the oldest of all), then 300 silent connections from
# address A arrive against a bound of 20.  B's connection must still be
# open at the end, and the limit's log line must name A.  (The rule it
# replaces, "close the oldest", closed B's first: under ASan on 2 cores a
# real client's call through the LRP lost to the flood that way.)
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd unshare
t_init
plan 9

# srv: pptpd (1723 and rrp-listen); lrp: an LRP; lan: the two addresses
# each of them is dialed from
ns_add srv
ns_add lrp
ns_add lan
ns_link srv 10.43.0.1/24 lan 10.43.0.2/24
ns_link lrp 10.44.0.1/24 lan 10.44.0.2/24
ip -n "$(ns lan)" addr add 10.43.0.3/24 dev to-srv
ip -n "$(ns lan)" addr add 10.44.0.3/24 dev to-lrp

make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "stimeout 60" "max-pending 20" \
	"rrp-listen 10.43.0.1:1724" "rrp-secret-file $T_TMP/secret" \
	"rrp-handshake-timeout 60" "rrp-max-pending 20"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
# no tunnel is opened for a client that has not sent its first message,
# so the LRP's server needs no one listening
LAN_LRP=10.44.0.1 write_lrp_conf "$T_TMP/lrp.conf" 10.44.0.2:1724 \
	"max-pending 20" "start-timeout 60" "log-level info"
start_lrp lrp "$T_TMP/lrp.conf"

# accepted NS PORT ADDR: the daemon in NS has accepted the connection
# from ADDR to its PORT (ss names the process holding it; one still in
# the kernel's listen queue has none)
accepted() { in_ns "$1" ss -tnpH state established "( sport = :$2 and dst $3 )" | grep -q 'users:'; }

# spares NAME NS TARGET FLOODER_ADDR WAITER_ADDR LOG_PATTERN LOG_CHECK
spares() {
	local name=$1 nsname=$2 target=$3 a=$4 b=$5 pattern=$6 logcheck=$7 waiter out
	run_bg "waiter-$name" ip netns exec "$(ns lan)" "$TOOLS/flooder" "$target" --source "$b" \
		--half-open 1 --seconds 120 --ready "$T_TMP/ready-$name"
	waiter=$BG_PID
	wait_for 10 test -s "$T_TMP/ready-$name" || diag "$name: the waiting connection did not open"
	# the oldest of all: in the daemon's set before the flood comes
	wait_for 5 accepted "$nsname" "${target##*:}" "$b" || diag "$name: the waiting connection was not accepted"
	out=$(ip netns exec "$(ns lan)" "$TOOLS/flooder" "$target" --source "$a" --half-open 300 --seconds 5)
	diag "$name: flood from $a: $out"
	check "$name: the limit's log line names the flooding address $a" \
		wait_for 5 "$logcheck" "$pattern"
	kill -TERM "$waiter" 2>/dev/null
	wait "$waiter" 2>/dev/null
	diag "$name: waiter from $b: $(cat "$T_TMP/waiter-$name.out")"
	check "$name: the connection waiting from $b was not closed" \
		grep -q 'closed by the server 0,' "$T_TMP/waiter-$name.out"
	check "$name: the flood's own connections were closed to make room (at least 100 of 300; how many reach accept() in 5 s depends on SYN retries)" \
		eval "[ \"\$(echo \"\$out\" | sed -n 's/.*closed by the server \([0-9]*\),.*/\1/p')\" -ge 100 ]"
}

spares pptpd-1723 srv 10.43.0.1:1723 10.43.0.2 10.43.0.3 \
	'MGR: max-pending 20 connections wait for their first message; closed the oldest from the address with the most waiting, 10\.43\.0\.2:[0-9]+ \(19 waiting from it' log_has
spares rrp-listen srv 10.43.0.1:1724 10.43.0.2 10.43.0.3 \
	'RRP: rrp-max-pending 20 connections wait for their first message; closed the oldest from the address with the most waiting, 10\.43\.0\.2:[0-9]+ \(19 waiting from it' log_has
spares lrp-1723 lrp 10.44.0.1:1723 10.44.0.2 10.44.0.3 \
	'max-pending 20 clients have not sent their first message; closed the oldest from the address with the most waiting, client 10\.44\.0\.2:[0-9]+ \(19 waiting from it' lrp_log_has
t_finish
