/*
 * rrp_listen.h - the RRP in pptpd's manager: the rrp-listen sockets, and
 * admitting each LRP tunnel as pptpd admits a 1723 connection (TCP
 * wrappers, the same `connections` slots and address pool, the same Call
 * ID allocation), then handing it to a session process (rrp_session.h).
 *
 * The manager never waits for a tunnel's handshake: with patch 0011 it
 * runs the handshake (rrp_handshake.h) for the tunnels in its pending set
 * (pptpd_pending.h), frame by frame as they arrive, and gives a tunnel a
 * slot and a session process only once the LRP has authenticated, so a
 * silent, slow or unauthenticated peer holds up no other accept and holds
 * no slot.
 */
#ifndef RRP_LISTEN_H
#define RRP_LISTEN_H

#include <sys/select.h>
#include <sys/socket.h>

#include "rrp_handshake.h"

/* How pptpd's manager starts pptpctrl for a connection on fd in slot
 * (upstream's connectCall(); it execs and never returns). */
typedef void (*rrp_launch_fn)(int fd, int slot);

/* Open every rrp-listen socket; 0, or -1 after logging why. */
int rrp_listen_open(void);

/* Add the listening sockets to the manager's select() set; returns the
 * new highest descriptor. */
int rrp_listen_fdset(fd_set *set, int max_fd);

/* Accept what is ready in set.  host_socket is the 1723 listener (closed
 * in the children); launch is called in the session process once the
 * tunnel is authenticated. */
void rrp_listen_accept(fd_set *set, int host_socket, rrp_launch_fn launch);

/* With the manager's pending set (pptpd_pending.h): accept and admit up
 * to burst tunnels from each ready socket into the set, while it has room
 * (pptpd_pending_room(), given host_socket and launch); -1 if accept()
 * failed for want of descriptors or memory (the caller pauses), else 0. */
int rrp_listen_accept_pending(fd_set *set, int burst, int host_socket,
    rrp_launch_fn launch);

/* Start the session process for an admitted tunnel whose handshake the
 * manager has completed, done (or, when done is NULL, one the session
 * process is to authenticate itself), or refuse it if no slot is free
 * now; fd stays the caller's. */
void rrp_listen_launch(int fd, const struct sockaddr *peer, socklen_t peer_len,
    int host_socket, rrp_launch_fn launch, const struct rrp_handshake *done);

/* Close the listening sockets (in every child the manager forks). */
void rrp_listen_close_all(void);

#endif
