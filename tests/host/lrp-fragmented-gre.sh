#!/bin/bash
# GRE that arrives in IP fragments still reaches pptpd: a client whose
# link MTU is smaller than its GRE packets (pppd's default MTU of 1496 on a
# 1500-byte LAN makes 1540-byte GRE packets; here the LAN is set to 1000
# bytes and the frames are up to 1404) has its kernel fragment them; the
# LRP, which captures with libpcap and so sees the fragments, reassembles
# them (a raw GRE socket would have got them reassembled by the kernel).
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare iptables
t_init
plan 4

nat_topology 1
for n in cli1 lrp; do ip -n "$(ns "$n")" link set to-lan mtu 1000; done
ip -n "$(ns lan)" link set p-cli1 mtu 1000
ip -n "$(ns lan)" link set p-lrp mtu 1000
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen $SRV_ADDR:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
write_lrp_conf "$T_TMP/lrp.conf" "$SRV_ADDR:1724"
start_lrp lrp "$T_TMP/lrp.conf"

out=$(pptp_client cli1 "$LAN_LRP" -n 5 -m 200 2>&1)
rc=$?
diag "$out"
table=$(lrp_status)
diag "$table"
check "200 data frames of up to 1400 bytes crossed both ways over a 1000-byte MTU LAN" test "$rc" -eq 0
frags=$(echo "$table" | sed -n 's/^GRE fragments \([0-9]*\), reassembled \([0-9]*\),.*/\1/p')
reasm=$(echo "$table" | sed -n 's/^GRE fragments \([0-9]*\), reassembled \([0-9]*\),.*/\2/p')
check "the client's GRE arrived fragmented ($frags fragments)" test "${frags:-0}" -gt 100
check "and the LRP reassembled it ($reasm datagrams)" test "${reasm:-0}" -gt 50 -a "$((reasm * 2))" -le "${frags:-0}"
check "no reassembly failed" eval 'echo "$table" | grep -q "reassembly timed out 0, dropped 0"'
t_finish
