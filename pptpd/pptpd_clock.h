/*
 * pptpd_clock.h - the name the manager's pending set and the RRP session
 * process still use for common/rrp_clock.h's clock, until they switch to
 * rrp_now_ms() (then this header goes).
 */
#ifndef PPTPD_CLOCK_H
#define PPTPD_CLOCK_H

#include "rrp_clock.h"

static inline int64_t
pptpd_now_ms(void)
{
	return rrp_now_ms();
}

#endif
