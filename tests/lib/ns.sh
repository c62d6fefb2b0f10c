# ns.sh - network namespaces and the topologies built from them (sourced
# by common.sh, bash).  Every namespace is $T_PREFIX-NAME (the test's PID
# in it, so tests never share one) and is deleted by t_cleanup.

# ns_add NAME: create namespace $T_PREFIX-NAME with loopback up.
ns_add() {
	local ns="$T_PREFIX-$1"
	ip netns add "$ns" || bail_out "ip netns add $ns failed"
	T_NS+=("$ns")
	ip -n "$ns" link set lo up
}

ns() { echo "$T_PREFIX-$1"; }

# in_ns NAME COMMAND...: run COMMAND inside the namespace.
in_ns() {
	local ns="$T_PREFIX-$1"
	shift
	ip netns exec "$ns" "$@"
}

# ns_link A ADDR_A/LEN B ADDR_B/LEN: a veth pair between two namespaces;
# the interfaces are named after the peer ("to-B" in A).
ns_link() {
	local a=$1 aaddr=$2 b=$3 baddr=$4
	ip link add "to-$b" netns "$(ns "$a")" type veth peer name "to-$a" netns "$(ns "$b")" ||
		bail_out "veth $a-$b failed"
	ip -n "$(ns "$a")" addr add "$aaddr" dev "to-$b"
	ip -n "$(ns "$b")" addr add "$baddr" dev "to-$a"
	ip -n "$(ns "$a")" link set "to-$b" up
	ip -n "$(ns "$b")" link set "to-$a" up
}

# ns_kill9 NS: SIGKILL every process in namespace NS (a client vanishing).
# All are stopped first: killed one by one, a survivor could notice the
# first one's death and clean up (pptp's call manager clears the call when
# pptp dies), which is a hang-up, not a client vanishing.
ns_kill9() {
	local pids
	pids=$(ip netns pids "$(ns "$1")")
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086
	kill -STOP $pids 2>/dev/null
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null
}

# ---- the LRP's network ------------------------------------------------------

# nat_topology N: the network of the LRP's tests, with N client namespaces:
#
#   cli1..cliN --+                        LRP's host: the LAN's router too
#                |  LAN 10.40.1.0/24       (clients' default route)
#   (bridge br0  +-- lrp 10.40.1.1 [to-lan]
#    in ns lan)       lrp 10.40.2.2 [to-nat] -- 10.40.2.1 nat 10.40.3.1 -- 10.40.3.2 srv
#
# Client i is 10.40.1.(10+i) on its interface to-lan.  The nat namespace
# masquerades what it forwards towards srv and drops IP protocol 47
# entirely, with no PPTP conntrack helper assigned: TCP crosses it, GRE
# does not - the NAT that breaks PPTP.  Sets LAN_LRP, SRV_ADDR, NAT_WAN.
nat_topology() {
	local n=$1 i
	LAN_LRP=10.40.1.1
	NAT_WAN=10.40.3.1
	SRV_ADDR=10.40.3.2
	ns_add lan
	ns_add lrp
	ns_add nat
	ns_add srv
	ip -n "$(ns lan)" link add br0 type bridge
	ip -n "$(ns lan)" link set br0 up
	lan_attach lrp 10.40.1.1/24
	for ((i = 1; i <= n; i++)); do
		ns_add "cli$i"
		lan_attach "cli$i" "10.40.1.$((10 + i))/24"
		ip -n "$(ns "cli$i")" route add default via 10.40.1.1
	done
	ns_link lrp 10.40.2.2/24 nat 10.40.2.1/24
	ns_link nat 10.40.3.1/24 srv 10.40.3.2/24
	ip -n "$(ns lrp)" route add default via 10.40.2.1
	ip -n "$(ns nat)" route add 10.40.1.0/24 via 10.40.2.2
	in_ns lrp sysctl -qw net.ipv4.ip_forward=1
	in_ns nat sysctl -qw net.ipv4.ip_forward=1
	in_ns nat iptables -t nat -A POSTROUTING -o to-srv -j MASQUERADE ||
		bail_out "iptables MASQUERADE failed in the nat namespace"
	in_ns nat iptables -A FORWARD -p 47 -j DROP
	# GRE to the NAT's own address too: a NAT without the helper has no
	# mapping for it (it would answer ICMP protocol-unreachable; here it
	# is silently gone, like every other GRE packet)
	in_ns nat iptables -A INPUT -p 47 -j DROP
}

# lan_attach NS ADDR/LEN: NS gets an interface to-lan on the LAN bridge.
lan_attach() {
	ip link add to-lan netns "$(ns "$1")" type veth peer name "p-$1" netns "$(ns lan)" ||
		bail_out "veth $1-lan failed"
	ip -n "$(ns lan)" link set "p-$1" master br0 up
	ip -n "$(ns "$1")" addr add "$2" dev to-lan
	ip -n "$(ns "$1")" link set to-lan up
}

# nat_gre_dropped: how many GRE packets the NAT has dropped.
nat_gre_dropped() {
	in_ns nat iptables -L -v -x -n | awk '$3 == "DROP" && ($4 == "47" || $4 == "gre") { n += $1 } END { print n + 0 }'
}
