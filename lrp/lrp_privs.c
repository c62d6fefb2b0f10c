/*
 * lrp_privs.c - the user lrp runs as, capabilities, and the drop to that
 * user after the sockets are open.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lrp_log.h"
#include "lrp_privs.h"

/* The user lrp runs as once started, the one that re-reads the secret
 * on SIGHUP: the configured user when started as root, itself when
 * started unprivileged (it does not change user then). */
static uid_t run_uid;
static gid_t run_gid;

int
lrp_privs_root(void)
{
	return getuid() == 0 || geteuid() == 0;
}

uid_t
lrp_privs_run_uid(void)
{
	return run_uid;
}

int
lrp_privs_resolve_user(const struct lrp_config *c)
{
	struct passwd *pw;

	if (!lrp_privs_root()) {
		run_uid = geteuid();
		run_gid = getegid();
		return 0;
	}
	if (strcmp(c->user, "root") == 0) {
		run_uid = 0;
		run_gid = 0;
		return 0;
	}
	pw = getpwnam(c->user);
	if (pw == NULL) {
		lrp_log_config("user %s: no such user", c->user);
		return -1;
	}
	run_uid = pw->pw_uid;
	run_gid = pw->pw_gid;
	return 0;
}

int
lrp_privs_cannot_read(const char *path)
{
	pid_t pid;
	int status, fd;

	pid = fork();
	if (pid < 0)
		return -1;
	/* the child only opens a file and exits: no handler, buffer or
	 * descriptor of ours is used or flushed there */
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setgid(run_gid) < 0 || setuid(run_uid) < 0)
			_exit(255);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		_exit(fd < 0 ? (errno > 0 && errno < 255 ? errno : EACCES) : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 255) {
		errno = EPERM;	/* the child could not become that user */
		return -1;
	}
	return WEXITSTATUS(status);
}

/* Empty the capability bounding set (as root, which may: CAP_SETPCAP),
 * so that nothing lrp runs or becomes can ever regain a capability. */
static void
drop_bounding_set(void)
{
	int cap;

	for (cap = 0; cap <= 63; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno == EINVAL)
			break;		/* past the kernel's last capability */
}

/* Give up every capability this process still has: those a root that
 * stays root keeps, and those a service manager handed an unprivileged
 * lrp to open its sockets (lrp.service: CAP_NET_RAW, CAP_NET_BIND_SERVICE
 * as ambient capabilities).  Open sockets keep working without them. */
static int
drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	/* (EINVAL: a kernel without ambient capabilities, so none to clear) */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		lrp_log_config_errno("cannot clear the ambient capabilities");
		return -1;
	}
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) < 0) {
		lrp_log_config_errno("cannot drop capabilities");
		return -1;
	}
	return 0;
}

/* Nothing lrp executes could gain a privilege (setuid programs, file
 * capabilities). */
static int
no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		lrp_log_config_errno("cannot set no_new_privs");
		return -1;
	}
	return 0;
}

/* After the sockets are open lrp needs no privilege at all: become the
 * configured user, with no supplementary groups, no capabilities and no
 * way back. */
int
lrp_privs_drop(const struct lrp_config *c)
{
	if (!lrp_privs_root()) {
		if (drop_capabilities() < 0 || no_new_privs() < 0)
			return -1;
		return 0;
	}
	drop_bounding_set();
	if (strcmp(c->user, "root") == 0) {
		lrp_log(LOG_WARNING, "running as root (user root in the configuration)");
		return 0;
	}
	/* (lrp_privs_resolve_user() found it, before the sockets opened) */
	if (setgroups(0, NULL) < 0 || setgid(run_gid) < 0 || setuid(run_uid) < 0) {
		lrp_log_config_errno("cannot become user %s", c->user);
		return -1;
	}
	if (setuid(0) == 0) {
		lrp_log_config("dropping privileges to %s did not stick", c->user);
		return -1;
	}
	if (drop_capabilities() < 0 || no_new_privs() < 0)
		return -1;
	lrp_log(LOG_INFO, "running as user %s", c->user);
	return 0;
}
