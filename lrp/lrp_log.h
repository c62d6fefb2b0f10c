/*
 * lrp_log.h - lrp's log: syslog, and stderr too in the foreground.
 * Lines about one client start with the session's name ("client
 * 192.0.2.7:50123") so an operator can grep one client's story.
 */
#ifndef LRP_LOG_H
#define LRP_LOG_H

#include <syslog.h>

/* Where logs go: level is the highest syslog priority logged; to_stderr
 * copies every line to stderr (lrp -f, -d). */
void lrp_log_setup(int level, int to_stderr);

void lrp_log(int priority, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Configuration errors: always stderr ("lrp: ...") and syslog. */
void lrp_log_config(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
