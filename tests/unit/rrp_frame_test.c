/*
 * rrp_frame_test - the tunnel frame codec (common/rrp_proto.c): every
 * frame type survives an encode/decode round trip, every length limit
 * holds at its boundary, a truncated frame asks for more bytes instead of
 * failing, and each kind of malformed header or payload is refused with
 * the code doc/tunnel-protocol.md gives it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rrp_proto.h"

#define BUFSZ	(RRP_FRAME_HDR_LEN + RRP_FRAME_MAX + 64)

static uint8_t buf[BUFSZ];

static void
fill(uint8_t *p, size_t n, uint8_t start)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(start + i);
}

/* Parse exactly one whole frame out of buf[0..n) and check it used n. */
static void
parse_one(const uint8_t *b, size_t n, struct rrp_frame *f)
{
	assert_int_equal(rrp_frame_parse(b, n, f), (int)n);
	assert_ptr_equal(f->payload, b + RRP_FRAME_HDR_LEN);
	assert_int_equal(f->len, n - RRP_FRAME_HDR_LEN);
}

static void
test_header_is_type_zero_flags_big_endian_length(void **state)
{
	uint8_t h[RRP_FRAME_HDR_LEN];

	assert_int_equal(rrp_frame_header(h, RRP_GRE, 0x1234), 4);
	assert_int_equal(h[0], RRP_GRE);
	assert_int_equal(h[1], 0);
	assert_int_equal(h[2], 0x12);
	assert_int_equal(h[3], 0x34);
}

static void
test_hello_round_trip(void **state)
{
	struct rrp_hello in, out;
	struct rrp_frame f;
	size_t n;

	memset(&in, 0, sizeof(in));
	in.version_min = 1;
	in.version_max = 1;
	in.capabilities = 0x80;
	fill(in.client_nonce, RRP_NONCE_LEN, 0x00);
	n = rrp_hello_encode(buf, sizeof(buf), &in);
	assert_int_equal(n, RRP_FRAME_HDR_LEN + RRP_HELLO_LEN);
	assert_int_equal(RRP_HELLO_LEN, 40);
	assert_memory_equal(buf + 4, "PRRP", 4);
	assert_int_equal(buf[4 + 7], 0);	/* reserved */
	parse_one(buf, n, &f);
	assert_int_equal(f.type, RRP_HELLO);
	memset(&out, 0xee, sizeof(out));
	assert_int_equal(rrp_hello_decode(&f, &out), 0);
	assert_int_equal(out.version_min, 1);
	assert_int_equal(out.version_max, 1);
	assert_int_equal(out.capabilities, 0x80);
	assert_memory_equal(out.client_nonce, in.client_nonce, RRP_NONCE_LEN);
}

static void
test_challenge_round_trip(void **state)
{
	struct rrp_challenge in, out;
	struct rrp_frame f;
	size_t n;

	in.version = 1;
	fill(in.server_nonce, RRP_NONCE_LEN, 0x20);
	n = rrp_challenge_encode(buf, sizeof(buf), &in);
	assert_int_equal(n, RRP_FRAME_HDR_LEN + 36);
	parse_one(buf, n, &f);
	assert_int_equal(f.type, RRP_CHALLENGE);
	assert_int_equal(rrp_challenge_decode(&f, &out), 0);
	assert_int_equal(out.version, 1);
	assert_memory_equal(out.server_nonce, in.server_nonce, RRP_NONCE_LEN);
}

static void
auth_round_trip(uint8_t family, const uint8_t *addr, size_t alen,
    uint16_t port)
{
	struct rrp_auth in, out;
	struct rrp_frame f;
	size_t n;

	memset(&in, 0, sizeof(in));
	fill(in.mac, RRP_MAC_LEN, 0x40);
	in.client.family = family;
	in.client.port = port;
	memcpy(in.client.addr, addr, alen);
	n = rrp_auth_encode(buf, sizeof(buf), &in);
	assert_int_equal(n, RRP_FRAME_HDR_LEN + RRP_MAC_LEN + 4 + alen);
	parse_one(buf, n, &f);
	assert_int_equal(f.type, RRP_AUTH);
	memset(&out, 0xee, sizeof(out));
	assert_int_equal(rrp_auth_decode(&f, &out), 0);
	assert_memory_equal(&out, &in, sizeof(in));
}

static void
test_auth_v4_round_trip(void **state)
{
	static const uint8_t a4[4] = { 192, 0, 2, 7 };

	auth_round_trip(4, a4, 4, 50123);
	assert_int_equal(RRP_AUTH_LEN_V4, 40);
	/* port big-endian at payload offset 34, address at 36 */
	assert_int_equal(buf[4 + 32], 4);
	assert_int_equal(buf[4 + 33], 0);
	assert_int_equal(buf[4 + 34], 50123 >> 8);
	assert_int_equal(buf[4 + 35], 50123 & 0xff);
	assert_memory_equal(buf + 4 + 36, a4, 4);
}

static void
test_auth_v6_round_trip(void **state)
{
	static const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 7 };

	auth_round_trip(6, a6, 16, 1723);
	assert_int_equal(RRP_AUTH_LEN_V6, 52);
	assert_memory_equal(buf + 4 + 36, a6, 16);
}

static void
test_welcome_round_trip(void **state)
{
	struct rrp_welcome in, out;
	struct rrp_frame f;
	size_t n;

	fill(in.mac, RRP_MAC_LEN, 0x60);
	n = rrp_welcome_encode(buf, sizeof(buf), &in);
	assert_int_equal(n, RRP_FRAME_HDR_LEN + 32);
	parse_one(buf, n, &f);
	assert_int_equal(f.type, RRP_WELCOME);
	assert_int_equal(rrp_welcome_decode(&f, &out), 0);
	assert_memory_equal(out.mac, in.mac, RRP_MAC_LEN);
}

static void
test_close_and_error_round_trip(void **state)
{
	static const uint8_t types[] = { RRP_CLOSE, RRP_ERROR };
	struct rrp_close out;
	struct rrp_frame f;
	size_t i, n;

	for (i = 0; i < sizeof(types); i++) {
		n = rrp_close_encode(buf, sizeof(buf), types[i], 0x0102,
		    "idle for 60 s");
		assert_int_equal(n, RRP_FRAME_HDR_LEN + 4 + 13);
		parse_one(buf, n, &f);
		assert_int_equal(f.type, types[i]);
		assert_int_equal(rrp_close_decode(&f, &out), 0);
		assert_int_equal(out.code, 0x0102);
		assert_int_equal(out.text_len, 13);
		assert_string_equal(out.text, "idle for 60 s");
	}
	/* no text at all */
	n = rrp_close_encode(buf, sizeof(buf), RRP_CLOSE, RRP_CLOSE_SHUTDOWN,
	    NULL);
	assert_int_equal(n, RRP_FRAME_HDR_LEN + RRP_CLOSE_MIN);
	parse_one(buf, n, &f);
	assert_int_equal(rrp_close_decode(&f, &out), 0);
	assert_int_equal(out.code, RRP_CLOSE_SHUTDOWN);
	assert_int_equal(out.text_len, 0);
	assert_string_equal(out.text, "");
}

static void
test_keepalive_round_trip(void **state)
{
	struct rrp_frame f;

	assert_int_equal(rrp_keepalive_encode(buf, sizeof(buf)), 4);
	parse_one(buf, 4, &f);
	assert_int_equal(f.type, RRP_KEEPALIVE);
	assert_int_equal(f.len, 0);
}

static void
test_ctrl_and_gre_carry_payload_unchanged(void **state)
{
	struct rrp_frame f;

	rrp_frame_header(buf, RRP_CTRL, 156);
	fill(buf + 4, 156, 0x11);
	parse_one(buf, 160, &f);
	assert_int_equal(f.type, RRP_CTRL);
	rrp_frame_header(buf, RRP_GRE, 1400);
	fill(buf + 4, 1400, 0x22);
	parse_one(buf, 1404, &f);
	assert_int_equal(f.type, RRP_GRE);
	assert_int_equal(f.payload[1399], (uint8_t)(0x22 + 1399));
}

struct bound {
	uint8_t		type;
	unsigned	min, max;
};

static const struct bound bounds[] = {
	{ RRP_HELLO,	 40, 40 },
	{ RRP_CHALLENGE, 36, 36 },
	{ RRP_WELCOME,	 32, 32 },
	{ RRP_CTRL,	 12, 220 },
	{ RRP_GRE,	 8, 16 + 8196 },
	{ RRP_KEEPALIVE, 0, 0 },
	{ RRP_CLOSE,	 4, 204 },
	{ RRP_ERROR,	 4, 204 },
};

static int
parse_len(uint8_t type, unsigned len)
{
	struct rrp_frame f;

	memset(buf, 0, sizeof(buf));
	rrp_frame_header(buf, type, (uint16_t)len);
	return rrp_frame_parse(buf, RRP_FRAME_HDR_LEN + len, &f);
}

static void
test_every_length_limit_at_its_boundary(void **state)
{
	size_t i;

	assert_int_equal(RRP_FRAME_MAX, 16 + 8196);
	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		const struct bound *b = &bounds[i];

		assert_int_equal(parse_len(b->type, b->min), 4 + b->min);
		assert_int_equal(parse_len(b->type, b->max), 4 + b->max);
		assert_int_equal(parse_len(b->type, b->max + 1), -RRP_E_LENGTH);
		if (b->min > 0)
			assert_int_equal(parse_len(b->type, b->min - 1),
			    -RRP_E_LENGTH);
		assert_int_equal(parse_len(b->type, 0xffff) , -RRP_E_LENGTH);
	}
	/* AUTH has two exact sizes, one per address family */
	assert_int_equal(parse_len(RRP_AUTH, 40), 44);
	assert_int_equal(parse_len(RRP_AUTH, 52), 56);
	assert_int_equal(parse_len(RRP_AUTH, 39), -RRP_E_LENGTH);
	assert_int_equal(parse_len(RRP_AUTH, 41), -RRP_E_LENGTH);
	assert_int_equal(parse_len(RRP_AUTH, 51), -RRP_E_LENGTH);
	assert_int_equal(parse_len(RRP_AUTH, 53), -RRP_E_LENGTH);
}

static void
test_bad_length_refused_from_the_header_alone(void **state)
{
	struct rrp_frame f;

	/* Only the 4 header bytes are there: no need to wait for 0xffff
	 * payload bytes to know the frame is bad. */
	rrp_frame_header(buf, RRP_CTRL, 0xffff);
	assert_int_equal(rrp_frame_parse(buf, 4, &f), -RRP_E_LENGTH);
	rrp_frame_header(buf, RRP_KEEPALIVE, 1);
	assert_int_equal(rrp_frame_parse(buf, 4, &f), -RRP_E_LENGTH);
}

/* Encode one valid frame of every type into b; returns its length. */
static size_t
encode_sample(int which, uint8_t *b, size_t cap)
{
	struct rrp_hello h = { 1, 1, 0, { 0 } };
	struct rrp_challenge c = { 1, { 0 } };
	struct rrp_auth a;
	struct rrp_welcome w;

	memset(&a, 0, sizeof(a));
	memset(&w, 0, sizeof(w));
	a.client.family = 4;
	a.client.port = 1;
	a.client.addr[0] = 10;
	switch (which) {
	case 0:	return rrp_hello_encode(b, cap, &h);
	case 1: return rrp_challenge_encode(b, cap, &c);
	case 2: return rrp_auth_encode(b, cap, &a);
	case 3: a.client.family = 6; return rrp_auth_encode(b, cap, &a);
	case 4: return rrp_welcome_encode(b, cap, &w);
	case 5: return rrp_keepalive_encode(b, cap);
	case 6: return rrp_close_encode(b, cap, RRP_CLOSE, 0, "bye");
	case 7: return rrp_close_encode(b, cap, RRP_ERROR, RRP_E_AUTH, NULL);
	case 8:
		if (cap < 4 + RRP_CTRL_MAX)
			return 0;
		rrp_frame_header(b, RRP_CTRL, RRP_CTRL_MAX);
		memset(b + 4, 0x5a, RRP_CTRL_MAX);
		return 4 + RRP_CTRL_MAX;
	case 9:
		if (cap < 4 + RRP_GRE_MAX)
			return 0;
		rrp_frame_header(b, RRP_GRE, RRP_GRE_MAX);
		memset(b + 4, 0xa5, RRP_GRE_MAX);
		return 4 + RRP_GRE_MAX;
	}
	return 0;
}

#define NSAMPLES 10

static void
test_truncated_frame_needs_more_at_every_byte(void **state)
{
	struct rrp_frame f;
	size_t n, k;
	int i;

	for (i = 0; i < NSAMPLES; i++) {
		n = encode_sample(i, buf, sizeof(buf));
		assert_true(n >= 4);
		for (k = 0; k < n; k++)
			assert_int_equal(rrp_frame_parse(buf, k, &f), 0);
		assert_int_equal(rrp_frame_parse(buf, n, &f), (int)n);
		/* bytes of the next frame behind it are not consumed */
		assert_int_equal(rrp_frame_parse(buf, n + 5, &f), (int)n);
	}
}

static void
test_encoders_refuse_a_buffer_one_byte_short(void **state)
{
	uint8_t small[4 + RRP_GRE_MAX];
	size_t n;
	int i;

	for (i = 0; i < NSAMPLES; i++) {
		n = encode_sample(i, buf, sizeof(buf));
		assert_int_equal(encode_sample(i, small, n - 1), 0);
		assert_int_equal(encode_sample(i, small, n), n);
		assert_memory_equal(small, buf, n);
	}
}

static void
test_stream_of_frames_parses_in_order(void **state)
{
	static uint8_t stream[2 * BUFSZ];
	struct rrp_frame f;
	size_t off = 0, n;
	int i, rc;

	for (i = 0; i < NSAMPLES; i++) {
		n = encode_sample(i, stream + off, sizeof(stream) - off);
		assert_true(n > 0);
		off += n;
	}
	n = off;
	for (off = 0, i = 0; off < n; i++) {
		rc = rrp_frame_parse(stream + off, n - off, &f);
		assert_true(rc > 0);
		off += (size_t)rc;
	}
	assert_int_equal(i, NSAMPLES);
	assert_int_equal(off, n);
}

static void
test_unknown_type_refused(void **state)
{
	struct rrp_frame f;
	unsigned t;

	for (t = 0; t < 256; t++) {
		int known = strcmp(rrp_frame_type_str((int)t), "unknown") != 0;

		buf[0] = (uint8_t)t;
		buf[1] = 0;
		buf[2] = 0;
		buf[3] = 8;
		if (known)
			assert_int_not_equal(rrp_frame_parse(buf, 4, &f),
			    -RRP_E_TYPE);
		else
			assert_int_equal(rrp_frame_parse(buf, 4, &f),
			    -RRP_E_TYPE);
	}
	/* exactly the nine types of version 1 */
	assert_string_equal(rrp_frame_type_str(RRP_GRE), "GRE");
	assert_string_equal(rrp_frame_type_str(0x30), "unknown");
}

static void
test_reserved_flags_refused(void **state)
{
	struct rrp_frame f;
	int bit;

	for (bit = 0; bit < 8; bit++) {
		rrp_frame_header(buf, RRP_KEEPALIVE, 0);
		buf[1] = (uint8_t)(1u << bit);
		assert_int_equal(rrp_frame_parse(buf, 4, &f), -RRP_E_FLAGS);
	}
}

static void
hello_payload(uint8_t vmin, uint8_t vmax)
{
	struct rrp_hello h;

	memset(&h, 0, sizeof(h));
	h.version_min = vmin;
	h.version_max = vmax;
	rrp_hello_encode(buf, sizeof(buf), &h);
}

static int
decode_hello(struct rrp_hello *out)
{
	struct rrp_frame f;

	assert_int_equal(rrp_frame_parse(buf, 44, &f), 44);
	return rrp_hello_decode(&f, out);
}

static void
test_hello_bad_magic_and_versions_refused(void **state)
{
	struct rrp_hello out;
	int i;

	for (i = 0; i < 4; i++) {
		hello_payload(1, 1);
		buf[4 + i] ^= 0x20;	/* "pRRP", "PrRP", ... */
		assert_int_equal(decode_hello(&out), -RRP_E_MAGIC);
	}
	hello_payload(0, 1);
	assert_int_equal(decode_hello(&out), -RRP_E_VERSION);
	hello_payload(1, 0);
	assert_int_equal(decode_hello(&out), -RRP_E_VERSION);
	hello_payload(2, 3);		/* only versions we do not know */
	assert_int_equal(decode_hello(&out), -RRP_E_VERSION);
	assert_int_equal(out.version_min, 2);	/* filled for the log line */
	assert_int_equal(out.version_max, 3);
	hello_payload(1, 200);		/* a newer peer that also speaks 1 */
	assert_int_equal(decode_hello(&out), 0);
	/* the reserved byte is ignored: later versions may use it */
	hello_payload(1, 1);
	buf[4 + 7] = 0xff;
	assert_int_equal(decode_hello(&out), 0);
}

static void
test_challenge_bad_version_and_reserved_refused(void **state)
{
	struct rrp_challenge c, out;
	struct rrp_frame f;
	int i;

	memset(&c, 0, sizeof(c));
	c.version = 0;
	rrp_challenge_encode(buf, sizeof(buf), &c);
	assert_int_equal(rrp_frame_parse(buf, 40, &f), 40);
	assert_int_equal(rrp_challenge_decode(&f, &out), -RRP_E_VERSION);
	buf[4] = 2;
	assert_int_equal(rrp_challenge_decode(&f, &out), -RRP_E_VERSION);
	for (i = 1; i <= 3; i++) {
		buf[4] = 1;
		buf[4 + 1] = buf[4 + 2] = buf[4 + 3] = 0;
		buf[4 + i] = 1;
		assert_int_equal(rrp_challenge_decode(&f, &out),
		    -RRP_E_PAYLOAD);
	}
}

static int
decode_auth_after(void (*mutate)(uint8_t *payload), uint8_t family)
{
	struct rrp_auth a, out;
	struct rrp_frame f;
	size_t n;

	memset(&a, 0, sizeof(a));
	a.client.family = family;
	a.client.port = 4000;
	a.client.addr[0] = 198;
	a.client.addr[3] = 1;
	n = rrp_auth_encode(buf, sizeof(buf), &a);
	assert_true(n > 0);
	mutate(buf + 4);
	assert_int_equal(rrp_frame_parse(buf, n, &f), (int)n);
	return rrp_auth_decode(&f, &out);
}

static void fam_5(uint8_t *p) { p[32] = 5; }
static void fam_0(uint8_t *p) { p[32] = 0; }
static void fam_6(uint8_t *p) { p[32] = 6; }
static void fam_4(uint8_t *p) { p[32] = 4; }
static void port_0(uint8_t *p) { p[34] = p[35] = 0; }
static void addr_0(uint8_t *p) { memset(p + 36, 0, 16); }
static void resv_1(uint8_t *p) { p[33] = 1; }
static void no_change(uint8_t *p) { (void)p; }

static void
test_auth_bad_address_family_refused(void **state)
{
	assert_int_equal(decode_auth_after(no_change, 4), 0);
	assert_int_equal(decode_auth_after(no_change, 6), 0);
	assert_int_equal(decode_auth_after(fam_5, 4), -RRP_E_ADDRESS);
	assert_int_equal(decode_auth_after(fam_0, 6), -RRP_E_ADDRESS);
	/* the family must agree with the payload's length */
	assert_int_equal(decode_auth_after(fam_6, 4), -RRP_E_ADDRESS);
	assert_int_equal(decode_auth_after(fam_4, 6), -RRP_E_ADDRESS);
	/* nothing a real TCP peer can have */
	assert_int_equal(decode_auth_after(port_0, 4), -RRP_E_ADDRESS);
	assert_int_equal(decode_auth_after(addr_0, 4), -RRP_E_ADDRESS);
	assert_int_equal(decode_auth_after(addr_0, 6), -RRP_E_ADDRESS);
	assert_int_equal(decode_auth_after(resv_1, 4), -RRP_E_PAYLOAD);
}

static void
test_auth_encode_refuses_unknown_family(void **state)
{
	struct rrp_auth a;

	memset(&a, 0, sizeof(a));
	a.client.family = 5;
	assert_int_equal(rrp_auth_encode(buf, sizeof(buf), &a), 0);
	a.client.family = 0;
	assert_int_equal(rrp_auth_encode(buf, sizeof(buf), &a), 0);
}

static void
test_decoder_given_another_type_is_a_state_error(void **state)
{
	struct rrp_hello h;
	struct rrp_challenge c;
	struct rrp_auth a;
	struct rrp_welcome w;
	struct rrp_close cl;
	struct rrp_frame f;
	uint8_t payload[64] = { 0 };

	f.payload = payload;
	f.type = RRP_CTRL;
	f.len = 40;
	assert_int_equal(rrp_hello_decode(&f, &h), -RRP_E_STATE);
	assert_int_equal(rrp_auth_decode(&f, &a), -RRP_E_STATE);
	f.len = 36;
	assert_int_equal(rrp_challenge_decode(&f, &c), -RRP_E_STATE);
	f.len = 32;
	assert_int_equal(rrp_welcome_decode(&f, &w), -RRP_E_STATE);
	f.len = 4;
	assert_int_equal(rrp_close_decode(&f, &cl), -RRP_E_STATE);
	/* a hand-built frame of the right type but wrong length */
	f.type = RRP_WELCOME;
	f.len = 31;
	assert_int_equal(rrp_welcome_decode(&f, &w), -RRP_E_LENGTH);
	f.type = RRP_HELLO;
	f.len = 41;
	assert_int_equal(rrp_hello_decode(&f, &h), -RRP_E_LENGTH);
	f.type = RRP_AUTH;
	f.len = 44;
	assert_int_equal(rrp_auth_decode(&f, &a), -RRP_E_LENGTH);
	f.type = RRP_CLOSE;
	f.len = RRP_CLOSE_MAX + 1;
	assert_int_equal(rrp_close_decode(&f, &cl), -RRP_E_LENGTH);
	f.len = 3;
	assert_int_equal(rrp_close_decode(&f, &cl), -RRP_E_LENGTH);
}

static void
test_close_text_sanitized_for_logs(void **state)
{
	static const uint8_t evil[] = "a\nb\rc\x1b[2Jd\x7f" "e\x80\xff" "f";
	struct rrp_close out;
	struct rrp_frame f;
	size_t tlen = sizeof(evil) - 1;

	/* hand-made: our own encoder would already clean it */
	rrp_frame_header(buf, RRP_ERROR, (uint16_t)(4 + tlen + 1));
	buf[4] = 0;
	buf[5] = RRP_E_PAYLOAD;
	buf[6] = buf[7] = 0;
	memcpy(buf + 8, evil, tlen);
	buf[8 + tlen] = '\0';		/* an embedded NUL too */
	parse_one(buf, 4 + 4 + tlen + 1, &f);
	assert_int_equal(rrp_close_decode(&f, &out), 0);
	assert_int_equal(out.code, RRP_E_PAYLOAD);
	assert_int_equal(out.text_len, tlen + 1);
	assert_string_equal(out.text, "a?b?c?[2Jd?e??f?");
	/* reserved bytes must be zero */
	buf[6] = 1;
	assert_int_equal(rrp_close_decode(&f, &out), -RRP_E_PAYLOAD);
}

static void
test_close_text_limit(void **state)
{
	char text[RRP_REASON_TEXT_MAX + 50];
	struct rrp_close out;
	struct rrp_frame f;
	size_t n;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	/* longer text is cut to the maximum, which decodes whole */
	n = rrp_close_encode(buf, sizeof(buf), RRP_CLOSE, 0, text);
	assert_int_equal(n, 4 + RRP_CLOSE_MAX);
	parse_one(buf, n, &f);
	assert_int_equal(rrp_close_decode(&f, &out), 0);
	assert_int_equal(out.text_len, RRP_REASON_TEXT_MAX);
	assert_int_equal(strlen(out.text), RRP_REASON_TEXT_MAX);
	/* the encoder cleans what it sends, and refuses other types */
	n = rrp_close_encode(buf, sizeof(buf), RRP_CLOSE, 0, "x\ty");
	assert_memory_equal(buf + 8, "x?y", 3);
	assert_int_equal(rrp_close_encode(buf, sizeof(buf), RRP_CTRL, 0, "x"),
	    0);
}

static void
test_names_never_null(void **state)
{
	int i;

	for (i = -20; i < 300; i++) {
		assert_non_null(rrp_strerror(i));
		assert_non_null(rrp_close_reason_str(i));
		assert_non_null(rrp_frame_type_str(i));
	}
	assert_string_equal(rrp_strerror(-RRP_E_TYPE), "unknown frame type");
	assert_string_equal(rrp_strerror(RRP_E_TYPE), "unknown frame type");
	assert_string_equal(rrp_strerror(99), "unknown error code");
	assert_string_equal(rrp_strerror(INT_MIN), "unknown error code");
	assert_string_equal(rrp_close_reason_str(INT_MIN), "unknown reason");
	assert_string_equal(rrp_close_reason_str(RRP_CLOSE_IDLE),
	    "idle timeout");
	assert_string_equal(rrp_close_reason_str(99), "unknown reason");
}

static void
test_client_addr_formats_for_logs(void **state)
{
	struct rrp_client_addr a;
	char s[RRP_CLIENT_ADDR_STRLEN], tiny[8];
	int i;

	memset(&a, 0, sizeof(a));
	a.family = 4;
	a.port = 50123;
	a.addr[0] = 192; a.addr[2] = 2; a.addr[3] = 7;
	assert_string_equal(rrp_client_addr_str(&a, s, sizeof(s)),
	    "192.0.2.7:50123");
	a.family = 6;
	memset(a.addr, 0, 16);
	a.addr[0] = 0x20; a.addr[1] = 0x01; a.addr[2] = 0x0d; a.addr[3] = 0xb8;
	a.addr[15] = 7;
	assert_string_equal(rrp_client_addr_str(&a, s, sizeof(s)),
	    "[2001:db8::7]:50123");
	/* the longest possible form fits */
	for (i = 0; i < 16; i++)
		a.addr[i] = 0xff;
	a.addr[10] = 0xfe;	/* avoid the ::ffff: mapped form */
	a.port = 65535;
	rrp_client_addr_str(&a, s, sizeof(s));
	assert_true(strlen(s) < sizeof(s));
	assert_string_equal(s + strlen(s) - 7, "]:65535");
	a.family = 9;
	assert_string_equal(rrp_client_addr_str(&a, s, sizeof(s)),
	    "(address family 9)");
	/* truncated, still a C string */
	a.family = 4;
	assert_string_equal(rrp_client_addr_str(&a, tiny, sizeof(tiny)),
	    "255.255");
	assert_string_equal(rrp_client_addr_str(&a, tiny, 0), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_is_type_zero_flags_big_endian_length),
		cmocka_unit_test(test_hello_round_trip),
		cmocka_unit_test(test_challenge_round_trip),
		cmocka_unit_test(test_auth_v4_round_trip),
		cmocka_unit_test(test_auth_v6_round_trip),
		cmocka_unit_test(test_welcome_round_trip),
		cmocka_unit_test(test_close_and_error_round_trip),
		cmocka_unit_test(test_keepalive_round_trip),
		cmocka_unit_test(test_ctrl_and_gre_carry_payload_unchanged),
		cmocka_unit_test(test_every_length_limit_at_its_boundary),
		cmocka_unit_test(test_bad_length_refused_from_the_header_alone),
		cmocka_unit_test(test_truncated_frame_needs_more_at_every_byte),
		cmocka_unit_test(test_encoders_refuse_a_buffer_one_byte_short),
		cmocka_unit_test(test_stream_of_frames_parses_in_order),
		cmocka_unit_test(test_unknown_type_refused),
		cmocka_unit_test(test_reserved_flags_refused),
		cmocka_unit_test(test_hello_bad_magic_and_versions_refused),
		cmocka_unit_test(test_challenge_bad_version_and_reserved_refused),
		cmocka_unit_test(test_auth_bad_address_family_refused),
		cmocka_unit_test(test_auth_encode_refuses_unknown_family),
		cmocka_unit_test(test_decoder_given_another_type_is_a_state_error),
		cmocka_unit_test(test_close_text_sanitized_for_logs),
		cmocka_unit_test(test_close_text_limit),
		cmocka_unit_test(test_names_never_null),
		cmocka_unit_test(test_client_addr_formats_for_logs),
	};

	return cmocka_run_group_tests_name("rrp_frame", tests, NULL, NULL);
}
