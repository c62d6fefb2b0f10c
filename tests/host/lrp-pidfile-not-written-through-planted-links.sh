#!/bin/bash
# lrp, started as root, makes its pidfile's directory and gives it to its
# user (nobody), then writes the pidfile as root.  Anything that runs as
# nobody can plant a file there first: a symbolic link, a hard link (where
# fs.protected_hardlinks does not forbid it) or a FIFO.  lrp refuses to
# start on each, naming the pidfile and what is there, and the file the
# link points to is left as it was; once the plant is gone lrp starts,
# writes its pid (over a stale pidfile of nobody's too) and removes the
# file when it stops.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
require_cmd setpriv
t_init
plan 11

ns_add lrp
ns_add lan
ns_link lrp 10.40.1.1/24 lan 10.40.1.2/24
LRP=$top_builddir/lrp/lrp
chmod 0711 "$T_TMP"
make_secret "$T_TMP/secret"
chown nobody "$T_TMP/secret"
RUN=$T_TMP/run		# missing: lrp makes it, owned by nobody
PIDFILE=$RUN/lrp.pid
C=$T_TMP/lrp.conf
write_lrp_conf "$C" 10.40.3.2:1724 "pidfile $PIDFILE" "status-socket $RUN/lrp.sock"
as_nobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }

# A file only root may write, which a root lrp must never truncate.
printf 'precious\n' >"$T_TMP/precious"
chmod 0644 "$T_TMP/precious"

# 1. the directory as lrp leaves it, and the pidfile in it
start_lrp lrp "$C"
check "lrp made $RUN owned by nobody and wrote its pid there ($(cat "$PIDFILE" 2>/dev/null))" \
	test "$(stat -c %U "$RUN")" = nobody -a "$(cat "$PIDFILE" 2>/dev/null)" = "$LRP_PID"
kill -TERM "$LRP_PID"
wait_for 10 eval '! kill -0 $LRP_PID 2>/dev/null'
check "and removed it when it stopped" test ! -e "$PIDFILE"

# refuses DESCRIPTION PATTERN: lrp exits non-zero with a message matching
# PATTERN (ERE), does not start and leaves $T_TMP/precious as it was.
refuses() {
	local what=$1 pattern=$2 out rc
	out=$(in_ns lrp timeout 5 "$LRP" -f -c "$C" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && echo "$out" | grep -qE -- "$pattern" &&
	   ! echo "$out" | grep -q ' started: ' && [ "$(cat "$T_TMP/precious")" = precious ]; then
		ok "$what: exit $rc: $(echo "$out" | grep -E -m1 -- "$pattern")"
	else
		diag "exit status $rc; $T_TMP/precious now holds: $(cat "$T_TMP/precious")" "$out"
		not_ok "$what: refused with a message matching: $pattern, target untouched"
	fi
}

# 2. a symbolic link planted by nobody
as_nobody ln -s "$T_TMP/precious" "$PIDFILE"
check "user nobody can plant a symbolic link at the pidfile" test -L "$PIDFILE"
refuses "a symbolic link at the pidfile" \
	"^lrp: pidfile $PIDFILE: a symbolic link \(to $T_TMP/precious, owner nobody\): lrp does not write through links; remove it$"
check "the link is still there and its target untouched" \
	test -L "$PIDFILE" -a "$(cat "$T_TMP/precious")" = precious -a "$(stat -c %s "$T_TMP/precious")" = 9
rm -f "$PIDFILE"

# 3. a hard link (made by root here: fs.protected_hardlinks keeps nobody
# from linking root's files, but lrp does not count on that setting)
ln "$T_TMP/precious" "$PIDFILE"
refuses "a hard link at the pidfile" \
	"^lrp: pidfile $PIDFILE: a file with 2 names \(owner root, mode 0644\): lrp does not write to a file with another name; remove it$"
rm -f "$PIDFILE"

# 4. a FIFO: refused at once, not waited on
as_nobody mkfifo "$PIDFILE"
refuses "a FIFO at the pidfile" "^lrp: pidfile $PIDFILE: not a regular file \(a FIFO, owner nobody, mode 0[0-7]{3}\); remove it$"
rm -f "$PIDFILE"

# 5. a stale pidfile of nobody's (a plain file, one name) is lrp's to reuse
as_nobody sh -c "echo 99999 >'$PIDFILE'"
start_lrp lrp "$C"
check "a stale pidfile of nobody's is overwritten with lrp's pid" \
	test "$(cat "$PIDFILE" 2>/dev/null)" = "$LRP_PID"
check "the plants are gone and lrp serves: its status socket answers" \
	eval 'lrp_status | grep -q "sessions (max"'
kill -TERM "$LRP_PID"
wait_for 10 eval '! kill -0 $LRP_PID 2>/dev/null'
check "and the pidfile is removed when lrp stops" test ! -e "$PIDFILE"
check "$T_TMP/precious was never written" test "$(cat "$T_TMP/precious")" = precious
t_finish
