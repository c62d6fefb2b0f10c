/*
 * lrp_gre_send.c - GRE to the clients, through one raw IPPROTO_GRE socket.
 *
 * The same socket keeps the host from answering the clients' GRE with ICMP
 * protocol-unreachable: a host with no raw GRE socket open sends one for
 * every GRE packet it receives, and a single one makes pptp-linux (and
 * Windows) clear the call.  The clients' GRE is read with libpcap instead
 * (lrp_capture.c), so a socket filter that accepts nothing keeps this
 * socket's receive queue empty at no cost.
 *
 * Each packet leaves from the address the client dialed (IP_PKTINFO), so a
 * multi-homed LRP answers from the right one.  The packets one read of a
 * tunnel brings down leave in one sendmmsg().
 */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lrp.h"
#include "lrp_log.h"

int
lrp_gre_socket_open(struct lrp *l)
{
	struct sock_filter drop_all[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { .len = 1, .filter = drop_all };
	int size = 4 * 1024 * 1024;

	l->raw_fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_GRE);
	if (l->raw_fd < 0) {
		lrp_log_config("raw GRE socket: %s (lrp needs CAP_NET_RAW)", strerror(errno));
		return -1;
	}
	if (setsockopt(l->raw_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
		lrp_log_errno(LOG_WARNING, "raw GRE socket: cannot attach the drop-all filter");
	if (setsockopt(l->raw_fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) < 0)
		lrp_log_errno(LOG_WARNING, "raw GRE socket: cannot set a send buffer of %d bytes", size);
	return 0;
}

/* Packets queued for one sendmmsg(), pointing into the buffer the tunnel
 * was read into (lrp_tunnel.c), which stays put until the flush.  The batch
 * is always flushed before the callback that filled it returns, so neither
 * the data nor the session pointers can go stale. */
#define GRE_BATCH	64

struct gre_batch_entry {
	struct lrp_session	*s;
	struct sockaddr_in	to;
	struct iovec		iov;
	union {
		char		buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr	align;
	} control;
};

static struct gre_batch_entry batch[GRE_BATCH];
static struct mmsghdr batch_msg[GRE_BATCH];
static int batch_len;

int
lrp_gre_flush(struct lrp *l)
{
	int sent = 0, refused = 0, i;

	while (sent < batch_len) {
		int n = sendmmsg(l->raw_fd, batch_msg + sent, (unsigned)(batch_len - sent), MSG_DONTWAIT);

		if (n > 0) {
			for (i = sent; i < sent + n; i++)
				batch[i].s->n.gre_down++;
			sent += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/* the first packet not sent was refused (ENOBUFS, EAGAIN,
		 * unreachable): count it and go on with the rest */
		batch[sent].s->n.gre_down_dropped++;
		refused++;
		sent++;
	}
	batch_len = 0;
	return refused;
}

int
lrp_gre_send(struct lrp_session *s, const uint8_t *pkt, size_t len)
{
	struct gre_batch_entry *e;
	struct msghdr *m;
	struct cmsghdr *cm;
	struct in_pktinfo *pi;

	if (len > RRP_GRE_MAX)
		return -1;
	if (batch_len == GRE_BATCH)
		lrp_gre_flush(s->lrp);
	e = &batch[batch_len];
	m = &batch_msg[batch_len].msg_hdr;
	e->s = s;
	e->to = s->client;
	e->to.sin_port = 0;
	e->iov.iov_base = (void *)pkt;
	e->iov.iov_len = len;
	memset(m, 0, sizeof(*m));
	memset(&e->control, 0, sizeof(e->control));
	m->msg_name = &e->to;
	m->msg_namelen = sizeof(e->to);
	m->msg_iov = &e->iov;
	m->msg_iovlen = 1;
	m->msg_control = e->control.buf;
	m->msg_controllen = sizeof(e->control.buf);
	cm = CMSG_FIRSTHDR(m);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	pi = (struct in_pktinfo *)CMSG_DATA(cm);
	/* leave from the address the client dialed */
	pi->ipi_spec_dst = s->local.sin_addr;
	batch_len++;
	return 0;
}
