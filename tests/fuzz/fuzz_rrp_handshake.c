/*
 * fuzz_rrp_handshake - the first bytes of a tunnel, as anyone who reaches
 * the RRP's port can send them, through the RRP's handshake state machine
 * (pptpd/rrp_handshake.c) the way pptpd's manager runs it (tunnel_frame()
 * in pptpd_pending.c): rrp_frame_parse() in a loop, a bad header to
 * rrp_handshake_bad_header(), every whole frame to rrp_handshake_frame(),
 * and a header announcing more than the manager reads at once (a CTRL or
 * GRE frame) handed over without its payload.  The input is the stream
 * the LRP sends, nothing else.
 *
 * Beyond "no crash, no out-of-bounds access", it checks what the manager
 * relies on: only HELLO in WAIT_HELLO continues, with exactly one
 * CHALLENGE in out; a failure leaves state FAILED, a reason to log, and
 * in out nothing (the LRP closed itself) or one whole CLOSE or ERROR
 * (everything else); nothing is ever written past *outlen nor past
 * RRP_HANDSHAKE_OUT_MAX; a failed handshake never starts over; no
 * failure is the RRP's own.  DONE needs an AUTH MAC over the RRP's random
 * server nonce, so the fuzzer practically never gets there; if it does,
 * rrp_handshake_welcome() must give the WELCOME.
 */
#include <string.h>

#include "fuzz_target.h"
#include "rrp_auth.h"
#include "rrp_handshake.h"
#include "rrp_proto.h"

/* make_corpus's EXAMPLE_SECRET: its AUTH seeds carry MACs under it. */
#define TEST_SECRET	"pptpd-rrp test secret 0123"
/* What the manager reads a handshake frame into (pptpd_pending.c's
 * scratch): a frame announcing more goes in as its header alone. */
#define MANAGER_BUF	512
/* What out holds where nothing was written. */
#define UNWRITTEN	0xa5

static struct rrp_secret secret;

/* Nothing in out past the frame written (outlen bytes). */
static void
check_out(const uint8_t *out, size_t outlen)
{
	size_t i;

	FUZZ_ASSERT(outlen <= RRP_HANDSHAKE_OUT_MAX);
	for (i = outlen; i < RRP_HANDSHAKE_OUT_MAX; i++)
		FUZZ_ASSERT(out[i] == UNWRITTEN);
}

/* CONTINUE: the HELLO was taken and out is the CHALLENGE to send. */
static void
check_continue(const struct rrp_handshake *h,
    enum rrp_handshake_state before, const uint8_t *out, size_t outlen)
{
	struct rrp_challenge c;
	struct rrp_frame f;

	FUZZ_ASSERT(before == RRP_HS_WAIT_HELLO);
	FUZZ_ASSERT(h->state == RRP_HS_WAIT_AUTH);
	FUZZ_ASSERT(outlen == RRP_FRAME_HDR_LEN + RRP_CHALLENGE_LEN);
	FUZZ_ASSERT(rrp_frame_parse(out, outlen, &f) == (int)outlen);
	FUZZ_ASSERT(rrp_challenge_decode(&f, &c) == 0);
	FUZZ_ASSERT(c.version >= RRP_VERSION_MIN &&
	    c.version <= RRP_VERSION_MAX);
	FUZZ_ASSERT(c.version == h->version);
	FUZZ_ASSERT(memcmp(c.server_nonce, h->server_nonce,
	    RRP_NONCE_LEN) == 0);
}

/* FAIL: a reason to log, and nothing or one whole CLOSE/ERROR to send. */
static void
check_fail(const struct rrp_handshake *h, const uint8_t *out, size_t outlen)
{
	struct rrp_close c;
	struct rrp_frame f;

	FUZZ_ASSERT(h->state == RRP_HS_FAILED);
	FUZZ_ASSERT(memchr(h->why, '\0', sizeof(h->why)) != NULL);
	FUZZ_ASSERT(h->why[0] != '\0');
	/* the peer's bytes never make the failure ours (LOG_ERR) */
	FUZZ_ASSERT(!h->why_internal);
	if (outlen == 0)
		return;
	FUZZ_ASSERT(rrp_frame_parse(out, outlen, &f) == (int)outlen);
	FUZZ_ASSERT(f.type == RRP_CLOSE || f.type == RRP_ERROR);
	FUZZ_ASSERT(rrp_close_decode(&f, &c) == 0);
}

/* A failed handshake stays failed, whatever comes next (f, when the
 * failure was a whole frame, and a good HELLO), and says so only to the
 * log. */
static void
check_stays_failed(struct rrp_handshake *h, const struct rrp_frame *f)
{
	struct rrp_hello hello;
	uint8_t out[RRP_HANDSHAKE_OUT_MAX], b[RRP_FRAME_HDR_LEN + RRP_HELLO_LEN];
	struct rrp_frame again;
	size_t outlen;

	if (f != NULL) {
		memset(out, UNWRITTEN, sizeof(out));
		FUZZ_ASSERT(rrp_handshake_frame(h, f, out, sizeof(out),
		    &outlen) == RRP_HS_FAIL);
		FUZZ_ASSERT(outlen == 0);
		check_out(out, outlen);
		check_fail(h, out, outlen);
	}
	memset(&hello, 0, sizeof(hello));
	hello.version_min = RRP_VERSION_MIN;
	hello.version_max = RRP_VERSION_MAX;
	FUZZ_ASSERT(rrp_hello_encode(b, sizeof(b), &hello) == sizeof(b));
	FUZZ_ASSERT(rrp_frame_parse(b, sizeof(b), &again) == (int)sizeof(b));
	memset(out, UNWRITTEN, sizeof(out));
	FUZZ_ASSERT(rrp_handshake_frame(h, &again, out, sizeof(out),
	    &outlen) == RRP_HS_FAIL);
	FUZZ_ASSERT(outlen == 0);
	check_out(out, outlen);
	check_fail(h, out, outlen);
	FUZZ_ASSERT(rrp_handshake_welcome(h, out, sizeof(out)) == 0);
}

/* DONE: an IPv4 client, authenticated; WELCOME proves the RRP. */
static void
check_done(const struct rrp_handshake *h, enum rrp_handshake_state before,
    size_t outlen)
{
	uint8_t out[RRP_FRAME_HDR_LEN + RRP_WELCOME_LEN], mac[RRP_MAC_LEN];
	struct rrp_welcome w;
	struct rrp_frame f;
	size_t n;

	FUZZ_ASSERT(before == RRP_HS_WAIT_AUTH);
	FUZZ_ASSERT(h->state == RRP_HS_AUTHENTICATED);
	FUZZ_ASSERT(outlen == 0);
	FUZZ_ASSERT(h->client.family == 4);
	n = rrp_handshake_welcome(h, out, sizeof(out));
	FUZZ_ASSERT(n == sizeof(out));
	FUZZ_ASSERT(rrp_frame_parse(out, n, &f) == (int)n);
	FUZZ_ASSERT(rrp_welcome_decode(&f, &w) == 0);
	FUZZ_ASSERT(rrp_welcome_mac(&secret, h->version, h->client_nonce,
	    h->server_nonce, mac) == 0);
	FUZZ_ASSERT(memcmp(mac, w.mac, RRP_MAC_LEN) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[RRP_HANDSHAKE_OUT_MAX], w[RRP_FRAME_HDR_LEN + RRP_WELCOME_LEN];
	enum rrp_handshake_state before;
	enum rrp_handshake_result r;
	struct rrp_handshake h;
	struct rrp_frame f, e;
	struct rrp_close c;
	size_t off = 0, avail, outlen;
	int rc, whole, lrp_closed;

	if (secret.len == 0) {
		memcpy(secret.bytes, TEST_SECRET, sizeof(TEST_SECRET) - 1);
		secret.len = sizeof(TEST_SECRET) - 1;
	}
	rrp_handshake_init(&h, &secret);
	FUZZ_ASSERT(h.state == RRP_HS_WAIT_HELLO);
	for (;;) {
		FUZZ_ASSERT(rrp_handshake_waiting(&h) != NULL);
		FUZZ_ASSERT(rrp_handshake_welcome(&h, w, sizeof(w)) == 0);
		avail = size - off;
		before = h.state;
		memset(out, UNWRITTEN, sizeof(out));
		outlen = (size_t)-1;
		rc = rrp_frame_parse(data + off, avail, &f);
		whole = rc > 0;
		if (rc < 0) {
			r = rrp_handshake_bad_header(&h, -rc, out, sizeof(out),
			    &outlen);
			FUZZ_ASSERT(r == RRP_HS_FAIL);
		} else if (rc == 0 && avail >= RRP_FRAME_HDR_LEN &&
		    RRP_FRAME_HDR_LEN + (size_t)(data[off + 2] << 8 |
		    data[off + 3]) > MANAGER_BUF) {
			/* the manager takes the header for the frame */
			f.type = data[off];
			f.len = 0;
			f.payload = data + off + RRP_FRAME_HDR_LEN;
			r = rrp_handshake_frame(&h, &f, out, sizeof(out),
			    &outlen);
			FUZZ_ASSERT(r == RRP_HS_FAIL);
		} else if (rc == 0) {
			break;		/* the LRP's EOF, short of a frame */
		} else {
			r = rrp_handshake_frame(&h, &f, out, sizeof(out),
			    &outlen);
		}
		check_out(out, outlen);
		if (r == RRP_HS_CONTINUE) {
			check_continue(&h, before, out, outlen);
			off += (size_t)rc;
			continue;
		}
		if (r == RRP_HS_DONE) {
			check_done(&h, before, outlen);
			break;
		}
		FUZZ_ASSERT(r == RRP_HS_FAIL);
		check_fail(&h, out, outlen);
		/* the LRP's own CLOSE or ERROR gets no answer; anything else
		 * tells the LRP why */
		lrp_closed = whole && (f.type == RRP_CLOSE ||
		    f.type == RRP_ERROR) && rrp_close_decode(&f, &c) == 0;
		FUZZ_ASSERT((outlen == 0) == lrp_closed);
		if (rc < 0) {
			/* an ERROR naming what the header broke */
			FUZZ_ASSERT(rrp_frame_parse(out, outlen, &e) ==
			    (int)outlen && e.type == RRP_ERROR);
			FUZZ_ASSERT(rrp_close_decode(&e, &c) == 0 &&
			    c.code == -rc);
		}
		check_stays_failed(&h, whole ? &f : NULL);
		break;
	}
	return 0;
}
