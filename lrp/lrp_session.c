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
	struct evbuffer *in = bufferevent_get_input(s->down);
	size_t avail = evbuffer_get_length(in);
	uint8_t *p;
	int len, type;

	if (avail > PPTP_MSG_MAX)
		avail = PPTP_MSG_MAX;
	if (avail < PPTP_HDR_LEN || (p = evbuffer_pullup(in, (ssize_t)avail)) == NULL)
		return 0;
	len = pptp_msg_frame(p, avail);
	return len > 0 && pptp_msg_check(p, (size_t)len, &type) == 0 && type == PPTP_SCCRQ;
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
	s->closing_since_ms = lrp_now_ms();
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

/* Messages from the client: frame, check, translate (lrp_relay.c), send
 * up.  Returns 0, or -1 if the session was ended. */
static int
relay_up(struct lrp_session *s)
{
	struct evbuffer *in = bufferevent_get_input(s->down);

	for (;;) {
		struct lrp_relay_msg m;
		int type;
		char why[128];

		switch (lrp_relay_up_next(in, &s->cid, &m)) {
		case LRP_RELAY_MORE:
			return 0;
		case LRP_RELAY_FRAMING:
			lrp_log(LOG_WARNING, "%s: the client lost PPTP framing (length field %u outside 12..220); closing",
			    s->name, m.length_field);
			lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client broke PPTP framing");
			return -1;
		case LRP_RELAY_SIZE:
			lrp_log(LOG_WARNING, "%s: malformed control message from the client: %s of %d bytes "
			    "(RFC 2637 says %zu); closing", s->name, pptp_ctrl_type_str(m.type), m.len,
			    pptp_msg_size(m.type));
			lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client sent a malformed control message");
			return -1;
		case LRP_RELAY_MALFORMED:
			lrp_log(LOG_WARNING, "%s: malformed control message from the client: %s; closing",
			    s->name, pptp_msg_strerror(-m.check_rc));
			lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client sent a malformed control message");
			return -1;
		case LRP_RELAY_MSG:
			break;
		}
		type = m.type;
		if (m.tr == LRP_TR_WRONG_CALL)
			snprintf(why, sizeof(why), "%s for an unknown call (Peer Call ID %u)",
			    pptp_ctrl_type_str(type), pptp_get16(m.buf, type == PPTP_ICRP ?
			    PPTP_OFF_ICRP_PEER_CALL_ID : PPTP_OFF_SLI_PEER_CALL_ID));
		if (m.tr == LRP_TR_WRONG_CALL || pptp_pns_check(&s->pns, m.buf, type, why, sizeof(why)) < 0) {
			lrp_log(LOG_WARNING, "%s: out-of-order control message from the client: %s; closing",
			    s->name, why);
			lrp_session_end(s, RRP_CLOSE_PEER_GONE, "client sent a control message out of order");
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
}

void
lrp_session_tunnel_open(struct lrp_session *s)
{
	s->tun_rx_ms = s->tun_tx_ms = lrp_now_ms();
	bufferevent_enable(s->down, EV_READ);
	relay_up(s);
}

/* Is the client's first message all there (or its framing already broken,
 * which relay_up() reports once the tunnel is open, as for any message)? */
static int
first_message_whole(struct evbuffer *in)
{
	size_t avail = evbuffer_get_length(in);
	uint8_t *p;

	if (avail < 2)
		return 0;
	if (avail > PPTP_MSG_MAX)
		avail = PPTP_MSG_MAX;
	p = evbuffer_pullup(in, (ssize_t)avail);
	return p != NULL && pptp_msg_frame(p, avail) != 0;
}

static void
down_read(struct bufferevent *bev, void *arg)
{
	struct lrp_session *s = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	s->down_rx_ms = lrp_now_ms();
	if (s->closing) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	if (s->first_pending && first_message_whole(in)) {
		first_pending_over(s);
		if (lrp_tunnel_start(s) < 0) {
			lrp_session_tunnel_gone(s, LOG_WARNING, "cannot start the tunnel");
			return;
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
lrp_session_new(struct lrp *l, int fd, const struct sockaddr_in *client)
{
	struct lrp_session *s;
	socklen_t len = sizeof(s->local);
	char ip[INET_ADDRSTRLEN];

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
		free(s);
		return NULL;
	}
	s->started_ms = s->down_rx_ms = s->tun_rx_ms = s->tun_tx_ms = lrp_now_ms();
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
	if (now - s->down_rx_ms >= (int64_t)c->idle_timeout_s * 1000) {
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
		if (now - s->tun_tx_ms >= (int64_t)c->keepalive_s * 1000 && lrp_tunnel_queued(s) == 0)
			lrp_tunnel_send(s, RRP_KEEPALIVE, NULL, 0);
	}
}
