/*
 * lrp_main.c - the lrp process: flags, configuration, the order it starts
 * in (sockets while privileged, then the drop: lrp_privs.c; the pidfile:
 * lrp_rundir.c; the secret: lrp_secret.c), signals and the event loop
 * (libevent, as OpenBSD's daemons use it: one loop over every session, no
 * threads, timers and signals as events).
 *
 *   lrp [-c FILE] [-f] [-d] [-t] [-S] [-h] [-V]
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "lrp.h"
#include "lrp_log.h"
#include "lrp_privs.h"
#include "lrp_rundir.h"
#include "lrp_secret.h"

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
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		lrp_log_errno(LOG_WARNING, "cannot raise the descriptor limit to %lu",
		    (unsigned long)rl.rlim_cur);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		int fit = rl.rlim_cur > FD_RESERVE + 2 ? (int)((rl.rlim_cur - FD_RESERVE) / 2) : 1;

		lrp_log(LOG_WARNING, "the descriptor limit is %lu: max-sessions lowered from %d to %d",
		    (unsigned long)rl.rlim_cur, c->max_sessions, fit);
		c->max_sessions = fit;
	}
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

	lrp_config_defaults(&c);
	if (lrp_config_load(&c, path) < 0 || lrp_config_check(&c) < 0) {
		lrp_log(LOG_ERR, "reload: %s has errors (above); keeping the running configuration", path);
		return;
	}
	lrp_secret_reload(&c, &l->cfg, &l->secret, &l->secret_st);
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

/* The signals lrp handles in its loop. */
static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
#define NSIGS	(sizeof(sigs) / sizeof(sigs[0]))
_Static_assert(NSIGS == sizeof(((struct lrp *)0)->sig_ev) / sizeof(struct event *),
    "struct lrp has an event for each signal");

struct flags {
	int	check_only;	/* -t */
	int	status_only;	/* -S */
	int	debug;		/* -d */
};

/* The command line: -1 to go on, or the exit status (-h, -V, a mistake). */
static int
parse_flags(int argc, char **argv, struct lrp *l, struct flags *f)
{
	int opt;

	opterr = 0;
	while ((opt = getopt(argc, argv, ":c:fdtShV")) != -1) {
		switch (opt) {
		case 'c': config_path = optarg; break;
		case 'f': l->foreground = 1; break;
		case 'd': f->debug = 1; l->foreground = 1; break;
		case 't': f->check_only = 1; break;
		case 'S': f->status_only = 1; break;
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
	return -1;
}

/* Read and check the configuration, the interface, the run user and the
 * secret, naming every problem before giving up (-t promises that).
 * 0 or -1. */
static int
configure(struct lrp *l, const struct flags *f)
{
	int bad;

	bad = lrp_config_check(&l->cfg) < 0;
	if (check_interface(&l->cfg) < 0)
		bad = 1;
	if (lrp_privs_resolve_user(&l->cfg) < 0 || lrp_secret_load(&l->cfg, &l->secret, &l->secret_st) < 0 ||
	    lrp_secret_check_readable(&l->cfg, &l->secret_st, f->check_only) < 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* Every socket that needs privilege, opened while lrp has it (so that a
 * problem is reported on stderr before it goes to the background), then
 * the background, the pidfile and the drop to the run user; last the
 * loop's own events.  0, or -1 after saying why. */
static int
start(struct lrp *l)
{
	struct timeval one_second = { 1, 0 };
	struct event_config *ec;
	int pidfd;
	size_t i;

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
		return -1;
	}
	lrp_rundir_make(&l->cfg, l->cfg.status_socket);
	lrp_rundir_make(&l->cfg, l->cfg.pidfile);
	if (lrp_listener_open(l) < 0 || lrp_gre_socket_open(l) < 0 ||
	    lrp_capture_open(l) < 0 || lrp_status_open(l) < 0 ||
	    lrp_rundir_open_pidfile(l->cfg.pidfile, &pidfd) < 0)
		return -1;
	if (!l->foreground) {
		if (daemon(0, 0) < 0) {
			lrp_log_config_errno("daemon");
			return -1;
		}
		event_reinit(l->base);
	}
	lrp_log_setup(l->cfg.log_level, l->foreground);
	lrp_rundir_write_pidfile(l->cfg.pidfile, pidfd);
	if (lrp_privs_drop(&l->cfg) < 0)
		return -1;

	for (i = 0; i < NSIGS; i++) {
		l->sig_ev[i] = evsignal_new(l->base, sigs[i], on_signal, l);
		if (l->sig_ev[i] == NULL || event_add(l->sig_ev[i], NULL) < 0) {
			lrp_log(LOG_ERR, "cannot watch signal %d in the event loop", sigs[i]);
			return -1;
		}
	}
	l->tick_ev = event_new(l->base, -1, EV_PERSIST, on_tick, l);
	if (l->tick_ev == NULL || event_add(l->tick_ev, &one_second) < 0) {
		lrp_log(LOG_ERR, "cannot start the event loop's one-second tick");
		return -1;
	}
	l->started_ms = rrp_now_ms();
	lrp_log(LOG_NOTICE, "lrp %s started: clients on %s, GRE on %s, server %s, max-sessions %d",
	    PACKAGE_VERSION, l->cfg.listen_text, l->cfg.interface, l->cfg.server_text, l->cfg.max_sessions);
	return 0;
}

/* The loop is over: free every session, remove the run-time files. */
static void
stop(struct lrp *l)
{
	size_t i;

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
	for (i = 0; i < NSIGS; i++)
		event_free(l->sig_ev[i]);
	event_free(l->tick_ev);
	if (l->pcap_ev != NULL)
		event_free(l->pcap_ev);
	if (l->status_ev != NULL)
		event_free(l->status_ev);
	lrp_listener_close(l);
	event_base_free(l->base);
	free(l->tun_rx);
}

int
main(int argc, char **argv)
{
	struct flags f = { 0, 0, 0 };
	struct lrp *l = &lrp;
	int rc;

	openlog("lrp", LOG_PID, LOG_DAEMON);
	rc = parse_flags(argc, argv, l, &f);
	if (rc >= 0)
		return rc;
	lrp_config_defaults(&l->cfg);
	if (lrp_config_load(&l->cfg, config_path) < 0) {
		/* -S needs only status-socket: an error elsewhere in the file
		 * (one a running lrp refused on SIGHUP, keeping its own
		 * configuration) must not hide the running daemon's status */
		if (!f.status_only)
			return 1;
		fprintf(stderr, "lrp: %s has errors (above); asking the daemon at %s anyway\n",
		    config_path, l->cfg.status_socket);
	}
	if (f.debug)
		l->cfg.log_level = LOG_DEBUG;
	if (f.status_only)
		return lrp_status_query(l->cfg.status_socket);
	if (configure(l, &f) < 0)
		return 1;
	if (f.check_only) {
		printf("lrp: %s is valid: clients on %s, GRE captured on %s, server %s, %s\n",
		    config_path, l->cfg.listen_text, l->cfg.interface, l->cfg.server_text,
		    l->cfg.secret_file[0] ? "shared secret loaded" : "NO SECRET (insecure-no-secret)");
		return 0;
	}
	if (!l->cfg.secret_file[0])
		lrp_log(LOG_WARNING, "insecure-no-secret: the tunnels are not authenticated");
	if (start(l) < 0)
		return 1;
	event_base_dispatch(l->base);
	stop(l);
	return 0;
}
