/*
 * lrp_translate.c - rewrite the Call ID fields of PPTP control messages
 * between what a client sees (the LRP's Call ID) and what pptpd sees (its
 * own).  See lrp_translate.h for the rules.
 */
#include "config.h"

#include "lrp_translate.h"
#include "pptp_msg.h"

enum lrp_translate_result
lrp_translate_up(struct lrp_callid_state *st, uint8_t *msg, int type)
{
	size_t off;

	switch (type) {
	case PPTP_OCRQ:
		/* the client's own Call ID: kept, and remembered so GRE
		 * coming down can be checked against it */
		st->client_cid = pptp_get16(msg, PPTP_OFF_OCRQ_CALL_ID);
		st->have_client_cid = 1;
		return LRP_TR_LEARNED;
	case PPTP_ICRP:
		/* a PNS answering pptpd's incoming call: its own ID, and the
		 * peer's, which it knows as ours */
		st->client_cid = pptp_get16(msg, PPTP_OFF_ICRP_CALL_ID);
		st->have_client_cid = 1;
		off = PPTP_OFF_ICRP_PEER_CALL_ID;
		break;
	case PPTP_SLI:
		off = PPTP_OFF_SLI_PEER_CALL_ID;
		break;
	case PPTP_ICCN:
		off = PPTP_OFF_ICCN_PEER_CALL_ID;
		break;
	default:
		return LRP_TR_PASSED;
	}
	if (!st->have_server_cid)
		return LRP_TR_UNKNOWN_PEER;
	/* the client knows pptpd's call only by our Call ID: any other is a
	 * call that does not exist, and must not be turned into this one */
	if (pptp_get16(msg, off) != st->lrp_cid)
		return LRP_TR_WRONG_CALL;
	pptp_put16(msg, off, st->server_cid);
	return type == PPTP_ICRP ? LRP_TR_LEARNED : LRP_TR_REWRITTEN;
}

enum lrp_translate_result
lrp_translate_down(struct lrp_callid_state *st, uint8_t *msg, int type)
{
	switch (type) {
	case PPTP_OCRP:
		st->server_cid = pptp_get16(msg, PPTP_OFF_OCRP_CALL_ID);
		st->have_server_cid = 1;
		st->call_up = msg[PPTP_OFF_OCRP_RESULT] == 1;
		pptp_put16(msg, PPTP_OFF_OCRP_CALL_ID, st->lrp_cid);
		return LRP_TR_LEARNED;
	case PPTP_ICRQ:
		st->server_cid = pptp_get16(msg, PPTP_OFF_ICRQ_CALL_ID);
		st->have_server_cid = 1;
		pptp_put16(msg, PPTP_OFF_ICRQ_CALL_ID, st->lrp_cid);
		return LRP_TR_LEARNED;
	case PPTP_CDN:
		st->call_up = 0;
		pptp_put16(msg, PPTP_OFF_CDN_CALL_ID, st->lrp_cid);
		return LRP_TR_REWRITTEN;
	default:
		return LRP_TR_PASSED;
	}
}
