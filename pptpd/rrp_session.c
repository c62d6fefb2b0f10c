/*
 * rrp_session.c - one LRP tunnel on the pptpd side: handshake, pptpctrl,
 * relay.  See rrp_session.h for the shape and doc/tunnel-protocol.md for
 * the protocol.
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
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pptp_gre.h"
#include "pptp_msg.h"
#include "pptp_state.h"
#include "pptpd_clock.h"
#include "rrp_auth.h"
#include "rrp_config.h"
#include "rrp_handshake.h"
#include "rrp_log.h"
#include "rrp_proto.h"
#include "rrp_session.h"
#include "rrp_upstream.h"

/* Sizes.  Every frame fits RX_SIZE; the send queue holds the configured
 * GRE bound plus room that only control, keepalive and close frames may
 * use, so those are never dropped for GRE's sake. */
#define RX_SIZE			(64 * 1024)
#define TX_CONTROL_ROOM		(32 * 1024)
#define CTRL_OUT_SIZE		(8 * 1024)
#define CTRL_IN_SIZE		(2 * PPTP_MSG_MAX)
#define GRE_BATCH		64	/* datagrams read from pptpctrl per wakeup */
#define UNIX_SOCKBUF		(512 * 1024)
#define LINGER_MS		2000
#define CTRL_EXIT_GRACE_S	30

struct counters {
	unsigned long	ctrl_from_lrp, ctrl_to_lrp;
	unsigned long	gre_from_lrp, gre_to_lrp;
	unsigned long	gre_from_lrp_dropped, gre_to_lrp_dropped;
	unsigned long	gre_from_lrp_wrong_call;	/* not this tunnel's call */
	unsigned long long bytes_from_lrp, bytes_to_lrp;
};

struct session {
	int		tun;		/* the tunnel, TCP to the LRP */
	int		ctrl;		/* our end of pptpctrl's control stream */
	int		gre;		/* our end of pptpctrl's GRE socket */
	pid_t		ctrl_pid;
	char		lrp[80];
	char		client[RRP_CLIENT_ADDR_STRLEN];
	struct rrp_client_addr client_addr;

	uint8_t		rx[RX_SIZE];	/* from the tunnel */
	size_t		rx_start, rx_end;
	uint8_t		*tx;		/* to the tunnel */
	size_t		tx_cap, tx_start, tx_end, tx_gre_limit;
	uint8_t		ctrl_in[CTRL_IN_SIZE];	/* from pptpctrl */
	size_t		ctrl_in_len;
	uint8_t		ctrl_out[CTRL_OUT_SIZE];	/* to pptpctrl */
	size_t		ctrl_out_len;

	int64_t		last_rx_ms, last_tx_ms, tx_stall_since_ms;
	struct pptp_pns_state pns;	/* the order of the client's messages */
	struct counters	n;
};

/*
 * SIGTERM and SIGCHLD are blocked in the session process except while
 * relay() waits in ppoll(), which opens them atomically: one that comes
 * while the loop runs stays pending until then, and ppoll() returns at
 * once.  With poll(), a signal arriving after the loop had checked its
 * flag and before it slept waited for the next keepalive, past the
 * manager's grace for a SIGTERM (tests/host/sigterm-never-lost-by-
 * tunnel-sessions.sh).  inherited_mask is the mask pptpctrl gets back.
 */
static volatile sig_atomic_t got_sigterm, got_sigchld;
static sigset_t inherited_mask, wait_mask;

/* Set in the session process before pptpctrl is launched, read by
 * rrp_session_ctrl_argv() from upstream's connectCall(). */
static char ctrl_arg_gre[16], ctrl_arg_client[RRP_CLIENT_ADDR_STRLEN], ctrl_arg_lrp[80];
static int ctrl_args_set;


static void
on_signal(int sig)
{
	if (sig == SIGTERM)
		got_sigterm = 1;
	else if (sig == SIGCHLD)
		got_sigchld = 1;
}

int
rrp_session_ctrl_argv(char **argv, int argc)
{
	if (!ctrl_args_set)
		return argc;
	argv[argc++] = "rrp";
	argv[argc++] = ctrl_arg_gre;
	argv[argc++] = ctrl_arg_client;
	argv[argc++] = ctrl_arg_lrp;
	return argc;
}

/* ---- the send queue ------------------------------------------------- */

static size_t
tx_used(const struct session *s)
{
	return s->tx_end - s->tx_start;
}

/* Make room for len more bytes at the tail; 0 or -1 (no room). */
static int
tx_reserve(struct session *s, size_t len)
{
	if (s->tx_end + len <= s->tx_cap)
		return 0;
	if (tx_used(s) + len > s->tx_cap)
		return -1;
	memmove(s->tx, s->tx + s->tx_start, tx_used(s));
	s->tx_end -= s->tx_start;
	s->tx_start = 0;
	return 0;
}

/* Queue a whole control-class frame (CTRL, KEEPALIVE, CLOSE, ERROR): these
 * may use the room above the GRE bound. */
static int
tx_put(struct session *s, const uint8_t *frame, size_t len)
{
	if (tx_reserve(s, len) < 0)
		return -1;
	memcpy(s->tx + s->tx_end, frame, len);
	s->tx_end += len;
	return 0;
}

static void
tx_close_frame(struct session *s, uint8_t type, int code, const char *text)
{
	uint8_t frame[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
	size_t n = rrp_close_encode(frame, sizeof(frame), type, (uint16_t)code, text);

	if (n == 0 || tx_put(s, frame, n) < 0)
		rrp_log(LOG_WARNING, "client %s via LRP %s: no room to queue %s %d",
		    s->client, s->lrp, type == RRP_CLOSE ? "CLOSE" : "ERROR", code);
}

/* Write what the queue holds; -1 when the tunnel is broken. */
static int
tx_flush(struct session *s)
{
	while (tx_used(s) > 0) {
		ssize_t n = send(s->tun, s->tx + s->tx_start, tx_used(s), MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (s->tx_stall_since_ms == 0)
					s->tx_stall_since_ms = pptpd_now_ms();
				return 0;
			}
			return -1;
		}
		s->tx_start += (size_t)n;
		s->n.bytes_to_lrp += (unsigned long long)n;
		s->last_tx_ms = pptpd_now_ms();
		s->tx_stall_since_ms = 0;
	}
	s->tx_start = s->tx_end = 0;
	return 0;
}

/* ---- handshake ---------------------------------------------------------- */

/* Blocking write of one small frame with a deadline (the socket is
 * non-blocking); 0 or -1. */
static int
send_all(struct session *s, const uint8_t *buf, size_t len, int64_t deadline)
{
	while (len > 0) {
		ssize_t n = send(s->tun, buf, len, MSG_NOSIGNAL);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		struct pollfd p = { .fd = s->tun, .events = POLLOUT };
		int64_t left = deadline - pptpd_now_ms();

		if (left <= 0 || poll(&p, 1, (int)left) < 0)
			if (errno != EINTR)
				return -1;
	}
	return 0;
}

/* Send an ERROR and end the process: used before pptpctrl exists. */
static void __attribute__((noreturn))
handshake_fail(struct session *s, int code, const char *text)
{
	uint8_t frame[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
	size_t n = rrp_close_encode(frame, sizeof(frame), RRP_ERROR, (uint16_t)code, text);

	if (n > 0)
		send_all(s, frame, n, pptpd_now_ms() + 1000);
	shutdown(s->tun, SHUT_WR);
	close(s->tun);
	_exit(1);
}

/*
 * Wait for the next complete frame, until deadline.  Returns 1 with *f
 * (pointing into s->rx, consumed), 0 on EOF, -1 on a read error or
 * timeout (errno ETIMEDOUT), or a negated rrp_error for a bad header.
 */
static int
next_frame(struct session *s, struct rrp_frame *f, int64_t deadline)
{
	for (;;) {
		int rc = rrp_frame_parse(s->rx + s->rx_start, s->rx_end - s->rx_start, f);
		ssize_t n;

		if (rc > 0) {
			s->rx_start += (size_t)rc;
			return 1;
		}
		if (rc < 0)
			return rc;
		if (s->rx_start > 0) {
			memmove(s->rx, s->rx + s->rx_start, s->rx_end - s->rx_start);
			s->rx_end -= s->rx_start;
			s->rx_start = 0;
		}
		n = recv(s->tun, s->rx + s->rx_end, sizeof(s->rx) - s->rx_end, 0);
		if (n > 0) {
			s->rx_end += (size_t)n;
			s->n.bytes_from_lrp += (unsigned long long)n;
			continue;
		}
		if (n == 0)
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		struct pollfd p = { .fd = s->tun, .events = POLLIN };
		int64_t left = deadline - pptpd_now_ms();

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return -1;
	}
}

/*
 * Run the handshake over the blocking tunnel (rrp_handshake.c), unless
 * the manager ran it already (done): pptpd's manager does, from its
 * pending set, so this runs only for a tunnel handed over before its
 * handshake.  Then send WELCOME.  Any failure ends the process.
 */
static void
handshake(struct session *s, const struct rrp_handshake *done)
{
	int64_t deadline = pptpd_now_ms() + (int64_t)rrp_config.handshake_timeout_s * 1000;
	uint8_t out[RRP_HANDSHAKE_OUT_MAX];
	struct rrp_handshake hs;
	struct rrp_frame f;
	size_t n;

	if (done != NULL)
		hs = *done;
	else
		rrp_handshake_init(&hs, &rrp_config.secret);
	while (hs.state != RRP_HS_AUTHENTICATED) {
		enum rrp_handshake_result r;
		int rc = next_frame(s, &f, deadline);

		if (rc == 0) {
			rrp_log(LOG_WARNING, "tunnel from LRP %s: closed by the LRP %s", s->lrp,
			    rrp_handshake_waiting(&hs));
			close(s->tun);
			_exit(1);
		}
		if (rc == -1 && errno == ETIMEDOUT) {
			rrp_log(LOG_WARNING, "tunnel from LRP %s: handshake not completed within %d s (%s); closed",
			    s->lrp, rrp_config.handshake_timeout_s, rrp_handshake_waiting(&hs));
			handshake_fail(s, RRP_E_TIMEOUT, "handshake timeout");
		}
		if (rc == -1) {
			rrp_log(LOG_WARNING, "tunnel from LRP %s: %s: %s", s->lrp, rrp_handshake_waiting(&hs),
			    strerror(errno));
			close(s->tun);
			_exit(1);
		}
		if (rc == 1)
			r = rrp_handshake_frame(&hs, &f, out, sizeof(out), &n);
		else
			r = rrp_handshake_bad_header(&hs, -rc, out, sizeof(out), &n);
		if (r == RRP_HS_FAIL)
			rrp_log(hs.why_internal ? LOG_ERR : LOG_WARNING, "tunnel from LRP %s: %s", s->lrp, hs.why);
		if (n > 0 && send_all(s, out, n, deadline) < 0 && r != RRP_HS_FAIL) {
			rrp_log(LOG_WARNING, "tunnel from LRP %s: could not send %s: %s", s->lrp,
			    rrp_frame_type_str(out[0]), strerror(errno));
			close(s->tun);
			_exit(1);
		}
		if (r == RRP_HS_FAIL) {
			shutdown(s->tun, SHUT_WR);
			close(s->tun);
			_exit(1);
		}
	}

	s->client_addr = hs.client;
	rrp_client_addr_str(&hs.client, s->client, sizeof(s->client));
	n = rrp_handshake_welcome(&hs, out, sizeof(out));
	if (n == 0) {
		rrp_log(LOG_ERR, "tunnel from LRP %s: cannot compute the WELCOME MAC", s->lrp);
		handshake_fail(s, RRP_E_INTERNAL, "internal error");
	}
	if (send_all(s, out, n, deadline) < 0) {
		rrp_log(LOG_WARNING, "tunnel from LRP %s: could not send WELCOME: %s", s->lrp, strerror(errno));
		close(s->tun);
		_exit(1);
	}
	rrp_log(LOG_INFO, "client %s via LRP %s: tunnel authenticated", s->client, s->lrp);
}

/* ---- pptpctrl -------------------------------------------------------------- */

static void
sockbufs(int fd)
{
	int size = UNIX_SOCKBUF;

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static void
start_pptpctrl(struct session *s, int slot, rrp_launch_fn launch)
{
	int ctrl_pair[2], gre_pair[2];
	char ip[INET_ADDRSTRLEN];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctrl_pair) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, gre_pair) < 0) {
		rrp_log(LOG_ERR, "client %s via LRP %s: socketpair: %s", s->client, s->lrp, strerror(errno));
		handshake_fail(s, RRP_E_INTERNAL, "internal error");
	}
	sockbufs(gre_pair[0]);
	sockbufs(gre_pair[1]);

	inet_ntop(AF_INET, s->client_addr.addr, ip, sizeof(ip));
	snprintf(ctrl_arg_gre, sizeof(ctrl_arg_gre), "%d", gre_pair[1]);
	snprintf(ctrl_arg_client, sizeof(ctrl_arg_client), "%s:%u", ip, s->client_addr.port);
	snprintf(ctrl_arg_lrp, sizeof(ctrl_arg_lrp), "%s", s->lrp);
	ctrl_args_set = 1;

	s->ctrl_pid = fork();
	if (s->ctrl_pid < 0) {
		rrp_log(LOG_ERR, "client %s via LRP %s: fork: %s", s->client, s->lrp, strerror(errno));
		handshake_fail(s, RRP_E_INTERNAL, "internal error");
	}
	if (s->ctrl_pid == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGCHLD, &sa, NULL);
		sigprocmask(SIG_SETMASK, &inherited_mask, NULL);
		/* pptpctrl keeps its GRE socket across exec; nothing else of ours */
		fcntl(gre_pair[1], F_SETFD, 0);
		launch(ctrl_pair[1], slot);	/* dup2s it to fd 0, execs pptpctrl */
		_exit(1);
	}
	close(ctrl_pair[1]);
	close(gre_pair[1]);
	s->ctrl = ctrl_pair[0];
	s->gre = gre_pair[0];
	fcntl(s->ctrl, F_SETFL, O_NONBLOCK);
	fcntl(s->gre, F_SETFL, O_NONBLOCK);
	rrp_log(LOG_INFO, "client %s via LRP %s: pptpctrl %d started", s->client, s->lrp, (int)s->ctrl_pid);
}

/* Our ends of pptpctrl's sockets: closing them makes pptpctrl see the
 * control connection end, as a direct client's hang-up would. */
static void
close_pptpctrl_side(struct session *s)
{
	if (s->ctrl >= 0)
		close(s->ctrl);
	if (s->gre >= 0)
		close(s->gre);
	s->ctrl = s->gre = -1;
}

/* ---- relay ------------------------------------------------------------------ */

enum end_reason {
	END_NONE,
	END_TUNNEL,	/* the LRP closed, failed or broke the protocol */
	END_PPTPCTRL,	/* pptpctrl ended the control connection */
};

/*
 * GRE for pptpctrl leaves in one sendmmsg() per read of the tunnel (one
 * datagram each on the SOCK_SEQPACKET socket), pointing into rx, which
 * does not move until dispatch_rx() has flushed.  What pptpctrl cannot
 * take at once is dropped and counted: GRE is datagram traffic, and the
 * control frames behind it must keep flowing.
 */
#define GRE_OUT_BATCH	64

static struct mmsghdr gre_out[GRE_OUT_BATCH];
static struct iovec gre_out_iov[GRE_OUT_BATCH];
static unsigned gre_out_n;

static void
gre_out_flush(struct session *s)
{
	unsigned sent = 0;

	while (sent < gre_out_n && s->gre >= 0) {
		int n = sendmmsg(s->gre, gre_out + sent, gre_out_n - sent, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n > 0) {
			sent += (unsigned)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS) {
			close(s->gre);	/* pptpctrl closed it: its end is coming */
			s->gre = -1;
			break;
		}
		/* pptpctrl is behind */
		s->n.gre_from_lrp_dropped += gre_out_n - sent;
		break;
	}
	gre_out_n = 0;
}

static void
gre_out_queue(struct session *s, const uint8_t *pkt, size_t len)
{
	struct msghdr *m = &gre_out[gre_out_n].msg_hdr;

	gre_out_iov[gre_out_n].iov_base = (void *)pkt;
	gre_out_iov[gre_out_n].iov_len = len;
	memset(m, 0, sizeof(*m));
	m->msg_iov = &gre_out_iov[gre_out_n];
	m->msg_iovlen = 1;
	if (++gre_out_n == GRE_OUT_BATCH)
		gre_out_flush(s);
}

/* A frame from the LRP while the tunnel is open.  Returns END_NONE or
 * END_TUNNEL (after queueing our ERROR, if it was the LRP's fault). */
static int
from_lrp(struct session *s, const struct rrp_frame *f)
{
	struct pptp_gre_hdr gh;
	struct rrp_close c;
	char why[128];
	int type, rc;

	switch (f->type) {
	case RRP_CTRL:
		rc = pptp_msg_check(f->payload, f->len, &type);
		if (rc < 0) {
			rrp_log(LOG_WARNING, "client %s via LRP %s: bad control message from the LRP: %s",
			    s->client, s->lrp, pptp_msg_strerror(-rc));
			tx_close_frame(s, RRP_ERROR, RRP_E_PAYLOAD, pptp_msg_strerror(-rc));
			return END_TUNNEL;
		}
		if (s->ctrl < 0)
			return END_NONE;	/* pptpctrl is gone; we are closing */
		/* upstream pptpctrl acts on whatever comes (a second
		 * Outgoing-Call-Request starts a second ppp): keep it to the
		 * order RFC 2637 gives a client */
		if (pptp_pns_check(&s->pns, f->payload, type, why, sizeof(why)) < 0) {
			rrp_log(LOG_WARNING, "client %s via LRP %s: out-of-order control message from the LRP: %s",
			    s->client, s->lrp, why);
			tx_close_frame(s, RRP_ERROR, RRP_E_PAYLOAD, "control message out of order");
			return END_TUNNEL;
		}
		/* the caller only reads the tunnel while ctrl_out has room */
		memcpy(s->ctrl_out + s->ctrl_out_len, f->payload, f->len);
		s->ctrl_out_len += f->len;
		s->n.ctrl_from_lrp++;
		if (pptp_debug)
			rrp_log(LOG_DEBUG, "client %s via LRP %s: %s from the client", s->client, s->lrp,
			    pptp_ctrl_type_str(type));
		return END_NONE;
	case RRP_GRE:
		rc = pptp_gre_parse(f->payload, f->len, &gh);
		if (rc < 0) {
			rrp_log(LOG_WARNING, "client %s via LRP %s: bad GRE packet from the LRP: %s",
			    s->client, s->lrp, pptp_gre_strerror(-rc));
			tx_close_frame(s, RRP_ERROR, RRP_E_PAYLOAD, pptp_gre_strerror(-rc));
			return END_TUNNEL;
		}
		if (!s->pns.call_up || gh.call_id != s->pns.pac_cid) {
			/* pptpctrl would drop it without a word; say so, but
			 * not once per packet: the 1st, 2nd, 4th, 8th... */
			s->n.gre_from_lrp_wrong_call++;
			if ((s->n.gre_from_lrp_wrong_call & (s->n.gre_from_lrp_wrong_call - 1)) == 0)
				rrp_log(LOG_WARNING, "client %s via LRP %s: GRE for Call ID %u, which is not this "
				    "tunnel's call; dropped (%lu so far)", s->client, s->lrp, gh.call_id,
				    s->n.gre_from_lrp_wrong_call);
			return END_NONE;
		}
		s->n.gre_from_lrp++;
		if (s->gre >= 0)
			gre_out_queue(s, f->payload, f->len);
		return END_NONE;
	case RRP_KEEPALIVE:
		return END_NONE;
	case RRP_CLOSE:
	case RRP_ERROR:
		if (rrp_close_decode(f, &c) == 0)
			rrp_log(f->type == RRP_CLOSE && c.code == RRP_CLOSE_NORMAL ? LOG_INFO : LOG_WARNING,
			    "client %s via LRP %s: %s: %s (%u) \"%s\"", s->client, s->lrp,
			    f->type == RRP_CLOSE ? "tunnel closed by the LRP" : "error from the LRP",
			    f->type == RRP_CLOSE ? rrp_close_reason_str(c.code) : rrp_strerror(c.code),
			    c.code, c.text);
		else
			rrp_log(LOG_WARNING, "client %s via LRP %s: malformed %s from the LRP",
			    s->client, s->lrp, rrp_frame_type_str(f->type));
		return END_TUNNEL;
	default:
		rrp_log(LOG_WARNING, "client %s via LRP %s: unexpected %s frame in an open tunnel",
		    s->client, s->lrp, rrp_frame_type_str(f->type));
		tx_close_frame(s, RRP_ERROR, RRP_E_STATE, "frame not allowed in an open tunnel");
		return END_TUNNEL;
	}
}

/* Dispatch the whole frames received so far, while pptpctrl can take
 * control messages (what is left waits in rx, and the tunnel is not read
 * meanwhile: TCP pushes back on the LRP).  END_NONE or END_TUNNEL. */
static int
dispatch_rx(struct session *s)
{
	struct rrp_frame f;
	int rc;

	while (s->ctrl_out_len + RRP_CTRL_MAX <= sizeof(s->ctrl_out)) {
		rc = rrp_frame_parse(s->rx + s->rx_start, s->rx_end - s->rx_start, &f);
		if (rc == 0)
			break;
		if (rc < 0) {
			rrp_log(LOG_WARNING, "client %s via LRP %s: bad frame from the LRP: %s",
			    s->client, s->lrp, rrp_strerror(-rc));
			tx_close_frame(s, RRP_ERROR, -rc, rrp_strerror(-rc));
			gre_out_flush(s);
			return END_TUNNEL;
		}
		s->rx_start += (size_t)rc;
		if (from_lrp(s, &f) != END_NONE) {
			gre_out_flush(s);
			return END_TUNNEL;
		}
	}
	/* before rx moves */
	gre_out_flush(s);
	if (s->rx_start > 0) {
		memmove(s->rx, s->rx + s->rx_start, s->rx_end - s->rx_start);
		s->rx_end -= s->rx_start;
		s->rx_start = 0;
	}
	return END_NONE;
}

/* Can the tunnel be read: room in rx, and pptpctrl able to take what the
 * frames already received carry? */
static int
tunnel_readable(const struct session *s)
{
	return s->rx_end < sizeof(s->rx) &&
	    s->ctrl_out_len + RRP_CTRL_MAX <= sizeof(s->ctrl_out);
}

/* Read the tunnel and dispatch.  Returns END_NONE or END_TUNNEL. */
static int
read_tunnel(struct session *s)
{
	ssize_t n;

	n = recv(s->tun, s->rx + s->rx_end, sizeof(s->rx) - s->rx_end, 0);
	if (n == 0) {
		rrp_log(LOG_INFO, "client %s via LRP %s: the LRP closed the tunnel", s->client, s->lrp);
		return END_TUNNEL;
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return END_NONE;
		rrp_log(LOG_WARNING, "client %s via LRP %s: tunnel lost: %s", s->client, s->lrp, strerror(errno));
		return END_TUNNEL;
	}
	s->rx_end += (size_t)n;
	s->n.bytes_from_lrp += (unsigned long long)n;
	s->last_rx_ms = pptpd_now_ms();
	return dispatch_rx(s);
}

/* GRE packets pptpctrl sends: one tunnel frame each, or dropped and
 * counted when the queue is over its bound.  They are taken GRE_RX_BATCH
 * at a time with recvmmsg(), so a lone packet costs one system call, not
 * also the recv() that finds nothing more (system calls are dear on the
 * virtual machines this runs on: about 1 us each here), and copied into
 * the queue behind their frame headers. */
#define GRE_RX_BATCH	16

static uint8_t gre_rx_buf[GRE_RX_BATCH][RRP_GRE_MAX + 1];
static struct iovec gre_rx_iov[GRE_RX_BATCH];
static struct mmsghdr gre_rx[GRE_RX_BATCH];

static void
read_gre(struct session *s)
{
	int i, n, round;

	for (round = 0; round < GRE_BATCH / GRE_RX_BATCH && s->gre >= 0; round++) {
		for (i = 0; i < GRE_RX_BATCH; i++) {
			gre_rx_iov[i].iov_base = gre_rx_buf[i];
			gre_rx_iov[i].iov_len = sizeof(gre_rx_buf[i]);
			memset(&gre_rx[i].msg_hdr, 0, sizeof(gre_rx[i].msg_hdr));
			gre_rx[i].msg_hdr.msg_iov = &gre_rx_iov[i];
			gre_rx[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(s->gre, gre_rx, GRE_RX_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
				close(s->gre);
				s->gre = -1;
			}
			return;
		}
		for (i = 0; i < n; i++) {
			size_t len = gre_rx[i].msg_len;

			if (len == 0) {		/* pptpctrl closed its GRE socket */
				close(s->gre);
				s->gre = -1;
				return;
			}
			if (len < RRP_GRE_MIN || len > RRP_GRE_MAX ||
			    (gre_rx[i].msg_hdr.msg_flags & MSG_TRUNC)) {
				rrp_log(LOG_WARNING, "client %s via LRP %s: pptpctrl sent a %zu-byte GRE packet; dropped",
				    s->client, s->lrp, len);
				continue;
			}
			if (tx_used(s) + RRP_FRAME_HDR_LEN + len > s->tx_gre_limit ||
			    tx_reserve(s, RRP_FRAME_HDR_LEN + len) < 0) {
				s->n.gre_to_lrp_dropped++;
				continue;
			}
			rrp_frame_header(s->tx + s->tx_end, RRP_GRE, (uint16_t)len);
			memcpy(s->tx + s->tx_end + RRP_FRAME_HDR_LEN, gre_rx_buf[i], len);
			s->tx_end += RRP_FRAME_HDR_LEN + len;
			s->n.gre_to_lrp++;
		}
		if (n < GRE_RX_BATCH)
			return;		/* nothing more for now */
	}
}

/* Control messages pptpctrl writes, framed one per CTRL frame.  Returns
 * END_NONE or END_PPTPCTRL. */
static int
read_ctrl(struct session *s)
{
	ssize_t n;

	n = read(s->ctrl, s->ctrl_in + s->ctrl_in_len, sizeof(s->ctrl_in) - s->ctrl_in_len);
	if (n == 0)
		return END_PPTPCTRL;
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? END_NONE : END_PPTPCTRL;
	s->ctrl_in_len += (size_t)n;
	for (;;) {
		uint8_t frame[RRP_FRAME_HDR_LEN + RRP_CTRL_MAX];
		int len = pptp_msg_frame(s->ctrl_in, s->ctrl_in_len);
		int type;

		if (len == 0)
			return END_NONE;
		if (len < 0 || pptp_msg_check(s->ctrl_in, (size_t)len, &type) < 0) {
			rrp_log(LOG_ERR, "client %s via LRP %s: pptpctrl wrote a malformed control message",
			    s->client, s->lrp);
			return END_PPTPCTRL;
		}
		if (type == PPTP_OCRP)
			pptp_pns_call_reply(&s->pns, pptp_get16(s->ctrl_in, PPTP_OFF_OCRP_CALL_ID),
			    s->ctrl_in[PPTP_OFF_OCRP_RESULT] == 1);
		rrp_frame_header(frame, RRP_CTRL, (uint16_t)len);
		memcpy(frame + RRP_FRAME_HDR_LEN, s->ctrl_in, (size_t)len);
		if (tx_put(s, frame, RRP_FRAME_HDR_LEN + (size_t)len) < 0) {
			/* cannot happen: we read only with room for two messages */
			rrp_log(LOG_ERR, "client %s via LRP %s: control queue full", s->client, s->lrp);
			return END_PPTPCTRL;
		}
		s->n.ctrl_to_lrp++;
		if (pptp_debug)
			rrp_log(LOG_DEBUG, "client %s via LRP %s: %s to the client", s->client, s->lrp,
			    pptp_ctrl_type_str(type));
		memmove(s->ctrl_in, s->ctrl_in + len, s->ctrl_in_len - (size_t)len);
		s->ctrl_in_len -= (size_t)len;
	}
}

static void
write_ctrl(struct session *s)
{
	ssize_t n = write(s->ctrl, s->ctrl_out, s->ctrl_out_len);

	if (n > 0) {
		memmove(s->ctrl_out, s->ctrl_out + n, s->ctrl_out_len - (size_t)n);
		s->ctrl_out_len -= (size_t)n;
	}
}

/* Wait for pptpctrl (which waits for its pppd) to exit. */
static void
reap_pptpctrl(struct session *s)
{
	int64_t deadline = pptpd_now_ms() + CTRL_EXIT_GRACE_S * 1000;
	int status, signalled = 0;

	while (s->ctrl_pid > 0) {
		pid_t r = waitpid(s->ctrl_pid, &status, WNOHANG);

		if (r == s->ctrl_pid || (r < 0 && errno == ECHILD))
			break;
		if (pptpd_now_ms() > deadline && signalled < 2) {
			rrp_log(LOG_WARNING, "client %s via LRP %s: pptpctrl %d still running; sending %s",
			    s->client, s->lrp, (int)s->ctrl_pid, signalled ? "SIGKILL" : "SIGTERM");
			kill(s->ctrl_pid, signalled ? SIGKILL : SIGTERM);
			signalled++;
			deadline = pptpd_now_ms() + 5000;
		}
		usleep(20000);
	}
	s->ctrl_pid = 0;
}

/* Send what is queued (the CLOSE last), shut our side down and wait a
 * little (linger_ms) for the LRP to close, so the frames are not lost to
 * a reset.  With linger_ms 0 (the LRP has been silent for 3 keepalives:
 * the path is dead) what the socket takes at once is all that is tried:
 * waiting for an answer that cannot come would hold the connection slot
 * past the end of the session. */
static void
finish_tunnel(struct session *s, int linger_ms)
{
	int64_t deadline = pptpd_now_ms() + linger_ms;
	char buf[4096];

	if (linger_ms == 0)
		tx_flush(s);
	while (tx_used(s) > 0 && pptpd_now_ms() < deadline) {
		struct pollfd p = { .fd = s->tun, .events = POLLOUT };

		if (tx_flush(s) < 0)
			break;
		if (tx_used(s) > 0)
			poll(&p, 1, 100);
	}
	shutdown(s->tun, SHUT_WR);
	while (pptpd_now_ms() < deadline) {
		struct pollfd p = { .fd = s->tun, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, (int)(deadline - pptpd_now_ms())) <= 0)
			break;
		n = recv(s->tun, buf, sizeof(buf), 0);
		if (n <= 0 && !(n < 0 && errno == EINTR))
			break;
	}
	close(s->tun);
	s->tun = -1;
}

static void
relay(struct session *s)
{
	int64_t keepalive_ms = (int64_t)rrp_config.keepalive_s * 1000;
	int64_t idle_ms = 3 * keepalive_ms;
	int end = END_NONE, close_reason = RRP_CLOSE_NORMAL, forwarded_term = 0;
	int linger_ms = LINGER_MS;

	s->last_rx_ms = s->last_tx_ms = pptpd_now_ms();
	end = dispatch_rx(s);		/* anything that came with the handshake */
	while (end == END_NONE) {
		struct pollfd p[3];
		struct timespec wait_ts;
		int64_t t, wait_ms;
		int np = 0, itun, ictrl = -1, igre = -1;

		if (got_sigterm && !forwarded_term) {
			/* pptpctrl says goodbye to the client (Call-Disconnect-
			 * Notify, Stop-Control-Connection-Request) through us */
			rrp_log(LOG_INFO, "client %s via LRP %s: shutting down", s->client, s->lrp);
			kill(s->ctrl_pid, SIGTERM);
			forwarded_term = 1;
			close_reason = RRP_CLOSE_SHUTDOWN;
		}
		itun = np;
		p[np].fd = s->tun;
		p[np].events = (tunnel_readable(s) ? POLLIN : 0) | (tx_used(s) > 0 ? POLLOUT : 0);
		np++;
		if (s->ctrl >= 0) {
			ictrl = np;
			p[np].fd = s->ctrl;
			p[np].events = (tx_used(s) + TX_CONTROL_ROOM / 2 <= s->tx_cap ? POLLIN : 0) |
			    (s->ctrl_out_len > 0 ? POLLOUT : 0);
			np++;
		}
		if (s->gre >= 0) {
			igre = np;
			p[np].fd = s->gre;
			p[np].events = POLLIN;
			np++;
		}

		t = pptpd_now_ms();
		wait_ms = s->last_tx_ms + keepalive_ms - t;
		if (s->last_rx_ms + idle_ms - t < wait_ms)
			wait_ms = s->last_rx_ms + idle_ms - t;
		if (wait_ms < 0)
			wait_ms = 0;
		wait_ts.tv_sec = (time_t)(wait_ms / 1000);
		wait_ts.tv_nsec = (long)(wait_ms % 1000) * 1000000;
		if (ppoll(p, (nfds_t)np, &wait_ts, &wait_mask) < 0 && errno != EINTR) {
			rrp_log(LOG_ERR, "client %s via LRP %s: ppoll: %s", s->client, s->lrp, strerror(errno));
			end = END_TUNNEL;
			break;
		}

		if (igre >= 0 && (p[igre].revents & (POLLIN | POLLHUP | POLLERR)))
			read_gre(s);
		if (ictrl >= 0 && (p[ictrl].revents & POLLOUT)) {
			write_ctrl(s);
			/* frames that waited for pptpctrl to take control */
			if ((end = dispatch_rx(s)) != END_NONE)
				break;
		}
		if (ictrl >= 0 && (p[ictrl].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    read_ctrl(s) == END_PPTPCTRL) {
			end = END_PPTPCTRL;
			break;
		}
		if ((p[itun].revents & (POLLIN | POLLHUP | POLLERR)) && tunnel_readable(s)) {
			end = read_tunnel(s);
			if (end != END_NONE)
				break;
		}
		if (tx_used(s) > 0 && tx_flush(s) < 0) {
			rrp_log(LOG_WARNING, "client %s via LRP %s: tunnel lost: %s", s->client, s->lrp,
			    strerror(errno));
			end = END_TUNNEL;
			break;
		}

		t = pptpd_now_ms();
		if (t - s->last_rx_ms >= idle_ms) {
			rrp_log(LOG_WARNING, "client %s via LRP %s: nothing from the LRP for %d s; closing",
			    s->client, s->lrp, (int)(idle_ms / 1000));
			tx_close_frame(s, RRP_CLOSE, RRP_CLOSE_IDLE, "idle timeout");
			linger_ms = 0;
			end = END_TUNNEL;
			break;
		}
		if (s->tx_stall_since_ms && t - s->tx_stall_since_ms >= idle_ms) {
			rrp_log(LOG_WARNING, "client %s via LRP %s: the LRP has taken nothing for %d s; closing",
			    s->client, s->lrp, (int)(idle_ms / 1000));
			tx_close_frame(s, RRP_CLOSE, RRP_CLOSE_OVERLOAD, "tunnel stalled");
			end = END_TUNNEL;
			break;
		}
		if (t - s->last_tx_ms >= keepalive_ms && tx_used(s) == 0) {
			uint8_t ka[RRP_FRAME_HDR_LEN];

			rrp_keepalive_encode(ka, sizeof(ka));
			tx_put(s, ka, sizeof(ka));
			tx_flush(s);
		}
		if (got_sigchld && s->ctrl_pid > 0) {
			int status;

			got_sigchld = 0;
			if (waitpid(s->ctrl_pid, &status, WNOHANG) == s->ctrl_pid) {
				s->ctrl_pid = 0;
				end = END_PPTPCTRL;
			}
		}
	}

	if (end == END_PPTPCTRL) {
		/* pptpctrl ended the control connection: whatever it wrote last
		 * (Call-Disconnect-Notify, Stop-Control-Connection-Reply) is
		 * queued; the CLOSE goes after it */
		int i;

		for (i = 0; i < 16 && s->ctrl >= 0 && read_ctrl(s) == END_NONE; i++)
			;
		rrp_log(LOG_INFO, "client %s via LRP %s: control connection finished", s->client, s->lrp);
		tx_close_frame(s, RRP_CLOSE, close_reason,
		    close_reason == RRP_CLOSE_SHUTDOWN ? "pptpd shutting down" : "session ended");
	}
	close_pptpctrl_side(s);
	finish_tunnel(s, linger_ms);
	reap_pptpctrl(s);
}

void
rrp_session_main(int fd, const struct sockaddr_storage *peer, int slot, rrp_launch_fn launch,
    const struct rrp_handshake *done)
{
	static struct session sess;
	struct session *s = &sess;
	struct sigaction sa;
	sigset_t ours;

	/* blocked first, so none reaches the manager's handler meanwhile */
	sigemptyset(&ours);
	sigaddset(&ours, SIGTERM);
	sigaddset(&ours, SIGCHLD);
	sigprocmask(SIG_BLOCK, &ours, &inherited_mask);
	wait_mask = inherited_mask;
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGCHLD);
	/* the manager's signal pipe and handlers are not ours */
	sigpipe_close();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* run only inside relay()'s ppoll() */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(s, 0, sizeof(*s));
	s->tun = fd;
	s->ctrl = s->gre = -1;
	rrp_sockaddr_str((const struct sockaddr *)peer, s->lrp, sizeof(s->lrp));
	snprintf(s->client, sizeof(s->client), "(unauthenticated)");
	fcntl(fd, F_SETFL, O_NONBLOCK);

	s->tx_gre_limit = rrp_config.queue_limit_bytes;
	s->tx_cap = s->tx_gre_limit + TX_CONTROL_ROOM;
	s->tx = malloc(s->tx_cap);
	if (s->tx == NULL) {
		rrp_log(LOG_ERR, "tunnel from LRP %s: out of memory", s->lrp);
		handshake_fail(s, RRP_E_INTERNAL, "internal error");
	}

	if (pptp_debug)
		rrp_log(LOG_DEBUG, "tunnel from LRP %s: %s (slot %d)", s->lrp,
		    done != NULL ? "authenticated by the manager" : "handshake", slot);
	handshake(s, done);
	rrp_secret_clear(&rrp_config.secret);	/* not needed past the handshake */
	start_pptpctrl(s, slot, launch);
	relay(s);

	rrp_log(LOG_INFO, "client %s via LRP %s: tunnel closed; control %lu from / %lu to the LRP, "
	    "GRE %lu from / %lu to the LRP, GRE dropped %lu from / %lu to the LRP, "
	    "GRE for another call %lu, bytes %llu from / %llu to",
	    s->client, s->lrp, s->n.ctrl_from_lrp, s->n.ctrl_to_lrp, s->n.gre_from_lrp, s->n.gre_to_lrp,
	    s->n.gre_from_lrp_dropped, s->n.gre_to_lrp_dropped, s->n.gre_from_lrp_wrong_call, s->n.bytes_from_lrp, s->n.bytes_to_lrp);
	free(s->tx);
	_exit(0);
}
