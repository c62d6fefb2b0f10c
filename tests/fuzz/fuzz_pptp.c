/*
 * fuzz_pptp - what a downstream PPTP client (or a server) can send the
 * LRP, through the production parsers: the bytes as a control connection
 * (pptp_msg_frame / pptp_msg_check, then the Call ID fields the LRP reads
 * and rewrites) and the same bytes as one GRE packet (pptp_gre_parse,
 * Call ID rewrite, header rebuild).
 */
#include <string.h>

#include "fuzz_target.h"
#include "pptp_gre.h"
#include "pptp_msg.h"

/* The Call ID field the LRP translates in each message type, or 0. */
static size_t
call_id_offset(int type)
{
	switch (type) {
	case PPTP_OCRQ:	return PPTP_OFF_OCRQ_CALL_ID;
	case PPTP_OCRP:	return PPTP_OFF_OCRP_CALL_ID;
	case PPTP_ICRQ:	return PPTP_OFF_ICRQ_CALL_ID;
	case PPTP_ICRP:	return PPTP_OFF_ICRP_PEER_CALL_ID;
	case PPTP_ICCN:	return PPTP_OFF_ICCN_PEER_CALL_ID;
	case PPTP_CCRQ:	return PPTP_OFF_CCRQ_CALL_ID;
	case PPTP_CDN:	return PPTP_OFF_CDN_CALL_ID;
	case PPTP_WEN:	return PPTP_OFF_WEN_PEER_CALL_ID;
	case PPTP_SLI:	return PPTP_OFF_SLI_PEER_CALL_ID;
	}
	return 0;
}

static void
control_stream(const uint8_t *data, size_t size)
{
	uint8_t copy[PPTP_MSG_MAX];
	size_t off = 0, k, cid;
	int n, rc, type;

	while ((n = pptp_msg_frame(data + off, size - off)) > 0) {
		FUZZ_ASSERT(n >= PPTP_HDR_LEN && n <= PPTP_MSG_MAX);
		FUZZ_ASSERT((size_t)n <= size - off);
		/* a prefix of a whole message asks for more */
		for (k = 0; k < (size_t)n; k++)
			FUZZ_ASSERT(pptp_msg_frame(data + off, k) == 0);
		rc = pptp_msg_check(data + off, (size_t)n, &type);
		(void)pptp_msg_strerror(rc);
		(void)pptp_ctrl_type_str(type);
		if (rc == 0) {
			FUZZ_ASSERT(pptp_msg_size(type) == (size_t)n);
			cid = call_id_offset(type);
			memcpy(copy, data + off, (size_t)n);
			if (cid != 0) {
				/* the LRP's rewrite leaves a valid message */
				pptp_put16(copy, cid,
				    (uint16_t)~pptp_get16(copy, cid));
				FUZZ_ASSERT(pptp_msg_check(copy, (size_t)n,
				    &type) == 0);
			}
		}
		off += (size_t)n;
	}
}

static void
gre_packet(const uint8_t *data, size_t size)
{
	static uint8_t copy[65536 + PPTP_GRE_HDR_MAX];
	uint8_t hdr[PPTP_GRE_HDR_MAX];
	struct pptp_gre_hdr h, h2;
	int rc;

	rc = pptp_gre_parse(data, size, &h);
	(void)pptp_gre_strerror(rc);
	if (rc != 0 || size > sizeof(copy))
		return;
	FUZZ_ASSERT(h.hdr_len == 8 || h.hdr_len == 12 || h.hdr_len == 16);
	FUZZ_ASSERT(h.hdr_len + h.payload_len == size);
	FUZZ_ASSERT(h.has_seq || h.payload_len == 0);
	FUZZ_ASSERT(pptp_gre_build(hdr, &h) == h.hdr_len);
	FUZZ_ASSERT(memcmp(hdr, data, h.hdr_len) == 0);
	memcpy(copy, data, size);
	pptp_gre_set_call_id(copy, (uint16_t)(h.call_id ^ 0x5555));
	FUZZ_ASSERT(pptp_gre_parse(copy, size, &h2) == 0);
	FUZZ_ASSERT(h2.call_id == (uint16_t)(h.call_id ^ 0x5555));
	FUZZ_ASSERT(memcmp(copy + 8, data + 8, size - 8) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	control_stream(data, size);
	gre_packet(data, size);
	return 0;
}
