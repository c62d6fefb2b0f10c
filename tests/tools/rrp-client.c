/*
 * rrp-client - an independent test client for the RRP built into pptpd:
 * opens ONE tunnel (doc/tunnel-protocol.md) and plays one scenario.
 *
 *   rrp-client -s HOST:PORT -k SECRET_FILE [-c CLIENT_IP:PORT] [-n ECHOES]
 *              [-m FRAMES] [-t SECONDS] [-H SECONDS] [--call-id N]
 *              [--mode MODE] [--expect EXPECTATION] [-q]
 *
 * It is the RRP's test oracle, so it shares nothing with lrp/: only the
 * codec in common/ (frames, handshake messages, PPTP messages and GRE
 * headers), which has its own unit tests, and the test payloads every test
 * client sends (test-frames.c).  Everything else - the handshake sequence,
 * the PNS side of PPTP, GRE sequencing, the PPP checks - is written here
 * again, from the specification.
 *
 * Modes: session (default) plays a whole PPTP session as the PNS against
 * pptpd's `ppp` stand-in (tests/tools/ppp-standin): control connection,
 * outgoing call, LCP echoes timed one at a time, data frames checked byte
 * for byte and in order (the patterns of tests/tools/pptp-drive.c), an
 * optional hold, and the full teardown.  The other modes break the
 * protocol in one precise way and record how the server answers:
 * wrong-secret, version:N, bad-magic, truncated, oversized, unknown-frame,
 * bad-flags, early-ctrl, stall, bad-ctrl, bad-gre, garbage-after-open.
 * seq-gap is a session that then skips one GRE sequence number and checks
 * the frame after the gap is still delivered, by the receiver's timeout.
 * flood:N is a session that, after its checks, sends N frames without
 * reading the tunnel (a slow consumer: the RRP must drop GRE, not queue it
 * without bound), then checks a PPTP Echo-Request is still answered.
 *
 * Expectations (--expect) decide the exit status: session-ok, open (the
 * handshake completed and WELCOME verified), error:NAME, close:NAME (NAME
 * from the enums of common/rrp_proto.h, or a number), eof, any (exit 0
 * whatever happened; for "the server must not crash" tests that look at
 * the server instead).  With close:IDLE the client sends no KEEPALIVE of
 * its own, so that the RRP's idle timeout can fire during -H.
 *
 * Timing: -t (default 15 s) bounds the whole run, plus -H when holding a
 * call; every wait is poll-based against that deadline.  In the open state
 * the client sends a KEEPALIVE after 20 s without sending anything (spec
 * section 9) and never answers one.  -c takes any address, port 0 and the
 * unspecified address included, so `-c 0.0.0.0:0 --expect error:ADDRESS`
 * tests the RRP's AUTH checks.
 *
 * Output: exactly one summary line on stdout, "rrp-client: ok ..." or
 * "rrp-client: FAILED ..."; diagnostics on stderr unless -q.  Exit 0 if
 * the expectation was met, 1 if not, 2 for usage and setup errors.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pptp_gre.h"
#include "pptp_msg.h"
#include "rrp-client-io.h"
#include "rrp_auth.h"
#include "rrp_proto.h"
#include "test-frames.h"

#define PROG			"rrp-client"
#define DEFAULT_CLIENT		"192.0.2.77:40000"
#define DATA_MAX		1400	/* largest test data frame (pptp-drive) */
#define DATA_WINDOW		8	/* data frames outstanding at most */
#define KEEPALIVE_INTERVAL_US	(20 * 1000000ULL)	/* spec section 9 */
#define ACK_DELAY_US		(50 * 1000ULL)	/* ack-only when nothing to send */
#define AFTER_FINAL_US		(3 * 1000000ULL) /* wait for EOF after CLOSE/ERROR */
#define TEARDOWN_STEP_US	(2 * 1000000ULL)
#define BAD_GRE_WAIT_US		(3 * 1000000ULL)
#define LINGER_US		(1 * 1000000ULL) /* after our own CLOSE/ERROR */

#define PPP_LCP			0xc021
#define PPP_TEST_DATA		0x0001	/* padding protocol, as pptp-drive */
#define PPP_FLOOD_DATA		0x0003	/* flood frames: counted, not checked */
#define LCP_ECHO_REQUEST	9
#define LCP_ECHO_REPLY		10
#define PPP_FRAME_MAX		8196	/* pptpd's PACKET_MAX */

enum mode {
	M_SESSION, M_WRONG_SECRET, M_VERSION, M_BAD_MAGIC, M_TRUNCATED,
	M_OVERSIZED, M_UNKNOWN_FRAME, M_BAD_FLAGS, M_EARLY_CTRL, M_STALL,
	M_BAD_CTRL, M_BAD_GRE, M_GARBAGE_AFTER_OPEN, M_FLOOD, M_SEQ_GAP,
};

static const struct {
	const char	*name;
	enum mode	 mode;
} mode_names[] = {
	{ "session", M_SESSION },
	{ "wrong-secret", M_WRONG_SECRET },
	{ "bad-magic", M_BAD_MAGIC },
	{ "truncated", M_TRUNCATED },
	{ "oversized", M_OVERSIZED },
	{ "unknown-frame", M_UNKNOWN_FRAME },
	{ "bad-flags", M_BAD_FLAGS },
	{ "early-ctrl", M_EARLY_CTRL },
	{ "stall", M_STALL },
	{ "bad-ctrl", M_BAD_CTRL },
	{ "bad-gre", M_BAD_GRE },
	{ "garbage-after-open", M_GARBAGE_AFTER_OPEN },
	{ "seq-gap", M_SEQ_GAP },
};

enum exp_kind { X_SESSION_OK, X_OPEN, X_ERROR, X_CLOSE, X_EOF, X_ANY };

struct expect {
	enum exp_kind	kind;
	int		code;
};

static const struct {
	const char	*name;
	int		 code;
} error_names[] = {
	{ "VERSION", RRP_E_VERSION }, { "TYPE", RRP_E_TYPE },
	{ "LENGTH", RRP_E_LENGTH }, { "FLAGS", RRP_E_FLAGS },
	{ "STATE", RRP_E_STATE }, { "AUTH", RRP_E_AUTH },
	{ "MAGIC", RRP_E_MAGIC }, { "ADDRESS", RRP_E_ADDRESS },
	{ "TIMEOUT", RRP_E_TIMEOUT }, { "PAYLOAD", RRP_E_PAYLOAD },
	{ "INTERNAL", RRP_E_INTERNAL },
}, close_names[] = {
	{ "NORMAL", RRP_CLOSE_NORMAL }, { "SHUTDOWN", RRP_CLOSE_SHUTDOWN },
	{ "IDLE", RRP_CLOSE_IDLE }, { "FULL", RRP_CLOSE_FULL },
	{ "REFUSED", RRP_CLOSE_REFUSED }, { "PEER_GONE", RRP_CLOSE_PEER_GONE },
	{ "OVERLOAD", RRP_CLOSE_OVERLOAD },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct opts {
	struct sockaddr_storage server;
	socklen_t	server_len;
	char		server_str[RCL_ADDR_STRLEN];
	const char	*secret_path;
	struct rrp_client_addr client;
	long		echoes, frames, timeout_s, hold_s;
	long		call_id;	/* -1: random */
	enum mode	mode;
	int		version_n;	/* version:N */
	long		flood_n;	/* flood:N */
	char		mode_str[32];
	struct expect	expect;
	int		expect_given;
	int		quiet;
};

/* How the tunnel ended, or what the server last did. */
enum fin_kind {
	FIN_NONE,	/* still open */
	FIN_ERROR,	/* the server sent ERROR */
	FIN_CLOSE,	/* the server sent CLOSE */
	FIN_EOF,	/* the server closed without a frame */
	FIN_RESET,	/* recv failed (connection reset) */
	FIN_TIMEOUT,	/* the server said nothing more in time */
	FIN_FRAME,	/* the server sent some other frame where we stopped */
	FIN_BROKE,	/* the server broke the protocol; we sent ERROR */
	FIN_LOCAL,	/* we ended the tunnel (CLOSE) */
};

struct session {
	uint16_t	our_cid, srv_cid;
	int		have_srv_cid;
	/* control */
	int		got_sccrp, sccrp_result;
	int		got_ocrp, ocrp_result;
	uint16_t	ocrp_peer;
	int		got_cdn, cdn_cid_bad;
	int		got_stopccrq, got_stopccrp;
	int		got_echorp;
	uint32_t	echorp_id;
	unsigned	pptp_echo_answered, ctrl_unexpected;
	/* GRE */
	uint32_t	tx_seq;
	int		rx_have;
	uint32_t	rx_last;
	int		ack_have;	/* ack_sent is meaningful */
	uint32_t	ack_sent;
	uint64_t	ack_due_us;	/* 0: no ack owed */
	int		srv_ack_have;
	uint32_t	srv_ack_last;
	unsigned long	gre_up, gre_down, seq_gaps, seq_ooo, bad_cid, bad_ack;
	unsigned long	ppp_other, ppp_short;
	/* PPP */
	int		first_seen;
	unsigned	lcp_answered;
	int		want_echo_id, got_echo;
	unsigned	data_sent, data_next, data_ok, data_bad;
	unsigned long	bytes_ok;
	unsigned	keepalives_in;
	/* flood:N */
	unsigned long	flood_sent, flood_back;
	/* seq-gap */
	long		gap_ms;		/* -1: never came back */
};

struct run {
	const struct opts *o;
	struct rcl_conn	*c;
	struct rrp_secret secret;
	uint64_t	t0_us, deadline_us, last_tx_us;
	int		no_keepalive;
	int		opened;		/* WELCOME verified */
	int		session_done;	/* every session check passed */
	int		failed;
	char		why[256];	/* first reason for failing */
	/* handshake */
	uint8_t		vmin, vmax, version;
	uint8_t		client_nonce[RRP_NONCE_LEN], server_nonce[RRP_NONCE_LEN];
	/* the end */
	enum fin_kind	fin;
	int		fin_code;
	char		fin_desc[320];
	uint64_t	fin_us;
	char		last_frame[64];	/* name of the last frame received */
	int		after_final_bad;
	char		after_final[96];
	char		teardown[160];
	const char	*phase;
	struct session	s;
};

static int quiet;

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
diag(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Record why the run fails; the first reason is the one reported. */
static void
fail(struct run *r, const char *fmt, ...)
{
	va_list ap;
	char buf[256];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag("%s", buf);
	if (!r->failed)
		snprintf(r->why, sizeof(r->why), "%s", buf);
	r->failed = 1;
}

static void
append(char *buf, size_t cap, const char *step)
{
	size_t n = strlen(buf);

	snprintf(buf + n, cap - n, "%s%s", n ? ">" : "", step);
}

static unsigned long
ms_since(const struct run *r, uint64_t t_us)
{
	return (unsigned long)((t_us - r->t0_us) / 1000);
}

/* ---- ending the tunnel ---------------------------------------------- */

static int
ended(const struct run *r)
{
	return r->fin != FIN_NONE;
}

/*
 * After the server's CLOSE or ERROR: it "sends nothing more, shuts down
 * its sending direction" (spec 8.2), so EOF must follow promptly and no
 * frame may.
 */
static void
drain_after_final(struct run *r, const char *what)
{
	uint64_t until = rcl_now_us() + AFTER_FINAL_US;
	unsigned extra = 0;
	struct rrp_frame f;
	int code, rc;

	for (;;) {
		rc = rcl_read_frame(r->c, until, &f, &code);
		if (rc == RCL_FRAME) {
			extra++;
			continue;
		}
		break;
	}
	if (rc == RCL_EOF && extra == 0 && rcl_partial(r->c) == 0) {
		snprintf(r->after_final, sizeof(r->after_final),
		    "then eof after %lu ms",
		    (unsigned long)((rcl_now_us() - r->fin_us) / 1000));
		return;
	}
	r->after_final_bad = 1;
	if (extra > 0)
		snprintf(r->after_final, sizeof(r->after_final),
		    "then %u more frame(s) after its %s", extra, what);
	else if (rc == RCL_EOF)
		snprintf(r->after_final, sizeof(r->after_final),
		    "then eof inside a frame (%zu bytes)", rcl_partial(r->c));
	else if (rc == RCL_TIMEOUT)
		snprintf(r->after_final, sizeof(r->after_final),
		    "then no eof within %llu ms",
		    (unsigned long long)(AFTER_FINAL_US / 1000));
	else if (rc == RCL_BADFRAME)
		snprintf(r->after_final, sizeof(r->after_final),
		    "then a bad frame header after its %s", what);
	else
		snprintf(r->after_final, sizeof(r->after_final),
		    "then %s", strerror(r->c->saved_errno));
	diag("server after its %s: %s", what, r->after_final);
}

/* We end the tunnel (spec 8.2): one frame, shut down our side, read and
 * discard until EOF or a short linger. */
static void
local_end(struct run *r, uint8_t type, uint16_t code, const char *text)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
	size_t n = rrp_close_encode(buf, sizeof(buf), type, code, text);
	uint64_t until = rcl_now_us() + LINGER_US;
	struct rrp_frame f;
	int c;

	diag("sending %s %u (%s)", rrp_frame_type_str(type), code,
	    text ? text : "");
	if (n > 0)
		(void)rcl_send(r->c, buf, n, until);
	rcl_shutdown_write(r->c);
	while (rcl_read_frame(r->c, until, &f, &c) == RCL_FRAME)
		;
}

static void
set_fin(struct run *r, enum fin_kind k, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
set_fin(struct run *r, enum fin_kind k, int code, const char *fmt, ...)
{
	va_list ap;

	if (ended(r))
		return;
	r->fin = k;
	r->fin_code = code;
	r->fin_us = rcl_now_us();
	va_start(ap, fmt);
	vsnprintf(r->fin_desc, sizeof(r->fin_desc), fmt, ap);
	va_end(ap);
	diag("server: %s", r->fin_desc);
}

/* The server broke the protocol: answer as the spec says (ERROR with the
 * code, then close), and remember what it did. */
static void
server_broke(struct run *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
server_broke(struct run *r, int code, const char *fmt, ...)
{
	va_list ap;
	char buf[240];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	set_fin(r, FIN_BROKE, code, "%s (we sent ERROR %d)", buf, code);
	fail(r, "server broke the protocol: %s", buf);
	local_end(r, RRP_ERROR, (uint16_t)code, buf);
}

/* A CLOSE or ERROR from the server. */
static void
server_closed(struct run *r, const struct rrp_frame *f)
{
	struct rrp_close cl;
	int rc = rrp_close_decode(f, &cl);
	int is_err = f->type == RRP_ERROR;

	if (rc < 0) {
		server_broke(r, -rc, "malformed %s frame: %s",
		    rrp_frame_type_str(f->type), rrp_strerror(rc));
		return;
	}
	set_fin(r, is_err ? FIN_ERROR : FIN_CLOSE, cl.code, "%s %u (%s: \"%s\")",
	    is_err ? "ERROR" : "CLOSE", (unsigned)cl.code,
	    is_err ? rrp_strerror(cl.code) : rrp_close_reason_str(cl.code),
	    cl.text);
	drain_after_final(r, is_err ? "ERROR" : "CLOSE");
}

/* Not a frame: EOF, reset, a bad header, or nothing in time. */
static void
server_nonframe(struct run *r, int rc, int code)
{
	const uint8_t *h = r->c->bad_hdr;

	switch (rc) {
	case RCL_EOF:
		if (rcl_partial(r->c) > 0)
			set_fin(r, FIN_EOF, 0, "eof inside a frame (%zu bytes "
			    "of it)", rcl_partial(r->c));
		else
			set_fin(r, FIN_EOF, 0, "eof");
		break;
	case RCL_IOERR:
		set_fin(r, FIN_RESET, 0, "%s", strerror(r->c->saved_errno));
		break;
	case RCL_BADFRAME:
		server_broke(r, code, "bad frame header %02x %02x %02x %02x: %s",
		    h[0], h[1], h[2], h[3], rrp_strerror(code));
		break;
	default:
		set_fin(r, FIN_TIMEOUT, 0, "nothing within %lu ms%s%s",
		    ms_since(r, rcl_now_us()),
		    r->last_frame[0] ? "; last " : "", r->last_frame);
		local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": timed out");
		break;
	}
}

/* Wait for the server to end the tunnel (or say anything) after a probe. */
static void
await_end(struct run *r, uint64_t deadline)
{
	struct rrp_frame f;
	int code, rc;

	rc = rcl_read_frame(r->c, deadline, &f, &code);
	if (rc != RCL_FRAME) {
		server_nonframe(r, rc, code);
		return;
	}
	if (f.type == RRP_CLOSE || f.type == RRP_ERROR) {
		server_closed(r, &f);
		return;
	}
	set_fin(r, FIN_FRAME, f.type, "%s (%u bytes)",
	    rrp_frame_type_str(f.type), (unsigned)f.len);
	local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": test over");
}

/* ---- sending ----------------------------------------------------------- */

static int
send_raw(struct run *r, const void *buf, size_t len)
{
	int rc;

	if (ended(r))
		return -1;
	rc = rcl_send(r->c, buf, len, r->deadline_us);
	if (rc < 0) {
		set_fin(r, rc == -2 ? FIN_TIMEOUT : FIN_RESET, 0, "%s",
		    rc == -2 ? "not reading (send timed out)" :
		    strerror(r->c->saved_errno));
		fail(r, "send failed during %s", r->phase);
		return -1;
	}
	r->last_tx_us = rcl_now_us();
	return 0;
}

static int
send_frame(struct run *r, uint8_t type, const void *payload, size_t len)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_FRAME_MAX];

	rrp_frame_header(buf, type, (uint16_t)len);
	memcpy(buf + RRP_FRAME_HDR_LEN, payload, len);
	return send_raw(r, buf, RRP_FRAME_HDR_LEN + len);
}

static int
send_ctrl(struct run *r, const uint8_t *msg, size_t len)
{
	int t = len >= 10 ? pptp_get16(msg, 8) : 0;

	diag("-> CTRL %s", pptp_ctrl_type_str(t));
	return send_frame(r, RRP_CTRL, msg, len);
}

/* One GRE packet to the server: its Call ID, our next sequence number,
 * and an ack of the highest sequence number received when that is news. */
static int
send_gre(struct run *r, const uint8_t *ppp, size_t len)
{
	struct session *s = &r->s;
	uint8_t pkt[PPTP_GRE_HDR_MAX + PPP_FRAME_MAX];
	struct pptp_gre_hdr h = { 0 };
	size_t hl;

	h.call_id = s->srv_cid;
	h.payload_len = (uint16_t)len;
	h.has_seq = ppp != NULL;
	h.seq = s->tx_seq;
	h.has_ack = s->rx_have && (!s->ack_have || s->ack_sent != s->rx_last);
	h.ack = s->rx_last;
	if (!h.has_seq && !h.has_ack) {
		s->ack_due_us = 0;
		return 0;
	}
	hl = pptp_gre_build(pkt, &h);
	if (len > 0)
		memcpy(pkt + hl, ppp, len);
	if (send_frame(r, RRP_GRE, pkt, hl + len) < 0)
		return -1;
	if (h.has_seq)
		s->tx_seq++;
	if (h.has_ack) {
		s->ack_have = 1;
		s->ack_sent = s->rx_last;
		s->ack_due_us = 0;
	}
	s->gre_up++;
	return 0;
}

static int
send_ppp(struct run *r, uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t frame[PPP_FRAME_MAX];

	if (len + 4 > sizeof(frame))
		return -1;
	frame[0] = 0xff;
	frame[1] = 0x03;
	frame[2] = (uint8_t)(proto >> 8);
	frame[3] = (uint8_t)proto;
	memcpy(frame + 4, info, len);
	return send_gre(r, frame, len + 4);
}

/* ---- what the server sends in the open state ----------------------------- */

static void
on_ppp(struct run *r, const uint8_t *frame, size_t len)
{
	struct session *s = &r->s;
	const uint8_t *info;
	size_t off = 0, info_len;
	uint16_t proto;

	if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03)
		off = 2;
	if (len < off + 1 || ((frame[off] & 1) == 0 && len < off + 2)) {
		s->ppp_short++;
		return;
	}
	if (frame[off] & 1) {		/* compressed protocol field */
		proto = frame[off];
		off += 1;
	} else {
		proto = (uint16_t)(frame[off] << 8 | frame[off + 1]);
		off += 2;
	}
	info = frame + off;
	info_len = len - off;
	s->first_seen = 1;

	if (proto == PPP_LCP && info_len >= 8 && info[0] == LCP_ECHO_REQUEST &&
	    info_len + 4 <= PPP_FRAME_MAX) {
		uint8_t lcp[PPP_FRAME_MAX];

		memcpy(lcp, info, info_len);
		lcp[0] = LCP_ECHO_REPLY;
		memset(lcp + 4, 0, 4);	/* magic number: none negotiated */
		s->lcp_answered++;
		(void)send_ppp(r, PPP_LCP, lcp, info_len);
		return;
	}
	if (proto == PPP_LCP && info_len >= 8 && info[0] == LCP_ECHO_REPLY) {
		uint8_t want[16];

		test_echo_data(info[1], want);
		if (s->want_echo_id == info[1] && info_len == 8 + 16 &&
		    memcmp(info + 8, want, 16) == 0)
			s->got_echo = 1;
		else
			diag("unexpected LCP Echo-Reply id %u (%zu bytes)",
			    info[1], info_len);
		return;
	}
	if (proto == PPP_FLOOD_DATA) {
		s->flood_back++;
		return;
	}
	if (proto == PPP_TEST_DATA) {
		static uint8_t want[DATA_MAX];
		size_t want_len;

		if (s->data_next >= s->data_sent) {
			s->data_bad++;
			diag("a data frame came back that was never sent");
			return;
		}
		want_len = test_frame(s->data_next, want);
		if (info_len == want_len && memcmp(info, want, want_len) == 0) {
			s->data_ok++;
			s->bytes_ok += info_len;
		} else {
			s->data_bad++;
			diag("data frame %u came back wrong or out of order "
			    "(%zu bytes, expected %zu)", s->data_next, info_len,
			    want_len);
		}
		s->data_next++;
		return;
	}
	s->ppp_other++;
	diag("PPP frame with protocol 0x%04x (%zu bytes) ignored", proto,
	    info_len);
}

static int
seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static void
on_gre(struct run *r, const uint8_t *pkt, size_t len)
{
	struct session *s = &r->s;
	struct pptp_gre_hdr h;
	int rc = pptp_gre_parse(pkt, len, &h);

	if (rc < 0) {
		server_broke(r, RRP_E_PAYLOAD, "bad GRE packet: %s",
		    pptp_gre_strerror(rc));
		return;
	}
	s->gre_down++;
	if (h.call_id != s->our_cid) {
		if (s->bad_cid++ == 0)
			diag("GRE with Call ID %u, ours is %u", h.call_id,
			    s->our_cid);
		return;
	}
	if (h.has_ack) {
		/* Only what we sent can be acknowledged, and acks only move
		 * forward. */
		if (s->tx_seq == 0 || seq_after(h.ack, s->tx_seq - 1) ||
		    (s->srv_ack_have && seq_after(s->srv_ack_last, h.ack))) {
			if (s->bad_ack++ == 0)
				diag("GRE ack %u: we sent up to %u, last ack %u",
				    h.ack, s->tx_seq - 1, s->srv_ack_last);
		} else {
			s->srv_ack_have = 1;
			s->srv_ack_last = h.ack;
		}
	}
	if (!h.has_seq)
		return;
	if (!s->rx_have) {
		if (h.seq != 0)
			diag("first GRE sequence number from the server is %u, "
			    "not 0", h.seq);
	} else if (!seq_after(h.seq, s->rx_last)) {
		/* A duplicate or an old packet: a PPTP receiver drops it. */
		if (s->seq_ooo++ == 0)
			diag("GRE sequence %u after %u (duplicate or out of "
			    "order)", h.seq, s->rx_last);
		return;
	} else if (h.seq - s->rx_last > 1) {
		s->seq_gaps += h.seq - s->rx_last - 1;
	}
	s->rx_have = 1;
	s->rx_last = h.seq;
	if (s->ack_due_us == 0)
		s->ack_due_us = rcl_now_us() + ACK_DELAY_US;
	on_ppp(r, pkt + h.hdr_len, h.payload_len);
}

static void
on_ctrl(struct run *r, const uint8_t *msg, size_t len)
{
	struct session *s = &r->s;
	uint8_t out[PPTP_MSG_MAX];
	int type, rc;

	rc = pptp_msg_check(msg, len, &type);
	if (rc < 0) {
		server_broke(r, RRP_E_PAYLOAD, "bad CTRL (%s): %s",
		    pptp_ctrl_type_str(type), pptp_msg_strerror(rc));
		return;
	}
	diag("<- CTRL %s", pptp_ctrl_type_str(type));
	snprintf(r->last_frame, sizeof(r->last_frame), "CTRL %s",
	    pptp_ctrl_type_str(type));
	switch (type) {
	case PPTP_SCCRP:
		if (s->got_sccrp)
			goto unexpected;
		s->got_sccrp = 1;
		s->sccrp_result = msg[14];
		return;
	case PPTP_OCRP:
		if (s->got_ocrp)
			goto unexpected;
		s->got_ocrp = 1;
		s->ocrp_result = msg[PPTP_OFF_OCRP_RESULT];
		s->ocrp_peer = pptp_get16(msg, PPTP_OFF_OCRP_PEER_CALL_ID);
		s->srv_cid = pptp_get16(msg, PPTP_OFF_OCRP_CALL_ID);
		s->have_srv_cid = 1;
		return;
	case PPTP_ECHORQ:
		pptp_build_echorp(out, pptp_get32(msg, PPTP_OFF_ECHO_ID), 1);
		s->pptp_echo_answered++;
		(void)send_ctrl(r, out, pptp_msg_size(PPTP_ECHORP));
		return;
	case PPTP_ECHORP:
		s->got_echorp = 1;
		s->echorp_id = pptp_get32(msg, PPTP_OFF_ECHO_ID);
		return;
	case PPTP_CDN:
		s->got_cdn = 1;
		if (!s->have_srv_cid ||
		    pptp_get16(msg, PPTP_OFF_CDN_CALL_ID) != s->srv_cid)
			s->cdn_cid_bad = 1;
		append(r->teardown, sizeof(r->teardown), "CDN");
		return;
	case PPTP_STOPCCRQ:
		s->got_stopccrq = 1;
		append(r->teardown, sizeof(r->teardown), "server-StopCCRQ");
		pptp_build_stopccrp(out, 1, 0);
		(void)send_ctrl(r, out, pptp_msg_size(PPTP_STOPCCRP));
		return;
	case PPTP_STOPCCRP:
		s->got_stopccrp = 1;
		append(r->teardown, sizeof(r->teardown), "StopCCRP");
		return;
	case PPTP_WEN:
		return;		/* a PAC may report errors at any time */
	}
unexpected:
	/* Well-formed but not what a PAC sends a PNS at this point. */
	s->ctrl_unexpected++;
	fail(r, "server sent an unexpected %s", pptp_ctrl_type_str(type));
}

/* One frame in the open state. */
static void
on_frame(struct run *r, const struct rrp_frame *f)
{
	snprintf(r->last_frame, sizeof(r->last_frame), "%s",
	    rrp_frame_type_str(f->type));
	switch (f->type) {
	case RRP_CTRL:
		on_ctrl(r, f->payload, f->len);
		return;
	case RRP_GRE:
		on_gre(r, f->payload, f->len);
		return;
	case RRP_KEEPALIVE:
		r->s.keepalives_in++;	/* never answered (spec 9) */
		return;
	case RRP_CLOSE:
	case RRP_ERROR:
		server_closed(r, f);
		return;
	}
	server_broke(r, RRP_E_STATE, "%s in the open state",
	    rrp_frame_type_str(f->type));
}

/* Timers of the open state: the delayed ack and our keepalive. */
static uint64_t
next_timer(struct run *r, uint64_t deadline)
{
	uint64_t t = deadline;

	if (r->s.ack_due_us && r->s.ack_due_us < t)
		t = r->s.ack_due_us;
	if (!r->no_keepalive && r->opened &&
	    r->last_tx_us + KEEPALIVE_INTERVAL_US < t)
		t = r->last_tx_us + KEEPALIVE_INTERVAL_US;
	return t;
}

static void
run_timers(struct run *r)
{
	uint64_t now = rcl_now_us();

	if (r->s.ack_due_us && now >= r->s.ack_due_us)
		(void)send_gre(r, NULL, 0);	/* ack-only */
	if (!ended(r) && !r->no_keepalive && r->opened &&
	    now >= r->last_tx_us + KEEPALIVE_INTERVAL_US) {
		uint8_t ka[RRP_FRAME_HDR_LEN];

		diag("-> KEEPALIVE");
		(void)send_raw(r, ka, rrp_keepalive_encode(ka, sizeof(ka)));
	}
}

/* Handle frames until done(r), the tunnel ends (-2) or deadline (-1). */
static int
pump_until(struct run *r, int (*done)(struct run *), uint64_t deadline)
{
	struct rrp_frame f;
	int code, rc;

	if (deadline > r->deadline_us)
		deadline = r->deadline_us;
	while (!ended(r) && !done(r)) {
		rc = rcl_read_frame(r->c, next_timer(r, deadline), &f, &code);
		if (rc == RCL_FRAME) {
			on_frame(r, &f);
			continue;
		}
		if (rc != RCL_TIMEOUT) {
			server_nonframe(r, rc, code);
			break;
		}
		if (rcl_now_us() >= deadline)
			return -1;
		run_timers(r);
	}
	return ended(r) ? -2 : 0;
}

static int got_sccrp(struct run *r) { return r->s.got_sccrp; }
static int got_ocrp(struct run *r) { return r->s.got_ocrp; }
static int first_seen(struct run *r) { return r->s.first_seen; }
static int got_echo(struct run *r) { return r->s.got_echo; }
static int got_echorp(struct run *r) { return r->s.got_echorp; }
static int never(struct run *r) { (void)r; return 0; }
static int window_open(struct run *r)
{
	return r->s.data_sent - r->s.data_next < DATA_WINDOW;
}
static int all_back(struct run *r)
{
	return r->s.data_next == r->s.data_sent;
}
static int cdn_or_stop(struct run *r)
{
	return r->s.got_cdn || r->s.got_stopccrq;
}
static int got_stopccrp(struct run *r) { return r->s.got_stopccrp; }

/* A phase that did not complete: say why, unless the tunnel's end does. */
static void
phase_failed(struct run *r, int rc)
{
	if (rc == -1)
		fail(r, "timed out %s", r->phase);
	else
		fail(r, "tunnel ended %s: %s", r->phase, r->fin_desc);
}

/* ---- handshake ------------------------------------------------------------ */

enum hello_twist { HELLO_PLAIN, HELLO_BAD_MAGIC, HELLO_BAD_FLAGS,
	HELLO_TRUNCATED };

static int
send_hello(struct run *r, uint8_t vmin, uint8_t vmax, enum hello_twist tw)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_HELLO_LEN];
	struct rrp_hello h = { .version_min = vmin, .version_max = vmax };
	size_t n;

	if (rrp_random(r->client_nonce, RRP_NONCE_LEN) < 0) {
		fail(r, "RAND_bytes failed");
		return -1;
	}
	memcpy(h.client_nonce, r->client_nonce, RRP_NONCE_LEN);
	r->vmin = vmin;
	r->vmax = vmax;
	n = rrp_hello_encode(buf, sizeof(buf), &h);
	switch (tw) {
	case HELLO_PLAIN:
		break;
	case HELLO_BAD_MAGIC:
		memcpy(buf + RRP_FRAME_HDR_LEN, "XXXX", 4);
		break;
	case HELLO_BAD_FLAGS:
		buf[1] = 0x01;
		break;
	case HELLO_TRUNCATED:
		n = 20;
		break;
	}
	diag("-> HELLO versions %u..%u%s", vmin, vmax,
	    tw == HELLO_BAD_MAGIC ? ", magic XXXX" :
	    tw == HELLO_BAD_FLAGS ? ", frame flags 0x01" :
	    tw == HELLO_TRUNCATED ? ", first 20 bytes only" : "");
	return send_raw(r, buf, n);
}

/* The next handshake frame, which must be of type want; anything else
 * ends the tunnel (recorded).  Returns 0 with *f, or -1. */
static int
await_handshake(struct run *r, uint8_t want, struct rrp_frame *f)
{
	int code, rc;

	rc = rcl_read_frame(r->c, r->deadline_us, f, &code);
	if (rc != RCL_FRAME) {
		server_nonframe(r, rc, code);
		return -1;
	}
	snprintf(r->last_frame, sizeof(r->last_frame), "%s",
	    rrp_frame_type_str(f->type));
	if (f->type == RRP_CLOSE || f->type == RRP_ERROR) {
		server_closed(r, f);
		return -1;
	}
	if (f->type != want) {
		server_broke(r, RRP_E_STATE, "%s while waiting for %s",
		    rrp_frame_type_str(f->type), rrp_frame_type_str(want));
		return -1;
	}
	return 0;
}

static int
await_challenge(struct run *r)
{
	struct rrp_challenge ch;
	struct rrp_frame f;
	int rc;

	if (await_handshake(r, RRP_CHALLENGE, &f) < 0)
		return -1;
	if ((rc = rrp_challenge_decode(&f, &ch)) < 0 &&
	    rc != -RRP_E_VERSION) {
		server_broke(r, -rc, "bad CHALLENGE: %s", rrp_strerror(rc));
		return -1;
	}
	/* Judge the version against our own offer, not the codec's range:
	 * version:N offers N. */
	if (ch.version < r->vmin || ch.version > r->vmax) {
		server_broke(r, RRP_E_VERSION, "CHALLENGE chose version %u, "
		    "we offered %u..%u", ch.version, r->vmin, r->vmax);
		return -1;
	}
	r->version = ch.version;
	memcpy(r->server_nonce, ch.server_nonce, RRP_NONCE_LEN);
	diag("<- CHALLENGE version %u", ch.version);
	return 0;
}

static int
send_auth(struct run *r, const struct rrp_secret *secret)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_AUTH_LEN_V6];
	struct rrp_auth a;
	char addr[RRP_CLIENT_ADDR_STRLEN];
	size_t n;

	memset(&a, 0, sizeof(a));
	a.client = r->o->client;
	if (rrp_auth_mac(secret, r->version, r->client_nonce, r->server_nonce,
	    &a.client, a.mac) < 0) {
		fail(r, "cannot compute the AUTH MAC");
		return -1;
	}
	n = rrp_auth_encode(buf, sizeof(buf), &a);
	diag("-> AUTH client %s", rrp_client_addr_str(&a.client, addr,
	    sizeof(addr)));
	return send_raw(r, buf, n);
}

static int
await_welcome(struct run *r, const struct rrp_secret *secret)
{
	struct rrp_welcome w;
	struct rrp_frame f;
	uint8_t want[RRP_MAC_LEN];
	int rc;

	if (await_handshake(r, RRP_WELCOME, &f) < 0)
		return -1;
	if ((rc = rrp_welcome_decode(&f, &w)) < 0) {
		server_broke(r, -rc, "bad WELCOME: %s", rrp_strerror(rc));
		return -1;
	}
	if (rrp_welcome_mac(secret, r->version, r->client_nonce,
	    r->server_nonce, want) < 0 || !rrp_mac_equal(want, w.mac)) {
		if (r->o->mode == M_WRONG_SECRET) {
			/* We hold the wrong secret: any WELCOME is the bug. */
			set_fin(r, FIN_FRAME, RRP_WELCOME,
			    "WELCOME (it accepted a wrong secret)");
			local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": test over");
			return -1;
		}
		server_broke(r, RRP_E_AUTH, "WELCOME MAC did not verify");
		return -1;
	}
	diag("<- WELCOME (MAC verified)");
	r->opened = 1;
	return 0;
}

/* HELLO .. WELCOME; 0 when the tunnel is open. */
static int
handshake(struct run *r, const struct rrp_secret *secret, uint8_t vmin,
    uint8_t vmax)
{
	r->phase = "in the handshake";
	if (send_hello(r, vmin, vmax, HELLO_PLAIN) < 0 ||
	    await_challenge(r) < 0 || send_auth(r, secret) < 0 ||
	    await_welcome(r, secret) < 0)
		return -1;
	return 0;
}

/* ---- the PPTP session ------------------------------------------------------ */

static int
start_control(struct run *r)
{
	uint8_t msg[PPTP_MSG_MAX];
	int rc;

	r->phase = "waiting for Start-Control-Connection-Reply";
	if (send_ctrl(r, msg, pptp_build_sccrq(msg, "rrp-client", PROG)) < 0)
		return -1;
	if ((rc = pump_until(r, got_sccrp, r->deadline_us)) < 0) {
		phase_failed(r, rc);
		return -1;
	}
	if (r->s.sccrp_result != 1) {
		fail(r, "Start-Control-Connection-Reply result %d",
		    r->s.sccrp_result);
		return -1;
	}
	return 0;
}

static int
place_call(struct run *r)
{
	struct session *s = &r->s;
	uint8_t msg[PPTP_MSG_MAX];
	int rc;

	r->phase = "waiting for Outgoing-Call-Reply";
	if (send_ctrl(r, msg, pptp_build_ocrq(msg, s->our_cid, 1, 64)) < 0)
		return -1;
	if ((rc = pump_until(r, got_ocrp, r->deadline_us)) < 0) {
		phase_failed(r, rc);
		return -1;
	}
	diag("Outgoing-Call-Reply: result %d, call id %u, peer call id %u",
	    s->ocrp_result, s->srv_cid, s->ocrp_peer);
	if (s->ocrp_result != 1) {
		fail(r, "Outgoing-Call-Reply result %d", s->ocrp_result);
		return -1;
	}
	if (s->ocrp_peer != s->our_cid) {
		fail(r, "Outgoing-Call-Reply peer call id %u, ours is %u",
		    s->ocrp_peer, s->our_cid);
		return -1;
	}
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Echo round trips and data frames; rtt gets one entry per echo. */
static int
exchange(struct run *r, uint64_t *rtt, long *echoes_ok)
{
	struct session *s = &r->s;
	long i;
	int rc;

	r->phase = "waiting for the stand-in's first LCP frame";
	if ((rc = pump_until(r, first_seen, r->deadline_us)) < 0)
		goto fail;

	r->phase = "waiting for an LCP Echo-Reply";
	for (i = 0; i < r->o->echoes; i++) {
		int id = (int)(i % 255) + 1;
		uint8_t lcp[8 + 16] = { LCP_ECHO_REQUEST, (uint8_t)id, 0, 24 };
		uint64_t t0 = rcl_now_us();

		test_echo_data(id, lcp + 8);
		s->want_echo_id = id;
		s->got_echo = 0;
		if (send_ppp(r, PPP_LCP, lcp, sizeof(lcp)) < 0) {
			rc = -2;
			goto fail;
		}
		if ((rc = pump_until(r, got_echo, r->deadline_us)) < 0)
			goto fail;
		rtt[(*echoes_ok)++] = rcl_now_us() - t0;
	}
	s->want_echo_id = -1;

	r->phase = "waiting for data frames to come back";
	for (i = 0; i < r->o->frames; i++) {
		static uint8_t payload[DATA_MAX];
		size_t len = test_frame((unsigned)i, payload);

		if ((rc = pump_until(r, window_open, r->deadline_us)) < 0)
			goto fail;
		if (send_ppp(r, PPP_TEST_DATA, payload, len) < 0) {
			rc = -2;
			goto fail;
		}
		s->data_sent++;
	}
	if ((rc = pump_until(r, all_back, r->deadline_us)) < 0)
		goto fail;
	return 0;
fail:
	phase_failed(r, rc);
	return -1;
}

/* Call-Clear-Request, then Stop-Control-Connection-Request while the
 * control connection lasts, then the RRP ends the tunnel. */
static void
teardown(struct run *r)
{
	struct session *s = &r->s;
	uint8_t msg[PPTP_MSG_MAX];
	uint64_t step;
	int rc;

	r->phase = "in the teardown";
	append(r->teardown, sizeof(r->teardown), "CCRQ");
	if (send_ctrl(r, msg, pptp_build_ccrq(msg, s->our_cid)) < 0)
		goto out;
	/* The server may answer with Call-Disconnect-Notify, or (stock
	 * pptpctrl) end the control connection at once. */
	step = rcl_now_us() + TEARDOWN_STEP_US;
	rc = pump_until(r, cdn_or_stop, step);
	if (rc == -2)
		goto out;
	if (rc == -1 && rcl_now_us() >= r->deadline_us) {
		fail(r, "timed out in the teardown after Call-Clear-Request");
		goto out;
	}
	if (!s->got_stopccrq) {
		append(r->teardown, sizeof(r->teardown), "StopCCRQ");
		if (send_ctrl(r, msg, pptp_build_stopccrq(msg, 1)) < 0)
			goto out;
		rc = pump_until(r, got_stopccrp, r->deadline_us);
		if (rc == -1) {
			fail(r, "no Stop-Control-Connection-Reply");
			goto out;
		}
	}
	if (pump_until(r, never, r->deadline_us) == -1)
		fail(r, "the tunnel did not end after the teardown");
out:
	if (r->fin == FIN_CLOSE)
		append(r->teardown, sizeof(r->teardown), r->fin_code ==
		    RRP_CLOSE_NORMAL ? "CLOSE" : "CLOSE(not NORMAL)");
	else if (r->fin == FIN_EOF)
		append(r->teardown, sizeof(r->teardown), "eof");
	else if (ended(r))
		append(r->teardown, sizeof(r->teardown), "other");
	if (!r->failed && !(r->fin == FIN_CLOSE &&
	    r->fin_code == RRP_CLOSE_NORMAL) &&
	    !(r->fin == FIN_EOF && rcl_partial(r->c) == 0))
		fail(r, "the tunnel ended with %s, not CLOSE NORMAL or eof",
		    r->fin_desc);
	if (!r->failed && s->cdn_cid_bad)
		fail(r, "Call-Disconnect-Notify for another Call ID");
}

static void
session_checks(struct run *r, long echoes_ok)
{
	struct session *s = &r->s;

	if (r->failed)
		return;
	if (echoes_ok < r->o->echoes)
		fail(r, "%ld of %ld LCP echoes answered", echoes_ok,
		    r->o->echoes);
	else if (s->data_ok != s->data_sent || s->data_sent < (unsigned)r->o->frames || s->data_bad)
		fail(r, "%u of %ld data frames back intact, %u bad",
		    s->data_ok, r->o->frames, s->data_bad);
	else if (s->bad_cid)
		fail(r, "%lu GRE packets with a Call ID not ours", s->bad_cid);
	else if (s->seq_ooo)
		fail(r, "%lu GRE packets duplicate or out of order",
		    s->seq_ooo);
	else if (s->bad_ack)
		fail(r, "%lu GRE acks of packets never sent or going back",
		    s->bad_ack);
	else if (r->after_final_bad)
		fail(r, "server %s", r->after_final);
}

/*
 * flood:N - the slow-consumer case: send N 1400-byte frames without
 * reading the tunnel at all, so the echoes pile up at the RRP, whose
 * bounded queue must drop GRE (and count it) rather than grow; then read
 * again and check control still flows (a PPTP Echo-Request answered).
 */
static int
flood(struct run *r)
{
	static uint8_t payload[DATA_MAX];
	uint8_t msg[PPTP_MSG_MAX];
	long i;
	int rc;

	memset(payload, 0xa5, sizeof(payload));
	r->phase = "flooding without reading";
	diag("flooding %ld frames without reading", r->o->flood_n);
	for (i = 0; i < r->o->flood_n; i++) {
		if (send_ppp(r, PPP_FLOOD_DATA, payload, sizeof(payload)) < 0)
			return -1;
		r->s.flood_sent++;
	}
	r->phase = "draining after the flood";
	rc = pump_until(r, never, rcl_now_us() + 2000000);
	if (rc == -2)
		return -1;
	r->phase = "waiting for an Echo-Reply after the flood";
	r->s.got_echorp = 0;
	if (send_ctrl(r, msg, pptp_build_echorq(msg, 0xf100d)) < 0)
		return -1;
	rc = pump_until(r, got_echorp, rcl_now_us() + 5000000);
	if (rc < 0) {
		fail(r, "no PPTP Echo-Reply after the flood");
		return -1;
	}
	diag("flood: %lu sent, %lu came back", r->s.flood_sent, r->s.flood_back);
	return 0;
}

/*
 * seq-gap: skip one GRE sequence number (as if that packet were lost) and
 * send one data frame after the gap, then nothing: pptpd holds the frame
 * for its reorder timeout and must then deliver it (and the stand-in send
 * it back) without waiting for another packet to arrive.
 */
static int
seq_gap(struct run *r)
{
	static uint8_t payload[DATA_MAX];
	size_t len = test_frame(r->s.data_sent, payload);
	uint64_t t0;

	r->phase = "waiting for the frame sent after a sequence gap";
	r->s.tx_seq++;		/* the "lost" packet */
	t0 = rcl_now_us();
	if (send_ppp(r, PPP_TEST_DATA, payload, len) < 0)
		return -1;
	r->s.data_sent++;
	if (pump_until(r, all_back, t0 + 2000000) < 0) {
		r->s.gap_ms = -1;
		fail(r, "the frame sent after a sequence gap was not delivered within 2 s");
		return -1;
	}
	r->s.gap_ms = (long)((rcl_now_us() - t0) / 1000);
	diag("the frame after the gap came back after %ld ms", r->s.gap_ms);
	return 0;
}

static void
mode_session(struct run *r, uint64_t *rtt, long *echoes_ok)
{
	struct session *s = &r->s;
	uint8_t msg[PPTP_MSG_MAX];
	int rc;

	if (handshake(r, &r->secret, RRP_VERSION_MIN, RRP_VERSION_MAX) < 0) {
		if (!r->failed)
			fail(r, "tunnel ended in the handshake: %s", r->fin_desc);
		return;
	}
	if (start_control(r) < 0 || place_call(r) < 0)
		goto abort;
	r->phase = "sending Set-Link-Info";
	if (send_ctrl(r, msg, pptp_build_sli(msg, s->srv_cid, 0xffffffffU,
	    0xffffffffU)) < 0)
		goto abort;
	if (exchange(r, rtt, echoes_ok) < 0)
		goto abort;
	if (r->o->mode == M_FLOOD && flood(r) < 0)
		goto abort;
	if (r->o->mode == M_SEQ_GAP && seq_gap(r) < 0)
		goto abort;
	if (r->o->hold_s > 0) {
		r->phase = "holding the call";
		rc = pump_until(r, never, rcl_now_us() +
		    (uint64_t)r->o->hold_s * 1000000);
		if (rc == -2) {
			phase_failed(r, rc);
			return;
		}
	}
	teardown(r);
	session_checks(r, *echoes_ok);
	r->session_done = !r->failed;
	return;
abort:
	if (!ended(r))
		local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": giving up");
}

/* ---- the broken scenarios --------------------------------------------------- */

static int
send_sccrq_twisted(struct run *r, int bad_magic)
{
	uint8_t msg[PPTP_MSG_MAX];
	size_t n = pptp_build_sccrq(msg, "rrp-client", PROG);

	if (bad_magic)
		pptp_put32(msg, 4, 0xdeadbeefU);
	diag("-> CTRL Start-Control-Connection-Request%s",
	    bad_magic ? " with magic cookie 0xdeadbeef" : "");
	return send_frame(r, RRP_CTRL, msg, n);
}

static void
mode_bad_gre(struct run *r)
{
	struct session *s = &r->s;
	uint8_t pkt[PPTP_GRE_HDR_MAX + 20];
	struct pptp_gre_hdr h = { 0 };
	uint8_t msg[PPTP_MSG_MAX];
	size_t hl;
	int rc;

	if (handshake(r, &r->secret, RRP_VERSION_MIN, RRP_VERSION_MAX) < 0)
		return;
	if (start_control(r) < 0 || place_call(r) < 0) {
		if (!ended(r))
			local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": giving up");
		return;
	}
	/* The GRE header announces 100 payload bytes; the frame holds 20. */
	h.call_id = s->srv_cid;
	h.payload_len = 100;
	h.has_seq = 1;
	h.seq = s->tx_seq++;
	hl = pptp_gre_build(pkt, &h);
	memset(pkt + hl, 0x5a, 20);
	diag("-> GRE with payload length 100 in a %zu-byte packet", hl + 20);
	if (send_frame(r, RRP_GRE, pkt, hl + 20) < 0)
		return;
	r->phase = "after the bad GRE";
	rc = pump_until(r, never, rcl_now_us() + BAD_GRE_WAIT_US);
	if (rc == -2)
		return;
	/* Nothing came back: at least the server must still be there. */
	r->phase = "waiting for an Echo-Reply after the bad GRE";
	if (send_ctrl(r, msg, pptp_build_echorq(msg, 0xb0b0)) < 0)
		return;
	rc = pump_until(r, got_echorp, rcl_now_us() + TEARDOWN_STEP_US);
	if (rc == -2)
		return;
	set_fin(r, FIN_TIMEOUT, 0, "no answer to the bad GRE within %llu ms; "
	    "%s", (unsigned long long)(BAD_GRE_WAIT_US / 1000), rc == 0 ?
	    "then answered a PPTP Echo-Request" :
	    "then did not answer a PPTP Echo-Request");
	local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": test over");
}

static void
run_mode(struct run *r, uint64_t *rtt, long *echoes_ok)
{
	static const uint8_t oversized[] = { RRP_GRE, 0, 0xff, 0xff };
	static const uint8_t unknown[] = { 0x7f, 0, 0, 0 };
	struct rrp_secret wrong;

	switch (r->o->mode) {
	case M_SESSION:
	case M_FLOOD:
	case M_SEQ_GAP:
		mode_session(r, rtt, echoes_ok);
		return;
	case M_WRONG_SECRET:
		wrong = r->secret;
		wrong.bytes[0] ^= 0xff;
		if (handshake(r, &wrong, RRP_VERSION_MIN, RRP_VERSION_MAX) == 0)
			set_fin(r, FIN_FRAME, RRP_WELCOME, "WELCOME");
		rrp_secret_clear(&wrong);
		break;
	case M_VERSION:
		/* version:1 is a plain handshake: it must open. */
		if (handshake(r, &r->secret, (uint8_t)r->o->version_n,
		    (uint8_t)r->o->version_n) == 0)
			set_fin(r, FIN_FRAME, RRP_WELCOME, "WELCOME (MAC verified)");
		break;
	case M_BAD_MAGIC:
		if (send_hello(r, 1, 1, HELLO_BAD_MAGIC) == 0)
			await_end(r, r->deadline_us);
		return;
	case M_BAD_FLAGS:
		if (send_hello(r, 1, 1, HELLO_BAD_FLAGS) == 0)
			await_end(r, r->deadline_us);
		return;
	case M_TRUNCATED:
		if (send_hello(r, 1, 1, HELLO_TRUNCATED) == 0) {
			rcl_shutdown_write(r->c);
			await_end(r, r->deadline_us);
		}
		return;
	case M_OVERSIZED:
		diag("-> GRE header announcing 65535 bytes");
		if (send_raw(r, oversized, sizeof(oversized)) == 0)
			await_end(r, r->deadline_us);
		return;
	case M_UNKNOWN_FRAME:
		diag("-> frame type 0x7f");
		if (send_raw(r, unknown, sizeof(unknown)) == 0)
			await_end(r, r->deadline_us);
		return;
	case M_EARLY_CTRL:
		r->phase = "in the handshake";
		if (send_hello(r, 1, 1, HELLO_PLAIN) == 0 &&
		    await_challenge(r) == 0 && send_sccrq_twisted(r, 0) == 0)
			await_end(r, r->deadline_us);
		return;
	case M_STALL:
		diag("sending nothing");
		await_end(r, r->deadline_us);
		return;
	case M_BAD_CTRL:
		if (handshake(r, &r->secret, 1, 1) == 0 &&
		    send_sccrq_twisted(r, 1) == 0)
			await_end(r, r->deadline_us);
		return;
	case M_GARBAGE_AFTER_OPEN:
		if (handshake(r, &r->secret, 1, 1) == 0) {
			diag("-> frame type 0x7f");
			if (send_raw(r, unknown, sizeof(unknown)) == 0)
				await_end(r, r->deadline_us);
		}
		return;
	case M_BAD_GRE:
		mode_bad_gre(r);
		return;
	}
	/* The handshake opened where a refusal was the point (or version:1):
	 * end the tunnel politely. */
	if (r->fin == FIN_FRAME)
		local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": test over");
}

/* ---- options and the verdict ----------------------------------------------- */

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;
	char buf[300];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, PROG ": %s\n"
	    "usage: " PROG " -s HOST:PORT -k SECRET_FILE [-c CLIENT_IP:PORT] "
	    "[-n ECHOES] [-m FRAMES] [-t SECONDS] [-H SECONDS] [--call-id N] "
	    "[--mode MODE] [--expect EXPECTATION] [-q]\n"
	    "  MODE: session wrong-secret version:N bad-magic truncated "
	    "oversized unknown-frame bad-flags early-ctrl stall bad-ctrl "
	    "bad-gre garbage-after-open flood:N seq-gap\n"
	    "  EXPECTATION: session-ok open error:NAME close:NAME eof any\n",
	    buf);
	printf(PROG ": FAILED usage: %s\n", buf);
	exit(2);
}

static long
number(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < lo || v > hi)
		usage_error("%s: `%s' is not a number in %ld..%ld", what, s,
		    lo, hi);
	return v;
}

static int
lookup(const char *name, int is_close, int *code)
{
	size_t i, n = is_close ? NELEM(close_names) : NELEM(error_names);
	char *end;
	long v;

	for (i = 0; i < n; i++) {
		const char *nm = is_close ? close_names[i].name :
		    error_names[i].name;

		if (strcasecmp(name, nm) == 0) {
			*code = is_close ? close_names[i].code :
			    error_names[i].code;
			return 0;
		}
	}
	errno = 0;
	v = strtol(name, &end, 10);
	if (*name != '\0' && *end == '\0' && errno == 0 && v >= 0 &&
	    v <= 65535) {
		*code = (int)v;
		return 0;
	}
	return -1;
}

static void
parse_expect(const char *s, struct expect *x)
{
	if (strcmp(s, "session-ok") == 0)
		x->kind = X_SESSION_OK;
	else if (strcmp(s, "open") == 0)
		x->kind = X_OPEN;
	else if (strcmp(s, "eof") == 0)
		x->kind = X_EOF;
	else if (strcmp(s, "any") == 0)
		x->kind = X_ANY;
	else if (strncmp(s, "error:", 6) == 0 &&
	    lookup(s + 6, 0, &x->code) == 0)
		x->kind = X_ERROR;
	else if (strncmp(s, "close:", 6) == 0 &&
	    lookup(s + 6, 1, &x->code) == 0)
		x->kind = X_CLOSE;
	else
		usage_error("--expect: `%s' is not session-ok, open, "
		    "error:NAME, close:NAME, eof or any", s);
}

static void
parse_mode(const char *s, struct opts *o)
{
	size_t i;

	snprintf(o->mode_str, sizeof(o->mode_str), "%s", s);
	if (strncmp(s, "version:", 8) == 0) {
		o->mode = M_VERSION;
		o->version_n = (int)number(s + 8, 0, 255, "--mode version:N");
		return;
	}
	if (strncmp(s, "flood:", 6) == 0) {
		o->mode = M_FLOOD;
		o->flood_n = number(s + 6, 1, 10000000, "--mode flood:N");
		return;
	}
	for (i = 0; i < NELEM(mode_names); i++) {
		if (strcmp(s, mode_names[i].name) == 0) {
			o->mode = mode_names[i].mode;
			return;
		}
	}
	usage_error("--mode: unknown mode `%s'", s);
}

/* What the mode is for, when --expect does not say. */
static struct expect
default_expect(const struct opts *o)
{
	struct expect x = { X_ERROR, 0 };

	switch (o->mode) {
	case M_SESSION:		x.kind = X_SESSION_OK; break;
	case M_FLOOD:		x.kind = X_SESSION_OK; break;
	case M_SEQ_GAP:		x.kind = X_SESSION_OK; break;
	case M_WRONG_SECRET:	x.code = RRP_E_AUTH; break;
	case M_VERSION:
		if (o->version_n == RRP_VERSION_MIN)
			x.kind = X_OPEN;
		else
			x.code = RRP_E_VERSION;
		break;
	case M_BAD_MAGIC:	x.code = RRP_E_MAGIC; break;
	case M_TRUNCATED:	x.kind = X_EOF; break;
	case M_OVERSIZED:	x.code = RRP_E_LENGTH; break;
	case M_UNKNOWN_FRAME:	x.code = RRP_E_TYPE; break;
	case M_BAD_FLAGS:	x.code = RRP_E_FLAGS; break;
	case M_EARLY_CTRL:	x.code = RRP_E_STATE; break;
	case M_STALL:		x.code = RRP_E_TIMEOUT; break;
	case M_BAD_CTRL:	x.code = RRP_E_PAYLOAD; break;
	case M_BAD_GRE:		x.code = RRP_E_PAYLOAD; break;
	case M_GARBAGE_AFTER_OPEN: x.code = RRP_E_TYPE; break;
	}
	return x;
}

static const char *
code_name(int is_close, int code)
{
	size_t i, n = is_close ? NELEM(close_names) : NELEM(error_names);

	for (i = 0; i < n; i++)
		if ((is_close ? close_names[i].code : error_names[i].code) ==
		    code)
			return is_close ? close_names[i].name :
			    error_names[i].name;
	return "?";
}

/* Is the expectation met?  If not, why (into r->why when empty). */
static int
verdict(struct run *r)
{
	const struct expect *x = &r->o->expect;
	char want[48];

	switch (x->kind) {
	case X_ANY:
		return 1;
	case X_SESSION_OK:
		if (r->o->mode != M_SESSION && r->o->mode != M_FLOOD && r->o->mode != M_SEQ_GAP) {
			fail(r, "session-ok needs --mode session, flood:N or seq-gap");
			return 0;
		}
		if (!r->failed && !r->session_done)
			fail(r, "the session did not complete");
		return r->session_done && !r->failed;
	case X_OPEN:
		if (r->opened)
			return 1;
		snprintf(want, sizeof(want), "the handshake to complete");
		break;
	case X_EOF:
		if (r->fin == FIN_EOF && rcl_partial(r->c) == 0)
			return 1;
		snprintf(want, sizeof(want), "eof");
		break;
	case X_ERROR:
	case X_CLOSE:
		if (r->fin == (x->kind == X_ERROR ? FIN_ERROR : FIN_CLOSE) &&
		    r->fin_code == x->code) {
			if (!r->after_final_bad)
				return 1;
			r->failed = 0;
			r->why[0] = '\0';
			fail(r, "server %s", r->after_final);
			return 0;
		}
		snprintf(want, sizeof(want), "%s %s", x->kind == X_ERROR ?
		    "ERROR" : "CLOSE", code_name(x->kind == X_CLOSE, x->code));
		break;
	}
	/* The expectation decides: a reason recorded on the way (e.g. the
	 * server broke the protocol) is the better explanation if any. */
	if (!r->failed || r->why[0] == '\0')
		fail(r, "expected %s", want);
	else {
		char why[sizeof(want) + sizeof(r->why) + 16];
		size_t n;

		snprintf(why, sizeof(why), "expected %s; %s", want, r->why);
		n = strnlen(why, sizeof(r->why) - 1);
		memcpy(r->why, why, n);
		r->why[n] = '\0';
	}
	return 0;
}

static void
summary(struct run *r, int ok, const uint64_t *rtt, long echoes_ok)
{
	const struct session *s = &r->s;
	uint64_t end = rcl_now_us();

	printf(PROG ": %s mode %s", ok ? "ok" : "FAILED", r->o->mode_str);
	if (!ok && r->why[0])
		printf("; why: %s", r->why);
	if (r->fin != FIN_NONE)
		printf("; server: %s at %lu ms", r->fin_desc,
		    ms_since(r, r->fin_us));
	else
		printf("; server: %s", r->last_frame[0] ? r->last_frame :
		    "nothing");
	if (r->after_final[0])
		printf(", %s", r->after_final);
	if (r->o->mode == M_FLOOD)
		printf("; flood %lu sent %lu back", s->flood_sent, s->flood_back);
	if (r->o->mode == M_SEQ_GAP)
		printf("; after the gap %ld ms", s->gap_ms);
	if (r->o->mode == M_SESSION || r->o->mode == M_FLOOD || r->o->mode == M_SEQ_GAP) {
		printf("; echo %ld/%ld (rtt p50 %llu us) data %u/%ld ok, %u bad;"
		    " server call id %u; our call id %u;"
		    " gre up %lu down %lu seq_gaps %lu ooo %lu bad_callid %lu"
		    " bad_ack %lu; pptp echo %u keepalive %u; teardown %s",
		    echoes_ok, r->o->echoes,
		    (unsigned long long)(echoes_ok ? rtt[echoes_ok / 2] : 0),
		    s->data_ok, r->o->frames, s->data_bad,
		    s->have_srv_cid ? s->srv_cid : 0, s->our_cid,
		    s->gre_up, s->gre_down, s->seq_gaps, s->seq_ooo,
		    s->bad_cid, s->bad_ack, s->pptp_echo_answered,
		    s->keepalives_in, r->teardown[0] ? r->teardown : "none");
	}
	printf("; elapsed %lu ms\n", ms_since(r, end));
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "call-id", required_argument, NULL, 'C' },
		{ "mode", required_argument, NULL, 'M' },
		{ "expect", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	static struct rcl_conn conn;
	struct opts o;
	struct run r;
	char err[300];
	uint64_t *rtt = NULL;
	const char *server = NULL;
	long echoes_ok = 0;
	int opt, fd, ok;

	memset(&o, 0, sizeof(o));
	o.echoes = 10;
	o.frames = 100;
	o.timeout_s = 15;
	o.call_id = -1;
	o.mode = M_SESSION;
	snprintf(o.mode_str, sizeof(o.mode_str), "session");
	rcl_parse_client(DEFAULT_CLIENT, &o.client);

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:k:c:n:m:t:H:q", longopts,
	    NULL)) != -1) {
		switch (opt) {
		case 's':
			server = optarg;
			if (rcl_parse_hostport(optarg, &o.server,
			    &o.server_len) < 0)
				usage_error("-s: `%s' is not HOST:PORT "
				    "(1.2.3.4:5000 or [2001:db8::1]:5000)",
				    optarg);
			break;
		case 'k': o.secret_path = optarg; break;
		case 'c':
			if (rcl_parse_client(optarg, &o.client) < 0)
				usage_error("-c: `%s' is not CLIENT_IP:PORT "
				    "(192.0.2.77:40000 or [2001:db8::7]:40000)",
				    optarg);
			break;
		case 'n': o.echoes = number(optarg, 0, 1000000, "-n"); break;
		case 'm': o.frames = number(optarg, 0, 100000000, "-m"); break;
		case 't': o.timeout_s = number(optarg, 1, 86400, "-t"); break;
		case 'H': o.hold_s = number(optarg, 0, 86400, "-H"); break;
		case 'q': o.quiet = 1; break;
		case 'C': o.call_id = number(optarg, 0, 65535, "--call-id"); break;
		case 'M': parse_mode(optarg, &o); break;
		case 'E':
			parse_expect(optarg, &o.expect);
			o.expect_given = 1;
			break;
		case ':':
			usage_error("option `%s' needs an argument",
			    argv[optind - 1]);
		default:
			if (optopt != 0)
				usage_error("unknown option `-%c'", optopt);
			usage_error("unknown option `%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument `%s'", argv[optind]);
	if (server == NULL)
		usage_error("-s HOST:PORT is required");
	if (o.secret_path == NULL)
		usage_error("-k SECRET_FILE is required");
	if (!o.expect_given)
		o.expect = default_expect(&o);
	quiet = o.quiet;
	rcl_sockaddr_str((struct sockaddr *)&o.server, o.server_str,
	    sizeof(o.server_str));
	signal(SIGPIPE, SIG_IGN);

	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.c = &conn;
	r.s.want_echo_id = -1;
	r.no_keepalive = o.expect.kind == X_CLOSE &&
	    o.expect.code == RRP_CLOSE_IDLE;
	if (rrp_secret_load(o.secret_path, geteuid(), &r.secret, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		printf(PROG ": FAILED setup: %s\n", err);
		return 2;
	}
	if (o.call_id >= 0) {
		r.s.our_cid = (uint16_t)o.call_id;
	} else {
		uint8_t b[2];

		if (rrp_random(b, sizeof(b)) < 0) {
			printf(PROG ": FAILED setup: RAND_bytes failed\n");
			return 2;
		}
		r.s.our_cid = (uint16_t)(b[0] << 8 | b[1]);
	}
	rtt = calloc((size_t)o.echoes + 1, sizeof(*rtt));
	if (rtt == NULL) {
		printf(PROG ": FAILED setup: out of memory\n");
		return 2;
	}

	r.t0_us = rcl_now_us();
	r.deadline_us = r.t0_us + (uint64_t)(o.timeout_s + o.hold_s) * 1000000;
	r.phase = "connecting";
	diag("connecting to %s, mode %s", o.server_str, o.mode_str);
	fd = rcl_connect(&o.server, o.server_len, r.deadline_us, err,
	    sizeof(err));
	if (fd < 0) {
		fail(&r, "%s: %s", o.server_str, err);
	} else {
		rcl_conn_init(&conn, fd);
		r.t0_us = r.last_tx_us = rcl_now_us();
		run_mode(&r, rtt, &echoes_ok);
		close(fd);
	}
	ok = fd >= 0 && verdict(&r);
	if (echoes_ok > 0)
		qsort(rtt, (size_t)echoes_ok, sizeof(*rtt), cmp_u64);
	summary(&r, ok, rtt, echoes_ok);
	rrp_secret_clear(&r.secret);
	free(rtt);
	return ok ? 0 : 1;
}
