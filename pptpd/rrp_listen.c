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
#include <time.h>
#include <unistd.h>

#include "pptpd_pending.h"
#include "pptpd_wrappers.h"
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
		if (listen(fd, PPTPD_LISTEN_BACKLOG) < 0) {
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
refuse_tunnel_keep(int fd, int reason, const char *text)
{
	uint8_t frame[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
	size_t n = rrp_close_encode(frame, sizeof(frame), RRP_CLOSE, (uint16_t)reason, text);

	if (n > 0 && send(fd, frame, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		rrp_log(LOG_DEBUG, "could not send CLOSE: %s", strerror(errno));
	shutdown(fd, SHUT_WR);
}

static void
refuse_tunnel(int fd, int reason, const char *text)
{
	refuse_tunnel_keep(fd, reason, text);
	close(fd);
}

/* Every slot is taken: at most 5 such lines per 10 s (a flood must not
 * flood the log), the next one saying how many were not logged. */
static void
refused_full_log(const char *peer_str)
{
	static time_t window;
	static int lines;
	static unsigned long missed;
	time_t now = time(NULL);

	if (now - window >= 10) {
		window = now;
		lines = 0;
	}
	if (lines >= 5) {
		missed++;
		return;
	}
	lines++;
	rrp_log(LOG_WARNING, "refused tunnel from LRP %s: all %d connection slots (remote IP addresses) are in use "
	    "(%lu more such not logged)", peer_str, pptp_connections, missed);
	missed = 0;
}

/* Accept one tunnel from lfd and admit it (TCP wrappers, a free slot);
 * returns its descriptor, -2 if it was refused (and closed), or -1 if
 * accept() failed (errno says why). */
static int
accept_admit(int lfd, struct sockaddr_storage *peer, socklen_t *peer_len)
{
	char peer_str[80];
	int fd, one = 1;

	*peer_len = sizeof(*peer);
	fd = accept4(lfd, (struct sockaddr *)peer, peer_len, SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!pptpd_pending_fd_ok(fd)) {
		close(fd);
		errno = EMFILE;
		return -1;
	}
	rrp_sockaddr_str((struct sockaddr *)peer, peer_str, sizeof(peer_str));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

	if (!pptpd_wrappers_allow(fd)) {
		rrp_log(LOG_WARNING, "refused tunnel from LRP %s: denied by TCP wrappers (hosts.allow/deny, daemon pptpd)",
		    peer_str);
		refuse_tunnel(fd, RRP_CLOSE_REFUSED, "refused by policy");
		return -2;
	}
	if (!pptp_delegate && slot_find_empty() < 0) {
		refused_full_log(peer_str);
		refuse_tunnel(fd, RRP_CLOSE_FULL, "no free connection slot");
		return -2;
	}
	return fd;
}

void
rrp_listen_launch(int fd, const struct sockaddr *peer, socklen_t peer_len, int host_socket,
    rrp_launch_fn launch, const struct rrp_handshake *done)
{
	struct sockaddr_storage addr;
	char peer_str[80];
	int slot = 0;
	pid_t pid;

	memset(&addr, 0, sizeof(addr));
	memcpy(&addr, peer, peer_len < sizeof(addr) ? peer_len : sizeof(addr));
	rrp_sockaddr_str(peer, peer_str, sizeof(peer_str));
	if (!pptp_delegate) {
		slot = slot_find_empty();
		if (slot < 0) {
			refused_full_log(peer_str);
			refuse_tunnel_keep(fd, RRP_CLOSE_FULL, "no free connection slot");
			return;
		}
	}

	pid = fork();
	if (pid < 0) {
		rrp_log(LOG_ERR, "tunnel from LRP %s: fork: %s", peer_str, strerror(errno));
		return;
	}
	if (pid == 0) {
		close(host_socket);
		rrp_listen_close_all();
		pptpd_pending_close_in_child(fd);
		rrp_session_main(fd, &addr, slot, launch, done);
		/* NOTREACHED */
	}
	/* the session's Call ID is the one the manager held at the fork,
	 * exactly as for a 1723 connection */
	unique_call_id += MAX_CALLS_PER_TCP_LINK;
	if (!pptp_delegate)
		slot_set_pid(slot, pid);
	if (pptp_debug)
		rrp_log(LOG_DEBUG, "tunnel from LRP %s: session process %d, slot %d", peer_str, (int)pid, slot);
}

static void
accept_one(int lfd, int host_socket, rrp_launch_fn launch)
{
	struct sockaddr_storage peer;
	socklen_t peer_len;
	int fd;

	fd = accept_admit(lfd, &peer, &peer_len);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED)
			rrp_log(LOG_ERR, "accept on an rrp-listen socket: %s", strerror(errno));
		return;
	}
	if (fd < 0)
		return;
	rrp_listen_launch(fd, (struct sockaddr *)&peer, peer_len, host_socket, launch, NULL);
	close(fd);
}

int
rrp_listen_accept_pending(fd_set *set, int burst, int host_socket, rrp_launch_fn launch)
{
	static time_t out_of_fds_logged;

	int i, n;

	for (i = 0; i < nlisten; i++) {
		if (!FD_ISSET(listen_fd[i], set))
			continue;
		for (n = 0; n < burst && pptpd_pending_room(PPTPD_PENDING_RRP, host_socket, launch); n++) {
			struct sockaddr_storage peer;
			socklen_t peer_len;
			int fd = accept_admit(listen_fd[i], &peer, &peer_len);

			if (fd == -2)
				continue;
			if (fd == -1) {
				if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
					/* the caller pauses; one line a minute */
					if (time(NULL) - out_of_fds_logged >= 60) {
						rrp_log(LOG_ERR, "accept on an rrp-listen socket: %s; not accepting for a "
						    "second at a time", strerror(errno));
						out_of_fds_logged = time(NULL);
					}
					return -1;
				}
				if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
				    errno != ECONNABORTED)
					rrp_log(LOG_ERR, "accept on an rrp-listen socket: %s", strerror(errno));
				break;
			}
			pptpd_pending_add(PPTPD_PENDING_RRP, fd, (struct sockaddr *)&peer, peer_len);
		}
	}
	return 0;
}

void
rrp_listen_accept(fd_set *set, int host_socket, rrp_launch_fn launch)
{
	int i;

	for (i = 0; i < nlisten; i++)
		if (FD_ISSET(listen_fd[i], set))
			accept_one(listen_fd[i], host_socket, launch);
}
