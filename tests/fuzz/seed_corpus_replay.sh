#!/bin/sh
# The fuzz targets' seed corpora replay clean through the production
# parsers (built with the tree's compiler and the sanitizers): one TAP
# line per seed file.  Then the committed corpus is what make_corpus
# writes (seeds added by hand, such as fuzzer finds, may come on top).
#
# Run by `make check` from the top of the build tree; automake exports
# srcdir.
set -u
srcdir=${srcdir:-.}
fuzz=./tests/fuzz
corpus=$srcdir/tests/fuzz/corpus
targets="fuzz_rrp_frame fuzz_pptp"

n=1
for t in $targets; do
	n=$((n + 1))		# "has seeds" line
	for f in "$corpus/$t"/*; do
		[ -f "$f" ] && n=$((n + 1))
	done
done
echo "1..$n"

i=0
for t in $targets; do
	seeds=0
	for f in "$corpus/$t"/*; do
		[ -f "$f" ] || continue
		seeds=$((seeds + 1))
		i=$((i + 1))
		if out=$("$fuzz/${t}_replay" "$f" 2>&1); then
			echo "ok $i - $t $(basename "$f")"
		else
			echo "not ok $i - $t $(basename "$f")"
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
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=
if ! "$fuzz/make_corpus" "$tmp" >"$tmp/log" 2>&1; then
	bad="make_corpus failed: $(cat "$tmp/log")"
else
	for t in $targets; do
		for f in "$tmp/$t"/*; do
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
