#!/bin/bash
# Peers that fail the tunnel handshake - wrong secret, unknown version, no
# magic, truncated or oversized or unknown frames, reserved flags, a frame
# out of turn, a forged client address - are each refused with the ERROR
# the protocol names and one log line naming the LRP and the cause; a
# session held open meanwhile is not disturbed.
. "$top_srcdir/tests/host/rrp-bad-peers-are-contained.inc"
plan 13
setup_server 10

bad_case wrong-secret error:AUTH 'tunnel from LRP 10\.16\.0\.2:[0-9]+: authentication failed' "wrong secret"
bad_case version:2 error:VERSION 'no common protocol version: offered versions 2\.\.2, this RRP speaks 1\.\.1' "protocol version 2 only"
bad_case version:0 error:VERSION 'bad HELLO|no common protocol version' "protocol version 0"
bad_case bad-magic error:MAGIC 'bad HELLO: HELLO without the protocol magic' "HELLO without magic"
bad_case truncated eof 'closed by the LRP waiting for HELLO' "half a HELLO, then the LRP hangs up"
bad_case oversized error:LENGTH 'bad frame header: length out of bounds' "a frame header announcing 65535 bytes"
bad_case unknown-frame error:TYPE 'bad frame header: unknown frame type' "an unknown frame type"
bad_case bad-flags error:FLAGS 'bad frame header: reserved flag bits set' "reserved flag bits"
bad_case early-ctrl error:STATE 'waiting for AUTH: unexpected CTRL frame' "a control message before authenticating"
# port 0 and the unspecified address are not a TCP peer's
out=$(rrp_client lrp -s 10.16.0.1:1724 -k "$T_TMP/secret" -c 0.0.0.0:0 --expect error:ADDRESS -t 8 -q 2>&1)
if [ $? -eq 0 ] && wait_for 3 log_has 'bad AUTH: bad client address'; then
	ok "a client address no TCP peer can have: answered error:ADDRESS, logged"
else
	diag "$out"; not_ok "a client address no TCP peer can have: answered error:ADDRESS, logged"
fi
finish_good
t_finish
