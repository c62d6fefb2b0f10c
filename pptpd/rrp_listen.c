/*
 * rrp_listen.c - accept LRP tunnels in pptpd's manager process.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#if HAVE_LIBWRAP
#include <tcpd.h>
#endif

#include "rrp_config.h"
#include "rrp_listen.h"
#include "rrp_log.h"
#include "rrp_proto.h"
#include "rrp_session.h"
#include "rrp_upstream.h"

static int listen_fd[RRP_LISTEN_MAX];
static int nlisten;

int
rrp_listen_open(void)
{
	int i, one = 1;

	for (i = 0; i < rrp_config.nlisten; i++) {
		const struct rrp_listen_addr *la = &rrp_config.listen[i];
		int fd;

		fd = socket(la->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			rrp_log_config("rrp-listen %s: socket: %s", la->text, strerror(errno));
			goto fail;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		/* [::]:PORT means IPv6 only; list 0.0.0.0:PORT too for IPv4 */
		if (la->addr.ss_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(fd, (const struct sockaddr *)&la->addr, la->addr_len) < 0) {
			rrp_log_config("rrp-listen %s: bind: %s", la->text, strerror(errno));
			close(fd);
			goto fail;
		}
		if (listen(fd, 64) < 0) {
			rrp_log_config("rrp-listen %s: listen: %s", la->text, strerror(errno));
			close(fd);
			goto fail;
		}
		listen_fd[nlisten++] = fd;
		rrp_log(LOG_INFO, "listening for LRP tunnels on %s", la->text);
	}
	return 0;
fail:
	rrp_listen_close_all();
	return -1;
}

int
rrp_listen_fdset(fd_set *set, int max_fd)
{
	int i;

	for (i = 0; i < nlisten; i++) {
		FD_SET(listen_fd[i], set);
		if (listen_fd[i] > max_fd)
			max_fd = listen_fd[i];
	}
	return max_fd;
}

void
rrp_listen_close_all(void)
{
	int i;

	for (i = 0; i < nlisten; i++)
		close(listen_fd[i]);
	nlisten = 0;
}

/* Refuse a tunnel before its handshake: one CLOSE frame (a fresh socket's
 * send buffer always takes it), then close. */
static void
refuse_tunnel(int fd, int reason, const char *text)
{
	uint8_t frame[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
	size_t n = rrp_close_encode(frame, sizeof(frame), RRP_CLOSE, (uint16_t)reason, text);

	if (n > 0 && send(fd, frame, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		rrp_log(LOG_DEBUG, "could not send CLOSE: %s", strerror(errno));
	shutdown(fd, SHUT_WR);
	close(fd);
}

#if HAVE_LIBWRAP
static int
wrappers_allow(int fd)
{
	struct request_info r;

	request_init(&r, RQ_DAEMON, "pptpd", RQ_FILE, fd, NULL);
	fromhost(&r);
	return hosts_access(&r);
}
#else
static int
wrappers_allow(int fd)
{
	(void)fd;
	return 1;
}
#endif

static void
accept_one(int lfd, int host_socket, rrp_launch_fn launch)
{
	struct sockaddr_storage peer;
	socklen_t peer_len = sizeof(peer);
	char peer_str[80];
	int fd, slot = 0, one = 1;
	pid_t pid;

	fd = accept4(lfd, (struct sockaddr *)&peer, &peer_len, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED)
			rrp_log(LOG_ERR, "accept on an rrp-listen socket: %s", strerror(errno));
		return;
	}
	rrp_sockaddr_str((struct sockaddr *)&peer, peer_str, sizeof(peer_str));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

	if (!wrappers_allow(fd)) {
		rrp_log(LOG_WARNING, "refused tunnel from LRP %s: denied by TCP wrappers (hosts.allow/deny, daemon pptpd)",
		    peer_str);
		refuse_tunnel(fd, RRP_CLOSE_REFUSED, "refused by policy");
		return;
	}
	if (!pptp_delegate) {
		slot = slot_find_empty();
		if (slot < 0) {
			rrp_log(LOG_WARNING, "refused tunnel from LRP %s: all %d connection slots (remote IP addresses) are in use",
			    peer_str, pptp_connections);
			refuse_tunnel(fd, RRP_CLOSE_FULL, "no free connection slot");
			return;
		}
	}

	pid = fork();
	if (pid < 0) {
		rrp_log(LOG_ERR, "tunnel from LRP %s: fork: %s", peer_str, strerror(errno));
		close(fd);
		return;
	}
	if (pid == 0) {
		close(host_socket);
		rrp_listen_close_all();
		rrp_session_main(fd, &peer, slot, launch);
		/* NOTREACHED */
	}
	close(fd);
	/* the session's Call ID is the one the manager held at the fork,
	 * exactly as for a 1723 connection */
	unique_call_id += MAX_CALLS_PER_TCP_LINK;
	if (!pptp_delegate)
		slot_set_pid(slot, pid);
	if (pptp_debug)
		rrp_log(LOG_DEBUG, "tunnel from LRP %s: session process %d, slot %d", peer_str, (int)pid, slot);
}

void
rrp_listen_accept(fd_set *set, int host_socket, rrp_launch_fn launch)
{
	int i;

	for (i = 0; i < nlisten; i++)
		if (FD_ISSET(listen_fd[i], set))
			accept_one(listen_fd[i], host_socket, launch);
}
