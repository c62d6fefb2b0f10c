# flooder: holds many half-open or slowly-sending connections to a
# listener (tests/host/flood-*.sh).  Included from the top Makefile.am.

noinst_PROGRAMS += tests/tools/flooder
tests_tools_flooder_SOURCES = tests/tools/flooder.c
tests_tools_flooder_CFLAGS = $(OUR_CFLAGS)
tests_tools_flooder_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common
tests_tools_flooder_LDADD = common/librrpcommon.a $(CRYPTO_LIBS)
