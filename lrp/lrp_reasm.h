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
 */
#ifndef LRP_REASM_H
#define LRP_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "rrp_proto.h"

#define LRP_REASM_SLOTS		64
#define LRP_REASM_MAX		RRP_GRE_MAX	/* bytes after the IP header */
#define LRP_REASM_TIMEOUT_MS	2000

struct lrp_reasm_slot {
	int		used;
	uint32_t	src, dst;	/* network order */
	uint16_t	id;
	uint8_t		proto;
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
	unsigned long	dropped;	/* overlapping, oversized, or no free slot */
};

struct lrp_reasm {
	struct lrp_reasm_slot		slot[LRP_REASM_SLOTS];
	struct lrp_reasm_counters	n;
};

void lrp_reasm_init(struct lrp_reasm *r);

/*
 * Add one fragment: ip points at its IPv4 header (already checked: version
 * 4, header length, total length within len).  Returns 1 when this
 * completes a datagram (*payload, *payload_len: the reassembled payload,
 * valid until the next call; *src: its source address, network order), 0
 * while it is incomplete, -1 when the fragment or its datagram was dropped.
 */
int lrp_reasm_add(struct lrp_reasm *r, const uint8_t *ip, size_t len, int64_t now_ms,
    const uint8_t **payload, size_t *payload_len, uint32_t *src);

/* Drop datagrams past their deadline. */
void lrp_reasm_expire(struct lrp_reasm *r, int64_t now_ms);

#endif
