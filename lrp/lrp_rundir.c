/*
 * lrp_rundir.c - the run directory and the pidfile in it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lrp_log.h"
#include "lrp_privs.h"
#include "lrp_rundir.h"
#include "rrp_describe.h"

void
lrp_rundir_make(const struct lrp_config *c, const char *file)
{
	char dir[1024], *slash;
	struct passwd *pw;

	if (file[0] == '\0')
		return;
	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0750) < 0) {
		if (errno != EEXIST)
			lrp_log_errno(LOG_WARNING, "cannot create %s", dir);
		return;
	}
	pw = getpwnam(c->user);
	if (pw != NULL && geteuid() == 0 && chown(dir, pw->pw_uid, pw->pw_gid) < 0)
		lrp_log_errno(LOG_WARNING, "cannot give %s to %s", dir, c->user);
}

/*
 * The pidfile's directory belongs to lrp's user (lrp_rundir_make()), so
 * anything there may have been planted by that user: a symbolic link or a
 * hard link to a file root must not truncate, or a FIFO.  So: no link
 * followed (O_NOFOLLOW), nothing truncated before fstat() has shown a
 * regular file with one name, owned by root or by that user.
 */
int
lrp_rundir_open_pidfile(const char *path, int *fdp)
{
	char owner[64], target[256];
	struct stat st;
	ssize_t n;
	int fd, e;

	*fdp = -1;
	if (path[0] == '\0')
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644);
	if (fd < 0) {
		e = errno;
		if (lstat(path, &st) < 0 || S_ISREG(st.st_mode)) {
			lrp_log_config("pidfile %s: cannot open: %s", path, strerror(e));
			return -1;
		}
		rrp_describe_user(st.st_uid, owner, sizeof(owner));
		if (S_ISLNK(st.st_mode)) {
			n = readlink(path, target, sizeof(target) - 1);
			target[n > 0 ? n : 0] = '\0';
			lrp_log_config("pidfile %s: a symbolic link (to %s, owner %s): lrp does not "
			    "write through links; remove it", path, n > 0 ? target : "?", owner);
		} else	/* a FIFO no one reads fails with ENXIO */
			lrp_log_config("pidfile %s: not a regular file (%s, owner %s, mode %04o); "
			    "remove it", path, rrp_describe_file_kind(st.st_mode), owner,
			    (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		lrp_log_config_errno("pidfile %s: fstat", path);
		goto fail;
	}
	rrp_describe_user(st.st_uid, owner, sizeof(owner));
	if (!S_ISREG(st.st_mode)) {
		lrp_log_config("pidfile %s: not a regular file (%s, owner %s, mode %04o); remove it",
		    path, rrp_describe_file_kind(st.st_mode), owner, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if (st.st_nlink != 1) {
		lrp_log_config("pidfile %s: a file with %lu names (owner %s, mode %04o): lrp does not "
		    "write to a file with another name; remove it", path,
		    (unsigned long)st.st_nlink, owner, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid() && st.st_uid != lrp_privs_run_uid()) {
		lrp_log_config("pidfile %s: owned by %s (mode %04o), not by root or lrp's user; "
		    "remove it", path, owner, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if (ftruncate(fd, 0) < 0) {
		lrp_log_config_errno("pidfile %s: cannot truncate", path);
		goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

void
lrp_rundir_write_pidfile(const char *path, int fd)
{
	if (fd < 0)
		return;
	if (dprintf(fd, "%ld\n", (long)getpid()) < 0)
		lrp_log_errno(LOG_WARNING, "pidfile %s: cannot write", path);
	close(fd);
}
