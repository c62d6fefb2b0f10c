# pptp-raw-client: a PPTP client on the real wire (control on TCP, GRE on a
# raw socket) with a Call ID the test chooses, for the LRP's host tests.
# It shares the PPTP/GRE codec in common/ and the PPP helpers of hdlc.c,
# nothing of lrp/.  Included from the top Makefile.am.

noinst_PROGRAMS += tests/tools/pptp-raw-client
tests_tools_pptp_raw_client_SOURCES = tests/tools/pptp-raw-client.c \
	tests/tools/hdlc.c tests/tools/hdlc.h \
	tests/tools/test-frames.c tests/tools/test-frames.h
tests_tools_pptp_raw_client_CFLAGS = $(OUR_CFLAGS)
tests_tools_pptp_raw_client_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common
tests_tools_pptp_raw_client_LDADD = common/librrpcommon.a $(CRYPTO_LIBS)
