/*
 * make_corpus - writes the seed corpora of the fuzz targets, so that they
 * are reproducible rather than opaque binary files, and prints the worked
 * handshake example of doc/tunnel-protocol.md from the same frames.
 *
 *   make_corpus DIR        write DIR/fuzz_rrp_frame/ and DIR/fuzz_pptp/
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
	char path[4096];

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
	snprintf(path, sizeof(path), "%s/fuzz_rrp_frame", outdir);
	if (mkdir_p(path) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/fuzz_pptp", outdir);
	if (mkdir_p(path) < 0)
		return 1;
	rrp_seeds();
	pptp_seeds();
	return failed;
}
