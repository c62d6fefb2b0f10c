/*
 * lrp_relay.c - frame, check and translate the next message a client
 * sent on its control connection.  See lrp_relay.h.
 */
#include "config.h"

#include <string.h>

#include <event2/buffer.h>

#include "lrp_relay.h"

/* Frame and check the message at the head of in, copying it to m->buf;
 * remove it from in only if take is set. */
static enum lrp_relay_result
next_message(struct evbuffer *in, struct lrp_relay_msg *m, int take)
{
	size_t avail = evbuffer_get_length(in), look;
	uint8_t *p;
	int len;

	if (avail < 2)
		return LRP_RELAY_MORE;
	look = avail < PPTP_MSG_MAX ? avail : PPTP_MSG_MAX;
	/* the message is parsed in place, so its bytes must be contiguous:
	 * when TCP delivered them in pieces libevent gathers them into a new
	 * chain, and that allocation can fail */
	p = evbuffer_pullup(in, (ssize_t)look);
	if (p == NULL)
		return LRP_RELAY_NOMEM;
	len = pptp_msg_frame(p, look);
	if (len < 0) {
		m->length_field = (unsigned)(p[0] << 8 | p[1]);
		return LRP_RELAY_FRAMING;
	}
	if (len == 0)
		return LRP_RELAY_MORE;
	memcpy(m->buf, p, (size_t)len);
	if (take)
		evbuffer_drain(in, (size_t)len);
	m->len = len;
	m->check_rc = pptp_msg_check(m->buf, (size_t)len, &m->type);
	if (m->check_rc == -PPTP_MSG_E_SIZE) {
		m->type = m->buf[8] << 8 | m->buf[9];
		return LRP_RELAY_SIZE;
	}
	if (m->check_rc < 0)
		return LRP_RELAY_MALFORMED;
	return LRP_RELAY_MSG;
}

enum lrp_relay_result
lrp_relay_up_next(struct evbuffer *in, struct lrp_callid_state *cid,
    struct lrp_relay_msg *m)
{
	enum lrp_relay_result rc = next_message(in, m, 1);

	if (rc == LRP_RELAY_MSG)
		m->tr = lrp_translate_up(cid, m->buf, m->type);
	return rc;
}

enum lrp_relay_result
lrp_relay_peek_first(struct evbuffer *in, struct lrp_relay_msg *m)
{
	return next_message(in, m, 0);
}
