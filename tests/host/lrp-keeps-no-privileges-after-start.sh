#!/bin/bash
# Once its sockets are open, lrp keeps no privilege: read from
# /proc/PID/status of the running daemon, and checked to still carry a call.
#   - started as root (lrp.conf's user, here nobody): every uid and gid is
#     nobody's, no supplementary groups, no capability in the effective,
#     permitted, inheritable, ambient or bounding set, no_new_privs;
#   - started the way lrp.service starts it (user nobody with
#     CAP_NET_RAW and CAP_NET_BIND_SERVICE as ambient capabilities, the
#     bounding set cut to those two, no new privileges): it gives the two
#     up too, once the capture, the raw GRE socket and port 1723 are open.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare iptables setpriv
t_init
plan 9

nat_topology 1
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

nobody=$(id -u nobody)
nogroup=$(id -g nobody)
status() { grep -E "^$2:" "/proc/$1/status" | cut -f2- | tr -s '\t ' ' ' | sed 's/ $//'; }

# privileges_of WHAT: the running lrp's credentials, checked.
privileges_of() {
	local what=$1 st
	st=$(grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' "/proc/$LRP_PID/status")
	diag "$what: $(echo "$st" | tr '\t\n' ' ;')"
	check "$what: uid and gid are nobody's (real, effective, saved, fs), no supplementary groups" \
		test "$(status "$LRP_PID" Uid)" = "$nobody $nobody $nobody $nobody" -a \
		"$(status "$LRP_PID" Gid)" = "$nogroup $nogroup $nogroup $nogroup" -a -z "$(status "$LRP_PID" Groups)"
	check "$what: no capability effective, permitted, inheritable or ambient" \
		test "$(status "$LRP_PID" CapEff)$(status "$LRP_PID" CapPrm)$(status "$LRP_PID" CapInh)$(status "$LRP_PID" CapAmb)" = \
		0000000000000000000000000000000000000000000000000000000000000000
	check "$what: bounding set $2, no_new_privs set" \
		test "$(status "$LRP_PID" CapBnd)" = "$2" -a "$(status "$LRP_PID" NoNewPrivs)" = 1
	out=$(pptp_client cli1 "$LAN_LRP" -n 2 -m 10 2>&1)
	check "$what: a call through it works" test $? -eq 0
	diag "$out"
}

# 1. started as root
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"
check "lrp says which user it became" lrp_log_has 'running as user nobody'
privileges_of "started as root" 0000000000000000
kill -TERM "$LRP_PID"
wait_for 5 eval '! kill -0 $LRP_PID'

# 2. started as lrp.service starts it.  CAP_NET_BIND_SERVICE is 10 and
# CAP_NET_RAW 13: the bounding set systemd leaves is 0x2400.
chmod 0711 "$T_TMP"
chown nobody "$T_TMP/secret"
# its run-time files where user nobody may make them (lrp.service:
# RuntimeDirectory=lrp)
install -d -o nobody "$T_TMP/run"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724" "pidfile $T_TMP/run/lrp.pid" "status-socket $T_TMP/run/lrp.sock"
: >"$T_TMP/lrp-svc.out"
chown nobody "$T_TMP/lrp-svc.out"
run_bg lrp-svc ip netns exec "$(ns lrp)" setpriv --reuid=nobody --regid="$nogroup" --clear-groups \
	--inh-caps=-all,+net_raw,+net_bind_service --ambient-caps=-all,+net_raw,+net_bind_service \
	--bounding-set=-all,+net_raw,+net_bind_service --no-new-privs \
	"$top_builddir/lrp/lrp" -f -c "$T_TMP/lrp.conf"
LRP_PID=$BG_PID
LRP_LOG=$T_TMP/lrp-svc.out
# (lrp gives up its privileges before it logs that it started)
wait_for 5 lrp_log_has 'lrp .* started: ' || { cat "$LRP_LOG" >&2; bail_out "lrp did not start under setpriv"; }
privileges_of "started like lrp.service" 0000000000002400
t_finish
