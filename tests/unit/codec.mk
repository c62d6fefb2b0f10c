# Unit tests of the shared codec (common/).
# Every test here speaks TAP.

# (The TAP driver and test environment are set in tests/local.mk.)

# --- cmocka unit tests, one program per module -------------------------
CODEC_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common
CODEC_TEST_CFLAGS = $(OUR_CFLAGS) $(CMOCKA_CFLAGS) $(COMMON_SAN_CFLAGS)
CODEC_TEST_LINKFLAGS = $(SANITIZE_CFLAGS)
CODEC_TEST_LIBS = common/librrpcommon_san.a $(CMOCKA_LIBS) $(CRYPTO_LIBS)

codec_unit_tests = tests/unit/rrp_frame_test tests/unit/rrp_auth_test \
	tests/unit/pptp_msg_test tests/unit/pptp_gre_test \
	tests/unit/pptp_state_test tests/unit/pending_set_test \
	tests/unit/rrp_ratelimit_test tests/unit/rrp_addr_test \
	tests/unit/rrp_describe_test
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

tests_unit_pptp_state_test_SOURCES = tests/unit/pptp_state_test.c
tests_unit_pptp_state_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_unit_pptp_state_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_pptp_state_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_pptp_state_test_LDADD = $(CODEC_TEST_LIBS)

tests_unit_pending_set_test_SOURCES = tests/unit/pending_set_test.c
tests_unit_pending_set_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_unit_pending_set_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_pending_set_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_pending_set_test_LDADD = $(CODEC_TEST_LIBS)

tests_unit_rrp_ratelimit_test_SOURCES = tests/unit/rrp_ratelimit_test.c
tests_unit_rrp_ratelimit_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_unit_rrp_ratelimit_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_rrp_ratelimit_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_rrp_ratelimit_test_LDADD = $(CODEC_TEST_LIBS)

tests_unit_rrp_addr_test_SOURCES = tests/unit/rrp_addr_test.c
tests_unit_rrp_addr_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_unit_rrp_addr_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_rrp_addr_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_rrp_addr_test_LDADD = $(CODEC_TEST_LIBS)

tests_unit_rrp_describe_test_SOURCES = tests/unit/rrp_describe_test.c
tests_unit_rrp_describe_test_CPPFLAGS = $(CODEC_TEST_CPPFLAGS)
tests_unit_rrp_describe_test_CFLAGS = $(CODEC_TEST_CFLAGS)
tests_unit_rrp_describe_test_LDFLAGS = $(CODEC_TEST_LINKFLAGS)
tests_unit_rrp_describe_test_LDADD = $(CODEC_TEST_LIBS)

# The fuzz targets, their seed corpora and `make fuzz` are in
# tests/fuzz/local.mk.
