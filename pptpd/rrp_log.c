/*
 * rrp_log.c - syslog for the RRP, stderr too for configuration errors.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "rrp_log.h"

void
rrp_log(int priority, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	syslog(priority, "RRP: %s", msg);
}

void
rrp_log_config(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	syslog(LOG_ERR, "RRP: %s", msg);
	fprintf(stderr, "pptpd: %s\n", msg);
}
