/*
 * pptpd_pending.h - connections pptpd's manager has accepted (on 1723 or
 * an rrp-listen socket) whose first message has not fully arrived yet.
 *
 * Upstream's manager waited in a select() of up to stimeout seconds for
 * each new 1723 connection's first packet, serving nothing else meanwhile:
 * one silent client stalled every other accept.  Here the manager keeps
 * such connections in a bounded set inside its own select() loop, each
 * with a deadline (stimeout for 1723, rrp-handshake-timeout for a tunnel),
 * and starts the connection's process only once its whole first message
 * (a Start-Control-Connection-Request, or the tunnel's first frame) can be
 * read, so neither a silent nor a trickling peer holds a connection slot
 * or a process.  When a set is full, the rule shared with the LRP
 * (common/pending_set.h) says which connection is closed to make room:
 * after reading what it has sent, the oldest from the address with the
 * most waiting, once it has waited a grace without its first message (or
 * at once if its address is flooding); until then the manager stops
 * accepting that kind, and new connections wait in the kernel's listen
 * queue.  A burst of real clients, each sending its first message at
 * once, is served whole; a flood from one address closes its own
 * connections, not a client waiting from elsewhere.
 */
#ifndef PPTPD_PENDING_H
#define PPTPD_PENDING_H

#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "rrp_listen.h"

#define PPTPD_MAX_PENDING_DEFAULT	100	/* per listener kind */
/* The kernel's queue of connections not accepted yet (capped by
 * net.core.somaxconn), for 1723 and each rrp-listen socket: a burst waits
 * there while the manager is busy or holds, each first message received
 * and acknowledged by the kernel.  A connection the queue has no room for
 * when its handshake completes loses its first message, and the peer
 * resends it only after a backoff of seconds. */
#define PPTPD_LISTEN_BACKLOG		4096

enum pptpd_pending_kind {
	PPTPD_PENDING_PPTP,	/* port 1723 */
	PPTPD_PENDING_RRP,	/* an rrp-listen socket */
	PPTPD_PENDING_KINDS
};

/* The manager's select() set: the 1723 socket and the rrp-listen sockets
 * (unless accepting is paused for want of descriptors) and every pending
 * connection.  Returns the new highest descriptor. */
int pptpd_pending_fdset(fd_set *set, int max_fd, int host_socket);

/* The timeout for the manager's select(): the nearest deadline, or NULL
 * (wait forever) when nothing is pending or paused. */
struct timeval *pptpd_pending_timeout(struct timeval *tv);

/* After select(): close what is past its deadline, start the connections
 * whose first message is complete (launch execs pptpctrl in the child),
 * then accept what is ready on the listening sockets. */
void pptpd_pending_service(fd_set *set, int host_socket, rrp_launch_fn launch);

/* Is there room in kind's set for one more connection?  1: yes (room was
 * made if needed: the candidate's first message read and its process
 * started, or the candidate closed); 0: not yet, accept none of that kind
 * now (the manager watches its listeners again when there may be).  The
 * accept loops ask before each accept(). */
int pptpd_pending_room(int kind, int host_socket, rrp_launch_fn launch);

/* Add an accepted, admitted connection (the set owns fd from here). */
void pptpd_pending_add(int kind, int fd, const struct sockaddr *peer,
    socklen_t peer_len);

/* May an accepted connection on fd be kept?  0 when fd is beyond what
 * select() can watch or among the last few descriptors the manager may
 * open (the caller closes it and pauses accepting, as for EMFILE). */
int pptpd_pending_fd_ok(int fd);

/* In a child the manager forks: close every pending connection but keep. */
void pptpd_pending_close_in_child(int keep);

#endif
