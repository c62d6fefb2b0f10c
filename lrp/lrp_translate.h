/*
 * lrp_translate.h - the Call ID fields the LRP rewrites
 * (doc/design-notes.md, "Call IDs"), as pure functions over one checked
 * PPTP control message, so the rules can be tested on their own.
 *
 * Down (pptpd -> client): pptpd's Call ID becomes the LRP's in
 *   Outgoing-Call-Reply (Call ID), Incoming-Call-Request (Call ID) and
 *   Call-Disconnect-Notify (Call ID).
 * Up (client -> pptpd): the LRP's Call ID becomes pptpd's in
 *   Set-Link-Info (Peer Call ID), Incoming-Call-Reply and
 *   Incoming-Call-Connected (Peer Call ID).
 * The client's own Call ID passes unchanged both ways; every other byte
 * is forwarded as it came.  GRE is rewritten by the capture path (up) and
 * passes unchanged (down).
 */
#ifndef LRP_TRANSLATE_H
#define LRP_TRANSLATE_H

#include <stddef.h>
#include <stdint.h>

struct lrp_callid_state {
	uint16_t	lrp_cid;	/* the LRP's, for this session */
	uint16_t	client_cid;	/* learned from the client's OCRQ */
	uint16_t	server_cid;	/* learned from pptpd's OCRP */
	int		have_client_cid, have_server_cid;
	int		call_up;	/* a connected OCRP went down */
};

/* What a translation did, for logs and tests. */
enum lrp_translate_result {
	LRP_TR_PASSED,		/* no Call ID field to touch */
	LRP_TR_REWRITTEN,	/* a field was rewritten */
	LRP_TR_LEARNED,		/* a Call ID was learned (and maybe rewritten) */
	LRP_TR_UNKNOWN_PEER,	/* refers to pptpd's Call ID before it is known:
				 * forwarded unchanged */
	LRP_TR_WRONG_CALL,	/* names a Call ID that is not ours: left
				 * unchanged, for the caller to refuse */
};

/* msg is one message pptp_msg_check() accepted, of control type type. */
enum lrp_translate_result lrp_translate_up(struct lrp_callid_state *st,
    uint8_t *msg, int type);
enum lrp_translate_result lrp_translate_down(struct lrp_callid_state *st,
    uint8_t *msg, int type);

#endif
