/*
 * rrp_handshake.c - the RRP's side of the tunnel handshake, one whole
 * frame at a time (rrp_handshake.h says who runs it).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rrp_handshake.h"

/* What the frame to send back is, when a step fails. */
struct reply {
	uint8_t		*out;
	size_t		cap;
	size_t		*outlen;
};

void
rrp_handshake_init(struct rrp_handshake *h, const struct rrp_secret *secret)
{
	memset(h, 0, sizeof(*h));
	h->state = RRP_HS_WAIT_HELLO;
	h->secret = secret;
}

const char *
rrp_handshake_waiting(const struct rrp_handshake *h)
{
	return h->state == RRP_HS_WAIT_HELLO ? "waiting for HELLO" : "waiting for AUTH";
}

/* Fail the handshake: h->why from fmt, and in r the frame that tells the
 * LRP (type RRP_ERROR or RRP_CLOSE with code and text; 0: send nothing). */
static enum rrp_handshake_result __attribute__((format(printf, 6, 7)))
fail(struct rrp_handshake *h, const struct reply *r, uint8_t type, int code, const char *text,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->why, sizeof(h->why), fmt, ap);
	va_end(ap);
	h->state = RRP_HS_FAILED;
	*r->outlen = type == 0 ? 0 : rrp_close_encode(r->out, r->cap, type, (uint16_t)code, text);
	return RRP_HS_FAIL;
}

/* A frame the state does not expect: the LRP ending the handshake itself
 * (CLOSE or ERROR), or a protocol error. */
static enum rrp_handshake_result
unexpected(struct rrp_handshake *h, const struct rrp_frame *f, const struct reply *r)
{
	const char *stage = rrp_handshake_waiting(h);
	struct rrp_close c;

	if ((f->type == RRP_CLOSE || f->type == RRP_ERROR) && rrp_close_decode(f, &c) == 0)
		return fail(h, r, 0, 0, NULL, "%s %s: %s (%u) \"%s\"", stage,
		    f->type == RRP_CLOSE ? "closed by the LRP" : "error from the LRP",
		    f->type == RRP_CLOSE ? rrp_close_reason_str(c.code) : rrp_strerror(c.code), c.code, c.text);
	return fail(h, r, RRP_ERROR, RRP_E_STATE, "unexpected frame in the handshake", "%s: unexpected %s frame",
	    stage, rrp_frame_type_str(f->type));
}

static enum rrp_handshake_result
on_hello(struct rrp_handshake *h, const struct rrp_frame *f, const struct reply *r)
{
	struct rrp_hello hello;
	struct rrp_challenge ch;
	char text[96];
	int rc, lo, hi;

	memset(&hello, 0, sizeof(hello));
	rc = rrp_hello_decode(f, &hello);
	if (rc < 0 && rc != -RRP_E_VERSION)
		return fail(h, r, RRP_ERROR, -rc, rrp_strerror(-rc), "bad HELLO: %s", rrp_strerror(-rc));
	lo = hello.version_min > RRP_VERSION_MIN ? hello.version_min : RRP_VERSION_MIN;
	hi = hello.version_max < RRP_VERSION_MAX ? hello.version_max : RRP_VERSION_MAX;
	if (rc < 0 || lo > hi) {
		snprintf(text, sizeof(text), "offered versions %u..%u, this RRP speaks %d..%d",
		    hello.version_min, hello.version_max, RRP_VERSION_MIN, RRP_VERSION_MAX);
		return fail(h, r, RRP_ERROR, RRP_E_VERSION, text, "no common protocol version: %s", text);
	}
	h->version = (uint8_t)hi;
	memcpy(h->client_nonce, hello.client_nonce, sizeof(h->client_nonce));
	if (rrp_random(h->server_nonce, sizeof(h->server_nonce)) < 0) {
		h->why_internal = 1;
		return fail(h, r, RRP_ERROR, RRP_E_INTERNAL, "internal error", "no random bytes for the challenge");
	}
	ch.version = h->version;
	memcpy(ch.server_nonce, h->server_nonce, sizeof(ch.server_nonce));
	*r->outlen = rrp_challenge_encode(r->out, r->cap, &ch);
	if (*r->outlen == 0) {
		h->why_internal = 1;
		return fail(h, r, RRP_ERROR, RRP_E_INTERNAL, "internal error", "cannot encode the CHALLENGE");
	}
	h->state = RRP_HS_WAIT_AUTH;
	return RRP_HS_CONTINUE;
}

static enum rrp_handshake_result
on_auth(struct rrp_handshake *h, const struct rrp_frame *f, const struct reply *r)
{
	struct rrp_auth auth;
	uint8_t mac[RRP_MAC_LEN];
	char client[RRP_CLIENT_ADDR_STRLEN];
	int rc;

	rc = rrp_auth_decode(f, &auth);
	if (rc < 0)
		return fail(h, r, RRP_ERROR, -rc, rrp_strerror(-rc), "bad AUTH: %s", rrp_strerror(-rc));
	if (rrp_auth_mac(h->secret, h->version, h->client_nonce, h->server_nonce, &auth.client, mac) < 0 ||
	    !rrp_mac_equal(mac, auth.mac))
		return fail(h, r, RRP_ERROR, RRP_E_AUTH, "authentication failed",
		    "authentication failed (wrong secret?); closed");
	h->client = auth.client;
	if (auth.client.family != 4)
		return fail(h, r, RRP_CLOSE, RRP_CLOSE_REFUSED, "IPv4 clients only",
		    "client %s refused: pptpd serves IPv4 clients only",
		    rrp_client_addr_str(&auth.client, client, sizeof(client)));
	h->state = RRP_HS_AUTHENTICATED;
	return RRP_HS_DONE;
}

enum rrp_handshake_result
rrp_handshake_frame(struct rrp_handshake *h, const struct rrp_frame *f, uint8_t *out, size_t cap,
    size_t *outlen)
{
	struct reply r = { out, cap, outlen };

	*outlen = 0;
	if (h->state == RRP_HS_WAIT_HELLO && f->type == RRP_HELLO)
		return on_hello(h, f, &r);
	if (h->state == RRP_HS_WAIT_AUTH && f->type == RRP_AUTH)
		return on_auth(h, f, &r);
	if (h->state == RRP_HS_WAIT_HELLO || h->state == RRP_HS_WAIT_AUTH)
		return unexpected(h, f, &r);
	return fail(h, &r, 0, 0, NULL, "handshake already %s",
	    h->state == RRP_HS_AUTHENTICATED ? "complete" : "failed");
}

enum rrp_handshake_result
rrp_handshake_bad_header(struct rrp_handshake *h, int err, uint8_t *out, size_t cap, size_t *outlen)
{
	struct reply r = { out, cap, outlen };

	return fail(h, &r, RRP_ERROR, err, rrp_strerror(err), "%s: bad frame header: %s",
	    rrp_handshake_waiting(h), rrp_strerror(err));
}

size_t
rrp_handshake_welcome(const struct rrp_handshake *h, uint8_t *out, size_t cap)
{
	struct rrp_welcome w;

	if (h->state != RRP_HS_AUTHENTICATED ||
	    rrp_welcome_mac(h->secret, h->version, h->client_nonce, h->server_nonce, w.mac) < 0)
		return 0;
	return rrp_welcome_encode(out, cap, &w);
}
