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
 * multi-homed LRP answers from the right one.
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
		lrp_log(LOG_WARNING, "raw GRE socket: cannot attach the drop-all filter: %s", strerror(errno));
	setsockopt(l->raw_fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return 0;
}

int
lrp_gre_send(struct lrp_session *s, const uint8_t *pkt, size_t len)
{
	union {
		char		buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr	align;
	} control;
	struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
	struct sockaddr_in to = s->client;
	struct msghdr m;
	struct cmsghdr *cm;
	struct in_pktinfo *pi;

	to.sin_port = 0;
	memset(&m, 0, sizeof(m));
	memset(&control, 0, sizeof(control));
	m.msg_name = &to;
	m.msg_namelen = sizeof(to);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = control.buf;
	m.msg_controllen = sizeof(control.buf);
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	pi = (struct in_pktinfo *)CMSG_DATA(cm);
	pi->ipi_spec_dst = s->local.sin_addr;
	return sendmsg(s->lrp->raw_fd, &m, MSG_DONTWAIT) < 0 ? -1 : 0;
}
