#!/bin/sh
# Every fuzz target's seed corpus (tests/fuzz/corpus/<target>/) and past
# findings (tests/fuzz/regressions/<target>/) replay clean through the
# production parsers (built with the tree's compiler and the sanitizers):
# one TAP line per file, and one per target saying it has seeds.  Then
# the committed binary corpora are what make_corpus writes (seeds added
# by hand, such as fuzzer finds, may come on top).
#
# Run by `make check` from the top of the build tree; automake exports
# srcdir.
set -u
srcdir=${srcdir:-.}
fuzz=./tests/fuzz
corpus=$srcdir/tests/fuzz/corpus
regressions=$srcdir/tests/fuzz/regressions
# written by make_corpus
binary="fuzz_rrp_frame fuzz_rrp_handshake fuzz_pptp fuzz_lrp_ctrl fuzz_lrp_gre
fuzz_decaps_gre"
# plain files, written by hand
text="fuzz_lrp_conf fuzz_rrp_conf"
targets="$binary $text"

n=1
for t in $targets; do
	n=$((n + 1))		# "has seeds" line
	for f in "$corpus/$t"/* "$regressions/$t"/*; do
		[ -f "$f" ] && n=$((n + 1))
	done
done
echo "1..$n"

# Inputs go in the scratch directory's files, not the source tree's.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export TMPDIR="$tmp"

i=0
for t in $targets; do
	seeds=0
	for f in "$corpus/$t"/* "$regressions/$t"/*; do
		[ -f "$f" ] || continue
		case $f in "$corpus"/*) seeds=$((seeds + 1)); kind=seed ;; *) kind=regression ;; esac
		i=$((i + 1))
		if out=$("$fuzz/${t}_replay" "$f" 2>&1); then
			echo "ok $i - $t $kind $(basename "$f")"
		else
			echo "not ok $i - $t $kind $(basename "$f")"
			printf '%s\n' "$out" | sed 's/^/# /'
		fi
	done
	i=$((i + 1))
	if [ "$seeds" -gt 0 ]; then
		echo "ok $i - $t has $seeds seeds"
	else
		echo "not ok $i - $t has no seeds in $corpus/$t"
	fi
done

i=$((i + 1))
bad=
if ! "$fuzz/make_corpus" "$tmp/corpus" >"$tmp/log" 2>&1; then
	bad="make_corpus failed: $(cat "$tmp/log")"
else
	for t in $binary; do
		for f in "$tmp/corpus/$t"/*; do
			[ -f "$f" ] || { bad="$bad $t/(none written)"; continue; }
			g=$corpus/$t/$(basename "$f")
			cmp -s "$f" "$g" || bad="$bad $t/$(basename "$f")"
		done
	done
fi
if [ -z "$bad" ]; then
	echo "ok $i - committed corpus is what make_corpus writes"
else
	echo "not ok $i - committed corpus is what make_corpus writes"
	echo "# missing or different:$bad"
	echo "# regenerate: make fuzz-corpus"
fi
