/*
 * rrp_ratelimit.c - at most so many log lines of a kind per window.
 */
#include "config.h"

#include <stddef.h>

#include "rrp_ratelimit.h"

int
rrp_ratelimit_allow(struct rrp_ratelimit *r, int64_t now_ms, unsigned long *suppressed)
{
	if (!r->started || now_ms - r->start_ms >= r->window_ms) {
		r->started = 1;
		r->start_ms = now_ms;
		r->used = 0;
	}
	if (r->used >= r->lines) {
		r->suppressed++;
		return 0;
	}
	r->used++;
	if (suppressed != NULL)
		*suppressed = r->suppressed;
	r->suppressed = 0;
	return 1;
}
