# tests/pkg: the Debian packages (debian/), built and tested.  Not part of
# `make check': it needs root, a git checkout and the Debian mirror, and
# debootstraps Debian 12 and 13 chroots (cached in /var/tmp/pptpd-rrp-pkg).
#
#   make check-pkg                         bookworm and trixie
#   make check-pkg PKG_SUITES=trixie
#
# Results, logs, the packages and their apt repositories of the last run
# are in /var/tmp/pptpd-rrp-pkg/out.

PKG_TEST_FILES = \
	tests/pkg/check-pkg.sh \
	tests/pkg/lib.sh \
	tests/pkg/suite.sh \
	tests/pkg/source-package.sh
EXTRA_DIST += $(PKG_TEST_FILES)

PKG_SUITES = bookworm trixie

# The Poptop tarball this tree already verified goes into the source
# package's component, so check-pkg fetches nothing it does not need.
check-pkg: $(POPTOP_TARBALL_FILE)
	PKG_SUITES='$(PKG_SUITES)' $(BASH_SHELL) '$(abs_top_srcdir)/tests/pkg/check-pkg.sh' \
		'$(abs_top_builddir)/$(POPTOP_TARBALL_FILE)'

.PHONY: check-pkg
