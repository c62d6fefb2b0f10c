/*
 * make_corpus - writes the seed corpora of the fuzz targets, so that they
 * are reproducible rather than opaque binary files, and prints the worked
 * handshake example of doc/tunnel-protocol.md from the same frames.
 *
 *   make_corpus DIR        write DIR/<target>/ for every binary target
 *   make_corpus --example  print the annotated handshake in hex
 *
 * Everything is deterministic: fixed nonces and a fixed example secret
 * (the one of tests/unit/rrp_auth_test.c, whose MACs were checked there
 * against the openssl command line).  Valid seeds come from the
 * production encoders; malformed ones are valid ones with one thing
 * broken, each named for what is wrong.  Every file stays under 1 KiB.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pptp_gre.h"
#include "pptp_msg.h"
#include "rrp_auth.h"
#include "rrp_proto.h"

#define EXAMPLE_SECRET	"pptpd-rrp test secret 0123"
#define SEED_MAX	1024

static const char *outdir;
static int failed;

static void
put(const char *target, const char *name, const uint8_t *b, size_t n)
{
	char path[4096];
	FILE *fp;

	if (n > SEED_MAX) {
		fprintf(stderr, "%s/%s: %zu bytes, over the 1 KiB seed limit\n",
		    target, name, n);
		failed = 1;
		return;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(b, 1, n, fp) != n || fclose(fp) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		failed = 1;
	}
}

/* The example session's fixed values. */
static struct rrp_secret secret;
static struct rrp_hello hello;
static struct rrp_challenge challenge;
static struct rrp_auth auth;
static struct rrp_welcome welcome;

static void
example_setup(void)
{
	int i;

	memcpy(secret.bytes, EXAMPLE_SECRET, strlen(EXAMPLE_SECRET));
	secret.len = strlen(EXAMPLE_SECRET);
	hello.version_min = RRP_VERSION_MIN;
	hello.version_max = RRP_VERSION_MAX;
	hello.capabilities = 0;
	challenge.version = 1;
	for (i = 0; i < RRP_NONCE_LEN; i++) {
		hello.client_nonce[i] = (uint8_t)i;
		challenge.server_nonce[i] = (uint8_t)(0x20 + i);
	}
	auth.client.family = 4;
	auth.client.port = 50123;
	memcpy(auth.client.addr, "\xc0\x00\x02\x07", 4);	/* 192.0.2.7 */
	if (rrp_auth_mac(&secret, challenge.version, hello.client_nonce,
	    challenge.server_nonce, &auth.client, auth.mac) != 0 ||
	    rrp_welcome_mac(&secret, challenge.version, hello.client_nonce,
	    challenge.server_nonce, welcome.mac) != 0) {
		fprintf(stderr, "make_corpus: HMAC failed\n");
		failed = 1;
	}
}

/* A CTRL frame carrying the message in m (n bytes). */
static size_t
ctrl_frame(uint8_t *b, const uint8_t *m, size_t n)
{
	rrp_frame_header(b, RRP_CTRL, (uint16_t)n);
	memcpy(b + RRP_FRAME_HDR_LEN, m, n);
	return RRP_FRAME_HDR_LEN + n;
}

/* A GRE packet: header from h, then payload_len bytes of fill. */
static size_t
gre_packet(uint8_t *b, const struct pptp_gre_hdr *h, uint8_t fill)
{
	size_t n = pptp_gre_build(b, h);

	memset(b + n, fill, h->payload_len);
	return n + h->payload_len;
}

static size_t
gre_frame(uint8_t *b, const struct pptp_gre_hdr *h)
{
	size_t n = gre_packet(b + RRP_FRAME_HDR_LEN, h, 0x7e);

	rrp_frame_header(b, RRP_GRE, (uint16_t)n);
	return RRP_FRAME_HDR_LEN + n;
}

static const struct pptp_gre_hdr gre_data = {
	.call_id = 0x0180, .payload_len = 24, .has_seq = 1, .has_ack = 1,
	.seq = 7, .ack = 6,
};
static const struct pptp_gre_hdr gre_ack = {
	.call_id = 0x0180, .payload_len = 0, .has_seq = 0, .has_ack = 1,
	.ack = 8,
};

static void
rrp_seeds(void)
{
	const char *t = "fuzz_rrp_frame";
	uint8_t b[SEED_MAX], m[PPTP_MSG_MAX];
	struct rrp_auth a6;
	size_t n, k;

	n = rrp_hello_encode(b, sizeof(b), &hello);
	put(t, "hello", b, n);
	b[4] = 'X';
	put(t, "hello-bad-magic", b, n);
	n = rrp_hello_encode(b, sizeof(b), &hello);
	b[4 + 4] = 2;
	b[4 + 5] = 1;
	put(t, "hello-versions-reversed", b, n);
	b[4 + 4] = 0;
	put(t, "hello-version-zero", b, n);
	b[4 + 4] = 2;
	b[4 + 5] = 9;
	put(t, "hello-only-future-versions", b, n);
	put(t, "hello-truncated", b, n / 2);

	n = rrp_challenge_encode(b, sizeof(b), &challenge);
	put(t, "challenge", b, n);
	b[4 + 2] = 1;
	put(t, "challenge-reserved-set", b, n);

	n = rrp_auth_encode(b, sizeof(b), &auth);
	put(t, "auth-v4", b, n);
	b[4 + 32] = 6;
	put(t, "auth-family-6-in-v4-length", b, n);
	b[4 + 32] = 5;
	put(t, "auth-family-5", b, n);
	a6 = auth;
	a6.client.family = 6;
	memcpy(a6.client.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x07", 16);
	n = rrp_auth_encode(b, sizeof(b), &a6);
	put(t, "auth-v6", b, n);
	memset(b + 4 + 36, 0, 16);
	put(t, "auth-v6-unspecified-address", b, n);

	n = rrp_welcome_encode(b, sizeof(b), &welcome);
	put(t, "welcome", b, n);
	n = rrp_keepalive_encode(b, sizeof(b));
	put(t, "keepalive", b, n);
	n = rrp_close_encode(b, sizeof(b), RRP_CLOSE, RRP_CLOSE_IDLE,
	    "no frame for 60 s");
	put(t, "close", b, n);
	n = rrp_close_encode(b, sizeof(b), RRP_ERROR, RRP_E_AUTH, NULL);
	put(t, "error", b, n);
	n = rrp_close_encode(b, sizeof(b), RRP_CLOSE, 0, "log line\nforged");
	b[4 + 4 + 8] = '\n';		/* what our encoder would not send */
	b[4 + 4 + 9] = 0x1b;
	put(t, "close-control-chars", b, n);

	n = ctrl_frame(b, m, pptp_build_sccrq(m, "client", "vendor"));
	put(t, "ctrl-sccrq", b, n);
	n = ctrl_frame(b, m, pptp_build_ocrp(m, 0x0180, 0x4d2, 1, 64));
	put(t, "ctrl-ocrp", b, n);
	b[4 + 9] = 99;			/* control type low byte */
	put(t, "ctrl-unknown-type", b, n);
	n = gre_frame(b, &gre_data);
	put(t, "gre-data", b, n);
	n = gre_frame(b, &gre_ack);
	put(t, "gre-ack-only", b, n);
	b[4 + 1] = 0x01;		/* A cleared: no longer 12 bytes */
	put(t, "gre-ack-bit-cleared", b, n);

	/* Headers that must be refused before any payload arrives. */
	rrp_frame_header(b, 0x7f, 8);
	memset(b + 4, 0, 8);
	put(t, "unknown-type", b, 12);
	rrp_frame_header(b, RRP_KEEPALIVE, 0);
	b[1] = 0x80;
	put(t, "flags-set", b, 4);
	rrp_frame_header(b, RRP_GRE, 0xffff);
	put(t, "length-over-max", b, 4);
	rrp_frame_header(b, RRP_CTRL, RRP_CTRL_MIN - 1);
	put(t, "ctrl-under-min", b, 4);

	/* Each side's whole conversation, as one stream. */
	n = rrp_hello_encode(b, sizeof(b), &hello);
	n += rrp_auth_encode(b + n, sizeof(b) - n, &auth);
	n += ctrl_frame(b + n, m, pptp_build_sccrq(m, "client", "vendor"));
	n += gre_frame(b + n, &gre_data);
	n += rrp_keepalive_encode(b + n, sizeof(b) - n);
	n += rrp_close_encode(b + n, sizeof(b) - n, RRP_CLOSE,
	    RRP_CLOSE_NORMAL, "session ended");
	put(t, "stream-lrp", b, n);
	k = rrp_challenge_encode(b, sizeof(b), &challenge);
	k += rrp_welcome_encode(b + k, sizeof(b) - k, &welcome);
	k += ctrl_frame(b + k, m, pptp_build_sccrp(m, 1, "server", "vendor"));
	k += gre_frame(b + k, &gre_ack);
	put(t, "stream-rrp", b, k);
	/* and one cut inside its last frame */
	put(t, "stream-rrp-truncated", b, k - 3);
}

/* --- fuzz_rrp_handshake: what an LRP sends the RRP first.  The RRP's
 * server nonce is random, so every AUTH here has a wrong MAC. -------- */

static void
handshake_seeds(void)
{
	const char *t = "fuzz_rrp_handshake";
	uint8_t b[SEED_MAX], m[PPTP_MSG_MAX];
	struct rrp_auth a6;
	size_t n, k;

	k = rrp_hello_encode(b, sizeof(b), &hello);
	put(t, "hello", b, k);
	n = k + rrp_auth_encode(b + k, sizeof(b) - k, &auth);
	put(t, "hello-auth-v4-wrong-mac", b, n);
	a6 = auth;
	a6.client.family = 6;
	memcpy(a6.client.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x07", 16);
	n = k + rrp_auth_encode(b + k, sizeof(b) - k, &a6);
	put(t, "hello-auth-v6-wrong-mac", b, n);
	n = k + ctrl_frame(b + k, m, pptp_build_sccrq(m, "client", "vendor"));
	put(t, "hello-ctrl-unexpected", b, n);
	n = k + rrp_close_encode(b + k, sizeof(b) - k, RRP_CLOSE,
	    RRP_CLOSE_SHUTDOWN, "lrp shutting down");
	put(t, "hello-close", b, n);
	n = k + rrp_hello_encode(b + k, sizeof(b) - k, &hello);
	put(t, "hello-twice", b, n);
	/* a GRE frame's header: the manager takes it without its payload */
	rrp_frame_header(b + k, RRP_GRE, 1000);
	put(t, "hello-gre-header-over-512", b, k + RRP_FRAME_HDR_LEN);
	rrp_frame_header(b + k, RRP_GRE, 0xffff);
	put(t, "hello-bad-header-length-65535", b, k + RRP_FRAME_HDR_LEN);

	n = rrp_hello_encode(b, sizeof(b), &hello);
	b[4] = 'X';
	put(t, "hello-bad-magic", b, n);
	n = rrp_hello_encode(b, sizeof(b), &hello);
	b[4 + 4] = 2;
	b[4 + 5] = 3;
	put(t, "hello-versions-2-3", b, n);
	rrp_frame_header(b, RRP_GRE, 0xffff);
	put(t, "bad-header-length-65535", b, RRP_FRAME_HDR_LEN);
	n = rrp_auth_encode(b, sizeof(b), &auth);
	put(t, "auth-before-hello", b, n);
}

static void
pptp_seeds(void)
{
	const char *t = "fuzz_pptp";
	uint8_t b[SEED_MAX];
	char name[64];
	size_t n;
	int type;

	/* One message of every type at its exact size: built where we have
	 * a builder, otherwise header and zero body. */
	for (type = PPTP_SCCRQ; type <= PPTP_SLI; type++) {
		switch (type) {
		case PPTP_SCCRQ: n = pptp_build_sccrq(b, "h", "v"); break;
		case PPTP_SCCRP: n = pptp_build_sccrp(b, 1, "h", "v"); break;
		case PPTP_STOPCCRQ: n = pptp_build_stopccrq(b, 1); break;
		case PPTP_STOPCCRP: n = pptp_build_stopccrp(b, 1, 0); break;
		case PPTP_ECHORQ: n = pptp_build_echorq(b, 0x01020304); break;
		case PPTP_ECHORP: n = pptp_build_echorp(b, 0x01020304, 1); break;
		case PPTP_OCRQ: n = pptp_build_ocrq(b, 0x4d2, 1, 64); break;
		case PPTP_OCRP: n = pptp_build_ocrp(b, 0x80, 0x4d2, 1, 64); break;
		case PPTP_CCRQ: n = pptp_build_ccrq(b, 0x4d2); break;
		case PPTP_CDN: n = pptp_build_cdn(b, 0x80, 3, 0); break;
		case PPTP_SLI: n = pptp_build_sli(b, 0x80, ~0u, ~0u); break;
		default:
			n = pptp_msg_size(type);
			memset(b, 0, n);
			pptp_put16(b, 0, (uint16_t)n);
			pptp_put16(b, 2, PPTP_MESSAGE_CONTROL);
			pptp_put32(b, 4, PPTP_MAGIC_COOKIE);
			pptp_put16(b, 8, (uint16_t)type);
			pptp_put16(b, 12, 0x4d2);
		}
		snprintf(name, sizeof(name), "ctrl-%02d-%s", type,
		    pptp_ctrl_type_str(type));
		put(t, name, b, n);
	}
	n = pptp_build_sccrq(b, "client", "vendor");
	n += pptp_build_ocrq(b + n, 0x4d2, 1, 64);
	n += pptp_build_sli(b + n, 0x80, ~0u, ~0u);
	put(t, "ctrl-stream-sccrq-ocrq-sli", b, n);
	put(t, "ctrl-stream-truncated", b, n - 5);
	n = pptp_build_echorq(b, 1);
	b[5] ^= 1;
	put(t, "ctrl-bad-magic", b, n);
	n = pptp_build_echorq(b, 1);
	b[3] = 2;
	put(t, "ctrl-bad-message-type", b, n);
	n = pptp_build_echorq(b, 1);
	b[1] = 17;
	put(t, "ctrl-wrong-size-for-type", b, n + 1);
	b[0] = 0xff;
	put(t, "ctrl-length-over-max", b, n);

	n = gre_packet(b, &gre_data, 0x7e);
	put(t, "gre-seq-ack-data", b, n);
	n = gre_packet(b, &gre_ack, 0);
	put(t, "gre-ack-only", b, n);
	{
		struct pptp_gre_hdr h = gre_data;

		h.has_ack = 0;
		n = gre_packet(b, &h, 0x7e);
		put(t, "gre-seq-data", b, n);
		h.has_seq = 0;
		h.payload_len = 0;
		n = gre_packet(b, &h, 0);
		put(t, "gre-bare-header", b, n);
	}
	n = gre_packet(b, &gre_data, 0x7e);
	put(t, "gre-short-header", b, 10);
	put(t, "gre-payload-short", b, n - 1);
	b[1] = 0x80;			/* version 0 */
	put(t, "gre-version-0", b, n);
	b[1] = 0x81;
	b[0] |= 0x80;			/* checksum present */
	put(t, "gre-c-bit", b, n);
	b[0] = 0x30;
	b[3] = 0x00;			/* protocol 0x8800 */
	put(t, "gre-bad-protocol", b, n);
}

/* --- fuzz_lrp_ctrl: byte 0 seeds how the stream is cut, then the
 * client's control messages ------------------------------------------ */

/* A message of a type we have no builder for: header, zero body, id at
 * offset 12 and (if peer_off) a second one. */
static size_t
raw_msg(uint8_t *b, int type, uint16_t id, size_t peer_off, uint16_t peer)
{
	size_t n = pptp_msg_size(type);

	memset(b, 0, n);
	pptp_put16(b, 0, (uint16_t)n);
	pptp_put16(b, 2, PPTP_MESSAGE_CONTROL);
	pptp_put32(b, 4, PPTP_MAGIC_COOKIE);
	pptp_put16(b, 8, (uint16_t)type);
	pptp_put16(b, 12, id);
	if (peer_off != 0)
		pptp_put16(b, peer_off, peer);
	return n;
}

#define LRP_CID		0x4c52	/* fuzz_lrp_ctrl's LRP Call ID */

static void
lrp_ctrl_seeds(void)
{
	const char *t = "fuzz_lrp_ctrl";
	uint8_t b[SEED_MAX];
	size_t n, k;

	/* a whole outgoing call: what pptp sends, pptpd's reply (which the
	 * target also translates down), the link info naming our Call ID */
	b[0] = 0;
	n = 1 + pptp_build_sccrq(b + 1, "client", "vendor");
	n += pptp_build_ocrq(b + n, 0x4d2, 1, 64);
	n += pptp_build_ocrp(b + n, 0x0080, 0x4d2, 1, 64);
	k = n;
	n += pptp_build_sli(b + n, LRP_CID, ~0u, ~0u);
	n += pptp_build_echorq(b + n, 7);
	n += pptp_build_ccrq(b + n, 0x4d2);
	n += pptp_build_cdn(b + n, 0x0080, 3, 0);
	n += pptp_build_stopccrq(b + n, 1);
	put(t, "outgoing-call", b, n);
	b[0] = 0x55;			/* other cuts of the same stream */
	put(t, "outgoing-call-cut-55", b, n);
	b[0] = 0xc3;
	put(t, "outgoing-call-cut-c3", b, n);
	b[0] = 0;
	n = k + pptp_build_sli(b + k, 0x0999, ~0u, ~0u);
	put(t, "sli-names-another-call", b, n);
	n = 1 + pptp_build_sli(b + 1, LRP_CID, ~0u, ~0u);
	put(t, "sli-before-any-call", b, n);
	/* an incoming call: pptpd's request, the client's reply and
	 * connected message naming pptpd's call by our Call ID */
	n = 1 + pptp_build_sccrq(b + 1, "client", "vendor");
	n += raw_msg(b + n, PPTP_ICRQ, 0x0081, 0, 0);
	n += raw_msg(b + n, PPTP_ICRP, 0x4d3, 14, LRP_CID);
	n += raw_msg(b + n, PPTP_ICCN, LRP_CID, 0, 0);
	put(t, "incoming-call", b, n);
	n = 1 + pptp_build_sccrq(b + 1, "client", "vendor");
	n += raw_msg(b + n, PPTP_WEN, LRP_CID, 0, 0);
	put(t, "wan-error-notify", b, n);
	/* broken streams: each ends the session */
	n = 1 + pptp_build_echorq(b + 1, 1);
	b[2] = 0xff;			/* length 0x00ff: over 220 */
	put(t, "framing-length-over-max", b, n);
	n = 1 + pptp_build_echorq(b + 1, 1);
	b[2] = 11;			/* under the 12-byte header */
	put(t, "framing-length-under-header", b, n);
	n = 1 + pptp_build_echorq(b + 1, 1);
	b[2] = 17;
	put(t, "echo-request-wrong-size", b, n + 1);
	n = 1 + pptp_build_echorq(b + 1, 1);
	b[1 + 5] ^= 1;
	put(t, "bad-magic", b, n);
	n = 1 + pptp_build_echorq(b + 1, 1);
	b[1 + 3] = 2;			/* management message */
	put(t, "management-message", b, n);
	n = 1 + pptp_build_sccrq(b + 1, "client", "vendor");
	put(t, "sccrq-truncated", b, n - 9);
	put(t, "one-byte", b, 2);
}

/* --- fuzz_lrp_gre: byte 0 picks the link type (and with 0x80 feeds each
 * frame 8 times, IP id + 0..7), then frames each with a 2-byte length -- */

enum { LINK_ETHER, LINK_SLL, LINK_SLL2, LINK_RAW, LINK_NULL };

/* The target's sessions: LRP Call IDs 0x0100.. from 192.0.2.1.., the
 * first two open, the third not yet, the fourth closing, eight more open
 * (192.0.2.5-12).  192.0.2.99 has no session. */
#define REPEAT_8	0x80
#define CLIENT(i)	(0xc0000201u + (i))
#define LRP_GRE_CID(i)	(0x0100 + (i))

static size_t
ipv4(uint8_t *b, uint32_t src, size_t payload, uint16_t id, int more,
    size_t frag_off)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	pptp_put16(b, 2, (uint16_t)(20 + payload));
	pptp_put16(b, 4, id);
	pptp_put16(b, 6, (uint16_t)((more ? 0x2000 : 0) | frag_off / 8));
	b[8] = 64;
	b[9] = 47;
	pptp_put32(b, 12, src);
	pptp_put32(b, 16, 0xc0000264u);	/* 192.0.2.100, the LRP */
	return 20;
}

/* The link-layer header of a frame carrying IPv4, by link type. */
static size_t
link_hdr(uint8_t *b, int link, int vlan)
{
	switch (link) {
	case LINK_ETHER:
		memset(b, 0x02, 12);
		if (vlan) {
			b[12] = 0x81; b[13] = 0; b[14] = 0; b[15] = 5;
			b[16] = 0x08; b[17] = 0;
			return 18;
		}
		b[12] = 0x08; b[13] = 0;
		return 14;
	case LINK_SLL:
		memset(b, 0, 16);
		b[14] = 0x08;
		return 16;
	case LINK_SLL2:
		memset(b, 0, 20);
		b[0] = 0x08;
		return 20;
	case LINK_NULL:
		b[0] = 2; b[1] = 0; b[2] = 0; b[3] = 0;
		return 4;
	default:
		return 0;
	}
}

/* Append one length-prefixed frame: link header, IPv4 header for
 * payload bytes of which the first len are p. */
static size_t
frame(uint8_t *b, int link, int vlan, uint32_t src, const uint8_t *p,
    size_t len, uint16_t id, int more, size_t frag_off)
{
	size_t n = 2;

	n += link_hdr(b + n, link, vlan);
	n += ipv4(b + n, src, len, id, more, frag_off);
	memcpy(b + n, p, len);
	n += len;
	pptp_put16(b, 0, (uint16_t)(n - 2));
	return n;
}

static void
lrp_gre_seeds(void)
{
	const char *t = "fuzz_lrp_gre";
	static const char *const links[] = { "eth", "sll", "sll2", "raw", "null" };
	struct pptp_gre_hdr h = gre_data;
	uint8_t b[SEED_MAX], g[256];
	char name[64];
	size_t n, glen, i;
	int link;

	h.call_id = LRP_GRE_CID(0);
	glen = gre_packet(g, &h, 0x7e);
	for (link = LINK_ETHER; link <= LINK_NULL; link++) {
		b[0] = (uint8_t)link;
		n = 1 + frame(b + 1, link, 0, CLIENT(0), g, glen, 1, 0, 0);
		snprintf(name, sizeof(name), "%s-gre-to-open-session", links[link]);
		put(t, name, b, n);
	}
	b[0] = LINK_ETHER;
	n = 1 + frame(b + 1, LINK_ETHER, 1, CLIENT(0), g, glen, 1, 0, 0);
	put(t, "eth-vlan-gre", b, n);
	n = 1 + frame(b + 1, LINK_ETHER, 0, 0xc0000209u, g, glen, 1, 0, 0);
	put(t, "eth-gre-spoofed-source", b, n);
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(0), g, glen, 1, 0, 0);
	b[1 + 2 + 14 + 20 + 6] = 0x02;	/* Call ID 0x0200: nobody's */
	put(t, "eth-gre-unknown-call-id", b, n);
	for (i = 2; i < 4; i++) {
		h.call_id = (uint16_t)LRP_GRE_CID(i);
		glen = gre_packet(g, &h, 0x7e);
		n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(i), g, glen, 1, 0, 0);
		put(t, i == 2 ? "eth-gre-tunnel-not-open" : "eth-gre-session-closing", b, n);
	}
	h = gre_ack;
	h.call_id = LRP_GRE_CID(1);
	glen = gre_packet(g, &h, 0);
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(1), g, glen, 1, 0, 0);
	put(t, "eth-gre-ack-only", b, n);
	b[1 + 2 + 14 + 20 + 1] = 0x00;	/* GRE version 0 */
	put(t, "eth-gre-version-0", b, n);
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(1), g, glen, 1, 0, 0);
	b[1 + 2 + 14 + 9] = 6;		/* TCP, not GRE */
	put(t, "eth-not-gre", b, n);
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(1), g, glen, 1, 0, 0);
	b[1 + 2 + 14 + 3] += 40;	/* total length past the capture */
	put(t, "eth-ip-total-over-capture", b, n);
	b[1 + 2 + 14 + 3] -= 40;
	b[1 + 2 + 14] = 0x44;		/* header length 16 */
	put(t, "eth-ip-header-length-16", b, n);
	put(t, "eth-cut-in-ip-header", b, 1 + 2 + 14 + 10);

	/* fragments: a 116-byte GRE packet in 64 + 52 bytes */
	h = gre_data;
	h.call_id = LRP_GRE_CID(0);
	h.payload_len = 100;
	glen = gre_packet(g, &h, 0x7e);
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(0), g, 64, 7, 1, 0);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(0), g + 64, glen - 64, 7, 0, 64);
	put(t, "eth-fragments-in-order", b, n);
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(0), g + 64, glen - 64, 7, 0, 64);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(0), g, 64, 7, 1, 0);
	put(t, "eth-fragments-reversed", b, n);
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(0), g, 72, 7, 1, 0);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(0), g + 64, glen - 64, 7, 0, 64);
	put(t, "eth-fragments-overlap", b, n);
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(0), g, 60, 7, 1, 0);
	put(t, "eth-fragment-not-multiple-of-8", b, n);
	/* the first half, 2.5 s of other traffic, the second half too late */
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(0), g, 64, 8, 1, 0);
	for (i = 0; i < 25; i++) {
		b[n] = 0; b[n + 1] = 1; b[n + 2] = 0;
		n += 3;
	}
	n += frame(b + n, LINK_ETHER, 0, CLIENT(0), g + 64, glen - 64, 8, 0, 64);
	put(t, "eth-fragments-timed-out", b, n);
	/* issue 20's reproduction: a client's datagram leaves its bytes in
	 * the slot; another client's fragments at 0 (its GRE header's first
	 * 8 bytes, naming its session) and 24 and a last one at 16 must not
	 * come out with the first one's bytes 8-15 in the hole */
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(0), g, 64, 9, 1, 0);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(0), g + 64, glen - 64, 9, 0, 64);
	h.call_id = LRP_GRE_CID(1);
	gre_packet(g, &h, 0x7e);
	memset(g + 8, 'A', 8);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(1), g, 8, 7, 1, 0);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(1), g + 8, 8, 7, 1, 24);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(1), g + 8, 8, 7, 0, 16);
	put(t, "eth-fragments-hole-over-another-clients-bytes", b, n);
	/* the last fragment first, then one beyond the end it gives */
	n = 1 + frame(b + 1, LINK_ETHER, 0, CLIENT(1), g, 8, 10, 1, 0);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(1), g + 8, 8, 10, 0, 16);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(1), g + 8, 8, 10, 1, 24);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(1), g + 8, 8, 10, 1, 8);
	put(t, "eth-fragment-beyond-the-end", b, n);
	/* issue 20, item 3: first fragments naming no session, from a host
	 * with no session (10 of them, distinct IDs), then from the client
	 * of the session whose tunnel is not open: neither may start a
	 * datagram; then the open session's client's datagram completes */
	n = 1;
	memset(g + 8, 'B', 8);
	for (i = 0; i < 10; i++)
		n += frame(b + n, LINK_ETHER, 0, 0xc0000263u, g + 8, 8, (uint16_t)(20 + i), 1, 0);
	h.call_id = LRP_GRE_CID(2);
	gre_packet(g, &h, 0x7e);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(2), g, 64, 30, 1, 0);
	h.call_id = LRP_GRE_CID(0);
	glen = gre_packet(g, &h, 0x7e);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(0), g, 64, 31, 1, 0);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(0), g + 64, glen - 64, 31, 0, 64);
	put(t, "eth-fragments-from-no-client-refused", b, n);
	/* one client starts 12 datagrams: it keeps its newest 8 */
	n = 1;
	for (i = 0; i < 12; i++)
		n += frame(b + n, LINK_ETHER, 0, CLIENT(0), g, 8, (uint16_t)(40 + i), 1, 0);
	n += frame(b + n, LINK_ETHER, 0, CLIENT(0), g + 8, glen - 8, 51, 0, 8);
	put(t, "eth-fragments-one-client-over-its-share", b, n);
	/* nine clients start 8 datagrams each (each frame fed 8 times): the
	 * pool is full at 64 and the last eight take from the busiest */
	b[0] = REPEAT_8 | LINK_RAW;
	n = 1;
	for (i = 0; i < 9; i++) {
		size_t who = i == 8 ? 0 : 4 + i;

		h.call_id = (uint16_t)LRP_GRE_CID(who);
		gre_packet(g, &h, 0x7e);
		n += frame(b + n, LINK_RAW, 0, CLIENT(who), g, 8, (uint16_t)(100 * (i + 1)), 1, 0);
	}
	put(t, "raw-fragments-nine-clients-fill-the-pool", b, n);
}

/* --- fuzz_decaps_gre: byte 0 holds options, then packets each with a
 * 2-byte length -------------------------------------------------------- */

#define DECAPS_CID	0x1234	/* pptpd's Call ID in the target */

static size_t
decaps_pkt(uint8_t *b, uint32_t seq, int ack, size_t payload, size_t ip)
{
	struct pptp_gre_hdr h = {
		.call_id = DECAPS_CID, .payload_len = (uint16_t)payload,
		.has_seq = payload > 0, .seq = seq, .has_ack = ack,
		.ack = seq,
	};
	size_t n = 2;

	if (ip) {
		memset(b + n, 0, ip);
		b[n] = (uint8_t)(0x40 | ip / 4);
		b[n + 9] = 47;
		n += ip;
	}
	n += gre_packet(b + n, &h, (uint8_t)('a' + seq % 26));
	pptp_put16(b, 0, (uint16_t)(n - 2));
	return n;
}

static void
decaps_seeds(void)
{
	const char *t = "fuzz_decaps_gre";
	uint8_t b[SEED_MAX];
	size_t n, k;

	b[0] = 0;
	n = 1 + decaps_pkt(b + 1, 0, 0, 20, 0);
	n += decaps_pkt(b + n, 1, 1, 30, 0);
	n += decaps_pkt(b + n, 2, 0, 1, 0);
	put(t, "in-order", b, n);
	n = 1 + decaps_pkt(b + 1, 1, 0, 20, 0);
	n += decaps_pkt(b + n, 2, 0, 20, 0);
	put(t, "sequence-from-1", b, n);
	n = 1 + decaps_pkt(b + 1, 0, 0, 20, 0);
	n += decaps_pkt(b + n, 2, 0, 20, 0);
	n += decaps_pkt(b + n, 3, 1, 20, 0);
	n += decaps_pkt(b + n, 1, 0, 20, 0);
	put(t, "reordered", b, n);
	b[0] = 2;
	put(t, "reordered-debug-log", b, n);
	b[0] = 1;
	n = 1 + decaps_pkt(b + 1, 0, 0, 20, 0);
	n += decaps_pkt(b + n, 5, 0, 20, 0);
	n += decaps_pkt(b + n, 9, 0, 20, 0);
	put(t, "gap-expires", b, n);
	b[0] = 0;
	n = 1 + decaps_pkt(b + 1, 0, 0, 20, 0);
	n += decaps_pkt(b + n, 0, 0, 20, 0);
	put(t, "duplicate", b, n);
	n = 1 + decaps_pkt(b + 1, 0, 0, 20, 20);
	n += decaps_pkt(b + n, 1, 1, 10, 24);
	put(t, "ip-header-in-front", b, n);
	n = 1 + decaps_pkt(b + 1, 0, 0, 20, 20);
	b[1 + 2] = 0x41;		/* header length 4 */
	put(t, "ip-header-length-4", b, n);
	n = 1 + decaps_pkt(b + 1, 0, 1, 0, 0);
	put(t, "ack-only", b, n);
	n = 1 + decaps_pkt(b + 1, 0, 0, 20, 0);
	b[1 + 2 + 6] = 0x43;		/* Call ID 0x4334 */
	put(t, "other-call-id", b, n);
	n = 1 + decaps_pkt(b + 1, 0, 0, 20, 0);
	k = n;
	b[1 + 2 + 4] = 0x20;		/* claims 0x2014 bytes */
	put(t, "payload-longer-than-packet", b, n);
	b[1 + 2 + 4] = 0;
	b[2] -= 20;			/* the header alone */
	put(t, "header-without-its-payload", b, k - 20);
	b[2] = 8;
	b[1 + 2] = 0x30;
	put(t, "sequence-bit-in-8-bytes", b, 1 + 2 + 8);
	n = 1 + decaps_pkt(b + 1, 0, 0, 20, 0);
	b[1 + 2] |= 0x80;		/* checksum present */
	put(t, "checksum-bit", b, n);
}

static void
dump(const char *dir, const char *what, const uint8_t *b, size_t n)
{
	size_t i;

	printf("%s  %s, %zu bytes\n", dir, what, n);
	for (i = 0; i < n; i++)
		printf("%s%02x%s", i % 16 == 0 ? "  " : "", b[i],
		    i % 16 == 15 || i + 1 == n ? "\n" : " ");
	printf("\n");
}

static void
example(void)
{
	uint8_t b[SEED_MAX], m[PPTP_MSG_MAX];
	char addr[RRP_CLIENT_ADDR_STRLEN];
	size_t n;

	printf("secret:        \"%s\" (%zu bytes)\n", EXAMPLE_SECRET,
	    strlen(EXAMPLE_SECRET));
	printf("client nonce:  00 01 02 ... 1f\n");
	printf("server nonce:  20 21 22 ... 3f\n");
	printf("client:        %s\n\n", rrp_client_addr_str(&auth.client, addr,
	    sizeof(addr)));
	n = rrp_hello_encode(b, sizeof(b), &hello);
	dump("LRP -> RRP", "HELLO (versions 1..1, no capabilities)", b, n);
	n = rrp_challenge_encode(b, sizeof(b), &challenge);
	dump("RRP -> LRP", "CHALLENGE (version 1)", b, n);
	n = rrp_auth_encode(b, sizeof(b), &auth);
	dump("LRP -> RRP", "AUTH (MAC, family 4, port 50123, 192.0.2.7)", b, n);
	n = rrp_welcome_encode(b, sizeof(b), &welcome);
	dump("RRP -> LRP", "WELCOME (server MAC)", b, n);
	n = ctrl_frame(b, m, pptp_build_echorq(m, 1));
	dump("LRP -> RRP", "CTRL (PPTP Echo-Request, identifier 1)", b, n);
	n = gre_frame(b, &gre_ack);
	dump("LRP -> RRP", "GRE (ack-only, call id 0x0180, ack 8)", b, n);
	n = rrp_keepalive_encode(b, sizeof(b));
	dump("LRP -> RRP", "KEEPALIVE", b, n);
	n = rrp_close_encode(b, sizeof(b), RRP_CLOSE, RRP_CLOSE_NORMAL,
	    "session ended");
	dump("LRP -> RRP", "CLOSE (reason 0, text \"session ended\")", b, n);
}

static int
mkdir_p(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const targets[] = {
		"fuzz_rrp_frame", "fuzz_rrp_handshake", "fuzz_pptp",
		"fuzz_lrp_ctrl", "fuzz_lrp_gre", "fuzz_decaps_gre",
	};
	char path[4096];
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR | --example\n", argv[0]);
		return 2;
	}
	example_setup();
	if (strcmp(argv[1], "--example") == 0) {
		example();
		return failed;
	}
	outdir = argv[1];
	if (mkdir_p(outdir) < 0)
		return 1;
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", outdir, targets[i]);
		if (mkdir_p(path) < 0)
			return 1;
	}
	rrp_seeds();
	handshake_seeds();
	pptp_seeds();
	lrp_ctrl_seeds();
	lrp_gre_seeds();
	decaps_seeds();
	return failed;
}
