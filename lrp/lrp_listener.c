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
		l->n.refused_full++;
		lrp_log(LOG_WARNING, "client %s:%u refused: max-sessions %d reached",
		    ip, ntohs(client->sin_port), l->cfg.max_sessions);
		close(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	l->n.accepted++;
	if (lrp_session_new(l, fd, client) == NULL) {
		lrp_log(LOG_ERR, "client %s:%u refused: cannot create a session (out of memory or Call IDs)",
		    ip, ntohs(client->sin_port));
		close(fd);
	}
}

static void
on_accept_error(struct evconnlistener *lis, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();

	(void)lis;
	(void)arg;
	/* EMFILE and friends: the listener keeps going, the next accept may
	 * succeed once sessions end */
	lrp_log(LOG_ERR, "accept: %s", evutil_socket_error_to_string(err));
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
