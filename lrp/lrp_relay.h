/*
 * lrp_relay.h - the next message of a client's PPTP control stream, as
 * it arrived in the connection's input buffer in whatever pieces TCP
 * delivered: framed, checked (exact size for its type, RFC 2637) and its
 * Call IDs translated (lrp_translate.c).  lrp_session.c logs and acts on
 * the result; tests/fuzz/fuzz_lrp_ctrl.c feeds it arbitrary streams and
 * tests/unit/lrp_relay_test.c the cases one by one.
 */
#ifndef LRP_RELAY_H
#define LRP_RELAY_H

#include <stdint.h>

#include "lrp_translate.h"
#include "pptp_msg.h"

struct evbuffer;

enum lrp_relay_result {
	LRP_RELAY_MSG = 1,		/* m holds the next message, removed from in */
	LRP_RELAY_MORE = 0,		/* no whole message yet */
	LRP_RELAY_FRAMING = -1,		/* length field outside 12..220: the
					 * stream is lost (m->length_field) */
	LRP_RELAY_SIZE = -2,		/* wrong size for its type (m->type,
					 * m->len); removed from in */
	LRP_RELAY_MALFORMED = -3,	/* other check failed (m->check_rc);
					 * removed from in */
	LRP_RELAY_NOMEM = -4,		/* no memory to gather the message's
					 * bytes (evbuffer_pullup()) */
};

struct lrp_relay_msg {
	uint8_t		buf[PPTP_MSG_MAX];
	int		len;		/* bytes in buf */
	int		type;		/* control message type */
	int		check_rc;	/* pptp_msg_check()'s result */
	unsigned	length_field;	/* the header's, on a framing error */
	enum lrp_translate_result tr;	/* what lrp_translate_up() did */
};

/* Take the next message from the client's input in (translating it with
 * the session's Call ID state cid). */
enum lrp_relay_result lrp_relay_up_next(struct evbuffer *in,
    struct lrp_callid_state *cid, struct lrp_relay_msg *m);

/* The client's first message, judged where it waits and left there (so
 * lrp_relay_up_next() relays it once the tunnel is open): the same
 * results, but nothing is removed from in and no Call ID is translated.
 * No tunnel is opened for a stream that does not begin with a whole,
 * valid Start-Control-Connection-Request. */
enum lrp_relay_result lrp_relay_peek_first(struct evbuffer *in,
    struct lrp_relay_msg *m);

#endif
