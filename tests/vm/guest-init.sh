#!/bin/sh
# guest-init.sh: /init, PID 1 of the test VM.
#
# Mounts the kernel file systems and the results share, loads the modules
# the scenario needs, runs /usr/lib/vm/scenario.sh with its output in
# /results/scenario.log (and on the console), and hands the scenario's exit
# status to the host through QEMU's isa-debug-exit port: QEMU then exits with
# status*2+1.  Any other way out (a panic, a poweroff) makes QEMU exit 0,
# which the host reads as "the guest never reported".
#
# The kernel passes unknown name=value words of its command line to init as
# environment: run-vm.sh sets vm_timeout (seconds the scenario may take) and
# vm_exit_port (the debug-exit I/O port).

# Busybox last: its applets must not shadow the real tools.
PATH=/usr/sbin:/usr/bin:/usr/lib/vm/busybox
export PATH
umask 022

# The applet links, made here in one call rather than 300 at build time.
/usr/libexec/busybox mkdir -p /usr/lib/vm/busybox
/usr/libexec/busybox --install -s /usr/lib/vm/busybox

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /run/lock /run/netns /var/log

# Report STATUS to the host and stop.  The I/O port write ends QEMU at once;
# poweroff is only reached if the device is missing.
vm_exit() {
	st=$1
	sync
	umount /results 2>/dev/null
	printf "\\$(printf %o "$st")" |
		dd of=/dev/port bs=1 seek="$(( ${vm_exit_port:-0xf4} ))" count=1 2>/dev/null
	poweroff -f
}

modprobe virtio_pci && modprobe 9pnet_virtio && modprobe 9p ||
	{ echo "init: cannot load the 9p modules"; vm_exit 100; }
# msize: 9p's default 8 KiB round trips dominate writing logs under TCG.
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /results ||
	{ echo "init: cannot mount the results share"; vm_exit 100; }

for m in ppp_generic ppp_async ppp_mppe veth; do
	modprobe "$m" || { echo "init: cannot load $m"; vm_exit 100; }
done
# devtmpfs makes /dev/ppp when ppp_generic registers; make sure anyway.
[ -c /dev/ppp ] || mknod /dev/ppp c 108 0

ip link set lo up
hostname vm

# One syslog for everything: pptpd, pptpctrl and pppd log there.  /dev/log
# is a path in the shared file system, so every network namespace reaches
# it.  Wait for the socket so the first messages are not lost.
syslogd -n -O /results/syslog.log &
i=0
while [ ! -S /dev/log ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

echo "init: kernel $(uname -r), scenario $(cat /etc/vm/scenario-name)," \
	"timeout ${vm_timeout:-60} s, ready $(cut -d' ' -f1 /proc/uptime) s after boot"

# The scenario writes its log straight to the share; `tail -f` copies it to
# the console.  (A pipe into tee would wait for every daemon the scenario
# left behind, since they inherit the pipe.)  The scenario's deadline is
# below the host's, so a hang still leaves logs and a status behind.
: >/results/scenario.log
tail -n +1 -f /results/scenario.log &
tail_pid=$!
timeout -s TERM -k 3 "${vm_timeout:-60}" /usr/lib/vm/scenario.sh \
	>>/results/scenario.log 2>&1 </dev/null
echo $? >/tmp/vm-status
sleep 0.2   # let tail print the last lines
kill "$tail_pid"

# The port carries 7 bits (qemu exits with status*2+1): a scenario killed by
# the deadline (TERM 143, KILL 137) reports 124 like timeout(1); other
# statuses above 127 report 127.
st=$(cat /tmp/vm-status 2>/dev/null || echo 101)
case $st in
137|143) echo "init: scenario killed by its ${vm_timeout:-60} s deadline"; st=124 ;;
*) [ "$st" -le 127 ] || st=127 ;;
esac
echo "$st" >/results/status
dmesg >/results/dmesg.log 2>/dev/null
vm_exit "$st"
