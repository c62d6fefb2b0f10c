/*
 * lrp_config.h - lrp's settings: /etc/lrp.conf (lrp.conf(5)) and the
 * command line (lrp(8)).
 */
#ifndef LRP_CONFIG_H
#define LRP_CONFIG_H

#include <net/if.h>
#include <stddef.h>
#include <sys/socket.h>

#define LRP_CONFIG_FILE_DEFAULT		SYSCONFDIR "/lrp.conf"
/* In a directory of lrp's own, which it creates (owned by its user) when
 * missing, so the unprivileged daemon can remove them when it stops. */
#define LRP_RUN_DIR			RUNSTATEDIR "/lrp"
#define LRP_PIDFILE_DEFAULT		LRP_RUN_DIR "/lrp.pid"
#define LRP_STATUS_SOCKET_DEFAULT	LRP_RUN_DIR "/lrp.sock"

enum lrp_capture_mode {
	LRP_CAPTURE_IMMEDIATE,	/* a wakeup per packet: lowest latency */
	LRP_CAPTURE_BLOCK,	/* TPACKET_V3 blocks: fewest wakeups */
};

struct lrp_config {
	/* where clients dial (TCP 1723 by default) */
	struct sockaddr_storage	listen;
	socklen_t		listen_len;
	char			listen_text[96];
	/* where their GRE is captured */
	char			interface[IF_NAMESIZE];
	enum lrp_capture_mode	capture_mode;
	size_t			capture_buffer_bytes;
	int			capture_timeout_ms;	/* block mode: longest wait */
	/* the RRP (pptpd's rrp-listen) */
	char			server_text[300];
	struct sockaddr_storage	server;
	socklen_t		server_len;
	char			secret_file[1024];
	int			insecure_no_secret;
	/* limits */
	int			max_sessions;
	int			max_pending;		/* clients before their first message */
	size_t			queue_limit_bytes;	/* GRE queued per tunnel */
	int			start_timeout_s;	/* until the tunnel is open */
	int			idle_timeout_s;		/* downstream silence */
	int			keepalive_s;		/* tunnel; idle is 3x */
	/* the process */
	char			user[64];
	char			pidfile[1024];
	char			status_socket[108];
	int			log_level;		/* syslog priority */
};

/* The defaults: every field set. */
void lrp_config_defaults(struct lrp_config *c);

/*
 * Read a configuration file over c (which holds the defaults, or the
 * command line's settings to keep).  Every bad line is reported on stderr
 * and to syslog, quoting it, with file and line number.  0 or -1.
 */
int lrp_config_load(struct lrp_config *c, const char *path);

/* Check a loaded configuration (required settings, combinations);
 * 0 or -1 after saying why. */
int lrp_config_check(const struct lrp_config *c);

/* Name of a syslog priority ("info"), and the reverse (-1 if unknown). */
const char *lrp_log_level_name(int level);
int lrp_log_level_parse(const char *name);

/* Parse "HOST:PORT" / "[V6]:PORT" (names resolved) into addr; port may be
 * omitted when default_port is nonzero.  0, or -1 with err set. */
int lrp_parse_hostport(const char *text, int default_port, int passive,
    struct sockaddr_storage *addr, socklen_t *len, char *err, size_t errlen);

#endif
