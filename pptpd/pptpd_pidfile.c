/*
 * The pid file the manager writes (pptpd.c, --pidfile), removed when it
 * exits: a pid file left behind names a dead process, and tools that
 * trust it may signal whatever process gets that pid next.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "pptpd_pidfile.h"

static char *pidfile_path;
static pid_t pidfile_owner;

static void
remove_pidfile(void)
{
	FILE *f;
	long pid = 0;

	/* processes forked from the manager (a tunnel's session process)
	 * inherit the handler; the file is not theirs */
	if (pidfile_path == NULL || getpid() != pidfile_owner)
		return;
	f = fopen(pidfile_path, "r");
	if (f == NULL)
		return;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	/* another pptpd started since has written its own: leave it */
	if (pid != (long)pidfile_owner) {
		syslog(LOG_WARNING, "MGR: pid file %s now names process %ld, not us (%ld); leaving it",
		    pidfile_path, pid, (long)pidfile_owner);
		return;
	}
	if (unlink(pidfile_path) < 0)
		syslog(LOG_WARNING, "MGR: cannot remove pid file %s: %s", pidfile_path, strerror(errno));
}

/* The manager ends cleanly on SIGTERM (its signal pipe); SIGINT (a ^C on
 * `pptpd -f`) would kill it outright, so it becomes a SIGTERM.  kill() is
 * async-signal-safe. */
static void
sigint_to_sigterm(int sig)
{
	(void)sig;
	kill(getpid(), SIGTERM);
}

void
pptpd_pidfile_remove_at_exit(const char *path)
{
	struct sigaction sa;

	if (path == NULL || pidfile_path != NULL)
		return;
	pidfile_path = strdup(path);
	pidfile_owner = getpid();
	if (pidfile_path == NULL || atexit(remove_pidfile) != 0)
		syslog(LOG_WARNING, "MGR: pid file %s will not be removed at exit", path);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sigint_to_sigterm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}
