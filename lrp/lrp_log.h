/*
 * lrp_log.h - lrp's log: syslog, and stderr too in the foreground
 * (common/rrp_logger.h writes the lines).  Lines about one client start
 * with the session's name ("client 192.0.2.7:50123") so an operator can
 * grep one client's story.
 */
#ifndef LRP_LOG_H
#define LRP_LOG_H

#include "rrp_logger.h"

/* lrp's settings (lrp_log.c). */
extern struct rrp_logger lrp_log_settings;

/* Where logs go: level is the highest syslog priority logged; to_stderr
 * copies every line to stderr (lrp -f, -d). */
void lrp_log_setup(int level, int to_stderr);

#define lrp_log(priority, ...) \
	rrp_logger_log(&lrp_log_settings, (priority), 0, __VA_ARGS__)
/* The same for a failed system call: the line ends with ": " and what
 * errno (as it was at the call) says. */
#define lrp_log_errno(priority, ...) \
	rrp_logger_log(&lrp_log_settings, (priority), RRP_LOG_ERRNO, __VA_ARGS__)

/* Configuration errors: always stderr ("lrp: ...") and syslog. */
#define lrp_log_config(...) \
	rrp_logger_log(&lrp_log_settings, LOG_ERR, RRP_LOG_CONFIG, __VA_ARGS__)
#define lrp_log_config_errno(...) \
	rrp_logger_log(&lrp_log_settings, LOG_ERR, RRP_LOG_CONFIG | RRP_LOG_ERRNO, __VA_ARGS__)

#endif
