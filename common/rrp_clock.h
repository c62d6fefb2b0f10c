/*
 * rrp_clock.h - the monotonic clock in milliseconds, which both daemons
 * count their timeouts, deadlines and log rate limits in: it neither
 * jumps with the wall clock nor stops while the process waits.
 */
#ifndef RRP_CLOCK_H
#define RRP_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t
rrp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
