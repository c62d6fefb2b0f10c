/*
 * burst - a burst of real clients at once, as when a server restarts or
 * an office's WAN comes back and every client redials: many connections
 * from several source addresses, each sending its whole first message as
 * soon as it is connected, each waiting for the server's first answer.
 *
 *   burst ADDR:PORT --from FIRST_ADDR --addresses N --per-address M
 *         [--message sccrq|hello] [--secret FILE] [--timeout S]
 *
 * --from, --addresses  the N consecutive local IPv4 addresses the
 *                      connections come from, FIRST_ADDR first (the host
 *                      must have them); taken in turn, so every address
 *                      has connections at every moment of the burst
 * --per-address M      connections from each address (N * M in all)
 * --message            what each sends at once: a PPTP Start-Control-
 *                      Connection-Request (default; the answer wanted is
 *                      a Start-Control-Connection-Reply with result 1,
 *                      "successful channel establishment"), or an RRP
 *                      HELLO frame (the answer wanted is CHALLENGE)
 * --secret FILE        with hello: go on as a real LRP does, AUTH at once
 *                      on CHALLENGE; the answer wanted is then a WELCOME
 *                      whose MAC verifies (pptpd has started the tunnel's
 *                      session)
 * --timeout S          give up on the connections still unanswered after
 *                      S seconds (default 60)
 *
 * All connections are started at once (nonblocking connects in a loop,
 * sending on those already connected between every round of addresses).
 * A connection is served once the wanted answer is read; it is then
 * closed.  At the end one line of counts:
 *   burst: connections C, served S, refused R, closed unanswered X,
 *   failed to connect F, unanswered U; all started within A ms, last
 *   answer after B ms
 * (refused: the server answered with something else, e.g. a Reply with
 * an error).  Exit 0 when every connection was served, 1 otherwise.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pptp_msg.h"
#include "rrp_auth.h"
#include "rrp_clock.h"
#include "rrp_number.h"
#include "rrp_proto.h"

enum cstate { C_CONNECTING, C_WAITING, C_DONE };

struct conn {
	int		fd;
	enum cstate	st;
	uint8_t		rx[512];	/* more than any answer */
	size_t		rx_len;
	uint8_t		client_nonce[RRP_NONCE_LEN];
	uint8_t		server_nonce[RRP_NONCE_LEN];
	uint8_t		version;
	int		authed;		/* AUTH sent: WELCOME wanted */
};

static struct sockaddr_in target;
static uint8_t msg[PPTP_MSG_MAX + RRP_FRAME_HDR_LEN + RRP_HELLO_LEN];
static size_t msg_len;
static int want_hello;
static struct rrp_secret secret;	/* len 0: stop at CHALLENGE */
static unsigned long n_served, n_refused, n_closed, n_failed;

static void
usage(void)
{
	fprintf(stderr, "usage: burst ADDR:PORT --from FIRST_ADDR --addresses N --per-address M\n"
	    "             [--message sccrq|hello] [--secret FILE] [--timeout S]\n");
	exit(2);
}

static long
number(const char *opt, const char *arg, long lo, long hi)
{
	long v;

	if (rrp_number_parse(arg, lo, hi, &v) < 0) {
		fprintf(stderr, "burst: %s `%s' is not a number in %ld..%ld\n", opt, arg, lo, hi);
		exit(2);
	}
	return v;
}

static void
finish(int ep, struct conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->st = C_DONE;
}

/* CHALLENGE came: send AUTH (for a client address made up from the
 * connection's own port).  0, or -1 if it could not be sent. */
static int
send_auth(struct conn *c, const struct rrp_frame *f)
{
	struct rrp_challenge ch;
	struct rrp_auth a;
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_AUTH_LEN_V6];
	struct sockaddr_in me;
	socklen_t ml = sizeof(me);
	size_t n;

	if (rrp_challenge_decode(f, &ch) < 0 || getsockname(c->fd, (struct sockaddr *)&me, &ml) < 0)
		return -1;
	c->version = ch.version;
	memcpy(c->server_nonce, ch.server_nonce, RRP_NONCE_LEN);
	memset(&a, 0, sizeof(a));
	a.client.family = 4;
	a.client.port = ntohs(me.sin_port);
	memcpy(a.client.addr, &me.sin_addr, 4);
	if (rrp_auth_mac(&secret, c->version, c->client_nonce, c->server_nonce, &a.client, a.mac) < 0 ||
	    (n = rrp_auth_encode(buf, sizeof(buf), &a)) == 0 ||
	    send(c->fd, buf, n, MSG_NOSIGNAL) != (ssize_t)n)
		return -1;
	c->authed = 1;
	return 0;
}

/* Has the server's answer arrived whole?  1 yes (counted), 0 not yet. */
static int
answered(struct conn *c)
{
	if (want_hello) {
		struct rrp_welcome w;
		struct rrp_frame f;
		uint8_t mac[RRP_MAC_LEN];
		int rc = rrp_frame_parse(c->rx, c->rx_len, &f);

		if (rc == 0)
			return 0;
		if (rc > 0 && !c->authed && f.type == RRP_CHALLENGE && secret.len > 0) {
			if (send_auth(c, &f) < 0) {
				n_refused++;
				return 1;
			}
			memmove(c->rx, c->rx + rc, c->rx_len - (size_t)rc);
			c->rx_len -= (size_t)rc;
			return answered(c);
		}
		if (rc > 0 && !c->authed && f.type == RRP_CHALLENGE)
			n_served++;
		else if (rc > 0 && c->authed && f.type == RRP_WELCOME && rrp_welcome_decode(&f, &w) == 0 &&
		    rrp_welcome_mac(&secret, c->version, c->client_nonce, c->server_nonce, mac) == 0 &&
		    rrp_mac_equal(mac, w.mac))
			n_served++;
		else
			n_refused++;
		return 1;
	} else {
		int len = pptp_msg_frame(c->rx, c->rx_len), type;

		if (len == 0)
			return 0;
		/* result code: the byte after protocol version and reserved */
		if (len > 0 && pptp_msg_check(c->rx, (size_t)len, &type) == 0 && type == PPTP_SCCRP &&
		    c->rx[14] == 1)
			n_served++;
		else
			n_refused++;
		return 1;
	}
}

static void
on_event(int ep, struct conn *c, uint32_t events)
{
	if (c->st == C_CONNECTING) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
		int err = 0;
		socklen_t el = sizeof(err);

		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
			n_failed++;
			finish(ep, c);
			return;
		}
		if (want_hello) {
			struct rrp_hello h;

			memset(&h, 0, sizeof(h));
			h.version_min = h.version_max = RRP_VERSION_MIN;
			if (rrp_random(c->client_nonce, RRP_NONCE_LEN) < 0) {
				fprintf(stderr, "burst: no random bytes for a HELLO\n");
				exit(1);
			}
			memcpy(h.client_nonce, c->client_nonce, RRP_NONCE_LEN);
			msg_len = rrp_hello_encode(msg, sizeof(msg), &h);
		}
		if (send(c->fd, msg, msg_len, MSG_NOSIGNAL) != (ssize_t)msg_len) {
			n_closed++;
			finish(ep, c);
			return;
		}
		c->st = C_WAITING;
		epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
		return;
	}
	if (c->st == C_WAITING) {
		ssize_t n = recv(c->fd, c->rx + c->rx_len, sizeof(c->rx) - c->rx_len, MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			n_closed++;
			finish(ep, c);
			return;
		}
		c->rx_len += (size_t)n;
		if (answered(c) || c->rx_len == sizeof(c->rx))
			finish(ep, c);
	}
}

static void
drain(int ep, int timeout_ms)
{
	struct epoll_event evs[256];
	int i, n = epoll_wait(ep, evs, 256, timeout_ms);

	for (i = 0; i < n; i++)
		on_event(ep, evs[i].data.ptr, evs[i].events);
}

int
main(int argc, char **argv)
{
	long naddr = 0, per = 0, timeout_s = 60, total, i, left;
	unsigned long answers;
	const char *message = "sccrq";
	struct in_addr from = { 0 };
	struct conn *conns;
	struct rlimit rl;
	int64_t t0, t_started, t_last = 0, deadline;
	char host[64], *colon;
	int ep;

	if (argc < 2 || strlen(argv[1]) >= sizeof(host))
		usage();
	snprintf(host, sizeof(host), "%s", argv[1]);
	colon = strrchr(host, ':');
	if (colon == NULL)
		usage();
	*colon = '\0';
	memset(&target, 0, sizeof(target));
	target.sin_family = AF_INET;
	target.sin_port = htons((uint16_t)number("port", colon + 1, 1, 65535));
	if (inet_pton(AF_INET, host, &target.sin_addr) != 1) {
		fprintf(stderr, "burst: `%s' is not an IPv4 address\n", host);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		const char *o = argv[i];

		if (i + 1 >= argc)
			usage();
		if (strcmp(o, "--from") == 0) {
			if (inet_pton(AF_INET, argv[++i], &from) != 1) {
				fprintf(stderr, "burst: --from `%s' is not an IPv4 address\n", argv[i]);
				return 2;
			}
		} else if (strcmp(o, "--addresses") == 0)
			naddr = number(o, argv[++i], 1, 1000);
		else if (strcmp(o, "--per-address") == 0)
			per = number(o, argv[++i], 1, 10000);
		else if (strcmp(o, "--message") == 0)
			message = argv[++i];
		else if (strcmp(o, "--secret") == 0) {
			char err[256];

			if (rrp_secret_load(argv[++i], geteuid(), &secret, err, sizeof(err)) < 0) {
				fprintf(stderr, "burst: %s\n", err);
				return 2;
			}
		} else if (strcmp(o, "--timeout") == 0)
			timeout_s = number(o, argv[++i], 1, 3600);
		else
			usage();
	}
	if (from.s_addr == 0 || naddr == 0 || per == 0)
		usage();
	if (strcmp(message, "sccrq") == 0)
		msg_len = pptp_build_sccrq(msg, "burst", "burst");
	else if (strcmp(message, "hello") == 0)
		want_hello = 1;	/* each with its own nonce */
	else
		usage();

	total = naddr * per;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)total + 64) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)total + 64 ? rl.rlim_max : (rlim_t)total + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	conns = calloc((size_t)total, sizeof(*conns));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (conns == NULL || ep < 0) {
		fprintf(stderr, "burst: setup: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);

	t0 = rrp_now_ms();
	for (i = 0; i < total; i++) {
		struct conn *c = &conns[i];
		struct sockaddr_in src = { .sin_family = AF_INET };
		struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };

		src.sin_addr.s_addr = htonl(ntohl(from.s_addr) + (uint32_t)(i % naddr));
		c->st = C_DONE;
		c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&src, sizeof(src)) < 0 ||
		    (connect(c->fd, (struct sockaddr *)&target, sizeof(target)) < 0 && errno != EINPROGRESS) ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
			fprintf(stderr, "burst: connection %ld from %s: %s\n", i, inet_ntoa(src.sin_addr),
			    strerror(errno));
			if (c->fd >= 0)
				close(c->fd);
			c->fd = -1;
			n_failed++;
			continue;
		}
		c->st = C_CONNECTING;
		/* a real client sends as soon as it is connected: so do those
		 * connected already, after each round of addresses */
		if (i % naddr == naddr - 1)
			drain(ep, 0);
	}
	t_started = rrp_now_ms();
	deadline = t0 + timeout_s * 1000;
	for (;;) {
		left = 0;
		for (i = 0; i < total; i++)
			if (conns[i].st != C_DONE)
				left++;
		if (left == 0 || rrp_now_ms() >= deadline)
			break;
		answers = n_served + n_refused;
		drain(ep, 100);
		if (n_served + n_refused != answers)
			t_last = rrp_now_ms();
	}
	for (i = 0; i < total; i++)
		if (conns[i].fd >= 0)
			close(conns[i].fd);
	printf("burst: connections %ld, served %lu, refused %lu, closed unanswered %lu, failed to connect %lu, "
	    "unanswered %ld; all started within %lld ms, last answer after %lld ms\n",
	    total, n_served, n_refused, n_closed, n_failed, left, (long long)(t_started - t0),
	    (long long)(t_last > 0 ? t_last - t0 : 0));
	free(conns);
	return n_served == (unsigned long)total ? 0 : 1;
}
