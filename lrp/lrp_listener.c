/*
 * lrp_listener.c - accept PPTP clients on TCP 1723 (listen in lrp.conf).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "lrp.h"
#include "lrp_log.h"

/* max-pending clients have not sent a whole first message: close one to
 * make room for this one, the one waiting longest from the address with
 * the most waiting.  A real client sends its Start-Control-Connection-
 * Request at once, and an address that floods has more waiting than any
 * other, so its own connections are the ones closed, not a client
 * waiting from elsewhere, however fast the flood comes.  One log line per
 * 10 s at most. */
static void
evict_pending(struct lrp *l, const char *ip, unsigned port)
{
	static int64_t logged_ms = -10000;
	static unsigned long since_logged;
	struct lrp_session *s, *v = NULL;
	int64_t now = lrp_now_ms();

	/* sessions are in the order they came, the oldest first */
	TAILQ_FOREACH(s, &l->sessions, link)
		if (s->first_pending && !s->closing && (v == NULL || s->host_pending > v->host_pending))
			v = s;
	if (v == NULL)
		return;
	l->n.pending_evicted++;
	since_logged++;
	if (now - logged_ms >= 10000) {
		lrp_log(LOG_WARNING, "max-pending %d clients have not sent their first message; "
		    "closed the oldest from the address with the most waiting, %s (%d waiting from it), "
		    "for client %s:%u (%lu closed so since the last such line)",
		    l->cfg.max_pending, v->name, v->host_pending, ip, port, since_logged);
		logged_ms = now;
		since_logged = 0;
	}
	lrp_session_end(v, RRP_CLOSE_PEER_GONE, "max-pending reached: closed to make room");
}

static void
on_accept(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct lrp *l = arg;
	const struct sockaddr_in *client = (const struct sockaddr_in *)sa;
	char ip[INET_ADDRSTRLEN];
	int one = 1;

	(void)lis;
	if (sa->sa_family != AF_INET || salen < (int)sizeof(*client)) {
		close(fd);
		return;
	}
	inet_ntop(AF_INET, &client->sin_addr, ip, sizeof(ip));
	if (l->shutting_down) {
		close(fd);
		return;
	}
	if (l->nsessions >= l->cfg.max_sessions) {
		/* one line per 10 s at most: a flood must not flood the log */
		static int64_t logged_ms = -10000;
		static unsigned long since_logged;
		int64_t now = lrp_now_ms();

		l->n.refused_full++;
		since_logged++;
		if (now - logged_ms >= 10000) {
			lrp_log(LOG_WARNING, "client %s:%u refused: max-sessions %d reached (%lu refused so since the last such line)",
			    ip, ntohs(client->sin_port), l->cfg.max_sessions, since_logged);
			logged_ms = now;
			since_logged = 0;
		}
		close(fd);
		return;
	}
	if (l->npending >= l->cfg.max_pending)
		evict_pending(l, ip, ntohs(client->sin_port));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	l->n.accepted++;
	if (lrp_session_new(l, fd, client) == NULL) {
		lrp_log(LOG_ERR, "client %s:%u refused: cannot create a session (out of memory or Call IDs)",
		    ip, ntohs(client->sin_port));
		close(fd);
	}
}

static void
on_pause_over(evutil_socket_t fd, short what, void *arg)
{
	struct lrp *l = arg;

	(void)fd;
	(void)what;
	if (l->listener != NULL && !l->shutting_down)
		evconnlistener_enable(l->listener);
}

static void
on_accept_error(struct evconnlistener *lis, void *arg)
{
	static int64_t last_logged_ms;
	static unsigned long since_logged;
	struct lrp *l = arg;
	struct timeval one_second = { 1, 0 };
	int err = EVUTIL_SOCKET_ERROR();
	int64_t now = lrp_now_ms();

	/* Out of descriptors (or memory): the pending connection stays in the
	 * backlog and the socket stays readable, so retrying at once would
	 * spin.  Pause accepting for a second; log once a minute at most. */
	since_logged++;
	if (now - last_logged_ms >= 60000) {
		lrp_log(LOG_ERR, "accept: %s (%lu time(s)); pausing new clients for a second at a time",
		    evutil_socket_error_to_string(err), since_logged);
		last_logged_ms = now;
		since_logged = 0;
	}
	evconnlistener_disable(lis);
	event_base_once(l->base, -1, EV_TIMEOUT, on_pause_over, l, &one_second);
}

int
lrp_listener_open(struct lrp *l)
{
	l->listener = evconnlistener_new_bind(l->base, on_accept, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC, 128,
	    (struct sockaddr *)&l->cfg.listen, (int)l->cfg.listen_len);
	if (l->listener == NULL) {
		lrp_log_config("listen %s: %s", l->cfg.listen_text, strerror(errno));
		return -1;
	}
	evconnlistener_set_error_cb(l->listener, on_accept_error);
	lrp_log(LOG_INFO, "listening for PPTP clients on %s", l->cfg.listen_text);
	return 0;
}
