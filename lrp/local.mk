# lrp: the Local Route Proxy daemon (lrp(8), lrp.conf(5)).

sbin_PROGRAMS += lrp/lrp
lrp_lrp_SOURCES = \
	lrp/lrp.h \
	lrp/lrp_main.c \
	lrp/lrp_config.c lrp/lrp_config.h \
	lrp/lrp_log.c lrp/lrp_log.h \
	lrp/lrp_listener.c \
	lrp/lrp_session.c \
	lrp/lrp_tunnel.c \
	lrp/lrp_callid.c lrp/lrp_callid.h \
	lrp/lrp_translate.c lrp/lrp_translate.h \
	lrp/lrp_capture.c \
	lrp/lrp_gre_send.c \
	lrp/lrp_status.c
lrp_lrp_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common -I$(top_srcdir)/lrp \
	-DSYSCONFDIR='"$(sysconfdir)"' -DRUNSTATEDIR='"$(runstatedir)"'
lrp_lrp_CFLAGS = $(OUR_CFLAGS) $(CRYPTO_CFLAGS) $(LIBEVENT_CFLAGS) $(PCAP_CFLAGS)
lrp_lrp_LDADD = common/librrpcommon.a $(LIBEVENT_LIBS) $(PCAP_LIBS) $(CRYPTO_LIBS)
