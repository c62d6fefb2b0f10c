/*
 * Ending the ppp program of a call (pptpctrl).  Upstream pptpctrl waited
 * for it without limit once the call was over (and not at all when it
 * exited on a signal): a ppp program that does not exit - stuck in a
 * plugin, a script, or ignoring the hangup - then kept pptpctrl alive and
 * with it the manager's connection slot and remote IP address, for good.
 * pptpctrl ignores SIGCHLD (its children are reaped by the kernel), so
 * "gone" is waitpid() failing with ECHILD.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "pptpctrl_ppp.h"

static char client[64] = "?";

void
pptpctrl_ppp_client(const char *c)
{
	snprintf(client, sizeof(client), "%s", c);
}

static int
gone(pid_t pid)
{
	pid_t r = waitpid(pid, NULL, WNOHANG);

	return r > 0 || (r < 0 && errno == ECHILD);
}

/* wait up to seconds for pid to go; 1 if it did */
static int
wait_gone(pid_t pid, int seconds)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (gone(pid))
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= seconds)
			return 0;
		usleep(50000);
	}
}

void
pptpctrl_ppp_stop(pid_t pid, const char *why)
{
	if (pid <= 0)
		return;
	if (gone(pid) || kill(pid, SIGTERM) < 0)
		return;
	syslog(LOG_DEBUG, "CTRL: Client %s: %s; ended ppp program %d with SIGTERM", client, why, (int)pid);
	if (wait_gone(pid, PPTPCTRL_PPP_GRACE_S))
		return;
	syslog(LOG_WARNING, "CTRL: Client %s: ppp program %d did not exit %d s after SIGTERM (%s); killing it",
	    client, (int)pid, PPTPCTRL_PPP_GRACE_S, why);
	kill(pid, SIGKILL);
	wait_gone(pid, PPTPCTRL_PPP_GRACE_S);
}
