/*
 * lrp_rundir.h - lrp's run-time files: the directory they live in (by
 * default RUNSTATEDIR/lrp, owned by lrp's user so the unprivileged daemon
 * can remove them when it stops) and the pidfile.  The status socket is
 * lrp_status.c's.
 */
#ifndef LRP_RUNDIR_H
#define LRP_RUNDIR_H

#include "lrp_config.h"

/* Create the directory of file (pidfile, status socket) when missing,
 * owned by c's user; a failure is a warning (the file's own open says the
 * rest). */
void lrp_rundir_make(const struct lrp_config *c, const char *file);

/*
 * Open the pidfile as root, before going to the background (so that a
 * refusal reaches stderr and the exit status), refusing what lrp's user
 * could have planted in its directory.  0 with *fdp open (or -1 for no
 * pidfile), or -1 after saying why.
 */
int lrp_rundir_open_pidfile(const char *path, int *fdp);

/* Write our pid (after daemon(), the background process's) to it and
 * close it. */
void lrp_rundir_write_pidfile(const char *path, int fd);

#endif
