#!/bin/bash
# rrp-client-selftest.sh - every rrp-client mode, end to end on loopback,
# against tests/tools/rrp-fake-server (no pptpd, no root, no namespaces).
# Proves the oracle before it judges the real RRP: each scenario must
# produce the answer the specification names, each expectation must turn
# into the right exit status, and a server that misbehaves (wrong WELCOME
# MAC, CLOSE FULL, silence) must make the client fail, on time.
#
#   top_builddir=BUILD tests/tools/rrp-client-selftest.sh     (prints TAP)

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
. "$top_srcdir/tests/lib/common.sh"

CLIENT=$TOOLS/rrp-client
FAKE=$TOOLS/rrp-fake-server
if [ ! -x "$CLIENT" ] || [ ! -x "$FAKE" ]; then
	bail_out "build tests/tools/rrp-client and rrp-fake-server first ($TOOLS)"
fi

t_init
umask 077
SECRET=$T_TMP/secret
head -c 32 /dev/urandom | base64 >"$SECRET"
FAKE_N=0

# soon SECONDS COMMAND...: poll COMMAND every 20 ms (wait_for's 100 ms
# steps would double this script's run time).
soon() {
	local i tries=$(($1 * 50))
	shift
	for ((i = 0; i < tries; i++)); do
		"$@" 2>/dev/null && return 0
		sleep 0.02
	done
	return 1
}

# start_fake [FAKE ARGS...]: a one-connection fake RRP on 127.0.0.1:0;
# sets FAKE_PID, FAKE_OUT, PORT.
start_fake() {
	FAKE_N=$((FAKE_N + 1))
	run_bg "fake$FAKE_N" "$FAKE" -l "${FAKE_LISTEN:-127.0.0.1:0}" -k "$SECRET" "$@"
	FAKE_PID=$BG_PID
	FAKE_OUT=$T_TMP/fake$FAKE_N.out
	soon 5 grep -q '^listening ' "$FAKE_OUT" || bail_out "fake server did not start"
	PORT=$(sed -n 's/^listening .*:\([0-9]*\)$/\1/p' "$FAKE_OUT")
}

# stop_fake: wait for the one-connection fake to finish, kill it if not.
stop_fake() {
	soon 5 test ! -d "/proc/$FAKE_PID" || kill -TERM "$FAKE_PID" 2>/dev/null
	wait "$FAKE_PID" 2>/dev/null
}

# client NAME ARGS...: run rrp-client; sets RC, OUT (its stdout), MS.
client() {
	local name=$1 t0
	shift
	t0=${EPOCHREALTIME/./}
	"$CLIENT" "$@" >"$T_TMP/$name.stdout" 2>"$T_TMP/$name.stderr"
	RC=$?
	MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
	OUT=$(cat "$T_TMP/$name.stdout")
}

# result DESC WANT_RC REGEX: the last client exited WANT_RC and its one
# summary line matches REGEX (ERE).
result() {
	local desc=$1 want=$2 re=$3 lines
	lines=$(printf '%s\n' "$OUT" | grep -c '^rrp-client: ')
	if [ "$RC" = "$want" ] && [ "$lines" = 1 ] &&
	   printf '%s\n' "$OUT" | grep -Eq -- "$re"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "exit $RC (want $want), $lines summary line(s): $OUT" \
		    "stderr: $(tail -3 "$T_TMP/$CASE.stderr")"
	fi
}

fake_has() { grep -Eq -- "$1" "$FAKE_OUT"; }

# scenario NAME BEHAVE WANT_RC REGEX [CLIENT ARGS...]: one fake, one client.
scenario() {
	local name=$1 behave=$2 want=$3 re=$4
	shift 4
	CASE=$name
	start_fake --behave "$behave" --handshake-timeout 1
	client "$name" -s "127.0.0.1:$PORT" -k "$SECRET" "$@"
	stop_fake
	result "$name" "$want" "$re"
}

T_START=${EPOCHREALTIME/./}

# ---- a whole session -----------------------------------------------------
scenario session ok 0 '^rrp-client: ok mode session; server: CLOSE 0 .*echo 10/10 .*data 100/100 ok, 0 bad; server call id 256; our call id [0-9]+; gre up 111 down 111 seq_gaps 0 .*teardown CCRQ>CDN>StopCCRQ>StopCCRP>CLOSE'
check "session: fake saw the asserted client address and our Echo-Reply" \
	eval 'fake_has "^auth ok client 192\.0\.2\.77:40000$" && fake_has "^pptp echo reply id 0x5151$"'
check "session: our Set-Link-Info names the server's Call ID" fake_has '^set-link-info peer call id 256$'

scenario session-call-id ok 0 'echo 3/3 .*data 40/40 ok, 0 bad; server call id 256; our call id 4711;' \
	--call-id 4711 -n 3 -m 40 -c '[2001:db8::7]:5555'
check "session: IPv6 client address carried in AUTH" fake_has '^auth ok client \[2001:db8::7\]:5555$'
check "session: fake got our Call ID" fake_has '^call up: client call id 4711, ours 256$'

scenario session-hold ok 0 'echo 1/1 .*data 4/4 ok' -n 1 -m 4 -H 1
check "session: -H 1 holds the call ($MS ms)" [ "$MS" -ge 1000 ]

if ip -6 addr show dev lo 2>/dev/null | grep -q '::1/128'; then
	CASE=session-ipv6
	FAKE_LISTEN='[::1]:0' start_fake --behave ok
	client session-ipv6 -s "[::1]:$PORT" -k "$SECRET" -n 2 -m 10
	stop_fake
	result "session over IPv6 [::1]" 0 '^rrp-client: ok mode session;'
else
	ok "session over IPv6 # SKIP no ::1 on lo"
fi

# ---- the server refuses or breaks the session ------------------------------
scenario full-default full 1 '^rrp-client: FAILED mode session; why: .*CLOSE 3'
scenario full-expected full 0 '^rrp-client: ok mode session; server: CLOSE 3 \(no free connection slot or address' --expect close:FULL
scenario refuse-auth refuse-auth 0 'server: ERROR 6 \(authentication failed' --expect error:AUTH
scenario close-after-open close-after-open 0 'server: CLOSE 5 ' --expect close:PEER_GONE
scenario bad-welcome bad-welcome 1 'why: server broke the protocol: WELCOME MAC did not verify'
check "bad-welcome: the client answered ERROR AUTH" fake_has '^client sent ERROR 6 '
scenario slow slow 1 '^rrp-client: FAILED mode session; why: .*nothing within' -t 2
check "slow: gave up on time ($MS ms for -t 2)" test "$MS" -ge 1900 -a "$MS" -lt 6000

# ---- every broken scenario gets the ERROR the spec names -------------------
scenario wrong-secret ok 0 '^rrp-client: ok mode wrong-secret; server: ERROR 6 .*then eof after' --mode wrong-secret
scenario version-2 ok 0 'server: ERROR 1 \(no common protocol version' --mode version:2
scenario version-0 ok 0 'server: ERROR 1 ' --mode version:0
scenario version-1 ok 0 '^rrp-client: ok mode version:1; server: WELCOME' --mode version:1
scenario bad-magic ok 0 'server: ERROR 7 ' --mode bad-magic
scenario truncated ok 0 '^rrp-client: ok mode truncated; server: eof' --mode truncated
scenario oversized ok 0 'server: ERROR 3 ' --mode oversized
scenario unknown-frame ok 0 'server: ERROR 2 ' --mode unknown-frame
scenario bad-flags ok 0 'server: ERROR 4 ' --mode bad-flags
scenario early-ctrl ok 0 'server: ERROR 5 ' --mode early-ctrl
scenario stall ok 0 'server: ERROR 9 \(handshake timeout.* at (9[0-9]{2}|1[0-9]{3}) ms' --mode stall -t 5
scenario bad-ctrl ok 0 'server: ERROR 10 ' --mode bad-ctrl
scenario bad-gre ok 0 'server: ERROR 10 \(malformed payload: "GRE payload length' --mode bad-gre
scenario garbage-after-open ok 0 'server: ERROR 2 ' --mode garbage-after-open

# ---- the expectation decides the exit status ------------------------------
scenario wrong-expectation ok 1 'FAILED mode bad-magic; why: expected ERROR AUTH; server: ERROR 7 ' --mode bad-magic --expect error:AUTH
scenario expect-any ok 0 '^rrp-client: ok mode bad-flags; server: ERROR 4 ' --mode bad-flags --expect any
CASE=idle-close
start_fake --behave ok --idle-timeout 1
client idle-close -s "127.0.0.1:$PORT" -k "$SECRET" -n 1 -m 1 -H 5 --expect close:IDLE
stop_fake
result "idle-close: no keepalive of ours when the RRP's idle timeout is the point ($MS ms)" 0 'server: CLOSE 2 \(idle timeout'

CASE=refused
client refused -s 127.0.0.1:1 -k "$SECRET" -t 2
result "nobody listening: FAILED, exit 1" 1 '^rrp-client: FAILED mode session; why: 127\.0\.0\.1:1: connect: '

# ---- usage errors: exit 2, the offending word quoted ----------------------
CASE=bad-flag
client bad-flag -s 127.0.0.1:1 -k "$SECRET" --bogus
result "unknown option: exit 2" 2 "^rrp-client: FAILED usage: unknown option \`--bogus'"
CASE=bad-host
client bad-host -s 127.0.0.1 -k "$SECRET"
result "-s without a port: exit 2" 2 "usage: -s: \`127\.0\.0\.1' is not HOST:PORT"
CASE=bad-mode
client bad-mode -s 127.0.0.1:1 -k "$SECRET" --mode nonsense
result "unknown mode: exit 2" 2 "usage: --mode: unknown mode \`nonsense'"
CASE=bad-expect
client bad-expect -s 127.0.0.1:1 -k "$SECRET" --expect error:NOPE
result "unknown expectation: exit 2" 2 "usage: --expect: \`error:NOPE'"
CASE=open-secret
cp "$SECRET" "$T_TMP/open-secret"
chmod 644 "$T_TMP/open-secret"
client open-secret -s 127.0.0.1:1 -k "$T_TMP/open-secret"
result "secret readable by others: exit 2, rrp_secret_load's message" 2 'FAILED setup: .*open-secret: readable by group or others'

# ---- --loop serves tunnels one after another ------------------------------
CASE=loop
start_fake --behave ok --loop
client loop1 -s "127.0.0.1:$PORT" -k "$SECRET" -n 1 -m 5 -q
RC1=$RC
client loop2 -s "127.0.0.1:$PORT" -k "$SECRET" -n 1 -m 5 -q
kill -TERM "$FAKE_PID"
wait "$FAKE_PID" 2>/dev/null
check "fake --loop: two sessions in a row; -q keeps stderr empty" \
	test "$RC1" = 0 -a "$RC" = 0 -a "$(grep -c '^accepted ' "$FAKE_OUT")" = 2 \
	-a ! -s "$T_TMP/loop2.stderr"

plan "$T_NUM"
diag "selftest took $(((${EPOCHREALTIME/./} - T_START) / 1000)) ms"
exit $((T_FAILED > 0))
