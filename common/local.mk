# The tunnel protocol, the PPTP/GRE codecs, the listeners' rule for
# connections waiting for their first message and the helpers both
# daemons need alike (clock, log writer and rate limiter, HOST:PORT and
# numbers), shared by pptpd (RRP side) and lrp: one source, two libraries.  librrpcommon.a is what the daemons
# link; librrpcommon_san.a is the same code under the sanitizers, for the
# unit tests and the fuzz corpus replay.

common_sources = common/rrp_proto.c common/rrp_proto.h \
	common/rrp_auth.c common/rrp_auth.h \
	common/pptp_msg.c common/pptp_msg.h \
	common/pptp_gre.c common/pptp_gre.h \
	common/pptp_state.c common/pptp_state.h \
	common/pending_set.c common/pending_set.h \
	common/rrp_clock.h \
	common/rrp_ratelimit.c common/rrp_ratelimit.h \
	common/rrp_number.c common/rrp_number.h \
	common/rrp_addr.c common/rrp_addr.h \
	common/rrp_logger.c common/rrp_logger.h \
	common/rrp_describe.c common/rrp_describe.h

# UBSan only reports and carries on by default; a test must fail instead.
COMMON_SAN_CFLAGS = $(SANITIZE_CFLAGS) \
	$(if $(SANITIZE_CFLAGS),-fno-sanitize-recover=all)

noinst_LIBRARIES += common/librrpcommon.a
common_librrpcommon_a_SOURCES = $(common_sources)
common_librrpcommon_a_CFLAGS = $(OUR_CFLAGS) $(CRYPTO_CFLAGS)

# Never installed nor linked into a daemon.
noinst_LIBRARIES += common/librrpcommon_san.a
common_librrpcommon_san_a_SOURCES = $(common_sources)
common_librrpcommon_san_a_CFLAGS = $(OUR_CFLAGS) $(CRYPTO_CFLAGS) $(COMMON_SAN_CFLAGS)
