/*
 * rrp-fake-server - a minimal, scripted RRP for testing tunnel clients
 * (rrp-client now, the LRP's failure paths later) without pptpd.
 *
 *   rrp-fake-server -l HOST:PORT -k SECRET_FILE [--behave B] [--loop]
 *                   [--handshake-timeout SECONDS] [--idle-timeout SECONDS]
 *
 * It serves one tunnel (or one after another with --loop; SIGTERM ends it) and prints one
 * line per event on stdout ("listening 127.0.0.1:40123" first, so a test
 * can listen on port 0 and read the port back; then "accepted ...",
 * "auth ok client 192.0.2.77:40000", "sent ERROR 6 (...)", ...).
 *
 * It checks what the client sends as strictly as an RRP must
 * (doc/tunnel-protocol.md: header order TYPE, FLAGS, LENGTH; state; every
 * payload through the codec in common/) and answers with the ERROR the
 * specification names, so every rrp-client mode can be exercised.
 *
 * Behaviours (--behave):
 *   ok                full handshake, then a trivial PAC: SCCRQ -> SCCRP,
 *                     OCRQ -> OCRP (its Call ID 0x0100), then one PPTP
 *                     Echo-Request and one LCP Echo-Request in GRE; answers
 *                     LCP Echo-Requests, swallows LCP Echo-Replies and sends
 *                     every other PPP frame back with the client's Call ID
 *                     (like tests/tools/ppp-standin behind pptpctrl);
 *                     CCRQ -> Call-Disconnect-Notify; StopCCRQ -> StopCCRP
 *                     then CLOSE NORMAL
 *   full              CLOSE FULL instead of WELCOME (after verifying AUTH)
 *   refuse-auth       ERROR AUTH whatever the MAC
 *   slow              never answers HELLO (nor sends ERROR TIMEOUT)
 *   close-after-open  CLOSE PEER_GONE right after WELCOME
 *   bad-welcome       a WELCOME whose MAC is wrong (the client must refuse)
 *   deaf              as ok until the SCCRQ is answered, then reads nothing
 *                     more and sends a KEEPALIVE every second (so the
 *                     tunnel never looks idle) until the idle timeout or
 *                     until a send fails (the client gave up on us)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pptp_gre.h"
#include "pptp_msg.h"
#include "rrp-client-io.h"
#include "rrp_auth.h"
#include "rrp_number.h"
#include "rrp_proto.h"

#define PROG		"rrp-fake-server"
#define OUR_CALL_ID	0x0100
#define PPP_LCP		0xc021
#define LCP_ECHO_REQUEST 9
#define LCP_ECHO_REPLY	10
#define PPP_FRAME_MAX	8196
#define LINGER_US	(2 * 1000000ULL)
#define PPTP_ECHO_ID	0x5151

enum behave { B_OK, B_FULL, B_REFUSE_AUTH, B_SLOW, B_CLOSE_AFTER_OPEN,
	B_BAD_WELCOME, B_DEAF };

static const struct {
	const char	*name;
	enum behave	 b;
} behave_names[] = {
	{ "ok", B_OK }, { "full", B_FULL }, { "refuse-auth", B_REFUSE_AUTH },
	{ "slow", B_SLOW }, { "close-after-open", B_CLOSE_AFTER_OPEN },
	{ "bad-welcome", B_BAD_WELCOME }, { "deaf", B_DEAF },
};

struct fake {
	enum behave	behave;
	struct rrp_secret secret;
	long		handshake_s, idle_s;
	struct rcl_conn	*c;
	int		done;
	/* the call */
	int		have_call;
	uint16_t	client_cid;
	uint32_t	tx_seq;
	int		rx_have, ack_have;
	uint32_t	rx_last, ack_sent;
	unsigned long	gre_in, gre_out, bad_cid, keepalives;
};

static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
event(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static uint64_t
deadline_in(long s)
{
	return rcl_now_us() + (uint64_t)s * 1000000;
}

/* End the tunnel as the spec says: one frame, shut down our side, read
 * and discard until EOF or a short linger. */
static void
finish(struct fake *k, uint8_t type, uint16_t code, const char *text)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
	size_t n = rrp_close_encode(buf, sizeof(buf), type, code, text);
	uint64_t until = rcl_now_us() + LINGER_US;
	struct rrp_frame f;
	int c, rc;

	if (rcl_send(k->c, buf, n, until) < 0)
		event("send failed: %s", strerror(k->c->saved_errno));
	event("sent %s %u (%s)", rrp_frame_type_str(type), code,
	    type == RRP_ERROR ? rrp_strerror(code) : rrp_close_reason_str(code));
	rcl_shutdown_write(k->c);
	while ((rc = rcl_read_frame(k->c, until, &f, &c)) == RCL_FRAME)
		;
	event("%s", rc == RCL_EOF ? "client closed" : "linger over");
	k->done = 1;
}

static int
send_frame(struct fake *k, uint8_t type, const void *p, size_t len)
{
	if (rcl_send_frame(k->c, type, p, len, deadline_in(5)) < 0) {
		event("send failed: %s", strerror(k->c->saved_errno));
		k->done = 1;
		return -1;
	}
	return 0;
}

static int
send_ctrl(struct fake *k, const uint8_t *msg, size_t len)
{
	return send_frame(k, RRP_CTRL, msg, len);
}

/*
 * The next frame before deadline.  Returns 1 with *f; 0 when the tunnel
 * is over (EOF, reset, the client's CLOSE/ERROR, a bad header answered
 * with ERROR, or the deadline, answered with ERROR TIMEOUT or CLOSE IDLE
 * as in_handshake says).
 */
static int
next_frame(struct fake *k, uint64_t deadline, int in_handshake,
    struct rrp_frame *f)
{
	struct rrp_close cl;
	int code, rc;

	rc = rcl_read_frame(k->c, deadline, f, &code);
	switch (rc) {
	case RCL_FRAME:
		break;
	case RCL_EOF:
		event("eof from client%s", rcl_partial(k->c) ?
		    " inside a frame" : "");
		k->done = 1;
		return 0;
	case RCL_IOERR:
		event("recv: %s", strerror(k->c->saved_errno));
		k->done = 1;
		return 0;
	case RCL_BADFRAME:
		event("bad frame header %02x %02x %02x %02x",
		    k->c->bad_hdr[0], k->c->bad_hdr[1], k->c->bad_hdr[2],
		    k->c->bad_hdr[3]);
		finish(k, RRP_ERROR, (uint16_t)code, rrp_strerror(code));
		return 0;
	default:
		if (in_handshake)
			finish(k, RRP_ERROR, RRP_E_TIMEOUT, "handshake timeout");
		else
			finish(k, RRP_CLOSE, RRP_CLOSE_IDLE, "idle timeout");
		return 0;
	}
	if (f->type == RRP_CLOSE || f->type == RRP_ERROR) {
		if (rrp_close_decode(f, &cl) < 0)
			event("client sent a malformed %s",
			    rrp_frame_type_str(f->type));
		else
			event("client sent %s %u (\"%s\")",
			    rrp_frame_type_str(f->type), cl.code, cl.text);
		k->done = 1;
		return 0;
	}
	return 1;
}

/* ---- the trivial PAC ------------------------------------------------------- */

static void
send_ppp(struct fake *k, const uint8_t *ppp, size_t len)
{
	uint8_t pkt[PPTP_GRE_HDR_MAX + PPP_FRAME_MAX];
	struct pptp_gre_hdr h = { 0 };
	size_t hl;

	if (len > PPP_FRAME_MAX)
		return;
	h.call_id = k->client_cid;
	h.payload_len = (uint16_t)len;
	h.has_seq = 1;
	h.seq = k->tx_seq++;
	h.has_ack = k->rx_have && (!k->ack_have || k->ack_sent != k->rx_last);
	h.ack = k->rx_last;
	if (h.has_ack) {
		k->ack_have = 1;
		k->ack_sent = k->rx_last;
	}
	hl = pptp_gre_build(pkt, &h);
	memcpy(pkt + hl, ppp, len);
	if (send_frame(k, RRP_GRE, pkt, hl + len) == 0)
		k->gre_out++;
}

static void
on_gre(struct fake *k, const uint8_t *pkt, size_t len)
{
	uint8_t reply[PPP_FRAME_MAX];
	struct pptp_gre_hdr h;
	const uint8_t *ppp;
	size_t off;
	int rc = pptp_gre_parse(pkt, len, &h);

	if (rc < 0) {
		event("bad GRE: %s", pptp_gre_strerror(rc));
		finish(k, RRP_ERROR, RRP_E_PAYLOAD, pptp_gre_strerror(rc));
		return;
	}
	k->gre_in++;
	if (!k->have_call) {
		event("GRE without a call, dropped");
		return;
	}
	if (h.call_id != OUR_CALL_ID) {
		if (k->bad_cid++ == 0)
			event("GRE with call id %u, ours is %u, dropped",
			    h.call_id, OUR_CALL_ID);
		return;
	}
	if (!h.has_seq)
		return;
	k->rx_have = 1;
	k->rx_last = h.seq;
	ppp = pkt + h.hdr_len;
	off = h.payload_len >= 2 && ppp[0] == 0xff && ppp[1] == 0x03 ? 2 : 0;
	if (h.payload_len >= off + 2 + 8 && h.payload_len <= sizeof(reply) &&
	    ((ppp[off] << 8) | ppp[off + 1]) == PPP_LCP) {
		const uint8_t *lcp = ppp + off + 2;

		if (lcp[0] == LCP_ECHO_REPLY)
			return;		/* the answer to our first echo */
		if (lcp[0] == LCP_ECHO_REQUEST) {
			memcpy(reply, ppp, h.payload_len);
			reply[off + 2] = LCP_ECHO_REPLY;
			memset(reply + off + 2 + 4, 0, 4);
			send_ppp(k, reply, h.payload_len);
			return;
		}
	}
	send_ppp(k, ppp, h.payload_len);
}

/* The deaf behaviour: what the client sends from now on piles up in the
 * socket; a KEEPALIVE goes out every second, so the client's idle timer
 * never fires and only its send queue can tell it something is wrong. */
static void
be_deaf(struct fake *k)
{
	uint64_t until = deadline_in(k->idle_s);
	unsigned long sent = 0;

	event("deaf: reading nothing more, a KEEPALIVE every second");
	while (!k->done && rcl_now_us() < until) {
		usleep(1000000);
		if (send_frame(k, RRP_KEEPALIVE, NULL, 0) == 0)
			sent++;
	}
	event("deaf: %lu keepalives sent", sent);
	k->done = 1;
}

static void
on_ctrl(struct fake *k, const uint8_t *msg, size_t len)
{
	static const uint8_t first_lcp[] = {
		0xff, 0x03, 0xc0, 0x21, LCP_ECHO_REQUEST, 0x01, 0x00, 0x0c,
		0, 0, 0, 0, 'f', 'a', 'k', 'e'
	};
	uint8_t out[PPTP_MSG_MAX];
	int type, rc = pptp_msg_check(msg, len, &type);

	if (rc < 0) {
		event("bad CTRL: %s", pptp_msg_strerror(rc));
		finish(k, RRP_ERROR, RRP_E_PAYLOAD, pptp_msg_strerror(rc));
		return;
	}
	event("ctrl %s", pptp_ctrl_type_str(type));
	switch (type) {
	case PPTP_SCCRQ:
		send_ctrl(k, out, pptp_build_sccrp(out, 1, PROG, "pptpd-rrp test"));
		if (k->behave == B_DEAF)
			be_deaf(k);
		return;
	case PPTP_OCRQ:
		k->client_cid = pptp_get16(msg, PPTP_OFF_OCRQ_CALL_ID);
		k->have_call = 1;
		event("call up: client call id %u, ours %u", k->client_cid,
		    OUR_CALL_ID);
		if (send_ctrl(k, out, pptp_build_ocrp(out, OUR_CALL_ID,
		    k->client_cid, 1, 64)) < 0)
			return;
		if (send_ctrl(k, out, pptp_build_echorq(out, PPTP_ECHO_ID)) < 0)
			return;
		/* Speak first, as the stand-in behind pptpctrl does. */
		send_ppp(k, first_lcp, sizeof(first_lcp));
		return;
	case PPTP_SLI:
		event("set-link-info peer call id %u",
		    pptp_get16(msg, PPTP_OFF_SLI_PEER_CALL_ID));
		return;
	case PPTP_ECHORQ:
		send_ctrl(k, out, pptp_build_echorp(out,
		    pptp_get32(msg, PPTP_OFF_ECHO_ID), 1));
		return;
	case PPTP_ECHORP:
		event("pptp echo reply id 0x%x",
		    pptp_get32(msg, PPTP_OFF_ECHO_ID));
		return;
	case PPTP_CCRQ:
		k->have_call = 0;
		/* result 4: "request" (RFC 2637 2.13), the answer to CCRQ */
		send_ctrl(k, out, pptp_build_cdn(out, OUR_CALL_ID, 4, 0));
		return;
	case PPTP_STOPCCRQ:
		if (send_ctrl(k, out, pptp_build_stopccrp(out, 1, 0)) == 0)
			finish(k, RRP_CLOSE, RRP_CLOSE_NORMAL, "session ended");
		return;
	}
}

/* ---- one tunnel ----------------------------------------------------------- */

static void
serve(struct fake *k)
{
	struct rrp_challenge ch = { .version = RRP_VERSION_MAX };
	struct rrp_hello hello;
	struct rrp_auth auth;
	struct rrp_welcome w;
	struct rrp_frame f;
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_CHALLENGE_LEN];
	uint8_t mac[RRP_MAC_LEN];
	char addr[RRP_CLIENT_ADDR_STRLEN];
	uint64_t hs_deadline = deadline_in(k->handshake_s);
	int rc;

	/* WAIT_HELLO */
	if (k->behave == B_SLOW) {
		while (!k->done && next_frame(k, deadline_in(k->idle_s), 0, &f))
			event("%s ignored (slow)", rrp_frame_type_str(f.type));
		return;
	}
	if (!next_frame(k, hs_deadline, 1, &f))
		return;
	if ((rc = rrp_hello_decode(&f, &hello)) < 0) {
		event("bad HELLO: %s", rrp_strerror(rc));
		finish(k, RRP_ERROR, (uint16_t)-rc, rrp_strerror(rc));
		return;
	}
	event("hello versions %u..%u", hello.version_min, hello.version_max);
	if (rrp_random(ch.server_nonce, RRP_NONCE_LEN) < 0) {
		finish(k, RRP_ERROR, RRP_E_INTERNAL, "RNG failure");
		return;
	}
	if (rcl_send(k->c, buf, rrp_challenge_encode(buf, sizeof(buf), &ch),
	    hs_deadline) < 0)
		return;

	/* WAIT_AUTH */
	if (!next_frame(k, hs_deadline, 1, &f))
		return;
	if ((rc = rrp_auth_decode(&f, &auth)) < 0) {
		event("bad AUTH: %s", rrp_strerror(rc));
		finish(k, RRP_ERROR, (uint16_t)-rc, rrp_strerror(rc));
		return;
	}
	rrp_client_addr_str(&auth.client, addr, sizeof(addr));
	if (rrp_auth_mac(&k->secret, ch.version, hello.client_nonce,
	    ch.server_nonce, &auth.client, mac) < 0 ||
	    !rrp_mac_equal(mac, auth.mac) || k->behave == B_REFUSE_AUTH) {
		event("auth failed client %s", addr);
		finish(k, RRP_ERROR, RRP_E_AUTH, "");
		return;
	}
	event("auth ok client %s", addr);
	if (k->behave == B_FULL) {
		finish(k, RRP_CLOSE, RRP_CLOSE_FULL, "no free slot (fake)");
		return;
	}
	rrp_welcome_mac(&k->secret, ch.version, hello.client_nonce,
	    ch.server_nonce, w.mac);
	if (k->behave == B_BAD_WELCOME)
		w.mac[0] ^= 0x01;
	if (send_frame(k, RRP_WELCOME, w.mac, RRP_WELCOME_LEN) < 0)
		return;
	event("open");
	if (k->behave == B_CLOSE_AFTER_OPEN) {
		finish(k, RRP_CLOSE, RRP_CLOSE_PEER_GONE, "pppd went away (fake)");
		return;
	}

	/* OPEN */
	while (!k->done && next_frame(k, deadline_in(k->idle_s), 0, &f)) {
		switch (f.type) {
		case RRP_CTRL:
			on_ctrl(k, f.payload, f.len);
			break;
		case RRP_GRE:
			on_gre(k, f.payload, f.len);
			break;
		case RRP_KEEPALIVE:
			k->keepalives++;
			break;
		default:
			event("%s in the open state", rrp_frame_type_str(f.type));
			finish(k, RRP_ERROR, RRP_E_STATE, "frame not allowed "
			    "in this state");
			break;
		}
	}
}

static void
usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: " PROG " -l HOST:PORT -k SECRET_FILE "
	    "[--behave ok|full|refuse-auth|slow|close-after-open|bad-welcome|deaf] "
	    "[--loop] [--handshake-timeout SECONDS] [--idle-timeout SECONDS]\n");
	exit(2);
}

static long
number(const char *s, long lo, long hi, const char *what)
{
	long v;

	if (rrp_number_parse(s, lo, hi, &v) < 0)
		usage_error("%s: `%s' is not a number in %ld..%ld", what, s,
		    lo, hi);
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "behave", required_argument, NULL, 'b' },
		{ "loop", no_argument, NULL, 'L' },
		{ "handshake-timeout", required_argument, NULL, 'T' },
		{ "idle-timeout", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	static struct rcl_conn conn;
	struct sockaddr_storage ss, peer;
	socklen_t sslen, plen;
	struct fake k;
	const char *listen_at = NULL, *secret_path = NULL;
	char err[300], addr[RCL_ADDR_STRLEN];
	int opt, lfd, fd, loop = 0, one = 1;
	size_t i;

	memset(&k, 0, sizeof(k));
	k.handshake_s = 10;
	k.idle_s = 60;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:k:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l': listen_at = optarg; break;
		case 'k': secret_path = optarg; break;
		case 'L': loop = 1; break;
		case 'T':
			k.handshake_s = number(optarg, 1, 3600, "--handshake-timeout");
			break;
		case 'I':
			k.idle_s = number(optarg, 1, 86400, "--idle-timeout");
			break;
		case 'b':
			for (i = 0; i < sizeof(behave_names) / sizeof(behave_names[0]); i++)
				if (strcmp(optarg, behave_names[i].name) == 0)
					break;
			if (i == sizeof(behave_names) / sizeof(behave_names[0]))
				usage_error("--behave: unknown behaviour `%s'", optarg);
			k.behave = behave_names[i].b;
			break;
		case ':':
			usage_error("option `%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt != 0)
				usage_error("unknown option `-%c'", optopt);
			usage_error("unknown option `%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument `%s'", argv[optind]);
	if (listen_at == NULL || secret_path == NULL)
		usage_error("-l HOST:PORT and -k SECRET_FILE are required");
	if (rcl_parse_hostport(listen_at, &ss, &sslen) < 0)
		usage_error("-l: `%s' is not HOST:PORT", listen_at);
	if (rrp_secret_load(secret_path, geteuid(), &k.secret, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);

	lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&ss, sslen) < 0 || listen(lfd, 8) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", listen_at, strerror(errno));
		return 2;
	}
	sslen = sizeof(ss);
	getsockname(lfd, (struct sockaddr *)&ss, &sslen);
	event("listening %s", rcl_sockaddr_str((struct sockaddr *)&ss, addr,
	    sizeof(addr)));

	do {
		plen = sizeof(peer);
		fd = accept(lfd, (struct sockaddr *)&peer, &plen);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, PROG ": accept: %s\n", strerror(errno));
			break;
		}
		if (rcl_setup_fd(fd) < 0) {
			fprintf(stderr, PROG ": socket options: %s\n", strerror(errno));
			close(fd);
			continue;
		}
		event("accepted %s", rcl_sockaddr_str((struct sockaddr *)&peer,
		    addr, sizeof(addr)));
		rcl_conn_init(&conn, fd);
		k.c = &conn;
		k.done = 0;
		k.have_call = 0;
		k.tx_seq = 0;
		k.rx_have = k.ack_have = 0;
		k.gre_in = k.gre_out = k.bad_cid = k.keepalives = 0;
		serve(&k);
		close(fd);
		event("done gre in %lu out %lu keepalives %lu", k.gre_in,
		    k.gre_out, k.keepalives);
	} while (loop);
	close(lfd);
	rrp_secret_clear(&k.secret);
	return 0;
}
