/*
 * The manager's shutdown: on SIGTERM it ends the sessions it started
 * before it exits, instead of leaving them running with no manager (their
 * slots and addresses then unknown to the next pptpd).  Each pptpctrl,
 * told with SIGTERM, sends its client Call-Disconnect-Notify and Stop-
 * Control-Connection-Request and ends its ppp program; a tunnel's session
 * process passes the SIGTERM to its pptpctrl and closes the tunnel.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "rrp_clock.h"
#include "pptpd_stop.h"


/* still running? reaps it if it has exited */
static int
running(pid_t pid)
{
	pid_t r = waitpid(pid, NULL, WNOHANG);

	return r == 0 || (r < 0 && errno == EINTR);
}

static const char *
name(char *(*name_of)(int), int i)
{
	const char *n = name_of != NULL ? name_of(i) : NULL;

	return n != NULL ? n : "-";
}

void
pptpd_stop_sessions(int count, pid_t (*pid_of)(int), char *(*name_of)(int), int grace_s)
{
	pid_t *pids;
	int64_t deadline;
	int i, left = 0;

	if (count <= 0 || (pids = calloc((size_t)count, sizeof(*pids))) == NULL)
		return;
	for (i = 0; i < count; i++) {
		pids[i] = pid_of(i);
		if (pids[i] > 0 && kill(pids[i], SIGTERM) == 0)
			left++;
		else
			pids[i] = 0;
	}
	syslog(LOG_INFO, "MGR: shutting down: ending %d session%s", left, left == 1 ? "" : "s");
	deadline = rrp_now_ms() + grace_s * 1000L;
	while (left > 0) {
		left = 0;
		for (i = 0; i < count; i++) {
			if (pids[i] > 0 && !running(pids[i]))
				pids[i] = 0;
			if (pids[i] > 0)
				left++;
		}
		if (left == 0 || rrp_now_ms() >= deadline)
			break;
		usleep(50000);
	}
	for (i = 0; i < count; i++) {
		if (pids[i] <= 0)
			continue;
		syslog(LOG_WARNING, "MGR: session %d (remote %s) did not end %d s after SIGTERM; killing it",
		    (int)pids[i], name(name_of, i), grace_s);
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	free(pids);
}
