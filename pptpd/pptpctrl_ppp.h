#ifndef PPTPCTRL_PPP_H
#define PPTPCTRL_PPP_H

#include <sys/types.h>

/* How long pptpctrl gives its ppp program to exit after SIGTERM before it
 * SIGKILLs it. */
#define PPTPCTRL_PPP_GRACE_S	5

/* The client this pptpctrl serves, for the log lines below. */
void pptpctrl_ppp_client(const char *client);

/* End the call's ppp program: SIGTERM, then SIGKILL if it is still
 * running PPTPCTRL_PPP_GRACE_S seconds later.  Returns once it has gone.
 * why says what ended the call, for the log. */
void pptpctrl_ppp_stop(pid_t pid, const char *why);

#endif
