/*
 * sigterm-before-poll - send a process SIGTERM at the worst moment for an
 * event loop: after it has looked at its flags, just before it waits.
 *
 *   sigterm-before-poll PID...
 *
 * A loop that checks a flag its signal handler sets and then calls poll()
 * sleeps through a signal that arrives between the two: the handler runs,
 * poll() waits for its timeout.  That gap is a few instructions, and on
 * these virtual machines a signal reaches a running process only some 50
 * microseconds after kill(), at its next system call (poll() itself, which
 * then returns EINTR) unless an interrupt comes first; 320 SIGTERMs sent to
 * busy session processes at random moments never once landed in the gap.
 * So this stretches the gap instead of aiming at it: under ptrace, each
 * PID is woken with SIGCHLD (pptpd's RRP session process then looks for
 * its exited pptpctrl, finds none, and goes round its loop), stopped as it
 * enters poll() or ppoll(), sent SIGTERM there, and let go so that the
 * system call starts again after the signal, exactly as if the signal had
 * arrived one instruction before it: the kernel's own restart
 * (-ERESTARTNOINTR, the syscall skipped once and re-executed).  A process
 * that blocks SIGTERM outside its ppoll() just finds it pending there.
 *
 * x86-64 only (it rewrites syscall registers); elsewhere it exits 77.
 * Prints one line per PID; exit 0 if each got its SIGTERM at a poll entry,
 * 1 if one could not be, 2 for usage errors.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <linux/ptrace.h>

#define PROG		"sigterm-before-poll"
#define STEP_LIMIT_S	10	/* per PID: woken, it reaches poll within µs */

#if defined(__x86_64__)

/* not in the UAPI headers: the kernel restarts the system call after the
 * handler whatever SA_RESTART says */
#define ERESTARTNOINTR	513

static volatile pid_t current;

static void
on_alarm(int sig)
{
	char msg[96];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg), PROG ": %d: no poll() within %d s\n", (int)current, STEP_LIMIT_S);
	if (n > 0)
		(void)!write(STDOUT_FILENO, msg, (size_t)n);
	_exit(1);	/* the kernel detaches the tracee */
}

/* Returns the name of the call it caught, or NULL (and says why). */
static const char *
one(pid_t pid)
{
	struct ptrace_syscall_info info;
	struct user_regs_struct regs;
	unsigned long long nr = 0;
	const char *name = NULL;
	int status, inject = 0, skipped = 0;

	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)PTRACE_O_TRACESYSGOOD) < 0 ||
	    ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0 ||
	    waitpid(pid, &status, __WALL) != pid) {
		printf(PROG ": %d: cannot trace it: %s\n", (int)pid, strerror(errno));
		return NULL;
	}
	kill(pid, SIGCHLD);
	for (;;) {
		int sig;

		if (ptrace(PTRACE_SYSCALL, pid, 0, (void *)(long)inject) < 0 ||
		    waitpid(pid, &status, __WALL) != pid) {
			printf(PROG ": %d: lost it: %s\n", (int)pid, strerror(errno));
			return NULL;
		}
		inject = 0;
		if (!WIFSTOPPED(status)) {
			printf(PROG ": %d: ended (status 0x%x) before its poll()\n", (int)pid, status);
			return NULL;
		}
		sig = WSTOPSIG(status);
		if (sig != (SIGTRAP | 0x80)) {
			if (status >> 16 == 0)
				inject = sig;	/* a signal for it (our SIGCHLD): deliver */
			continue;
		}
		if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info) <= 0 ||
		    ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0) {
			printf(PROG ": %d: cannot read its registers: %s\n", (int)pid, strerror(errno));
			return NULL;
		}
		if (!skipped && info.op == PTRACE_SYSCALL_INFO_ENTRY &&
		    (info.entry.nr == SYS_poll || info.entry.nr == SYS_ppoll)) {
			/* it has checked its flags and is about to wait */
			nr = info.entry.nr;
			name = nr == SYS_poll ? "poll()" : "ppoll()";
			kill(pid, SIGTERM);
			regs.orig_rax = (unsigned long long)-1;	/* skip it once */
			skipped = 1;
		} else if (skipped && info.op == PTRACE_SYSCALL_INFO_EXIT) {
			regs.orig_rax = nr;			/* and restart it */
			regs.rax = (unsigned long long)-ERESTARTNOINTR;
			if (ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0 ||
			    ptrace(PTRACE_DETACH, pid, 0, 0) < 0) {
				printf(PROG ": %d: cannot let it go: %s\n", (int)pid, strerror(errno));
				return NULL;
			}
			return name;
		} else {
			continue;
		}
		if (ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0) {
			printf(PROG ": %d: cannot set its registers: %s\n", (int)pid, strerror(errno));
			return NULL;
		}
	}
}

int
main(int argc, char **argv)
{
	int i, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: " PROG " PID...\n");
		return 2;
	}
	signal(SIGALRM, on_alarm);
	for (i = 1; i < argc; i++) {
		char *end;
		long v = strtol(argv[i], &end, 10);
		const char *what;

		if (*argv[i] == '\0' || *end != '\0' || v <= 0 || v > 0x7fffffffL) {
			fprintf(stderr, PROG ": `%s' is not a PID\n", argv[i]);
			return 2;
		}
		current = (pid_t)v;
		alarm(STEP_LIMIT_S);
		what = one((pid_t)v);
		alarm(0);
		if (what == NULL)
			failed++;
		else
			printf(PROG ": %ld: SIGTERM as it entered %s\n", v, what);
	}
	return failed ? 1 : 0;
}

#else

int
main(void)
{
	printf(PROG ": only written for x86-64\n");
	return 77;
}

#endif
