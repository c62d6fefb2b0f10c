/*
 * lrp_reasm.c - put fragmented IPv4 GRE datagrams back together (RFC 791
 * section 3.2, fragmentation and reassembly), in a bounded pool.
 */
#include "config.h"

#include <string.h>

#include "lrp_reasm.h"

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

int
lrp_reasm_add(struct lrp_reasm *r, const uint8_t *ip, size_t len, int64_t now_ms,
    const uint8_t **payload, size_t *payload_len, uint32_t *src)
{
	struct lrp_reasm_slot *s = NULL, *free_slot = NULL;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	size_t total = (size_t)(ip[2] << 8 | ip[3]);
	size_t off = (size_t)((ip[6] & 0x1f) << 8 | ip[7]) * 8;
	int more = (ip[6] & 0x20) != 0;
	size_t plen, end, u, first, last;
	uint32_t saddr, daddr;
	uint16_t id = (uint16_t)(ip[4] << 8 | ip[5]);
	int i;

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
		if (c->src == saddr && c->dst == daddr && c->id == id && c->proto == ip[9]) {
			s = c;
			break;
		}
	}
	/* every fragment but the last carries a multiple of 8 bytes */
	if ((more && (plen == 0 || plen % 8 != 0)) || end > LRP_REASM_MAX) {
		if (s != NULL)
			release(s);
		r->n.dropped++;
		return -1;
	}
	if (s == NULL) {
		if (free_slot == NULL) {
			r->n.dropped++;
			return -1;
		}
		s = free_slot;
		memset(s->bits, 0, sizeof(s->bits));
		s->used = 1;
		s->src = saddr;
		s->dst = daddr;
		s->id = id;
		s->proto = ip[9];
		s->deadline_ms = now_ms + LRP_REASM_TIMEOUT_MS;
		s->total = 0;
		s->have_total = 0;
		s->end = 0;
	}
	if (s->have_total) {
		/* the last fragment came: nothing may lie at or beyond its end,
		 * and there is no second last fragment */
		if (!more || end > s->total)
			goto overlap;
	} else if (!more) {
		/* fragments that came earlier must all lie before this end */
		if (s->end > end)
			goto overlap;
		s->total = end;
		s->have_total = 1;
	}
	if (plen > 0) {
		first = off / 8;
		last = (end - 1) / 8;
		for (u = first; u <= last; u++)
			if (bit(s, u))
				goto overlap;
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
overlap:
	release(s);
	r->n.dropped++;
	return -1;
}
