/*
 * pending_set.h - the connections a listener has accepted whose first
 * message is not whole yet, and which one to close when too many wait:
 * one rule for pptpd's manager (port 1723 and rrp-listen) and the LRP
 * (its port 1723).
 *
 * The set is bounded (max-pending, rrp-max-pending), and when it is full
 * one connection must go to make room for the next.  The rule:
 *
 *  - first read what the candidate has sent (the daemon does, before
 *    asking may_close): a listener accepts a burst faster than it reads
 *    it, so the first message may be waiting in the socket already;
 *  - the candidate is the oldest from the address with the most waiting:
 *    a flooding address always has more waiting than any other, so its
 *    own connections go, never a client waiting from elsewhere;
 *  - it is closed only once it has waited PENDING_GRACE_MS without a
 *    whole first message: a real client sends its first message as soon
 *    as it is connected, so one that has not within the grace is silent
 *    or slow, while a burst of real clients (a reconnect storm behind one
 *    NAT address) all finish within it.  Until then the listener stops
 *    accepting: new connections wait in the kernel's listen queue, where
 *    they cost the daemon nothing;
 *  - but an address that has had a connection closed so (silent past the
 *    grace while the set was full) is flooding: its connections may be
 *    closed at once, without a grace, for as long as any of them waits.
 *    So a flood from one address makes the listener wait one grace, once,
 *    and is then thinned as fast as it comes, and real clients elsewhere
 *    are accepted at full speed meanwhile;
 *  - and a listener that has closed a connection so within the last
 *    PENDING_FLOOD_MEMORY_MS is under a flood: a connection alone from its
 *    address gets no grace either.  Many addresses flooding a connection
 *    each would otherwise hold the listener up a grace at a time, the set
 *    turning over only once per grace while the flood fills the kernel's
 *    queue ahead of real clients.  (Addresses with several waiting, as a
 *    NAT's burst, keep their grace unless flooding themselves.)
 *
 * The set holds the daemons' own records (each embeds a pending_entry) in
 * a list: no allocation, no capacity of its own.  Time is the caller's
 * monotonic clock in milliseconds.
 */
#ifndef PENDING_SET_H
#define PENDING_SET_H

#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>

/* How long a connection may wait for its first message before it may be
 * closed to make room.  Long enough for a client busy with a burst of
 * its own and a server busy with everyone's (and for the tunnel
 * handshake's AUTH, one round trip after CHALLENGE: pptpd counts the
 * grace again from each step); short enough that a flood holds the
 * listener up only this long once. */
#define PENDING_GRACE_MS	1000
/* How long a listener counts as under a flood after it last closed a
 * connection to make room (the first of them silent past its grace). */
#define PENDING_FLOOD_MEMORY_MS	10000

struct pending_entry {
	TAILQ_ENTRY(pending_entry) link;
	int		in_set;
	int		family;		/* AF_INET, AF_INET6 (0: other) */
	uint8_t		host[16];	/* the address alone, not the port */
	int64_t		since_ms;	/* waiting since: its grace and age */
	int		host_waiting;	/* in the set from its address, it included */
	int		flooding;	/* its address had one closed for silence */
};

TAILQ_HEAD(pending_list, pending_entry);

struct pending_set {
	struct pending_list	entries;	/* in the order they came */
	int			n;
	int64_t			flood_until_ms;	/* under a flood until then */
};

void pending_set_init(struct pending_set *s);

/* e (not in any set) starts waiting for its first message, from peer. */
void pending_set_add(struct pending_set *s, struct pending_entry *e,
    const struct sockaddr *peer, int64_t now_ms);

/* e leaves the set (its first message came, or it is closed); nothing if
 * it is not in it. */
void pending_set_remove(struct pending_set *s, struct pending_entry *e);

/* e got a step further (a tunnel's HELLO answered): its grace starts
 * again. */
void pending_set_progress(struct pending_entry *e, int64_t now_ms);

/* The candidate to close when the set is full: the oldest from the
 * address with the most waiting (the oldest of all when every address
 * waits as often).  NULL when the set is empty. */
struct pending_entry *pending_set_victim(const struct pending_set *s);

/* May the candidate e of s be closed now?  1 when it has waited the
 * grace, its address is flooding, or it is alone from its address while
 * s is under a flood; else 0, and *until_ms is when it may be. */
int pending_set_may_close(const struct pending_set *s,
    const struct pending_entry *e, int64_t now_ms, int64_t *until_ms);

/* Why may_close said e may be closed, for the log: "silent past the
 * grace", "its address flooding" or "alone from its address in a flood". */
const char *pending_set_why(const struct pending_set *s,
    const struct pending_entry *e, int64_t now_ms);

/* e is being closed to make room (may_close said so): its address is
 * flooding from now on, while any connection from it waits, and s is
 * under a flood (for PENDING_FLOOD_MEMORY_MS from now).  Call before
 * removing e. */
void pending_set_closing(struct pending_set *s, struct pending_entry *e,
    int64_t now_ms);

#endif
