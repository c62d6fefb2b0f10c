/*
 * lrp_status.c - what an operator sees: every session's state and
 * counters, and the daemon's own, as a table.  Served on a unix socket
 * (status-socket; `lrp -S` prints it) and written to syslog on SIGUSR1.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include "lrp.h"
#include "lrp_log.h"

static const char *
state_name(const struct lrp_session *s)
{
	if (s->closing)
		return "closing";
	if (s->first_pending)
		return "first-message";	/* no tunnel until it is whole */
	switch (s->tstate) {
	case TUN_CONNECTING:	return "connecting";
	case TUN_WAIT_CHALLENGE:
	case TUN_WAIT_WELCOME:	return "handshake";
	case TUN_OPEN:		return s->cid.call_up ? "call-up" : "open";
	case TUN_CLOSED:	return "closed";
	}
	return "?";
}

/* The table, one line at a time, to a callback. */
static void
emit(struct lrp *l, void (*out)(void *arg, const char *line), void *arg)
{
	struct lrp_session *s;
	int64_t now = rrp_now_ms();
	char line[512], cid[16], sid[16];

	lrp_capture_stats(l);
	snprintf(line, sizeof(line), "lrp %s: up %lld s, %d sessions (max %d), server %s, capture %s (%s)",
	    PACKAGE_VERSION, (long long)((now - l->started_ms) / 1000), l->nsessions, l->cfg.max_sessions,
	    l->cfg.server_text, l->cfg.interface,
	    l->cfg.capture_mode == LRP_CAPTURE_IMMEDIATE ? "immediate" : "block");
	out(arg, line);
	snprintf(line, sizeof(line), "clients accepted %lu, refused (max-sessions) %lu, "
	    "closed to make room (max-pending) %lu, accepting held (max-pending) %lu; GRE captured %lu, "
	    "unknown Call ID %lu, spoofed source %lu, malformed %lu, before the tunnel opened %lu, "
	    "dropped by the kernel %lu",
	    l->n.accepted, l->n.refused_full, l->n.pending_evicted, l->n.pending_holds, l->n.gre_captured,
	    l->n.gre_unknown_callid, l->n.gre_spoofed, l->n.gre_malformed, l->n.gre_not_open,
	    l->n.pcap_dropped);
	out(arg, line);
	snprintf(line, sizeof(line), "GRE fragments %lu, reassembled %lu, reassembly timed out %lu, dropped %lu, "
	    "refused (no call up from the source) %lu, evicted (per-source or pool limit) %lu",
	    l->reasm.n.fragments, l->reasm.n.reassembled, l->reasm.n.timed_out, l->reasm.n.dropped,
	    l->reasm.n.refused, l->reasm.n.evicted);
	out(arg, line);
	snprintf(line, sizeof(line), "%-6s %-21s %-10s %7s %10s %10s %6s %8s %9s %9s %9s %7s %9s %8s",
	    "ID", "CLIENT", "STATE", "LRP-CID", "CLIENT-CID", "SERVER-CID", "AGE", "CTRL-UP", "CTRL-DOWN",
	    "GRE-UP", "GRE-DOWN", "DROP-UP", "DROP-DOWN", "QUEUED");
	out(arg, line);
	TAILQ_FOREACH(s, &l->sessions, link) {
		char client[32], ip[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &s->client.sin_addr, ip, sizeof(ip));
		snprintf(client, sizeof(client), "%s:%u", ip, ntohs(s->client.sin_port));
		if (s->cid.have_client_cid)
			snprintf(cid, sizeof(cid), "%u", s->cid.client_cid);
		else
			snprintf(cid, sizeof(cid), "-");
		if (s->cid.have_server_cid)
			snprintf(sid, sizeof(sid), "%u", s->cid.server_cid);
		else
			snprintf(sid, sizeof(sid), "-");
		snprintf(line, sizeof(line), "%-6lu %-21s %-10s %7u %10s %10s %6lld %8lu %9lu %9lu %9lu %7lu %9lu %8zu",
		    s->id, client, state_name(s), s->cid.lrp_cid, cid, sid,
		    (long long)((now - s->started_ms) / 1000), s->n.ctrl_up, s->n.ctrl_down,
		    s->n.gre_up, s->n.gre_down, s->n.gre_up_dropped, s->n.gre_down_dropped,
		    lrp_tunnel_queued(s));
		out(arg, line);
	}
}

static void
out_fd(void *arg, const char *line)
{
	int fd = *(int *)arg;
	size_t len = strlen(line);
	ssize_t n;

	/* a status reader is local and quick; do not let it block the loop */
	n = send(fd, line, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n == (ssize_t)len)
		send(fd, "\n", 1, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void
out_log(void *arg, const char *line)
{
	(void)arg;
	lrp_log(LOG_NOTICE, "status: %s", line);
}

void
lrp_status_write(struct lrp *l, int fd)
{
	int sndbuf = 4 * 1024 * 1024;

	/* the whole table at once, or the nonblocking sends cut it short */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0)
		lrp_log_errno(LOG_WARNING, "status: cannot set a send buffer of %d bytes; the table may "
		    "come out cut short", sndbuf);
	emit(l, out_fd, &fd);
}

void
lrp_status_log(struct lrp *l)
{
	emit(l, out_log, NULL);
}

static void
on_status_client(evutil_socket_t lfd, short what, void *arg)
{
	struct lrp *l = arg;
	int fd;

	(void)what;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	lrp_status_write(l, fd);
	close(fd);
}

int
lrp_status_open(struct lrp *l)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;

	l->status_fd = -1;
	if (l->cfg.status_socket[0] == '\0')
		return 0;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", l->cfg.status_socket);
	l->status_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->status_fd < 0)
		goto fail;
	unlink(sun.sun_path);
	old = umask(0077);	/* the status is for root (and the lrp user) */
	if (bind(l->status_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		umask(old);
		goto fail;
	}
	umask(old);
	if (listen(l->status_fd, 8) < 0)
		goto fail;
	l->status_ev = event_new(l->base, l->status_fd, EV_READ | EV_PERSIST, on_status_client, l);
	if (l->status_ev == NULL || event_add(l->status_ev, NULL) < 0)
		goto fail;
	return 0;
fail:
	lrp_log_config_errno("status-socket %s", l->cfg.status_socket);
	if (l->status_fd >= 0)
		close(l->status_fd);
	l->status_fd = -1;
	return -1;
}

int
lrp_status_query(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[8192];
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "lrp: status socket path too long: %s\n", path);
		return 1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "lrp: cannot reach the daemon's status socket %s: %s (is lrp running?)\n",
		    path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return 0;
}
