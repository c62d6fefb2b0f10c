# lrp: the Local Route Proxy daemon (lrp(8), lrp.conf(5)).

sbin_PROGRAMS += lrp/lrp
lrp_lrp_SOURCES = \
	lrp/lrp.h \
	lrp/lrp_main.c \
	lrp/lrp_privs.c lrp/lrp_privs.h \
	lrp/lrp_rundir.c lrp/lrp_rundir.h \
	lrp/lrp_secret.c lrp/lrp_secret.h \
	lrp/lrp_config.c lrp/lrp_config.h \
	lrp/lrp_log.c lrp/lrp_log.h \
	lrp/lrp_listener.c \
	lrp/lrp_session.c \
	lrp/lrp_relay.c lrp/lrp_relay.h \
	lrp/lrp_tunnel.c \
	lrp/lrp_callid.c lrp/lrp_callid.h \
	lrp/lrp_translate.c lrp/lrp_translate.h \
	lrp/lrp_capture.c \
	lrp/lrp_linkframe.c lrp/lrp_linkframe.h \
	lrp/lrp_reasm.c lrp/lrp_reasm.h \
	lrp/lrp_gre_send.c \
	lrp/lrp_status.c
lrp_lrp_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common -I$(top_srcdir)/lrp \
	-DSYSCONFDIR='"$(sysconfdir)"' -DRUNSTATEDIR='"$(runstatedir)"'
lrp_lrp_CFLAGS = $(OUR_CFLAGS) $(CRYPTO_CFLAGS) $(LIBEVENT_CFLAGS) $(PCAP_CFLAGS)
lrp_lrp_LDADD = common/librrpcommon.a $(LIBEVENT_LIBS) $(PCAP_LIBS) $(CRYPTO_LIBS)

dist_man_MANS += lrp/lrp.8 lrp/lrp.conf.5
lrpexampledir = $(docdir)/examples
dist_lrpexample_DATA = lrp/lrp.conf.example

# Unit tests of the LRP's Call ID rules and allocator (the production
# files, under the sanitizers).
check_PROGRAMS += tests/unit/lrp_translate_test tests/unit/lrp_callid_test \
	tests/unit/lrp_reasm_test
TESTS += tests/unit/lrp_translate_test tests/unit/lrp_callid_test \
	tests/unit/lrp_reasm_test
LRP_UNIT_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common -I$(top_srcdir)/lrp
LRP_UNIT_CFLAGS = $(OUR_CFLAGS) $(CMOCKA_CFLAGS) $(SANITIZE_CFLAGS)
tests_unit_lrp_translate_test_SOURCES = tests/unit/lrp_translate_test.c \
	lrp/lrp_translate.c
tests_unit_lrp_translate_test_CPPFLAGS = $(LRP_UNIT_CPPFLAGS)
tests_unit_lrp_translate_test_CFLAGS = $(LRP_UNIT_CFLAGS)
tests_unit_lrp_translate_test_LDFLAGS = $(SANITIZE_CFLAGS)
tests_unit_lrp_translate_test_LDADD = common/librrpcommon_san.a $(CMOCKA_LIBS) $(CRYPTO_LIBS)
tests_unit_lrp_callid_test_SOURCES = tests/unit/lrp_callid_test.c \
	lrp/lrp_callid.c
tests_unit_lrp_callid_test_CPPFLAGS = $(LRP_UNIT_CPPFLAGS)
tests_unit_lrp_callid_test_CFLAGS = $(LRP_UNIT_CFLAGS)
tests_unit_lrp_callid_test_LDFLAGS = $(SANITIZE_CFLAGS)
tests_unit_lrp_callid_test_LDADD = common/librrpcommon_san.a $(CMOCKA_LIBS) $(CRYPTO_LIBS)
tests_unit_lrp_reasm_test_SOURCES = tests/unit/lrp_reasm_test.c lrp/lrp_reasm.c
tests_unit_lrp_reasm_test_CPPFLAGS = $(LRP_UNIT_CPPFLAGS)
tests_unit_lrp_reasm_test_CFLAGS = $(LRP_UNIT_CFLAGS)
tests_unit_lrp_reasm_test_LDFLAGS = $(SANITIZE_CFLAGS)
tests_unit_lrp_reasm_test_LDADD = $(CMOCKA_LIBS)

# The reader of a client's control stream (lrp_relay.c) on real libevent
# buffers, with an allocator that fails on request.
check_PROGRAMS += tests/unit/lrp_relay_test
TESTS += tests/unit/lrp_relay_test
tests_unit_lrp_relay_test_SOURCES = tests/unit/lrp_relay_test.c \
	lrp/lrp_relay.c lrp/lrp_translate.c
tests_unit_lrp_relay_test_CPPFLAGS = $(LRP_UNIT_CPPFLAGS)
tests_unit_lrp_relay_test_CFLAGS = $(LRP_UNIT_CFLAGS) $(LIBEVENT_CFLAGS)
tests_unit_lrp_relay_test_LDFLAGS = $(SANITIZE_CFLAGS)
tests_unit_lrp_relay_test_LDADD = common/librrpcommon_san.a $(LIBEVENT_LIBS) $(CMOCKA_LIBS) $(CRYPTO_LIBS)
