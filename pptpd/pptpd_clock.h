/*
 * pptpd_clock.h - the monotonic clock in milliseconds, as the manager,
 * its pending set, its shutdown and the RRP session process count
 * deadlines.
 */
#ifndef PPTPD_CLOCK_H
#define PPTPD_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t
pptpd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
