/*
 * pptp_state.h - the order RFC 2637 gives a PNS's (client's) control
 * messages, as both proxies enforce it before a message reaches pptpd.
 *
 * Upstream pptpctrl acts on each message as it comes: an
 * Outgoing-Call-Request before Start-Control-Connection-Request starts a
 * call, and a second one starts a second ppp.  The LRP (for its clients)
 * and the RRP (for its tunnels) refuse such a control connection instead,
 * with a reason for the log.  One control connection carries one call
 * (doc/tunnel-protocol.md, 4.5: one call per tunnel; doc/design-notes.md,
 * "One order check per control connection").
 */
#ifndef PPTP_STATE_H
#define PPTP_STATE_H

#include <stddef.h>
#include <stdint.h>

struct pptp_pns_state {
	int		started;	/* Start-Control-Connection-Request seen */
	int		call_requested;	/* Outgoing-Call-Request seen */
	uint16_t	client_cid;	/* its Call ID */
	int		call_up;	/* a connected Outgoing-Call-Reply went back */
	uint16_t	pac_cid;	/* the Call ID the client must name it by */
};

/*
 * Check one control message the client sent (already accepted by
 * pptp_msg_check(), of type type) against the control connection's
 * state, and advance the state.  Returns 0 if it is in order, or -1 with
 * why (why_len bytes, NUL-terminated) saying what was out of order.
 */
int pptp_pns_check(struct pptp_pns_state *st, const uint8_t *msg, int type,
    char *why, size_t why_len);

/* The server answered the call with an Outgoing-Call-Reply: pac_cid is
 * the Call ID the client now uses for it (in Set-Link-Info), if connected. */
void pptp_pns_call_reply(struct pptp_pns_state *st, uint16_t pac_cid, int connected);

#endif
