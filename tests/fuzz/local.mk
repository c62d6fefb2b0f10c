# The fuzz targets: one per parser of what a peer, a client or an
# operator can hand the daemons, each calling the production code.
#
#   fuzz_rrp_frame   tunnel frames and every frame decoder (common/, both
#                    sides' parser of the tunnel)
#   fuzz_rrp_handshake  what an LRP sends first, through the RRP's
#                    handshake state machine (pptpd/rrp_handshake.c) as
#                    pptpd's manager runs it
#   fuzz_pptp        PPTP control messages and GRE headers (common/)
#   fuzz_lrp_ctrl    a client's control stream, cut anywhere, through the
#                    LRP's framing, checks and Call ID translation
#   fuzz_lrp_gre     captured frames through the LRP's link/IPv4 parse,
#                    fragment reassembly, GRE parse and session lookup
#   fuzz_decaps_gre  upstream's decaps_gre() (pptpctrl's GRE input) as
#                    our patches leave it
#   fuzz_lrp_conf    lrp.conf through lrp_config_load()/lrp_config_check()
#   fuzz_rrp_conf    the rrp-* lines of pptpd.conf through rrp_config.c
#
# `make check` replays every seed corpus (tests/fuzz/corpus/<target>/)
# and every past finding (tests/fuzz/regressions/<target>/) through the
# same target sources, linked with replay_main.c instead of libFuzzer so
# any compiler runs them, under the sanitizers when the compiler has
# them.  `make fuzz` builds the libFuzzer binaries with clang;
# `make fuzz-run FUZZ_SECONDS=N` runs each for N seconds.

FUZZ_BINARY_TARGETS = fuzz_rrp_frame fuzz_rrp_handshake fuzz_pptp \
	fuzz_lrp_ctrl fuzz_lrp_gre fuzz_decaps_gre
FUZZ_TEXT_TARGETS = fuzz_lrp_conf fuzz_rrp_conf
FUZZ_ALL = $(FUZZ_BINARY_TARGETS) $(FUZZ_TEXT_TARGETS)

# --- replay programs (make check) --------------------------------------
FUZZ_REPLAY_CFLAGS = $(OUR_CFLAGS) $(COMMON_SAN_CFLAGS)
FUZZ_REPLAY_LINKFLAGS = $(SANITIZE_CFLAGS)
FUZZ_LRP_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common -I$(top_srcdir)/lrp \
	-I$(top_srcdir)/tests/fuzz
check_PROGRAMS += tests/fuzz/fuzz_rrp_frame_replay \
	tests/fuzz/fuzz_rrp_handshake_replay tests/fuzz/fuzz_pptp_replay \
	tests/fuzz/fuzz_lrp_ctrl_replay tests/fuzz/fuzz_lrp_gre_replay \
	tests/fuzz/fuzz_decaps_gre_replay tests/fuzz/fuzz_lrp_conf_replay \
	tests/fuzz/fuzz_rrp_conf_replay tests/fuzz/make_corpus
TESTS += tests/fuzz/seed_corpus_replay.sh tests/fuzz/spec_example_matches_code.sh

tests_fuzz_fuzz_rrp_frame_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_rrp_frame.c tests/fuzz/fuzz_target.h
tests_fuzz_fuzz_rrp_frame_replay_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_fuzz_fuzz_rrp_frame_replay_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
tests_fuzz_fuzz_rrp_frame_replay_LDFLAGS = $(FUZZ_REPLAY_LINKFLAGS)
tests_fuzz_fuzz_rrp_frame_replay_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

tests_fuzz_fuzz_rrp_handshake_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_rrp_handshake.c tests/fuzz/fuzz_target.h \
	pptpd/rrp_handshake.c
tests_fuzz_fuzz_rrp_handshake_replay_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/common -I$(top_srcdir)/tests/fuzz
tests_fuzz_fuzz_rrp_handshake_replay_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
tests_fuzz_fuzz_rrp_handshake_replay_LDFLAGS = $(FUZZ_REPLAY_LINKFLAGS)
tests_fuzz_fuzz_rrp_handshake_replay_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

tests_fuzz_fuzz_pptp_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_pptp.c tests/fuzz/fuzz_target.h
tests_fuzz_fuzz_pptp_replay_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_fuzz_fuzz_pptp_replay_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
tests_fuzz_fuzz_pptp_replay_LDFLAGS = $(FUZZ_REPLAY_LINKFLAGS)
tests_fuzz_fuzz_pptp_replay_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

tests_fuzz_fuzz_lrp_ctrl_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_lrp_ctrl.c tests/fuzz/fuzz_target.h \
	lrp/lrp_relay.c lrp/lrp_translate.c
tests_fuzz_fuzz_lrp_ctrl_replay_CPPFLAGS = $(FUZZ_LRP_CPPFLAGS)
tests_fuzz_fuzz_lrp_ctrl_replay_CFLAGS = $(FUZZ_REPLAY_CFLAGS) $(LIBEVENT_CFLAGS)
tests_fuzz_fuzz_lrp_ctrl_replay_LDFLAGS = $(FUZZ_REPLAY_LINKFLAGS)
tests_fuzz_fuzz_lrp_ctrl_replay_LDADD = common/librrpcommon_san.a \
	$(LIBEVENT_LIBS) $(CRYPTO_LIBS)

tests_fuzz_fuzz_lrp_gre_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_lrp_gre.c tests/fuzz/fuzz_target.h \
	lrp/lrp_linkframe.c lrp/lrp_reasm.c lrp/lrp_callid.c
tests_fuzz_fuzz_lrp_gre_replay_CPPFLAGS = $(FUZZ_LRP_CPPFLAGS)
tests_fuzz_fuzz_lrp_gre_replay_CFLAGS = $(FUZZ_REPLAY_CFLAGS) \
	$(LIBEVENT_CFLAGS) $(PCAP_CFLAGS) $(CRYPTO_CFLAGS)
tests_fuzz_fuzz_lrp_gre_replay_LDFLAGS = $(FUZZ_REPLAY_LINKFLAGS)
tests_fuzz_fuzz_lrp_gre_replay_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

# Upstream's files with upstream's warnings, as tests/unit/decaps_gre_test.
nodist_tests_fuzz_fuzz_decaps_gre_replay_SOURCES = poptop/src/pptpgre.c \
	poptop/src/pqueue.c poptop/src/ppphdlc.c
tests_fuzz_fuzz_decaps_gre_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_decaps_gre.c tests/fuzz/fuzz_target.h
tests_fuzz_fuzz_decaps_gre_replay_CPPFLAGS = $(POPTOP_CPPFLAGS) -I$(top_srcdir)/tests/fuzz
tests_fuzz_fuzz_decaps_gre_replay_CFLAGS = $(UPSTREAM_CFLAGS) $(COMMON_SAN_CFLAGS)
tests_fuzz_fuzz_decaps_gre_replay_LDFLAGS = $(FUZZ_REPLAY_LINKFLAGS)
tests_fuzz_fuzz_decaps_gre_replay_LDADD = pptpd/libpptpd_rrp.a

# A finding of fuzz_decaps_gre, as a unit test of upstream's decaps_gre():
# an ack of an untimed packet no longer overflows the RTT estimate
# (patches/0021).
check_PROGRAMS += tests/unit/gre_rtt_test
TESTS += tests/unit/gre_rtt_test
nodist_tests_unit_gre_rtt_test_SOURCES = poptop/src/pptpgre.c \
	poptop/src/pqueue.c poptop/src/ppphdlc.c
tests_unit_gre_rtt_test_SOURCES = tests/unit/gre_rtt_test.c
tests_unit_gre_rtt_test_CPPFLAGS = $(POPTOP_CPPFLAGS)
tests_unit_gre_rtt_test_CFLAGS = $(UPSTREAM_CFLAGS) $(COMMON_SAN_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_gre_rtt_test_LDFLAGS = $(SANITIZE_CFLAGS)
tests_unit_gre_rtt_test_LDADD = pptpd/libpptpd_rrp.a $(CMOCKA_LIBS)

# The configuration parsers resolve names: the targets keep resolution
# numeric (fuzz_config.c) so they never wait on DNS.
FUZZ_CONFIG_LINKFLAGS = -Wl,--wrap=getaddrinfo
tests_fuzz_fuzz_lrp_conf_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_lrp_conf.c tests/fuzz/fuzz_config.c \
	tests/fuzz/fuzz_config.h tests/fuzz/fuzz_target.h lrp/lrp_config.c
tests_fuzz_fuzz_lrp_conf_replay_CPPFLAGS = $(FUZZ_LRP_CPPFLAGS) \
	-DSYSCONFDIR='"$(sysconfdir)"' -DRUNSTATEDIR='"$(runstatedir)"'
tests_fuzz_fuzz_lrp_conf_replay_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
tests_fuzz_fuzz_lrp_conf_replay_LDFLAGS = $(FUZZ_REPLAY_LINKFLAGS) $(FUZZ_CONFIG_LINKFLAGS)
tests_fuzz_fuzz_lrp_conf_replay_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

tests_fuzz_fuzz_rrp_conf_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_rrp_conf.c tests/fuzz/fuzz_config.c \
	tests/fuzz/fuzz_config.h tests/fuzz/fuzz_target.h pptpd/rrp_config.c
tests_fuzz_fuzz_rrp_conf_replay_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common \
	-I$(top_srcdir)/tests/fuzz
tests_fuzz_fuzz_rrp_conf_replay_CFLAGS = $(FUZZ_REPLAY_CFLAGS) $(CRYPTO_CFLAGS)
tests_fuzz_fuzz_rrp_conf_replay_LDFLAGS = $(FUZZ_REPLAY_LINKFLAGS) $(FUZZ_CONFIG_LINKFLAGS)
tests_fuzz_fuzz_rrp_conf_replay_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

# Writes the binary seed corpora and prints the specification's worked
# example.
tests_fuzz_make_corpus_SOURCES = tests/fuzz/make_corpus.c
tests_fuzz_make_corpus_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_fuzz_make_corpus_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
tests_fuzz_make_corpus_LDFLAGS = $(FUZZ_REPLAY_LINKFLAGS)
tests_fuzz_make_corpus_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

EXTRA_DIST += tests/fuzz/seed_corpus_replay.sh \
	tests/fuzz/spec_example_matches_code.sh tests/fuzz/corpus \
	tests/fuzz/regressions tests/fuzz/dict tests/fuzz/README.md \
	doc/tunnel-protocol.md

# Rewrite the committed binary seed corpora (in the source tree) from
# make_corpus; the configuration corpora are plain files, edited by hand.
fuzz-corpus: tests/fuzz/make_corpus
	./tests/fuzz/make_corpus $(srcdir)/tests/fuzz/corpus

# --- libFuzzer ----------------------------------------------------------
# `make fuzz` builds the real fuzzers with clang; `make fuzz-run` runs
# each for FUZZ_SECONDS on a scratch copy of its corpus (new inputs and
# crash artifacts land in tests/fuzz/work/, never in the source tree),
# with its dictionary if tests/fuzz/dict/ has one.  FUZZ_TARGETS picks a
# subset: make fuzz-run FUZZ_TARGETS=tests/fuzz/fuzz_lrp_gre.
FUZZ_TARGETS = $(addprefix tests/fuzz/,$(FUZZ_ALL))
FUZZ_SECONDS = 60
FUZZ_RUN_FLAGS = -timeout=10 -rss_limit_mb=2048
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_builddir) \
	-I$(top_srcdir)/common -I$(top_srcdir)/tests/fuzz $(CRYPTO_CFLAGS)
fuzz_common_c = $(filter %.c,$(addprefix $(top_srcdir)/,$(common_sources)))
fuzz_src = $(top_srcdir)/tests/fuzz
FUZZ_CC = $(AM_V_CCLD)$(MKDIR_P) tests/fuzz && $(CLANG) $(FUZZ_FLAGS) -o $@

if HAVE_LIBFUZZER
fuzz: $(FUZZ_TARGETS)

tests/fuzz/fuzz_rrp_frame: $(fuzz_src)/fuzz_rrp_frame.c \
		$(fuzz_src)/fuzz_target.h $(fuzz_common_c)
	$(FUZZ_CC) $(fuzz_src)/fuzz_rrp_frame.c $(fuzz_common_c) $(CRYPTO_LIBS)

fuzz_rrp_handshake_c = $(fuzz_src)/fuzz_rrp_handshake.c \
	$(top_srcdir)/pptpd/rrp_handshake.c
tests/fuzz/fuzz_rrp_handshake: $(fuzz_rrp_handshake_c) $(fuzz_src)/fuzz_target.h \
		$(top_srcdir)/pptpd/rrp_handshake.h $(fuzz_common_c)
	$(FUZZ_CC) -I$(top_srcdir)/pptpd $(fuzz_rrp_handshake_c) \
		$(fuzz_common_c) $(CRYPTO_LIBS)

tests/fuzz/fuzz_pptp: $(fuzz_src)/fuzz_pptp.c \
		$(fuzz_src)/fuzz_target.h $(fuzz_common_c)
	$(FUZZ_CC) $(fuzz_src)/fuzz_pptp.c $(fuzz_common_c) $(CRYPTO_LIBS)

fuzz_lrp_ctrl_c = $(fuzz_src)/fuzz_lrp_ctrl.c $(top_srcdir)/lrp/lrp_relay.c \
	$(top_srcdir)/lrp/lrp_translate.c
tests/fuzz/fuzz_lrp_ctrl: $(fuzz_lrp_ctrl_c) $(fuzz_src)/fuzz_target.h \
		$(top_srcdir)/lrp/lrp_relay.h $(fuzz_common_c)
	$(FUZZ_CC) -I$(top_srcdir)/lrp $(LIBEVENT_CFLAGS) $(fuzz_lrp_ctrl_c) \
		$(fuzz_common_c) $(LIBEVENT_LIBS) $(CRYPTO_LIBS)

fuzz_lrp_gre_c = $(fuzz_src)/fuzz_lrp_gre.c $(top_srcdir)/lrp/lrp_linkframe.c \
	$(top_srcdir)/lrp/lrp_reasm.c $(top_srcdir)/lrp/lrp_callid.c
tests/fuzz/fuzz_lrp_gre: $(fuzz_lrp_gre_c) $(fuzz_src)/fuzz_target.h \
		$(top_srcdir)/lrp/lrp_linkframe.h $(top_srcdir)/lrp/lrp.h $(fuzz_common_c)
	$(FUZZ_CC) -I$(top_srcdir)/lrp $(LIBEVENT_CFLAGS) $(PCAP_CFLAGS) \
		$(fuzz_lrp_gre_c) $(fuzz_common_c) $(CRYPTO_LIBS)

fuzz_decaps_gre_c = $(fuzz_src)/fuzz_decaps_gre.c poptop/src/pptpgre.c \
	poptop/src/pqueue.c poptop/src/ppphdlc.c $(top_srcdir)/pptpd/pptpctrl_rrp.c
tests/fuzz/fuzz_decaps_gre: $(POPTOP_STAMP) $(fuzz_src)/fuzz_decaps_gre.c \
		$(fuzz_src)/fuzz_target.h $(top_srcdir)/pptpd/pptpctrl_rrp.c
	$(FUZZ_CC) $(POPTOP_CPPFLAGS) -fno-builtin \
		$(fuzz_decaps_gre_c)

fuzz_lrp_conf_c = $(fuzz_src)/fuzz_lrp_conf.c $(fuzz_src)/fuzz_config.c \
	$(top_srcdir)/lrp/lrp_config.c
tests/fuzz/fuzz_lrp_conf: $(fuzz_lrp_conf_c) $(fuzz_src)/fuzz_config.h \
		$(fuzz_src)/fuzz_target.h $(fuzz_common_c)
	$(FUZZ_CC) -I$(top_srcdir)/lrp -DSYSCONFDIR='"$(sysconfdir)"' \
		-DRUNSTATEDIR='"$(runstatedir)"' $(FUZZ_CONFIG_LINKFLAGS) \
		$(fuzz_lrp_conf_c) $(fuzz_common_c) $(CRYPTO_LIBS)

fuzz_rrp_conf_c = $(fuzz_src)/fuzz_rrp_conf.c $(fuzz_src)/fuzz_config.c \
	$(top_srcdir)/pptpd/rrp_config.c
tests/fuzz/fuzz_rrp_conf: $(fuzz_rrp_conf_c) $(fuzz_src)/fuzz_config.h \
		$(fuzz_src)/fuzz_target.h $(fuzz_common_c)
	$(FUZZ_CC) -I$(top_srcdir)/pptpd $(FUZZ_CONFIG_LINKFLAGS) \
		$(fuzz_rrp_conf_c) $(fuzz_common_c) $(CRYPTO_LIBS)

fuzz-run: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
		name=`basename $$t`; \
		$(MKDIR_P) tests/fuzz/work/$$name || exit 1; \
		dict=$(srcdir)/tests/fuzz/dict/$$name.dict; \
		test -f $$dict && dict=-dict=$$dict || dict=; \
		reg=$(srcdir)/tests/fuzz/regressions/$$name; \
		test -d $$reg || reg=; \
		echo "== $$name, $(FUZZ_SECONDS) s"; \
		./$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(FUZZ_RUN_FLAGS) $$dict \
			-artifact_prefix=tests/fuzz/work/$$name- \
			tests/fuzz/work/$$name $(srcdir)/tests/fuzz/corpus/$$name $$reg \
			|| { echo "== $$name FAILED: see tests/fuzz/work/$$name-*" >&2; exit 1; }; \
	done
else
fuzz fuzz-run:
	@echo "make $@: needs clang with libFuzzer; configure found none (CLANG='$(CLANG)')" >&2; exit 1
endif

CLEANFILES += $(FUZZ_TARGETS)
clean-local: clean-fuzz-work
clean-fuzz-work:
	rm -rf tests/fuzz/work
.PHONY: fuzz fuzz-run fuzz-corpus clean-fuzz-work
