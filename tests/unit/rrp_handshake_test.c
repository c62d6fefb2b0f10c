/*
 * rrp_handshake_test - the RRP's handshake state machine
 * (pptpd/rrp_handshake.c), as pptpd's manager runs it frame by frame: a
 * real LRP's HELLO is answered with a CHALLENGE, its AUTH (MAC computed
 * here from the CHALLENGE, as an LRP does) authenticates it and the
 * WELCOME proves the RRP; every way out of the machine fails it with the
 * reason pptpd logs and the frame the protocol names (or none when the
 * LRP ended the handshake itself).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rrp_auth.h"
#include "rrp_handshake.h"
#include "rrp_proto.h"

static const char SECRET[] = "pptpd-rrp test secret 0123";

static struct rrp_secret secret;
static struct rrp_handshake hs;
static uint8_t frame[RRP_FRAME_HDR_LEN + RRP_FRAME_MAX];
static uint8_t out[RRP_HANDSHAKE_OUT_MAX];
static size_t outlen;
static uint8_t cnonce[RRP_NONCE_LEN];
static struct rrp_client_addr client_v4, client_v6;

static int
setup(void **state)
{
	(void)state;
	memset(&secret, 0, sizeof(secret));
	memcpy(secret.bytes, SECRET, sizeof(SECRET) - 1);
	secret.len = sizeof(SECRET) - 1;
	memset(cnonce, 0x5a, sizeof(cnonce));
	client_v4.family = 4;
	client_v4.port = 50123;
	memcpy(client_v4.addr, "\xc0\x00\x02\x07", 4);
	client_v6.family = 6;
	client_v6.port = 1723;
	memcpy(client_v6.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x07", 16);
	rrp_handshake_init(&hs, &secret);
	outlen = 0;
	return 0;
}

/* Feed the frame at frame[0..n) (it must parse whole). */
static enum rrp_handshake_result
feed(size_t n)
{
	struct rrp_frame f;

	assert_int_equal(rrp_frame_parse(frame, n, &f), (int)n);
	return rrp_handshake_frame(&hs, &f, out, sizeof(out), &outlen);
}

static enum rrp_handshake_result
feed_hello(uint8_t vmin, uint8_t vmax)
{
	struct rrp_hello h;

	memset(&h, 0, sizeof(h));
	h.version_min = vmin;
	h.version_max = vmax;
	memcpy(h.client_nonce, cnonce, sizeof(cnonce));
	return feed(rrp_hello_encode(frame, sizeof(frame), &h));
}

/* The CHALLENGE just written to out. */
static struct rrp_challenge
challenge_sent(void)
{
	struct rrp_challenge ch;
	struct rrp_frame f;

	assert_int_equal(rrp_frame_parse(out, outlen, &f), (int)outlen);
	assert_int_equal(rrp_challenge_decode(&f, &ch), 0);
	return ch;
}

/* An AUTH as the LRP builds it for ch (bitflip: one MAC bit wrong). */
static enum rrp_handshake_result
feed_auth(const struct rrp_challenge *ch, const struct rrp_client_addr *client, int bitflip)
{
	struct rrp_auth a;

	memset(&a, 0, sizeof(a));
	a.client = *client;
	assert_int_equal(rrp_auth_mac(&secret, ch->version, cnonce, ch->server_nonce, client, a.mac), 0);
	if (bitflip)
		a.mac[7] ^= 0x10;
	return feed(rrp_auth_encode(frame, sizeof(frame), &a));
}

/* out holds one ERROR or CLOSE frame (type) with code. */
static void
assert_out_close(uint8_t type, uint16_t code)
{
	struct rrp_frame f;
	struct rrp_close c;

	assert_true(outlen > 0);
	assert_int_equal(rrp_frame_parse(out, outlen, &f), (int)outlen);
	assert_int_equal(f.type, type);
	assert_int_equal(rrp_close_decode(&f, &c), 0);
	assert_int_equal(c.code, code);
}

static void
a_real_lrp_is_authenticated_and_welcomed(void **state)
{
	struct rrp_challenge ch, ch2;
	struct rrp_welcome w;
	struct rrp_frame f;
	uint8_t mac[RRP_MAC_LEN], welcome[RRP_FRAME_HDR_LEN + RRP_WELCOME_LEN];
	size_t n;

	(void)state;
	assert_string_equal(rrp_handshake_waiting(&hs), "waiting for HELLO");
	assert_int_equal(feed_hello(RRP_VERSION_MIN, RRP_VERSION_MAX), RRP_HS_CONTINUE);
	assert_int_equal(hs.state, RRP_HS_WAIT_AUTH);
	assert_string_equal(rrp_handshake_waiting(&hs), "waiting for AUTH");
	ch = challenge_sent();
	assert_int_equal(ch.version, RRP_VERSION_MAX);

	/* no WELCOME before the LRP has proved itself */
	assert_int_equal(rrp_handshake_welcome(&hs, welcome, sizeof(welcome)), 0);
	assert_int_equal(feed_auth(&ch, &client_v4, 0), RRP_HS_DONE);
	assert_int_equal(outlen, 0);
	assert_int_equal(hs.state, RRP_HS_AUTHENTICATED);
	assert_memory_equal(&hs.client, &client_v4, sizeof(client_v4));

	n = rrp_handshake_welcome(&hs, welcome, sizeof(welcome));
	assert_int_equal(n, sizeof(welcome));
	assert_int_equal(rrp_frame_parse(welcome, n, &f), (int)n);
	assert_int_equal(rrp_welcome_decode(&f, &w), 0);
	assert_int_equal(rrp_welcome_mac(&secret, ch.version, cnonce, ch.server_nonce, mac), 0);
	assert_memory_equal(w.mac, mac, sizeof(mac));

	/* a second handshake gets a fresh server nonce */
	setup(NULL);
	assert_int_equal(feed_hello(RRP_VERSION_MIN, RRP_VERSION_MAX), RRP_HS_CONTINUE);
	ch2 = challenge_sent();
	assert_memory_not_equal(ch.server_nonce, ch2.server_nonce, RRP_NONCE_LEN);
}

static void
a_wrong_mac_or_a_replayed_auth_fails(void **state)
{
	struct rrp_challenge first, ch;

	(void)state;
	assert_int_equal(feed_hello(1, 1), RRP_HS_CONTINUE);
	ch = challenge_sent();
	assert_int_equal(feed_auth(&ch, &client_v4, 1), RRP_HS_FAIL);
	assert_string_equal(hs.why, "authentication failed (wrong secret?); closed");
	assert_out_close(RRP_ERROR, RRP_E_AUTH);
	assert_int_equal(hs.state, RRP_HS_FAILED);

	/* an AUTH right for another connection's CHALLENGE (a replay) */
	setup(NULL);
	assert_int_equal(feed_hello(1, 1), RRP_HS_CONTINUE);
	first = challenge_sent();
	setup(NULL);
	assert_int_equal(feed_hello(1, 1), RRP_HS_CONTINUE);
	(void)challenge_sent();
	assert_int_equal(feed_auth(&first, &client_v4, 0), RRP_HS_FAIL);
	assert_out_close(RRP_ERROR, RRP_E_AUTH);
}

static void
an_ipv6_client_is_refused_after_authenticating(void **state)
{
	struct rrp_challenge ch;

	(void)state;
	assert_int_equal(feed_hello(1, 1), RRP_HS_CONTINUE);
	ch = challenge_sent();
	assert_int_equal(feed_auth(&ch, &client_v6, 0), RRP_HS_FAIL);
	assert_string_equal(hs.why, "client [2001:db8::7]:1723 refused: pptpd serves IPv4 clients only");
	assert_out_close(RRP_CLOSE, RRP_CLOSE_REFUSED);
}

static void
no_common_version_fails(void **state)
{
	(void)state;
	assert_int_equal(feed_hello(2, 3), RRP_HS_FAIL);
	assert_string_equal(hs.why, "no common protocol version: offered versions 2..3, this RRP speaks 1..1");
	assert_out_close(RRP_ERROR, RRP_E_VERSION);
}

static void
a_hello_without_magic_fails(void **state)
{
	struct rrp_hello h;
	size_t n;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.version_min = h.version_max = 1;
	n = rrp_hello_encode(frame, sizeof(frame), &h);
	memcpy(frame + RRP_FRAME_HDR_LEN, "PPTP", 4);
	assert_int_equal(feed(n), RRP_HS_FAIL);
	assert_string_equal(hs.why, "bad HELLO: HELLO without the protocol magic");
	assert_out_close(RRP_ERROR, RRP_E_MAGIC);
}

static void
frames_out_of_order_fail_with_state(void **state)
{
	struct rrp_challenge ch;
	uint8_t ctrl[RRP_CTRL_MIN] = { 0, RRP_CTRL_MIN, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0 };

	(void)state;
	/* AUTH before HELLO */
	ch.version = 1;
	memset(ch.server_nonce, 0, sizeof(ch.server_nonce));
	assert_int_equal(feed_auth(&ch, &client_v4, 0), RRP_HS_FAIL);
	assert_string_equal(hs.why, "waiting for HELLO: unexpected AUTH frame");
	assert_out_close(RRP_ERROR, RRP_E_STATE);

	/* a control message before authenticating */
	setup(NULL);
	assert_int_equal(feed_hello(1, 1), RRP_HS_CONTINUE);
	rrp_frame_header(frame, RRP_CTRL, sizeof(ctrl));
	memcpy(frame + RRP_FRAME_HDR_LEN, ctrl, sizeof(ctrl));
	assert_int_equal(feed(RRP_FRAME_HDR_LEN + sizeof(ctrl)), RRP_HS_FAIL);
	assert_string_equal(hs.why, "waiting for AUTH: unexpected CTRL frame");
	assert_out_close(RRP_ERROR, RRP_E_STATE);

	/* HELLO twice */
	setup(NULL);
	assert_int_equal(feed_hello(1, 1), RRP_HS_CONTINUE);
	assert_int_equal(feed_hello(1, 1), RRP_HS_FAIL);
	assert_string_equal(hs.why, "waiting for AUTH: unexpected HELLO frame");

	/* and nothing moves a failed machine again */
	assert_int_equal(feed_hello(1, 1), RRP_HS_FAIL);
	assert_int_equal(outlen, 0);
}

static void
the_lrp_ending_the_handshake_gets_no_answer(void **state)
{
	size_t n;

	(void)state;
	assert_int_equal(feed_hello(1, 1), RRP_HS_CONTINUE);
	n = rrp_close_encode(frame, sizeof(frame), RRP_CLOSE, RRP_CLOSE_SHUTDOWN, "lrp stopping");
	assert_int_equal(feed(n), RRP_HS_FAIL);
	assert_int_equal(outlen, 0);
	assert_string_equal(hs.why, "waiting for AUTH closed by the LRP: shutting down (1) \"lrp stopping\"");

	setup(NULL);
	n = rrp_close_encode(frame, sizeof(frame), RRP_ERROR, RRP_E_AUTH, "authentication failed");
	assert_int_equal(feed(n), RRP_HS_FAIL);
	assert_int_equal(outlen, 0);
	assert_non_null(strstr(hs.why, "waiting for HELLO error from the LRP: "));
}

static void
a_bad_header_fails_with_its_error(void **state)
{
	(void)state;
	assert_int_equal(rrp_handshake_bad_header(&hs, RRP_E_LENGTH, out, sizeof(out), &outlen), RRP_HS_FAIL);
	assert_non_null(strstr(hs.why, "waiting for HELLO: bad frame header: length"));
	assert_out_close(RRP_ERROR, RRP_E_LENGTH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(a_real_lrp_is_authenticated_and_welcomed, setup),
		cmocka_unit_test_setup(a_wrong_mac_or_a_replayed_auth_fails, setup),
		cmocka_unit_test_setup(an_ipv6_client_is_refused_after_authenticating, setup),
		cmocka_unit_test_setup(no_common_version_fails, setup),
		cmocka_unit_test_setup(a_hello_without_magic_fails, setup),
		cmocka_unit_test_setup(frames_out_of_order_fail_with_state, setup),
		cmocka_unit_test_setup(the_lrp_ending_the_handshake_gets_no_answer, setup),
		cmocka_unit_test_setup(a_bad_header_fails_with_its_error, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
