/*
 * rrp_session.h - one LRP tunnel on the pptpd side: the process the
 * manager forks for it.
 *
 * The manager has authenticated the LRP (rrp_handshake.h; or, without
 * patch 0011, the process does, with a timeout); it sends WELCOME, starts
 * pptpctrl for the session with the downstream client's address, and then
 * relays:
 *
 *   tunnel CTRL frames  <->  pptpctrl's control stream (its fd 0, a unix
 *                            stream socket, read by upstream's ctrlpacket.c)
 *   tunnel GRE frames   <->  pptpctrl's GRE socket (a SOCK_SEQPACKET
 *                            socket, one GRE packet per datagram, read and
 *                            written by upstream's pptpgre.c)
 *
 * until either side ends, then waits for pptpctrl (and its pppd) to exit,
 * so the manager frees the slot and the address only when they are free.
 */
#ifndef RRP_SESSION_H
#define RRP_SESSION_H

#include <sys/socket.h>

#include "rrp_handshake.h"
#include "rrp_listen.h"

/* Run the session on the accepted tunnel fd; never returns.  done is the
 * handshake the manager completed (rrp_handshake.h): the process sends
 * WELCOME and starts pptpctrl.  NULL: it runs the handshake itself first. */
void rrp_session_main(int fd, const struct sockaddr_storage *peer, int slot,
    rrp_launch_fn launch, const struct rrp_handshake *done) __attribute__((noreturn));

/* Called by upstream's connectCall() while it builds pptpctrl's argv:
 * appends "rrp GRE_FD CLIENT_IP:PORT LRP" in a session process (nothing
 * elsewhere); returns the new argc.  argv must have room for 4 more. */
int rrp_session_ctrl_argv(char **argv, int argc);

#endif
