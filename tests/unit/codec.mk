# Unit tests of the shared codec (common/), the replay of the fuzz seed
# corpora, and the libFuzzer targets (`make fuzz`, `make fuzz-run`).
# Every test here speaks TAP.

# (The TAP driver and test environment are set in tests/local.mk.)

# --- cmocka unit tests, one program per module -------------------------
CODEC_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common
CODEC_TEST_CFLAGS = $(OUR_CFLAGS) $(CMOCKA_CFLAGS) $(COMMON_SAN_CFLAGS)
CODEC_TEST_LINKFLAGS = $(SANITIZE_CFLAGS)
CODEC_TEST_LIBS = common/librrpcommon_san.a $(CMOCKA_LIBS) $(CRYPTO_LIBS)

codec_unit_tests = tests/unit/rrp_frame_test tests/unit/rrp_auth_test \
	tests/unit/pptp_msg_test tests/unit/pptp_gre_test
check_PROGRAMS += $(codec_unit_tests)
TESTS += $(codec_unit_tests)

tests_unit_rrp_frame_test_SOURCES = tests/unit/rrp_frame_test.c
tests_unit_rrp_frame_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_unit_rrp_frame_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_rrp_frame_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_rrp_frame_test_LDADD = $(CODEC_TEST_LIBS)

tests_unit_rrp_auth_test_SOURCES = tests/unit/rrp_auth_test.c
tests_unit_rrp_auth_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_unit_rrp_auth_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_rrp_auth_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_rrp_auth_test_LDADD = $(CODEC_TEST_LIBS)

tests_unit_pptp_msg_test_SOURCES = tests/unit/pptp_msg_test.c
tests_unit_pptp_msg_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_unit_pptp_msg_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_pptp_msg_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_pptp_msg_test_LDADD = $(CODEC_TEST_LIBS)

tests_unit_pptp_gre_test_SOURCES = tests/unit/pptp_gre_test.c
tests_unit_pptp_gre_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_unit_pptp_gre_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_pptp_gre_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_pptp_gre_test_LDADD = $(CODEC_TEST_LIBS)

# --- fuzz targets, replayed over their seed corpora by make check -------
# The same target sources as `make fuzz`, linked with a plain main instead
# of libFuzzer so any compiler can run them.
check_PROGRAMS += tests/fuzz/fuzz_rrp_frame_replay tests/fuzz/fuzz_pptp_replay \
	tests/fuzz/make_corpus
TESTS += tests/fuzz/seed_corpus_replay.sh tests/fuzz/spec_example_matches_code.sh

tests_fuzz_fuzz_rrp_frame_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_rrp_frame.c tests/fuzz/fuzz_target.h
tests_fuzz_fuzz_rrp_frame_replay_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_fuzz_fuzz_rrp_frame_replay_CFLAGS = $(OUR_CFLAGS) $(COMMON_SAN_CFLAGS)
tests_fuzz_fuzz_rrp_frame_replay_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_fuzz_fuzz_rrp_frame_replay_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

tests_fuzz_fuzz_pptp_replay_SOURCES = tests/fuzz/replay_main.c \
	tests/fuzz/fuzz_pptp.c tests/fuzz/fuzz_target.h
tests_fuzz_fuzz_pptp_replay_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_fuzz_fuzz_pptp_replay_CFLAGS = $(OUR_CFLAGS) $(COMMON_SAN_CFLAGS)
tests_fuzz_fuzz_pptp_replay_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_fuzz_fuzz_pptp_replay_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

# Writes the seed corpora and prints the specification's worked example.
tests_fuzz_make_corpus_SOURCES = tests/fuzz/make_corpus.c
tests_fuzz_make_corpus_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_fuzz_make_corpus_CFLAGS = $(OUR_CFLAGS) $(COMMON_SAN_CFLAGS)
tests_fuzz_make_corpus_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_fuzz_make_corpus_LDADD = common/librrpcommon_san.a $(CRYPTO_LIBS)

EXTRA_DIST += tests/fuzz/seed_corpus_replay.sh \
	tests/fuzz/spec_example_matches_code.sh tests/fuzz/corpus \
	doc/tunnel-protocol.md

# Rewrite the committed seed corpora (in the source tree) from make_corpus.
fuzz-corpus: tests/fuzz/make_corpus
	./tests/fuzz/make_corpus $(srcdir)/tests/fuzz/corpus

# --- libFuzzer ----------------------------------------------------------
# `make fuzz` builds the real fuzzers with clang; `make fuzz-run` runs
# each for FUZZ_SECONDS on a scratch copy of its corpus (new inputs and
# crash artifacts land in tests/fuzz/work/, never in the source tree).
FUZZ_TARGETS = tests/fuzz/fuzz_rrp_frame tests/fuzz/fuzz_pptp
FUZZ_SECONDS = 60
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_srcdir)/common $(CRYPTO_CFLAGS)
fuzz_common_c = $(filter %.c,$(addprefix $(top_srcdir)/,$(common_sources)))

if HAVE_LIBFUZZER
fuzz: $(FUZZ_TARGETS)

tests/fuzz/fuzz_rrp_frame: $(top_srcdir)/tests/fuzz/fuzz_rrp_frame.c \
		$(top_srcdir)/tests/fuzz/fuzz_target.h $(fuzz_common_c)
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(CLANG) $(FUZZ_FLAGS) -o $@ \
		$(top_srcdir)/tests/fuzz/fuzz_rrp_frame.c $(fuzz_common_c) $(CRYPTO_LIBS)

tests/fuzz/fuzz_pptp: $(top_srcdir)/tests/fuzz/fuzz_pptp.c \
		$(top_srcdir)/tests/fuzz/fuzz_target.h $(fuzz_common_c)
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(CLANG) $(FUZZ_FLAGS) -o $@ \
		$(top_srcdir)/tests/fuzz/fuzz_pptp.c $(fuzz_common_c) $(CRYPTO_LIBS)

fuzz-run: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
		name=`basename $$t`; \
		$(MKDIR_P) tests/fuzz/work/$$name || exit 1; \
		echo "== $$name, $(FUZZ_SECONDS) s"; \
		./$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=tests/fuzz/work/$$name- \
			tests/fuzz/work/$$name $(srcdir)/tests/fuzz/corpus/$$name \
			|| exit 1; \
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
