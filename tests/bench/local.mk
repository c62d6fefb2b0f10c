# tests/bench: `make bench`, the performance benchmark (issue 7).  Runs in
# network namespaces (needs root), prints a table and writes
# tests/bench/results.json in the build tree.  Every figure is a ratio
# against a baseline measured in the same run; it reports and never fails
# on a number.  Not part of `make check`.  See tests/bench/README.md.

bench_util_sources = tests/bench/bench-util.c tests/bench/bench-util.h
BENCH_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common -I$(top_srcdir)/tests/tools

# The load generators, sinks and bare relays are C: a script would cap the
# figures they measure.  Built with `make` so they cannot rot unnoticed.
noinst_PROGRAMS += tests/bench/bench-pptp tests/bench/bench-gre-blast \
	tests/bench/bench-rrp-peer tests/bench/bench-bare-relay \
	tests/bench/bench-sessions

tests_bench_bench_pptp_SOURCES = tests/bench/bench-pptp.c $(bench_util_sources) \
	tests/tools/hdlc.c tests/tools/hdlc.h
tests_bench_bench_pptp_CPPFLAGS = $(BENCH_CPPFLAGS)
tests_bench_bench_pptp_CFLAGS = $(OUR_CFLAGS)
tests_bench_bench_pptp_LDADD = common/librrpcommon.a $(CRYPTO_LIBS)

tests_bench_bench_gre_blast_SOURCES = tests/bench/bench-gre-blast.c $(bench_util_sources)
tests_bench_bench_gre_blast_CPPFLAGS = $(BENCH_CPPFLAGS)
tests_bench_bench_gre_blast_CFLAGS = $(OUR_CFLAGS)
tests_bench_bench_gre_blast_LDADD = common/librrpcommon.a $(CRYPTO_LIBS)

tests_bench_bench_rrp_peer_SOURCES = tests/bench/bench-rrp-peer.c $(bench_util_sources)
tests_bench_bench_rrp_peer_CPPFLAGS = $(BENCH_CPPFLAGS)
tests_bench_bench_rrp_peer_CFLAGS = $(OUR_CFLAGS) $(CRYPTO_CFLAGS)
tests_bench_bench_rrp_peer_LDADD = common/librrpcommon.a $(CRYPTO_LIBS)

tests_bench_bench_bare_relay_SOURCES = tests/bench/bench-bare-relay.c $(bench_util_sources)
tests_bench_bench_bare_relay_CPPFLAGS = $(BENCH_CPPFLAGS)
tests_bench_bench_bare_relay_CFLAGS = $(OUR_CFLAGS) $(PCAP_CFLAGS)
tests_bench_bench_bare_relay_LDADD = common/librrpcommon.a $(PCAP_LIBS) $(CRYPTO_LIBS)

tests_bench_bench_sessions_SOURCES = tests/bench/bench-sessions.c $(bench_util_sources)
tests_bench_bench_sessions_CPPFLAGS = $(BENCH_CPPFLAGS)
tests_bench_bench_sessions_CFLAGS = $(OUR_CFLAGS)
tests_bench_bench_sessions_LDADD = common/librrpcommon.a $(CRYPTO_LIBS)

EXTRA_DIST += tests/bench/bench.sh tests/bench/README.md tests/bench/vm-goodput-loss.sh

# BENCH_ONLY=NAME[,NAME...] (make variable or environment) runs some
# parts only; BENCH_SECS, BENCH_REPS, BENCH_LRP come from the environment
# (README.md).
bench: all
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	BENCH_RESULTS='$(abs_top_builddir)/tests/bench/results.json' \
	BENCH_ONLY='$(BENCH_ONLY)' \
	$(BASH_SHELL) '$(abs_top_srcdir)/tests/bench/bench.sh'

clean-local: clean-bench
clean-bench:
	rm -f tests/bench/results.json tests/bench/results.txt
.PHONY: bench clean-bench

# The VM-tier part: TCP goodput (iperf3, real pppd on both ends) inside a
# call under netem loss, direct GRE against LRP + RRP (the VM tier's
# packages: tests/vm/PACKAGES).  Guest logs stay in tests/bench/vm-results/.
bench-vm: all
	VM_BUILDDIR='$(abs_top_builddir)' VM_RESULTS='$(abs_top_builddir)/tests/bench/vm-results' \
	$(SHELL) '$(abs_top_srcdir)/tests/vm/run-vm.sh' '$(abs_top_srcdir)/tests/bench/vm-goodput-loss.sh'
	@echo "goodput inside the call under loss (Mbit/s, emulated CPUs: compare, never read as rates):"
	@cat tests/bench/vm-results/goodput-loss.txt

clean-local: clean-bench-vm
clean-bench-vm:
	rm -rf tests/bench/vm-results
.PHONY: bench-vm clean-bench-vm
