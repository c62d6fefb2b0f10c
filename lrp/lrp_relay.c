/*
 * lrp_relay.c - frame, check and translate the next message a client
 * sent on its control connection.  See lrp_relay.h.
 */
#include "config.h"

#include <event2/buffer.h>

#include "lrp_relay.h"

enum lrp_relay_result
lrp_relay_up_next(struct evbuffer *in, struct lrp_callid_state *cid,
    struct lrp_relay_msg *m)
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
	evbuffer_remove(in, m->buf, (size_t)len);
	m->len = len;
	m->check_rc = pptp_msg_check(m->buf, (size_t)len, &m->type);
	if (m->check_rc == -PPTP_MSG_E_SIZE) {
		m->type = m->buf[8] << 8 | m->buf[9];
		return LRP_RELAY_SIZE;
	}
	if (m->check_rc < 0)
		return LRP_RELAY_MALFORMED;
	m->tr = lrp_translate_up(cid, m->buf, m->type);
	return LRP_RELAY_MSG;
}
