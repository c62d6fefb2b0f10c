/*
 * lrp_session.c - one client's PPTP control connection: relay its
 * messages to and from the tunnel, checking each one (exact size for its
 * type) and translating Call IDs (lrp_translate.c), and tear it down when
 * either end goes away.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "lrp.h"
#include "lrp_log.h"
#include "lrp_relay.h"
#include "pptp_msg.h"

/* Until the tunnel is open the client's first messages wait in the
 * connection's input buffer; past this much it is not read any further. */
#define DOWN_PENDING_MAX	(4 * PPTP_MSG_MAX)
/* A closing session lingers at most this long for its buffers to drain. */
#define LINGER_MS		2000

static void
down_write_msg(struct lrp_session *s, const uint8_t *msg, size_t len)
{
	if (s->down != NULL && !s->down_done && !s->down_shut)
		bufferevent_write(s->down, msg, len);
}

/* The client's first message is whole, or the session ends: it no
 * longer counts against max-pending. */
static void
first_pending_over(struct lrp_session *s)
{
	if (s->first_pending) {
		s->first_pending = 0;
		pending_set_remove(&s->lrp->pending, &s->pend);
		lrp_listener_room(s->lrp);
	}
}

void
lrp_session_free(struct lrp_session *s)
{
	struct lrp *l = s->lrp;

	lrp_log(LOG_INFO, "%s: session ended (%s); control %lu up / %lu down, GRE %lu up / %lu down, "
	    "GRE dropped %lu up / %lu down, GRE not for this call %lu, tunnel bytes %llu up / %llu down",
	    s->name, s->end_reason[0] ? s->end_reason : "closed", s->n.ctrl_up, s->n.ctrl_down,
	    s->n.gre_up, s->n.gre_down, s->n.gre_up_dropped, s->n.gre_down_dropped,
	    s->n.gre_down_bad, s->n.bytes_up, s->n.bytes_down);
	first_pending_over(s);
	TAILQ_REMOVE(&l->sessions, s, link);
	lrp_tunnel_forget(s);
	l->nsessions--;
	lrp_callid_free(&l->callids, s->cid.lrp_cid);
	if (s->tun_rev != NULL)
		event_free(s->tun_rev);
	free(s->tun_partial);
	if (s->down != NULL)
		bufferevent_free(s->down);
	if (s->tun != NULL)
		bufferevent_free(s->tun);
	free(s);
}

/* Is the client's Start-Control-Connection-Request still waiting in its
 * input for a tunnel that never opened? */
static int
sccrq_pending(struct lrp_session *s)
{
	struct lrp_relay_msg m;

	return lrp_relay_peek_first(bufferevent_get_input(s->down), &m) == LRP_RELAY_MSG &&
	    m.type == PPTP_SCCRQ;
}

/* The client is told its call and control connection are over, as pptpd
 * itself would on shutdown.  A client whose Start-Control-Connection-
 * Request never went up (the tunnel did not open: refused, unreachable,
 * shutdown) gets a Start-Control-Connection-Reply "general error" instead:
 * a PPTP client reports that as the server's refusal (pptp-linux logs
 * "Reply result code is 2 'General Error'"), where a connection closed
 * without a word tells it nothing. */
static void
goodbye_to_client(struct lrp_session *s)
{
	uint8_t msg[PPTP_MSG_MAX];

	if (s->down == NULL || s->down_done)
		return;
	if (!s->ctrl_started) {
		/* result 2: general error (RFC 2637 2.2) */
		if (sccrq_pending(s))
			down_write_msg(s, msg, pptp_build_sccrp(msg, 2, "lrp", "pptpd-rrp"));
		return;
	}
	if (s->cid.call_up) {
		/* result 3: administrative shutdown (RFC 2637 2.13) */
		down_write_msg(s, msg, pptp_build_cdn(msg, s->cid.lrp_cid, 3, 0));
		s->cid.call_up = 0;
	}
	/* pptpd's own goodbye (its pptpctrl's, when the ppp program or a
	 * SIGTERM ended the call) already went down: not a second one */
	if (!s->stop_down)
		down_write_msg(s, msg, pptp_build_stopccrq(msg, 3));
}

void
lrp_session_end(struct lrp_session *s, int close_reason, const char *reason)
{
	if (s->closing)
		return;
	first_pending_over(s);
	s->closing = 1;
	s->closing_since_ms = rrp_now_ms();
	snprintf(s->end_reason, sizeof(s->end_reason), "%s", reason);
	goodbye_to_client(s);
	lrp_tunnel_close(s, RRP_CLOSE, close_reason, reason);
	/* both sides stay readable (and what they send is discarded) until
	 * they close, so no TCP reset destroys our last words */
	if (s->down != NULL && !s->down_done)
		bufferevent_enable(s->down, EV_READ);
	lrp_session_closing_progress(s);
}

void
lrp_session_closing_progress(struct lrp_session *s)
{
	if (!s->closing)
		return;
	if (s->down != NULL && !s->down_done && !s->down_shut &&
	    evbuffer_get_length(bufferevent_get_output(s->down)) == 0) {
		shutdown(bufferevent_getfd(s->down), SHUT_WR);
		s->down_shut = 1;
	}
	if (s->tun != NULL && !s->tun_done && !s->tun_shut && lrp_tunnel_queued(s) == 0 &&
	    bufferevent_getfd(s->tun) >= 0) {
		shutdown(bufferevent_getfd(s->tun), SHUT_WR);
		s->tun_shut = 1;
	}
}

int
lrp_session_maybe_free(struct lrp_session *s)
{
	if (!s->closing || !(s->down == NULL || s->down_done) || !(s->tun == NULL || s->tun_done))
		return 0;
	lrp_session_free(s);
	return 1;
}

void
lrp_session_tunnel_gone(struct lrp_session *s, int priority, const char *why)
{
	s->tstate = TUN_CLOSED;
	if (s->closing)
		return;
	lrp_log(priority, "%s: %s; telling the client and closing", s->name, why);
	lrp_session_end(s, RRP_CLOSE_PEER_GONE, why);
}

/*
 * End the session for what the client sent: rc and m as lrp_relay.c
 * returned them, or out_of_order saying why a valid message came when it
 * must not.  One log line names the problem; first says it was the
 * client's first message, refused before any tunnel was opened for it.
 */
static void
client_refused(struct lrp_session *s, enum lrp_relay_result rc, const struct lrp_relay_msg *m,
    const char *out_of_order, int first)
{
	const char *tail = first ? "; closing, no tunnel opened" : "; closing";

	if (out_of_order != NULL) {
		lrp_log(LOG_WARNING, "%s: out-of-order control message from the client: %s%s",
		    s->name, out_of_order, tail);
		lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client sent a control message out of order");
		return;
	}
	switch (rc) {
	case LRP_RELAY_FRAMING:
		lrp_log(LOG_WARNING, "%s: the client lost PPTP framing (length field %u outside 12..220)%s",
		    s->name, m->length_field, tail);
		lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client broke PPTP framing");
		break;
	case LRP_RELAY_SIZE:
		lrp_log(LOG_WARNING, "%s: malformed control message from the client: %s of %d bytes "
		    "(RFC 2637 says %zu)%s", s->name, pptp_ctrl_type_str(m->type), m->len,
		    pptp_msg_size(m->type), tail);
		lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client sent a malformed control message");
		break;
	case LRP_RELAY_MALFORMED:
		lrp_log(LOG_WARNING, "%s: malformed control message from the client: %s%s",
		    s->name, pptp_msg_strerror(-m->check_rc), tail);
		lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client sent a malformed control message");
		break;
	default:	/* LRP_RELAY_NOMEM */
		lrp_log(LOG_ERR, "%s: out of memory reading the client's control messages%s",
		    s->name, tail);
		lrp_session_end(s, RRP_CLOSE_OVERLOAD, "out of memory");
		break;
	}
}

/* The tunnel's control backlog is over its room: the client is not read
 * (TCP holds it back) until lrp_session_tunnel_drained(). */
static void
hold_client(struct lrp_session *s)
{
	if (s->up_held)
		return;
	s->up_held = 1;
	s->up_held_ms = rrp_now_ms();
	bufferevent_disable(s->down, EV_READ);
	lrp_log(LOG_DEBUG, "%s: %zu bytes queued in the tunnel, over queue-limit %zu + %d for control: "
	    "not reading the client until they are sent", s->name, lrp_tunnel_queued(s),
	    s->lrp->cfg.queue_limit_bytes, LRP_CTRL_ROOM_BYTES);
}

/* Messages from the client: frame, check, translate (lrp_relay.c), send
 * up, while the tunnel's queue has room for them.  Returns 0, or -1 if
 * the session was ended. */
static int
relay_up(struct lrp_session *s)
{
	struct evbuffer *in = bufferevent_get_input(s->down);

	for (;;) {
		struct lrp_relay_msg m;
		enum lrp_relay_result rc;
		int type;
		char why[128];

		if (lrp_tunnel_queued(s) > s->lrp->cfg.queue_limit_bytes + LRP_CTRL_ROOM_BYTES) {
			hold_client(s);
			return 0;
		}
		rc = lrp_relay_up_next(in, &s->cid, &m);
		if (rc == LRP_RELAY_MORE)
			return 0;
		if (rc != LRP_RELAY_MSG) {
			client_refused(s, rc, &m, NULL, 0);
			return -1;
		}
		type = m.type;
		if (m.tr == LRP_TR_WRONG_CALL)
			snprintf(why, sizeof(why), "%s for an unknown call (Peer Call ID %u)",
			    pptp_ctrl_type_str(type), pptp_get16(m.buf, type == PPTP_ICRP ?
			    PPTP_OFF_ICRP_PEER_CALL_ID : PPTP_OFF_SLI_PEER_CALL_ID));
		if (m.tr == LRP_TR_WRONG_CALL || pptp_pns_check(&s->pns, m.buf, type, why, sizeof(why)) < 0) {
			client_refused(s, rc, &m, why, 0);
			return -1;
		}
		if (m.tr == LRP_TR_UNKNOWN_PEER)
			lrp_log(LOG_DEBUG, "%s: %s before pptpd's Call ID is known; forwarded unchanged",
			    s->name, pptp_ctrl_type_str(type));
		if (type == PPTP_SCCRQ)
			s->ctrl_started = 1;
		if (type == PPTP_CCRQ || type == PPTP_STOPCCRQ) {
			s->client_cleared = 1;
			lrp_log(LOG_INFO, "%s: %s from the client", s->name, pptp_ctrl_type_str(type));
		} else if (type == PPTP_OCRQ)
			lrp_log(LOG_INFO, "%s: Outgoing-Call-Request, client Call ID %u", s->name, s->cid.client_cid);
		else
			lrp_log(LOG_DEBUG, "%s: %s from the client", s->name, pptp_ctrl_type_str(type));
		lrp_tunnel_send(s, RRP_CTRL, m.buf, (size_t)m.len);
		s->n.ctrl_up++;
	}
}

void
lrp_session_tunnel_drained(struct lrp_session *s)
{
	if (!s->up_held || s->closing || lrp_tunnel_queued(s) > s->lrp->cfg.queue_limit_bytes)
		return;
	lrp_log(LOG_DEBUG, "%s: the tunnel's queue drained after %lld ms: reading the client again",
	    s->name, (long long)(rrp_now_ms() - s->up_held_ms));
	s->up_held = 0;
	/* the time it was not read is not the client's silence */
	s->down_rx_ms = rrp_now_ms();
	bufferevent_enable(s->down, EV_READ);
	/* what was read before the hold waits in the input buffer */
	relay_up(s);
}

void
lrp_session_ctrl_down(struct lrp_session *s, uint8_t *msg, size_t len, int type)
{
	if (s->closing)
		return;
	lrp_translate_down(&s->cid, msg, type);
	if (type == PPTP_OCRP)
		/* the client's Set-Link-Info names the call by our Call ID,
		 * which lrp_translate_up() has turned into pptpd's */
		pptp_pns_call_reply(&s->pns, s->cid.server_cid, s->cid.call_up);
	if (type == PPTP_OCRP)
		lrp_log(LOG_INFO, "%s: Outgoing-Call-Reply %s: pptpd's Call ID %u shown to the client as %u",
		    s->name, s->cid.call_up ? "connected" : "not connected", s->cid.server_cid, s->cid.lrp_cid);
	else if (type == PPTP_CDN)
		lrp_log(LOG_INFO, "%s: Call-Disconnect-Notify from pptpd", s->name);
	else if (type == PPTP_STOPCCRQ || type == PPTP_STOPCCRP) {
		s->stop_down = 1;
		lrp_log(LOG_INFO, "%s: %s from pptpd", s->name, pptp_ctrl_type_str(type));
	} else
		lrp_log(LOG_DEBUG, "%s: %s to the client", s->name, pptp_ctrl_type_str(type));
	down_write_msg(s, msg, len);
	/* the RRP is read as fast as it sends (its GRE must not wait behind
	 * control), so a client that does not read is the one to go */
	if (s->down != NULL && evbuffer_get_length(bufferevent_get_output(s->down)) > LRP_DOWN_QUEUE_MAX_BYTES) {
		lrp_log(LOG_WARNING, "%s: the client does not read its control messages (%zu bytes wait for it, "
		    "over the bound of %d); closing", s->name,
		    evbuffer_get_length(bufferevent_get_output(s->down)), LRP_DOWN_QUEUE_MAX_BYTES);
		lrp_session_end(s, RRP_CLOSE_OVERLOAD, "client does not read its control messages");
	}
}

void
lrp_session_tunnel_open(struct lrp_session *s)
{
	s->tun_rx_ms = s->tun_tx_ms = rrp_now_ms();
	bufferevent_enable(s->down, EV_READ);
	relay_up(s);
}

/* The client's first message, before any tunnel: 1 once it is a whole,
 * valid Start-Control-Connection-Request (it stays in the input buffer
 * for relay_up()), 0 while it is not whole, -1 when it was refused and
 * the session ended - a tunnel, and a pptpctrl at the RRP, for a client
 * that cannot even start would be wasted. */
static int
first_message_ok(struct lrp_session *s, struct evbuffer *in)
{
	struct pptp_pns_state pns = s->pns;	/* relay_up() advances the real one */
	struct lrp_relay_msg m;
	enum lrp_relay_result rc;
	char why[128];

	rc = lrp_relay_peek_first(in, &m);
	if (rc == LRP_RELAY_MORE)
		return 0;
	if (rc != LRP_RELAY_MSG) {
		client_refused(s, rc, &m, NULL, 1);
		return -1;
	}
	if (pptp_pns_check(&pns, m.buf, m.type, why, sizeof(why)) < 0) {
		client_refused(s, rc, &m, why, 1);
		return -1;
	}
	return 1;
}

static void
down_read(struct bufferevent *bev, void *arg)
{
	struct lrp_session *s = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	s->down_rx_ms = rrp_now_ms();
	if (s->closing) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	if (s->first_pending) {
		int ok = first_message_ok(s, in);

		if (ok < 0)
			return;
		if (ok > 0) {
			first_pending_over(s);
			if (lrp_tunnel_start(s) < 0) {
				lrp_session_tunnel_gone(s, LOG_WARNING, "cannot start the tunnel");
				return;
			}
		}
	}
	if (s->tstate != TUN_OPEN) {
		/* wait for the tunnel; stop reading once enough is pending */
		if (evbuffer_get_length(in) > DOWN_PENDING_MAX)
			bufferevent_disable(bev, EV_READ);
		return;
	}
	relay_up(s);
}

int
lrp_session_read_first(struct lrp_session *s)
{
	/* the most a whole first message needs beyond what is in already */
	if (s->first_pending && !s->closing &&
	    evbuffer_read(bufferevent_get_input(s->down), bufferevent_getfd(s->down), PPTP_MSG_MAX) > 0)
		down_read(s->down, s);
	/* (an EOF or error it found, the bufferevent finds again) */
	return !s->first_pending || s->closing;
}

static void
down_event(struct bufferevent *bev, short what, void *arg)
{
	struct lrp_session *s = arg;

	(void)bev;
	s->down_done = 1;
	if (s->closing) {
		lrp_session_closing_progress(s);
		lrp_session_maybe_free(s);
		return;
	}
	if ((what & BEV_EVENT_EOF) && (s->tstate == TUN_OPEN || s->first_pending) &&
	    evbuffer_get_length(bufferevent_get_input(bev)) > 0) {
		/* relay_up() leaves nothing behind but an incomplete message,
		 * and a first message waits here until it is whole */
		lrp_log(LOG_WARNING, "%s: the client closed its control connection in the middle of a "
		    "control message (%zu bytes of it); closing", s->name,
		    evbuffer_get_length(bufferevent_get_input(bev)));
		lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client hung up in a control message");
	} else if ((what & BEV_EVENT_EOF) && (s->client_cleared || !s->cid.call_up)) {
		lrp_log(LOG_INFO, "%s: the client closed its control connection", s->name);
		lrp_session_end(s, RRP_CLOSE_NORMAL, "client hung up");
	} else if (what & BEV_EVENT_EOF) {
		/* gone in the middle of a call without clearing it: crashed,
		 * killed, or a NAT dropped it */
		lrp_log(LOG_WARNING, "%s: the client closed its control connection in a call, without clearing it",
		    s->name);
		lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client vanished in a call");
	} else {
		lrp_log(LOG_INFO, "%s: control connection lost: %s", s->name,
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client connection lost");
	}
}

static void
down_write(struct bufferevent *bev, void *arg)
{
	struct lrp_session *s = arg;

	(void)bev;
	lrp_session_closing_progress(s);
}

struct lrp_session *
lrp_session_new(struct lrp *l, int fd, const struct sockaddr_in *client, const char **why)
{
	struct lrp_session *s;
	socklen_t len = sizeof(s->local);
	char ip[INET_ADDRSTRLEN];

	*why = "out of memory";
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->lrp = l;
	s->id = ++l->next_session_id;
	s->client = *client;
	getsockname(fd, (struct sockaddr *)&s->local, &len);
	inet_ntop(AF_INET, &client->sin_addr, ip, sizeof(ip));
	snprintf(s->name, sizeof(s->name), "client %s:%u", ip, ntohs(client->sin_port));
	if (lrp_callid_alloc(&l->callids, s, &s->cid.lrp_cid) < 0) {
		*why = l->callids.npool == 0 ? "every LRP Call ID is in use" :
		    "no random bytes to draw an LRP Call ID with";
		free(s);
		return NULL;
	}
	s->started_ms = s->down_rx_ms = s->tun_rx_ms = s->tun_tx_ms = rrp_now_ms();
	s->down = bufferevent_socket_new(l->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (s->down == NULL) {
		lrp_callid_free(&l->callids, s->cid.lrp_cid);
		free(s);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&l->sessions, s, link);
	l->nsessions++;
	bufferevent_setcb(s->down, down_read, down_write, down_event, s);
	bufferevent_enable(s->down, EV_READ | EV_WRITE);
	lrp_log(LOG_INFO, "%s: connected (session %lu, LRP Call ID %u)", s->name, s->id, s->cid.lrp_cid);
	/* no tunnel (nor pptpd session) until the client's first message is
	 * whole: a connection that stays silent or trickles costs the RRP
	 * nothing (lrp_listener.c bounds how many wait so, max-pending) */
	s->first_pending = 1;
	pending_set_add(&l->pending, &s->pend, (const struct sockaddr *)client, s->started_ms);
	return s;
}

void
lrp_session_tick(struct lrp_session *s, int64_t now)
{
	const struct lrp_config *c = &s->lrp->cfg;

	if (s->closing) {
		lrp_session_closing_progress(s);
		if (!lrp_session_maybe_free(s) && now - s->closing_since_ms >= LINGER_MS)
			lrp_session_free(s);
		return;
	}
	if (s->first_pending && now - s->started_ms >= (int64_t)c->start_timeout_s * 1000) {
		lrp_log(LOG_WARNING, "%s: no Start-Control-Connection-Request within %d s; closing",
		    s->name, c->start_timeout_s);
		lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client silent");
		return;
	}
	if (s->tstate != TUN_OPEN && now - s->started_ms >= (int64_t)c->start_timeout_s * 1000) {
		lrp_log(LOG_WARNING, "%s: the tunnel to %s did not open within %d s; closing",
		    s->name, c->server_text, c->start_timeout_s);
		lrp_session_end(s, RRP_CLOSE_NORMAL, "tunnel start timeout");
		return;
	}
	if (!s->ctrl_started && now - s->started_ms >= (int64_t)c->start_timeout_s * 1000) {
		lrp_log(LOG_WARNING, "%s: no Start-Control-Connection-Request within %d s; closing",
		    s->name, c->start_timeout_s);
		lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client silent");
		return;
	}
	/* a client held back for the tunnel is not silent: the tunnel is */
	if (!s->up_held && now - s->down_rx_ms >= (int64_t)c->idle_timeout_s * 1000) {
		lrp_log(LOG_WARNING, "%s: nothing from the client for %d s; closing", s->name, c->idle_timeout_s);
		lrp_session_end(s, RRP_CLOSE_IDLE, "client idle");
		return;
	}
	if (s->tstate == TUN_OPEN) {
		if (now - s->tun_rx_ms >= 3 * (int64_t)c->keepalive_s * 1000) {
			lrp_log(LOG_WARNING, "%s: nothing from the RRP for %d s; closing", s->name, 3 * c->keepalive_s);
			lrp_session_end(s, RRP_CLOSE_IDLE, "tunnel idle");
			/* the path is dead: no answer will come from the RRP, so
			 * the session waits only for its client (and leaves
			 * `lrp -S` when that one is told) */
			s->tun_done = 1;
			lrp_session_maybe_free(s);
			return;
		}
		if (s->up_held && now - s->up_held_ms >= 3 * (int64_t)c->keepalive_s * 1000) {
			/* section 10 of the protocol: control that cannot be
			 * delivered in time ends the tunnel */
			lrp_log(LOG_WARNING, "%s: the tunnel to %s has not taken the client's control messages "
			    "for %d s (%zu bytes queued); closing", s->name, c->server_text,
			    3 * c->keepalive_s, lrp_tunnel_queued(s));
			lrp_session_end(s, RRP_CLOSE_OVERLOAD, "tunnel stalled");
			return;
		}
		/* (lrp_tunnel.c reports the queue drained; this is in case
		 * it drained some other way) */
		lrp_session_tunnel_drained(s);
		if (now - s->tun_tx_ms >= (int64_t)c->keepalive_s * 1000 && lrp_tunnel_queued(s) == 0)
			lrp_tunnel_send(s, RRP_KEEPALIVE, NULL, 0);
	}
}
