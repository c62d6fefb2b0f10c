/*
 * rrp_listen.h - the RRP in pptpd's manager: the rrp-listen sockets, and
 * admitting each LRP tunnel as pptpd admits a 1723 connection (TCP
 * wrappers, the same `connections` slots and address pool, the same Call
 * ID allocation), then handing it to a session process (rrp_session.h).
 *
 * The manager never waits for a tunnel's handshake: with patch 0011 it
 * keeps a tunnel in its pending set (pptpd_pending.h) until the first
 * frame is there, then the session process does the handshake, with its
 * own timeout, so a silent or slow LRP cannot hold up any other accept.
 */
#ifndef RRP_LISTEN_H
#define RRP_LISTEN_H

#include <sys/select.h>
#include <sys/socket.h>

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
 * to burst tunnels from each ready socket into the set; -1 if accept()
 * failed for want of descriptors or memory (the caller pauses), else 0. */
int rrp_listen_accept_pending(fd_set *set, int burst);

/* Start the session process for an admitted tunnel whose first frame has
 * arrived (or refuse it if no slot is free now); fd stays the caller's. */
void rrp_listen_launch(int fd, const struct sockaddr *peer, socklen_t peer_len,
    int host_socket, rrp_launch_fn launch);

/* Close the listening sockets (in every child the manager forks). */
void rrp_listen_close_all(void);

#endif
