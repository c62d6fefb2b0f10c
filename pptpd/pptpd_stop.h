#ifndef PPTPD_STOP_H
#define PPTPD_STOP_H

#include <sys/types.h>

/* How long the manager waits, on SIGTERM, for the sessions it started to
 * end before it SIGKILLs what is left: pptpctrl's goodbye to its client
 * waits up to 5 s for a reply, and its ppp program up to 5 s more. */
#define PPTPD_STOP_GRACE_S	15

/* Tell every session process the manager started (the pids pid_of(0 ..
 * count-1) gives; 0 for a free slot) to end with SIGTERM, and return once
 * all have exited, or SIGKILL those still running after grace_s seconds.
 * name_of(i) names the session in the log (its remote IP), may be NULL. */
void pptpd_stop_sessions(int count, pid_t (*pid_of)(int), char *(*name_of)(int), int grace_s);

#endif
