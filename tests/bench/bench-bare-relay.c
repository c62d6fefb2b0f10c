/*
 * bench-bare-relay - the baselines of the LRP's relay ceiling: the least a
 * one-process relay between pcap, TCP and a raw GRE socket must do,
 * written for the benchmark (tests/bench/README.md, "Relay ceiling").
 * Same capture settings, same socket options, same layout and pinning as
 * the LRP in the runs it is compared with, and none of the LRP's work
 * (sessions, Call ID lookup and rewrite, libevent, checks).
 *
 *   bench-bare-relay up -i IFACE -a LOCAL_ADDR -s SERVER:PORT
 *                    [--block [-T TIMEOUT_MS]] [-B BUFFER_BYTES]
 *                    [-S SNAPLEN] [-p CPU]
 *   bench-bare-relay down -s SERVER:PORT -d CLIENT_ADDR [-p CPU]
 *
 * up:   pcap (immediate mode, or TPACKET_V3 blocks with --block) with the
 *       LRP's filter "ip proto 47 and (dst host LOCAL_ADDR)", inbound only,
 *       the LRP's default buffer (4 MiB) and a snap length that holds the
 *       largest GRE packet a tunnel frame can carry (8300 bytes: in
 *       immediate mode libpcap uses TPACKET_V2, whose ring slots are
 *       snap-length sized when the interface has offloads, so 65535 would
 *       leave a 4 MiB ring about 62 slots);
 *       every GRE packet becomes a 4-byte frame header + the GRE packet
 *       (no IP header), copied out of pcap's ring, and up to 64 of them go
 *       out in one write() on a TCP_NODELAY connection.
 * down: read the TCP stream in large chunks, cut it into frames, and send
 *       the GRE packets to CLIENT_ADDR with sendmmsg() batches of up to 64.
 * Both hold a raw GRE socket with a drop-all filter, as the LRP does, so
 * the host never answers GRE with ICMP.  SIGTERM ends them; they print
 * their counts.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "bench-util.h"
#include "rrp_proto.h"

#define BATCH		64

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
connect_to(const struct sockaddr_in *srv)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)srv, sizeof(*srv)) < 0)
		bench_die("connect to the peer:");
	bench_set_nodelay(fd);
	return fd;
}

/* ---- up: pcap -> TCP ----------------------------------------------------- */

struct up {
	pcap_t		*pc;
	int		tcp, linkoff;
	/* a batch of whole frames: the packets are copied out of pcap's ring
	 * (the kernel may reuse a ring slot once the callback returns) */
	uint8_t		buf[BATCH * (RRP_FRAME_HDR_LEN + RRP_FRAME_MAX)];
	size_t		len;
	int		n;
	unsigned long long packets, frames_out, writes, bytes;
};

static void
up_flush(struct up *u)
{
	size_t off = 0;

	while (off < u->len) {
		ssize_t w = write(u->tcp, u->buf + off, u->len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd p = { .fd = u->tcp, .events = POLLOUT };

				poll(&p, 1, 100);
				continue;
			}
			bench_die("write:");
		}
		u->writes++;
		u->bytes += (unsigned long long)w;
		off += (size_t)w;
	}
	u->frames_out += (unsigned long long)u->n;
	u->n = 0;
	u->len = 0;
}

static void
up_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *frame)
{
	struct up *u = (struct up *)arg;
	const uint8_t *ip = frame + u->linkoff;
	size_t ihl, total;

	u->packets++;
	if (h->caplen < (unsigned)u->linkoff + 20)
		return;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = (size_t)(ip[2] << 8 | ip[3]);
	if (total < ihl + 8 || total > h->caplen - (unsigned)u->linkoff || total - ihl > RRP_FRAME_MAX)
		return;
	rrp_frame_header(u->buf + u->len, RRP_GRE, (uint16_t)(total - ihl));
	memcpy(u->buf + u->len + RRP_FRAME_HDR_LEN, ip + ihl, total - ihl);
	u->len += RRP_FRAME_HDR_LEN + total - ihl;
	if (++u->n == BATCH)
		up_flush(u);
}

static int
run_up(const char *iface, const char *local, const struct sockaddr_in *srv, int block,
    int timeout_ms, int buffer, int snaplen)
{
	char err[PCAP_ERRBUF_SIZE], filter[128];
	struct bpf_program prog;
	static struct up u;
	struct pcap_stat st;
	int fd;

	memset(&u, 0, sizeof(u));
	u.pc = pcap_create(iface, err);
	if (u.pc == NULL)
		bench_die("pcap %s: %s", iface, err);
	pcap_set_snaplen(u.pc, snaplen);
	pcap_set_promisc(u.pc, 0);
	pcap_set_buffer_size(u.pc, buffer);
	if (block)
		pcap_set_timeout(u.pc, timeout_ms);
	else
		pcap_set_immediate_mode(u.pc, 1);
	if (pcap_activate(u.pc) < 0)
		bench_die("pcap_activate: %s", pcap_geterr(u.pc));
	if (pcap_datalink(u.pc) != DLT_EN10MB)
		bench_die("link type %d: only Ethernet here", pcap_datalink(u.pc));
	u.linkoff = 14;
	pcap_setdirection(u.pc, PCAP_D_IN);
	snprintf(filter, sizeof(filter), "ip proto 47 and (dst host %s)", local);
	if (pcap_compile(u.pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0 || pcap_setfilter(u.pc, &prog) < 0)
		bench_die("filter: %s", pcap_geterr(u.pc));
	pcap_freecode(&prog);
	if (pcap_setnonblock(u.pc, 1, err) < 0)
		bench_die("pcap_setnonblock: %s", err);
	fd = pcap_get_selectable_fd(u.pc);
	u.tcp = connect_to(srv);
	bench_set_nonblock(u.tcp);
	printf("bench-bare-relay: up ready\n");
	fflush(stdout);
	while (!stop) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n;

		if (poll(&p, 1, block ? timeout_ms : 100) < 0 && errno != EINTR)
			bench_die("poll:");
		/* drain: dispatch until the ring is empty, a batch per write */
		do {
			n = pcap_dispatch(u.pc, 256, up_packet, (u_char *)&u);
			if (u.n > 0)
				up_flush(&u);
		} while (n > 0 && !stop);
	}
	pcap_stats(u.pc, &st);
	printf("bench-bare-relay: up packets=%llu frames=%llu writes=%llu bytes=%llu pcap_drop=%u\n",
	    u.packets, u.frames_out, u.writes, u.bytes, st.ps_drop);
	return 0;
}

/* ---- down: TCP -> raw GRE ------------------------------------------------- */

static int
run_down(const struct sockaddr_in *srv, const char *client)
{
	static uint8_t buf[1 << 20];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in to;
	size_t have = 0;
	unsigned long long frames = 0, sent = 0, dropped = 0, batches = 0;
	int tcp, raw, i, sz = 4 * 1024 * 1024;

	if (bench_parse_addr(client, 0, &to) < 0)
		bench_die("bad client address `%s'", client);
	raw = bench_raw_gre_sink_socket();
	if (raw < 0)
		bench_die("raw GRE socket:");
	setsockopt(raw, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_name = &to;
		msgs[i].msg_hdr.msg_namelen = sizeof(to);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	tcp = connect_to(srv);
	printf("bench-bare-relay: down ready\n");
	fflush(stdout);
	while (!stop) {
		ssize_t n = recv(tcp, buf + have, sizeof(buf) - have, 0);
		size_t off = 0;
		int cnt = 0;

		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			bench_die("recv:");
		}
		have += (size_t)n;
		for (;;) {
			size_t len;

			if (have - off < RRP_FRAME_HDR_LEN)
				break;
			len = (size_t)(buf[off + 2] << 8 | buf[off + 3]);
			if (have - off < RRP_FRAME_HDR_LEN + len)
				break;
			if (buf[off] == RRP_GRE) {
				iov[cnt].iov_base = buf + off + RRP_FRAME_HDR_LEN;
				iov[cnt].iov_len = len;
				frames++;
				if (++cnt == BATCH) {
					int r = sendmmsg(raw, msgs, BATCH, MSG_DONTWAIT);

					batches++;
					sent += r > 0 ? (unsigned long long)r : 0;
					dropped += (unsigned long long)(BATCH - (r > 0 ? r : 0));
					cnt = 0;
				}
			}
			off += RRP_FRAME_HDR_LEN + len;
		}
		if (cnt > 0) {
			int r = sendmmsg(raw, msgs, (unsigned)cnt, MSG_DONTWAIT);

			batches++;
			sent += r > 0 ? (unsigned long long)r : 0;
			dropped += (unsigned long long)(cnt - (r > 0 ? r : 0));
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	printf("bench-bare-relay: down frames=%llu sent=%llu dropped=%llu batches=%llu\n", frames, sent,
	    dropped, batches);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *iface = NULL, *local = NULL, *client = NULL;
	struct sockaddr_in srv;
	int opt, block = 0, timeout_ms = 1, buffer = 4 * 1024 * 1024, cpu = -1, have_srv = 0, snaplen = 8300;
	static const struct option longopts[] = {
		{ "block", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};

	bench_prog = "bench-bare-relay";
	if (argc < 2)
		bench_die("usage: bench-bare-relay up|down ...");
	optind = 2;
	while ((opt = getopt_long(argc, argv, "i:a:s:d:T:B:S:p:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'i': iface = optarg; break;
		case 'a': local = optarg; break;
		case 's':
			if (bench_parse_addr(optarg, 0, &srv) < 0)
				bench_die("bad server `%s'", optarg);
			have_srv = 1;
			break;
		case 'd': client = optarg; break;
		case 'k': block = 1; break;
		case 'T': timeout_ms = atoi(optarg); break;
		case 'B': buffer = atoi(optarg); break;
		case 'S': snaplen = atoi(optarg); break;
		case 'p': cpu = atoi(optarg); break;
		default: bench_die("usage: see the comment at the top of bench-bare-relay.c");
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	bench_pin(cpu);
	if (!have_srv)
		bench_die("need -s SERVER:PORT");
	if (strcmp(argv[1], "up") == 0) {
		int raw = bench_raw_gre_sink_socket();	/* no ICMP for the GRE we capture */

		if (iface == NULL || local == NULL || raw < 0)
			bench_die("up needs -i IFACE -a LOCAL_ADDR (and CAP_NET_RAW)");
		return run_up(iface, local, &srv, block, timeout_ms, buffer, snaplen);
	}
	if (strcmp(argv[1], "down") == 0) {
		if (client == NULL)
			bench_die("down needs -d CLIENT_ADDR");
		return run_down(&srv, client);
	}
	bench_die("mode is up or down");
}
