#!/bin/bash
# PPTP clients on a LAN reach pptpd through a NAT that drops GRE, via the
# LRP: Debian's pptp client in three namespaces (two of them in one, sharing
# an IP address) dials the LRP at the same time; every call carries echoes
# and data frames intact both ways.  On the LAN the clients see the LRP's
# Call IDs (distinct per session, not pptpd's 0, 128, ...) and their GRE
# carries them; towards the server nothing but TCP to rrp-listen crosses
# the NAT; pptpd's sessions carry each client's real LAN address; the
# LRP's host never answers GRE with ICMP protocol-unreachable.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare tcpdump tshark iptables
t_init
plan 15

ECHOES=10
FRAMES=200
nat_topology 3
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_capture lrp to-lan lan
lan_cap=$CAP_PID
start_capture srv to-nat wan ""
wan_cap=$CAP_PID
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

# cli1 and cli2 one client each; cli3 two, sharing its address
names=(a b c d)
nss=(cli1 cli2 cli3 cli3)
declare -A PIDS
for i in 0 1 2 3; do
	run_bg "client-${names[$i]}" pptp_client "${nss[$i]}" "$LAN_LRP" -n $ECHOES -m $FRAMES -H 4 -t 20
	PIDS[$i]=$BG_PID
done
wait_for 15 eval '[ "$(lrp_status | grep -c " call-up ")" -ge 4 ]'
table=$(lrp_status)
diag "$table"
check "four calls are up through the LRP at the same time" \
	test "$(echo "$table" | grep -c ' call-up ')" -eq 4

failed=0
for i in 0 1 2 3; do
	wait "${PIDS[$i]}" || failed=$((failed + 1))
	diag "client ${names[$i]} (${nss[$i]}): $(cat "$T_TMP/client-${names[$i]}.out")"
done
check "every client's call carried $ECHOES echoes and $FRAMES data frames intact both ways ($failed failed)" \
	test "$failed" -eq 0

wait_for 10 eval '[ "$(grep -c "session ended" "$LRP_LOG")" -ge 4 ] && [ "$(grep -c "tunnel closed;" "$LOGFILE")" -ge 4 ]' ||
	diag "not every session's end was logged"
stop_capture "$lan_cap" lan
stop_capture "$wan_cap" wan
# after a client's Call-Clear-Request both ends close: the client hangs up,
# or pptpd, its call gone, ends the control connection first; either is a
# normal end (reason 0), never an error
check "lrp logged all four sessions' normal ends" test "$(grep -cE 'session ended \((client hung up|the RRP closed the tunnel: session ended \(0\) "session ended")\)' "$LRP_LOG")" -eq 4
check "lrp -S shows no session left" test "$(lrp_sessions)" = 0

# Call IDs on the LAN
lan=$("$LIB/pcap-summary" "$T_TMP/lan.pcap")
diag "$lan"
# what lrp logged for each session: pptpd's Call ID and the one it showed
mapfile -t shown < <(sed -n "s/.*pptpd's Call ID \([0-9]*\) shown to the client as \([0-9]*\)$/\1 \2/p" "$LRP_LOG")
diag "pptpd's Call ID / the LRP's: ${shown[*]}"
srv_cids=$(printf '%s\n' "${shown[@]}" | awk '{ print $1 }' | sort -n | xargs)
lrp_cids=$(printf '%s\n' "${shown[@]}" | awk '{ print $2 }' | sort -n | xargs)
ocrp_cids=$(echo "$lan" | awk '$1 == "ctrl" && $4 == 8 && $2 == "'"$LAN_LRP"'" { print $5 }' | sort -n | xargs)
check "pptpd gave the four sessions its own Call IDs 0 128 256 384 (got: $srv_cids)" \
	test "$srv_cids" = "0 128 256 384"
check "the Outgoing-Call-Replies on the LAN carry the LRP's Call IDs ($ocrp_cids), not pptpd's" \
	test -n "$ocrp_cids" -a "$ocrp_cids" = "$lrp_cids"
check "the LRP's Call IDs are distinct" test "$(echo "$lrp_cids" | tr ' ' '\n' | sort -u | wc -l)" -eq 4
# every OCRP echoes its client's OCRQ Call ID; GRE up carries the LRP's
# Call ID of that session, GRE down the client's
gre_ok=0
while read -r _ src dst _type cid peer result; do
	[ "$result" = 1 ] || continue
	up=$(echo "$lan" | awk -v s="$dst" -v d="$src" -v c="$cid" '$1 == "gre" && $2 == s && $3 == d && $4 == c { print $6 }')
	down=$(echo "$lan" | awk -v s="$src" -v d="$dst" -v c="$peer" '$1 == "gre" && $2 == s && $3 == d && $4 == c { print $6 }')
	up=${up#data=}
	down=${down#data=}
	[ "${up:-0}" -ge $((ECHOES + FRAMES)) ] && [ "${down:-0}" -ge $((ECHOES + FRAMES)) ] && gre_ok=$((gre_ok + 1))
done < <(echo "$lan" | awk '$1 == "ctrl" && $4 == 8')
check "each client's GRE up carries its LRP Call ID, GRE down its own Call ID ($gre_ok/4 sessions)" \
	test "$gre_ok" -eq 4
gre_flows=$(echo "$lan" | grep -c '^gre' || true)
check "no other GRE flows on the LAN ($gre_flows flows, 8 expected)" test "$gre_flows" -eq 8
unreach=$(tshark -r "$T_TMP/lan.pcap" -n -Y 'icmp.type == 3 && icmp.code == 2' 2>/dev/null | wc -l)
check "no ICMP protocol-unreachable on the LRP's LAN interface ($unreach)" test "$unreach" -eq 0

# Towards the server
wan_gre=$(tshark -r "$T_TMP/wan.pcap" -n -Y 'ip.proto == 47' 2>/dev/null | wc -l)
check "no GRE crossed the NAT towards the server ($wan_gre packets)" test "$wan_gre" -eq 0
wan_other=$(tshark -r "$T_TMP/wan.pcap" -n -Y 'ip && !(tcp.port == 1724)' 2>/dev/null | wc -l)
wan_tunnel=$(tshark -r "$T_TMP/wan.pcap" -n -Y 'tcp.port == 1724 && tcp.len > 0' 2>/dev/null | wc -l)
check "between the NAT and the server only TCP to rrp-listen ($wan_tunnel data segments, $wan_other other IP packets)" \
	test "$wan_other" -eq 0 -a "$wan_tunnel" -gt 100
check "pptpd saw the tunnels come from the NAT's address" \
	log_has "RRP: client 10\.40\.1\.11:[0-9]+ via LRP $NAT_WAN:[0-9]+: tunnel authenticated"
params=$(cat $(standin_reports) | sed -n 's/.* ipparam \([0-9.]*\) .*/\1/p' | sort | xargs)
check "each stand-in's ipparam is its client's real LAN address ($params)" \
	test "$params" = "10.40.1.11 10.40.1.12 10.40.1.13 10.40.1.13"
check "the NAT dropped no GRE (there was none to drop: $(nat_gre_dropped) packets)" \
	test "$(nat_gre_dropped)" = 0
t_finish
