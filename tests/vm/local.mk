# tests/vm: the VM tier.  Debian's kernel under qemu (TCG), real pppd on
# both ends, MS-CHAPv2 + MPPE-128, ping and iperf3 through the tunnel.  Not
# part of `make check`: it downloads a kernel package once (apt, cached in
# /var/tmp/pptpd-rrp-vm) and takes 30-80 s a run.  Packages it needs:
# tests/vm/PACKAGES.
#
#   make check-vm                     every scenario with the pptpd it names
#   make check-vm VM_SCENARIOS=through-lrp

VM_TIER_FILES = \
	tests/vm/PACKAGES \
	tests/vm/README.md \
	tests/vm/fetch-kernel.sh \
	tests/vm/build-initramfs.sh \
	tests/vm/guest-init.sh \
	tests/vm/guest-lib.sh \
	tests/vm/ppp-hook.sh \
	tests/vm/run-vm.sh \
	tests/vm/check-vm.sh \
	tests/vm/scenarios/direct-dial.sh \
	tests/vm/scenarios/through-lrp.sh \
	tests/demo/through-lrp-demo.sh
EXTRA_DIST += $(VM_TIER_FILES)

VM_SCENARIOS =

# Guest logs of the last run stay in tests/vm/results/SCENARIO-VARIANT/.
check-vm: all
	VM_BUILDDIR='$(abs_top_builddir)' \
	VM_RESULTS_DIR='$(abs_top_builddir)/tests/vm/results' \
	$(SHELL) '$(abs_top_srcdir)/tests/vm/check-vm.sh' $(VM_SCENARIOS)

clean-vm:
	rm -rf tests/vm/results

.PHONY: check-vm clean-vm
