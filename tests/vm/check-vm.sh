#!/bin/sh
# check-vm.sh [SCENARIO...]: the VM tier as TAP, for `make check-vm`.
# SCENARIO is a name under tests/vm/scenarios/ or a path.
#
# Runs each scenario (default: every tests/vm/scenarios/*.sh) with the
# installed pptpd (variant "installed": Debian's stock package, when
# /usr/sbin/pptpd exists) and with the build under test (variant "build":
# when VM_BUILDDIR names a build tree holding pptpd/pptpd, pptpd/pptpctrl,
# pptpd/pptpd-logwtmp.so and lrp/lrp).  Two TAP tests per run: the scenario
# passed, and the pptpd, pptpctrl and logwtmp plugin (and the lrp) that ran
# in the guest are the files that run was meant to carry.  The scenario's
# narration, and on failure every guest log, appear as TAP comments.
#
# A scenario's header says what it needs:
#   # vm-variants: build        the variants it runs with (default: both)
#   # vm-uses: lrp              it runs the LRP: carried, checked it ran
#
# Environment: VM_BUILDDIR as above; VM_VARIANTS overrides every scenario's
# vm-variants (e.g. "installed build"); VM_RESULTS_DIR keeps each run's
# guest logs in VM_RESULTS_DIR/SCENARIO-VARIANT/ (default: a temporary
# directory, removed); everything run-vm.sh reads (VM_TIMEOUT, VM_APPEND,
# ...).
set -u

here=$(cd "$(dirname "$0")" && pwd)

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	echo "1..0 # SKIP qemu-system-x86_64 is not installed (see tests/vm/PACKAGES)"
	exit 0
fi

if [ $# -gt 0 ]; then
	# Names (direct-dial) or paths, as run-vm.sh takes them.
	scenarios=
	for s in "$@"; do
		case $s in
		*/*) scenarios="$scenarios $s" ;;
		*) scenarios="$scenarios $here/scenarios/${s%.sh}.sh" ;;
		esac
	done
else
	scenarios=$(ls "$here"/scenarios/*.sh)
fi

# Variants available here: "installed" and/or "build".
available=
[ ! -x /usr/sbin/pptpd ] || available=installed
if [ -n "${VM_BUILDDIR:-}" ]; then
	VM_BUILDDIR=$(cd "$VM_BUILDDIR" && pwd) || exit 1
	available="$available build"
fi

# header SCENARIO KEY: the value of the "# KEY: value" line in its header.
header() { sed -n "s/^# $2: *//p" "$1" | head -n 1; }

# variants_of SCENARIO: the variants it runs with here.
variants_of() {
	local want v
	want=${VM_VARIANTS:-$(header "$1" vm-variants)}
	want=${want:-installed build}
	for v in $available; do
		case " $want " in *" $v "*) echo "$v" ;; esac
	done
}

# variant_files VARIANT: set PPTPD, PPTPCTRL, LOGWTMP, LRP and DESC.
variant_files() {
	case $1 in
	installed)
		PPTPD=/usr/sbin/pptpd
		PPTPCTRL=/usr/sbin/pptpctrl
		LOGWTMP=/usr/lib/pptpd/pptpd-logwtmp.so
		LRP=
		DESC="installed pptpd $(dpkg-query -W -f '${Version}' pptpd 2>/dev/null)"
		;;
	build)
		PPTPD=$VM_BUILDDIR/pptpd/pptpd
		PPTPCTRL=$VM_BUILDDIR/pptpd/pptpctrl
		LOGWTMP=$VM_BUILDDIR/pptpd/pptpd-logwtmp.so
		LRP=$VM_BUILDDIR/lrp/lrp
		DESC="pptpd built in $VM_BUILDDIR"
		;;
	esac
}

if [ -n "${VM_RESULTS_DIR:-}" ]; then
	mkdir -p "$VM_RESULTS_DIR"
	results_root=$(cd "$VM_RESULTS_DIR" && pwd)
	tmp=
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-vm.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	results_root=$tmp
fi

runs=0
for scenario in $scenarios; do
	[ -f "$scenario" ] || { echo "check-vm: no scenario $scenario" >&2; exit 2; }
	runs=$((runs + $(variants_of "$scenario" | wc -l)))
done
if [ "$runs" = 0 ]; then
	echo "1..0 # SKIP no pptpd variant these scenarios run with (installed pptpd: ${available:-none}; VM_BUILDDIR unset?)"
	exit 0
fi
echo "1..$((runs * 2))"

t=0
failed=0
skipped=0
ok() { t=$((t + 1)); echo "ok $t - $*"; }
not_ok() { t=$((t + 1)); failed=$((failed + 1)); echo "not ok $t - $*"; }
comment() { sed 's/^/# /'; }

# ran_file LABEL KEY: the KEY= value of LABEL's line in binaries.txt.
ran_file() {
	awk -v l="$1" -v k="$2" 'index($0, l " pid=") == 1 {
		for (i = 1; i <= NF; i++) if (index($i, k "=") == 1)
			print substr($i, length(k) + 2) }' "$res/binaries.txt"
}

# check_ran LABEL FILE: binaries.txt says LABEL ran FILE, with FILE's
# checksum; otherwise note it in $bad.
check_ran() {
	ran_host=$(ran_file "$1" host)
	want_sum=$(sha256sum "$2" | cut -d' ' -f1)
	[ "$ran_host" = "$2" ] && [ "$(ran_file "$1" sha256)" = "$want_sum" ] ||
		bad="$bad $1 ran ${ran_host:-nothing} (wanted $2);"
}

for scenario in $scenarios; do
	name=$(basename "$scenario" .sh)
	uses_lrp=
	case " $(header "$scenario" vm-uses) " in *" lrp "*) uses_lrp=1 ;; esac
	for variant in $(variants_of "$scenario"); do
		variant_files "$variant"
		[ -n "$uses_lrp" ] || LRP=
		res=$results_root/$name-$variant
		start=$(date +%s)
		out=$(VM_PPTPD=$PPTPD VM_PPTPCTRL=$PPTPCTRL VM_LOGWTMP=$LOGWTMP \
			VM_LRP=$LRP VM_BUILDDIR='' VM_RESULTS=$res \
			"$here/run-vm.sh" "$scenario" 2>&1)
		st=$?
		secs=$(($(date +%s) - start))
		echo "$out" | comment
		if [ $st = 0 ]; then
			ok "$name with $DESC (${secs} s)"
		else
			where="logs in $res"
			[ -z "$tmp" ] || where="guest logs above"
			not_ok "$name with $DESC: status $st (${secs} s; $where)"
		fi

		# Which binaries ran: the guest checked each against the manifest;
		# here the manifest's host paths must be this variant's files.
		what="$name with $DESC: pptpd, pptpctrl and the logwtmp plugin${LRP:+ and lrp} that ran are the ones carried"
		bad=
		if [ -f "$res/binaries.txt" ]; then
			check_ran pptpd "$PPTPD"
			check_ran pptpctrl "$PPTPCTRL"
			check_ran "server pppd" "$LOGWTMP"
			[ -z "$LRP" ] || check_ran lrp "$LRP"
		else
			bad=" the guest recorded none (no binaries.txt)"
		fi
		if [ -n "$bad" ] && [ $st != 0 ]; then
			# The scenario stopped before it recorded them all; the test
			# above has already failed for that.
			t=$((t + 1))
			skipped=$((skipped + 1))
			echo "ok $t - $what # SKIP the scenario failed first"
		elif [ -z "$bad" ]; then
			ok "$what"
		else
			not_ok "$what:$bad"
		fi
	done
done

echo "# $((t - failed - skipped)) passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
