# pptpd, pptpctrl, bcrelay and the pptpd-logwtmp.so pppd plugin, built from
# Poptop's release tarball (fetched, verified, patched with patches/series
# at build time; never committed) plus our own files in pptpd/.

POPTOP_TARBALL_FILE = poptop/$(POPTOP_TARBALL_NAME)
POPTOP = poptop/src
POPTOP_STAMP = $(POPTOP)/.prepared

POPTOP_PATCHES = \
	patches/0001-logwtmp-plugin-builds-with-ppp-2.4-and-2.5.patch \
	patches/0002-stimeout-from-config-file.patch \
	patches/0003-refuse-clients-beyond-the-ip-pool.patch \
	patches/0004-decaps-gre-checks-lengths-before-reading.patch \
	patches/0005-helper-paths-overridable-at-run-time.patch \
	patches/0006-rrp-options-in-pptpd.patch \
	patches/0007-rrp-tunnels-in-the-manager.patch \
	patches/0008-rrp-tunnel-mode-in-pptpctrl.patch \
	patches/0009-rrp-in-the-man-pages.patch \
	patches/0010-gre-reorder-queue-released-on-timeout.patch \
	patches/0011-manager-waits-for-first-packets-without-blocking.patch \
	patches/0012-ccrq-answered-with-call-disconnect-notify.patch \
	patches/0013-gre-reorder-queue-bounded.patch \
	patches/0014-gre-seq-1-restart-only-first-packet.patch \
	patches/0015-pidfile-removed-on-exit.patch \
	patches/0016-sigterm-ends-the-sessions.patch \
	patches/0017-stuck-ppp-program-killed.patch \
	patches/0018-ppp-program-exit-tells-the-client.patch \
	patches/0019-client-control-messages-kept-in-rfc-order.patch \
	patches/0020-upstream-clean-under-ubsan-and-leak-checkers.patch \
	patches/0021-gre-rtt-only-for-a-timed-packet.patch \
	patches/0022-trickling-peer-does-not-reset-the-idle-timer.patch
EXTRA_DIST += patches/series $(POPTOP_PATCHES)

$(POPTOP_TARBALL_FILE):
	$(AM_V_GEN)if test -n "$(POPTOP_TARBALL)"; then \
		$(MKDIR_P) poptop && cp "$(POPTOP_TARBALL)" $@; \
	else \
		$(SHELL) $(srcdir)/build-aux/poptop-fetch $@ $(POPTOP_SHA256); \
	fi

$(POPTOP_STAMP): $(POPTOP_TARBALL_FILE) $(srcdir)/patches/series $(addprefix $(srcdir)/,$(POPTOP_PATCHES))
	$(AM_V_GEN)series="$(POPTOP_SERIES)"; \
	$(SHELL) $(srcdir)/build-aux/poptop-prepare $(POPTOP_TARBALL_FILE) \
		$(POPTOP_SHA256) $(srcdir)/patches $(POPTOP) $${series:+"$$series"} && \
	touch $@

BUILT_SOURCES += $(POPTOP_STAMP)
dist-hook: $(POPTOP_TARBALL_FILE)
clean-local: clean-poptop
clean-poptop:
	rm -rf $(POPTOP)
distclean-local:
	rm -rf poptop
.PHONY: clean-poptop

# Every upstream file the build uses exists once the stamp does.
poptop_files = $(sort $(nodist_pptpd_pptpd_SOURCES) \
	$(nodist_pptpd_pptpctrl_SOURCES) poptop/src/bcrelay.c \
	$(nodist_pptpd_pptpd_logwtmp_so_SOURCES) $(nodist_man_MANS))
$(poptop_files): $(POPTOP_STAMP)
	@test -f $@ || { echo "$@ missing from the prepared Poptop tree" >&2; exit 1; }

POPTOP_CPPFLAGS = -I$(top_builddir) -I$(POPTOP) -I$(top_srcdir)/pptpd \
	-I$(top_srcdir)/common \
	-DSBINDIR='"$(sbindir)"' -DPLUGINDIR='"$(plugindir)"'

# Our own code linked into the upstream programs, with our warnings: the
# Remote Route Proxy (the manager's listener, the per-tunnel session
# process, pptpctrl's tunnel mode) and the helper paths.
noinst_LIBRARIES += pptpd/libpptpd_rrp.a
pptpd_libpptpd_rrp_a_SOURCES = \
	pptpd/pptpd_path.c pptpd/pptpd_path.h \
	pptpd/rrp_log.c pptpd/rrp_log.h \
	pptpd/rrp_config.c pptpd/rrp_config.h \
	pptpd/rrp_listen.c pptpd/rrp_listen.h \
	pptpd/pptpd_pending.c pptpd/pptpd_pending.h \
	pptpd/rrp_handshake.c pptpd/rrp_handshake.h \
	pptpd/rrp_session.c pptpd/rrp_session.h \
	pptpd/pptpctrl_rrp.c pptpd/pptpctrl_rrp.h \
	pptpd/pptpd_pidfile.c pptpd/pptpd_pidfile.h \
	pptpd/pptpd_stop.c pptpd/pptpd_stop.h \
	pptpd/pptpd_wrappers.c pptpd/pptpd_wrappers.h pptpd/pptpd_clock.h \
	pptpd/pptpctrl_ppp.c pptpd/pptpctrl_ppp.h \
	pptpd/pptpctrl_order.c pptpd/pptpctrl_order.h \
	pptpd/rrp_upstream.h
pptpd_libpptpd_rrp_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/common
pptpd_libpptpd_rrp_a_CFLAGS = $(OUR_CFLAGS) $(CRYPTO_CFLAGS)

sbin_PROGRAMS += pptpd/pptpd pptpd/pptpctrl
nodist_pptpd_pptpd_SOURCES = poptop/src/pqueue.c poptop/src/pptpd.c \
	poptop/src/configfile.c poptop/src/pptpmanager.c poptop/src/compat.c \
	poptop/src/inststr.c poptop/src/getopt.c poptop/src/getopt1.c
pptpd_pptpd_CPPFLAGS = $(POPTOP_CPPFLAGS)
pptpd_pptpd_CFLAGS = $(UPSTREAM_CFLAGS)
pptpd_pptpd_LDADD = pptpd/libpptpd_rrp.a common/librrpcommon.a $(CRYPTO_LIBS) $(WRAP_LIBS)

nodist_pptpd_pptpctrl_SOURCES = poptop/src/pqueue.c poptop/src/pptpctrl.c \
	poptop/src/ctrlpacket.c poptop/src/inststr.c poptop/src/compat.c \
	poptop/src/pptpgre.c poptop/src/ppphdlc.c
pptpd_pptpctrl_CPPFLAGS = $(POPTOP_CPPFLAGS)
pptpd_pptpctrl_CFLAGS = $(UPSTREAM_CFLAGS)
pptpd_pptpctrl_LDADD = pptpd/libpptpd_rrp.a common/librrpcommon.a $(CRYPTO_LIBS) $(CTRL_LIBS)

if BCRELAY
sbin_PROGRAMS += pptpd/bcrelay
nodist_pptpd_bcrelay_SOURCES = poptop/src/bcrelay.c
pptpd_bcrelay_CPPFLAGS = $(POPTOP_CPPFLAGS)
pptpd_bcrelay_CFLAGS = $(UPSTREAM_CFLAGS)
pptpd_bcrelay_LDADD = pptpd/libpptpd_rrp.a
endif

# The pppd plugin: a shared object pppd dlopen()s, installed where pptpctrl
# tells pppd to find it.
plugin_PROGRAMS = pptpd/pptpd-logwtmp.so
nodist_pptpd_pptpd_logwtmp_so_SOURCES = poptop/src/plugins/pptpd-logwtmp.c
pptpd_pptpd_logwtmp_so_CPPFLAGS = $(PLUGIN_CPPFLAGS)
# PLUGIN_CFLAGS: upstream's flags, never the sanitizers (pppd is not sanitized).
pptpd_pptpd_logwtmp_so_CFLAGS = $(PLUGIN_CFLAGS) -fPIC
pptpd_pptpd_logwtmp_so_LDFLAGS = -shared
pptpd_pptpd_logwtmp_so_LDADD = -lutil

nodist_man_MANS += $(POPTOP)/pptpd.8 $(POPTOP)/pptpd.conf.5 \
	$(POPTOP)/pptpctrl.8
if BCRELAY
nodist_man_MANS += $(POPTOP)/bcrelay.8
endif
