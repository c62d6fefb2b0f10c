/*
 * lrp_callid.c - allocate the LRP's Call IDs and find sessions by them.
 *
 * Free IDs live in two places: the pool, from which an allocation draws
 * one uniformly at random (swap with the last, shrink: O(1)), and the
 * quarantine, a ring of recently freed IDs that go back to the pool
 * oldest first.  Every ID 1..0xfffe is, at any time, in exactly one of
 * by_id (in use), the pool, or the quarantine.
 */
#include "config.h"

#include <string.h>

#include "lrp_callid.h"

void
lrp_callids_init(struct lrp_callids *c, lrp_callid_random_fn random)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < LRP_CALLID_COUNT; i++)
		c->pool[i] = (uint16_t)(i + 1);
	c->npool = LRP_CALLID_COUNT;
	c->random = random;
}

/* The oldest quarantined ID back into the pool. */
static void
release_oldest(struct lrp_callids *c)
{
	c->pool[c->npool++] = c->quarantine[c->qhead];
	c->qhead = (c->qhead + 1) % LRP_CALLID_QUARANTINE;
	c->qlen--;
}

/* Keep the quarantine at most as large as the pool, so that the draw
 * always has at least half of the free IDs to choose from (and the pool
 * is empty only when no ID is free). */
static void
rebalance(struct lrp_callids *c)
{
	while (c->qlen > c->npool)
		release_oldest(c);
}

/* A uniform random number in 0..n-1 (n >= 1): 0, or -1 if the random
 * source failed.  Values below 2^32 mod n are drawn again, so that no
 * remainder is more likely than another. */
static int
uniform(struct lrp_callids *c, uint32_t n, uint32_t *out)
{
	uint32_t reject = (uint32_t)(0u - n) % n, x;

	do {
		if (c->rleft == 0) {
			if (c->random == NULL ||
			    c->random((uint8_t *)c->rbuf, sizeof(c->rbuf)) < 0)
				return -1;
			c->rleft = sizeof(c->rbuf) / sizeof(c->rbuf[0]);
		}
		x = c->rbuf[--c->rleft];
	} while (x < reject);
	*out = x % n;
	return 0;
}

int
lrp_callid_alloc(struct lrp_callids *c, struct lrp_session *s, uint16_t *id)
{
	uint32_t i;
	uint16_t cand;

	if (c->npool == 0 || uniform(c, c->npool, &i) < 0)
		return -1;
	cand = c->pool[i];
	c->pool[i] = c->pool[--c->npool];
	c->by_id[cand] = s;
	c->in_use++;
	rebalance(c);
	*id = cand;
	return 0;
}

void
lrp_callid_free(struct lrp_callids *c, uint16_t id)
{
	if (c->by_id[id] == NULL)
		return;
	c->by_id[id] = NULL;
	c->in_use--;
	if (c->qlen == LRP_CALLID_QUARANTINE)
		release_oldest(c);
	c->quarantine[(c->qhead + c->qlen) % LRP_CALLID_QUARANTINE] = id;
	c->qlen++;
	rebalance(c);
}

struct lrp_session *
lrp_callid_lookup(const struct lrp_callids *c, uint16_t id)
{
	return c->by_id[id];
}
