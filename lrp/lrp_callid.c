/*
 * lrp_callid.c - allocate the LRP's Call IDs and find sessions by them.
 */
#include "config.h"

#include <string.h>

#include "lrp_callid.h"

void
lrp_callids_init(struct lrp_callids *c, uint16_t seed)
{
	memset(c, 0, sizeof(*c));
	c->next = seed;
}

int
lrp_callid_alloc(struct lrp_callids *c, struct lrp_session *s, uint16_t *id)
{
	unsigned i;

	if (c->in_use >= 65534)
		return -1;
	for (i = 0; i < 65536; i++) {
		uint16_t cand = (uint16_t)(c->next + i);

		if (cand == 0 || cand == 0xffff || c->by_id[cand] != NULL)
			continue;
		c->by_id[cand] = s;
		c->in_use++;
		c->next = (uint16_t)(cand + 1);
		*id = cand;
		return 0;
	}
	return -1;
}

void
lrp_callid_free(struct lrp_callids *c, uint16_t id)
{
	if (c->by_id[id] != NULL) {
		c->by_id[id] = NULL;
		c->in_use--;
	}
}

struct lrp_session *
lrp_callid_lookup(const struct lrp_callids *c, uint16_t id)
{
	return c->by_id[id];
}
