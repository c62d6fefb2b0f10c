# guest-lib.sh: building blocks for VM scenarios (sourced, POSIX sh / dash).
#
# A scenario builds its network out of namespaces and veth links, starts
# pptpd and PPTP clients (real pppd on both ends) and checks what came up:
#
#   . /usr/lib/vm/guest-lib.sh
#   make_ns srv; make_ns cli
#   link_ns srv 10.0.0.1/24 cli 10.0.0.2/24
#   set_chap_secret user1 secret1
#   write_pptpd_conf 192.168.90.1 192.168.90.10-19
#   start_pptpd srv
#   dial_client cli c1 user1 secret1 10.0.0.1 0
#   wait_ppp_up cli ppp0 c1
#
# Adding a hop (a NAT, the LRP) is one more make_ns, two link_ns and a
# route_ns per side.  Every process started here is recorded and killed by
# cleanup_all (installed as an EXIT trap by vm_begin).
#
# Each step narrates one line on stdout ("client 1: ppp0 up, ..."); a failed
# check calls fail, which prints the reason and exits nonzero.  Logs go to
# /results, the 9p share the host keeps.

# Functions hand results back in upper-case variables (PPP_LOCAL, SRV_IF, ...).
# shellcheck disable=SC2034

VM_RESULTS=/results
VM_STATE=/tmp/vm
mkdir -p "$VM_STATE/ppp" "$VM_STATE/pids"

# --- narration and failure ------------------------------------------------

say() { echo "$*"; }

fail() {
	echo "FAIL: $*"
	exit 1
}

# vm_begin TITLE: announce the scenario and install the cleanup trap.
vm_begin() {
	VM_T0=$(date +%s)
	say "== $*"
	trap 'cleanup_all' EXIT
	trap 'echo "FAIL: stopped by the deadline"; exit 124' TERM
}

# vm_end: announce success (the EXIT trap still cleans up).
vm_end() {
	say "PASS $(cat /etc/vm/scenario-name 2>/dev/null) ($(( $(date +%s) - VM_T0 )) s in the guest)"
	exit 0
}

# track NAME PID: remember a process to kill at the end.
track() { echo "$2" >"$VM_STATE/pids/$1"; }

cleanup_all() {
	for f in "$VM_STATE"/pids/*; do
		[ -f "$f" ] || continue
		kill "$(cat "$f")" 2>/dev/null
	done
	# pptpd's children (pptpctrl, pppd) die with their sessions; give pppd
	# a moment to run ip-down so the event log is complete.
	sleep 0.3
}

# wait_until SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds.
wait_until() {
	local limit=$(( $1 * 10 )) i=0
	shift
	while ! "$@"; do
		i=$((i + 1))
		[ $i -lt $limit ] || return 1
		sleep 0.1
	done
}

# --- namespaces and links -------------------------------------------------

# in_ns NS COMMAND...: run COMMAND inside network namespace NS.  (Start
# background daemons with `ip netns exec` itself, not this function: `$!` of
# a function run in the background is a subshell's PID, not the daemon's.)
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# make_ns NAME: a network namespace with its loopback up.
make_ns() {
	ip netns add "$1" || fail "cannot create namespace $1"
	ip -n "$1" link set lo up
}

# link_ns NS1 ADDR1/LEN NS2 ADDR2/LEN: a veth pair between two namespaces.
# Each end is named after the namespace at its other end, so `ip -n srv
# addr` reads "cli: 10.0.0.1/24".  Addresses exist only in the namespaces.
link_ns() {
	local a=$1 aa=$2 b=$3 ba=$4
	ip link add "$b" netns "$a" type veth peer name "$a" netns "$b" ||
		fail "cannot link $a and $b"
	ip -n "$a" addr add "$aa" dev "$b"
	ip -n "$b" addr add "$ba" dev "$a"
	ip -n "$a" link set "$b" up
	ip -n "$b" link set "$a" up
	say "link: $a ${aa%/*} <-> $b ${ba%/*}"
}

# switch_ns NS: a namespace holding a bridge, br0: a LAN switch that
# port_ns plugs namespaces into.
switch_ns() {
	make_ns "$1"
	ip -n "$1" link add br0 type bridge || fail "$1: cannot create a bridge"
	ip -n "$1" link set br0 up
}

# port_ns SWITCH NS ADDR/LEN: plug NS into SWITCH's bridge.  NS's end is
# named after the switch (`ip -n cli1 addr` reads "lan: 10.1.0.11/24"), the
# port after NS.
port_ns() {
	local sw=$1 ns=$2 addr=$3
	ip link add "$sw" netns "$ns" type veth peer name "$ns" netns "$sw" ||
		fail "cannot plug $ns into $sw"
	ip -n "$sw" link set "$ns" master br0 up
	ip -n "$ns" addr add "$addr" dev "$sw"
	ip -n "$ns" link set "$sw" up
	say "link: $ns ${addr%/*} on $sw"
}

# route_ns NS DEST VIA: a static route, for namespaces more than a hop apart.
route_ns() {
	ip -n "$1" route add "$2" via "$3" || fail "$1: cannot route $2 via $3"
}

# forward_ns NS: let NS route between its links (a NAT or router hop).
forward_ns() {
	in_ns "$1" sysctl -qw net.ipv4.ip_forward=1
}

# nat_lan N: the network of a LAN behind a NAT that drops GRE, with clients
# cli1..cliN (10.1.0.11, .12, ...; CLI_1, CLI_2, ...) on it:
#
#   cliN 10.1.0.1N --+ lan (a bridge)
#   lrp  10.1.0.2  --+   nat: masquerades the LAN, drops IP protocol 47
#   nat  10.1.0.1  --+-- nat 203.0.113.1 ---- 203.0.113.2  --+ srv
#   rtr  10.1.0.3  --+-- rtr 198.51.100.1 --- 198.51.100.2 --+
#                        rtr: routes, no NAT (the direct path)
#
# The clients' and the LRP's default route is nat; rtr is the clients'
# path to the server's other address, SERVER_DIRECT.  Sets LAN_NAT,
# LAN_LRP, LAN_RTR, WAN_NAT, SERVER, RTR_SRV and SERVER_DIRECT.
nat_lan() {
	local n=$1 i ns
	LAN_NAT=10.1.0.1 LAN_LRP=10.1.0.2 LAN_RTR=10.1.0.3
	WAN_NAT=203.0.113.1 SERVER=203.0.113.2
	RTR_SRV=198.51.100.1 SERVER_DIRECT=198.51.100.2
	switch_ns lan
	for ns in lrp nat rtr srv; do make_ns $ns; done
	i=0
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		eval "CLI_$i=10.1.0.$((10 + i))"
		make_ns cli$i
		port_ns lan cli$i 10.1.0.$((10 + i))/24
		route_ns cli$i default $LAN_NAT
		route_ns cli$i $SERVER_DIRECT/32 $LAN_RTR
	done
	port_ns lan lrp $LAN_LRP/24
	port_ns lan nat $LAN_NAT/24
	port_ns lan rtr $LAN_RTR/24
	link_ns nat $WAN_NAT/24 srv $SERVER/24
	link_ns rtr $RTR_SRV/24 srv $SERVER_DIRECT/24
	route_ns lrp default $LAN_NAT
	route_ns srv 10.1.0.0/24 $RTR_SRV
	forward_ns nat
	forward_ns rtr
	# By protocol number: the guest has no /etc/protocols.
	in_ns nat iptables -t nat -A POSTROUTING -o srv -j MASQUERADE || fail "nat: cannot masquerade"
	in_ns nat iptables -t raw -A PREROUTING -p 47 -j DROP || fail "nat: cannot drop GRE"
}

# --- pptpd ----------------------------------------------------------------

# set_chap_secret USER SECRET [SERVER]: a secret pptpd's pppd accepts.
# Clients pass their password on pppd's command line (dial_client), so a
# client can offer a wrong one.
set_chap_secret() {
	printf '%s\t%s\t%s\t*\n' "$1" "${3:-pptpd}" "$2" >>/etc/ppp/chap-secrets
	chmod 600 /etc/ppp/chap-secrets
}

# write_pptpd_conf LOCALIP REMOTEIP [EXTRA LINE]...: /etc/pptpd.conf and the
# server pppd's options: MS-CHAPv2 and MPPE-128 required, nothing weaker.
# `connections` matches the pool size (1.5.0 mishandles a smaller pool).
write_pptpd_conf() {
	local localip=$1 remoteip=$2
	shift 2
	{
		echo "ppp /usr/sbin/pppd"
		echo "option /etc/ppp/pptpd-options"
		echo "logwtmp"
		echo "connections 10"
		echo "localip $localip"
		echo "remoteip $remoteip"
		for line in "$@"; do echo "$line"; done
	} >/etc/pptpd.conf
	cat >/etc/ppp/pptpd-options <<-EOF
		name pptpd
		refuse-pap
		refuse-chap
		refuse-mschap
		require-mschap-v2
		require-mppe-128
		nobsdcomp
		nodeflate
		nodefaultroute
		debug
		logfile $VM_RESULTS/pppd-server.log
	EOF
}

# start_pptpd NS: run pptpd in the foreground (so its PID is known) inside
# NS, wait until it listens on TCP 1723.  Sets PPTPD_PID.
start_pptpd() {
	local ns=$1
	# a build configured with another prefix still runs the pptpctrl and
	# plugin carried to the standard paths (Debian's stock pptpd ignores
	# these variables)
	ip netns exec "$ns" env PPTPD_PPTPCTRL=/usr/sbin/pptpctrl \
		PPTPD_LOGWTMP_PLUGIN=/usr/lib/pptpd/pptpd-logwtmp.so \
		/usr/sbin/pptpd --fg -c /etc/pptpd.conf \
		>>"$VM_RESULTS/pptpd.out" 2>&1 &
	PPTPD_PID=$!
	track pptpd "$PPTPD_PID"
	wait_until 10 listening "$ns" 1723 ||
		fail "pptpd in $ns is not listening on 1723 (see pptpd.out, syslog.log)"
	say "pptpd: listening in $ns on 1723 (pid $PPTPD_PID), pool $(sed -n 's/^localip //p' /etc/pptpd.conf) -> $(sed -n 's/^remoteip //p' /etc/pptpd.conf)"
}

# listening NS PORT: is something in NS listening on TCP PORT?
listening() {
	in_ns "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep -q .
}

# --- clients --------------------------------------------------------------

# dial_client NS NAME USER PASSWORD SERVER UNIT [PPPD OPTION]...
# A PPTP client the way Debian documents it: pppd drives `pptp
# --nolaunchpppd` on a pty.  pptp keeps its call manager's socket under
# /var/run/pptp, so each client gets a private tmpfs there (its own mount
# namespace); clients in one network namespace then share an address, as
# clients behind one NAT do.  The client's pppd is interface pppUNIT, its
# ipparam is NAME, and it logs to /results/pppd-NAME.log.  The PID is kept
# for wait_pppd_exit.
dial_client() {
	local ns=$1 name=$2 user=$3 pass=$4 server=$5 unit=$6
	shift 6
	mkdir -p /run/pptp
	ip netns exec "$ns" unshare -m sh -c 'mount -t tmpfs -o mode=755 pptp /run/pptp && exec "$@"' sh \
		/usr/sbin/pppd nodetach \
		pty "/usr/sbin/pptp $server --nolaunchpppd --loglevel 1" \
		name "$user" password "$pass" remotename pptpd \
		refuse-pap refuse-chap refuse-mschap refuse-eap \
		require-mppe-128 nobsdcomp nodeflate \
		noauth noipdefault nodefaultroute maxfail 1 \
		unit "$unit" linkname "$name" ipparam "$name" \
		debug logfile "$VM_RESULTS/pppd-$name.log" "$@" \
		>>"$VM_RESULTS/client-$name.out" 2>&1 &
	track "client-$name" $!
	say "$(label "$name"): dialing $server as $user from $ns"
}

# label NAME: NAME for narration, "client1" -> "client 1".
label() { echo "$1" | sed 's/^\([a-z]*\)\([0-9]\)/\1 \2/'; }

# client_pid NAME: the PID of client NAME's pppd.
client_pid() { cat "$VM_STATE/pids/client-$1"; }

# wait_ppp_up NS IFACE NAME [SECONDS]: wait until pppd's ip-up ran for IFACE
# in NS (IPCP is up and the addresses are set).  Fails early if client NAME's
# pppd died.  Sets PPP_LOCAL and PPP_REMOTE.
wait_ppp_up() {
	local ns=$1 ifc=$2 name=$3 limit=$(( ${4:-20} * 10 )) i=0 f
	f=$VM_STATE/ppp/$ns.$ifc
	while [ ! -f "$f" ]; do
		kill -0 "$(client_pid "$name")" 2>/dev/null ||
			fail "$name: pppd exited before $ifc came up (see pppd-$name.log)"
		i=$((i + 1))
		[ $i -lt $limit ] || fail "$name: $ifc not up after ${4:-20} s (see pppd-$name.log)"
		sleep 0.1
	done
	PPP_LOCAL=$(field local "$f")
	PPP_REMOTE=$(field remote "$f")
}

# field KEY FILE: the value of KEY=value in a ppp-hook.sh event line.
field() { tr ' ' '\n' <"$2" | sed -n "s/^$1=//p"; }

# server_link REMOTE: the server's ip-up line for the client with pool
# address REMOTE; sets SRV_IF, SRV_IPPARAM, SRV_PEER and SRV_PPPD.
server_link() {
	local f
	for f in "$VM_STATE"/ppp/srv.*; do
		[ -f "$f" ] || continue
		if [ "$(field remote "$f")" = "$1" ]; then
			SRV_IF=$(field if "$f")
			SRV_IPPARAM=$(field ipparam "$f")
			SRV_PEER=$(field peer "$f")
			SRV_PPPD=$(field pppd "$f")
			return 0
		fi
	done
	return 1
}

# wait_pppd_exit NAME [SECONDS]: wait for client NAME's pppd to end; sets
# PPPD_STATUS to its exit status (19: authentication to the peer failed).
wait_pppd_exit() {
	local pid
	pid=$(client_pid "$1")
	wait_until "${2:-20}" not_running "$pid" ||
		fail "$1: pppd still running after ${2:-20} s"
	wait "$pid"
	PPPD_STATUS=$?
	rm -f "$VM_STATE/pids/client-$1"
}

not_running() { ! kill -0 "$1" 2>/dev/null; }

# logged TEXT [SECONDS]: wait until TEXT (a fixed string) is in the syslog.
logged() {
	wait_until "${2:-5}" grep -qF -- "$1" "$VM_RESULTS/syslog.log"
}

# mppe_on NAME: did client NAME's pppd bring up 128-bit MPPE?
mppe_on() { grep -q 'MPPE 128-bit .*compression enabled' "$VM_RESULTS/pppd-$1.log"; }

# --- traffic --------------------------------------------------------------

# ping_via NS IFACE DEST [COUNT]: ping DEST out of IFACE; narrates the
# result and fails if any echo is lost.
ping_via() {
	local ns=$1 ifc=$2 dest=$3 count=${4:-3} out
	out=$(in_ns "$ns" ping -n -c "$count" -i 0.2 -W 3 -I "$ifc" "$dest" 2>&1) ||
		{ echo "$out"; fail "$ns: ping $dest via $ifc failed"; }
	echo "$out" >>"$VM_RESULTS/ping.log"
	PING_RTT=$(echo "$out" | sed -n 's,.*= [0-9.]*/\([0-9.]*\)/.*,\1,p')
}

# start_iperf_server NS ADDR [PORT]: an iperf3 server bound to ADDR
# (0.0.0.0: every address, also ones that come up later) on TCP PORT
# (5201) in NS.  One server runs one test at a time: clients that run at
# once need a port each.
start_iperf_server() {
	local port=${3:-5201}
	ip netns exec "$1" iperf3 -s -B "$2" -p "$port" \
		>>"$VM_RESULTS/iperf3-server.log" 2>&1 &
	track "iperf3-server-$port" $!
	wait_until 10 listening "$1" "$port" || fail "iperf3 server in $1 did not start"
}

# iperf_via NS IFACE DEST SECONDS [PORT]: a TCP iperf3 run out of IFACE;
# sets IPERF_MBPS to the receiver's throughput in Mbit/s.
iperf_via() {
	iperf_start "$1" "$1" "$2" "$3" "$4" "${5:-5201}"
	iperf_wait "$1"
}

# iperf_start NAME NS IFACE DEST SECONDS PORT: the same in the background,
# so several run at once; iperf_wait NAME collects it and sets IPERF_MBPS.
iperf_start() {
	local name=$1 ns=$2 ifc=$3 dest=$4 secs=$5 port=$6
	ip netns exec "$ns" iperf3 -c "$dest" -p "$port" --bind-dev "$ifc" \
		-t "$secs" -f m >"$VM_STATE/iperf-$name.out" 2>&1 &
	echo "$!" >"$VM_STATE/iperf-$name.pid"
	echo "$ns $ifc $dest:$port" >"$VM_STATE/iperf-$name.what"
}

iperf_wait() {
	local out=$VM_STATE/iperf-$1.out
	wait "$(cat "$VM_STATE/iperf-$1.pid")" ||
		{ cat "$out"; fail "$1: iperf3 ($(cat "$VM_STATE/iperf-$1.what")) failed"; }
	{ echo "--- $1: $(cat "$VM_STATE/iperf-$1.what")"; cat "$out"; } \
		>>"$VM_RESULTS/iperf3-client.log"
	IPERF_MBPS=$(awk '/receiver/ { for (i = 1; i < NF; i++)
		if ($(i + 1) == "Mbits/sec") print $i }' "$out")
	[ -n "$IPERF_MBPS" ] || { cat "$out"; fail "$1: no throughput in iperf3's output"; }
}

# ratio A B: A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# sum A B: A+B with one decimal.
sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a + b }'; }

# hang_up NAME: end client NAME's call (SIGTERM to its pppd, which sends
# LCP Terminate-Request) and wait until its pppd and its link are gone.
hang_up() {
	local pid
	pid=$(client_pid "$1")
	kill "$pid" 2>/dev/null
	wait_pppd_exit "$1" 15
}

# --- the Route Proxy ------------------------------------------------------

# make_secret FILE: a fresh shared secret for the LRP-RRP link, mode 0600.
make_secret() {
	(umask 077 && head -c 32 /dev/urandom | base64 >"$1") ||
		fail "cannot write the secret $1"
}

# start_lrp NS LISTEN INTERFACE SERVER SECRET: the LRP in NS, accepting
# clients on LISTEN (ADDR:PORT), capturing their GRE on INTERFACE, with
# tunnels to the RRP at SERVER (ADDR:PORT).  In the foreground, so its PID
# is known; it logs to syslog.log and lrp.out.  Sets LRP_PID.  The LRP
# gets its own copy of SECRET, owned by the user it runs as, as on a
# machine of its own (pptpd's copy is root's; lrp re-reads its copy as
# that user on SIGHUP, and lrp -t refuses one that user cannot read).
LRP_CONF=/etc/lrp.conf
LRP_SECRET=/etc/lrp.secret
start_lrp() {
	local ns=$1
	cp "$5" "$LRP_SECRET" && chown nobody "$LRP_SECRET" && chmod 600 "$LRP_SECRET" ||
		fail "cannot copy the secret $5 to $LRP_SECRET"
	cat >"$LRP_CONF" <<-EOF
		listen $2
		interface $3
		server $4
		secret-file $LRP_SECRET
		user nobody
		pidfile $VM_STATE/lrp.pid
		status-socket /run/lrp.sock
	EOF
	in_ns "$ns" /usr/sbin/lrp -t -c "$LRP_CONF" >>"$VM_RESULTS/lrp.out" 2>&1 ||
		{ cat "$VM_RESULTS/lrp.out"; fail "lrp rejects its configuration"; }
	ip netns exec "$ns" /usr/sbin/lrp -f -c "$LRP_CONF" >>"$VM_RESULTS/lrp.out" 2>&1 &
	LRP_PID=$!
	track lrp "$LRP_PID"
	wait_until 10 listening "$ns" "${2##*:}" ||
		{ cat "$VM_RESULTS/lrp.out"; fail "lrp in $ns is not listening on $2"; }
	say "lrp: listening in $ns on $2 (pid $LRP_PID), GRE captured on $3, tunnels to $4"
}

# lrp_status: the LRP's session table (`lrp -S`), also kept in
# /results/lrp-status.txt.
lrp_status() {
	/usr/sbin/lrp -S -c "$LRP_CONF" | tee -a "$VM_RESULTS/lrp-status.txt"
}

# lrp_session CLIENT-IP: the LRP's session for that client, from the table
# in $LRP_TABLE; sets LRP_CID, CLIENT_CID and SERVER_CID.
lrp_session() {
	local line
	line=$(echo "$LRP_TABLE" | awk -v ip="$1" 'index($2, ip ":") == 1 { print; exit }')
	[ -n "$line" ] || return 1
	set -- $line
	LRP_STATE=$3 LRP_CID=$4 CLIENT_CID=$5 SERVER_CID=$6
}

# --- which binaries ran ---------------------------------------------------

# check_exe LABEL PID GUEST-PATH: prove that process PID runs the file the
# host put at GUEST-PATH (build-initramfs.sh's manifest names its host
# origin).  Narrates and appends to /results/binaries.txt.
check_exe() {
	local label=$1 pid=$2 path=$3 exe sum want host
	exe=$(readlink "/proc/$pid/exe") || fail "$label: no process $pid"
	[ "$exe" = "$path" ] || fail "$label: pid $pid runs $exe, not $path"
	sum=$(sha256sum "/proc/$pid/exe" | cut -d' ' -f1)
	want=$(awk -v p="$path" '$1 == p { print $2 }' /etc/vm/manifest)
	host=$(awk -v p="$path" '$1 == p { print $3 }' /etc/vm/manifest)
	[ "$sum" = "$want" ] || fail "$label: $path has sha256 $sum, the manifest says $want"
	echo "$label pid=$pid exe=$exe sha256=$sum host=$host" >>"$VM_RESULTS/binaries.txt"
	say "$label: pid $pid runs $exe = $host (sha256 $(echo "$sum" | cut -c1-12))"
}

# check_plugin LABEL PID GUEST-PATH: process PID has the shared object
# GUEST-PATH mapped (pppd loaded pptpd's logwtmp plugin).
check_plugin() {
	local label=$1 pid=$2 path=$3 sum host
	grep -q " $path\$" "/proc/$pid/maps" || fail "$label: pid $pid has not loaded $path"
	sum=$(sha256sum "$path" | cut -d' ' -f1)
	host=$(awk -v p="$path" '$1 == p { print $3 }' /etc/vm/manifest)
	echo "$label pid=$pid plugin=$path sha256=$sum host=$host" >>"$VM_RESULTS/binaries.txt"
	say "$label: pid $pid loaded $path = $host (sha256 $(echo "$sum" | cut -c1-12))"
}

# parent_of PID: the parent process's PID.
parent_of() { awk '/^PPid:/ { print $2 }' "/proc/$1/status"; }
