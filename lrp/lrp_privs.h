/*
 * lrp_privs.h - the user lrp runs as, and giving up privilege.
 *
 * Started as root, lrp opens its privileged sockets, then becomes the
 * configured user (lrp.conf's user) with no supplementary groups, no
 * capabilities and no_new_privs.  Started unprivileged (with capabilities
 * from a service manager), it stays itself and gives the capabilities up.
 */
#ifndef LRP_PRIVS_H
#define LRP_PRIVS_H

#include <stddef.h>
#include <sys/types.h>

#include "lrp_config.h"

/* Started as root (real or effective uid 0)? */
int lrp_privs_root(void);

/* Find the user lrp will run as (c->user when started as root, itself
 * otherwise); 0, or -1 after saying that the user does not exist. */
int lrp_privs_resolve_user(const struct lrp_config *c);

/* That user's uid (lrp_privs_resolve_user() first). */
uid_t lrp_privs_run_uid(void);

/* Whether the run user can open path for reading: errno's value if not,
 * 0 if it can, -1 (errno set) if that could not be found out.  Asked of a
 * child that becomes that user as lrp_privs_drop() does, so that
 * directories on the way count as they will for the daemon. */
int lrp_privs_cannot_read(const char *path);

/* Become the run user (lrp_privs_resolve_user() first) for good, once
 * the sockets are open; 0, or -1 after saying why. */
int lrp_privs_drop(const struct lrp_config *c);

#endif
