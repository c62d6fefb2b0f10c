/*
 * bench-util.h - small helpers shared by the benchmark's load generators,
 * sinks and bare relays (tests/bench/).  Nothing here is on a measured
 * path's critical loop except now_us().
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in microseconds. */
uint64_t bench_now_us(void);

/* Print "PROG: message" (and strerror(errno) when the format ends with
 * ':') to stderr and exit 2: a setup error, never a measurement. */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
extern const char *bench_prog;

/* "A.B.C.D" or "A.B.C.D:PORT" (port defaults to default_port): 0 or -1. */
int bench_parse_addr(const char *s, int default_port, struct sockaddr_in *out);

int bench_set_nonblock(int fd);
int bench_set_nodelay(int fd);

/* Write all of buf, waiting with poll() on a nonblocking fd: 0 or -1. */
int bench_write_all(int fd, const void *buf, size_t len);

/* A raw IPPROTO_GRE socket whose receive side drops everything (so the
 * host does not answer GRE with ICMP protocol-unreachable, at no cost),
 * as the LRP's own send socket does. */
int bench_raw_gre_sink_socket(void);

/* Read the file at path as one unsigned number (sysfs counters); -1 on
 * error. */
long long bench_read_counter(const char *path);

/* Pin the calling process to one CPU (-1: leave it). */
void bench_pin(int cpu);

#endif
