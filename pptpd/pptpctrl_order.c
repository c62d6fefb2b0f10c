/*
 * pptpctrl_order.c - see pptpctrl_order.h.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <syslog.h>

#include "pptp_msg.h"
#include "pptp_state.h"
#include "pptpctrl_order.h"
#include "pptpctrl_rrp.h"

/* one pptpctrl, one control connection */
static struct pptp_pns_state pns;

/* "IP:PORT" of the client at the other end of fd, for the log */
static void
client_name(int fd, char *buf, size_t len)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	char ip[INET_ADDRSTRLEN];

	if (getpeername(fd, (struct sockaddr *)&sin, &sl) < 0 || sin.sin_family != AF_INET ||
	    inet_ntop(AF_INET, &sin.sin_addr, ip, sizeof(ip)) == NULL) {
		snprintf(buf, len, "(unknown)");
		return;
	}
	snprintf(buf, len, "%s:%u", ip, ntohs(sin.sin_port));
}

int
pptpctrl_order_check(int fd, const void *msg, int type, const void *reply)
{
	const uint8_t *m = msg;
	char client[INET_ADDRSTRLEN + 8], why[160];
	size_t len;
	int rc, checked;

	if (rrp_ctrl_active())
		return 0;
	/* read_pptp_header() read exactly as many bytes as this says, and
	 * checked the magic cookie; the proxies also hold every message to
	 * its type's size (the Call IDs below must be in it) */
	len = pptp_get16(m, 0);
	rc = pptp_msg_check(m, len, &checked);
	if (rc == -PPTP_MSG_E_SIZE) {
		client_name(fd, client, sizeof(client));
		syslog(LOG_WARNING, "CTRL: Client %s: malformed control message from the client: %s of %zu bytes "
		    "(RFC 2637 says %zu); closing", client, pptp_ctrl_type_str(checked), len, pptp_msg_size(checked));
		return -1;
	}
	if (rc < 0) {
		client_name(fd, client, sizeof(client));
		syslog(LOG_WARNING, "CTRL: Client %s: malformed control message from the client: %s; closing",
		    client, pptp_msg_strerror(-rc));
		return -1;
	}
	if (pptp_pns_check(&pns, m, type, why, sizeof(why)) < 0) {
		client_name(fd, client, sizeof(client));
		syslog(LOG_WARNING, "CTRL: Client %s: out-of-order control message from the client: %s; closing",
		    client, why);
		return -1;
	}
	if (type == PPTP_OCRQ) {
		const uint8_t *r = reply;

		pptp_pns_call_reply(&pns, pptp_get16(r, PPTP_OFF_OCRP_CALL_ID), r[PPTP_OFF_OCRP_RESULT] == 1);
	}
	return 0;
}
