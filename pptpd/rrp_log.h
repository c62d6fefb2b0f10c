/*
 * rrp_log.h - how the RRP code in pptpd reports.
 *
 * Everything goes to syslog, like the rest of pptpd, with an "RRP:" prefix
 * so an operator can grep the proxy's story out of pptpd's.  Errors in the
 * configuration also go to stderr while pptpd is still starting, because an
 * operator who runs `pptpd` by hand, or reads `systemctl status`, must see
 * why it refused to start.  (common/rrp_logger.h writes the lines.)
 */
#ifndef RRP_LOG_H
#define RRP_LOG_H

#include "rrp_logger.h"

/* pptpd's settings (rrp_log.c). */
extern const struct rrp_logger rrp_log_settings;

#define rrp_log(priority, ...) \
	rrp_logger_log(&rrp_log_settings, (priority), 0, __VA_ARGS__)
/* The same for a failed system call: the line ends with ": " and what
 * errno (as it was at the call) says. */
#define rrp_log_errno(priority, ...) \
	rrp_logger_log(&rrp_log_settings, (priority), RRP_LOG_ERRNO, __VA_ARGS__)

/* A configuration error: syslog (LOG_ERR) and stderr, "pptpd: ..." */
#define rrp_log_config(...) \
	rrp_logger_log(&rrp_log_settings, LOG_ERR, RRP_LOG_CONFIG, __VA_ARGS__)
#define rrp_log_config_errno(...) \
	rrp_logger_log(&rrp_log_settings, LOG_ERR, RRP_LOG_CONFIG | RRP_LOG_ERRNO, __VA_ARGS__)

#endif
