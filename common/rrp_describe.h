/*
 * rrp_describe.h - a file's kind and owner, in words, for the messages
 * that refuse a secret file (common/rrp_auth.c) or a planted pidfile
 * (lrp/lrp_rundir.c).
 */
#ifndef RRP_DESCRIBE_H
#define RRP_DESCRIBE_H

#include <stddef.h>
#include <sys/types.h>

/* "a regular file", "a directory", "a FIFO", "a socket", "a symbolic
 * link", "a character device", "a block device"; "not a plain file" for
 * anything else. */
const char *rrp_describe_file_kind(mode_t mode);

/* "root", "nobody" or "uid 1234": who a uid is.  Returns buf. */
const char *rrp_describe_user(uid_t uid, char *buf, size_t len);

#endif
