# burst: a burst of real clients at once from many addresses, each sending
# its whole first message when connected (tests/host/burst-*.sh).
# Included from the top Makefile.am.

noinst_PROGRAMS += tests/tools/burst
tests_tools_burst_SOURCES = tests/tools/burst.c
tests_tools_burst_CFLAGS = $(OUR_CFLAGS)
tests_tools_burst_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common
tests_tools_burst_LDADD = common/librrpcommon.a $(CRYPTO_LIBS)
