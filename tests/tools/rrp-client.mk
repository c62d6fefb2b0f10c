# rrp-client: the RRP's independent test client (one tunnel, one scenario),
# and rrp-fake-server, a minimal scripted RRP to test it (and the LRP's
# failure paths) without pptpd.  They share the codec in common/ and their
# own socket helpers, nothing of lrp/.  Included from the top Makefile.am.

rrp_client_io_sources = tests/tools/rrp-client-io.c tests/tools/rrp-client-io.h

noinst_PROGRAMS += tests/tools/rrp-client tests/tools/rrp-fake-server

tests_tools_rrp_client_SOURCES = tests/tools/rrp-client.c tests/tools/rrp-client.h \
	tests/tools/rrp-client-tunnel.c tests/tools/rrp-client-handshake.c \
	tests/tools/rrp-client-open.c tests/tools/rrp-client-pptp.c \
	tests/tools/rrp-client-scenarios.c $(rrp_client_io_sources) \
	tests/tools/test-frames.c tests/tools/test-frames.h
tests_tools_rrp_client_CFLAGS = $(OUR_CFLAGS) $(CRYPTO_CFLAGS)
tests_tools_rrp_client_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common
tests_tools_rrp_client_LDADD = common/librrpcommon.a $(CRYPTO_LIBS)

tests_tools_rrp_fake_server_SOURCES = tests/tools/rrp-fake-server.c $(rrp_client_io_sources)
tests_tools_rrp_fake_server_CFLAGS = $(OUR_CFLAGS) $(CRYPTO_CFLAGS)
tests_tools_rrp_fake_server_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common
tests_tools_rrp_fake_server_LDADD = common/librrpcommon.a $(CRYPTO_LIBS)


