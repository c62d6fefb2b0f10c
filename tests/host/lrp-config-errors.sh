#!/bin/bash
# Every bad lrp.conf line and every bad flag stops lrp before it starts
# anything, with a message that quotes what was wrong (file:line and the
# line itself for the file); missing required settings, a secret file
# others can read, or of a mode other than 0600 and 0400, or owned by
# someone other than root and lrp's user, a user or an interface that
# does not exist are refused the same way, by -t too; so is, by -t, a
# secret file lrp's user cannot read (a SIGHUP could not re-read it),
# which a start reads as root with a warning; `lrp -t` on a good file
# says it is valid and exits 0.
. "$top_srcdir/tests/lib/common.sh"
require_tier host
require_root
t_init

ns_add lrp
ns_add lan
ns_link lrp 10.40.1.1/24 lan 10.40.1.2/24
LRP=$top_builddir/lrp/lrp
# lrp drops to user nobody, and re-reads the secret as nobody on SIGHUP:
# the good secret is nobody's
chmod 0711 "$T_TMP"
make_secret "$T_TMP/secret"
cp "$T_TMP/secret" "$T_TMP/open.secret"
chmod 0644 "$T_TMP/open.secret"
cp "$T_TMP/secret" "$T_TMP/roots.secret"		# root's, 0600: nobody cannot read it
cp "$T_TMP/secret" "$T_TMP/others.secret"
chown 54321 "$T_TMP/others.secret"		# a third user's, who could rewrite it
cp "$T_TMP/secret" "$T_TMP/mode0700.secret"
chmod 0700 "$T_TMP/mode0700.secret"
cp "$T_TMP/secret" "$T_TMP/mode0400.secret"
chmod 0400 "$T_TMP/mode0400.secret"
chown nobody "$T_TMP/secret" "$T_TMP/mode0700.secret" "$T_TMP/mode0400.secret"
C=$T_TMP/case.conf

# base [EXTRA LINES...]: a good configuration (nothing runs at
# 10.40.3.2, which does not matter until a client dials), then EXTRA
base() {
	write_lrp_conf "$C" 10.40.3.2:1724 "$@"
}

# refuses DESCRIPTION PATTERN -- LRP FLAGS...: lrp exits non-zero with a
# message matching PATTERN (ERE) and without starting: no "started" line,
# no pidfile, nothing listening on 1723.
refuses() {
	local what=$1 pattern=$2 out rc
	shift 3
	rm -f "$T_TMP/lrp.pid"
	out=$(in_ns lrp timeout 5 "$LRP" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && echo "$out" | grep -qE -- "$pattern" &&
	   ! echo "$out" | grep -q ' started: ' && [ ! -e "$T_TMP/lrp.pid" ] &&
	   ! in_ns lrp ss -Htln | grep -q ':1723 '; then
		ok "$what: exit $rc: $(echo "$out" | grep -E -m1 -- "$pattern")"
	else
		diag "exit status $rc" "$out"
		not_ok "$what: refused with a message matching: $pattern"
	fi
}

# bad_line DESCRIPTION LINE PATTERN: the base file plus LINE is refused
# by the daemon, naming file and line and quoting LINE, then saying
# PATTERN.
bad_line() {
	local what=$1 line=$2 pattern=$3 n
	base "$line"
	n=$(wc -l <"$C")
	refuses "$what" "$(printf '%s' "$C:$n: \`$line': " | sed 's/[][\.*^$()+?{}|]/\\&/g').*$pattern" -- -f -c "$C"
}

plan 42

base
out=$(in_ns lrp "$LRP" -t -c "$C" 2>&1)
rc=$?
check "lrp -t on a good file says it is valid and exits 0 ($out)" \
	eval '[ "$rc" -eq 0 ] && echo "$out" | grep -q "^lrp: $C is valid: clients on 10\.40\.1\.1:1723, GRE captured on to-lan, server 10\.40\.3\.2:1724, shared secret loaded$"'
out=$(in_ns lrp timeout 2 "$LRP" -f -c "$C" 2>&1)
check "and the same file starts lrp (the cases below differ from it in one line)" \
	eval 'echo "$out" | grep -q " started: "'

bad_line "unknown keyword" "sever 10.40.3.2:1724" "unknown keyword \`sever'"
bad_line "misspelled flag keyword" "insecure-no-secrets" "unknown keyword \`insecure-no-secrets'"
bad_line "keyword without a value" "server" "expected \`server VALUE'"
bad_line "two values" "listen 10.40.1.1:1723 10.40.1.1:1724" "expected \`listen VALUE'"
bad_line "a value for a flag" "insecure-no-secret yes" "insecure-no-secret takes no value"
bad_line "max-sessions 0" "max-sessions 0" "\`0' is not a number of sessions in 1\.\.65000"
bad_line "max-sessions not a number" "max-sessions 10x" "\`10x' is not a number of sessions in 1\.\.65000"
bad_line "max-pending 0" "max-pending 0" "\`0' is not a number of connections in 1\.\.65000"
bad_line "max-pending not a number" "max-pending many" "\`many' is not a number of connections in 1\.\.65000"
bad_line "idle-timeout below 10 s" "idle-timeout 5" "\`5' is not a number of seconds in 10\.\.86400"
bad_line "start-timeout negative" "start-timeout -1" "\`-1' is not a number of seconds in 1\.\.300"
bad_line "keepalive too long" "keepalive 3601" "\`3601' is not a number of seconds in 1\.\.3600"
bad_line "queue-limit too small" "queue-limit 100" "\`100' is not a number of bytes in 16384\.\."
bad_line "capture-buffer overflowing" "capture-buffer 99999999999999999999" "is not a number of bytes"
bad_line "capture-mode" "capture-mode fast" "capture-mode is \`immediate' or \`block'"
bad_line "log-level" "log-level loud" "log-level is err, warning, notice, info or debug"
bad_line "server without a port" "server 10.40.3.2" "\`10\.40\.3\.2': a port is needed \(HOST:PORT\)"
bad_line "server port out of range" "server 10.40.3.2:99999" "port \`99999' is not a number in 1\.\.65535"
bad_line "server address that is not one" "server no-such-host.invalid:1724" "cannot resolve \`no-such-host\.invalid'"
bad_line "IPv6 server without brackets" "server fd00::1:1724" "write IPv6 addresses as \[ADDRESS\]:PORT"
bad_line "listen port not a number" "listen 10.40.1.1:pptp" "port \`pptp' is not a number in 1\.\.65535"

base "listen [::1]:1723"
refuses "an IPv6 listen address" "listen \[::1\]:1723: PPTP clients are served over IPv4 only" -- -f -c "$C"
write_lrp_conf "$C" 10.40.3.2:1724
sed -i '/^server /d' "$C"
refuses "no server line" "no \`server HOST:PORT'" -- -f -c "$C"
write_lrp_conf "$C" 10.40.3.2:1724
sed -i '/^interface /d' "$C"
refuses "no interface line" "no \`interface NAME'" -- -f -c "$C"
write_lrp_conf "$C" 10.40.3.2:1724
sed -i '/^secret-file /d' "$C"
refuses "no secret-file line" "no \`secret-file PATH'" -- -f -c "$C"
base "secret-file $T_TMP/open.secret"
refuses "a secret file others can read (0644)" "secret-file: $T_TMP/open\.secret: readable by group or others \(owner root, mode 0644\)" -- -f -c "$C"
base "secret-file $T_TMP/mode0700.secret"
refuses "a secret file of mode 0700" "secret-file: $T_TMP/mode0700\.secret: mode 0700 \(owner nobody\): a secret file must be mode 0600 or 0400" -- -f -c "$C"
refuses "a secret file of mode 0700, by -t" "secret-file: $T_TMP/mode0700\.secret: mode 0700 \(owner nobody\)" -- -t -c "$C"
others=$(getent passwd 54321 | cut -d: -f1)
others=${others:-uid 54321}
base "secret-file $T_TMP/others.secret"
refuses "a secret file a third user owns" "secret-file: $T_TMP/others\.secret: owned by $others \(mode 0600\), who could change the secret: it must be owned by root or nobody; chown nobody it" -- -f -c "$C"
refuses "a secret file a third user owns, by -t" "secret-file: $T_TMP/others\.secret: owned by $others" -- -t -c "$C"
base "secret-file $T_TMP/roots.secret"
refuses "-t: a secret file user nobody cannot read (so SIGHUP could not re-read it)" "secret-file $T_TMP/roots\.secret: user nobody cannot read it \(Permission denied; owner root, mode 0600\), so a SIGHUP cannot re-read it; chown nobody it" -- -t -c "$C"
out=$(in_ns lrp timeout 2 "$LRP" -f -c "$C" 2>&1)
check "but that file starts lrp (read as root), with a warning that a changed secret needs a restart" \
	eval 'echo "$out" | grep -q " started: " && echo "$out" | grep -q "secret-file $T_TMP/roots\.secret: user nobody cannot read it (Permission denied; owner root, mode 0600): read now as root, but a SIGHUP cannot re-read it and a changed secret needs a restart"'
base "secret-file $T_TMP/mode0400.secret"
out=$(in_ns lrp "$LRP" -t -c "$C" 2>&1)
rc=$?
check "-t: a secret file of mode 0400 owned by lrp's user is valid ($out)" eval '[ "$rc" -eq 0 ] && echo "$out" | grep -q " is valid: "'
base "user nosuchuser"
refuses "-t: a user that does not exist" "^lrp: user nosuchuser: no such user" -- -t -c "$C"
base "interface nosuch0"
refuses "an interface that does not exist" "^lrp: interface nosuch0: no such interface" -- -f -c "$C"
refuses "an interface that does not exist, by -t" "^lrp: interface nosuch0: no such interface" -- -t -c "$C"
refuses "a configuration file that does not exist" "$T_TMP/nonexistent\.conf: No such file or directory" -- -f -c "$T_TMP/nonexistent.conf"

base
refuses "an unknown flag" "^lrp: unknown option \`-x'" -- -x -c "$C"
refuses "-c without its value" "^lrp: option -c needs a value" -- -c
refuses "an extra argument" "^lrp: unexpected argument \`extra'" -- -f -c "$C" extra
t_finish
