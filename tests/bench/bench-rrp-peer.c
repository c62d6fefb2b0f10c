/*
 * bench-rrp-peer - the far end of LRP tunnels for the benchmark: an RRP
 * that accepts any number of tunnels at once (epoll), completes the
 * handshake (doc/tunnel-protocol.md section 5, through the codec and MACs
 * in common/), plays a trivial PAC (SCCRQ -> SCCRP, OCRQ -> OCRP with
 * Call ID -c, Echo-Request -> Echo-Reply, CCRQ -> CDN, StopCCRQ ->
 * StopCCRP) and then either counts or produces GRE.
 *
 *   bench-rrp-peer -l ADDR:PORT (-k SECRET_FILE | --raw) [--mode M]
 *                  [-c CALL_ID] [-z SIZE] [--frame-bytes N] [--trunc]
 *                  [-W WARMUP] [-t SECS] [-p CPU]
 *
 * Modes:
 *   sink   (default) count GRE frames and tunnel bytes.  With -t, the
 *          first GRE frame starts a window: after WARMUP seconds the count
 *          is taken over SECS and "measure pps=..." printed.  --trunc
 *          stops parsing once a call is up and only counts bytes
 *          (recv(MSG_TRUNC): the kernel discards them without a copy), so
 *          the sink costs next to nothing; frames = bytes / --frame-bytes.
 *   blast  once the call is up, send GRE frames (SIZE information bytes,
 *          to the client's Call ID) down the tunnel as fast as TCP takes
 *          them, in 64 KiB writes.
 * --raw skips the handshake and PPTP: the connection carries GRE frames
 * from the first byte (for the benchmark's bare relays, which have no
 * protocol); blast mode then uses -c as the client's Call ID.
 *
 * SIGUSR1 prints "stats sessions=N open=N calls=N gre_frames=N
 * gre_bytes=N stream_bytes=N accepted=N closed=N"; SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-util.h"
#include "pptp_gre.h"
#include "pptp_msg.h"
#include "rrp_auth.h"
#include "rrp_proto.h"

#define RX_LEN		(2 * (RRP_FRAME_HDR_LEN + RRP_FRAME_MAX))
#define BLAST_LEN	(64 * 1024)

enum cstate { C_HELLO, C_AUTH, C_OPEN, C_COUNT, C_DEAD };

struct conn {
	int		fd;
	enum cstate	st;
	uint8_t		cn[RRP_NONCE_LEN], sn[RRP_NONCE_LEN];
	uint8_t		*rx;
	size_t		rx_len;
	uint8_t		*tx;		/* pending control output */
	size_t		tx_len, tx_cap;
	int		call_up, blasting;
	size_t		blast_off;
	uint16_t	client_cid;
};

static struct {
	struct rrp_secret secret;
	int		raw, trunc, blast, cpu;
	uint16_t	call_id;
	long		size, frame_bytes;
	double		warmup, secs;
	int		ep, lfd;
	/* counters */
	unsigned long	sessions, open, calls, accepted, closed;
	unsigned long long gre_frames, gre_bytes, stream_bytes;
	uint8_t		*blast_buf;
	size_t		blast_len;
	/* measurement window */
	uint64_t	first_gre_us, t0;
	unsigned long long c0_frames, c0_bytes;
	int		measure_state;	/* 0 idle, 1 warming, 2 measuring, 3 done */
} P;

static volatile sig_atomic_t got_usr1, stop;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		stop = 1;
}

static void
print_stats(void)
{
	printf("stats sessions=%lu open=%lu calls=%lu gre_frames=%llu gre_bytes=%llu stream_bytes=%llu "
	    "accepted=%lu closed=%lu\n", P.sessions, P.open, P.calls, P.gre_frames, P.gre_bytes,
	    P.stream_bytes, P.accepted, P.closed);
	fflush(stdout);
}

static void
conn_close(struct conn *c)
{
	if (c->st == C_DEAD)
		return;
	epoll_ctl(P.ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	if (c->st >= C_OPEN)
		P.open--;
	if (c->call_up)
		P.calls--;
	P.sessions--;
	P.closed++;
	c->st = C_DEAD;
	free(c->rx);
	free(c->tx);
	free(c);
}

static void
want_out(struct conn *c, int on)
{
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c };

	epoll_ctl(P.ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Queue a control frame (the tunnel is never the bottleneck for these). */
static void
send_frame(struct conn *c, const uint8_t *frame, size_t len)
{
	if (c->tx_len == 0) {
		ssize_t n = send(c->fd, frame, len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n == (ssize_t)len)
			return;
		if (n < 0)
			n = 0;
		frame += n;
		len -= (size_t)n;
	}
	if (c->tx_len + len > c->tx_cap) {
		c->tx_cap = (c->tx_len + len) * 2;
		c->tx = realloc(c->tx, c->tx_cap);
		if (c->tx == NULL)
			bench_die("out of memory");
	}
	memcpy(c->tx + c->tx_len, frame, len);
	c->tx_len += len;
	want_out(c, 1);
}

static void
send_ctrl(struct conn *c, const uint8_t *msg, size_t len)
{
	uint8_t f[RRP_FRAME_HDR_LEN + PPTP_MSG_MAX];

	rrp_frame_header(f, RRP_CTRL, (uint16_t)len);
	memcpy(f + RRP_FRAME_HDR_LEN, msg, len);
	send_frame(c, f, RRP_FRAME_HDR_LEN + len);
}

static void build_blast(uint16_t cid);

static void
start_blast(struct conn *c)
{
	c->blasting = 1;
	c->blast_off = 0;
	want_out(c, 1);
}

static void
call_is_up(struct conn *c)
{
	c->call_up = 1;
	P.calls++;
	if (P.trunc)
		c->st = C_COUNT;
	if (P.blast) {
		build_blast(c->client_cid);
		start_blast(c);
	}
}

/* One frame in an open tunnel. */
static int
on_open_frame(struct conn *c, const struct rrp_frame *f)
{
	uint8_t out[PPTP_MSG_MAX];
	int type;

	switch (f->type) {
	case RRP_CTRL:
		if (pptp_msg_check(f->payload, f->len, &type) < 0)
			return -1;
		switch (type) {
		case PPTP_SCCRQ:
			send_ctrl(c, out, pptp_build_sccrp(out, 1, "bench-rrp-peer", "pptpd-rrp bench"));
			break;
		case PPTP_OCRQ:
			c->client_cid = pptp_get16(f->payload, PPTP_OFF_OCRQ_CALL_ID);
			send_ctrl(c, out, pptp_build_ocrp(out, P.call_id, c->client_cid, 1, 64));
			call_is_up(c);
			break;
		case PPTP_ECHORQ:
			send_ctrl(c, out, pptp_build_echorp(out, pptp_get32(f->payload, PPTP_OFF_ECHO_ID), 1));
			break;
		case PPTP_CCRQ:
			send_ctrl(c, out, pptp_build_cdn(out, P.call_id, 3, 0));
			break;
		case PPTP_STOPCCRQ:
			send_ctrl(c, out, pptp_build_stopccrp(out, 1, 0));
			break;
		default:
			break;
		}
		return 0;
	case RRP_GRE:
		if (P.measure_state == 0 && P.secs > 0) {
			P.first_gre_us = bench_now_us();
			P.measure_state = 1;
		}
		P.gre_frames++;
		P.gre_bytes += f->len;
		return 0;
	case RRP_KEEPALIVE:
		return 0;
	case RRP_CLOSE:
	case RRP_ERROR:
		return -1;
	default:
		return -1;
	}
}

static int
on_frame(struct conn *c, const struct rrp_frame *f)
{
	uint8_t out[RRP_FRAME_HDR_LEN + RRP_FRAME_MAX];
	size_t n;

	if (c->st == C_HELLO) {
		struct rrp_hello h;
		struct rrp_challenge ch;

		if (rrp_hello_decode(f, &h) < 0)
			return -1;
		memcpy(c->cn, h.client_nonce, sizeof(c->cn));
		memset(&ch, 0, sizeof(ch));
		ch.version = 1;
		if (rrp_random(c->sn, sizeof(c->sn)) < 0)
			return -1;
		memcpy(ch.server_nonce, c->sn, sizeof(c->sn));
		n = rrp_challenge_encode(out, sizeof(out), &ch);
		send_frame(c, out, n);
		c->st = C_AUTH;
		return 0;
	}
	if (c->st == C_AUTH) {
		struct rrp_auth a;
		struct rrp_welcome w;
		uint8_t mac[RRP_MAC_LEN];

		if (rrp_auth_decode(f, &a) < 0 ||
		    rrp_auth_mac(&P.secret, 1, c->cn, c->sn, &a.client, mac) < 0 ||
		    !rrp_mac_equal(mac, a.mac)) {
			fprintf(stderr, "bench-rrp-peer: a tunnel failed authentication\n");
			return -1;
		}
		if (rrp_welcome_mac(&P.secret, 1, c->cn, c->sn, w.mac) < 0)
			return -1;
		n = rrp_welcome_encode(out, sizeof(out), &w);
		send_frame(c, out, n);
		c->st = C_OPEN;
		P.open++;
		return 0;
	}
	return on_open_frame(c, f);
}

/* Returns -1 if c was closed (and freed). */
static int
on_readable(struct conn *c)
{
	for (;;) {
		ssize_t n;
		size_t off = 0;

		if (c->st == C_COUNT) {
			n = recv(c->fd, NULL, 1 << 20, MSG_TRUNC | MSG_DONTWAIT);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				conn_close(c);
				return -1;
			}
			if (n < 0)
				return 0;
			P.stream_bytes += (unsigned long long)n;
			if (P.measure_state == 0 && P.secs > 0) {
				P.first_gre_us = bench_now_us();
				P.measure_state = 1;
			}
			continue;
		}
		n = recv(c->fd, c->rx + c->rx_len, RX_LEN - c->rx_len, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			conn_close(c);
			return -1;
		}
		if (n < 0)
			return 0;
		c->rx_len += (size_t)n;
		P.stream_bytes += (unsigned long long)n;
		for (;;) {
			struct rrp_frame f;
			int rc = rrp_frame_parse(c->rx + off, c->rx_len - off, &f);

			if (rc == 0)
				break;
			if (rc < 0 || on_frame(c, &f) < 0) {
				conn_close(c);
				return -1;
			}
			off += (size_t)rc;
			if (c->st == C_COUNT) {
				/* from here on only counted (the rest is GRE):
				 * what is left in rx was counted already */
				c->rx_len = off;
				break;
			}
		}
		memmove(c->rx, c->rx + off, c->rx_len - off);
		c->rx_len -= off;
		if (c->st == C_COUNT && c->rx_len == 0)
			continue;
	}
}

static void
on_writable(struct conn *c)
{
	while (c->tx_len > 0) {
		ssize_t n = send(c->fd, c->tx, c->tx_len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				conn_close(c);
			return;
		}
		memmove(c->tx, c->tx + n, c->tx_len - (size_t)n);
		c->tx_len -= (size_t)n;
	}
	while (c->blasting && !stop) {
		ssize_t n = send(c->fd, P.blast_buf + c->blast_off, P.blast_len - c->blast_off,
		    MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				conn_close(c);
			return;
		}
		c->blast_off = (c->blast_off + (size_t)n) % P.blast_len;
	}
	if (c->tx_len == 0 && !c->blasting)
		want_out(c, 0);
}

/* The frames blast mode sends: GRE to the client's Call ID, whole frames
 * only, repeated. */
static void
build_blast(uint16_t cid)
{
	struct pptp_gre_hdr h;
	size_t fl, k, i;
	uint8_t *p;

	memset(&h, 0, sizeof(h));
	h.call_id = cid;
	h.payload_len = (uint16_t)(P.size + 4);
	h.has_seq = 1;
	fl = RRP_FRAME_HDR_LEN + 12 + (size_t)P.size + 4;
	k = BLAST_LEN / fl;
	P.blast_len = k * fl;
	free(P.blast_buf);
	P.blast_buf = malloc(P.blast_len);
	if (P.blast_buf == NULL)
		bench_die("out of memory");
	for (i = 0, p = P.blast_buf; i < k; i++, p += fl) {
		h.seq = (uint32_t)i;
		rrp_frame_header(p, RRP_GRE, (uint16_t)(fl - RRP_FRAME_HDR_LEN));
		pptp_gre_build(p + RRP_FRAME_HDR_LEN, &h);
		p[RRP_FRAME_HDR_LEN + 12] = 0xff;
		p[RRP_FRAME_HDR_LEN + 13] = 0x03;
		p[RRP_FRAME_HDR_LEN + 14] = 0x00;
		p[RRP_FRAME_HDR_LEN + 15] = 0x01;
		memset(p + RRP_FRAME_HDR_LEN + 16, 0x5a, (size_t)P.size);
	}
}

static void
on_accept(void)
{
	for (;;) {
		int fd = accept4(P.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev;
		struct conn *c;

		if (fd < 0)
			return;
		bench_set_nodelay(fd);
		c = calloc(1, sizeof(*c));
		if (c == NULL || (c->rx = malloc(RX_LEN)) == NULL)
			bench_die("out of memory");
		c->fd = fd;
		c->st = P.raw ? C_OPEN : C_HELLO;
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(P.ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			bench_die("epoll_ctl:");
		P.sessions++;
		P.accepted++;
		if (P.raw) {
			P.open++;
			c->client_cid = P.call_id;
			call_is_up(c);
		}
	}
}

static void
measure_tick(void)
{
	uint64_t now = bench_now_us();
	unsigned long long frames;

	if (P.measure_state == 1 && now - P.first_gre_us >= (uint64_t)(P.warmup * 1e6)) {
		P.t0 = now;
		P.c0_frames = P.gre_frames;
		P.c0_bytes = P.stream_bytes;
		P.measure_state = 2;
	} else if (P.measure_state == 2 && now - P.t0 >= (uint64_t)(P.secs * 1e6)) {
		double dt = (double)(now - P.t0) / 1e6;
		unsigned long long bytes = P.stream_bytes - P.c0_bytes;

		frames = P.trunc ? bytes / (unsigned long long)P.frame_bytes : P.gre_frames - P.c0_frames;
		printf("measure frames=%llu stream_bytes=%llu secs=%.3f pps=%.0f\n", frames, bytes, dt,
		    (double)frames / dt);
		fflush(stdout);
		P.measure_state = 3;
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "trunc", no_argument, NULL, 'T' },
		{ "mode", required_argument, NULL, 'm' },
		{ "frame-bytes", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_in addr;
	const char *listen_at = NULL, *secret = NULL;
	struct epoll_event evs[256];
	struct rlimit rl;
	int opt, one = 1;
	char err[512];

	bench_prog = "bench-rrp-peer";
	P.call_id = 0x0100;
	P.size = 1400;
	P.warmup = 1;
	P.cpu = -1;
	while ((opt = getopt_long(argc, argv, "l:k:c:z:W:t:p:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l': listen_at = optarg; break;
		case 'k': secret = optarg; break;
		case 'c': P.call_id = (uint16_t)atoi(optarg); break;
		case 'z': P.size = atol(optarg); break;
		case 'W': P.warmup = atof(optarg); break;
		case 't': P.secs = atof(optarg); break;
		case 'p': P.cpu = atoi(optarg); break;
		case 'r': P.raw = 1; break;
		case 'T': P.trunc = 1; break;
		case 'f': P.frame_bytes = atol(optarg); break;
		case 'm':
			if (strcmp(optarg, "blast") == 0)
				P.blast = 1;
			else if (strcmp(optarg, "sink") != 0)
				bench_die("--mode sink|blast");
			break;
		default:
			bench_die("usage: see the comment at the top of bench-rrp-peer.c");
		}
	}
	if (listen_at == NULL || bench_parse_addr(listen_at, 0, &addr) < 0)
		bench_die("need -l ADDR:PORT");
	if (!P.raw && (secret == NULL || rrp_secret_load(secret, geteuid(), &P.secret, err, sizeof(err)) < 0))
		bench_die("need -k SECRET_FILE or --raw%s%s", secret ? ": " : "", secret ? err : "");
	if (P.trunc && P.frame_bytes <= 0)
		bench_die("--trunc needs --frame-bytes");
	bench_pin(P.cpu);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	build_blast(P.call_id);

	P.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	setsockopt(P.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (P.lfd < 0 || bind(P.lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(P.lfd, 4096) < 0)
		bench_die("listen on %s:", listen_at);
	P.ep = epoll_create1(EPOLL_CLOEXEC);
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

		epoll_ctl(P.ep, EPOLL_CTL_ADD, P.lfd, &ev);
	}
	signal(SIGUSR1, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	printf("listening %s\n", listen_at);
	fflush(stdout);

	while (!stop) {
		int n = epoll_wait(P.ep, evs, 256, 50), i;

		for (i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c == NULL) {
				on_accept();
				continue;
			}
			if ((evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && on_readable(c) < 0)
				continue;	/* closed and freed */
			if (evs[i].events & EPOLLOUT)
				on_writable(c);
		}
		if (got_usr1) {
			got_usr1 = 0;
			print_stats();
		}
		if (P.secs > 0)
			measure_tick();
	}
	print_stats();
	return 0;
}
