/*
 * lrp_listener.c - accept PPTP clients on TCP 1723 (listen in lrp.conf).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "lrp.h"
#include "lrp_log.h"
#include "rrp_ratelimit.h"

/* The kernel's queue of connections not accepted yet (capped by
 * net.core.somaxconn): a burst of clients waits there while max-pending
 * holds the listener, each one's first message received and acknowledged
 * by the kernel.  A connection the queue has no room for when its
 * handshake completes loses its first message and the client resends it
 * only after a backoff of seconds. */
#define LISTEN_BACKLOG	4096

/* One line per 10 s at most of each kind: a flood must not flood the log. */
#define LIMIT_LOG_EVERY_MS	10000

/* Is there room for one more client waiting for its first message
 * (max-pending; pending_set.h has the rule)?  0: yes, *victim NULL (there
 * is) or the session to close to make it; -1: not before *until_ms, and
 * *victim is the one that may be closed then.  The candidate's socket is
 * read first: a burst is accepted faster than it is read, and what is
 * already there may be its whole first message, which starts it. */
static int
room_for_one(struct lrp *l, struct lrp_session **victim, int64_t *until_ms)
{
	struct pending_entry *e;

	*victim = NULL;
	while (l->pending.n >= l->cfg.max_pending && (e = pending_set_victim(&l->pending)) != NULL) {
		struct lrp_session *s = (struct lrp_session *)((char *)e - offsetof(struct lrp_session, pend));

		if (lrp_session_read_first(s))
			continue;	/* it started (or ended): room, or the next one */
		*victim = s;
		return pending_set_may_close(&l->pending, e, rrp_now_ms(), until_ms) ? 0 : -1;
	}
	return 0;
}

/* Close v, the oldest from the address with the most waiting, which may
 * be closed (pending_set_may_close()), to make room for the client
 * ip:port. */
static void
close_for_room(struct lrp *l, struct lrp_session *v, const char *ip, unsigned port)
{
	static struct rrp_ratelimit rl = RRP_RATELIMIT_INIT(LIMIT_LOG_EVERY_MS, 1);
	unsigned long missed;
	int64_t now = rrp_now_ms();

	l->n.pending_evicted++;
	if (rrp_ratelimit_allow(&rl, now, &missed))
		lrp_log(LOG_WARNING, "max-pending %d clients have not sent their first message; "
		    "closed the oldest from the address with the most waiting, %s (%d waiting from it), "
		    "for client %s:%u, %s (%lu closed so since the last such line)",
		    l->cfg.max_pending, v->name, v->pend.host_waiting, ip, port,
		    pending_set_why(&l->pending, &v->pend, now), missed + 1);
	pending_set_closing(&l->pending, &v->pend, now);
	lrp_session_end(v, RRP_CLOSE_PEER_GONE, "max-pending reached: closed to make room");
}

/* Wake up at until_ms to see whether the hold is over (a millisecond
 * more: not a moment before the grace is). */
static void
arm_hold(struct lrp *l, int64_t until_ms)
{
	int64_t now = rrp_now_ms(), wait_ms = (until_ms > now ? until_ms - now : 0) + 1;
	struct timeval tv = { (time_t)(wait_ms / 1000), (suseconds_t)(wait_ms % 1000) * 1000 };

	evtimer_add(l->hold_ev, &tv);
}

/* No room until the candidate v has waited the grace: stop accepting
 * until then, or until a waiting client leaves (lrp_listener_room()).
 * New clients wait in the kernel's listen queue meanwhile. */
static void
hold_accepting(struct lrp *l, struct lrp_session *v, int64_t until_ms)
{
	static struct rrp_ratelimit rl = RRP_RATELIMIT_INIT(LIMIT_LOG_EVERY_MS, 1);
	unsigned long missed;
	int64_t now = rrp_now_ms();

	evconnlistener_disable(l->listener);
	l->accept_held = 1;
	arm_hold(l, until_ms);
	l->n.pending_holds++;
	if (rrp_ratelimit_allow(&rl, now, &missed))
		lrp_log(LOG_INFO, "max-pending %d clients have not sent their first message, none of those from "
		    "the address with the most waiting (%s, %d) for %d ms yet: not accepting for up to %lld ms "
		    "(%lu time(s) since the last such line)", l->cfg.max_pending, v->name, v->pend.host_waiting,
		    PENDING_GRACE_MS, (long long)(until_ms - now), missed + 1);
}

static void
accept_again(struct lrp *l)
{
	if (!l->accept_held)
		return;
	l->accept_held = 0;
	evtimer_del(l->hold_ev);
	if (l->listener != NULL && !l->shutting_down)
		evconnlistener_enable(l->listener);
}

void
lrp_listener_room(struct lrp *l)
{
	if (l->pending.n < l->cfg.max_pending)
		accept_again(l);
}

static void
on_hold_over(evutil_socket_t fd, short what, void *arg)
{
	struct lrp *l = arg;
	struct lrp_session *v;
	int64_t until_ms;

	(void)fd;
	(void)what;
	/* the candidate may be closed now, if a client comes; but libevent's
	 * clock is coarser than rrp_now_ms(), and a timer may fire a little
	 * early by ours: then the rest is waited for */
	if (l->accept_held && room_for_one(l, &v, &until_ms) < 0)
		arm_hold(l, until_ms);
	else
		accept_again(l);
}

/* Small control messages must not wait for Nagle; without TCP_NODELAY
 * a client's call would set up slowly, but it would work: a warning, at
 * most one per LIMIT_LOG_EVERY_MS however many clients come. */
static void
set_nodelay(int fd, const char *ip, unsigned port)
{
	static struct rrp_ratelimit rl = RRP_RATELIMIT_INIT(LIMIT_LOG_EVERY_MS, 1);
	unsigned long missed;
	int one = 1, err;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0)
		return;
	err = errno;
	if (rrp_ratelimit_allow(&rl, rrp_now_ms(), &missed))
		lrp_log(LOG_WARNING, "client %s:%u: cannot set TCP_NODELAY: %s (%lu more such not logged)",
		    ip, port, strerror(err), missed);
}

static void
on_accept(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct lrp *l = arg;
	const struct sockaddr_in *client = (const struct sockaddr_in *)sa;
	struct lrp_session *v;
	char ip[INET_ADDRSTRLEN];
	const char *why;
	int64_t until_ms;

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
		static struct rrp_ratelimit rl = RRP_RATELIMIT_INIT(LIMIT_LOG_EVERY_MS, 1);
		unsigned long missed;

		l->n.refused_full++;
		if (rrp_ratelimit_allow(&rl, rrp_now_ms(), &missed))
			lrp_log(LOG_WARNING, "client %s:%u refused: max-sessions %d reached (%lu refused so since the last such line)",
			    ip, ntohs(client->sin_port), l->cfg.max_sessions, missed + 1);
		close(fd);
		return;
	}
	/* (the listener holds before a client comes for whom no room can
	 * be made; past a SIGHUP that lowered max-pending one may, and is
	 * kept over the bound rather than a client closed within its grace) */
	if (room_for_one(l, &v, &until_ms) == 0 && v != NULL)
		close_for_room(l, v, ip, ntohs(client->sin_port));
	set_nodelay(fd, ip, ntohs(client->sin_port));
	l->n.accepted++;
	if (lrp_session_new(l, fd, client, &why) == NULL) {
		lrp_log(LOG_ERR, "client %s:%u refused: cannot create a session (%s)",
		    ip, ntohs(client->sin_port), why);
		close(fd);
	}
	/* and the next one: if there is no room for it yet, stop accepting */
	if (room_for_one(l, &v, &until_ms) < 0)
		hold_accepting(l, v, until_ms);
}

static void
on_pause_over(evutil_socket_t fd, short what, void *arg)
{
	struct lrp *l = arg;

	(void)fd;
	(void)what;
	/* (max-pending's hold, if any, enables it when it is over) */
	if (l->listener != NULL && !l->shutting_down && !l->accept_held)
		evconnlistener_enable(l->listener);
}

static void
on_accept_error(struct evconnlistener *lis, void *arg)
{
	static struct rrp_ratelimit rl = RRP_RATELIMIT_INIT(60000, 1);
	struct lrp *l = arg;
	struct timeval one_second = { 1, 0 };
	int err = EVUTIL_SOCKET_ERROR();
	unsigned long missed;

	/* Out of descriptors (or memory): the pending connection stays in the
	 * backlog and the socket stays readable, so retrying at once would
	 * spin.  Pause accepting for a second; log once a minute at most. */
	if (rrp_ratelimit_allow(&rl, rrp_now_ms(), &missed))
		lrp_log(LOG_ERR, "accept: %s (%lu time(s)); pausing new clients for a second at a time",
		    evutil_socket_error_to_string(err), missed + 1);
	evconnlistener_disable(lis);
	event_base_once(l->base, -1, EV_TIMEOUT, on_pause_over, l, &one_second);
}

int
lrp_listener_open(struct lrp *l)
{
	l->hold_ev = evtimer_new(l->base, on_hold_over, l);
	if (l->hold_ev == NULL) {
		lrp_log_config("listen %s: out of memory", l->cfg.listen_text);
		return -1;
	}
	l->listener = evconnlistener_new_bind(l->base, on_accept, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC, LISTEN_BACKLOG,
	    (struct sockaddr *)&l->cfg.listen, (int)l->cfg.listen_len);
	if (l->listener == NULL) {
		lrp_log_config_errno("listen %s", l->cfg.listen_text);
		return -1;
	}
	evconnlistener_set_error_cb(l->listener, on_accept_error);
	lrp_log(LOG_INFO, "listening for PPTP clients on %s", l->cfg.listen_text);
	return 0;
}

void
lrp_listener_close(struct lrp *l)
{
	if (l->listener != NULL)
		evconnlistener_free(l->listener);
	if (l->hold_ev != NULL)
		event_free(l->hold_ev);
	l->listener = NULL;
	l->hold_ev = NULL;
}
