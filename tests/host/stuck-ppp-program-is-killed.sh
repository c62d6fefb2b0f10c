#!/bin/bash
# A ppp program that does not exit when its call ends cannot hold
# pptpctrl, and with it a connection slot, forever (patches/0017:
# upstream's pptpctrl waited for it without limit).  The stand-in here
# ignores SIGTERM and SIGHUP and stays after its pty hangs up; the pool
# has one address, so the slot it held is the only one.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_pptp_raw_client
t_init
plan 6

ns_add srv
ns_add cli
ns_link srv 10.25.0.1/24 cli 10.25.0.2/24
cat >"$T_TMP/pptpd.conf" <<CONF
ppp $TOOLS/ppp-standin
localip 192.168.77.1
remoteip 192.168.77.10
CONF
export STANDIN_STUCK=1
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"

out=$(pptp_raw_client cli -i 4662 -n 1 -t 10 10.25.0.1 2>&1)
check "a call, ended by the client with Call-Clear-Request" test $? -eq 0
diag "$out"
report=$(standin_reports | head -n 1)
standin=${report##*standin-}
standin=${standin%.txt}
check "its ppp program is stuck: ignores SIGTERM and SIGHUP, stays after the hangup" \
	wait_for 5 grep -q '^stuck:' "$report"
check "pptpctrl killed it (5 s after SIGTERM, checked for 20 s)" wait_for 20 test ! -d "/proc/$standin"
check "and logged it" log_has "ppp program $standin did not exit 5 s after SIGTERM .*killing it"
check "pptpctrl exited, freeing the slot" wait_for 10 eval '[ -z "$(pgrep -P "$PPTPD_PID")" ]'
out=$(pptp_raw_client cli -i 4663 -n 1 -t 10 10.25.0.1 2>&1)
rc=$?
diag "$out"
check "the next client gets the pool's one address" test "$rc" -eq 0
t_finish
