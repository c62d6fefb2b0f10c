#!/bin/sh
# The worked handshake of doc/tunnel-protocol.md is what the code sends:
# the hex between the BEGIN/END markers must equal `make_corpus --example`
# byte for byte, so the specification cannot drift from the codec.
# After a deliberate change, paste the output of
# `tests/fuzz/make_corpus --example` (build tree) between the markers.
set -u
srcdir=${srcdir:-.}
doc=$srcdir/doc/tunnel-protocol.md
echo "1..1"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
sed -n '/^<!-- BEGIN make_corpus --example -->$/,/^<!-- END make_corpus --example -->$/p' \
	"$doc" | sed '1d;$d' | grep -v '^```' >"$tmp/doc"
if ! ./tests/fuzz/make_corpus --example >"$tmp/code" 2>&1; then
	echo "not ok 1 - make_corpus --example failed"
	sed 's/^/# /' "$tmp/code"
elif [ ! -s "$tmp/doc" ]; then
	echo "not ok 1 - no example between the markers in $doc"
elif diff -u "$tmp/doc" "$tmp/code" >"$tmp/diff"; then
	echo "ok 1 - handshake example in the specification matches the code"
else
	echo "not ok 1 - handshake example in the specification matches the code"
	sed 's/^/# /' "$tmp/diff"
fi
