/*
 * fuzz_lrp_ctrl - a client's PPTP control stream as the LRP reads it:
 * the bytes arrive in a libevent input buffer in arbitrary pieces (TCP
 * may cut anywhere) and lrp_relay_up_next() - the code lrp_session.c
 * runs - frames, checks and translates each message; then, as
 * lrp_session.c does, a message naming a call not the client's ends the
 * session, and so does one out of the order RFC 2637 gives a client
 * (pptp_pns_check()).  Every message forwarded up is then also handed to
 * lrp_translate_down() (and an Outgoing-Call-Reply to
 * pptp_pns_call_reply()), as pptpd's replies would be, so both
 * translators run on learned Call ID state.  The first message is also
 * judged where it waits, before any tunnel (lrp_relay_peek_first(), which
 * lrp_session.c runs to decide whether to open one): the same verdict as
 * lrp_relay_up_next() then gives, with nothing taken from the buffer.
 *
 * Input: byte 0 seeds the sizes of the pieces; the rest is the stream.
 * Properties: a forwarded message is exactly its type's size and still
 * valid after both rewrites; a stream error ends it (as it ends the
 * session) and is never reported before the bytes that cause it.
 */
#include <string.h>

#include <event2/buffer.h>

#include "fuzz_target.h"
#include "lrp_relay.h"
#include "lrp_translate.h"
#include "pptp_msg.h"
#include "pptp_state.h"

static size_t
next_piece(uint32_t *rng)
{
	*rng ^= *rng << 13;
	*rng ^= *rng >> 17;
	*rng ^= *rng << 5;
	/* mostly small pieces, now and then a large one */
	return (*rng & 7) == 0 ? 1 + (*rng >> 8) % 600 : 1 + (*rng >> 8) % 24;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lrp_callid_state cid;
	struct pptp_pns_state pns;
	char why[128];
	struct lrp_relay_msg m, first;
	struct evbuffer *in;
	uint8_t copy[PPTP_MSG_MAX];
	size_t off = 1, fed = 0, taken = 0, n;
	uint32_t rng;
	int rc, prc = LRP_RELAY_MORE, type, ended = 0;

	if (size < 1)
		return 0;
	rng = 0x9e3779b9u ^ data[0];
	memset(&cid, 0, sizeof(cid));
	memset(&pns, 0, sizeof(pns));
	cid.lrp_cid = 0x4c52;
	if ((in = evbuffer_new()) == NULL)
		abort();
	while (off < size && !ended) {
		n = next_piece(&rng);
		if (n > size - off)
			n = size - off;
		FUZZ_ASSERT(evbuffer_add(in, data + off, n) == 0);
		off += n;
		fed += n;
		for (;;) {
			if (taken == 0) {
				memset(&first, 0x5a, sizeof(first));
				prc = lrp_relay_peek_first(in, &first);
				FUZZ_ASSERT(evbuffer_get_length(in) == fed);
			}
			memset(&m, 0xa5, sizeof(m));
			rc = lrp_relay_up_next(in, &cid, &m);
			FUZZ_ASSERT(rc != LRP_RELAY_NOMEM);	/* malloc does not fail here */
			if (taken == 0) {
				FUZZ_ASSERT(prc == rc);
				if (rc == LRP_RELAY_FRAMING)
					FUZZ_ASSERT(first.length_field == m.length_field);
				else if (rc != LRP_RELAY_MORE)
					FUZZ_ASSERT(first.len == m.len && first.type == m.type &&
					    memcmp(first.buf, data + 1, 8) == 0);
			}
			if (rc == LRP_RELAY_MORE)
				break;
			if (rc == LRP_RELAY_FRAMING) {
				FUZZ_ASSERT(m.length_field < PPTP_HDR_LEN ||
				    m.length_field > PPTP_MSG_MAX);
				ended = 1;
				break;
			}
			FUZZ_ASSERT(m.len >= PPTP_HDR_LEN && m.len <= PPTP_MSG_MAX);
			taken += (size_t)m.len;
			FUZZ_ASSERT(taken <= fed);
			FUZZ_ASSERT(evbuffer_get_length(in) == fed - taken);
			FUZZ_ASSERT(memcmp(m.buf, data + 1 + taken - (size_t)m.len, 8) == 0);
			(void)pptp_ctrl_type_str(m.type);
			if (rc == LRP_RELAY_SIZE) {
				FUZZ_ASSERT(pptp_msg_size(m.type) != (size_t)m.len);
				ended = 1;
				break;
			}
			if (rc == LRP_RELAY_MALFORMED) {
				FUZZ_ASSERT(m.check_rc < 0);
				(void)pptp_msg_strerror(-m.check_rc);
				ended = 1;
				break;
			}
			FUZZ_ASSERT(rc == LRP_RELAY_MSG);
			FUZZ_ASSERT(pptp_msg_size(m.type) == (size_t)m.len);
			FUZZ_ASSERT(pptp_msg_check(m.buf, (size_t)m.len, &type) == 0);
			FUZZ_ASSERT(type == m.type);
			if (m.tr == LRP_TR_WRONG_CALL) {
				ended = 1;
				break;
			}
			if (pptp_pns_check(&pns, m.buf, m.type, why, sizeof(why)) < 0) {
				FUZZ_ASSERT(memchr(why, '\0', sizeof(why)) != NULL);
				ended = 1;
				break;
			}
			/* the same message as pptpd's, coming down */
			memcpy(copy, m.buf, (size_t)m.len);
			(void)lrp_translate_down(&cid, copy, m.type);
			if (m.type == PPTP_OCRP)
				pptp_pns_call_reply(&pns, cid.server_cid, cid.call_up);
			FUZZ_ASSERT(pptp_msg_check(copy, (size_t)m.len, &type) == 0);
			FUZZ_ASSERT(type == m.type);
			if (cid.have_server_cid && (m.type == PPTP_OCRP ||
			    m.type == PPTP_ICRQ || m.type == PPTP_CDN))
				FUZZ_ASSERT(pptp_get16(copy, 12) == cid.lrp_cid);
		}
	}
	evbuffer_free(in);
	return 0;
}
