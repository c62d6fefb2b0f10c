/*
 * pptpd_pending.c - the manager's set of accepted connections still
 * waiting for their first message (pptpd_pending.h says why).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "pending_set.h"
#include "pptp_msg.h"
#include "pptpd_clock.h"
#include "pptpd_pending.h"
#include "pptpd_wrappers.h"
#include "rrp_config.h"
#include "rrp_handshake.h"
#include "rrp_listen.h"
#include "rrp_log.h"
#include "rrp_proto.h"
#include "rrp_upstream.h"

/* upstream's first-packet timeout (stimeout, -t) */
extern int pptp_stimeout;

/* Accepts per listening socket per pass of the manager's loop: enough to
 * drain a burst, few enough that pending connections are served between. */
#define ACCEPT_BURST		32
/* Descriptors kept free for what admitting a connection needs next (TCP
 * wrappers open hosts.allow and hosts.deny, fork() and exec pipes): one
 * accepted into the last of them counts as accept() failing with EMFILE,
 * so the manager pauses instead of failing in ways nobody handles. */
#define FD_SPARE		8
/* After accept() fails for want of descriptors or memory the connection
 * stays queued and the socket readable: stop watching it this long. */
#define ACCEPT_PAUSE_MS		1000
/* At most one "set is full" line per kind this often (with a count). */
#define FULL_LOG_EVERY_MS	10000

struct pending {
	int			fd;		/* -1: free entry */
	int			kind;
	int64_t			deadline_ms;
	int			need;		/* bytes select() waits for */
	char			peer[80];
	struct sockaddr_storage	addr;
	socklen_t		addr_len;
	struct pending_entry	pe;		/* in its kind's pending set */
	struct rrp_handshake	hs;		/* a tunnel's handshake so far */
};

static struct pending *set;	/* the records; waiting[kind] says which wait */
static int set_cap;
static struct pending_set waiting[PPTPD_PENDING_KINDS];
static int64_t paused_until_ms;
/* max-pending (rrp-max-pending) reached and no connection may be closed
 * yet (pending_set.h): that kind's listeners are not watched until then,
 * or until one leaves the set */
static int64_t held_until_ms[PPTPD_PENDING_KINDS];
static int64_t full_logged_ms[PPTPD_PENDING_KINDS], held_logged_ms[PPTPD_PENDING_KINDS];
static unsigned long full_dropped[PPTPD_PENDING_KINDS], held_times[PPTPD_PENDING_KINDS];
static int host_nonblocking;
static int fd_limit;		/* 0 until pptpd_pending_fdset() ran */

/* Per-connection lines (deadline passed, bad first packet) during a flood:
 * at most RL_LINES per RL_WINDOW_MS, and the next one says how many were
 * not logged. */
#define RL_LINES		5
#define RL_WINDOW_MS		10000
struct ratelimit {
	int64_t		window_ms;
	int		lines;
	unsigned long	suppressed;
};
static struct ratelimit expire_rl, bad_rl, gone_rl, full_rl;
/* A tunnel's handshake failing is worth more lines (each names the LRP
 * and the cause), but a flood of bad HELLOs must not flood the log. */
#define RL_HANDSHAKE_LINES	20
static struct ratelimit handshake_rl;

static const char *const kind_name[PPTPD_PENDING_KINDS] = { "max-pending", "rrp-max-pending" };


/* May a line be logged now?  *missed: how many were not, since the last. */
static int
rl_allow(struct ratelimit *r, unsigned long *missed)
{
	int64_t now = pptpd_now_ms();

	if (now - r->window_ms >= RL_WINDOW_MS) {
		r->window_ms = now;
		r->lines = 0;
	}
	if (r->lines >= (r == &handshake_rl ? RL_HANDSHAKE_LINES : RL_LINES)) {
		r->suppressed++;
		return 0;
	}
	r->lines++;
	*missed = r->suppressed;
	r->suppressed = 0;
	return 1;
}

static int
kind_limit(int kind)
{
	return kind == PPTPD_PENDING_PPTP ? rrp_config.max_pending : rrp_config.rrp_max_pending;
}

static int
kind_timeout_s(int kind)
{
	return kind == PPTPD_PENDING_PPTP ? pptp_stimeout : rrp_config.handshake_timeout_s;
}

static int
set_init(void)
{
	int i;

	if (set != NULL)
		return 0;
	set_cap = rrp_config.max_pending + rrp_config.rrp_max_pending;
	set = calloc((size_t)set_cap, sizeof(*set));
	if (set == NULL) {
		syslog(LOG_ERR, "MGR: no memory for %d pending connections", set_cap);
		set_cap = 0;
		return -1;
	}
	for (i = 0; i < set_cap; i++)
		set[i].fd = -1;
	for (i = 0; i < PPTPD_PENDING_KINDS; i++)
		pending_set_init(&waiting[i]);
	return 0;
}

/* The connection to close when kind's set is full (pending_set.h). */
static struct pending *
victim(int kind)
{
	struct pending_entry *e = pending_set_victim(&waiting[kind]);

	return e == NULL ? NULL : (struct pending *)((char *)e - offsetof(struct pending, pe));
}

static void
drop(struct pending *p)
{
	pending_set_remove(&waiting[p->kind], &p->pe);
	close(p->fd);
	p->fd = -1;
}

/* Close v to make room in its kind's full set: the oldest from the
 * address with the most waiting, which may be closed
 * (pending_set_may_close()).  One line per FULL_LOG_EVERY_MS at most. */
static void
close_for_room(struct pending *v)
{
	int kind = v->kind;
	int64_t now = pptpd_now_ms();

	full_dropped[kind]++;
	if (now - full_logged_ms[kind] >= FULL_LOG_EVERY_MS) {
		syslog(LOG_WARNING, "%s%s %d connections wait for their first message; closed the oldest "
		    "from the address with the most waiting, %s (%d waiting from it; %s; %lu closed so since "
		    "the last such line)", kind == PPTPD_PENDING_PPTP ? "MGR: " : "RRP: ", kind_name[kind],
		    kind_limit(kind), v->peer, v->pe.host_waiting, pending_set_why(&waiting[kind], &v->pe, now),
		    full_dropped[kind]);
		full_logged_ms[kind] = now;
		full_dropped[kind] = 0;
	}
	pending_set_closing(&waiting[kind], &v->pe, now);
	drop(v);
}

/* Select reports p readable only once `need' bytes are there (or at EOF),
 * so a peer that trickles its first message costs nothing until then.
 * The session process reads the socket normally: back to 1 before it. */
static void
set_need(struct pending *p, int need)
{
	p->need = need;
	if (setsockopt(p->fd, SOL_SOCKET, SO_RCVLOWAT, &need, sizeof(need)) < 0)
		p->need = 1;	/* then peek at each byte as it comes */
}

void
pptpd_pending_close_in_child(int keep)
{
	int i;

	for (i = 0; i < set_cap; i++)
		if (set[i].fd >= 0 && set[i].fd != keep)
			close(set[i].fd);
}

void
pptpd_pending_add(int kind, int fd, const struct sockaddr *peer, socklen_t peer_len)
{
	struct pending *p = NULL, *v;
	int64_t now = pptpd_now_ms();
	int i;

	if (set_init() < 0) {
		close(fd);
		return;
	}
	if (waiting[kind].n >= kind_limit(kind) && (v = victim(kind)) != NULL) {
		/* cannot happen: the accept loops ask pptpd_pending_room()
		 * first; the bound holds all the same */
		close_for_room(v);
		p = v;
	}
	for (i = 0; p == NULL && i < set_cap; i++)
		if (set[i].fd < 0)
			p = &set[i];
	if (p == NULL) {	/* cannot happen: the limits add up to set_cap */
		close(fd);
		return;
	}
	p->fd = fd;
	p->kind = kind;
	p->deadline_ms = now + (int64_t)kind_timeout_s(kind) * 1000;
	if (peer_len > sizeof(p->addr))
		peer_len = sizeof(p->addr);
	memset(&p->addr, 0, sizeof(p->addr));
	memcpy(&p->addr, peer, peer_len);
	p->addr_len = peer_len;
	rrp_sockaddr_str(peer, p->peer, sizeof(p->peer));
	pending_set_add(&waiting[kind], &p->pe, peer, now);
	if (kind == PPTPD_PENDING_RRP)
		rrp_handshake_init(&p->hs, &rrp_config.secret);
	set_need(p, kind == PPTPD_PENDING_RRP ? RRP_FRAME_HDR_LEN : 2);
}

/* Is kind's set full with none that may be closed yet (so its listeners
 * are left alone)? */
static int
held(int kind)
{
	return waiting[kind].n >= kind_limit(kind) && pptpd_now_ms() < held_until_ms[kind];
}

int
pptpd_pending_fdset(fd_set *rd, int max_fd, int host_socket)
{
	struct rlimit rl;
	int i;

	if (!host_nonblocking) {
		/* accept() must not block when a client vanished between
		 * select() and accept() */
		int fl = fcntl(host_socket, F_GETFL);

		if (fl >= 0 && fcntl(host_socket, F_SETFL, fl | O_NONBLOCK) == 0)
			host_nonblocking = 1;
		/* upstream's backlog of 3 drops a real client's SYN whenever a
		 * few others arrive at once; the manager drains it quickly */
		listen(host_socket, PPTPD_LISTEN_BACKLOG);
		fd_limit = FD_SETSIZE;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)fd_limit)
			fd_limit = (int)rl.rlim_cur;
		fd_limit -= FD_SPARE;
	}
	if (pptpd_now_ms() >= paused_until_ms) {
		if (!held(PPTPD_PENDING_PPTP)) {
			FD_SET(host_socket, rd);
			if (host_socket > max_fd)
				max_fd = host_socket;
		}
		if (!held(PPTPD_PENDING_RRP))
			max_fd = rrp_listen_fdset(rd, max_fd);
	}
	for (i = 0; i < set_cap; i++)
		if (set[i].fd >= 0 && set[i].fd < FD_SETSIZE) {
			FD_SET(set[i].fd, rd);
			if (set[i].fd > max_fd)
				max_fd = set[i].fd;
		}
	return max_fd;
}

struct timeval *
pptpd_pending_timeout(struct timeval *tv)
{
	int64_t now = pptpd_now_ms(), next = INT64_MAX, left;
	int i;

	if (paused_until_ms > now)
		next = paused_until_ms;
	for (i = 0; i < PPTPD_PENDING_KINDS; i++)
		if (held(i) && held_until_ms[i] < next)
			next = held_until_ms[i];
	for (i = 0; i < set_cap; i++)
		if (set[i].fd >= 0 && set[i].deadline_ms < next)
			next = set[i].deadline_ms;
	if (next == INT64_MAX)
		return NULL;
	left = next > now ? next - now : 0;
	tv->tv_sec = (time_t)(left / 1000);
	tv->tv_usec = (suseconds_t)(left % 1000) * 1000;
	return tv;
}

/* Out of descriptors or memory: pause accepting, log once a minute. */
static int
accept_failed(const char *where)
{
	static int64_t logged_ms = -60000;
	static unsigned long since_logged;
	int err = errno;
	int64_t now = pptpd_now_ms();

	if (err != EMFILE && err != ENFILE && err != ENOBUFS && err != ENOMEM) {
		if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR && err != ECONNABORTED &&
		    err != EPROTO)
			syslog(LOG_ERR, "MGR: accept on %s: %s", where, strerror(err));
		return 0;
	}
	since_logged++;
	if (now - logged_ms >= 60000) {
		syslog(LOG_ERR, "MGR: accept on %s: %s (%lu time(s)); not accepting for %d ms at a time",
		    where, strerror(err), since_logged, ACCEPT_PAUSE_MS);
		logged_ms = now;
		since_logged = 0;
	}
	paused_until_ms = now + ACCEPT_PAUSE_MS;
	return -1;
}

/* The address alone, as upstream's refusal line has it. */
static const char *
host_str(const struct sockaddr *sa, char *buf, size_t len)
{
	if (sa->sa_family == AF_INET)
		return inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, (socklen_t)len);
	return rrp_sockaddr_str(sa, buf, len);
}

/* Every connection slot is taken (upstream's line, rate-limited). */
static void
refused_full(const struct sockaddr *peer)
{
	unsigned long missed;
	char host[80];

	if (rl_allow(&full_rl, &missed))
		syslog(LOG_WARNING, "MGR: Refused client %s: all %d connection slots (remote IP addresses) are in use "
		    "(%lu more such not logged)", host_str(peer, host, sizeof(host)), pptp_connections, missed);
}

int
pptpd_pending_fd_ok(int fd)
{
	return fd_limit == 0 || fd < fd_limit;
}

static void
accept_pptp(int host_socket, rrp_launch_fn launch)
{
	int i;

	for (i = 0; i < ACCEPT_BURST && pptpd_pending_room(PPTPD_PENDING_PPTP, host_socket, launch); i++) {
		struct sockaddr_storage peer;
		socklen_t peer_len = sizeof(peer);
		int fd;

		/* blocking (pptpctrl reads it so), but never inherited by
		 * the other connections' processes */
		fd = accept4(host_socket, (struct sockaddr *)&peer, &peer_len, SOCK_CLOEXEC);
		if (fd < 0) {
			accept_failed("port 1723");
			return;
		}
		if (!pptpd_pending_fd_ok(fd)) {
			close(fd);
			errno = EMFILE;
			accept_failed("port 1723");
			return;
		}
		if (!pptpd_wrappers_allow(fd)) {
			/* as tcp wrappers usually do: drop it at once */
			close(fd);
			continue;
		}
		if (!pptp_delegate && slot_find_empty() < 0) {
			refused_full((struct sockaddr *)&peer);
			close(fd);
			continue;
		}
		pptpd_pending_add(PPTPD_PENDING_PPTP, fd, (struct sockaddr *)&peer, peer_len);
	}
}

static void
launch_pptp(struct pending *p, int host_socket, rrp_launch_fn launch)
{
	int slot = 0;
	pid_t pid;

	if (!pptp_delegate && (slot = slot_find_empty()) < 0) {
		refused_full((struct sockaddr *)&p->addr);
		drop(p);
		return;
	}
	pid = fork();
	if (pid < 0) {
		syslog(LOG_ERR, "MGR: fork() failed launching pptpctrl for %s: %s", p->peer, strerror(errno));
		drop(p);
		return;
	}
	if (pid == 0) {
		close(host_socket);
		rrp_listen_close_all();
		pptpd_pending_close_in_child(p->fd);
		if (pptp_debug)
			syslog(LOG_DEBUG, "MGR: Launching pptpctrl to handle client %s", p->peer);
		launch(p->fd, slot);
		_exit(1);
	}
	unique_call_id += MAX_CALLS_PER_TCP_LINK;
	if (!pptp_delegate)
		slot_set_pid(slot, pid);
	drop(p);
}

/* Read and discard what the peer sent and we did not take (up to 64 KiB,
 * without waiting), so that closing sends a FIN after our last frame,
 * not a reset that could destroy it before the peer reads it. */
static void
discard_input(int fd)
{
	uint8_t buf[4096];
	int i;

	for (i = 0; i < 16; i++)
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
			break;
}

/* A tunnel's handshake has failed or its peer went away: log it (why,
 * naming the LRP), send what tells the LRP (out), close. */
static void
tunnel_failed(struct pending *p, const char *why, const uint8_t *out, size_t outlen)
{
	unsigned long missed;

	if (rl_allow(&handshake_rl, &missed))
		rrp_log(LOG_WARNING, "tunnel from LRP %s: %s (%lu more such not logged)", p->peer, why, missed);
	if (outlen > 0)
		send(p->fd, out, outlen, MSG_NOSIGNAL | MSG_DONTWAIT);
	shutdown(p->fd, SHUT_WR);
	discard_input(p->fd);
	drop(p);
}

/* A tunnel is readable: run its handshake on each whole frame (HELLO,
 * then AUTH).  1: it is done with (started, or closed), 0: not yet. */
static int
tunnel_frame(struct pending *p, const uint8_t *buf, ssize_t n, int host_socket, rrp_launch_fn launch)
{
	uint8_t out[RRP_HANDSHAKE_OUT_MAX], scratch[512];
	enum rrp_handshake_result r;
	struct rrp_frame f;
	char why[sizeof(p->hs.why) + 32];
	size_t outlen;
	int rc, len, one = 1;

	rc = rrp_frame_parse(buf, (size_t)n, &f);
	if (rc == 0) {
		len = n < RRP_FRAME_HDR_LEN ? RRP_FRAME_HDR_LEN : RRP_FRAME_HDR_LEN + (buf[2] << 8 | buf[3]);
		if (n < p->need) {
			/* readable short of what select() waits for: EOF */
			snprintf(why, sizeof(why), "closed by the LRP %s", rrp_handshake_waiting(&p->hs));
			tunnel_failed(p, why, NULL, 0);
			return 1;
		}
		if (len <= (int)sizeof(scratch)) {
			set_need(p, len);
			return 0;
		}
		/* longer than any frame the handshake takes (a CTRL or GRE
		 * frame): its header says enough */
		f.type = buf[0];
		f.len = 0;
		f.payload = buf + RRP_FRAME_HDR_LEN;
		r = rrp_handshake_frame(&p->hs, &f, out, sizeof(out), &outlen);
	} else if (rc < 0) {
		r = rrp_handshake_bad_header(&p->hs, -rc, out, sizeof(out), &outlen);
	} else {
		/* the frame is whole: take it off the socket (f points into buf) */
		if (recv(p->fd, scratch, (size_t)rc, MSG_DONTWAIT) != rc) {
			snprintf(why, sizeof(why), "%s: %s", rrp_handshake_waiting(&p->hs), strerror(errno));
			tunnel_failed(p, why, NULL, 0);
			return 1;
		}
		r = rrp_handshake_frame(&p->hs, &f, out, sizeof(out), &outlen);
	}
	if (r == RRP_HS_FAIL) {
		tunnel_failed(p, p->hs.why, out, outlen);
		return 1;
	}
	if (r == RRP_HS_CONTINUE) {
		/* the CHALLENGE: a fresh socket's send buffer takes it whole */
		if (send(p->fd, out, outlen, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)outlen) {
			snprintf(why, sizeof(why), "could not send %s: %s", rrp_frame_type_str(out[0]),
			    strerror(errno));
			tunnel_failed(p, why, NULL, 0);
			return 1;
		}
		/* AUTH is due one round trip from now: a grace for that */
		pending_set_progress(&p->pe, pptpd_now_ms());
		set_need(p, RRP_FRAME_HDR_LEN);
		return 0;
	}
	/* authenticated: now, and only now, a slot and a session process */
	setsockopt(p->fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof(one));
	rrp_listen_launch(p->fd, (struct sockaddr *)&p->addr, p->addr_len, host_socket, launch, &p->hs);
	drop(p);
	return 1;
}

/* p is readable: is its first message whole (a tunnel: the next frame of
 * its handshake)?  1 yes (started, or closed if bad: p is gone), 0 not
 * yet. */
static int
first_message(struct pending *p, int host_socket, rrp_launch_fn launch)
{
	uint8_t buf[512];
	unsigned long missed;
	ssize_t n;
	int len, type, rc, one = 1;

	n = recv(p->fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n <= 0) {
		if (p->kind == PPTPD_PENDING_RRP && rl_allow(&gone_rl, &missed))
			rrp_log(LOG_WARNING, "tunnel from LRP %s: %s %s; closed (%lu more such not logged)",
			    p->peer, n == 0 ? "closed by the LRP" : strerror(errno),
			    rrp_handshake_waiting(&p->hs), missed);
		else if (p->kind == PPTPD_PENDING_PPTP && pptp_debug)
			syslog(LOG_DEBUG, "MGR: client %s %s before its first packet", p->peer,
			    n == 0 ? "closed the connection" : strerror(errno));
		drop(p);
		return 1;
	}
	if (p->kind == PPTPD_PENDING_RRP)
		return tunnel_frame(p, buf, n, host_socket, launch);
	len = pptp_msg_frame(buf, (size_t)n);
	if (len == 0 && n >= p->need) {
		/* the length field says how much to wait for */
		set_need(p, n < 2 ? 2 : buf[0] << 8 | buf[1]);
		return 0;
	}
	if (len == 0) {
		if (pptp_debug)
			syslog(LOG_DEBUG, "MGR: client %s closed the connection in its first packet (%zd bytes)",
			    p->peer, n);
		drop(p);
		return 1;
	}
	if (len < 0) {
		if (rl_allow(&bad_rl, &missed))
			syslog(LOG_WARNING, "MGR: dropped client %s: initial packet length %u outside 12..%d "
			    "(%lu more such drops not logged)",
			    p->peer, (unsigned)(buf[0] << 8 | buf[1]), PPTP_MSG_MAX, missed);
		drop(p);
		return 1;
	}
	rc = pptp_msg_check(buf, (size_t)len, &type);
	if (rc < 0 || type != PPTP_SCCRQ) {
		if (rl_allow(&bad_rl, &missed))
			syslog(LOG_WARNING, "MGR: dropped client %s: initial packet is not a Start-Control-Connection-Request "
			    "(%s; %lu more such drops not logged)",
			    p->peer, rc < 0 ? pptp_msg_strerror(-rc) : pptp_ctrl_type_str(type), missed);
		drop(p);
		return 1;
	}
	setsockopt(p->fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof(one));
	launch_pptp(p, host_socket, launch);
	return 1;
}

static void
expire(struct pending *p)
{
	unsigned long missed;
	int logged = rl_allow(&expire_rl, &missed);

	if (p->kind == PPTPD_PENDING_RRP) {
		uint8_t frame[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
		size_t n = rrp_close_encode(frame, sizeof(frame), RRP_ERROR, RRP_E_TIMEOUT, "handshake timeout");

		if (logged)
			rrp_log(LOG_WARNING, "tunnel from LRP %s: handshake not completed within %d s (%s); "
			    "closed (%lu more such not logged)", p->peer, rrp_config.handshake_timeout_s,
			    rrp_handshake_waiting(&p->hs), missed);
		if (n > 0)
			send(p->fd, frame, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		shutdown(p->fd, SHUT_WR);
		discard_input(p->fd);
	} else if (logged)
		syslog(LOG_WARNING, "MGR: dropped slow initial connection from %s: no complete first packet within %d s "
		    "(stimeout; %lu more such not logged)", p->peer, pptp_stimeout, missed);
	drop(p);
}

/* Would select() report p readable (its `need' bytes there, or EOF)? */
static int
readable(const struct pending *p)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0 && pfd.revents != 0;
}

int
pptpd_pending_room(int kind, int host_socket, rrp_launch_fn launch)
{
	struct pending *v;
	int64_t now = pptpd_now_ms(), until;

	held_until_ms[kind] = 0;
	while (waiting[kind].n >= kind_limit(kind) && (v = victim(kind)) != NULL) {
		int64_t since = v->pe.since_ms;

		/* a burst is accepted faster than it is read: what the
		 * candidate sent may be its whole first message already */
		if (readable(v) && (first_message(v, host_socket, launch) || v->pe.since_ms != since))
			continue;	/* it left the set, or went a step further */
		if (pending_set_may_close(&waiting[kind], &v->pe, now, &until)) {
			close_for_room(v);
			return 1;
		}
		held_until_ms[kind] = until;
		held_times[kind]++;
		if (now - held_logged_ms[kind] >= FULL_LOG_EVERY_MS) {
			syslog(LOG_INFO, "%s%s %d connections wait for their first message, none of those from "
			    "the address with the most waiting (%s, %d) for %d ms yet: not accepting for up to "
			    "%lld ms (%lu time(s) since the last such line)",
			    kind == PPTPD_PENDING_PPTP ? "MGR: " : "RRP: ", kind_name[kind], kind_limit(kind),
			    v->peer, v->pe.host_waiting, PENDING_GRACE_MS, (long long)(until - now),
			    held_times[kind]);
			held_logged_ms[kind] = now;
			held_times[kind] = 0;
		}
		return 0;
	}
	return 1;
}

void
pptpd_pending_service(fd_set *rd, int host_socket, rrp_launch_fn launch)
{
	int64_t now = pptpd_now_ms();
	int i;

	for (i = 0; i < set_cap; i++) {
		struct pending *p = &set[i];

		if (p->fd < 0)
			continue;
		if (p->fd < FD_SETSIZE && FD_ISSET(p->fd, rd) && first_message(p, host_socket, launch))
			continue;
		if (now >= p->deadline_ms)
			expire(p);
	}
	if (now < paused_until_ms)
		return;
	if (FD_ISSET(host_socket, rd))
		accept_pptp(host_socket, launch);
	if (rrp_listen_accept_pending(rd, ACCEPT_BURST, host_socket, launch) < 0)
		paused_until_ms = pptpd_now_ms() + ACCEPT_PAUSE_MS;
}
