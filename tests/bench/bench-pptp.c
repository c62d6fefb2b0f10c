/*
 * bench-pptp - a PPTP client (PNS) and load generator for the benchmark.
 *
 *   bench-pptp -s SERVER[:PORT] [-c CALL_ID] MODE [options]
 *
 * It speaks PPTP control over TCP (SCCRQ, OCRQ, answers Echo-Requests) and
 * sends and receives GRE through a raw IPPROTO_GRE socket in its own
 * namespace, like a real client, but without pppd, HDLC or a pty in the
 * way: the same generator drives the direct runs (to pptpd's 1723) and the
 * proxied runs (to the LRP), so neither is capped by a script or by
 * pptp-linux and the ratio compares the paths, not the clients.  At the far
 * end the server's `ppp` program is tests/tools/ppp-standin, which answers
 * LCP Echo-Requests and echoes (STANDIN_MODE=echo) or swallows (sink)
 * every other frame.
 *
 * Modes (one summary line "bench-pptp: MODE key=value ..." on stdout):
 *   lat  -n N        N LCP Echo round trips, one at a time: p50/p90/p99/max
 *                    in microseconds.
 *   tput -t SECS     closed-loop throughput: keep -w frames of -z bytes in
 *                    flight; every -b frames an LCP Echo-Request follows
 *                    them as a marker, so a sinking stand-in confirms the
 *                    frames before it (the path is FIFO) and an echoing one
 *                    confirms each frame by its echo.  Counts confirmed
 *                    frames per second after -W seconds of warm-up.
 *   arq  -t SECS     a TCP-like reliable flow over the echo: sequence-
 *                    numbered frames, the echo as the acknowledgment (one
 *                    SACK each), Reno congestion control (slow start, AIMD,
 *                    fast retransmit after 3 later frames came back, RTO
 *                    srtt+4*rttvar, at least -R ms, doubled on repeat), a
 *                    receive window of -w frames.  Goodput = in-order
 *                    bytes delivered per second.
 *   hold             set up the call, print its Call IDs, keep the control
 *                    connection until SIGTERM (for injecting GRE with
 *                    bench-gre-blast).
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
#include <sys/uio.h>
#include <unistd.h>

#include "bench-util.h"
#include "hdlc.h"
#include "pptp_gre.h"
#include "pptp_msg.h"

#define DATA_MAX	1460
#define RX_BATCH	64
#define ARQ_RING	4096	/* power of two, > any window */

enum mode { M_LAT, M_TPUT, M_ARQ, M_HOLD };

struct gen {
	struct sockaddr_in	srv;
	int			ctl, raw;
	uint16_t		my_cid, peer_cid;
	uint32_t		tx_seq, rx_seq;
	int			rx_have, ack_pending;
	uint8_t			ctl_buf[4 * PPTP_MSG_MAX];
	size_t			ctl_len;
	unsigned long		rx_frames, rx_bad, tx_frames, tx_fail;
	/* options */
	long			n, window, batch, size, rto_min_ms;
	double			secs, warmup;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* ---- control connection ------------------------------------------------ */

static int hanging_up;	/* the server may close first: not an error then */

static void
ctl_send(struct gen *g, const uint8_t *msg, size_t len)
{
	if (bench_write_all(g->ctl, msg, len) < 0 && !hanging_up)
		bench_die("control connection: write:");
}

/* Handle one control message from the server; returns its type. */
static int
ctl_handle(struct gen *g, const uint8_t *msg, size_t len)
{
	uint8_t out[PPTP_MSG_MAX];
	int type;

	if (pptp_msg_check(msg, len, &type) < 0)
		bench_die("malformed control message from the server");
	if (type == PPTP_ECHORQ)
		ctl_send(g, out, pptp_build_echorp(out, pptp_get32(msg, PPTP_OFF_ECHO_ID), 1));
	return type;
}

/* Read control messages until one of type want arrives (copied to out) or
 * the deadline; answers Echo-Requests meanwhile.  want 0: only drain what
 * is there.  Returns 0, -1 on timeout. */
static int
ctl_wait(struct gen *g, int want, uint8_t *out, uint64_t deadline)
{
	for (;;) {
		int len;

		while ((len = pptp_msg_frame(g->ctl_buf, g->ctl_len)) > 0) {
			int type = ctl_handle(g, g->ctl_buf, (size_t)len);

			if (type == want && out != NULL)
				memcpy(out, g->ctl_buf, (size_t)len);
			memmove(g->ctl_buf, g->ctl_buf + len, g->ctl_len - (size_t)len);
			g->ctl_len -= (size_t)len;
			if (type == want)
				return 0;
			if ((type == PPTP_STOPCCRQ || type == PPTP_CDN) && !hanging_up)
				bench_die("the server ended the call (%s)", pptp_ctrl_type_str(type));
		}
		if (len < 0)
			bench_die("the server broke PPTP framing");
		{
			uint64_t now = bench_now_us();
			struct pollfd p = { .fd = g->ctl, .events = POLLIN };
			ssize_t n;

			if (want == 0) {
				n = recv(g->ctl, g->ctl_buf + g->ctl_len, sizeof(g->ctl_buf) - g->ctl_len,
				    MSG_DONTWAIT);
				if (n == 0)
					bench_die("the server closed the control connection");
				if (n < 0)
					return 0;
				g->ctl_len += (size_t)n;
				continue;
			}
			if (now >= deadline)
				return -1;
			if (poll(&p, 1, (int)((deadline - now) / 1000) + 1) <= 0)
				continue;
			n = recv(g->ctl, g->ctl_buf + g->ctl_len, sizeof(g->ctl_buf) - g->ctl_len, 0);
			if (n <= 0) {
				if (hanging_up)
					return -1;
				bench_die("control connection closed by the server");
			}
			g->ctl_len += (size_t)n;
		}
	}
}

/* ---- GRE ------------------------------------------------------------------ */

/* Send one PPP frame (protocol + information) in GRE. */
static int
gre_send_ppp(struct gen *g, uint16_t proto, const uint8_t *info, size_t info_len)
{
	uint8_t hdr[PPTP_GRE_HDR_MAX], ppp[4];
	struct pptp_gre_hdr h;
	struct iovec iov[3];
	size_t hl;

	memset(&h, 0, sizeof(h));
	h.call_id = g->peer_cid;
	h.payload_len = (uint16_t)(info_len + 4);
	h.has_seq = 1;
	h.seq = g->tx_seq++;
	if (g->ack_pending) {
		h.has_ack = 1;
		h.ack = g->rx_seq;
		g->ack_pending = 0;
	}
	hl = pptp_gre_build(hdr, &h);
	ppp[0] = 0xff;
	ppp[1] = 0x03;
	ppp[2] = (uint8_t)(proto >> 8);
	ppp[3] = (uint8_t)proto;
	iov[0].iov_base = hdr;
	iov[0].iov_len = hl;
	iov[1].iov_base = ppp;
	iov[1].iov_len = 4;
	iov[2].iov_base = (void *)info;
	iov[2].iov_len = info_len;
	if (writev(g->raw, iov, 3) < 0) {
		g->tx_fail++;
		return -1;
	}
	g->tx_frames++;
	return 0;
}

static void
lcp_echo(struct gen *g, uint8_t code, uint8_t id, uint32_t data)
{
	uint8_t lcp[12] = { code, id, 0, 12, 0, 0, 0, 0 };

	lcp[8] = (uint8_t)(data >> 24);
	lcp[9] = (uint8_t)(data >> 16);
	lcp[10] = (uint8_t)(data >> 8);
	lcp[11] = (uint8_t)data;
	gre_send_ppp(g, PPP_LCP, lcp, sizeof(lcp));
}

/* What a received frame was. */
struct rx {
	uint16_t	proto;
	const uint8_t	*info;
	size_t		info_len;
};

/* One GRE packet from the raw socket, nonblocking: 1 with a PPP frame in
 * *r, 0 when nothing is there, 2 for a packet that is not for us or
 * carries no frame.  The stand-in's own Echo-Requests are answered here. */
static int
gre_recv(struct gen *g, uint8_t *buf, size_t cap, struct rx *r)
{
	struct pptp_gre_hdr h;
	ssize_t n = recv(g->raw, buf, cap, MSG_DONTWAIT);
	size_t ihl;

	if (n < 0)
		return 0;
	if (n < 20)
		return 2;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if ((size_t)n < ihl || pptp_gre_parse(buf + ihl, (size_t)n - ihl, &h) < 0 ||
	    h.call_id != g->my_cid) {
		g->rx_bad++;
		return 2;
	}
	if (h.has_seq) {
		g->rx_seq = h.seq;
		g->rx_have = 1;
		g->ack_pending = 1;
	}
	if (h.payload_len == 0)
		return 2;
	g->rx_frames++;
	if (ppp_frame_split(buf + ihl + h.hdr_len, h.payload_len, &r->proto, &r->info, &r->info_len) < 0)
		return 2;
	if (r->proto == PPP_LCP && r->info_len >= 8 && r->info[0] == LCP_ECHO_REQUEST) {
		uint8_t reply[256];
		size_t l = r->info_len < sizeof(reply) ? r->info_len : sizeof(reply);

		memcpy(reply, r->info, l);
		reply[0] = LCP_ECHO_REPLY;
		memset(reply + 4, 0, 4);
		gre_send_ppp(g, PPP_LCP, reply, l);
		return 2;
	}
	return 1;
}

static int
wait_raw(struct gen *g, int timeout_ms)
{
	struct pollfd p = { .fd = g->raw, .events = POLLIN };

	return poll(&p, 1, timeout_ms);
}

/* ---- call setup ------------------------------------------------------------ */

static void
setup_call(struct gen *g)
{
	uint8_t msg[PPTP_MSG_MAX];
	uint64_t deadline = bench_now_us() + 10 * 1000000ULL;
	struct sockaddr_in raddr;

	g->ctl = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (g->ctl < 0 || connect(g->ctl, (struct sockaddr *)&g->srv, sizeof(g->srv)) < 0)
		bench_die("connect to %s:%u:", inet_ntoa(g->srv.sin_addr), ntohs(g->srv.sin_port));
	bench_set_nodelay(g->ctl);
	g->raw = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_GRE);
	if (g->raw < 0)
		bench_die("raw GRE socket:");
	raddr = g->srv;
	raddr.sin_port = 0;
	if (connect(g->raw, (struct sockaddr *)&raddr, sizeof(raddr)) < 0)
		bench_die("raw GRE socket: connect:");
	{
		int sz = 4 * 1024 * 1024;

		setsockopt(g->raw, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		setsockopt(g->raw, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}

	ctl_send(g, msg, pptp_build_sccrq(msg, "bench-pptp", "pptpd-rrp bench"));
	if (ctl_wait(g, PPTP_SCCRP, msg, deadline) < 0)
		bench_die("no Start-Control-Connection-Reply");
	if (msg[14] != 1)
		bench_die("Start-Control-Connection-Reply result %u", msg[14]);
	ctl_send(g, msg, pptp_build_ocrq(msg, g->my_cid, 1, 64));
	if (ctl_wait(g, PPTP_OCRP, msg, deadline) < 0)
		bench_die("no Outgoing-Call-Reply");
	if (msg[PPTP_OFF_OCRP_RESULT] != 1)
		bench_die("Outgoing-Call-Reply result %u", msg[PPTP_OFF_OCRP_RESULT]);
	g->peer_cid = pptp_get16(msg, PPTP_OFF_OCRP_CALL_ID);
}

/* The stand-in speaks first (an LCP Echo-Request): the call is up. */
static void
wait_call_up(struct gen *g)
{
	uint64_t deadline = bench_now_us() + 10 * 1000000ULL;
	uint8_t buf[2048];
	struct rx r;

	while (bench_now_us() < deadline) {
		int rc;

		if (wait_raw(g, 100) <= 0)
			continue;
		while ((rc = gre_recv(g, buf, sizeof(buf), &r)) != 0)
			if (g->rx_frames > 0)
				return;
	}
	bench_die("no GRE from the server within 10 s (call Ids %u/%u)", g->my_cid, g->peer_cid);
}

/* ---- modes -------------------------------------------------------------- */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
run_lat(struct gen *g)
{
	uint32_t *rtt = calloc((size_t)g->n, sizeof(*rtt));
	uint8_t buf[2048];
	long i, got = 0, lost = 0;
	double sum = 0;

	if (rtt == NULL)
		bench_die("out of memory");
	for (i = 0; i < g->n + 200 && !stop; i++) {
		uint32_t tag = 0x4c000000u | (uint32_t)i;
		uint64_t t0 = bench_now_us(), deadline = t0 + 500000;
		int done = 0;
		struct rx r;

		lcp_echo(g, LCP_ECHO_REQUEST, (uint8_t)i, tag);
		while (!done && bench_now_us() < deadline) {
			int rc = gre_recv(g, buf, sizeof(buf), &r);

			if (rc == 0) {
				/* block, as a real client does: both paths pay
				 * this wakeup alike */
				wait_raw(g, 100);
				continue;
			}
			if (rc == 1 && r.proto == PPP_LCP && r.info_len >= 12 &&
			    r.info[0] == LCP_ECHO_REPLY &&
			    (uint32_t)(r.info[8] << 24 | r.info[9] << 16 | r.info[10] << 8 | r.info[11]) == tag)
				done = 1;
		}
		if (!done) {
			lost++;
			continue;
		}
		if (i < 200)	/* warm-up */
			continue;
		rtt[got] = (uint32_t)(bench_now_us() - t0);
		sum += rtt[got];
		got++;
		if (got % 1024 == 0)
			ctl_wait(g, 0, NULL, 0);
	}
	if (got == 0)
		bench_die("no echo came back");
	qsort(rtt, (size_t)got, sizeof(*rtt), cmp_u32);
	printf("bench-pptp: lat n=%ld lost=%ld mean_us=%.1f p50_us=%u p90_us=%u p99_us=%u max_us=%u\n",
	    got, lost, sum / (double)got, rtt[got / 2], rtt[got * 90 / 100], rtt[got * 99 / 100],
	    rtt[got - 1]);
	free(rtt);
}

static void
fill_data(uint8_t *info, size_t len, uint32_t idx)
{
	size_t k;

	info[0] = (uint8_t)(idx >> 24);
	info[1] = (uint8_t)(idx >> 16);
	info[2] = (uint8_t)(idx >> 8);
	info[3] = (uint8_t)idx;
	for (k = 4; k < len; k++)
		info[k] = (uint8_t)(k * 7 + 1);
}

static uint32_t
get_idx(const uint8_t *info)
{
	return (uint32_t)info[0] << 24 | (uint32_t)info[1] << 16 | (uint32_t)info[2] << 8 | info[3];
}

static void
run_tput(struct gen *g)
{
	uint8_t info[DATA_MAX], buf[2048];
	uint64_t start = bench_now_us(), t_measure = start + (uint64_t)(g->warmup * 1e6),
	    t_end = t_measure + (uint64_t)(g->secs * 1e6), last_progress = start;
	uint64_t sent = 0, confirmed = 0, c_at_measure = 0, lost = 0, since_marker = 0, now;
	int measuring = 0;

	while (!stop && (now = bench_now_us()) < t_end) {
		struct rx r;
		int rc, k;

		if (!measuring && now >= t_measure) {
			measuring = 1;
			c_at_measure = confirmed;
		}
		while (sent - confirmed < (uint64_t)g->window) {
			fill_data(info, (size_t)g->size, (uint32_t)sent);
			if (gre_send_ppp(g, PPP_TEST_DATA, info, (size_t)g->size) < 0)
				break;
			sent++;
			if (++since_marker >= (uint64_t)g->batch) {
				lcp_echo(g, LCP_ECHO_REQUEST, 0x42, (uint32_t)sent);
				since_marker = 0;
			}
		}
		for (k = 0; k < RX_BATCH && (rc = gre_recv(g, buf, sizeof(buf), &r)) != 0; k++) {
			uint64_t c = confirmed;

			if (rc != 1)
				continue;
			if (r.proto == PPP_TEST_DATA && r.info_len >= 4)
				c = (uint64_t)get_idx(r.info) + 1;
			else if (r.proto == PPP_LCP && r.info_len >= 12 && r.info[0] == LCP_ECHO_REPLY &&
			    r.info[1] == 0x42)
				c = get_idx(r.info + 8);
			/* indexes are 32-bit on the wire; runs stay far below */
			if (c > confirmed && c <= sent) {
				confirmed = c;
				last_progress = now;
			}
		}
		if (sent > confirmed && now - last_progress > 300000) {
			lost += sent - confirmed;	/* the path lost some */
			confirmed = sent;
			last_progress = now;
		}
		if (sent - confirmed >= (uint64_t)g->window)
			wait_raw(g, 1);
	}
	{
		double dt = g->secs;
		double fps = (double)(confirmed - c_at_measure) / dt;

		printf("bench-pptp: tput frames_per_s=%.0f mbit_per_s=%.1f size=%ld window=%ld sent=%llu "
		    "confirmed=%llu lost=%llu tx_fail=%lu\n", fps, fps * (double)g->size * 8 / 1e6, g->size,
		    g->window, (unsigned long long)sent, (unsigned long long)confirmed,
		    (unsigned long long)lost, g->tx_fail);
	}
}

/* ---- arq: a TCP-like flow (Reno with SACK-style loss detection) ---------- */

struct arq_slot {
	uint64_t	sent_us;
	uint8_t		acked, lost, rexmit, used;
};

static void
run_arq(struct gen *g)
{
	static struct arq_slot ring[ARQ_RING];
	uint8_t info[DATA_MAX], buf[2048];
	uint64_t start = bench_now_us(), t_measure = start + (uint64_t)(g->warmup * 1e6),
	    t_end = t_measure + (uint64_t)(g->secs * 1e6), now;
	uint32_t una = 0, nxt = 0, high_acked = 0, recover = 0, una_at_measure = 0;
	double cwnd = 10, ssthresh = 1e9, srtt = 0, rttvar = 0, rto = 1000000;
	unsigned long rexmits = 0, rtos = 0, fast = 0, dup_acks = 0;
	int in_recovery = 0, have_rtt = 0, measuring = 0, backoff = 0;
	double rto_min = (double)g->rto_min_ms * 1000;

	if (g->window > ARQ_RING / 2)
		g->window = ARQ_RING / 2;
	while (!stop && (now = bench_now_us()) < t_end) {
		uint32_t s, pipe = 0;
		struct rx r;
		int rc, k;

		if (!measuring && now >= t_measure) {
			measuring = 1;
			una_at_measure = una;
		}
		/* acknowledgments: each echo acknowledges its own frame */
		for (k = 0; k < RX_BATCH && (rc = gre_recv(g, buf, sizeof(buf), &r)) != 0; k++) {
			struct arq_slot *sl;
			uint32_t seq;

			if (rc != 1 || r.proto != PPP_TEST_DATA || r.info_len < 4)
				continue;
			seq = get_idx(r.info);
			if (seq - una >= nxt - una)	/* outside [una, nxt) */
				continue;
			sl = &ring[seq % ARQ_RING];
			if (sl->acked) {
				dup_acks++;
				continue;
			}
			sl->acked = 1;
			if (!sl->rexmit) {	/* Karn: no samples from retransmissions */
				double m = (double)(now - sl->sent_us);

				if (!have_rtt) {
					srtt = m;
					rttvar = m / 2;
					have_rtt = 1;
				} else {
					rttvar = 0.75 * rttvar + 0.25 * (srtt > m ? srtt - m : m - srtt);
					srtt = 0.875 * srtt + 0.125 * m;
				}
				rto = srtt + 4 * rttvar;
				if (rto < rto_min)
					rto = rto_min;
				backoff = 0;
			}
			if ((int32_t)(seq - high_acked) > 0 || high_acked == 0)
				high_acked = seq;
			if (!in_recovery) {
				if (cwnd < ssthresh)
					cwnd += 1;
				else
					cwnd += 1 / cwnd;
				if (cwnd > (double)g->window)	/* receive-window bound */
					cwnd = (double)g->window;
			}
			while (una != nxt && ring[una % ARQ_RING].acked) {
				ring[una % ARQ_RING].used = 0;
				una++;
			}
			if (in_recovery && (int32_t)(una - recover) >= 0)
				in_recovery = 0;
		}
		/* loss detection: three later frames came back (dupthresh) */
		for (s = una; (int32_t)(high_acked - s) >= 3 && s != nxt; s++) {
			struct arq_slot *sl = &ring[s % ARQ_RING];

			if (sl->acked || sl->lost || sl->rexmit)
				continue;
			sl->lost = 1;
			if (!in_recovery) {
				in_recovery = 1;
				recover = nxt;
				ssthresh = cwnd / 2 > 2 ? cwnd / 2 : 2;
				cwnd = ssthresh;
				fast++;
			}
		}
		/* retransmission timeout on the oldest frame */
		if (una != nxt && !ring[una % ARQ_RING].acked &&
		    (double)(now - ring[una % ARQ_RING].sent_us) > rto * (1 << backoff)) {
			for (s = una; s != nxt; s++)
				if (!ring[s % ARQ_RING].acked)
					ring[s % ARQ_RING].lost = 1;
			ssthresh = cwnd / 2 > 2 ? cwnd / 2 : 2;
			cwnd = 1;
			in_recovery = 1;
			recover = nxt;
			if (backoff < 6)
				backoff++;
			rtos++;
		}
		/* send: retransmissions first, then new data, within cwnd */
		for (s = una; s != nxt; s++) {
			struct arq_slot *sl = &ring[s % ARQ_RING];

			if (!sl->acked && !sl->lost)
				pipe++;
		}
		for (s = una; s != nxt && pipe < (uint32_t)cwnd; s++) {
			struct arq_slot *sl = &ring[s % ARQ_RING];

			if (sl->acked || !sl->lost)
				continue;
			fill_data(info, (size_t)g->size, s);
			if (gre_send_ppp(g, PPP_TEST_DATA, info, (size_t)g->size) < 0)
				break;
			sl->lost = 0;
			sl->rexmit = 1;
			sl->sent_us = now;
			pipe++;
			rexmits++;
		}
		while (pipe < (uint32_t)cwnd && nxt - una < (uint32_t)g->window) {
			struct arq_slot *sl = &ring[nxt % ARQ_RING];

			fill_data(info, (size_t)g->size, nxt);
			if (gre_send_ppp(g, PPP_TEST_DATA, info, (size_t)g->size) < 0)
				break;
			memset(sl, 0, sizeof(*sl));
			sl->used = 1;
			sl->sent_us = now;
			nxt++;
			pipe++;
		}
		if (pipe >= (uint32_t)cwnd || nxt - una >= (uint32_t)g->window)
			wait_raw(g, 1);
	}
	{
		double bytes = (double)(uint32_t)(una - una_at_measure) * (double)g->size;

		printf("bench-pptp: arq goodput_mbit_per_s=%.2f frames=%u size=%ld srtt_us=%.0f rto_ms=%.1f "
		    "cwnd=%.1f retransmits=%lu fast_retransmits=%lu timeouts=%lu dup=%lu una=%u nxt=%u "
		    "tx=%lu rx=%lu tx_fail=%lu\n",
		    bytes * 8 / g->secs / 1e6, (uint32_t)(una - una_at_measure), g->size, srtt, rto / 1000,
		    cwnd, rexmits, fast, rtos, dup_acks, una, nxt, g->tx_frames, g->rx_frames, g->tx_fail);
	}
}

static void
run_hold(struct gen *g)
{
	printf("bench-pptp: hold client_cid=%u peer_cid=%u\n", g->my_cid, g->peer_cid);
	fflush(stdout);
	/* the raw socket is not read any more: drop what comes, cheaply */
	close(g->raw);
	g->raw = bench_raw_gre_sink_socket();
	while (!stop) {
		struct pollfd p = { .fd = g->ctl, .events = POLLIN };

		if (poll(&p, 1, 1000) > 0)
			ctl_wait(g, 0, NULL, 0);
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench-pptp -s SERVER[:PORT] [-c CALL_ID] lat|tput|arq|hold\n"
	    "  [-n ECHOES] [-t SECS] [-W WARMUP_SECS] [-w WINDOW] [-b MARKER_EVERY] [-z SIZE] [-R RTO_MIN_MS]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct gen g;
	enum mode mode;
	uint8_t msg[PPTP_MSG_MAX];
	int opt;

	bench_prog = "bench-pptp";
	memset(&g, 0, sizeof(g));
	g.n = 20000;
	g.secs = 3;
	g.warmup = 1;
	g.window = 64;
	g.batch = 16;
	g.size = 1400;
	g.rto_min_ms = 200;
	g.my_cid = (uint16_t)(getpid() & 0x7fff) | 1;
	while ((opt = getopt(argc, argv, "s:c:n:t:W:w:b:z:R:")) != -1) {
		switch (opt) {
		case 's':
			if (bench_parse_addr(optarg, 1723, &g.srv) < 0)
				usage();
			break;
		case 'c': g.my_cid = (uint16_t)atoi(optarg); break;
		case 'n': g.n = atol(optarg); break;
		case 't': g.secs = atof(optarg); break;
		case 'W': g.warmup = atof(optarg); break;
		case 'w': g.window = atol(optarg); break;
		case 'b': g.batch = atol(optarg); break;
		case 'z': g.size = atol(optarg); break;
		case 'R': g.rto_min_ms = atol(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || g.srv.sin_family != AF_INET || g.size < 4 || g.size > DATA_MAX ||
	    g.window < 1 || g.batch < 1 || g.n < 1)
		usage();
	if (strcmp(argv[optind], "lat") == 0)
		mode = M_LAT;
	else if (strcmp(argv[optind], "tput") == 0)
		mode = M_TPUT;
	else if (strcmp(argv[optind], "arq") == 0)
		mode = M_ARQ;
	else if (strcmp(argv[optind], "hold") == 0)
		mode = M_HOLD;
	else
		usage();
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);

	setup_call(&g);
	if (mode != M_HOLD)
		wait_call_up(&g);
	switch (mode) {
	case M_LAT: run_lat(&g); break;
	case M_TPUT: run_tput(&g); break;
	case M_ARQ: run_arq(&g); break;
	case M_HOLD: run_hold(&g); break;
	}
	/* hang up as a client does: Call-Clear-Request, then Stop */
	fflush(stdout);
	hanging_up = 1;
	ctl_send(&g, msg, pptp_build_ccrq(msg, g.my_cid));
	ctl_wait(&g, PPTP_CDN, NULL, bench_now_us() + 2000000);
	ctl_send(&g, msg, pptp_build_stopccrq(msg, 1));
	ctl_wait(&g, PPTP_STOPCCRP, NULL, bench_now_us() + 2000000);
	close(g.ctl);
	fflush(stdout);
	return 0;
}
