/*
 * lrp_reasm.c - put fragmented IPv4 GRE datagrams back together (RFC 791
 * section 3.2, fragmentation and reassembly), in a bounded pool.
 */
#include "config.h"

#include <string.h>

#include "lrp_reasm.h"

#define STR_(x)	#x
#define STR(x)	STR_(x)

void
lrp_reasm_init(struct lrp_reasm *r)
{
	memset(r, 0, sizeof(*r));
}

static void
release(struct lrp_reasm_slot *s)
{
	s->used = 0;
}

void
lrp_reasm_expire(struct lrp_reasm *r, int64_t now_ms)
{
	int i;

	for (i = 0; i < LRP_REASM_SLOTS; i++)
		if (r->slot[i].used && r->slot[i].deadline_ms <= now_ms) {
			release(&r->slot[i]);
			r->n.timed_out++;
		}
}

static int
bit(const struct lrp_reasm_slot *s, size_t unit)
{
	return s->bits[unit / 8] >> (unit % 8) & 1;
}

static void
set_bit(struct lrp_reasm_slot *s, size_t unit)
{
	s->bits[unit / 8] |= (uint8_t)(1 << (unit % 8));
}

/* Every 8-byte unit of the datagram's payload, up to its total length,
 * has arrived: only then is every byte handed out one this datagram's
 * fragments wrote (the slot's buffer still holds whatever an earlier
 * datagram, perhaps another client's, left there). */
static int
complete(const struct lrp_reasm_slot *s)
{
	size_t units = (s->total + 7) / 8, u;

	for (u = 0; u < units; u++)
		if (!bit(s, u))
			return 0;
	return 1;
}

/* Note why a fragment from src was refused or its datagram dropped. */
static int
drop(struct lrp_reasm *r, struct lrp_reasm_slot *s, uint32_t src, uint16_t id,
    const char *why)
{
	if (s != NULL)
		release(s);
	r->n.dropped++;
	r->last_drop.src = src;
	r->last_drop.id = id;
	r->last_drop.why = why;
	return -1;
}

/* Make room: drop datagram s, still incomplete, for a newer one. */
static void
evict(struct lrp_reasm *r, struct lrp_reasm_slot *s, const char *why)
{
	r->n.evicted++;
	r->last_eviction.src = s->src;
	r->last_eviction.id = s->id;
	r->last_eviction.why = why;
	release(s);
}

/*
 * The pool is full and src, holding fewer than its share, starts a
 * datagram: the oldest datagram of the source holding the most goes,
 * src's own when it is among them (a newcomer never takes from a source
 * holding less than itself).  Sixty-four slots and their sources: at
 * most 64 x 64 comparisons, and only when the pool is full.
 */
static struct lrp_reasm_slot *
busiest_oldest(struct lrp_reasm *r, uint32_t src)
{
	struct lrp_reasm_slot *oldest[LRP_REASM_SLOTS];
	uint32_t who[LRP_REASM_SLOTS];
	int count[LRP_REASM_SLOTS];
	int i, k, nwho = 0, best = -1;

	for (i = 0; i < LRP_REASM_SLOTS; i++) {
		struct lrp_reasm_slot *c = &r->slot[i];

		for (k = 0; k < nwho && who[k] != c->src; k++)
			;
		if (k == nwho) {
			who[k] = c->src;
			count[k] = 0;
			oldest[k] = c;
			nwho++;
		}
		count[k]++;
		if (c->seq < oldest[k]->seq)
			oldest[k] = c;
	}
	for (k = 0; k < nwho; k++)
		if (best < 0 || count[k] > count[best] ||
		    (count[k] == count[best] && who[best] != src &&
		    (who[k] == src || oldest[k]->seq < oldest[best]->seq)))
			best = k;
	return oldest[best];
}

int
lrp_reasm_add(struct lrp_reasm *r, const uint8_t *ip, size_t len, int64_t now_ms,
    int may_start, const uint8_t **payload, size_t *payload_len, uint32_t *src)
{
	struct lrp_reasm_slot *s = NULL, *free_slot = NULL, *own_oldest = NULL;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	size_t total = (size_t)(ip[2] << 8 | ip[3]);
	size_t off = (size_t)((ip[6] & 0x1f) << 8 | ip[7]) * 8;
	int more = (ip[6] & 0x20) != 0;
	size_t plen, end, u, first, last;
	uint32_t saddr, daddr;
	uint16_t id = (uint16_t)(ip[4] << 8 | ip[5]);
	int i, own = 0;

	(void)len;		/* the caller checked total <= len */
	r->n.fragments++;
	lrp_reasm_expire(r, now_ms);
	memcpy(&saddr, ip + 12, 4);
	memcpy(&daddr, ip + 16, 4);
	plen = total - ihl;
	end = off + plen;

	for (i = 0; i < LRP_REASM_SLOTS; i++) {
		struct lrp_reasm_slot *c = &r->slot[i];

		if (!c->used) {
			if (free_slot == NULL)
				free_slot = c;
			continue;
		}
		if (c->src != saddr)
			continue;
		own++;
		if (own_oldest == NULL || c->seq < own_oldest->seq)
			own_oldest = c;
		if (c->dst == daddr && c->id == id && c->proto == ip[9])
			s = c;
	}
	/* every fragment but the last carries a multiple of 8 bytes */
	if (more && (plen == 0 || plen % 8 != 0))
		return drop(r, s, saddr, id, "not the last fragment, yet not a multiple of 8 bytes");
	if (end > LRP_REASM_MAX)
		return drop(r, s, saddr, id, "the datagram would be longer than any GRE packet");
	if (s == NULL) {
		if (!may_start) {
			r->n.refused++;
			r->last_drop.src = saddr;
			r->last_drop.id = id;
			r->last_drop.why = "no call is up from that address";
			return -1;
		}
		if (own >= LRP_REASM_PER_SOURCE) {
			evict(r, own_oldest, "its address already holds "
			    STR(LRP_REASM_PER_SOURCE) ", the most one address may");
			s = own_oldest;
		} else if (free_slot != NULL) {
			s = free_slot;
		} else {
			s = busiest_oldest(r, saddr);
			evict(r, s, "the pool is full (" STR(LRP_REASM_SLOTS) " datagrams), so "
			    "the address holding the most gives up one");
		}
		memset(s->bits, 0, sizeof(s->bits));
		s->used = 1;
		s->src = saddr;
		s->dst = daddr;
		s->id = id;
		s->proto = ip[9];
		s->seq = r->next_seq++;
		s->deadline_ms = now_ms + LRP_REASM_TIMEOUT_MS;
		s->total = 0;
		s->have_total = 0;
		s->end = 0;
	}
	if (s->have_total) {
		/* the last fragment came: nothing may lie at or beyond its end,
		 * and there is no second last fragment */
		if (!more)
			return drop(r, s, saddr, id, "a second last fragment");
		if (end > s->total)
			return drop(r, s, saddr, id, "beyond the end its last fragment gave");
	} else if (!more) {
		/* fragments that came earlier must all lie before this end */
		if (s->end > end)
			return drop(r, s, saddr, id, "its last fragment ends before fragments already received");
		s->total = end;
		s->have_total = 1;
	}
	if (plen > 0) {
		first = off / 8;
		last = (end - 1) / 8;
		for (u = first; u <= last; u++)
			if (bit(s, u))
				return drop(r, s, saddr, id, "overlaps a fragment already received");
		for (u = first; u <= last; u++)
			set_bit(s, u);
		memcpy(s->buf + off, ip + ihl, plen);
		if (end > s->end)
			s->end = end;
	}
	if (!s->have_total || !complete(s))
		return 0;
	r->n.reassembled++;
	*payload = s->buf;
	*payload_len = s->total;
	*src = s->src;
	release(s);	/* the buffer stays intact until the next call */
	return 1;
}
