/*
 * rrp-client-io.c - sockets, deadlines and frame I/O for the tunnel test
 * tools.  Everything is nonblocking and bounded by a deadline, so a server
 * that stops talking makes a test fail on time instead of hanging it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rrp-client-io.h"
#include "rrp_addr.h"

uint64_t
rcl_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* poll() timeout until deadline_us, rounded up so we never spin. */
static int
ms_until(uint64_t deadline_us)
{
	uint64_t now = rcl_now_us(), ms;

	if (now >= deadline_us)
		return 0;
	ms = (deadline_us - now + 999) / 1000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

void
rcl_conn_init(struct rcl_conn *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
}

/*
 * The tunnel's bytes pass through this pair and nowhere else: some bytes
 * in, some bytes out, as recv() and send() return them (EAGAIN: the caller
 * polls c->fd and tries again); rcl_shutdown_write() below ends our
 * direction.  A transport other than plain TCP, such as TLS, goes here.
 */
static ssize_t
conn_read(struct rcl_conn *c, void *buf, size_t len)
{
	return recv(c->fd, buf, len, 0);
}

static ssize_t
conn_write(struct rcl_conn *c, const void *buf, size_t len)
{
	return send(c->fd, buf, len, MSG_NOSIGNAL);
}

void
rcl_shutdown_write(struct rcl_conn *c)
{
	shutdown(c->fd, SHUT_WR);
}

int
rcl_read_frame(struct rcl_conn *c, uint64_t deadline_us, struct rrp_frame *f,
    int *code)
{
	for (;;) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		ssize_t n;
		int rc;

		c->rx_off += c->consume;
		c->consume = 0;
		rc = rrp_frame_parse(c->rx + c->rx_off, c->rx_len - c->rx_off, f);
		if (rc > 0) {
			c->consume = (size_t)rc;
			c->frames_in++;
			return RCL_FRAME;
		}
		if (rc < 0) {
			memcpy(c->bad_hdr, c->rx + c->rx_off, RRP_FRAME_HDR_LEN);
			*code = -rc;
			return RCL_BADFRAME;
		}
		/* An incomplete frame is at most RRP_FRAME_HDR_LEN +
		 * RRP_FRAME_MAX bytes (the parser refused anything larger), so
		 * after moving it to the front there is always room. */
		if (c->rx_off > 0) {
			memmove(c->rx, c->rx + c->rx_off, c->rx_len - c->rx_off);
			c->rx_len -= c->rx_off;
			c->rx_off = 0;
		}
		n = conn_read(c, c->rx + c->rx_len, sizeof(c->rx) - c->rx_len);
		if (n > 0) {
			c->rx_len += (size_t)n;
			continue;
		}
		if (n == 0)
			return RCL_EOF;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			c->saved_errno = errno;
			return RCL_IOERR;
		}
		if (rcl_now_us() >= deadline_us)
			return RCL_TIMEOUT;
		rc = poll(&p, 1, ms_until(deadline_us));
		if (rc < 0 && errno != EINTR) {
			c->saved_errno = errno;
			return RCL_IOERR;
		}
		if (rc == 0 && rcl_now_us() >= deadline_us)
			return RCL_TIMEOUT;
	}
}

size_t
rcl_partial(const struct rcl_conn *c)
{
	return c->rx_len - c->rx_off - c->consume;
}

int
rcl_send(struct rcl_conn *c, const void *buf, size_t len, uint64_t deadline_us)
{
	const uint8_t *p = buf;

	while (len > 0) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };
		ssize_t n = conn_write(c, p, len);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			c->saved_errno = errno;
			return -1;
		}
		if (rcl_now_us() >= deadline_us)
			return -2;
		if (poll(&pfd, 1, ms_until(deadline_us)) < 0 && errno != EINTR) {
			c->saved_errno = errno;
			return -1;
		}
	}
	return 0;
}

int
rcl_send_frame(struct rcl_conn *c, uint8_t type, const void *payload,
    size_t len, uint64_t deadline_us)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_FRAME_MAX];

	if (len > RRP_FRAME_MAX) {
		c->saved_errno = EMSGSIZE;
		return -1;
	}
	rrp_frame_header(buf, type, (uint16_t)len);
	if (len > 0)
		memcpy(buf + RRP_FRAME_HDR_LEN, payload, len);
	return rcl_send(c, buf, RRP_FRAME_HDR_LEN + len, deadline_us);
}

int
rcl_parse_hostport(const char *s, struct sockaddr_storage *ss,
    socklen_t *sslen)
{
	static const struct rrp_addr_rules rules = {
		.flags = RRP_ADDR_NUMERIC | RRP_ADDR_PORT_ZERO, .host_max = INET6_ADDRSTRLEN,
	};
	struct rrp_addr_text t;

	memset(ss, 0, sizeof(*ss));
	return rrp_addr_parse(s, &rules, ss, sslen, &t) == 0 ? 0 : -1;
}

int
rcl_parse_client(const char *s, struct rrp_client_addr *a)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (rcl_parse_hostport(s, &ss, &len) < 0)
		return -1;
	memset(a, 0, sizeof(*a));
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;

		a->family = 4;
		a->port = ntohs(sin->sin_port);
		memcpy(a->addr, &sin->sin_addr, 4);
	} else {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;

		a->family = 6;
		a->port = ntohs(sin6->sin6_port);
		memcpy(a->addr, &sin6->sin6_addr, 16);
	}
	return 0;
}

const char *
rcl_sockaddr_str(const struct sockaddr *sa, char *buf, size_t cap)
{
	return rrp_addr_str(sa, buf, cap);
}

int
rcl_setup_fd(int fd)
{
	int one = 1, fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	/* Frames are small and we measure round trips: no Nagle. */
	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int
rcl_connect(const struct sockaddr_storage *ss, socklen_t sslen,
    uint64_t deadline_us, char *err, size_t errlen)
{
	struct pollfd p;
	socklen_t elen = sizeof(int);
	int fd, soerr = 0;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (rcl_setup_fd(fd) < 0) {
		snprintf(err, errlen, "socket options: %s", strerror(errno));
		goto fail;
	}
	if (connect(fd, (const struct sockaddr *)ss, sslen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		snprintf(err, errlen, "connect: %s", strerror(errno));
		goto fail;
	}
	for (;;) {
		int rc;

		p.fd = fd;
		p.events = POLLOUT;
		rc = poll(&p, 1, ms_until(deadline_us));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			goto fail;
		}
		if (rc == 0) {
			snprintf(err, errlen, "connect: timed out");
			goto fail;
		}
		break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &elen) < 0)
		soerr = errno;
	if (soerr != 0) {
		snprintf(err, errlen, "connect: %s", strerror(soerr));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}
