/*
 * lrp_reasm.h - reassembly of fragmented IPv4 datagrams carrying GRE.
 *
 * A client whose PPP MTU is the usual 1500 (pppd's default for PPTP is
 * 1496) sends full-size frames as GRE packets of about 1540 bytes, which
 * its kernel fragments on an Ethernet LAN.  A host's raw GRE socket gets
 * them reassembled by the kernel; libpcap sees the fragments as they came,
 * so the LRP puts them back together itself.
 *
 * Bounded: a fixed pool of datagrams in progress, each at most the largest
 * GRE packet the tunnel carries plus an IP header; a datagram not complete
 * within its timeout, or that overlaps itself or grows past the bound, is
 * dropped and counted (overlapping fragments are how IPv4 reassembly is
 * attacked, and no honest sender makes them).  So is one with a fragment
 * at or beyond the end its last fragment gives, whichever came first.  A
 * datagram is complete only when every byte up to that end has arrived:
 * every byte handed out was written by the datagram's own fragments.
 *
 * Shared fairly: only a source the caller vouches for (lrp_linkframe.c: the
 * client of a session whose call is up) may start a datagram; one source
 * holds at most LRP_REASM_PER_SOURCE at once, and a new one beyond that
 * replaces its own oldest; when the pool is full, a new datagram replaces
 * the oldest of the source holding the most (the newcomer's own on a
 * tie).  So a host can neither take the pool from the clients nor, being
 * one, from the others.
 */
#ifndef LRP_REASM_H
#define LRP_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "rrp_proto.h"

#define LRP_REASM_SLOTS		64
#define LRP_REASM_PER_SOURCE	8	/* datagrams in progress per source address */
#define LRP_REASM_MAX		RRP_GRE_MAX	/* bytes after the IP header */
#define LRP_REASM_TIMEOUT_MS	2000

struct lrp_reasm_slot {
	int		used;
	uint32_t	src, dst;	/* network order */
	uint16_t	id;
	uint8_t		proto;
	uint64_t	seq;		/* order of arrival: the oldest is evicted first */
	int64_t		deadline_ms;
	int		have_total;	/* the last fragment (MF clear) came */
	size_t		total;		/* payload length, known from the last fragment */
	size_t		end;		/* the furthest byte received, plus one */
	uint8_t		bits[(LRP_REASM_MAX + 7) / 8 / 8 + 1];	/* 8-byte units received */
	uint8_t		buf[LRP_REASM_MAX];
};

struct lrp_reasm_counters {
	unsigned long	fragments;	/* fragments seen */
	unsigned long	reassembled;	/* datagrams completed */
	unsigned long	timed_out;	/* datagrams never completed */
	unsigned long	dropped;	/* overlapping, beyond its end, oversized */
	unsigned long	refused;	/* source may not start a datagram */
	unsigned long	evicted;	/* replaced by a newer datagram */
};

/* The last fragment refused or dropped, or the last datagram evicted: for
 * the caller's log line. */
struct lrp_reasm_event {
	uint32_t	src;		/* network order */
	uint16_t	id;
	const char	*why;
};

struct lrp_reasm {
	struct lrp_reasm_slot		slot[LRP_REASM_SLOTS];
	uint64_t			next_seq;
	struct lrp_reasm_counters	n;
	struct lrp_reasm_event		last_drop;	/* refused or dropped */
	struct lrp_reasm_event		last_eviction;
};

void lrp_reasm_init(struct lrp_reasm *r);

/*
 * Add one fragment: ip points at its IPv4 header (already checked: version
 * 4, header length, total length within len).  may_start says whether its
 * source may start a datagram (it is not asked of a fragment of a datagram
 * under way).  Returns 1 when this completes a datagram (*payload,
 * *payload_len: the reassembled payload, valid until the next call; *src:
 * its source address, network order), 0 while it is incomplete, -1 when
 * the fragment or its datagram was dropped (counted in dropped, or in
 * refused; r->last_drop says why).  A datagram evicted to make room is
 * counted in evicted and described in r->last_eviction.
 */
int lrp_reasm_add(struct lrp_reasm *r, const uint8_t *ip, size_t len, int64_t now_ms,
    int may_start, const uint8_t **payload, size_t *payload_len, uint32_t *src);

/* Drop datagrams past their deadline. */
void lrp_reasm_expire(struct lrp_reasm *r, int64_t now_ms);

#endif
