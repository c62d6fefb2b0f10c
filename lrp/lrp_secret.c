/*
 * lrp_secret.c - read the tunnels' secret, check that the run user can
 * read it again, re-read it on SIGHUP.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lrp_log.h"
#include "lrp_privs.h"
#include "lrp_secret.h"
#include "rrp_describe.h"

int
lrp_secret_load(const struct lrp_config *c, struct rrp_secret *out, struct stat *st)
{
	char err[512];

	memset(st, 0, sizeof(*st));
	if (c->secret_file[0] != '\0') {
		if (rrp_secret_load(c->secret_file, lrp_privs_run_uid(), out, err, sizeof(err)) < 0) {
			lrp_log_config("secret-file: %s", err);
			return -1;
		}
		/* (failing, it stays zeroed: a SIGHUP reads the file again) */
		(void)stat(c->secret_file, st);
		return 0;
	}
	memcpy(out->bytes, RRP_INSECURE_SECRET, sizeof(RRP_INSECURE_SECRET) - 1);
	out->len = sizeof(RRP_INSECURE_SECRET) - 1;
	return 0;
}

int
lrp_secret_check_readable(const struct lrp_config *c, const struct stat *st, int check_only)
{
	char owner[64];
	int rc;

	if (c->secret_file[0] == '\0' || !lrp_privs_root() || lrp_privs_run_uid() == 0)
		return 0;
	rc = lrp_privs_cannot_read(c->secret_file);
	if (rc == 0)
		return 0;
	if (rc < 0) {
		if (check_only)
			lrp_log_config_errno("secret-file %s: cannot tell whether user %s can read it",
			    c->secret_file, c->user);
		else
			lrp_log_errno(LOG_WARNING, "secret-file %s: cannot tell whether user %s can read "
			    "it (a SIGHUP re-reads it as that user)", c->secret_file, c->user);
		return check_only ? -1 : 0;
	}
	rrp_describe_user(st->st_uid, owner, sizeof(owner));
	if (check_only) {
		lrp_log_config("secret-file %s: user %s cannot read it (%s; owner %s, mode %04o), "
		    "so a SIGHUP cannot re-read it; chown %s it", c->secret_file, c->user,
		    strerror(rc), owner, (unsigned)(st->st_mode & 07777), c->user);
		return -1;
	}
	lrp_log(LOG_WARNING, "secret-file %s: user %s cannot read it (%s; owner %s, mode %04o): "
	    "read now as root, but a SIGHUP cannot re-read it and a changed secret needs a "
	    "restart; chown %s it", c->secret_file, c->user, strerror(rc), owner,
	    (unsigned)(st->st_mode & 07777), c->user);
	return 0;
}

void
lrp_secret_reload(const struct lrp_config *c, const struct lrp_config *running,
    struct rrp_secret *secret, struct stat *st)
{
	struct rrp_secret fresh;
	struct stat fresh_st;

	/* unchanged file: nothing to re-read (after the privilege drop a
	 * root-only secret file cannot be read again anyway) */
	if (strcmp(c->secret_file, running->secret_file) == 0 && c->secret_file[0] != '\0' &&
	    stat(c->secret_file, &fresh_st) == 0 && fresh_st.st_ino == st->st_ino &&
	    fresh_st.st_dev == st->st_dev && fresh_st.st_size == st->st_size &&
	    fresh_st.st_mtime == st->st_mtime)
		return;
	if (lrp_secret_load(c, &fresh, &fresh_st) < 0)
		lrp_log(LOG_ERR, "reload: keeping the secret in use (the file must be readable by user %s "
		    "to be re-read without a restart)", running->user);
	else {
		*secret = fresh;
		*st = fresh_st;
	}
	rrp_secret_clear(&fresh);
}
