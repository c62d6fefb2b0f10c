/*
 * pptp_state.c - see pptp_state.h.
 */
#include "config.h"

#include <stdio.h>

#include "pptp_msg.h"
#include "pptp_state.h"

int
pptp_pns_check(struct pptp_pns_state *st, const uint8_t *msg, int type,
    char *why, size_t why_len)
{
	uint16_t cid;

	if (!st->started) {
		if (type != PPTP_SCCRQ) {
			snprintf(why, why_len, "%s before Start-Control-Connection-Request",
			    pptp_ctrl_type_str(type));
			return -1;
		}
		st->started = 1;
		return 0;
	}
	switch (type) {
	case PPTP_SCCRQ:
		snprintf(why, why_len, "a second Start-Control-Connection-Request");
		return -1;
	case PPTP_OCRQ:
		cid = pptp_get16(msg, PPTP_OFF_OCRQ_CALL_ID);
		if (st->call_requested) {
			/* upstream pptpctrl would start a second ppp for it */
			snprintf(why, why_len, "a second Outgoing-Call-Request (Call ID %u) while call %u "
			    "exists", cid, st->client_cid);
			return -1;
		}
		st->call_requested = 1;
		st->client_cid = cid;
		return 0;
	case PPTP_SLI:
		cid = pptp_get16(msg, PPTP_OFF_SLI_PEER_CALL_ID);
		if (!st->call_up || cid != st->pac_cid) {
			snprintf(why, why_len, "Set-Link-Info for an unknown call (Peer Call ID %u)", cid);
			return -1;
		}
		return 0;
	case PPTP_CCRQ:
		cid = pptp_get16(msg, PPTP_OFF_CCRQ_CALL_ID);
		if (!st->call_requested || cid != st->client_cid) {
			snprintf(why, why_len, "Call-Clear-Request for an unknown call (Call ID %u)", cid);
			return -1;
		}
		return 0;
	default:
		return 0;
	}
}

void
pptp_pns_call_reply(struct pptp_pns_state *st, uint16_t pac_cid, int connected)
{
	st->call_up = connected;
	st->pac_cid = pac_cid;
}
