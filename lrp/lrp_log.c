/*
 * lrp_log.c - lrp's log settings: syslog, stderr in the foreground, lines
 * above log-level dropped.
 */
#include "config.h"

#include "lrp_log.h"

struct rrp_logger lrp_log_settings = {
	.name = "lrp",
	.syslog_prefix = "",
	.level = LOG_INFO,
	.to_stderr = 1,		/* until lrp_log_setup(): config errors show */
};

void
lrp_log_setup(int level, int to_stderr)
{
	lrp_log_settings.level = level;
	lrp_log_settings.to_stderr = to_stderr;
}
