/*
 * rrp_logger.h - how both daemons write a log line: to syslog, with a
 * prefix, and to stderr as well when asked; lines less urgent than the
 * level are dropped.  A failed system call's line ends with ": " and
 * strerror() of its errno, written once here rather than at each call.
 *
 * Each daemon keeps its settings and names the calls for itself: lrp's
 * lrp_log() and lrp_log_config() (lrp/lrp_log.h), pptpd's rrp_log() and
 * rrp_log_config() (pptpd/rrp_log.h), each with an _errno variant.
 */
#ifndef RRP_LOGGER_H
#define RRP_LOGGER_H

#include <syslog.h>

struct rrp_logger {
	const char	*name;		/* on stderr: "NAME: message" */
	const char	*syslog_prefix;	/* before each syslog line: "" or "RRP: " */
	int		level;		/* the least urgent priority written */
	int		to_stderr;	/* a copy of every line on stderr */
	/* where the lines go instead of syslog and stderr, when set (the
	 * fuzz targets' quiet stand-in) */
	void		(*sink)(int priority, const char *line);
};

/* How rrp_logger_log() writes a line. */
#define RRP_LOG_ERRNO	0x1	/* ": strerror(errno)" at the end, errno as at the call */
#define RRP_LOG_CONFIG	0x2	/* a configuration error: on stderr too, whatever
				 * lg says, so whoever starts the daemon sees why
				 * it refused; never dropped by the level */

/* One line at priority, unless lg's level drops it. */
void rrp_logger_log(const struct rrp_logger *lg, int priority, unsigned how,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
