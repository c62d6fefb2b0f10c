/*
 * rrp_log.c - the RRP's log settings: syslog, "RRP: " first, every
 * priority (syslog.conf chooses); configuration errors on stderr too.
 */
#include "config.h"

#include "rrp_log.h"

const struct rrp_logger rrp_log_settings = {
	.name = "pptpd",
	.syslog_prefix = "RRP: ",
	.level = LOG_DEBUG,
	.to_stderr = 0,
};
