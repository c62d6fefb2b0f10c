/*
 * lrp_log.c - syslog, and stderr in the foreground.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "lrp_log.h"

static int log_level = LOG_INFO;
static int log_stderr = 1;	/* until lrp_log_setup(): config errors show */

void
lrp_log_setup(int level, int to_stderr)
{
	log_level = level;
	log_stderr = to_stderr;
}

static void
vlog(int priority, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	syslog(priority, "%s", msg);
	if (log_stderr)
		fprintf(stderr, "lrp: %s\n", msg);
}

void
lrp_log(int priority, const char *fmt, ...)
{
	va_list ap;

	if (priority > log_level)
		return;
	va_start(ap, fmt);
	vlog(priority, fmt, ap);
	va_end(ap);
}

void
lrp_log_config(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	syslog(LOG_ERR, "%s", msg);
	fprintf(stderr, "lrp: %s\n", msg);
}
