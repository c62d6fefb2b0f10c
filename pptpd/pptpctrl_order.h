/*
 * pptpctrl_order.h - a direct client's control messages kept to RFC
 * 2637's order in pptpctrl, by the rules the LRP and the RRP keep for
 * theirs (common/pptp_state.c).
 *
 * Upstream pptpctrl acts on each message as it comes: it answers a
 * repeated Start-Control-Connection-Request, starts a call for an
 * Outgoing-Call-Request sent before one, a second ppp for a second
 * Outgoing-Call-Request, takes a Set-Link-Info before any call, and
 * clears its call for a Call-Clear-Request naming any Call ID.  A client
 * of the LRP never gets that far: the LRP and the session process of its
 * tunnel (rrp_session.c) refuse such a control connection.  A client at
 * pptpd's own port 1723 is now refused the same way, by pptpctrl.
 */
#ifndef PPTPCTRL_ORDER_H
#define PPTPCTRL_ORDER_H

/*
 * One whole control message from the client on fd (pptpctrl's control
 * socket), of type type, as read_pptp_packet() read it into msg (its
 * length field says how many bytes it holds) and answered it in reply
 * (the Outgoing-Call-Reply to an Outgoing-Call-Request gives the Call ID
 * the client must name the call by).  Returns 0 if it may be acted on, or
 * -1 after logging, naming the client and the cause, why not: pptpctrl
 * then ends the control connection.  In an RRP tunnel it returns 0: the
 * session process has checked the message already.
 */
int pptpctrl_order_check(int fd, const void *msg, int type, const void *reply);

#endif
