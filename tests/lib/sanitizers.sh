# sanitizers.sh - a --enable-sanitizers build's extra check (sourced by
# common.sh, bash): where the processes write their reports, and the TAP
# line that fails when any did.

# A --enable-sanitizers build (configure.ac): every process a test starts
# writes its ASan/LSan/UBSan reports under $T_TMP/san/ (t_init), and
# t_cleanup, once it has stopped them, adds one TAP line to the plan that
# fails, with the reports as diag, if any report appeared.  configure
# says which build this is in $top_builddir/tests/lib/build.conf (from
# build.conf.in); a tree without one is taken for a plain build.
T_SAN=0
RRP_BUILD_SANITIZERS=no
if [ -r "$top_builddir/tests/lib/build.conf" ]; then
	. "$top_builddir/tests/lib/build.conf"
fi
if [ "$RRP_BUILD_SANITIZERS" = yes ]; then
	T_SAN=1
fi

# san_init: ASan and LSan reports go to $T_TMP/san/asan.PID, never only to
# a daemon's stderr that nobody reads.  The directory is writable by the
# processes that drop privileges (lrp runs as nobody).  UBSan stops at the
# first report (the build has -fno-sanitize-recover=all), but gcc's
# libubsan, linked next to libasan, ignores log_path and always writes to
# stderr: san_check also reads every file of $T_TMP (run_bg puts each
# daemon's stderr there).  Exit code 86 for both, so that a report is
# never mistaken for a program's own exit status.
san_init() {
	chmod 0711 "$T_TMP"
	mkdir -m 1777 "$T_TMP/san"
	ASAN_OPTIONS="log_path=$T_TMP/san/asan:exitcode=86:detect_leaks=1:print_stacktrace=1:strict_string_checks=1"
	UBSAN_OPTIONS="log_path=$T_TMP/san/ubsan:print_stacktrace=1:halt_on_error=1:exitcode=86"
	LSAN_OPTIONS="suppressions=$top_srcdir/tests/lib/lsan.supp:print_suppressions=0"
	export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
}

# san_check (from t_cleanup, the test's processes stopped): one TAP line,
# failing with every report as diag if any process wrote one.  A process
# killed by SIGKILL cannot report its leaks; everything else does.
san_check() {
	local f reports
	reports=$(find "$T_TMP/san" -type f -size +0 2>/dev/null | sort
		find "$T_TMP" -path "$T_TMP/san" -prune -o -type f ! -name '*.pcap' -print0 2>/dev/null |
			xargs -0r grep -lE -- ': runtime error: |^==[0-9]+==ERROR: [A-Za-z]+Sanitizer|^SUMMARY: [A-Za-z]+Sanitizer' 2>/dev/null | sort)
	T_NUM=$((T_NUM + 1))
	if [ -z "$reports" ]; then
		echo "ok $T_NUM - no sanitizer reports from the processes this test ran"
		return 0
	fi
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_NUM - sanitizer reports from the processes this test ran: $(echo "$reports" | wc -l)"
	for f in $reports; do
		case $f in
		"$T_TMP/san/"*) diag "==== $f" "$(head -c 20000 "$f")" ;;
		*) diag "==== $f (sanitizer lines and what follows them)" \
			"$(grep -aE -A 12 -- ': runtime error: |^==[0-9]+==ERROR: |^SUMMARY: [A-Za-z]+Sanitizer' "$f" | head -c 20000)" ;;
		esac
	done
	return 1
}
