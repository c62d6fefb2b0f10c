/*
 * pptp_gre.h - the enhanced GRE header of RFC 2637 section 4.1, as the LRP
 * sees it: parse and validate without trusting the sender, and rewrite
 * the Call ID in place.
 *
 *   flags (C R K S s Recur) | A flags(4) ver(3) | protocol 0x880b |
 *   payload length | call id | [sequence number] | [acknowledgment number]
 */
#ifndef PPTP_GRE_H
#define PPTP_GRE_H

#include <stddef.h>
#include <stdint.h>

#define PPTP_GRE_PROTO		0x880b
#define PPTP_GRE_HDR_MIN	8
#define PPTP_GRE_HDR_MAX	16
#define PPTP_GRE_OFF_CALL_ID	6

struct pptp_gre_hdr {
	uint16_t	call_id;
	uint16_t	payload_len;
	int		has_seq, has_ack;
	uint32_t	seq, ack;
	size_t		hdr_len;	/* 8, 12 or 16 */
};

enum pptp_gre_error {
	PPTP_GRE_OK = 0,
	PPTP_GRE_E_SHORT = 1,		/* shorter than its header */
	PPTP_GRE_E_VERSION = 2,		/* version is not 1 */
	PPTP_GRE_E_PROTO = 3,		/* protocol is not 0x880b */
	PPTP_GRE_E_FLAGS = 4,		/* C, R, s or recursion set, or K clear */
	PPTP_GRE_E_PAYLOAD = 5,		/* payload length disagrees with the packet */
};

/*
 * Parse the GRE packet at pkt[0..len) (no IP header).  Checks version 1,
 * protocol 0x880b, K set, C/R/s/recursion/flags clear, the header fields
 * the S and A bits announce, and that the payload length equals what
 * follows the header (zero when S is clear).  Returns 0 and fills *h, or a
 * negated pptp_gre_error.
 */
int pptp_gre_parse(const uint8_t *pkt, size_t len, struct pptp_gre_hdr *h);

/* Rewrite the Call ID of a packet pptp_gre_parse() accepted. */
void pptp_gre_set_call_id(uint8_t *pkt, uint16_t call_id);

/* Build a header for payload_len bytes (seq/ack included when has_seq /
 * has_ack); returns its length (8..16). */
size_t pptp_gre_build(uint8_t *buf, const struct pptp_gre_hdr *h);

const char *pptp_gre_strerror(int err);

#endif
