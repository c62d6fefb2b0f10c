/*
 * lrp_secret.h - the secret lrp authenticates its tunnels with: read at
 * start from lrp.conf's secret-file, and again on SIGHUP when the file
 * changed; without one (insecure-no-secret), the protocol's well-known
 * stand-in.
 */
#ifndef LRP_SECRET_H
#define LRP_SECRET_H

#include <sys/stat.h>

#include "lrp_config.h"
#include "rrp_auth.h"

/* Read c's secret into *out, the file's stat into *st (zeroed without a
 * file).  The file may be owned by root or by the run user.  0, or -1
 * after saying why. */
int lrp_secret_load(const struct lrp_config *c, struct rrp_secret *out, struct stat *st);

/*
 * Whether the run user can read the secret file, which a SIGHUP needs:
 * started as root, lrp reads the secret before it drops to that user, so
 * a file only root can read works at start but cannot be re-read.  With
 * check_only (-t) that is an error (-1); at start a warning (0).
 */
int lrp_secret_check_readable(const struct lrp_config *c, const struct stat *st,
    int check_only);

/*
 * SIGHUP: the secret of the new configuration c, re-read unless its file
 * is the one in use (*secret, *st, from running's secret-file) unchanged;
 * when it cannot be read, the one in use is kept, with an error.
 */
void lrp_secret_reload(const struct lrp_config *c, const struct lrp_config *running,
    struct rrp_secret *secret, struct stat *st);

#endif
