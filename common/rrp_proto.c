/*
 * rrp_proto.c - frame codec and handshake messages of the LRP <-> RRP
 * tunnel protocol (doc/tunnel-protocol.md).  Everything here runs on bytes
 * a peer chose: lengths are checked before any field is read, and every
 * refusal is a negated rrp_error the caller can log and send back.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "rrp_addr.h"
#include "rrp_proto.h"

#define RRP_MAGIC_LEN	4

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	while (n-- > 0)
		acc |= *p++;
	return acc == 0;
}

const char *
rrp_strerror(int code)
{
	/* Callers hold either the parser's negated value or the code an ERROR
	 * frame carried; accept both so no call site has to remember which
	 * (in unsigned, since negating INT_MIN would overflow). */
	switch (code < 0 ? 0u - (unsigned)code : (unsigned)code) {
	case RRP_OK:		return "no error";
	case RRP_E_VERSION:	return "no common protocol version";
	case RRP_E_TYPE:	return "unknown frame type";
	case RRP_E_LENGTH:	return "length out of bounds for the frame type";
	case RRP_E_FLAGS:	return "reserved flag bits set";
	case RRP_E_STATE:	return "frame not allowed in this state";
	case RRP_E_AUTH:	return "authentication failed";
	case RRP_E_MAGIC:	return "HELLO without the protocol magic";
	case RRP_E_ADDRESS:	return "bad client address family or address";
	case RRP_E_TIMEOUT:	return "handshake timeout";
	case RRP_E_PAYLOAD:	return "malformed payload";
	case RRP_E_INTERNAL:	return "internal error";
	}
	return "unknown error code";
}

const char *
rrp_close_reason_str(int reason)
{
	switch (reason) {
	case RRP_CLOSE_NORMAL:		return "session ended";
	case RRP_CLOSE_SHUTDOWN:	return "shutting down";
	case RRP_CLOSE_IDLE:		return "idle timeout";
	case RRP_CLOSE_FULL:		return "no free connection slot or address";
	case RRP_CLOSE_REFUSED:		return "refused by policy";
	case RRP_CLOSE_PEER_GONE:	return "other side went away";
	case RRP_CLOSE_OVERLOAD:	return "control could not be delivered in time";
	}
	return "unknown reason";
}

const char *
rrp_frame_type_str(int type)
{
	switch (type) {
	case RRP_HELLO:		return "HELLO";
	case RRP_CHALLENGE:	return "CHALLENGE";
	case RRP_AUTH:		return "AUTH";
	case RRP_WELCOME:	return "WELCOME";
	case RRP_CTRL:		return "CTRL";
	case RRP_GRE:		return "GRE";
	case RRP_KEEPALIVE:	return "KEEPALIVE";
	case RRP_CLOSE:		return "CLOSE";
	case RRP_ERROR:		return "ERROR";
	}
	return "unknown";
}

/* The one table of payload bounds; the decoders repeat the exact checks
 * only because a struct rrp_frame may also be built by hand. */
static int
frame_bounds(uint8_t type, size_t len)
{
	switch (type) {
	case RRP_HELLO:
		return len == RRP_HELLO_LEN ? 0 : -RRP_E_LENGTH;
	case RRP_CHALLENGE:
		return len == RRP_CHALLENGE_LEN ? 0 : -RRP_E_LENGTH;
	case RRP_AUTH:
		return len == RRP_AUTH_LEN_V4 || len == RRP_AUTH_LEN_V6 ?
		    0 : -RRP_E_LENGTH;
	case RRP_WELCOME:
		return len == RRP_WELCOME_LEN ? 0 : -RRP_E_LENGTH;
	case RRP_CTRL:
		return len >= RRP_CTRL_MIN && len <= RRP_CTRL_MAX ?
		    0 : -RRP_E_LENGTH;
	case RRP_GRE:
		return len >= RRP_GRE_MIN && len <= RRP_GRE_MAX ?
		    0 : -RRP_E_LENGTH;
	case RRP_KEEPALIVE:
		return len == 0 ? 0 : -RRP_E_LENGTH;
	case RRP_CLOSE:
	case RRP_ERROR:
		return len >= RRP_CLOSE_MIN && len <= RRP_CLOSE_MAX ?
		    0 : -RRP_E_LENGTH;
	}
	return -RRP_E_TYPE;
}

int
rrp_frame_parse(const uint8_t *buf, size_t avail, struct rrp_frame *f)
{
	uint16_t len;
	int rc;

	if (avail < RRP_FRAME_HDR_LEN)
		return 0;
	len = get16(buf + 2);
	/* Judge the header before waiting for the payload: a peer announcing
	 * a bad frame must not make us buffer up to 64 KiB first. */
	rc = frame_bounds(buf[0], len);
	if (rc == -RRP_E_TYPE)
		return rc;
	if (buf[1] != 0)
		return -RRP_E_FLAGS;
	if (rc < 0)
		return rc;
	if (avail - RRP_FRAME_HDR_LEN < len)
		return 0;
	f->type = buf[0];
	f->len = len;
	f->payload = buf + RRP_FRAME_HDR_LEN;
	return RRP_FRAME_HDR_LEN + len;
}

size_t
rrp_frame_header(uint8_t hdr[RRP_FRAME_HDR_LEN], uint8_t type, uint16_t len)
{
	hdr[0] = type;
	hdr[1] = 0;
	put16(hdr + 2, len);
	return RRP_FRAME_HDR_LEN;
}

/* Header for a len-byte payload if the whole frame fits; returns where the
 * payload goes, or NULL. */
static uint8_t *
frame_start(uint8_t *buf, size_t cap, uint8_t type, size_t len)
{
	if (buf == NULL || cap < RRP_FRAME_HDR_LEN + len)
		return NULL;
	rrp_frame_header(buf, type, (uint16_t)len);
	return buf + RRP_FRAME_HDR_LEN;
}

/* Decoders also serve as the state check: handing one a frame of another
 * type means the peer sent something the current state does not allow. */
static int
frame_is(const struct rrp_frame *f, uint8_t type, size_t len)
{
	if (f->type != type)
		return -RRP_E_STATE;
	if (f->len != len || (len > 0 && f->payload == NULL))
		return -RRP_E_LENGTH;
	return 0;
}

/*
 * HELLO: magic(4) version_min(1) version_max(1) capabilities(1)
 * reserved(1) client_nonce(32).  Its layout is the same in every protocol
 * version, so the reserved byte is ignored rather than refused: a later
 * version may use it before the two sides have agreed on anything.
 */
int
rrp_hello_decode(const struct rrp_frame *f, struct rrp_hello *out)
{
	const uint8_t *p = f->payload;
	int rc;

	if ((rc = frame_is(f, RRP_HELLO, RRP_HELLO_LEN)) < 0)
		return rc;
	if (memcmp(p, RRP_MAGIC, RRP_MAGIC_LEN) != 0)
		return -RRP_E_MAGIC;
	/* Filled before the version check so a refusal can be logged with
	 * the range the peer offered. */
	out->version_min = p[4];
	out->version_max = p[5];
	out->capabilities = p[6];
	memcpy(out->client_nonce, p + 8, RRP_NONCE_LEN);
	if (out->version_min == 0 || out->version_min > out->version_max)
		return -RRP_E_VERSION;
	if (out->version_max < RRP_VERSION_MIN ||
	    out->version_min > RRP_VERSION_MAX)
		return -RRP_E_VERSION;
	return 0;
}

size_t
rrp_hello_encode(uint8_t *buf, size_t cap, const struct rrp_hello *in)
{
	uint8_t *p = frame_start(buf, cap, RRP_HELLO, RRP_HELLO_LEN);

	if (p == NULL)
		return 0;
	memcpy(p, RRP_MAGIC, RRP_MAGIC_LEN);
	p[4] = in->version_min;
	p[5] = in->version_max;
	p[6] = in->capabilities;
	p[7] = 0;
	memcpy(p + 8, in->client_nonce, RRP_NONCE_LEN);
	return RRP_FRAME_HDR_LEN + RRP_HELLO_LEN;
}

/* CHALLENGE: version(1) reserved(3) server_nonce(32).  From here on the
 * version is agreed, so reserved bytes must be zero. */
int
rrp_challenge_decode(const struct rrp_frame *f, struct rrp_challenge *out)
{
	const uint8_t *p = f->payload;
	int rc;

	if ((rc = frame_is(f, RRP_CHALLENGE, RRP_CHALLENGE_LEN)) < 0)
		return rc;
	if (!all_zero(p + 1, 3))
		return -RRP_E_PAYLOAD;
	out->version = p[0];
	memcpy(out->server_nonce, p + 4, RRP_NONCE_LEN);
	if (out->version < RRP_VERSION_MIN || out->version > RRP_VERSION_MAX)
		return -RRP_E_VERSION;
	return 0;
}

size_t
rrp_challenge_encode(uint8_t *buf, size_t cap, const struct rrp_challenge *in)
{
	uint8_t *p = frame_start(buf, cap, RRP_CHALLENGE, RRP_CHALLENGE_LEN);

	if (p == NULL)
		return 0;
	p[0] = in->version;
	memset(p + 1, 0, 3);
	memcpy(p + 4, in->server_nonce, RRP_NONCE_LEN);
	return RRP_FRAME_HDR_LEN + RRP_CHALLENGE_LEN;
}

static size_t
addr_len(uint8_t family)
{
	return family == 4 ? 4 : family == 6 ? 16 : 0;
}

/*
 * AUTH: mac(32) family(1) reserved(1) port(2) address(4 or 16).  The
 * address ends up in pppd's argv and in wtmp, so nonsense a real TCP peer
 * cannot have (port 0, the unspecified address) is refused here.
 */
int
rrp_auth_decode(const struct rrp_frame *f, struct rrp_auth *out)
{
	const uint8_t *p = f->payload;
	size_t alen;

	if (f->type != RRP_AUTH)
		return -RRP_E_STATE;
	if ((f->len != RRP_AUTH_LEN_V4 && f->len != RRP_AUTH_LEN_V6) ||
	    f->payload == NULL)
		return -RRP_E_LENGTH;
	alen = addr_len(p[32]);
	if (alen == 0 || f->len != RRP_MAC_LEN + 4 + alen)
		return -RRP_E_ADDRESS;
	if (p[33] != 0)
		return -RRP_E_PAYLOAD;
	if (get16(p + 34) == 0 || all_zero(p + 36, alen))
		return -RRP_E_ADDRESS;
	memset(out, 0, sizeof(*out));
	memcpy(out->mac, p, RRP_MAC_LEN);
	out->client.family = p[32];
	out->client.port = get16(p + 34);
	memcpy(out->client.addr, p + 36, alen);
	return 0;
}

size_t
rrp_auth_encode(uint8_t *buf, size_t cap, const struct rrp_auth *in)
{
	size_t alen = addr_len(in->client.family);
	size_t len = RRP_MAC_LEN + 4 + alen;
	uint8_t *p;

	if (alen == 0 || (p = frame_start(buf, cap, RRP_AUTH, len)) == NULL)
		return 0;
	memcpy(p, in->mac, RRP_MAC_LEN);
	p[32] = in->client.family;
	p[33] = 0;
	put16(p + 34, in->client.port);
	memcpy(p + 36, in->client.addr, alen);
	return RRP_FRAME_HDR_LEN + len;
}

int
rrp_welcome_decode(const struct rrp_frame *f, struct rrp_welcome *out)
{
	int rc;

	if ((rc = frame_is(f, RRP_WELCOME, RRP_WELCOME_LEN)) < 0)
		return rc;
	memcpy(out->mac, f->payload, RRP_MAC_LEN);
	return 0;
}

size_t
rrp_welcome_encode(uint8_t *buf, size_t cap, const struct rrp_welcome *in)
{
	uint8_t *p = frame_start(buf, cap, RRP_WELCOME, RRP_WELCOME_LEN);

	if (p == NULL)
		return 0;
	memcpy(p, in->mac, RRP_MAC_LEN);
	return RRP_FRAME_HDR_LEN + RRP_WELCOME_LEN;
}

static char
printable(uint8_t c)
{
	return c >= 0x20 && c <= 0x7e ? (char)c : '?';
}

/* CLOSE and ERROR: code(2) reserved(2) text(0..200), the text not
 * NUL-terminated on the wire.  It goes straight into syslog, hence '?'
 * for anything that could forge a log line or a terminal escape. */
int
rrp_close_decode(const struct rrp_frame *f, struct rrp_close *out)
{
	const uint8_t *p = f->payload;
	size_t i;

	if (f->type != RRP_CLOSE && f->type != RRP_ERROR)
		return -RRP_E_STATE;
	if (f->len < RRP_CLOSE_MIN || f->len > RRP_CLOSE_MAX ||
	    f->payload == NULL)
		return -RRP_E_LENGTH;
	if (!all_zero(p + 2, 2))
		return -RRP_E_PAYLOAD;
	out->code = get16(p);
	out->text_len = (uint16_t)(f->len - RRP_CLOSE_MIN);
	for (i = 0; i < out->text_len; i++)
		out->text[i] = printable(p[RRP_CLOSE_MIN + i]);
	out->text[out->text_len] = '\0';
	return 0;
}

size_t
rrp_close_encode(uint8_t *buf, size_t cap, uint8_t type, uint16_t code,
    const char *text)
{
	size_t tlen = text != NULL ? strnlen(text, RRP_REASON_TEXT_MAX) : 0;
	size_t i;
	uint8_t *p;

	if (type != RRP_CLOSE && type != RRP_ERROR)
		return 0;
	if ((p = frame_start(buf, cap, type, RRP_CLOSE_MIN + tlen)) == NULL)
		return 0;
	put16(p, code);
	p[2] = p[3] = 0;
	/* The peer would replace them anyway; keep the wire clean. */
	for (i = 0; i < tlen; i++)
		p[RRP_CLOSE_MIN + i] = (uint8_t)printable((uint8_t)text[i]);
	return RRP_FRAME_HDR_LEN + RRP_CLOSE_MIN + tlen;
}

size_t
rrp_keepalive_encode(uint8_t *buf, size_t cap)
{
	if (frame_start(buf, cap, RRP_KEEPALIVE, 0) == NULL)
		return 0;
	return RRP_FRAME_HDR_LEN;
}

const char *
rrp_client_addr_str(const struct rrp_client_addr *a, char *buf, size_t cap)
{
	if (a->family == 4 || a->family == 6)
		return rrp_addr_format(a->family == 4 ? AF_INET : AF_INET6, a->addr, a->port, buf, cap);
	if (buf == NULL || cap == 0)
		return "";
	snprintf(buf, cap, "(address family %u)", (unsigned)a->family);
	return buf;
}
