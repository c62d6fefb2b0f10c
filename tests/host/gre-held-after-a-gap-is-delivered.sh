#!/bin/bash
# A GRE packet that arrives after a gap in the sequence numbers (the one
# before it lost) is held by pptpd for its reorder timeout and then
# delivered, even when nothing arrives after it (patches/0010: upstream
# released held packets only when the next one came).  Played through an
# RRP tunnel, which relays GRE untouched: this is pptpctrl's own behaviour,
# the same for direct clients.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
t_init
plan 2

ns_add srv
ns_add lrp
ns_link srv 10.22.0.1/24 lrp 10.22.0.2/24
make_secret "$T_TMP/secret"
write_pptpd_conf "$T_TMP/pptpd.conf" "rrp-listen 10.22.0.1:1724" "rrp-secret-file $T_TMP/secret"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

out=$(rrp_client lrp -s 10.22.0.1:1724 -k "$T_TMP/secret" -n 2 -m 10 --mode seq-gap -t 10 -q 2>&1)
rc=$?
diag "$out"
check "the frame sent after a gap came back, with nothing sent after it" test "$rc" -eq 0
ms=$(echo "$out" | sed -n 's/.*after the gap \([0-9-]*\) ms.*/\1/p')
check "after about pptpd's 0.3 s reorder timeout ($ms ms)" test "${ms:--1}" -ge 200 -a "${ms:--1}" -lt 1500
t_finish
