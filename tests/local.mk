# Tests: `make check` runs every tier through automake's TAP driver.
#   unit  - codecs and parsers (cmocka), the pppd plugin, corpus replay
#   host  - real processes in network namespaces (needs root)
# RRP_TEST_TIERS=unit in the environment (or configure --with-test-tiers)
# skips the host tier; make distcheck does.

LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(BASH_SHELL)
AM_TESTS_ENVIRONMENT = \
	top_builddir='$(abs_top_builddir)'; top_srcdir='$(abs_top_srcdir)'; \
	CC='$(CC)'; CMOCKA_MESSAGE_OUTPUT=TAP; \
	: $${RRP_TEST_TIERS:='$(TEST_TIERS)'}; \
	export top_builddir top_srcdir CC CMOCKA_MESSAGE_OUTPUT RRP_TEST_TIERS;

# Test tools: stand-ins for the parts that cannot run here and drivers
# for the real clients.  Built with `make` (the demo uses them too).
noinst_PROGRAMS += tests/tools/ppp-standin tests/tools/pptp-drive \
	tests/tools/logsink
tests_tools_ppp_standin_SOURCES = tests/tools/ppp-standin.c \
	tests/tools/hdlc.c tests/tools/hdlc.h
tests_tools_ppp_standin_CFLAGS = $(OUR_CFLAGS)
tests_tools_pptp_drive_SOURCES = tests/tools/pptp-drive.c \
	tests/tools/hdlc.c tests/tools/hdlc.h \
	tests/tools/test-frames.c tests/tools/test-frames.h
tests_tools_pptp_drive_CFLAGS = $(OUR_CFLAGS)
tests_tools_logsink_SOURCES = tests/tools/logsink.c
tests_tools_logsink_CFLAGS = $(OUR_CFLAGS)

# SIGTERM between a loop's flag check and its poll(), under ptrace
# (tests/host/sigterm-never-lost-by-tunnel-sessions.sh).
noinst_PROGRAMS += tests/tools/sigterm-before-poll
tests_tools_sigterm_before_poll_SOURCES = tests/tools/sigterm-before-poll.c
tests_tools_sigterm_before_poll_CFLAGS = $(OUR_CFLAGS)

# Upstream's decaps_gre() itself, under the sanitizers (patches/0004).
check_PROGRAMS += tests/unit/decaps_gre_test
nodist_tests_unit_decaps_gre_test_SOURCES = poptop/src/pptpgre.c \
	poptop/src/pqueue.c poptop/src/ppphdlc.c
tests_unit_decaps_gre_test_SOURCES = tests/unit/decaps_gre_test.c
tests_unit_decaps_gre_test_CPPFLAGS = $(POPTOP_CPPFLAGS)
tests_unit_decaps_gre_test_CFLAGS = $(UPSTREAM_CFLAGS) $(SANITIZE_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_decaps_gre_test_LDFLAGS = $(SANITIZE_CFLAGS)
tests_unit_decaps_gre_test_LDADD = pptpd/libpptpd_rrp.a $(CMOCKA_LIBS)

# pptpctrl's Call ID pair packing (pptpdefs.h) is defined behaviour for
# every Call ID: UBSan, stopping at the first report (patches/0020).
check_PROGRAMS += tests/unit/upstream_ub_test
TESTS += tests/unit/upstream_ub_test
tests_unit_upstream_ub_test_SOURCES = tests/unit/upstream_ub_test.c
tests_unit_upstream_ub_test_CPPFLAGS = $(POPTOP_CPPFLAGS)
tests_unit_upstream_ub_test_CFLAGS = $(UPSTREAM_CFLAGS) $(COMMON_SAN_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_upstream_ub_test_LDFLAGS = $(SANITIZE_CFLAGS)
tests_unit_upstream_ub_test_LDADD = $(CMOCKA_LIBS)

# decaps_gre()'s receive sequence against out-of-order peers: the bounded
# reorder queue (patches/0013) and the seq 1 rule (patches/0014).
check_PROGRAMS += tests/unit/gre_receive_test
nodist_tests_unit_gre_receive_test_SOURCES = poptop/src/pptpgre.c \
	poptop/src/pqueue.c poptop/src/ppphdlc.c
tests_unit_gre_receive_test_SOURCES = tests/unit/gre_receive_test.c
tests_unit_gre_receive_test_CPPFLAGS = $(POPTOP_CPPFLAGS)
tests_unit_gre_receive_test_CFLAGS = $(UPSTREAM_CFLAGS) $(SANITIZE_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_gre_receive_test_LDFLAGS = $(SANITIZE_CFLAGS)
tests_unit_gre_receive_test_LDADD = pptpd/libpptpd_rrp.a $(CMOCKA_LIBS)

# The RRP's handshake state machine, as pptpd's manager runs it.
check_PROGRAMS += tests/unit/rrp_handshake_test
tests_unit_rrp_handshake_test_SOURCES = tests/unit/rrp_handshake_test.c \
	pptpd/rrp_handshake.c pptpd/rrp_handshake.h
tests_unit_rrp_handshake_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS) -I$(top_srcdir)/pptpd
tests_unit_rrp_handshake_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_rrp_handshake_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_rrp_handshake_test_LDADD = $(CODEC_TEST_LIBS)

TESTS += tests/unit/decaps_gre_test \
	tests/unit/gre_receive_test \
	tests/unit/rrp_handshake_test \
	tests/host/ccrq-answered-with-cdn.sh \
	tests/host/pidfile-removed-on-exit.sh \
	tests/host/sigterm-ends-sessions.sh \
	tests/host/sigterm-never-lost-by-tunnel-sessions.sh \
	tests/host/stuck-ppp-program-is-killed.sh \
	tests/host/trickling-peer-is-dropped.sh \
	tests/unit/plugin-loads-in-pppd.sh \
	tests/unit/poptop-prepare-errors.sh \
	tests/host/direct-dial-ours.sh \
	tests/host/direct-dial-stock.sh \
	tests/host/stimeout-from-config.sh \
	tests/host/pool-smaller-than-connections.sh \
	tests/host/fixes-are-needed.sh \
	tests/tools/rrp-client-selftest.sh \
	tests/host/rrp-tunnel-carries-whole-pptp-sessions.sh \
	tests/host/rrp-handshake-rejects-bad-peers.sh \
	tests/host/rrp-open-tunnel-rejects-bad-frames.sh \
	tests/host/rrp-stalled-handshake.sh \
	tests/host/rrp-and-1723-share-slots.sh \
	tests/host/rrp-config-errors.sh \
	tests/host/rrp-slow-lrp-gre-dropped-not-queued.sh \
	tests/host/gre-held-after-a-gap-is-delivered.sh \
	tests/host/lrp-fragmented-gre.sh \
	tests/host/lrp-reassembly-slots-only-for-clients.sh \
	tests/host/lrp-slow-tunnel-gre-dropped-not-queued.sh \
	tests/host/lrp-clients-through-nat.sh \
	tests/host/lrp-direct-dial-fails-through-nat.sh \
	tests/host/lrp-colliding-client-call-ids.sh \
	tests/host/lrp-client-killed-mid-call.sh \
	tests/host/lrp-tunnel-lost-client-told.sh \
	tests/host/lrp-start-and-idle-timeouts-close-clients.sh \
	tests/host/lrp-sigterm-sighup-status.sh \
	tests/host/lrp-config-errors.sh \
	tests/host/lrp-malformed-client-input.sh \
	tests/host/lrp-garbage-first-message-opens-no-tunnel.sh \
	tests/host/lrp-client-that-never-reads-is-closed-overload.sh \
	tests/host/lrp-stalled-tunnel-is-closed-overload.sh \
	tests/host/hostile-lrp-refuses-crafted-control-messages.sh \
	tests/host/hostile-lrp-capture-drops-crafted-gre.sh \
	tests/host/hostile-rrp-refuses-crafted-and-replayed-handshakes.sh \
	tests/host/hostile-rrp-refuses-out-of-order-tunnel-traffic.sh \
	tests/host/hostile-pptpd-1723-refuses-out-of-order-messages.sh \
	tests/host/hostile-pptpd-1723-refuses-second-call.sh \
	tests/host/lrp-keeps-no-privileges-after-start.sh \
	tests/host/lrp-pidfile-not-written-through-planted-links.sh \
	tests/host/flood-pptpd-1723-half-open.sh \
	tests/host/flood-rrp-listen-half-open.sh \
	tests/host/flood-closes-only-the-flooders-connections.sh \
	tests/host/flood-lrp-1723-half-open.sh \
	tests/host/flood-out-of-descriptors-no-spin.sh \
	tests/host/burst-of-clients-all-served.sh \
	tests/host/flood-from-many-addresses-closed-as-fast-as-it-comes.sh \
	tests/host/fault-session-process-killed.sh \
	tests/host/fault-lrp-killed.sh \
	tests/host/fault-tunnel-link-cut.sh \
	tests/host/fault-ppp-program-exits.sh \
	tests/host/daemons-valgrind-clean-through-churn.sh

EXTRA_DIST += $(filter %.sh,$(TESTS)) tests/host/direct-dial.inc \
	tests/host/rrp-bad-peers-are-contained.inc tests/host/fault.inc \
	tests/lib/common.sh tests/lib/with-devlog tests/lib/pcap-summary \
	tests/lib/tap.sh tests/lib/lifecycle.sh tests/lib/sanitizers.sh \
	tests/lib/ns.sh tests/lib/daemons.sh tests/lib/clients.sh tests/lib/capture.sh \
	tests/lib/lsan.supp tests/lib/valgrind.supp \
	tests/host/hostile/lib.sh tests/host/hostile/craft.py \
	tests/host/hostile/layouts.py

clean-local: clean-test-cache
clean-test-cache:
	rm -rf tests/cache
.PHONY: clean-test-cache
