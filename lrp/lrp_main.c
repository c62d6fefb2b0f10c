/*
 * lrp_main.c - the lrp process: flags, configuration, sockets, privileges,
 * signals and the event loop (libevent, as OpenBSD's daemons use it: one
 * loop over every session, no threads, timers and signals as events).
 *
 *   lrp [-c FILE] [-f] [-d] [-t] [-S] [-h] [-V]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <grp.h>
#include <net/if.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "lrp.h"
#include "lrp_log.h"

#define SHUTDOWN_GRACE_MS	3000

static struct lrp lrp;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: lrp [-c FILE] [-f] [-d] [-t] [-S] [-h] [-V]\n"
	    "  -c FILE  configuration file (default %s)\n"
	    "  -f       stay in the foreground, log to stderr too\n"
	    "  -d       debug: foreground, log level debug\n"
	    "  -t       check the configuration and exit\n"
	    "  -S       print the running daemon's sessions and counters\n"
	    "  -h       this help\n"
	    "  -V       print the version\n"
	    "See lrp(8) and lrp.conf(5).\n", LRP_CONFIG_FILE_DEFAULT);
}

/* The user lrp runs as once started, the one that re-reads the secret
 * on SIGHUP (set in main): the configured user when started as root,
 * itself when started unprivileged (it does not change user then). */
static uid_t run_uid;
static gid_t run_gid;

static int
privileged(void)
{
	return getuid() == 0 || geteuid() == 0;
}

/* "nobody", or "uid 1234" for a uid without a name: for messages. */
static const char *
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %lu", (unsigned long)uid);
	return buf;
}

static const char *
file_kind(mode_t mode)
{
	return S_ISREG(mode) ? "a regular file" : S_ISDIR(mode) ? "a directory" :
	    S_ISFIFO(mode) ? "a FIFO" : S_ISSOCK(mode) ? "a socket" :
	    S_ISLNK(mode) ? "a symbolic link" : "a device";
}

static int
resolve_run_user(const struct lrp_config *c)
{
	struct passwd *pw;

	if (!privileged()) {
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

/* The secret file may be owned by root or by the user lrp runs as. */
static int
load_secret(const struct lrp_config *c, struct rrp_secret *out, struct stat *st)
{
	char err[512];

	memset(st, 0, sizeof(*st));
	if (c->secret_file[0] != '\0') {
		if (rrp_secret_load(c->secret_file, run_uid, out, err, sizeof(err)) < 0) {
			lrp_log_config("secret-file: %s", err);
			return -1;
		}
		stat(c->secret_file, st);
		return 0;
	}
	memcpy(out->bytes, RRP_INSECURE_SECRET, sizeof(RRP_INSECURE_SECRET) - 1);
	out->len = sizeof(RRP_INSECURE_SECRET) - 1;
	return 0;
}

/* Whether run_uid can open path for reading: errno's value if not, 0 if
 * it can, -1 if that could not be found out.  Asked of a child that
 * becomes that user as drop_privileges() does (no supplementary groups),
 * so that directories on the way count as they will for the daemon. */
static int
run_user_cannot_read(const char *path)
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

/* The interface named exists (checked by -t too; at start the capture
 * would fail on it anyway, with a less direct message). */
static int
check_interface(const struct lrp_config *c)
{
	if (c->interface[0] == '\0' || if_nametoindex(c->interface) != 0)
		return 0;
	lrp_log_config("interface %s: %s", c->interface,
	    errno == ENODEV ? "no such interface" : strerror(errno));
	return -1;
}

/*
 * The secret file can be read by the user lrp runs as.  Started as root,
 * lrp reads the secret before it drops to that user, so a file only root
 * can read works at start; but a SIGHUP cannot re-read it (reload() then
 * keeps the secret in use, with an error).  -t calls that an error; a
 * start warns and goes on.
 */
static int
check_secret_readable(const struct lrp_config *c, const struct stat *st, int check_only)
{
	char owner[64];
	int rc;

	if (c->secret_file[0] == '\0' || !privileged() || run_uid == 0)
		return 0;
	rc = run_user_cannot_read(c->secret_file);
	if (rc == 0)
		return 0;
	if (rc < 0) {
		if (check_only)
			lrp_log_config("secret-file %s: cannot tell whether user %s can read it: %s",
			    c->secret_file, c->user, strerror(errno));
		else
			lrp_log(LOG_WARNING, "secret-file %s: cannot tell whether user %s can read "
			    "it (a SIGHUP re-reads it as that user): %s", c->secret_file, c->user,
			    strerror(errno));
		return check_only ? -1 : 0;
	}
	user_name(st->st_uid, owner, sizeof(owner));
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

/* Raise the descriptor limit to what max-sessions needs (two per session,
 * and a few more); where the hard limit is lower, lower max-sessions to
 * fit, so a client beyond it is refused with a log line rather than left
 * to fail in accept(). */
#define FD_RESERVE	64

static void
fit_nofile(struct lrp_config *c)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)c->max_sessions * 2 + FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want < rl.rlim_max ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < want) {
		int fit = rl.rlim_cur > FD_RESERVE + 2 ? (int)((rl.rlim_cur - FD_RESERVE) / 2) : 1;

		lrp_log(LOG_WARNING, "the descriptor limit is %lu: max-sessions lowered from %d to %d",
		    (unsigned long)rl.rlim_cur, c->max_sessions, fit);
		c->max_sessions = fit;
	}
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

	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) < 0) {
		lrp_log_config("cannot drop capabilities: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* After the sockets are open lrp needs no privilege at all: become the
 * configured user, with no supplementary groups, no capabilities and no
 * way back. */
static int
drop_privileges(const struct lrp_config *c)
{
	struct passwd *pw;

	if (getuid() != 0 && geteuid() != 0) {
		if (drop_capabilities() < 0)
			return -1;
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		return 0;
	}
	drop_bounding_set();
	if (strcmp(c->user, "root") == 0) {
		lrp_log(LOG_WARNING, "running as root (user root in the configuration)");
		return 0;
	}
	pw = getpwnam(c->user);
	if (pw == NULL) {
		lrp_log_config("user %s: no such user", c->user);
		return -1;
	}
	if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		lrp_log_config("cannot become user %s: %s", c->user, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		lrp_log_config("dropping privileges to %s did not stick", c->user);
		return -1;
	}
	if (drop_capabilities() < 0)
		return -1;
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	lrp_log(LOG_INFO, "running as user %s", c->user);
	return 0;
}

/* The directory of a run-time file (pidfile, status socket): created when
 * missing, owned by lrp's user, so the unprivileged daemon can remove its
 * files when it stops. */
static void
make_run_dir(const struct lrp_config *c, const char *file)
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
			lrp_log(LOG_WARNING, "cannot create %s: %s", dir, strerror(errno));
		return;
	}
	pw = getpwnam(c->user);
	if (pw != NULL && geteuid() == 0 && chown(dir, pw->pw_uid, pw->pw_gid) < 0)
		lrp_log(LOG_WARNING, "cannot give %s to %s: %s", dir, c->user, strerror(errno));
}

/*
 * Open the pidfile as root, before going to the background (so that a
 * refusal reaches stderr and the exit status).  Its directory belongs to
 * lrp's user (make_run_dir), so anything there may have been planted by
 * that user: a symbolic link or a hard link to a file root must not
 * truncate, or a FIFO.  So: no link followed (O_NOFOLLOW), nothing
 * truncated before fstat() has shown a regular file with one name, owned
 * by root or by that user.  0 with *fd open (or -1 for no pidfile), or
 * -1 after saying why.
 */
static int
open_pidfile(const char *path, int *fdp)
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
		user_name(st.st_uid, owner, sizeof(owner));
		if (S_ISLNK(st.st_mode)) {
			n = readlink(path, target, sizeof(target) - 1);
			target[n > 0 ? n : 0] = '\0';
			lrp_log_config("pidfile %s: a symbolic link (to %s, owner %s): lrp does not "
			    "write through links; remove it", path, n > 0 ? target : "?", owner);
		} else	/* a FIFO no one reads fails with ENXIO */
			lrp_log_config("pidfile %s: not a regular file (%s, owner %s, mode %04o); "
			    "remove it", path, file_kind(st.st_mode), owner,
			    (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		lrp_log_config("pidfile %s: fstat: %s", path, strerror(errno));
		goto fail;
	}
	user_name(st.st_uid, owner, sizeof(owner));
	if (!S_ISREG(st.st_mode)) {
		lrp_log_config("pidfile %s: not a regular file (%s, owner %s, mode %04o); remove it",
		    path, file_kind(st.st_mode), owner, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if (st.st_nlink != 1) {
		lrp_log_config("pidfile %s: a file with %lu names (owner %s, mode %04o): lrp does not "
		    "write to a file with another name; remove it", path,
		    (unsigned long)st.st_nlink, owner, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid() && st.st_uid != run_uid) {
		lrp_log_config("pidfile %s: owned by %s (mode %04o), not by root or lrp's user; "
		    "remove it", path, owner, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if (ftruncate(fd, 0) < 0) {
		lrp_log_config("pidfile %s: cannot truncate: %s", path, strerror(errno));
		goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

/* Write our (after daemon(), the background process's) pid. */
static void
write_pidfile(const char *path, int fd)
{
	if (fd < 0)
		return;
	if (dprintf(fd, "%ld\n", (long)getpid()) < 0)
		lrp_log(LOG_WARNING, "pidfile %s: cannot write: %s", path, strerror(errno));
	close(fd);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct lrp *l = arg;
	struct lrp_session *s, *next;
	int64_t now = rrp_now_ms();

	(void)fd;
	(void)what;
	lrp_reasm_expire(&l->reasm, now);
	for (s = TAILQ_FIRST(&l->sessions); s != NULL; s = next) {
		next = TAILQ_NEXT(s, link);
		lrp_session_tick(s, now);	/* may free s */
	}
	if (l->shutting_down && (l->nsessions == 0 ||
	    now - l->shutdown_started_ms >= SHUTDOWN_GRACE_MS))
		event_base_loopexit(l->base, NULL);
}

static void
begin_shutdown(struct lrp *l, const char *why)
{
	struct lrp_session *s;

	if (l->shutting_down)
		return;
	l->shutting_down = 1;
	l->shutdown_started_ms = rrp_now_ms();
	lrp_log(LOG_NOTICE, "%s: telling %d client(s) and shutting down", why, l->nsessions);
	if (l->listener != NULL)
		evconnlistener_disable(l->listener);
	TAILQ_FOREACH(s, &l->sessions, link)
		lrp_session_end(s, RRP_CLOSE_SHUTDOWN, "lrp shutting down");
}

/* SIGHUP: re-read the configuration; what can change without reopening
 * privileged sockets takes effect for new sessions (and the limits for
 * all), the rest is reported as needing a restart. */
static void
reload(struct lrp *l, const char *path)
{
	struct lrp_config c;
	struct rrp_secret secret;

	lrp_config_defaults(&c);
	if (lrp_config_load(&c, path) < 0 || lrp_config_check(&c) < 0) {
		lrp_log(LOG_ERR, "reload: %s has errors (above); keeping the running configuration", path);
		return;
	}
	struct stat st;

	/* unchanged file: nothing to re-read (after the privilege drop a
	 * root-only secret file cannot be read again anyway) */
	if (strcmp(c.secret_file, l->cfg.secret_file) == 0 && c.secret_file[0] != '\0' &&
	    stat(c.secret_file, &st) == 0 && st.st_ino == l->secret_st.st_ino &&
	    st.st_dev == l->secret_st.st_dev && st.st_size == l->secret_st.st_size &&
	    st.st_mtime == l->secret_st.st_mtime) {
		secret = l->secret;
		st = l->secret_st;
	} else if (load_secret(&c, &secret, &st) < 0) {
		lrp_log(LOG_ERR, "reload: keeping the secret in use (the file must be readable by user %s "
		    "to be re-read without a restart)", l->cfg.user);
		secret = l->secret;
		st = l->secret_st;
	}
	l->secret_st = st;
	if (memcmp(&c.listen, &l->cfg.listen, sizeof(c.listen)) != 0 ||
	    strcmp(c.interface, l->cfg.interface) != 0 || c.capture_mode != l->cfg.capture_mode ||
	    strcmp(c.user, l->cfg.user) != 0 || strcmp(c.status_socket, l->cfg.status_socket) != 0)
		lrp_log(LOG_WARNING, "reload: listen, interface, capture-mode, user and status-socket "
		    "change only with a restart; keeping the running ones");
	memcpy(c.listen_text, l->cfg.listen_text, sizeof(c.listen_text));
	c.listen = l->cfg.listen;
	c.listen_len = l->cfg.listen_len;
	memcpy(c.interface, l->cfg.interface, sizeof(c.interface));
	c.capture_mode = l->cfg.capture_mode;
	memcpy(c.user, l->cfg.user, sizeof(c.user));
	memcpy(c.status_socket, l->cfg.status_socket, sizeof(c.status_socket));
	fit_nofile(&c);
	l->cfg = c;
	l->secret = secret;
	rrp_secret_clear(&secret);
	lrp_log_setup(c.log_level, l->foreground);
	lrp_listener_room(l);	/* a larger max-pending may have made some */
	lrp_log(LOG_NOTICE, "reloaded %s: server %s, max-sessions %d, queue-limit %zu, log-level %s",
	    path, c.server_text, c.max_sessions, c.queue_limit_bytes, lrp_log_level_name(c.log_level));
}

static const char *config_path = LRP_CONFIG_FILE_DEFAULT;

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct lrp *l = arg;

	(void)what;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		begin_shutdown(l, sig == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	case SIGHUP:
		reload(l, config_path);
		break;
	case SIGUSR1:
		lrp_status_log(l);
		break;
	}
}

int
main(int argc, char **argv)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	int opt, check_only = 0, status_only = 0, debug = 0, bad, pidfd;
	struct lrp *l = &lrp;
	struct event_config *ec;
	struct timeval one_second = { 1, 0 };
	size_t i;

	openlog("lrp", LOG_PID, LOG_DAEMON);
	opterr = 0;
	while ((opt = getopt(argc, argv, ":c:fdtShV")) != -1) {
		switch (opt) {
		case 'c': config_path = optarg; break;
		case 'f': l->foreground = 1; break;
		case 'd': debug = 1; l->foreground = 1; break;
		case 't': check_only = 1; break;
		case 'S': status_only = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("lrp %s (pptpd-rrp, tunnel protocol %d)\n", PACKAGE_VERSION, RRP_VERSION_MAX); return 0;
		case ':':
			fprintf(stderr, "lrp: option -%c needs a value\n", optopt);
			usage(stderr);
			return 2;
		default:
			fprintf(stderr, "lrp: unknown option `%s'\n", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "lrp: unexpected argument `%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	lrp_config_defaults(&l->cfg);
	if (lrp_config_load(&l->cfg, config_path) < 0) {
		/* -S needs only status-socket: an error elsewhere in the file
		 * (one a running lrp refused on SIGHUP, keeping its own
		 * configuration) must not hide the running daemon's status */
		if (!status_only)
			return 1;
		fprintf(stderr, "lrp: %s has errors (above); asking the daemon at %s anyway\n",
		    config_path, l->cfg.status_socket);
	}
	if (debug)
		l->cfg.log_level = LOG_DEBUG;
	if (status_only)
		return lrp_status_query(l->cfg.status_socket);
	/* every problem named before giving up (-t promises that) */
	bad = lrp_config_check(&l->cfg) < 0;
	if (check_interface(&l->cfg) < 0)
		bad = 1;
	if (resolve_run_user(&l->cfg) < 0 || load_secret(&l->cfg, &l->secret, &l->secret_st) < 0 ||
	    check_secret_readable(&l->cfg, &l->secret_st, check_only) < 0)
		bad = 1;
	if (bad)
		return 1;
	if (check_only) {
		printf("lrp: %s is valid: clients on %s, GRE captured on %s, server %s, %s\n",
		    config_path, l->cfg.listen_text, l->cfg.interface, l->cfg.server_text,
		    l->cfg.secret_file[0] ? "shared secret loaded" : "NO SECRET (insecure-no-secret)");
		return 0;
	}
	if (!l->cfg.secret_file[0])
		lrp_log(LOG_WARNING, "insecure-no-secret: the tunnels are not authenticated");

	signal(SIGPIPE, SIG_IGN);
	fit_nofile(&l->cfg);
	/* libevent frees and allocates buffer chains all the time; without
	 * this glibc hands memory back and asks for it again every few writes */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	TAILQ_INIT(&l->sessions);
	TAILQ_INIT(&l->flushq);
	pending_set_init(&l->pending);
	lrp_callids_init(&l->callids, rrp_random);

	ec = event_config_new();
	l->base = event_base_new_with_config(ec);
	event_config_free(ec);
	if (l->base == NULL) {
		lrp_log_config("cannot create the event loop");
		return 1;
	}
	/* every socket that needs privilege, opened while we have it, so a
	 * problem is reported on stderr before lrp goes to the background */
	make_run_dir(&l->cfg, l->cfg.status_socket);
	make_run_dir(&l->cfg, l->cfg.pidfile);
	if (lrp_listener_open(l) < 0 || lrp_gre_socket_open(l) < 0 ||
	    lrp_capture_open(l) < 0 || lrp_status_open(l) < 0 ||
	    open_pidfile(l->cfg.pidfile, &pidfd) < 0)
		return 1;
	if (!l->foreground) {
		if (daemon(0, 0) < 0) {
			lrp_log_config("daemon: %s", strerror(errno));
			return 1;
		}
		event_reinit(l->base);
	}
	lrp_log_setup(l->cfg.log_level, l->foreground);
	write_pidfile(l->cfg.pidfile, pidfd);
	if (drop_privileges(&l->cfg) < 0)
		return 1;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		l->sig_ev[i] = evsignal_new(l->base, sigs[i], on_signal, l);
		event_add(l->sig_ev[i], NULL);
	}
	l->tick_ev = event_new(l->base, -1, EV_PERSIST, on_tick, l);
	event_add(l->tick_ev, &one_second);
	l->started_ms = rrp_now_ms();
	lrp_log(LOG_NOTICE, "lrp %s started: clients on %s, GRE on %s, server %s, max-sessions %d",
	    PACKAGE_VERSION, l->cfg.listen_text, l->cfg.interface, l->cfg.server_text, l->cfg.max_sessions);

	event_base_dispatch(l->base);

	lrp_log(LOG_NOTICE, "lrp stopped (%d session(s) left)", l->nsessions);
	while (!TAILQ_EMPTY(&l->sessions))
		lrp_session_free(TAILQ_FIRST(&l->sessions));
	if (l->pcap != NULL)
		pcap_close(l->pcap);
	if (l->cfg.status_socket[0] != '\0')
		unlink(l->cfg.status_socket);
	if (l->cfg.pidfile[0] != '\0')
		unlink(l->cfg.pidfile);
	rrp_secret_clear(&l->secret);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		event_free(l->sig_ev[i]);
	event_free(l->tick_ev);
	if (l->pcap_ev != NULL)
		event_free(l->pcap_ev);
	if (l->status_ev != NULL)
		event_free(l->status_ev);
	lrp_listener_close(l);
	event_base_free(l->base);
	free(l->tun_rx);
	return 0;
}
