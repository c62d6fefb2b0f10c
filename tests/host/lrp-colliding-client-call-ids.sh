#!/bin/bash
# Clients whose Call IDs collide still work through the LRP: two clients in
# different namespaces both use Call ID 4242 in calls held at the same
# time, and a third uses the Call ID the LRP gave the first one's session.
# The LRP tells sessions apart by its own Call IDs (going up) and by
# tunnel (going down), never by the client's.  pptp-linux picks random
# Call IDs, so the clients are tests/tools/pptp-raw-client: real PPTP on
# TCP and GRE on a raw socket, with the Call ID fixed, and a Set-Link-Info
# the LRP must translate.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd tcpdump tshark iptables
require_pptp_raw_client
t_init
plan 9

nat_topology 3
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_capture lrp to-lan lan
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

run_bg a pptp_raw_client cli1 -i 4242 -n 5 -m 200 -H 3 "$LAN_LRP"
a=$BG_PID
run_bg b pptp_raw_client cli2 -i 4242 -n 5 -m 200 -H 3 "$LAN_LRP"
b=$BG_PID
wait_for 10 eval '[ "$(lrp_status | grep -c " call-up ")" -ge 2 ]'
table=$(lrp_status)
diag "$table"
rows=$(echo "$table" | awk '$3 == "call-up" && $5 == 4242')
check "two sessions are up with the same client Call ID 4242" test "$(echo "$rows" | grep -c .)" -eq 2
lrp_a=$(echo "$table" | awk '$3 == "call-up" && $2 ~ /^10\.40\.1\.11:/ { print $4 }')
lrp_b=$(echo "$table" | awk '$3 == "call-up" && $2 ~ /^10\.40\.1\.12:/ { print $4 }')
check "the LRP gave them different Call IDs ($lrp_a, $lrp_b)" \
	test -n "$lrp_a" -a -n "$lrp_b" -a "$lrp_a" != "$lrp_b"

# A third client's own Call ID is the one the LRP shows the first client.
out=$(pptp_raw_client cli3 -i "$lrp_a" -n 5 -m 100 "$LAN_LRP" 2>&1)
rc=$?
diag "client c (Call ID $lrp_a): $out"
check "a client whose Call ID is the LRP's Call ID of another session works meanwhile" test "$rc" -eq 0

wait "$a"; ra=$?
wait "$b"; rb=$?
diag "client a: $(cat "$T_TMP/a.out")" "client b: $(cat "$T_TMP/b.out")"
check "both clients with Call ID 4242 passed echoes and 200 data frames both ways" test "$ra" -eq 0 -a "$rb" -eq 0
check "neither received GRE for any other Call ID" \
	eval 'grep -q "with another Call ID 0;" "$T_TMP/a.out" && grep -q "with another Call ID 0;" "$T_TMP/b.out"'
check "each was shown the LRP's Call ID of its own session" \
	eval 'grep -q "server.s (as shown to us) $lrp_a;" "$T_TMP/a.out" && grep -q "server.s (as shown to us) $lrp_b;" "$T_TMP/b.out"'
check "their Set-Link-Info went up after pptpd's Call ID was known (translated)" \
	eval '[ "$(grep -c "Set-Link-Info from the client" "$LRP_LOG")" -eq 3 ] && ! lrp_log_has "before pptpd.s Call ID is known"'

wait_for 10 eval '[ "$(grep -c "session ended" "$LRP_LOG")" -ge 3 ]' || true
stop_capture "$CAP_PID" lan
lan=$("$LIB/pcap-summary" "$T_TMP/lan.pcap")
diag "$lan"
flow() { echo "$lan" | awk -v s="$1" -v d="$2" -v c="$3" '$1 == "gre" && $2 == s && $3 == d && $4 == c { sub("data=", "", $6); print $6 }'; }
check "on the wire, GRE down to both clients carries 4242, GRE up their own LRP Call IDs" \
	test "$(flow 10.40.1.1 10.40.1.11 4242)" -ge 205 -a "$(flow 10.40.1.1 10.40.1.12 4242)" -ge 205 \
	-a "$(flow 10.40.1.11 10.40.1.1 "$lrp_a")" -ge 205 -a "$(flow 10.40.1.12 10.40.1.1 "$lrp_b")" -ge 205
echoed=$(cat $(standin_reports) | sed -n 's/^frames-echoed: //p' | sort -n | xargs)
check "pptpd's three stand-ins echoed every data frame ($echoed)" test "$echoed" = "100 200 200"
t_finish
