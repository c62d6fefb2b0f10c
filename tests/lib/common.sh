# common.sh - shared by the host-tier tests (sourced, bash), and the one
# file a test sources: it sets the state every part uses and sources the
# parts, one file per job (listed at the end).
#
# Each test is one script that prints TAP.  It builds its network from
# namespaces it creates itself (names carry the test's PID, so tests never
# share one), gives every address only inside them, starts real processes,
# and on exit - pass, fail or signal - kills what it started by PID and
# deletes its namespaces and temporary files.
#
# Environment (set by tests/local.mk for `make check`):
#   top_builddir, top_srcdir   the build and source trees
#   RRP_TEST_TIERS             "unit" skips the namespace tiers (distcheck)
#   RRP_TEST_KEEP              keep the temporary directory for inspection
#                              (a failed test always keeps it...)
#   RRP_TEST_DISCARD           ...unless this is set (expected failures)

set -u

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
top_builddir=$(cd "$top_builddir" && pwd)
top_srcdir=$(cd "$top_srcdir" && pwd)
TOOLS=$top_builddir/tests/tools
LIB=$top_srcdir/tests/lib

# the test's state: checks run and failed (tap.sh), namespaces and
# background processes to clean up, its temporary directory (lifecycle.sh)
T_NUM=0
T_FAILED=0
T_NS=()
T_PIDS=()
T_PREFIX="rrp$$"
T_TMP=
T_PLANNED=

# The parts, each for one job; a test sources only this file.
. "$LIB/tap.sh"		# TAP output: plan, ok, check, diag, skip_all, bail_out
. "$LIB/lifecycle.sh"	# require_*, t_init, t_cleanup, run_bg, wait_for
. "$LIB/sanitizers.sh"	# a sanitizer build's reports: T_SAN, san_check
. "$LIB/ns.sh"		# namespaces and topologies: ns_add, ns_link, nat_topology
. "$LIB/daemons.sh"	# pptpd, lrp, their logs and configuration, the stand-in
. "$LIB/clients.sh"	# pptp_client, pptp_raw_client, rrp_client
. "$LIB/capture.sh"	# tcpdump and the control messages on the wire
