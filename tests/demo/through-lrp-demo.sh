#!/bin/sh
# through-lrp-demo.sh - narrated: two real PPTP clients reach our pptpd
# across a NAT that drops GRE, through the LRP and the RRP.
#
# Boots Debian's own kernel under qemu (the host kernel has no PPP) with an
# initramfs holding this build's pptpd, pptpctrl, logwtmp plugin and lrp,
# and Debian's pppd, pptp-linux, iproute2, iptables and iperf3; the VM
# tier's scenario tests/vm/scenarios/through-lrp.sh narrates each step live.
# run-demo sets top_srcdir and top_builddir.  Exits non-zero if any step
# fails (the guest's logs are printed then).
set -u
: "${top_srcdir:?run this through ./run-demo}"
: "${top_builddir:?run this through ./run-demo}"
say() { printf '%s\n' "$*"; }

results=$top_builddir/tests/vm/results/demo
say "Inside one VM (qemu, TCG, Debian's kernel, no NIC), in network namespaces:"
say ""
say "  cli1 10.1.0.11 --+                                        pptpd (ours): 1723 and"
say "  cli2 10.1.0.12 --+-- LAN --- nat 10.1.0.1 | 203.0.113.1 ---- srv 203.0.113.2"
say "  lrp  10.1.0.2  --+           (masquerades; drops GRE)     rrp-listen 1724"
say ""
say "  clients: Debian's pptp-linux + pppd; server: our pptpd + Debian's pppd;"
say "  MS-CHAPv2 and MPPE-128 required on both ends."
say ""
say "Steps: 1. baseline, nat only routing: the clients dial pptpd directly;"
say "       2. nat masquerades and drops GRE: a direct dial fails;"
say "       3. the clients dial the LRP, which carries each call over one TCP"
say "          connection to pptpd's RRP: Call IDs, ppp0, ping, iperf3, ratio;"
say "       4. a wrong password through the LRP is refused by pppd."
say ""
say "Booting (about 10 s, the first run downloads Debian's kernel package; logs: $results)"
say ""
VM_BUILDDIR=$top_builddir VM_RESULTS=$results \
	"$top_srcdir/tests/vm/run-vm.sh" -l through-lrp
rc=$?
say ""
if [ "$rc" -eq 0 ]; then
	say "demo: OK"
else
	say "demo: FAILED (status $rc; the guest's logs are above and in $results)"
fi
exit "$rc"
