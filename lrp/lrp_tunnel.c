/*
 * lrp_tunnel.c - a session's tunnel to the RRP: connect, the handshake
 * (HELLO, CHALLENGE, AUTH, WELCOME; doc/tunnel-protocol.md section 5),
 * then frames both ways.
 *
 * The tunnel is a libevent bufferevent.  Its output buffer is the
 * session's send queue: GRE goes in only while the queue is under
 * queue-limit (otherwise dropped and counted); control frames always go
 * in, but lrp_session.c stops reading the client once they are
 * LRP_CTRL_ROOM_BYTES over it and reads on when tun_write() reports the
 * queue drained, so a slow path never makes memory grow (and GRE pays
 * nothing for it: no work is added per packet).  TCP_NODELAY: the frames
 * are small and latency matters (PPP echoes, MS-CHAP, TCP inside PPP);
 * libevent writes whatever has queued in one go.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "lrp.h"
#include "lrp_log.h"
#include "pptp_gre.h"
#include "pptp_msg.h"

/* Tunnel output in big gulps: libevent's default of 16 KiB per write costs
 * a system call and a loop turn for every dozen GRE packets. */
#define TUN_IO_MAX	(256 * 1024)

size_t
lrp_tunnel_queued(const struct lrp_session *s)
{
	return s->tun ? evbuffer_get_length(bufferevent_get_output(s->tun)) : 0;
}

/*
 * Write the tunnel's queue now, as far as the socket takes it.  libevent's
 * write event is enabled only for what is left (tun_write() disables it
 * again once that is gone): a frame that leaves at once then costs one
 * system call, not also an epoll_ctl() pair and an extra loop turn, which
 * is what arming the event for every packet cost.
 */
static void
flush(struct lrp_session *s)
{
	struct evbuffer *out;
	evutil_socket_t fd;

	if (s->tun == NULL || (fd = bufferevent_getfd(s->tun)) < 0)
		return;
	out = bufferevent_get_output(s->tun);
	while (evbuffer_get_length(out) > 0 && evbuffer_write_atmost(out, fd, TUN_IO_MAX) > 0)
		;
	/* what is left (or an error) is libevent's to handle */
	if (evbuffer_get_length(out) > 0)
		bufferevent_enable(s->tun, EV_WRITE);
}

void
lrp_tunnel_flush_queued(struct lrp *l)
{
	struct lrp_session *s;

	while ((s = TAILQ_FIRST(&l->flushq)) != NULL) {
		TAILQ_REMOVE(&l->flushq, s, flush_link);
		s->flush_queued = 0;
		flush(s);
	}
}

void
lrp_tunnel_forget(struct lrp_session *s)
{
	if (s->flush_queued) {
		TAILQ_REMOVE(&s->lrp->flushq, s, flush_link);
		s->flush_queued = 0;
	}
}

static int
put(struct lrp_session *s, const void *frame, size_t len)
{
	if (s->tun == NULL || bufferevent_write(s->tun, frame, len) < 0)
		return -1;
	s->tun_tx_ms = rrp_now_ms();
	s->n.bytes_up += len;
	flush(s);
	return 0;
}

int
lrp_tunnel_send(struct lrp_session *s, uint8_t type, const void *payload, size_t len)
{
	uint8_t hdr[RRP_FRAME_HDR_LEN];
	struct evbuffer *out;

	if (s->tun == NULL || s->tstate != TUN_OPEN)
		return -1;
	out = bufferevent_get_output(s->tun);
	if (type == RRP_GRE && evbuffer_get_length(out) + len > s->lrp->cfg.queue_limit_bytes) {
		s->n.gre_up_dropped++;
		return -1;
	}
	rrp_frame_header(hdr, type, (uint16_t)len);
	/* header and payload in one call: a frame is queued whole or not */
	if (evbuffer_expand(out, sizeof(hdr) + len) < 0 ||
	    evbuffer_add(out, hdr, sizeof(hdr)) < 0 ||
	    evbuffer_add(out, payload, len) < 0)
		return -1;
	s->tun_tx_ms = rrp_now_ms();
	s->n.bytes_up += sizeof(hdr) + len;
	flush(s);
	return 0;
}

int
lrp_tunnel_send_gre(struct lrp_session *s, const uint8_t *pkt, size_t len, uint16_t call_id)
{
	struct evbuffer *out;
	struct evbuffer_iovec v;

	if (s->tun == NULL || s->tstate != TUN_OPEN)
		return -1;
	out = bufferevent_get_output(s->tun);
	if (evbuffer_get_length(out) + len > s->lrp->cfg.queue_limit_bytes) {
		s->n.gre_up_dropped++;
		return -1;
	}
	if (evbuffer_reserve_space(out, (ev_ssize_t)(RRP_FRAME_HDR_LEN + len), &v, 1) != 1 ||
	    v.iov_len < RRP_FRAME_HDR_LEN + len)
		return -1;
	rrp_frame_header(v.iov_base, RRP_GRE, (uint16_t)len);
	memcpy((uint8_t *)v.iov_base + RRP_FRAME_HDR_LEN, pkt, len);
	pptp_gre_set_call_id((uint8_t *)v.iov_base + RRP_FRAME_HDR_LEN, call_id);
	v.iov_len = RRP_FRAME_HDR_LEN + len;
	if (evbuffer_commit_space(out, &v, 1) < 0)
		return -1;
	s->tun_tx_ms = rrp_now_ms();
	s->n.bytes_up += RRP_FRAME_HDR_LEN + len;
	/* written with the rest of the capture batch */
	if (!s->flush_queued) {
		TAILQ_INSERT_TAIL(&s->lrp->flushq, s, flush_link);
		s->flush_queued = 1;
	}
	return 0;
}

void
lrp_tunnel_close(struct lrp_session *s, uint8_t type, int code, const char *text)
{
	uint8_t frame[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
	size_t n;

	if (s->tun == NULL || s->tstate == TUN_CONNECTING) {
		/* nothing was said yet: nothing to say, nobody to wait for */
		s->tstate = TUN_CLOSED;
		s->tun_done = 1;
		return;
	}
	if (s->tstate == TUN_CLOSED)
		return;
	n = rrp_close_encode(frame, sizeof(frame), type, (uint16_t)code, text);
	if (n > 0)
		put(s, frame, n);
	s->tstate = TUN_CLOSED;
}

static void
send_hello(struct lrp_session *s)
{
	uint8_t frame[RRP_FRAME_HDR_LEN + RRP_HELLO_LEN];
	struct rrp_hello h;
	size_t n;

	memset(&h, 0, sizeof(h));
	h.version_min = RRP_VERSION_MIN;
	h.version_max = RRP_VERSION_MAX;
	if (rrp_random(s->client_nonce, sizeof(s->client_nonce)) < 0) {
		lrp_session_tunnel_gone(s, LOG_ERR, "no random bytes for the handshake");
		return;
	}
	memcpy(h.client_nonce, s->client_nonce, sizeof(h.client_nonce));
	n = rrp_hello_encode(frame, sizeof(frame), &h);
	put(s, frame, n);
	s->tstate = TUN_WAIT_CHALLENGE;
}

/* ERROR to the RRP for something it did wrong, then end the session. */
static void
peer_broke(struct lrp_session *s, int code, const char *what)
{
	lrp_log(LOG_WARNING, "%s: the RRP broke the protocol: %s", s->name, what);
	lrp_tunnel_close(s, RRP_ERROR, code, rrp_strerror(code));
	lrp_session_tunnel_gone(s, LOG_WARNING, what);
}

static void
on_challenge(struct lrp_session *s, const struct rrp_frame *f)
{
	uint8_t frame[RRP_FRAME_HDR_LEN + RRP_AUTH_LEN_V6];
	struct rrp_challenge ch;
	struct rrp_auth a;
	size_t n;
	int rc;

	rc = rrp_challenge_decode(f, &ch);
	if (rc < 0) {
		peer_broke(s, -rc, rrp_strerror(-rc));
		return;
	}
	if (ch.version < RRP_VERSION_MIN || ch.version > RRP_VERSION_MAX) {
		peer_broke(s, RRP_E_VERSION, "it chose a version we did not offer");
		return;
	}
	s->version = ch.version;
	memcpy(s->server_nonce, ch.server_nonce, sizeof(s->server_nonce));
	memset(&a, 0, sizeof(a));
	a.client.family = 4;
	a.client.port = ntohs(s->client.sin_port);
	memcpy(a.client.addr, &s->client.sin_addr, 4);
	if (rrp_auth_mac(&s->lrp->secret, s->version, s->client_nonce, s->server_nonce,
	    &a.client, a.mac) < 0) {
		lrp_session_tunnel_gone(s, LOG_ERR, "cannot compute the AUTH MAC");
		return;
	}
	n = rrp_auth_encode(frame, sizeof(frame), &a);
	put(s, frame, n);
	s->tstate = TUN_WAIT_WELCOME;
}

static void
on_welcome(struct lrp_session *s, const struct rrp_frame *f)
{
	struct rrp_welcome w;
	uint8_t mac[RRP_MAC_LEN];
	int rc;

	rc = rrp_welcome_decode(f, &w);
	if (rc < 0) {
		peer_broke(s, -rc, rrp_strerror(-rc));
		return;
	}
	if (rrp_welcome_mac(&s->lrp->secret, s->version, s->client_nonce, s->server_nonce, mac) < 0 ||
	    !rrp_mac_equal(mac, w.mac)) {
		lrp_log(LOG_ERR, "%s: the RRP at %s failed to prove it holds the secret (wrong secret on one side?)",
		    s->name, s->lrp->cfg.server_text);
		lrp_tunnel_close(s, RRP_ERROR, RRP_E_AUTH, "authentication failed");
		lrp_session_tunnel_gone(s, LOG_ERR, "the RRP failed authentication");
		return;
	}
	s->tstate = TUN_OPEN;
	lrp_log(LOG_INFO, "%s: tunnel to %s open (LRP Call ID %u)", s->name,
	    s->lrp->cfg.server_text, s->cid.lrp_cid);
	lrp_session_tunnel_open(s);
}

static void
on_open_frame(struct lrp_session *s, const struct rrp_frame *f)
{
	uint8_t msg[RRP_CTRL_MAX];
	struct pptp_gre_hdr gh;
	int type, rc;

	switch (f->type) {
	case RRP_CTRL:
		rc = pptp_msg_check(f->payload, f->len, &type);
		if (rc < 0) {
			peer_broke(s, RRP_E_PAYLOAD, pptp_msg_strerror(-rc));
			return;
		}
		memcpy(msg, f->payload, f->len);
		s->n.ctrl_down++;
		lrp_session_ctrl_down(s, msg, f->len, type);
		return;
	case RRP_GRE:
		rc = pptp_gre_parse(f->payload, f->len, &gh);
		if (rc < 0) {
			peer_broke(s, RRP_E_PAYLOAD, pptp_gre_strerror(-rc));
			return;
		}
		/* pptpd addresses GRE by the client's own Call ID */
		if (!s->cid.have_client_cid || gh.call_id != s->cid.client_cid) {
			s->n.gre_down_bad++;
			return;
		}
		if (lrp_gre_send(s, f->payload, f->len) < 0)
			s->n.gre_down_dropped++;
		return;
	case RRP_KEEPALIVE:
		return;
	default:
		peer_broke(s, RRP_E_STATE, "a frame not allowed in an open tunnel");
		return;
	}
}

static void
on_close_frame(struct lrp_session *s, const struct rrp_frame *f)
{
	struct rrp_close c;
	char why[300];
	int priority = LOG_WARNING;

	if (rrp_close_decode(f, &c) < 0) {
		snprintf(why, sizeof(why), "malformed %s from the RRP", rrp_frame_type_str(f->type));
	} else if (f->type == RRP_CLOSE) {
		snprintf(why, sizeof(why), "the RRP closed the tunnel: %s (%u) \"%s\"",
		    rrp_close_reason_str(c.code), c.code, c.text);
		if (c.code == RRP_CLOSE_NORMAL)
			priority = LOG_INFO;	/* pptpd ended the session */
	} else {
		snprintf(why, sizeof(why), "the RRP reported an error: %s (%u) \"%s\"",
		    rrp_strerror(c.code), c.code, c.text);
	}
	s->tstate = TUN_CLOSED;
	lrp_session_tunnel_gone(s, priority, why);
}

/* One whole frame from the tunnel, by state.  0, or -1 when the frame
 * ended the tunnel (stop reading). */
static int
dispatch(struct lrp_session *s, const struct rrp_frame *f)
{
	if (f->type == RRP_CLOSE || f->type == RRP_ERROR) {
		on_close_frame(s, f);
		return -1;
	}
	switch (s->tstate) {
	case TUN_WAIT_CHALLENGE:
		if (f->type != RRP_CHALLENGE)
			break;
		on_challenge(s, f);
		return s->tstate == TUN_CLOSED ? -1 : 0;
	case TUN_WAIT_WELCOME:
		if (f->type != RRP_WELCOME)
			break;
		on_welcome(s, f);
		return s->tstate == TUN_CLOSED ? -1 : 0;
	case TUN_OPEN:
		on_open_frame(s, f);
		return s->tstate == TUN_CLOSED ? -1 : 0;
	default:
		break;
	}
	peer_broke(s, RRP_E_STATE, "a frame not allowed in this state of the handshake");
	return -1;
}

static void tunnel_ended(struct lrp_session *s, int eof);

/*
 * The tunnel's input, read here rather than by the bufferevent: into one
 * buffer the whole daemon shares (one session is read at a time), where
 * frames are parsed in place and the GRE packets among them leave for
 * the clients in one sendmmsg() straight from it - no copy per packet.
 * Only the start of a frame cut by the read is kept, per session, until
 * the next read.
 */
#define TUN_RX_SIZE	(256 * 1024)

static void
tun_read(evutil_socket_t fd, short what, void *arg)
{
	struct lrp_session *s = arg;
	uint8_t *buf = s->lrp->tun_rx;
	size_t have = 0, off = 0;
	ssize_t n;

	(void)what;
	if (s->tun_partial_len > 0) {
		memcpy(buf, s->tun_partial, s->tun_partial_len);
		have = s->tun_partial_len;
		s->tun_partial_len = 0;
	}
	n = recv(fd, buf + have, TUN_RX_SIZE - have, 0);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
			s->tun_partial_len = have;	/* still in tun_partial */
			return;
		}
		tunnel_ended(s, n == 0);
		return;
	}
	s->tun_rx_ms = rrp_now_ms();
	have += (size_t)n;
	s->n.bytes_down += (unsigned long long)n;
	if (s->tstate == TUN_CLOSED)
		return;		/* ending: read until the RRP closes, discarding */

	while (off < have && s->tstate != TUN_CLOSED) {
		struct rrp_frame f;
		int rc = rrp_frame_parse(buf + off, have - off, &f);

		if (rc == 0)
			break;
		if (rc < 0) {
			peer_broke(s, -rc, rrp_strerror(-rc));
			break;
		}
		off += (size_t)rc;
		if (dispatch(s, &f) < 0)
			break;
	}
	/* the GRE of this read leaves now, while buf still holds it */
	lrp_gre_flush(s->lrp);
	if (s->tstate != TUN_CLOSED && off < have) {
		if (s->tun_partial == NULL)
			s->tun_partial = malloc(RRP_FRAME_HDR_LEN + RRP_FRAME_MAX);
		if (s->tun_partial == NULL) {
			lrp_session_tunnel_gone(s, LOG_ERR, "out of memory");
			return;
		}
		memcpy(s->tun_partial, buf + off, have - off);
		s->tun_partial_len = have - off;
	} else if (s->tun_partial != NULL) {
		/* idle sessions keep no buffer */
		free(s->tun_partial);
		s->tun_partial = NULL;
	}
}

/* The tunnel's connection ended: EOF from the RRP, or an error (connect
 * refused, reset). */
static void
tunnel_ended(struct lrp_session *s, int eof)
{
	char why[512];

	if (s->tun_rev != NULL)
		event_del(s->tun_rev);
	if (s->closing) {
		s->tun_done = 1;
		lrp_session_closing_progress(s);
		lrp_session_maybe_free(s);
		return;
	}
	if (eof)
		snprintf(why, sizeof(why), "the RRP at %s closed the tunnel%s", s->lrp->cfg.server_text,
		    s->tstate == TUN_CONNECTING || s->tstate == TUN_WAIT_CHALLENGE ? " before the handshake" : "");
	else
		snprintf(why, sizeof(why), "tunnel to %s %s: %s", s->lrp->cfg.server_text,
		    s->tstate == TUN_CONNECTING ? "could not connect" : "lost",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	s->tstate = TUN_CLOSED;
	s->tun_done = 1;
	lrp_session_tunnel_gone(s, LOG_WARNING, why);
	lrp_session_maybe_free(s);
}

static void
tun_event(struct bufferevent *bev, short what, void *arg)
{
	struct lrp_session *s = arg;
	int one = 1;

	(void)bev;
	if ((what & BEV_EVENT_CONNECTED) && !s->closing) {
		evutil_socket_t fd = bufferevent_getfd(s->tun);

		/* frames go out as they come, not held for Nagle */
		if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
			lrp_log_errno(LOG_WARNING, "%s: tunnel to %s: cannot set TCP_NODELAY", s->name,
			    s->lrp->cfg.server_text);
		/* connected: from now on output is written by flush() */
		bufferevent_disable(s->tun, EV_WRITE);
		s->tun_rev = event_new(s->lrp->base, fd, EV_READ | EV_PERSIST, tun_read, s);
		if (s->tun_rev == NULL || event_add(s->tun_rev, NULL) < 0) {
			tunnel_ended(s, 0);
			return;
		}
		lrp_log(LOG_DEBUG, "%s: connected to the RRP at %s", s->name, s->lrp->cfg.server_text);
		send_hello(s);
		return;
	}
	tunnel_ended(s, (what & BEV_EVENT_EOF) != 0);
}

/* Output libevent wrote (what flush() could not) is drained: back to
 * writing directly; a client held back for the queue is read again; a
 * closing session may now be freed. */
static void
tun_write(struct bufferevent *bev, void *arg)
{
	struct lrp_session *s = arg;

	bufferevent_disable(bev, EV_WRITE);
	lrp_session_tunnel_drained(s);
	lrp_session_closing_progress(s);
}

int
lrp_tunnel_start(struct lrp_session *s)
{
	struct lrp *l = s->lrp;

	s->tun = bufferevent_socket_new(l->base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (s->tun == NULL)
		return -1;
	if (l->tun_rx == NULL && (l->tun_rx = malloc(TUN_RX_SIZE)) == NULL)
		return -1;
	bufferevent_setcb(s->tun, NULL, tun_write, tun_event, s);
	bufferevent_set_max_single_write(s->tun, TUN_IO_MAX);
	/* output only: tun_read() reads the socket once it is connected;
	 * the write event reports the connection */
	bufferevent_enable(s->tun, EV_WRITE);
	s->tstate = TUN_CONNECTING;
	if (bufferevent_socket_connect(s->tun, (struct sockaddr *)&l->cfg.server,
	    (int)l->cfg.server_len) < 0) {
		lrp_log(LOG_WARNING, "%s: cannot connect to the RRP at %s", s->name, l->cfg.server_text);
		return -1;
	}
	return 0;
}
