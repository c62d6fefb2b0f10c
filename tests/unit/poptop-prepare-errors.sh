#!/bin/bash
# Fetching and patching upstream fails loudly: a missing tarball, a wrong
# checksum, a patch listed but missing, and a patch that does not apply
# each stop build-aux/poptop-prepare with a message naming the file and what
# to do, and leave no half-prepared tree behind; the real tarball and
# series prepare cleanly.
. "$top_srcdir/tests/lib/common.sh"
t_init
plan 6

prep=$top_srcdir/build-aux/poptop-prepare
tarball=$top_builddir/poptop/pptpd_1.5.0.orig.tar.gz
sha=6a724284b1ce00ea23f7d7608d081843a10c8a8d87d951cb2ea86e70aa1b4e77
[ -f "$tarball" ] || bail_out "$tarball missing: build the tree first"

# fails DESCRIPTION PATTERN ARGS...: poptop-prepare exits non-zero, says
# PATTERN, and DEST does not exist afterwards
fails() {
	local what=$1 pattern=$2 out rc
	shift 2
	out=$("$prep" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && echo "$out" | grep -qE -- "$pattern" && [ ! -e "$T_TMP/dest" ]; then
		ok "$what: $(echo "$out" | grep -E -m1 -- "$pattern")"
	else
		diag "exit $rc" "$out"
		not_ok "$what"
	fi
}

fails "missing tarball" "$T_TMP/none.tar.gz is missing; .*--with-poptop-tarball" \
	"$T_TMP/none.tar.gz" "$sha" "$top_srcdir/patches" "$T_TMP/dest"
printf 'not poptop' >"$T_TMP/wrong.tar.gz"
fails "wrong checksum" "wrong.tar.gz has sha256 [0-9a-f]{64}, expected $sha" \
	"$T_TMP/wrong.tar.gz" "$sha" "$top_srcdir/patches" "$T_TMP/dest"
echo "0099-no-such.patch" >"$T_TMP/series-missing"
fails "a listed patch that does not exist" "patch .*0099-no-such.patch is listed in series but missing" \
	"$tarball" "$sha" "$top_srcdir/patches" "$T_TMP/dest" "$T_TMP/series-missing"
mkdir -p "$T_TMP/patches"
cat >"$T_TMP/patches/0001-does-not-apply.patch" <<'PATCH'
--- a/pptpd.c
+++ b/pptpd.c
@@ -1,3 +1,3 @@
-this line is not in pptpd.c
+nor is this one
 nor this
PATCH
echo "0001-does-not-apply.patch" >"$T_TMP/patches/series"
fails "a patch that does not apply" "patch .*0001-does-not-apply.patch does not apply to .*refresh it" \
	"$tarball" "$sha" "$T_TMP/patches" "$T_TMP/dest"
fails "a missing series file" "patch series .*/nonexistent/series is missing" \
	"$tarball" "$sha" "$T_TMP/nonexistent" "$T_TMP/dest"

out=$("$prep" "$tarball" "$sha" "$top_srcdir/patches" "$T_TMP/dest" 2>&1)
n=$(grep -cv '^#' "$top_srcdir/patches/series")
check "the pinned tarball and our series prepare cleanly ($out)" \
	eval 'echo "$out" | grep -q "($n patches applied)" && [ -f "$T_TMP/dest/pptpctrl.c" ]'
t_finish
