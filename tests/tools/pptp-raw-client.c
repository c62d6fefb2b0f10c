/*
 * pptp-raw-client - a PPTP client (PNS) for the tests, on the real wire:
 * the control connection on TCP and the call's enhanced GRE through a raw
 * IPPROTO_GRE socket, with a Call ID the test chooses.
 *
 *   pptp-raw-client [-p PORT] [-i CALL_ID] [-n ECHOES] [-m FRAMES] [-H SECONDS]
 *                   [-t SECONDS] [-M MODE] [-q] SERVER
 *   pptp-raw-client -G COUNT -i CALL_ID [-S BYTES] SERVER
 *   pptp-raw-client -M echo-flood [-F COUNT] [-R PER_SECOND] [-W] [-t SECONDS] SERVER
 *
 * Debian's pptp client picks random Call IDs and has no option to fix
 * them, so tests that need two clients with the same Call ID (or a Call ID
 * equal to one the LRP uses) use this one.  It is a test oracle: it shares
 * only the codec in common/ (PPTP messages, GRE headers) and the PPP
 * helpers of tests/tools/hdlc.c; the PNS side of PPTP and the GRE
 * sequencing are written here again from RFC 2637.
 *
 * Modes (-M):
 *   call (default)  SCCRQ/SCCRP, OCRQ with our Call ID/OCRP, Set-Link-Info
 *                   carrying the Call ID the server gave us, then over GRE
 *                   with the ppp stand-in at the far end (it speaks first):
 *                   ECHOES LCP echoes one at a time, FRAMES data frames (at
 *                   most 8 outstanding) checked byte for byte and in order,
 *                   a hold of -H seconds, then Call-Clear-Request and the
 *                   teardown.  Exit 0 if every check passed.
 *   silent          connect and say nothing;
 *   idle            SCCRQ, wait for SCCRP, then say nothing;
 *   bad-magic       a control message whose magic cookie is wrong;
 *   bad-length      a message header whose length field is 5;
 *   bad-size        an Echo-Request 4 bytes longer than its type's size;
 *                   (each bad-* message is sent right after connecting,
 *                   or after SCCRQ/SCCRP with -M bad-...:started)
 *   length-ffff     the two bytes ff ff, a length field of 65535;
 *   length-11       a Start-Control-Connection-Request whose length field
 *                   says 11;
 *   sccrq-bad-magic a Start-Control-Connection-Request with a wrong magic
 *                   cookie;
 *   ocrq-first      an Outgoing-Call-Request, before any SCCRQ;
 *                   these modes wait for the server to close the
 *                   connection: exit 0 if it did within -t seconds, and
 *                   print our TCP port, after how long, and what the
 *                   server sent meanwhile.
 *   echo-flood      a client that never reads: SCCRQ, then COUNT (-F,
 *                   10^6 by default) Echo-Requests as fast as the server
 *                   takes them, reading nothing, not even the SCCRP (with
 *                   -W, the flood starts only on SIGUSR1: a test can
 *                   first freeze the tunnel the SCCRQ opened; with -R, at
 *                   most PER_SECOND Echo-Requests a second, sent every
 *                   10 ms).  When
 *                   the server has taken nothing for 2 s it prints "held
 *                   back after N Echo-Requests" (once) and keeps trying;
 *                   it ends when all are sent ("all N sent"), when the
 *                   server closes or resets the connection, or at -t.
 *                   Exit 0 if the server ended the connection.
 *   -G COUNT        send COUNT GRE packets carrying CALL_ID to SERVER from
 *                   this host (no control connection) and exit: for
 *                   spoofed-source and unknown-Call-ID tests; with -S, data
 *                   frames of BYTES bytes instead of small LCP echoes (to
 *                   fill queues).
 *
 * Output: one summary line on stdout, "pptp-raw-client: ok; ..." or
 * "pptp-raw-client: FAILED; ...", listing the control messages received
 * ("ctrl-rx 2,8,13,3": types in arrival order, with "r" and the result code
 * for SCCRP and OCRP: "2r1").  Diagnostics on stderr unless -q.  Exit 0 if
 * the mode's goal was met, 1 if not, 2 for usage and setup errors.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hdlc.h"
#include "test-frames.h"
#include "pptp_gre.h"
#include "pptp_msg.h"
#include "rrp_number.h"

#define PROG		"pptp-raw-client"
#define DATA_MAX	1400
/* -G -S frames: another PPP protocol number, so the echoes a stand-in
 * sends back are not taken for a call's checked data frames */
#define PPP_FILL_DATA	0x0003
#define DATA_WINDOW	8
#define GRE_BUF		65536

enum mode { M_CALL, M_SILENT, M_IDLE, M_BAD_MAGIC, M_BAD_LENGTH, M_BAD_SIZE, M_LENGTH_FFFF,
	M_LENGTH_11, M_SCCRQ_BAD_MAGIC, M_OCRQ_FIRST, M_ECHO_FLOOD };

struct client {
	int		tcp, raw;
	struct in_addr	server;
	int		quiet;
	uint16_t	our_cid, srv_cid;
	/* control stream */
	uint8_t		in[4096];
	size_t		in_len;
	int		closed;		/* the server closed the connection */
	char		ctrl_rx[256];	/* "2r1,8r1,13" */
	/* GRE */
	uint32_t	tx_seq, rx_seq;
	int		have_rx_seq, ack_due;
	unsigned long	gre_rx, gre_rx_foreign;
	/* PPP */
	int		first_seen;
	int		want_echo_id, got_echo;
	unsigned	data_sent, data_next, data_ok, data_bad;
	unsigned	server_echoes;
};

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
say(struct client *c, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet)
		return;
	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

static int
send_all(int fd, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- GRE ------------------------------------------------------------- */

static int
gre_send(struct client *c, uint16_t call_id, const uint8_t *payload, size_t len)
{
	uint8_t pkt[PPTP_GRE_HDR_MAX + HDLC_FRAME_MAX];
	struct pptp_gre_hdr h = {
		.call_id = call_id, .payload_len = (uint16_t)len,
		.has_seq = len > 0, .seq = c->tx_seq,
		.has_ack = c->have_rx_seq, .ack = c->rx_seq,
	};
	size_t hl;

	if (len > HDLC_FRAME_MAX)
		return -1;
	hl = pptp_gre_build(pkt, &h);
	if (len > 0) {		/* an ack alone has no payload (NULL) */
		memcpy(pkt + hl, payload, len);
		c->tx_seq++;
	}
	c->ack_due = 0;
	return send(c->raw, pkt, hl + len, 0) < 0 ? -1 : 0;
}

static int
send_ppp(struct client *c, uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t frame[HDLC_FRAME_MAX];
	size_t n = ppp_frame_build(proto, info, len, frame, sizeof(frame));

	return n ? gre_send(c, c->srv_cid, frame, n) : -1;
}

static void
on_ppp(struct client *c, const uint8_t *frame, size_t len)
{
	const uint8_t *info;
	size_t info_len;
	uint16_t proto;

	if (ppp_frame_split(frame, len, &proto, &info, &info_len) < 0)
		return;
	c->first_seen = 1;
	if (proto == PPP_LCP && info_len >= 8 && info[0] == LCP_ECHO_REQUEST) {
		uint8_t lcp[HDLC_FRAME_MAX];

		memcpy(lcp, info, info_len);
		lcp[0] = LCP_ECHO_REPLY;
		memset(lcp + 4, 0, 4);
		c->server_echoes++;
		send_ppp(c, PPP_LCP, lcp, info_len);
	} else if (proto == PPP_LCP && info_len >= 8 && info[0] == LCP_ECHO_REPLY) {
		if (info[1] == c->want_echo_id)
			c->got_echo = 1;
	} else if (proto == PPP_TEST_DATA) {
		static uint8_t want[DATA_MAX];
		size_t want_len;

		if (c->data_next >= c->data_sent) {
			c->data_bad++;
			return;
		}
		want_len = test_frame(c->data_next, want);
		if (info_len == want_len && memcmp(info, want, want_len) == 0) {
			c->data_ok++;
		} else {
			c->data_bad++;
			say(c, "data frame %u came back wrong or out of order (%zu bytes, expected %zu)",
			    c->data_next, info_len, want_len);
		}
		c->data_next++;
	}
}

static void
gre_read(struct client *c)
{
	uint8_t buf[GRE_BUF];
	struct pptp_gre_hdr h;
	ssize_t n;
	size_t ihl;

	while ((n = recv(c->raw, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)n < ihl || buf[9] != IPPROTO_GRE ||
		    memcmp(buf + 12, &c->server, 4) != 0)
			continue;
		if (pptp_gre_parse(buf + ihl, (size_t)n - ihl, &h) < 0)
			continue;
		if (h.call_id != c->our_cid) {
			c->gre_rx_foreign++;
			continue;
		}
		c->gre_rx++;
		if (h.has_seq) {
			c->rx_seq = h.seq;
			c->have_rx_seq = 1;
			c->ack_due = 1;
		}
		if (h.payload_len > 0)
			on_ppp(c, buf + ihl + h.hdr_len, h.payload_len);
	}
}

/* ---- control ----------------------------------------------------------- */

static int
send_ctrl(struct client *c, const uint8_t *msg, size_t len)
{
	return send_all(c->tcp, msg, len);
}

static void
note_ctrl(struct client *c, const uint8_t *msg, int type)
{
	size_t used = strlen(c->ctrl_rx);
	char item[16];

	if (type == PPTP_SCCRP || type == PPTP_OCRP)
		snprintf(item, sizeof(item), "%dr%u", type,
		    type == PPTP_SCCRP ? msg[14] : msg[PPTP_OFF_OCRP_RESULT]);
	else
		snprintf(item, sizeof(item), "%d", type);
	snprintf(c->ctrl_rx + used, sizeof(c->ctrl_rx) - used, "%s%s", used ? "," : "", item);
}

/* Read what the control connection has; returns the type of a complete
 * message copied to msg (answering Echo-Requests and Stop-Control-
 * Connection-Requests on the way), 0 if none is complete yet, -1 when the
 * connection ended or broke. */
static int
ctrl_poll(struct client *c, uint8_t *msg)
{
	int len, type;

	for (;;) {
		len = pptp_msg_frame(c->in, c->in_len);
		if (len < 0) {
			say(c, "the server broke PPTP framing");
			return -1;
		}
		if (len > 0) {
			int rc = pptp_msg_check(c->in, (size_t)len, &type);

			memcpy(msg, c->in, (size_t)len);
			memmove(c->in, c->in + len, c->in_len - (size_t)len);
			c->in_len -= (size_t)len;
			if (rc < 0) {
				say(c, "malformed control message from the server: %s", pptp_msg_strerror(-rc));
				return -1;
			}
			note_ctrl(c, msg, type);
			if (type == PPTP_ECHORQ) {
				uint8_t rp[PPTP_MSG_MAX];

				send_ctrl(c, rp, pptp_build_echorp(rp, pptp_get32(msg, PPTP_OFF_ECHO_ID), 1));
				continue;
			}
			if (type == PPTP_STOPCCRQ) {
				uint8_t rp[PPTP_MSG_MAX];

				send_ctrl(c, rp, pptp_build_stopccrp(rp, 1, 0));
			}
			return type;
		}
		if (c->closed)
			return -1;
		{
			ssize_t n = recv(c->tcp, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);

			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				c->closed = 1;
				continue;
			}
			if (n < 0)
				return 0;
			c->in_len += (size_t)n;
		}
	}
}

/* Wait on both sockets until done(c) or the deadline; control messages
 * other than the one waited for are noted; a message of type want (if
 * nonzero) is copied to msg and ends the wait.  Returns 0 when done, -1 on
 * timeout, -2 when the control connection ended. */
static int
pump(struct client *c, int (*done)(struct client *), int want, uint8_t *msg, uint64_t deadline)
{
	uint8_t tmp[PPTP_MSG_MAX];

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = c->tcp, .events = POLLIN },
			{ .fd = c->raw, .events = POLLIN },
		};
		uint64_t t = now_us();
		int type;

		if (done != NULL && done(c))
			return 0;
		if (t >= deadline)
			return -1;
		poll(p, c->raw >= 0 ? 2 : 1, (int)((deadline - t) / 1000) + 1);
		if (c->raw >= 0 && (p[1].revents & POLLIN)) {
			gre_read(c);
			if (c->ack_due)
				gre_send(c, c->srv_cid, NULL, 0);
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			while ((type = ctrl_poll(c, want ? msg : tmp)) > 0) {
				if (want && type == want)
					return 0;
				if (type == PPTP_CDN || type == PPTP_STOPCCRQ) {
					say(c, "the server sent %s", pptp_ctrl_type_str(type));
					return -2;
				}
			}
			if (type < 0)
				return -2;
		}
	}
}

static int first_done(struct client *c) { return c->first_seen; }
static int echo_done(struct client *c) { return c->got_echo; }
static int window_open(struct client *c) { return c->data_sent - c->data_next < DATA_WINDOW; }
static int all_back(struct client *c) { return c->data_next == c->data_sent; }

static int
start_control(struct client *c, uint64_t deadline)
{
	uint8_t msg[PPTP_MSG_MAX];

	if (send_ctrl(c, msg, pptp_build_sccrq(msg, PROG, "pptpd-rrp tests")) < 0 ||
	    pump(c, NULL, PPTP_SCCRP, msg, deadline) < 0)
		return -1;
	if (msg[14] != 1) {
		say(c, "Start-Control-Connection-Reply result %u", msg[14]);
		return -1;
	}
	return 0;
}

/* ---- modes --------------------------------------------------------------- */

static const char *
run_call(struct client *c, long echoes, long frames, long hold_s, uint64_t deadline)
{
	uint8_t msg[PPTP_MSG_MAX];
	long i;

	if (start_control(c, deadline) < 0)
		return "no control connection";
	if (send_ctrl(c, msg, pptp_build_ocrq(msg, c->our_cid, 1, 64)) < 0 ||
	    pump(c, NULL, PPTP_OCRP, msg, deadline) < 0)
		return "no Outgoing-Call-Reply";
	c->srv_cid = pptp_get16(msg, PPTP_OFF_OCRP_CALL_ID);
	if (msg[PPTP_OFF_OCRP_RESULT] != 1)
		return "call not connected";
	if (pptp_get16(msg, PPTP_OFF_OCRP_PEER_CALL_ID) != c->our_cid)
		return "Outgoing-Call-Reply does not echo our Call ID";
	/* what pppd would make pptp send once LCP is up: the server's Call ID
	 * as we know it in the Peer Call ID field */
	if (send_ctrl(c, msg, pptp_build_sli(msg, c->srv_cid, 0xffffffffU, 0xffffffffU)) < 0)
		return "cannot send Set-Link-Info";
	if (pump(c, first_done, 0, msg, deadline) < 0)
		return "no GRE from the server's ppp";
	for (i = 1; i <= echoes; i++) {
		uint8_t lcp[8 + 16] = { LCP_ECHO_REQUEST, (uint8_t)i, 0, 24 };

		memset(lcp + 8, (int)i, 16);
		c->want_echo_id = (int)i;
		c->got_echo = 0;
		if (send_ppp(c, PPP_LCP, lcp, sizeof(lcp)) < 0 ||
		    pump(c, echo_done, 0, msg, deadline) < 0)
			return "LCP echo not answered";
	}
	for (i = 0; i < frames; i++) {
		static uint8_t payload[DATA_MAX];
		size_t len = test_frame((unsigned)i, payload);

		if (pump(c, window_open, 0, msg, deadline) < 0)
			return "data frames stopped coming back";
		if (send_ppp(c, PPP_TEST_DATA, payload, len) < 0)
			return "cannot send GRE";
		c->data_sent++;
	}
	if (pump(c, all_back, 0, msg, deadline) < 0)
		return "data frames missing";
	if (hold_s > 0 && pump(c, NULL, 0, msg, now_us() + (uint64_t)hold_s * 1000000) == -2)
		return "the call ended while held";
	/* hang up as RFC 2637 has it: Call-Clear-Request, answered with
	 * Call-Disconnect-Notify; then Stop-Control-Connection-Request,
	 * answered with its reply (both listed in ctrl-rx, not checked: the
	 * tests look at the wire and the logs) */
	if (send_ctrl(c, msg, pptp_build_ccrq(msg, c->our_cid)) == 0 &&
	    pump(c, NULL, PPTP_CDN, msg, now_us() + 2000000) == 0 &&
	    send_ctrl(c, msg, pptp_build_stopccrq(msg, 1)) == 0)
		pump(c, NULL, PPTP_STOPCCRP, msg, now_us() + 2000000);
	return NULL;
}

/* The bad-* and quiet modes: send what the mode says, then wait for the
 * server to close the connection.  Returns the ms it took, or -1. */
static long
run_until_closed(struct client *c, enum mode m, int started, uint64_t deadline)
{
	uint8_t msg[PPTP_MSG_MAX];
	uint64_t t0;
	size_t len;

	if ((started || m == M_IDLE) && start_control(c, deadline) < 0)
		return -1;
	switch (m) {
	case M_BAD_MAGIC:
		len = pptp_build_echorq(msg, 7);
		pptp_put32(msg, 4, 0xdeadbeefU);
		send_ctrl(c, msg, len);
		break;
	case M_BAD_LENGTH:
		len = pptp_build_echorq(msg, 7);
		pptp_put16(msg, 0, 5);
		send_ctrl(c, msg, len);
		break;
	case M_BAD_SIZE:
		len = pptp_build_echorq(msg, 7);
		memset(msg + len, 0, 4);
		len += 4;
		pptp_put16(msg, 0, (uint16_t)len);
		send_ctrl(c, msg, len);
		break;
	case M_LENGTH_FFFF:
		msg[0] = msg[1] = 0xff;
		send_ctrl(c, msg, 2);
		break;
	case M_LENGTH_11:
		len = pptp_build_sccrq(msg, PROG, "pptpd-rrp tests");
		pptp_put16(msg, 0, 11);
		send_ctrl(c, msg, len);
		break;
	case M_SCCRQ_BAD_MAGIC:
		len = pptp_build_sccrq(msg, PROG, "pptpd-rrp tests");
		pptp_put32(msg, 4, 0xdeadbeefU);
		send_ctrl(c, msg, len);
		break;
	case M_OCRQ_FIRST:
		send_ctrl(c, msg, pptp_build_ocrq(msg, c->our_cid, 1, 64));
		break;
	default:
		break;
	}
	t0 = now_us();
	while (!c->closed && now_us() < deadline) {
		struct pollfd p = { .fd = c->tcp, .events = POLLIN };

		poll(&p, 1, 100);
		while (ctrl_poll(c, msg) > 0)
			;
	}
	return c->closed ? (long)((now_us() - t0) / 1000) : -1;
}

/* The echo-flood mode: SCCRQ, then count Echo-Requests, never reading.
 * Returns how many ms after the SCCRQ the server ended the connection,
 * or -1 (all sent, or the deadline). */
#define FLOOD_BATCH	4096		/* Echo-Requests per send() */
#define FLOOD_HELD_MS	2000
static volatile sig_atomic_t got_usr1;

static void
on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static long
run_echo_flood(struct client *c, long count, long rate, int wait_usr1, uint64_t deadline)
{
	static uint8_t batch[FLOOD_BATCH * 16];
	uint8_t msg[PPTP_MSG_MAX];
	size_t one = pptp_build_echorq(msg, 0), off = 0, len = 0;
	uint64_t t0 = now_us(), last = t0;
	long sent = 0, i;
	int held_said = 0;

	if (one != 16 || send_ctrl(c, msg, pptp_build_sccrq(msg, PROG, "pptpd-rrp tests")) < 0) {
		printf(PROG ": echo-flood: cannot send the Start-Control-Connection-Request: %s\n", strerror(errno));
		return -1;
	}
	if (wait_usr1) {
		printf(PROG ": echo-flood: SCCRQ sent; the flood starts on SIGUSR1\n");
		fflush(stdout);
		while (!got_usr1 && now_us() < deadline)
			poll(NULL, 0, 20);
		t0 = last = now_us();
	}
	while (now_us() < deadline) {
		struct pollfd p = { .fd = c->tcp, .events = POLLOUT };
		ssize_t n;

		if (off == len) {
			long k = count - sent < FLOOD_BATCH ? count - sent : FLOOD_BATCH;

			if (rate > 0) {
				/* the batch due by now, at most */
				long due = (long)((now_us() - t0) * (uint64_t)rate / 1000000) - sent;

				if (due < k)
					k = due;
				if (k <= 0 && sent < count) {
					poll(NULL, 0, 10);
					last = now_us();
					continue;
				}
			}

			if (k == 0) {
				printf(PROG ": echo-flood: all %ld Echo-Requests sent after %lu ms\n", count,
				    (unsigned long)((now_us() - t0) / 1000));
				fflush(stdout);
				return -1;
			}
			for (i = 0; i < k; i++)
				pptp_build_echorq(batch + i * 16, (uint32_t)(sent + i + 1));
			off = 0;
			len = (size_t)k * 16;
		}
		poll(&p, 1, 100);
		n = send(c->tcp, batch + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			printf(PROG ": echo-flood: the server ended the connection (%s) after %ld Echo-Requests\n",
			    strerror(errno), sent + (long)(off / 16));
			return (long)((now_us() - t0) / 1000);
		}
		if (n > 0) {
			off += (size_t)n;
			if (off == len)
				sent += (long)(len / 16);
			last = now_us();
		} else if (!held_said && now_us() - last >= FLOOD_HELD_MS * 1000) {
			printf(PROG ": echo-flood: held back after %ld Echo-Requests (nothing taken for %d ms)\n",
			    sent + (long)(off / 16), FLOOD_HELD_MS);
			fflush(stdout);
			held_said = 1;
		}
	}
	printf(PROG ": echo-flood: the deadline came after %ld Echo-Requests\n", sent + (long)(off / 16));
	return -1;
}

static int
inject(struct client *c, long count, long size)
{
	static uint8_t data[DATA_MAX];
	uint8_t lcp[12] = { LCP_ECHO_REQUEST, 1, 0, 12, 0, 0, 0, 0, 's', 'p', 'f', 'd' };
	long i, sent = 0;

	c->srv_cid = c->our_cid;
	memset(data, 0x5a, sizeof(data));
	for (i = 0; i < count; i++)
		if ((size > 0 ? send_ppp(c, PPP_FILL_DATA, data, (size_t)size) :
		    send_ppp(c, PPP_LCP, lcp, sizeof(lcp))) == 0)
			sent++;
	printf(PROG ": %s; injected %ld/%ld GRE packets with Call ID %u to %s\n",
	    sent == count ? "ok" : "FAILED", sent, count, c->our_cid, inet_ntoa(c->server));
	return sent == count ? 0 : 1;
}

static long
number(const char *s, long lo, long hi, const char *what)
{
	long v;

	if (rrp_number_parse(s, lo, hi, &v) < 0) {
		fprintf(stderr, PROG ": %s: `%s' is not a number in %ld..%ld\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: " PROG " [-p PORT] [-i CALL_ID] [-n ECHOES] [-m FRAMES] [-H SECONDS] [-t SECONDS]\n"
	    "                       [-M call|silent|idle|bad-magic|bad-length|bad-size[:started]] [-q] SERVER\n"
	    "       " PROG " [-t SECONDS] -M length-ffff|length-11|sccrq-bad-magic|ocrq-first SERVER\n"
	    "       " PROG " -G COUNT -i CALL_ID [-S BYTES] SERVER\n"
	    "       " PROG " -M echo-flood [-F COUNT] [-R PER_SECOND] [-W] [-t SECONDS] SERVER\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	long port = 1723, echoes = 5, frames = 50, hold_s = 0, timeout_s = 10, inject_n = -1, ms;
	long inject_size = 0, flood_n = 1000000, flood_rate = 0;
	int flood_wait = 0;
	struct client c = { .tcp = -1, .raw = -1, .want_echo_id = -1 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	const char *fail = NULL, *mode_arg = "call";
	enum mode m = M_CALL;
	int opt, started = 0, have_cid = 0;
	unsigned local_port = 0;
	uint64_t deadline;

	while ((opt = getopt(argc, argv, "p:i:n:m:H:t:M:G:S:F:R:Wq")) != -1) {
		switch (opt) {
		case 'p': port = number(optarg, 1, 65535, "-p"); break;
		case 'i': c.our_cid = (uint16_t)number(optarg, 0, 65535, "-i"); have_cid = 1; break;
		case 'n': echoes = number(optarg, 0, 255, "-n"); break;
		case 'm': frames = number(optarg, 0, 1000000, "-m"); break;
		case 'H': hold_s = number(optarg, 0, 3600, "-H"); break;
		case 't': timeout_s = number(optarg, 1, 3600, "-t"); break;
		case 'G': inject_n = number(optarg, 1, 1000000, "-G"); break;
		case 'S': inject_size = number(optarg, 1, DATA_MAX, "-S"); break;
		case 'F': flood_n = number(optarg, 1, 100000000, "-F"); break;
		case 'W': flood_wait = 1; break;
		case 'R': flood_rate = number(optarg, 1, 100000000, "-R"); break;
		case 'q': c.quiet = 1; break;
		case 'M': mode_arg = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || inet_pton(AF_INET, argv[optind], &c.server) != 1)
		usage();
	{
		size_t k = strcspn(mode_arg, ":");

		if (strcmp(mode_arg + k, ":started") == 0)
			started = 1;
		else if (mode_arg[k] != '\0')
			usage();
		if (strncmp(mode_arg, "call", k) == 0 && k == 4) m = M_CALL;
		else if (strncmp(mode_arg, "silent", k) == 0 && k == 6) m = M_SILENT;
		else if (strncmp(mode_arg, "idle", k) == 0 && k == 4) m = M_IDLE;
		else if (strncmp(mode_arg, "bad-magic", k) == 0 && k == 9) m = M_BAD_MAGIC;
		else if (strncmp(mode_arg, "bad-length", k) == 0 && k == 10) m = M_BAD_LENGTH;
		else if (strncmp(mode_arg, "bad-size", k) == 0 && k == 8) m = M_BAD_SIZE;
		else if (strncmp(mode_arg, "length-ffff", k) == 0 && k == 11) m = M_LENGTH_FFFF;
		else if (strncmp(mode_arg, "length-11", k) == 0 && k == 9) m = M_LENGTH_11;
		else if (strncmp(mode_arg, "sccrq-bad-magic", k) == 0 && k == 15) m = M_SCCRQ_BAD_MAGIC;
		else if (strncmp(mode_arg, "ocrq-first", k) == 0 && k == 10) m = M_OCRQ_FIRST;
		else if (strncmp(mode_arg, "echo-flood", k) == 0 && k == 10) m = M_ECHO_FLOOD;
		else usage();
	}
	if (!have_cid) {
		srand((unsigned)(getpid() ^ now_us()));
		c.our_cid = (uint16_t)(1 + rand() % 65534);
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, on_usr1);

	/* The raw socket first: from the moment the call exists, GRE from the
	 * server must find it, or this host answers ICMP protocol-unreachable
	 * and the server clears the call.  connect() makes the kernel deliver
	 * only the server's GRE to it. */
	sin.sin_addr = c.server;
	c.raw = socket(AF_INET, SOCK_RAW, IPPROTO_GRE);
	if (c.raw < 0 || connect(c.raw, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		fprintf(stderr, PROG ": raw GRE socket: %s (needs CAP_NET_RAW)\n", strerror(errno));
		return 2;
	}
	if (inject_n > 0)
		return inject(&c, inject_n, inject_size);

	deadline = now_us() + (uint64_t)timeout_s * 1000000;
	sin.sin_port = htons((uint16_t)port);
	c.tcp = socket(AF_INET, SOCK_STREAM, 0);
	if (m == M_ECHO_FLOOD && c.tcp >= 0) {
		/* reading nothing, we let the server's answers fill the
		 * smallest window: what backs up then backs up at the server */
		int small = 4096;

		setsockopt(c.tcp, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	}
	if (c.tcp < 0 || connect(c.tcp, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		printf(PROG ": FAILED; cannot connect to %s:%ld: %s\n", argv[optind], port, strerror(errno));
		return 1;
	}

	if (m == M_CALL) {
		fail = run_call(&c, echoes, frames, hold_s, deadline + (uint64_t)hold_s * 1000000);
		if (fail == NULL && (c.data_bad > 0 || c.data_ok != (unsigned)frames))
			fail = "data frames wrong";
		printf(PROG ": %s%s; call id %u, server's (as shown to us) %u; echo %s; data %u/%ld ok, %u bad; "
		    "gre rx %lu, with another Call ID %lu; server echoes answered %u; ctrl-rx %s\n",
		    fail ? "FAILED: " : "ok", fail ? fail : "", c.our_cid, c.srv_cid,
		    c.got_echo || echoes == 0 ? "ok" : "missing", c.data_ok, frames, c.data_bad,
		    c.gre_rx, c.gre_rx_foreign, c.server_echoes, c.ctrl_rx[0] ? c.ctrl_rx : "-");
		return fail ? 1 : 0;
	}
	{
		struct sockaddr_in me;
		socklen_t len = sizeof(me);

		if (getsockname(c.tcp, (struct sockaddr *)&me, &len) == 0)
			local_port = ntohs(me.sin_port);
	}
	if (m == M_ECHO_FLOOD) {
		printf(PROG ": echo-flood from port %u\n", local_port);
		fflush(stdout);
		ms = run_echo_flood(&c, flood_n, flood_rate, flood_wait, deadline);
		if (ms < 0)
			printf(PROG ": FAILED; mode echo-flood from port %u: the server did not end the connection\n",
			    local_port);
		else
			printf(PROG ": ok; mode echo-flood from port %u: the server ended the connection %ld ms "
			    "after the flood began\n", local_port, ms);
		return ms < 0 ? 1 : 0;
	}
	ms = run_until_closed(&c, m, started, deadline);
	if (ms < 0)
		printf(PROG ": FAILED; mode %s from port %u: the server did not close the connection within %ld s; ctrl-rx %s\n",
		    mode_arg, local_port, timeout_s, c.ctrl_rx[0] ? c.ctrl_rx : "-");
	else
		printf(PROG ": ok; mode %s from port %u: the server closed the connection after %ld ms; ctrl-rx %s\n",
		    mode_arg, local_port, ms, c.ctrl_rx[0] ? c.ctrl_rx : "-");
	return ms < 0 ? 1 : 0;
}
