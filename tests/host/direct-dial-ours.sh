#!/bin/bash
# Debian's pptp client dials our pptpd (the fork) directly on TCP 1723.
PPTPD_BIN=$top_builddir/pptpd/pptpd
EXPECT_CTRL=$top_builddir/pptpd/pptpctrl
CLEAR_ANSWERED=yes
. "$top_srcdir/tests/host/direct-dial.inc"
