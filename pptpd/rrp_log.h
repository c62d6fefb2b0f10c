/*
 * rrp_log.h - how the RRP code in pptpd reports.
 *
 * Everything goes to syslog, like the rest of pptpd, with an "RRP:" prefix
 * so an operator can grep the proxy's story out of pptpd's.  Errors in the
 * configuration also go to stderr while pptpd is still starting, because an
 * operator who runs `pptpd` by hand, or reads `systemctl status`, must see
 * why it refused to start.
 */
#ifndef RRP_LOG_H
#define RRP_LOG_H

#include <syslog.h>

void rrp_log(int priority, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A configuration error: syslog (LOG_ERR) and stderr, "pptpd: ..." */
void rrp_log_config(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
