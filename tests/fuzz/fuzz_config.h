/*
 * fuzz_config.h - what the configuration-file targets share: the input
 * written to a scratch file (the parsers read a path, as the daemons do),
 * and name resolution kept numeric.
 *
 * The parsers resolve the host names they are given with getaddrinfo();
 * a fuzzer making up names would wait on DNS.  The targets are linked
 * with -Wl,--wrap=getaddrinfo and fuzz_config.c's wrapper adds
 * AI_NUMERICHOST: addresses parse as in the daemons, names fail at once
 * with "cannot resolve" as an unknown name would.
 */
#ifndef FUZZ_CONFIG_H
#define FUZZ_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* The path of a file now holding exactly data[0..size). */
const char *fuzz_config_file(const uint8_t *data, size_t size);

/* Drop a log line the parser emitted: the targets' loggers (struct
 * rrp_logger) send their lines here instead of syslog and stderr, once
 * formatted in full, so a bad format argument still shows under the
 * sanitizers. */
void fuzz_config_log(int priority, const char *line);

#endif
