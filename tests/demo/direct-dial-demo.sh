#!/bin/bash
# direct-dial-demo.sh - narrated: Debian's pptp client dials our pptpd.
# (The Route Proxy demo, through LRP and RRP across a NAT that drops GRE,
# replaces this once the LRP lands.)
. "$top_srcdir/tests/lib/common.sh"
require_root
t_init
say() { printf '%s\n' "$*"; }

say "Topology: namespace 'server' (10.20.0.1) <-veth-> namespace 'client' (10.20.0.2)"
ns_add srv
ns_add cli
ns_link srv 10.20.0.1/24 cli 10.20.0.2/24
write_pptpd_conf "$T_TMP/pptpd.conf"
start_capture srv to-cli wire
start_pptpd srv "$T_TMP/pptpd.conf" "$top_builddir/pptpd/pptpd"
say "pptpd: $("$top_builddir/pptpd/pptpd" --version) listening on 10.20.0.1:1723"
say "       its ppp program is a PPP stand-in (this kernel has no PPP; the VM tier runs real pppd)"
say ""
say "client: pptp 10.20.0.1 --nolaunchpppd, driven by pptp-drive: LCP echoes, then 300 data frames"
if out=$(pptp_client cli 10.20.0.1 -n 10 -m 300 2>&1); then rc=0; else rc=$?; fi
say "client: $out"
wait_for 10 log_has 'control connection finished' || true
stop_capture "$CAP_PID" wire
say ""
say "pptpd's log:"
sed 's/^<[0-9]*>/  /' "$LOGFILE"
say ""
say "pppd's command line, as the stand-in received it:"
sed -n 's/^argv: /  /p' $(standin_reports | head -n 1)
say ""
say "On the wire (tshark):"
"$LIB/pcap-summary" "$T_TMP/wire.pcap" | awk '
	$1 == "ctrl" {
		split("SCCRQ SCCRP StopCCRQ StopCCRP EchoRQ EchoRP OCRQ OCRP ICRQ ICRP ICCN CCRQ CDN WEN SLI", n, " ")
		printf "  %-10s %s -> %s  call id %s  peer call id %s\n", n[$4], $2, $3, $5, $6 }
	$1 == "gre" { printf "  GRE        %s -> %s  call id %s  %s\n", $2, $3, $4, $5 " " $6 }'
[ "$rc" -eq 0 ] && say "" && say "demo: OK" || { say "demo: FAILED"; exit 1; }
