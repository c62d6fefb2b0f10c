/*
 * flooder - hold many connections to a listener that never finish their
 * first message, to show a daemon keeps serving real clients meanwhile.
 *
 *   flooder ADDR:PORT [--half-open N] [--slow N] [--message sccrq|hello]
 *           [--every MS] [--seconds S] [--reconnect] [--ready FILE]
 *           [--whole-first] [--source ADDR [--sources N]]
 *
 * --half-open N  connections that send nothing at all
 * --slow N       connections that send the first message (a PPTP
 *                Start-Control-Connection-Request, or an RRP HELLO frame)
 *                one byte every --every milliseconds (default 1000)
 * --reconnect    open a new connection --every milliseconds after each
 *                one the server closes, so the flood keeps coming
 *                (otherwise the server thins it out)
 * --ready FILE   written once every connection has been opened once
 * --whole-first  the --slow connections send the message whole at once,
 *                then trickle one more byte every --every milliseconds for
 *                good (the message again, cycled): a peer that has started
 *                its session and never completes another message
 * --seconds S    how long to hold them (default 30; SIGTERM ends it too)
 * --source ADDR  connect from this local IPv4 address (one of the host's)
 * --sources N    from N consecutive addresses, ADDR first: connection i
 *                (and whatever replaces it) from the (i mod N)th, a flood
 *                from many hosts (the host must have them all)
 *
 * At the end it prints one line of counts (opened, closed by the server,
 * failed to connect, bytes sent, most held at once) and closes everything.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pptp_msg.h"
#include "rrp_clock.h"
#include "rrp_number.h"
#include "rrp_proto.h"

struct conn {
	int	fd;		/* -1: not open */
	int	slow;		/* trickles the message */
	int	connected;
	size_t	sent;		/* bytes of the message sent */
	int64_t	next_ms;	/* next byte due */
	long	src;		/* which --sources address it comes from */
};

static volatile sig_atomic_t stop;
static struct sockaddr_in target, source;
static long nsources = 1;
static uint8_t msg[PPTP_MSG_MAX + RRP_FRAME_HDR_LEN + RRP_HELLO_LEN];
static size_t msg_len;
static int every_ms = 1000;
static int whole_first;
static unsigned long n_opened, n_closed, n_failed, n_bytes;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: flooder ADDR:PORT [--half-open N] [--slow N] [--message sccrq|hello]\n"
	    "               [--every MS] [--seconds S] [--reconnect] [--ready FILE]\n"
	    "               [--whole-first] [--source ADDR [--sources N]]\n");
	exit(2);
}

static long
number(const char *opt, const char *arg, long lo, long hi)
{
	long v;

	if (rrp_number_parse(arg, lo, hi, &v) < 0) {
		fprintf(stderr, "flooder: %s `%s' is not a number in %ld..%ld\n", opt, arg, lo, hi);
		exit(2);
	}
	return v;
}

static void
conn_open(struct conn *c, int64_t now)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	c->fd = -1;
	c->connected = 0;
	c->sent = 0;
	c->next_ms = now + every_ms;
	if (fd < 0) {
		n_failed++;
		return;
	}
	if (source.sin_family == AF_INET) {
		struct sockaddr_in src = source;

		src.sin_addr.s_addr = htonl(ntohl(source.sin_addr.s_addr) + (uint32_t)c->src);
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0) {
			n_failed++;
			close(fd);
			return;
		}
	}
	if (connect(fd, (struct sockaddr *)&target, sizeof(target)) < 0 && errno != EINPROGRESS) {
		n_failed++;
		close(fd);
		return;
	}
	c->fd = fd;
	n_opened++;
}

static void
conn_close(struct conn *c, int64_t now)
{
	close(c->fd);
	c->fd = -1;
	c->next_ms = now + every_ms;	/* when --reconnect opens it again */
}

int
main(int argc, char **argv)
{
	long half = 0, slow = 0, seconds = 30, i, total, held, most = 0;
	const char *message = "sccrq", *ready = NULL;
	int reconnect = 0, ready_done = 0;
	struct conn *conns;
	struct pollfd *pfd;
	struct rlimit rl;
	int64_t end;
	char host[64], *colon;

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
		fprintf(stderr, "flooder: `%s' is not an IPv4 address\n", host);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		const char *o = argv[i];

		if (strcmp(o, "--reconnect") == 0) {
			reconnect = 1;
			continue;
		}
		if (strcmp(o, "--whole-first") == 0) {
			whole_first = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(o, "--half-open") == 0)
			half = number(o, argv[++i], 0, 100000);
		else if (strcmp(o, "--slow") == 0)
			slow = number(o, argv[++i], 0, 100000);
		else if (strcmp(o, "--every") == 0)
			every_ms = (int)number(o, argv[++i], 1, 60000);
		else if (strcmp(o, "--seconds") == 0)
			seconds = number(o, argv[++i], 1, 86400);
		else if (strcmp(o, "--message") == 0)
			message = argv[++i];
		else if (strcmp(o, "--ready") == 0)
			ready = argv[++i];
		else if (strcmp(o, "--sources") == 0)
			nsources = number(o, argv[++i], 1, 65536);
		else if (strcmp(o, "--source") == 0) {
			source.sin_family = AF_INET;
			if (inet_pton(AF_INET, argv[++i], &source.sin_addr) != 1) {
				fprintf(stderr, "flooder: --source `%s' is not an IPv4 address\n", argv[i]);
				return 2;
			}
		}
		else
			usage();
	}
	if (strcmp(message, "sccrq") == 0)
		msg_len = pptp_build_sccrq(msg, "flooder", "flooder");
	else if (strcmp(message, "hello") == 0) {
		struct rrp_hello h;

		memset(&h, 0, sizeof(h));
		h.version_min = h.version_max = RRP_VERSION_MIN;
		msg_len = rrp_hello_encode(msg, sizeof(msg), &h);
	} else
		usage();

	total = half + slow;
	/* a thousand sockets need more than the usual 1024 descriptors */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)total + 64) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)total + 64 ? rl.rlim_max : (rlim_t)total + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	conns = calloc((size_t)total + 1, sizeof(*conns));
	pfd = calloc((size_t)total + 1, sizeof(*pfd));
	if (conns == NULL || pfd == NULL) {
		fprintf(stderr, "flooder: out of memory\n");
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	end = rrp_now_ms() + seconds * 1000;
	for (i = 0; i < total; i++) {
		conns[i].slow = i >= half;
		conns[i].src = i % nsources;
		conn_open(&conns[i], rrp_now_ms());
	}

	while (!stop && rrp_now_ms() < end) {
		int64_t now = rrp_now_ms();
		int timeout = every_ms < 200 ? every_ms : 200;

		held = 0;
		for (i = 0; i < total; i++) {
			struct conn *c = &conns[i];

			pfd[i].fd = c->fd;
			pfd[i].events = 0;
			pfd[i].revents = 0;
			if (c->fd < 0)
				continue;
			held++;
			pfd[i].events = c->connected ? POLLIN : POLLOUT;
		}
		if (held > most)
			most = held;
		if (!ready_done && ready != NULL && n_opened >= (unsigned long)total) {
			FILE *f = fopen(ready, "w");

			if (f != NULL) {
				fprintf(f, "%ld\n", held);
				fclose(f);
			}
			ready_done = 1;
		}
		if (poll(pfd, (nfds_t)total, timeout) < 0 && errno != EINTR)
			break;
		now = rrp_now_ms();
		for (i = 0; i < total; i++) {
			struct conn *c = &conns[i];

			if (c->fd < 0) {
				if (reconnect && !stop && now >= c->next_ms)
					conn_open(c, now);
				continue;
			}
			if (pfd[i].revents & (POLLERR | POLLHUP)) {
				if (c->connected)
					n_closed++;
				else
					n_failed++;
				conn_close(c, now);
				continue;
			}
			if (!c->connected && (pfd[i].revents & POLLOUT)) {
				c->connected = 1;
				if (c->slow && whole_first) {
					ssize_t n = send(c->fd, msg, msg_len, MSG_NOSIGNAL);

					if (n > 0) {
						c->sent = (size_t)n;
						n_bytes += (unsigned long)n;
					}
					c->next_ms = now + every_ms;
				}
			}
			if (c->connected && (pfd[i].revents & POLLIN)) {
				char buf[512];
				ssize_t n = recv(c->fd, buf, sizeof(buf), 0);

				if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
					n_closed++;
					conn_close(c, now);
					continue;
				}
			}
			if (c->connected && c->slow && (c->sent < msg_len || whole_first) && now >= c->next_ms) {
				if (send(c->fd, msg + c->sent % msg_len, 1, MSG_NOSIGNAL) == 1) {
					c->sent++;
					n_bytes++;
				}
				c->next_ms = now + every_ms;
			}
		}
	}
	held = 0;
	for (i = 0; i < total; i++)
		if (conns[i].fd >= 0) {
			held++;
			conn_close(&conns[i], 0);
		}
	printf("flooder: opened %lu, closed by the server %lu, failed %lu, bytes sent %lu, most held %ld, held at the end %ld\n",
	    n_opened, n_closed, n_failed, n_bytes, most, held);
	free(conns);
	free(pfd);
	return 0;
}
