/*
 * rrp_logger.c - a log line to syslog, and to stderr when asked.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rrp_logger.h"

void
rrp_logger_log(const struct rrp_logger *lg, int priority, unsigned how, const char *fmt, ...)
{
	int err = errno;
	char msg[1024];
	va_list ap;
	int n;

	if (!(how & RRP_LOG_CONFIG) && priority > lg->level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((how & RRP_LOG_ERRNO) && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(err));
	if (lg->sink != NULL) {
		lg->sink(priority, msg);
		return;
	}
	syslog(priority, "%s%s", lg->syslog_prefix, msg);
	if (lg->to_stderr || (how & RRP_LOG_CONFIG))
		fprintf(stderr, "%s: %s\n", lg->name, msg);
}
