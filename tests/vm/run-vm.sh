#!/bin/sh
# run-vm.sh [-v] SCENARIO: run one VM scenario and exit with its status.
#
# SCENARIO is a path or a name under tests/vm/scenarios/ (with or without
# .sh).  Fetches Debian's kernel (cached), builds an initramfs holding the
# scenario and the binaries under test, boots it under qemu (TCG, no NIC, a
# 9p share for results), and exits with the status the scenario reported
# through the isa-debug-exit port.  Prints the scenario's narration; when
# anything failed, prints every guest log too.
#
#   -v   show the guest console live
#   -l   show the scenario's narration live (what the demo does)
#
# Environment:
#   VM_BUILDDIR  carry pptpd, pptpctrl and pptpd-logwtmp.so from this build
#                tree's pptpd/ instead of Debian's installed pptpd, and its
#                lrp/lrp
#   VM_PPTPD, VM_PPTPCTRL, VM_LOGWTMP, VM_BCRELAY, VM_LRP
#                or name each binary (see build-initramfs.sh)
#   VM_EXTRA     more build-initramfs.sh options, e.g. "-b /usr/bin/strace"
#   VM_RESULTS   keep the guest's logs in this directory (emptied first);
#                by default they go to a temporary directory that is removed
#   VM_CACHE     where the kernel and the initramfs's base part are cached
#                (/var/tmp/pptpd-rrp-vm)
#   VM_TIMEOUT   seconds before qemu is killed (the scenario's header line
#                "# vm-timeout: SECONDS", or 150)
#   VM_MEM, VM_SMP  guest memory (MiB, 512) and CPUs (2)
#   VM_QEMU_OPTS more qemu options (split on spaces)
#   VM_APPEND    more kernel command line words; name=value words reach
#                the scenario's environment (e.g. vm_iperf_secs=5)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
verbose=0
case ${1:-} in
-v) verbose=1; shift ;;
-l) verbose=2; shift ;;
esac
[ $# -eq 1 ] || { echo "usage: $0 [-v|-l] SCENARIO" >&2; exit 2; }

case $1 in
*/*) scenario=$1 ;;
*) scenario=$here/scenarios/${1%.sh}.sh ;;
esac
[ -f "$scenario" ] || { echo "run-vm: no scenario $scenario" >&2; exit 2; }
name=$(basename "$scenario" .sh)

say() { echo "run-vm: $*"; }

if [ -n "${VM_BUILDDIR:-}" ]; then
	: "${VM_PPTPD:=$VM_BUILDDIR/pptpd/pptpd}"
	: "${VM_PPTPCTRL:=$VM_BUILDDIR/pptpd/pptpctrl}"
	: "${VM_LOGWTMP:=$VM_BUILDDIR/pptpd/pptpd-logwtmp.so}"
	[ ! -x "$VM_BUILDDIR/lrp/lrp" ] || : "${VM_LRP:=$VM_BUILDDIR/lrp/lrp}"
fi
export VM_PPTPD VM_PPTPCTRL VM_LOGWTMP VM_BCRELAY VM_LRP 2>/dev/null || true

timeout_s=${VM_TIMEOUT:-$(sed -n 's/^# vm-timeout: *\([0-9][0-9]*\).*/\1/p' "$scenario" | head -n 1)}
timeout_s=${timeout_s:-150}
# The guest stops the scenario before the host kills qemu, so a hang still
# returns logs; boot takes a few seconds of that budget.
guest_timeout=$((timeout_s - 20))
[ "$guest_timeout" -ge 10 ] || guest_timeout=10

work=$(mktemp -d "${TMPDIR:-/tmp}/vm-$name.XXXXXX")
tail_pid=
cleanup() {
	[ -z "$tail_pid" ] || kill "$tail_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${VM_RESULTS:-}" ]; then
	rm -rf "$VM_RESULTS"
	mkdir -p "$VM_RESULTS"
	results=$(cd "$VM_RESULTS" && pwd)
else
	results=$work/results
	mkdir -p "$results"
fi

t0=$(date +%s)
cache=${VM_CACHE:-/var/tmp/pptpd-rrp-vm}
kernel=$("$here/fetch-kernel.sh" "$cache")
vmlinuz=$(echo "$kernel" | sed -n 's/^VMLINUZ=//p')
kroot=$(echo "$kernel" | sed -n 's/^ROOT=//p')

# shellcheck disable=SC2086 # VM_EXTRA is a list of options
"$here/build-initramfs.sh" -o "$work/initramfs.cpio" -k "$kroot" -c "$cache" \
	-s "$scenario" ${VM_EXTRA:-}

t1=$(date +%s)
console=$results/console.log
: >"$console"
if [ "$verbose" = 1 ]; then
	tail -n +1 -f "$console" &
	tail_pid=$!
elif [ "$verbose" = 2 ]; then
	# The guest writes its narration straight into the share.
	: >"$results/scenario.log"
	tail -n +1 -f "$results/scenario.log" &
	tail_pid=$!
fi

# TCG: -accel kvm hangs on these hosts.  -nodefaults leaves no NIC, VGA or
# serial; the serial console goes to a file, the results share is virtio-9p
# on the PCI bus, and isa-debug-exit at 0xf4 lets the guest set qemu's exit
# status (status*2+1).  A panic reboots, -no-reboot turns that into exit 0.
set +e
# shellcheck disable=SC2086 # VM_QEMU_OPTS is a list of options
timeout -k 5 "$timeout_s" qemu-system-x86_64 \
	-nodefaults -no-user-config -machine pc -accel tcg -cpu max \
	-smp "${VM_SMP:-2}" -m "${VM_MEM:-512}" ${VM_QEMU_OPTS:-} \
	-display none -no-reboot \
	-kernel "$vmlinuz" -initrd "$work/initramfs.cpio" \
	-append "console=ttyS0 panic=-1 quiet vm_timeout=$guest_timeout vm_exit_port=0xf4 ${VM_APPEND:-}" \
	-serial "file:$console" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x01 \
	-fsdev "local,id=results,path=$results,security_model=none" \
	-device virtio-9p-pci,fsdev=results,mount_tag=results \
	</dev/null >"$work/qemu.out" 2>&1
qemu_rc=$?
set -e
t2=$(date +%s)
if [ -n "$tail_pid" ]; then
	sleep 0.2
	kill "$tail_pid" 2>/dev/null || true
	tail_pid=
fi

# Decode qemu's status.  An odd status is the guest's report; check it
# against the status file the guest wrote, since qemu itself also exits 1
# when it cannot start (so 1 without a status file is never a pass).
guest_status=$(cat "$results/status" 2>/dev/null || echo none)
if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
	status=124
	why="qemu killed after $timeout_s s (VM_TIMEOUT): the guest hung"
elif [ $((qemu_rc % 2)) = 1 ] && [ $(((qemu_rc - 1) / 2)) = "$guest_status" ]; then
	status=$guest_status
	why="scenario exited with status $status"
elif [ $((qemu_rc % 2)) = 1 ] && [ "$guest_status" = none ] && [ "$qemu_rc" != 1 ]; then
	status=$(((qemu_rc - 1) / 2))
	why="init failed with status $status before the results share was up (see console.log)"
elif [ "$qemu_rc" = 0 ]; then
	status=125
	why="the guest stopped without reporting a status (panic? see console.log)"
else
	status=126
	why="qemu failed with status $qemu_rc (guest status file: $guest_status)"
fi

if [ "$verbose" = 0 ]; then
	cat "$results/scenario.log" 2>/dev/null || true
fi

if [ "$status" != 0 ]; then
	say "FAILED: $name: $why"
	[ ! -s "$work/qemu.out" ] || { echo "--- qemu"; cat "$work/qemu.out"; }
	# Every log the guest left, the console last (it ends with the panic
	# or the last words of init).
	for f in "$results"/*; do
		[ -f "$f" ] || continue
		case ${f##*/} in scenario.log|console.log|status) continue ;; esac
		echo "--- ${f##*/} (last 100 lines)"
		tail -n 100 "$f"
	done
	echo "--- console.log (last 60 lines)"
	tail -n 60 "$console"
	exit "$status"
fi
say "$name passed: $((t2 - t1)) s in qemu, $((t1 - t0)) s to prepare"
exit 0
