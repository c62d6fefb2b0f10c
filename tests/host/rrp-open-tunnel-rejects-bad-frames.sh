#!/bin/bash
# An authenticated tunnel that then sends a malformed control message, a
# malformed GRE packet or a frame of unknown type is ended with ERROR and
# one log line naming the client, the LRP and the cause; its pptpctrl goes
# away; a session held open meanwhile is not disturbed.
. "$top_srcdir/tests/host/rrp-bad-peers-are-contained.inc"
plan 7
setup_server 8

bad_case bad-ctrl error:PAYLOAD 'client 192\.0\.2\.20:42000 via LRP 10\.16\.0\.2:[0-9]+: bad control message from the LRP: magic cookie' "a control message with a bad magic cookie"
bad_case bad-gre error:PAYLOAD 'client 192\.0\.2\.20:42000 via LRP .*: bad GRE packet from the LRP: GRE payload length' "a GRE packet whose length lies"
bad_case garbage-after-open error:TYPE 'client 192\.0\.2\.20:42000 via LRP .*: bad frame from the LRP: unknown frame type' "an unknown frame in an open tunnel"
sleep 1
# the good session's pptpctrl and stand-in are the only ones left
n=$(grep -c 'tunnel closed' "$LOGFILE")
check "each broken tunnel's session ended and was logged ($n)" test "$n" -ge 3
finish_good
t_finish
