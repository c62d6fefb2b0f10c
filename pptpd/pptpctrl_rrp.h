/*
 * pptpctrl_rrp.h - pptpctrl's side of an RRP tunnel (beside
 * pptpctrl_ppp.h, its ppp program).  The hooks keep the rrp_ctrl_ names
 * patches/0008 calls them by.
 *
 * For a tunnel, pptpd's session process (rrp_session.c) starts pptpctrl
 * exactly as for a 1723 connection, with four more arguments:
 *   rrp GRE_FD CLIENT_IP:PORT LRP_ADDRESS
 * fd 0 is then a unix stream socket carrying the PPTP control messages,
 * and GRE_FD a SOCK_SEQPACKET socket carrying one GRE packet per datagram
 * (no IP header).  Upstream's control and GRE code run unchanged on them;
 * these hooks give pptpctrl the GRE socket instead of a raw one, and the
 * downstream client's address wherever it would use its TCP peer's
 * (pppd's ipparam and remotenumber, the logwtmp plugin, the logs).
 */
#ifndef PPTPCTRL_RRP_H
#define PPTPCTRL_RRP_H

#include <netinet/in.h>

/* Parse the rrp arguments at argv[arg] if present; returns the index after
 * them.  Exits (status 2, with a log line) if they are malformed. */
int rrp_ctrl_parse_args(int argc, char **argv, int arg);

/* Nonzero when this pptpctrl serves an RRP tunnel. */
int rrp_ctrl_active(void);

/* In a tunnel: replace the addresses pptpctrl took from its control
 * socket (a unix socket here) by the downstream client's, and log the
 * session's start naming the client and the LRP. */
void rrp_ctrl_addresses(struct in_addr *inetaddrs, struct sockaddr_in *peer);

/* A descriptor of the tunnel's GRE socket for pptp_gre_init(); a fresh
 * duplicate each call, since pptpctrl closes it when a call ends. */
int rrp_ctrl_gre_fd(void);

#endif
