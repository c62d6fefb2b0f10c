#!/bin/bash
# Baseline: the same scenario against Debian's stock pptpd (1.4.0 on
# Debian 12), which must behave exactly like our fork on TCP 1723.
PPTPD_BIN=/usr/sbin/pptpd
EXPECT_CTRL=/usr/sbin/pptpctrl
. "$top_srcdir/tests/host/direct-dial.inc"
