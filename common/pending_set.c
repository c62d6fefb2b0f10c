/*
 * pending_set.c - connections waiting for their first message, and which
 * to close when too many wait (pending_set.h says why).
 */
#include "pending_set.h"

#include <netinet/in.h>
#include <string.h>

void
pending_set_init(struct pending_set *s)
{
	TAILQ_INIT(&s->entries);
	s->n = 0;
	s->flood_until_ms = INT64_MIN;
}

static int
same_host(const struct pending_entry *a, const struct pending_entry *b)
{
	return a->family == b->family && memcmp(a->host, b->host, sizeof(a->host)) == 0;
}

void
pending_set_add(struct pending_set *s, struct pending_entry *e, const struct sockaddr *peer,
    int64_t now_ms)
{
	struct pending_entry *o;

	memset(e, 0, sizeof(*e));
	if (peer->sa_family == AF_INET) {
		e->family = AF_INET;
		memcpy(e->host, &((const struct sockaddr_in *)peer)->sin_addr, 4);
	} else if (peer->sa_family == AF_INET6) {
		e->family = AF_INET6;
		memcpy(e->host, &((const struct sockaddr_in6 *)peer)->sin6_addr, 16);
	}
	e->since_ms = now_ms;
	e->host_waiting = 1;
	TAILQ_FOREACH(o, &s->entries, link)
		if (same_host(o, e)) {
			o->host_waiting++;
			e->host_waiting++;
			if (o->flooding)
				e->flooding = 1;
		}
	e->in_set = 1;
	TAILQ_INSERT_TAIL(&s->entries, e, link);
	s->n++;
}

void
pending_set_remove(struct pending_set *s, struct pending_entry *e)
{
	struct pending_entry *o;

	if (!e->in_set)
		return;
	TAILQ_REMOVE(&s->entries, e, link);
	e->in_set = 0;
	s->n--;
	TAILQ_FOREACH(o, &s->entries, link)
		if (same_host(o, e))
			o->host_waiting--;
}

void
pending_set_progress(struct pending_entry *e, int64_t now_ms)
{
	e->since_ms = now_ms;
}

struct pending_entry *
pending_set_victim(const struct pending_set *s)
{
	struct pending_entry *o, *v = NULL;

	TAILQ_FOREACH(o, &s->entries, link)
		if (v == NULL || o->host_waiting > v->host_waiting ||
		    (o->host_waiting == v->host_waiting && o->since_ms < v->since_ms))
			v = o;
	return v;
}

int
pending_set_may_close(const struct pending_set *s, const struct pending_entry *e, int64_t now_ms,
    int64_t *until_ms)
{
	*until_ms = e->since_ms + PENDING_GRACE_MS;
	return e->flooding || now_ms >= *until_ms || (e->host_waiting == 1 && now_ms < s->flood_until_ms);
}

const char *
pending_set_why(const struct pending_set *s, const struct pending_entry *e, int64_t now_ms)
{
	if (now_ms >= e->since_ms + PENDING_GRACE_MS)
		return "silent past the grace";
	if (e->flooding)
		return "its address flooding";
	return now_ms < s->flood_until_ms ? "alone from its address in a flood" : "within its grace";
}

void
pending_set_closing(struct pending_set *s, struct pending_entry *e, int64_t now_ms)
{
	struct pending_entry *o;

	/* (may_close allowed it: it waited its grace, or a flood is on) */
	s->flood_until_ms = now_ms + PENDING_FLOOD_MEMORY_MS;
	TAILQ_FOREACH(o, &s->entries, link)
		if (same_host(o, e))
			o->flooding = 1;
}
