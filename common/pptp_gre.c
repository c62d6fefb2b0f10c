/*
 * pptp_gre.c - the enhanced GRE header of RFC 2637 section 4.1.
 *
 * Byte 0: C(0x80) R(0x40) K(0x20) S(0x10) s(0x08) Recur(0x07)
 * Byte 1: A(0x80) Flags(0x78) Ver(0x07)
 * Then protocol (2), payload length (2), call id (2), the sequence number
 * if S, the acknowledgment number if A (right after the call id when S is
 * clear).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "pptp_gre.h"

#define GRE_B0_C	0x80
#define GRE_B0_R	0x40
#define GRE_B0_K	0x20
#define GRE_B0_S	0x10
#define GRE_B0_SSR	0x08	/* strict source route */
#define GRE_B0_RECUR	0x07
#define GRE_B1_A	0x80
#define GRE_B1_FLAGS	0x78
#define GRE_B1_VER	0x07
#define GRE_VERSION	1

#define GRE_OFF_PROTO	2
#define GRE_OFF_PAYLOAD	4

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int
pptp_gre_parse(const uint8_t *pkt, size_t len, struct pptp_gre_hdr *h)
{
	size_t off = PPTP_GRE_HDR_MIN;

	if (len < PPTP_GRE_HDR_MIN)
		return -PPTP_GRE_E_SHORT;
	if ((pkt[1] & GRE_B1_VER) != GRE_VERSION)
		return -PPTP_GRE_E_VERSION;
	if (get16(pkt + GRE_OFF_PROTO) != PPTP_GRE_PROTO)
		return -PPTP_GRE_E_PROTO;
	/* RFC 2637 4.1: C, R, s, recursion and the flag bits are zero and
	 * K is one; anything else is not PPTP's GRE, whatever else it is. */
	if ((pkt[0] & (GRE_B0_C | GRE_B0_R | GRE_B0_SSR | GRE_B0_RECUR)) != 0 ||
	    (pkt[0] & GRE_B0_K) == 0 || (pkt[1] & GRE_B1_FLAGS) != 0)
		return -PPTP_GRE_E_FLAGS;
	h->has_seq = (pkt[0] & GRE_B0_S) != 0;
	h->has_ack = (pkt[1] & GRE_B1_A) != 0;
	h->hdr_len = PPTP_GRE_HDR_MIN + (h->has_seq ? 4 : 0) +
	    (h->has_ack ? 4 : 0);
	if (len < h->hdr_len)
		return -PPTP_GRE_E_SHORT;
	h->payload_len = get16(pkt + GRE_OFF_PAYLOAD);
	h->call_id = get16(pkt + PPTP_GRE_OFF_CALL_ID);
	h->seq = h->ack = 0;
	if (h->has_seq) {
		h->seq = get32(pkt + off);
		off += 4;
	}
	if (h->has_ack)
		h->ack = get32(pkt + off);
	/* Only a sequenced packet carries data (RFC 2637 4.1: S is set when
	 * there is a payload); an ack-only packet with bytes after it would
	 * smuggle data past a receiver that trusts S. */
	if (!h->has_seq && h->payload_len != 0)
		return -PPTP_GRE_E_PAYLOAD;
	if (len - h->hdr_len != h->payload_len)
		return -PPTP_GRE_E_PAYLOAD;
	return 0;
}

void
pptp_gre_set_call_id(uint8_t *pkt, uint16_t call_id)
{
	put16(pkt + PPTP_GRE_OFF_CALL_ID, call_id);
}

size_t
pptp_gre_build(uint8_t *buf, const struct pptp_gre_hdr *h)
{
	size_t off = PPTP_GRE_HDR_MIN;

	buf[0] = GRE_B0_K | (h->has_seq ? GRE_B0_S : 0);
	buf[1] = (h->has_ack ? GRE_B1_A : 0) | GRE_VERSION;
	put16(buf + GRE_OFF_PROTO, PPTP_GRE_PROTO);
	put16(buf + GRE_OFF_PAYLOAD, h->payload_len);
	put16(buf + PPTP_GRE_OFF_CALL_ID, h->call_id);
	if (h->has_seq) {
		put32(buf + off, h->seq);
		off += 4;
	}
	if (h->has_ack) {
		put32(buf + off, h->ack);
		off += 4;
	}
	return off;
}

const char *
pptp_gre_strerror(int err)
{
	/* unsigned: negating INT_MIN would overflow */
	switch (err < 0 ? 0u - (unsigned)err : (unsigned)err) {
	case PPTP_GRE_OK:		return "no error";
	case PPTP_GRE_E_SHORT:		return "packet shorter than its GRE header";
	case PPTP_GRE_E_VERSION:	return "GRE version is not 1";
	case PPTP_GRE_E_PROTO:		return "GRE protocol is not 0x880b (PPP)";
	case PPTP_GRE_E_FLAGS:		return "GRE flags not those of PPTP (C, R, s, recursion or flag bits set, or K clear)";
	case PPTP_GRE_E_PAYLOAD:	return "GRE payload length disagrees with the packet";
	}
	return "unknown error";
}
