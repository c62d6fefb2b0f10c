#!/bin/sh
# ppp-hook.sh: /etc/ppp/ip-up and /etc/ppp/ip-down in the test VM.
#
# pppd runs these with a cleared environment (PATH, PPPD_PID, PEERNAME, ...)
# and the arguments  IFACE TTY SPEED LOCAL-IP REMOTE-IP IPPARAM.
# Each call appends one line to /results/ppp-events.log, which the host keeps,
# and keeps a state file /tmp/vm/ppp/NS.IFACE that guest-lib.sh's
# wait_ppp_up polls.  On the server, IPPARAM is what pptpctrl handed pppd:
# the client's real address, which is what the scenario checks.
PATH=/usr/sbin:/usr/bin:/usr/lib/vm/busybox
event=${0##*/}
ns=$(ip netns identify 2>/dev/null)
ns=${ns:-root}

line="$event ns=$ns if=$1 local=$4 remote=$5 ipparam=$6 peer=${PEERNAME:-} pppd=${PPPD_PID:-}"
echo "$line" >>/results/ppp-events.log

mkdir -p /tmp/vm/ppp
case $event in
ip-up) echo "$line" >"/tmp/vm/ppp/$ns.$1" ;;
*) rm -f "/tmp/vm/ppp/$ns.$1" ;;
esac
exit 0
