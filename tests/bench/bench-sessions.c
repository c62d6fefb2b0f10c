/*
 * bench-sessions - many PPTP control connections at once, for the LRP's
 * memory per session and its session setup rate.
 *
 *   bench-sessions -s ADDR[:PORT] -n SESSIONS [-c CONCURRENCY] [-t SECS]
 *
 * Opens SESSIONS TCP connections, at most CONCURRENCY of them still being
 * set up at any time; on each it sends a Start-Control-Connection-Request
 * and waits for the Reply, which has crossed the LRP, its tunnel to the
 * RRP and back: then that session is set up.  Prints "setup ok=N failed=N
 * secs=T rate=R" (sessions/s, up to the last success), then "holding" and keeps every connection
 * open (idle) until SIGTERM.  Exit 1 if any session failed or the whole
 * setup did not finish within SECS (default 120).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-util.h"
#include "pptp_msg.h"

enum sstate { S_CONNECTING, S_WAIT_REPLY, S_UP, S_FAILED };

struct sess {
	int		fd;
	enum sstate	st;
	uint8_t		rx[PPTP_MSG_MAX];
	size_t		rx_len;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in srv;
	struct sess *ss;
	struct epoll_event evs[512];
	struct rlimit rl;
	long n = 1000, conc = 200, started = 0, up = 0, failed = 0, pending = 0, i;
	double limit_s = 120;
	uint64_t t0, t1 = 0, t_last_ok = 0, deadline;
	uint8_t sccrq[PPTP_MSG_MAX];
	size_t sccrq_len;
	int opt, ep, have_srv = 0;

	bench_prog = "bench-sessions";
	while ((opt = getopt(argc, argv, "s:n:c:t:")) != -1) {
		switch (opt) {
		case 's':
			if (bench_parse_addr(optarg, 1723, &srv) < 0)
				bench_die("bad address `%s'", optarg);
			have_srv = 1;
			break;
		case 'n': n = atol(optarg); break;
		case 'c': conc = atol(optarg); break;
		case 't': limit_s = atof(optarg); break;
		default: bench_die("usage: bench-sessions -s ADDR[:PORT] -n SESSIONS [-c CONCURRENCY] [-t SECS]");
		}
	}
	if (!have_srv || n < 1 || conc < 1)
		bench_die("need -s ADDR, -n >= 1, -c >= 1");
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur < (rlim_t)n + 64)
			bench_die("descriptor limit %lu is below %ld sessions", (unsigned long)rl.rlim_cur, n);
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	ss = calloc((size_t)n, sizeof(*ss));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ss == NULL || ep < 0)
		bench_die("setup:");
	sccrq_len = pptp_build_sccrq(sccrq, "bench-sessions", "pptpd-rrp bench");

	t0 = bench_now_us();
	deadline = t0 + (uint64_t)(limit_s * 1e6);
	while (!stop && up + failed < n && bench_now_us() < deadline) {
		int k, m;

		while (started < n && pending < conc) {
			struct sess *s = &ss[started];
			struct epoll_event ev = { .events = EPOLLOUT | EPOLLIN, .data.u64 = (uint64_t)started };

			s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (s->fd < 0)
				bench_die("socket (session %ld):", started);
			bench_set_nodelay(s->fd);
			if (connect(s->fd, (struct sockaddr *)&srv, sizeof(srv)) < 0 && errno != EINPROGRESS) {
				s->st = S_FAILED;
				failed++;
				close(s->fd);
				started++;
				continue;
			}
			s->st = S_CONNECTING;
			epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
			started++;
			pending++;
		}
		m = epoll_wait(ep, evs, 512, 100);
		for (k = 0; k < m; k++) {
			struct sess *s = &ss[evs[k].data.u64];
			int err = 0;
			socklen_t el = sizeof(err);

			if (s->st == S_CONNECTING) {
				struct epoll_event ev = { .events = EPOLLIN, .data.u64 = evs[k].data.u64 };

				getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el);
				if (err != 0 || send(s->fd, sccrq, sccrq_len, MSG_NOSIGNAL) != (ssize_t)sccrq_len)
					goto fail;
				s->st = S_WAIT_REPLY;
				epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
				continue;
			}
			if (s->st == S_WAIT_REPLY) {
				ssize_t r = recv(s->fd, s->rx + s->rx_len, sizeof(s->rx) - s->rx_len, 0);
				int len, type;

				if (r <= 0)
					goto fail;
				s->rx_len += (size_t)r;
				len = pptp_msg_frame(s->rx, s->rx_len);
				if (len == 0)
					continue;
				if (len < 0 || pptp_msg_check(s->rx, (size_t)len, &type) < 0 ||
				    type != PPTP_SCCRP || s->rx[14] != 1)
					goto fail;
				s->st = S_UP;
				up++;
				t_last_ok = bench_now_us();
				pending--;
				/* idle from now on: no more events wanted */
				epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
				continue;
			}
			continue;
fail:
			epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
			close(s->fd);
			s->st = S_FAILED;
			failed++;
			pending--;
		}
	}
	t1 = bench_now_us();
	/* the rate up to the last session that came up: failures can take
	 * a timeout to be noticed and would dilute it */
	if (t_last_ok == 0)
		t_last_ok = t1;
	printf("setup ok=%ld failed=%ld unfinished=%ld secs=%.3f rate=%.0f\n", up, failed, n - up - failed,
	    (double)(t_last_ok - t0) / 1e6, (double)up * 1e6 / (double)(t_last_ok - t0 + 1));
	printf("holding\n");
	fflush(stdout);
	while (!stop)
		pause();
	for (i = 0; i < started; i++)
		if (ss[i].st != S_FAILED)
			close(ss[i].fd);
	return up == n ? 0 : 1;
}
