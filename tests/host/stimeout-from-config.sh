#!/bin/bash
# `stimeout` in pptpd.conf sets how long pptpd waits for a new client's
# first packet (patches/0002: upstream ignored it and always waited 10 s).
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd pptp unshare
t_init
plan 4

ns_add srv
ns_add cli
ns_link srv 10.12.0.1/24 cli 10.12.0.2/24
write_pptpd_conf "$T_TMP/pptpd.conf" "stimeout 1"
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

# A client that connects and says nothing: how long until pptpd hangs up?
silent_client() {
	in_ns cli timeout 8 bash -c '
		exec 3<>/dev/tcp/10.12.0.1/1723 || exit 2
		start=$(date +%s%N)
		cat <&3 >/dev/null
		echo $(( ($(date +%s%N) - start) / 1000000 ))'
}
ms=$(silent_client)
diag "silent client dropped after ${ms:-(not within 8 s)} ms with stimeout 1 (upstream's default is 10 s)"
check "a silent client is dropped after about 1 s, not the 10 s default" \
	test -n "$ms" -a "${ms:-99999}" -lt 4000
check "pptpd logs the drop" log_has 'MGR: dropped slow initial connection'

out=$(pptp_client cli 10.12.0.1 -n 3 -m 10 2>&1)
check "a real client still dials (the manager did not stall)" test $? -eq 0
diag "$out"

# The command line still wins over the file.
kill "$PPTPD_PID"; wait "$PPTPD_PID" 2>/dev/null
write_pptpd_conf "$T_TMP/pptpd2.conf" "stimeout 30"
start_pptpd srv "$T_TMP/pptpd2.conf" "$top_builddir/pptpd/pptpd" -t 1
ms=$(silent_client)
check "-t 1 overrides stimeout 30 from the file (dropped after ${ms:-?} ms)" \
	test -n "$ms" -a "${ms:-99999}" -lt 4000
t_finish
