/*
 * rrp_ratelimit.h - how often a kind of log line may be written.
 *
 * A peer that floods (connections, bad packets, failed handshakes) must
 * not flood the log: each kind of line is written at most `lines` times
 * per window of `window_ms`, and the next line written says how many were
 * held back meanwhile, so the operator still learns how many there were.
 * A window starts with the first line allowed after the last one ended;
 * the first line ever is always allowed.
 */
#ifndef RRP_RATELIMIT_H
#define RRP_RATELIMIT_H

#include <stdint.h>

struct rrp_ratelimit {
	int64_t		window_ms;	/* the length of a window */
	int		lines;		/* lines allowed in one */
	/* the state, zero to begin with */
	int		started;	/* a window has begun */
	int64_t		start_ms;	/* when the current one did */
	int		used;		/* lines written in it */
	unsigned long	suppressed;	/* held back since the last written */
};

/* A limiter of lines per window_ms, for a static initializer. */
#define RRP_RATELIMIT_INIT(window_ms, lines)	{ (window_ms), (lines), 0, 0, 0, 0 }

/*
 * May a line be written now (now_ms: rrp_now_ms())?  1: yes, and
 * *suppressed is how many were held back since the last one that was
 * (suppressed may be NULL when the line does not say); 0: no, and this
 * one is counted as held back.
 */
int rrp_ratelimit_allow(struct rrp_ratelimit *r, int64_t now_ms,
    unsigned long *suppressed);

#endif
