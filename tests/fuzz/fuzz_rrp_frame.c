/*
 * fuzz_rrp_frame - the tunnel byte stream as a peer could send it, through
 * the production parser: rrp_frame_parse() in a loop, every decoder on
 * every frame, the PPTP parsers on CTRL and GRE payloads, and the RRP's
 * check of the order of a client's control messages (pptp_pns_check(),
 * as rrp_session.c runs it on each CTRL frame, with an Outgoing-Call-
 * Reply taken as pptpd's, as rrp_session.c takes it).  Beyond "no
 * crash, no out-of-bounds read", it checks what callers rely on: a frame
 * never claims bytes it does not have, "need more" really means a prefix,
 * and what a decoder accepted re-encodes to the same bytes.
 */
#include <string.h>

#include "fuzz_target.h"
#include "pptp_gre.h"
#include "pptp_msg.h"
#include "pptp_state.h"
#include "rrp_auth.h"
#include "rrp_proto.h"

static void
check_hello(const struct rrp_frame *f)
{
	uint8_t out[RRP_FRAME_HDR_LEN + RRP_HELLO_LEN];
	struct rrp_hello h;

	if (rrp_hello_decode(f, &h) != 0)
		return;
	FUZZ_ASSERT(rrp_hello_encode(out, sizeof(out), &h) == sizeof(out));
	/* payload byte 7 is reserved and ignored on receipt */
	FUZZ_ASSERT(memcmp(out + 4, f->payload, 7) == 0);
	FUZZ_ASSERT(memcmp(out + 12, f->payload + 8, RRP_NONCE_LEN) == 0);
}

static void
check_challenge(const struct rrp_frame *f)
{
	uint8_t out[RRP_FRAME_HDR_LEN + RRP_CHALLENGE_LEN];
	struct rrp_challenge c;

	if (rrp_challenge_decode(f, &c) != 0)
		return;
	FUZZ_ASSERT(rrp_challenge_encode(out, sizeof(out), &c) == sizeof(out));
	FUZZ_ASSERT(memcmp(out + 4, f->payload, f->len) == 0);
}

static void
check_auth(const struct rrp_frame *f)
{
	static const char key[] = "fuzzing secret, not a real one";
	uint8_t out[RRP_FRAME_HDR_LEN + RRP_AUTH_LEN_V6];
	uint8_t nonce[RRP_NONCE_LEN] = { 0 }, mac[RRP_MAC_LEN];
	char addr[RRP_CLIENT_ADDR_STRLEN];
	struct rrp_secret s;
	struct rrp_auth a;
	size_t n;

	if (rrp_auth_decode(f, &a) != 0)
		return;
	n = rrp_auth_encode(out, sizeof(out), &a);
	FUZZ_ASSERT(n == (size_t)RRP_FRAME_HDR_LEN + f->len);
	FUZZ_ASSERT(memcmp(out + 4, f->payload, f->len) == 0);
	rrp_client_addr_str(&a.client, addr, sizeof(addr));
	FUZZ_ASSERT(strlen(addr) < sizeof(addr));
	/* what the RRP does next with the peer's bytes */
	memset(&s, 0, sizeof(s));
	memcpy(s.bytes, key, sizeof(key) - 1);
	s.len = sizeof(key) - 1;
	FUZZ_ASSERT(rrp_auth_mac(&s, 1, nonce, nonce, &a.client, mac) == 0);
	(void)rrp_mac_equal(mac, a.mac);
}

static void
check_welcome(const struct rrp_frame *f)
{
	uint8_t out[RRP_FRAME_HDR_LEN + RRP_WELCOME_LEN];
	struct rrp_welcome w;

	if (rrp_welcome_decode(f, &w) != 0)
		return;
	FUZZ_ASSERT(rrp_welcome_encode(out, sizeof(out), &w) == sizeof(out));
	FUZZ_ASSERT(memcmp(out + 4, f->payload, f->len) == 0);
}

static void
check_close(const struct rrp_frame *f)
{
	uint8_t out[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
	struct rrp_close c, c2;
	struct rrp_frame f2;
	size_t i, n;

	if (rrp_close_decode(f, &c) != 0)
		return;
	FUZZ_ASSERT(c.text_len == f->len - RRP_CLOSE_MIN);
	FUZZ_ASSERT(c.text[c.text_len] == '\0');
	for (i = 0; i < c.text_len; i++)
		FUZZ_ASSERT(c.text[i] >= 0x20 && c.text[i] <= 0x7e);
	/* the sanitized text goes around unchanged */
	n = rrp_close_encode(out, sizeof(out), f->type, c.code, c.text);
	FUZZ_ASSERT(n == (size_t)RRP_FRAME_HDR_LEN + f->len);
	FUZZ_ASSERT(rrp_frame_parse(out, n, &f2) == (int)n);
	FUZZ_ASSERT(rrp_close_decode(&f2, &c2) == 0);
	FUZZ_ASSERT(c2.code == c.code && strcmp(c2.text, c.text) == 0);
}

/* The control connection's state in the RRP, for the stream at hand;
 * once a message is out of order the RRP ends the tunnel. */
static struct pptp_pns_state pns;
static int pns_broken;

static void
check_ctrl(const struct rrp_frame *f)
{
	char why[128];
	int type, rc;

	rc = pptp_msg_check(f->payload, f->len, &type);
	if (rc == 0) {
		FUZZ_ASSERT(pptp_msg_size(type) == f->len);
		FUZZ_ASSERT(pptp_msg_frame(f->payload, f->len) == f->len);
		if (type == PPTP_OCRP) {
			pptp_pns_call_reply(&pns, pptp_get16(f->payload,
			    PPTP_OFF_OCRP_CALL_ID),
			    f->payload[PPTP_OFF_OCRP_RESULT] == 1);
		} else if (!pns_broken && pptp_pns_check(&pns, f->payload,
		    type, why, sizeof(why)) < 0) {
			FUZZ_ASSERT(memchr(why, '\0', sizeof(why)) != NULL);
			pns_broken = 1;
		}
	}
	(void)pptp_msg_strerror(rc);
	(void)pptp_ctrl_type_str(type);
}

static void
check_gre(const struct rrp_frame *f)
{
	static uint8_t copy[RRP_GRE_MAX];
	uint8_t hdr[PPTP_GRE_HDR_MAX];
	struct pptp_gre_hdr h, h2;
	uint16_t other;

	if (pptp_gre_parse(f->payload, f->len, &h) != 0)
		return;
	FUZZ_ASSERT(h.hdr_len + h.payload_len == f->len);
	FUZZ_ASSERT(pptp_gre_build(hdr, &h) == h.hdr_len);
	FUZZ_ASSERT(memcmp(hdr, f->payload, h.hdr_len) == 0);
	/* the LRP's Call ID rewrite keeps the packet valid */
	memcpy(copy, f->payload, f->len);
	other = (uint16_t)~h.call_id;
	pptp_gre_set_call_id(copy, other);
	FUZZ_ASSERT(pptp_gre_parse(copy, f->len, &h2) == 0);
	FUZZ_ASSERT(h2.call_id == other);
}

static void
check_frame(const struct rrp_frame *f)
{
	struct rrp_hello h;
	struct rrp_challenge c;
	struct rrp_auth a;
	struct rrp_welcome w;
	struct rrp_close cl;

	/* Every decoder sees every frame, as a confused state machine would
	 * hand them over: the wrong type must be a clean -RRP_E_STATE. */
	if (f->type != RRP_HELLO)
		FUZZ_ASSERT(rrp_hello_decode(f, &h) == -RRP_E_STATE);
	if (f->type != RRP_CHALLENGE)
		FUZZ_ASSERT(rrp_challenge_decode(f, &c) == -RRP_E_STATE);
	if (f->type != RRP_AUTH)
		FUZZ_ASSERT(rrp_auth_decode(f, &a) == -RRP_E_STATE);
	if (f->type != RRP_WELCOME)
		FUZZ_ASSERT(rrp_welcome_decode(f, &w) == -RRP_E_STATE);
	if (f->type != RRP_CLOSE && f->type != RRP_ERROR)
		FUZZ_ASSERT(rrp_close_decode(f, &cl) == -RRP_E_STATE);

	switch (f->type) {
	case RRP_HELLO:		check_hello(f); break;
	case RRP_CHALLENGE:	check_challenge(f); break;
	case RRP_AUTH:		check_auth(f); break;
	case RRP_WELCOME:	check_welcome(f); break;
	case RRP_CTRL:		check_ctrl(f); break;
	case RRP_GRE:		check_gre(f); break;
	case RRP_KEEPALIVE:	FUZZ_ASSERT(f->len == 0); break;
	case RRP_CLOSE:
	case RRP_ERROR:		check_close(f); break;
	default:		FUZZ_ASSERT(!"parser accepted an unknown type");
	}
	(void)rrp_frame_type_str(f->type);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rrp_frame f;
	size_t off = 0, k;
	int rc;

	memset(&pns, 0, sizeof(pns));
	pns_broken = 0;
	for (;;) {
		rc = rrp_frame_parse(data + off, size - off, &f);
		if (rc <= 0)
			break;
		FUZZ_ASSERT((size_t)rc <= size - off);
		FUZZ_ASSERT((size_t)rc == (size_t)RRP_FRAME_HDR_LEN + f.len);
		FUZZ_ASSERT(f.payload == data + off + RRP_FRAME_HDR_LEN);
		/* a prefix of a good frame asks for more, never fails */
		for (k = 0; k < (size_t)rc; k += 1 + k / 4)
			FUZZ_ASSERT(rrp_frame_parse(data + off, k, &f) == 0);
		rrp_frame_parse(data + off, size - off, &f);
		check_frame(&f);
		off += (size_t)rc;
	}
	if (rc == 0)
		FUZZ_ASSERT(size - off < RRP_FRAME_HDR_LEN ||
		    size - off < RRP_FRAME_HDR_LEN +
		    (size_t)((data[off + 2] << 8) | data[off + 3]));
	else
		(void)rrp_strerror(rc);
	return 0;
}
