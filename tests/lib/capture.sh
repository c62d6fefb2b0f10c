# capture.sh - what crossed the wire (sourced by common.sh, bash): tcpdump
# in a namespace, and the PPTP control messages read back from a capture.
# (tests/lib/pcap-summary sums a capture up by flow.)

# start_capture NS IFACE NAME [FILTER]: tcpdump in NS on IFACE into
# $T_TMP/NAME.pcap; by default PPTP, the tunnel port, GRE and ICMP (FILTER
# "" captures everything, for tests that assert what did NOT cross).
start_capture() {
	local filter=("${4-tcp port 1723 or tcp port 1724 or ip proto 47 or icmp or icmp6}")
	[ -n "${filter[0]}" ] || filter=()
	run_bg "cap-$3" ip netns exec "$(ns "$1")" tcpdump -i "$2" --immediate-mode -B 16384 -U -n \
		-w "$T_TMP/$3.pcap" "${filter[@]}"
	CAP_PID=$BG_PID
	wait_for 5 grep -q 'listening on' "$T_TMP/cap-$3.out" || bail_out "tcpdump did not start"
}

# stop_capture PID NAME: stop tcpdump and say whether it lost packets (a
# loaded machine can make the kernel drop them, which would look like
# gaps on the wire); sets CAP_DROPPED.
stop_capture() {
	local size=-1 same=0 i
	# tcpdump discards what it has not read yet when it is stopped: on a
	# loaded machine it lags, so let the file stop growing first.
	for i in $(seq 50); do
		if [ "$(stat -c %s "$T_TMP/$2.pcap" 2>/dev/null)" = "$size" ]; then
			same=$((same + 1))
			[ "$same" -ge 3 ] && break
		else
			same=0
			size=$(stat -c %s "$T_TMP/$2.pcap" 2>/dev/null)
		fi
		sleep 0.2
	done
	kill -INT "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	CAP_DROPPED=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$T_TMP/cap-$2.out")
	[ "${CAP_DROPPED:-0}" -eq 0 ] || diag "tcpdump: $CAP_DROPPED packets dropped by kernel"
	return 0
}

# pptp_ctrl_stream PCAP SRC DST [DST_PORT]: the PPTP control messages SRC
# sent to DST (TCP, in stream order, retransmissions skipped), one line
# each: "TYPE WORD12 BYTE14 BYTE16" - the control message type, the 16-bit
# field at offset 12 (the Call ID of OCRP, CDN, CCRQ...), the bytes at 14
# (SCCRP's result code) and 16 (OCRP's result code).  Parsed from the TCP
# payload bytes, because tshark 4.0's PPTP dissector decodes only the first
# of several messages in one segment (the LRP sends CDN and StopCCRQ in one).
pptp_ctrl_stream() {
	local pcap=$1 src=$2 dst=$3 port=${4:-}
	tshark -r "$pcap" -n -Y "ip.src == $src && ip.dst == $dst && tcp.len > 0${port:+ && tcp.dstport == $port}" \
		-T fields -e tcp.stream -e tcp.seq -e tcp.payload 2>/dev/null |
	awk -F'\t' '
	function hex(h,   i, v) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
	function byte(b, i) { return hex(substr(b, 2 * i + 1, 2)) }
	{
		gsub(":", "", $3)
		if (($1 in want) && $2 + 0 < want[$1]) next	# retransmitted
		want[$1] = $2 + length($3) / 2
		buf[$1] = buf[$1] $3
		while (length(buf[$1]) >= 4) {
			len = byte(buf[$1], 0) * 256 + byte(buf[$1], 1)
			if (len < 12 || length(buf[$1]) < 2 * len) break
			m = substr(buf[$1], 1, 2 * len)
			buf[$1] = substr(buf[$1], 2 * len + 1)
			printf "%d %d %d %d\n", byte(m, 8) * 256 + byte(m, 9), byte(m, 12) * 256 + byte(m, 13),
				(len > 14 ? byte(m, 14) : -1), (len > 16 ? byte(m, 16) : -1)
		}
	}'
}
