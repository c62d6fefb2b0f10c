/*
 * rrp_config.h - the RRP's settings: `rrp-*` lines of pptpd.conf and the
 * matching --rrp-* command-line flags (pptpd.conf(5), pptpd(8)).
 *
 * max-pending (connections on 1723 still sending their first message) is
 * read here too: it belongs to the manager's pending set (pptpd_pending.h),
 * our code, beside its rrp-max-pending twin.
 *
 * As for pptpd's other settings, the command line wins over the file:
 * any --rrp-listen replaces every rrp-listen line.
 */
#ifndef RRP_CONFIG_H
#define RRP_CONFIG_H

#include <stddef.h>
#include <sys/socket.h>

#include "rrp_addr.h"
#include "rrp_auth.h"

#define RRP_LISTEN_MAX			16
#define RRP_HANDSHAKE_TIMEOUT_DEFAULT	10	/* seconds */
#define RRP_KEEPALIVE_DEFAULT		20	/* seconds; idle timeout is 3x */
#define RRP_QUEUE_LIMIT_DEFAULT		(256 * 1024)	/* bytes of GRE per tunnel */
#define RRP_MAX_PENDING_DEFAULT		100	/* connections before their first message */

struct rrp_listen_addr {
	struct sockaddr_storage	addr;
	socklen_t		addr_len;
	char			text[80];	/* as the operator wrote it */
};

struct rrp_config {
	struct rrp_listen_addr	listen[RRP_LISTEN_MAX];
	int			nlisten;
	char			secret_file[1024];
	int			insecure_no_secret;
	int			handshake_timeout_s;
	int			keepalive_s;
	size_t			queue_limit_bytes;
	int			max_pending;		/* 1723: max-pending */
	int			rrp_max_pending;	/* rrp-listen: rrp-max-pending */
	struct rrp_secret	secret;		/* loaded by rrp_config_finish() */
};

extern struct rrp_config rrp_config;

/* getopt_long() values of the --rrp-* flags. */
enum {
	RRP_OPT_LISTEN = 0x200,
	RRP_OPT_SECRET_FILE,
	RRP_OPT_INSECURE_NO_SECRET,
	RRP_OPT_HANDSHAKE_TIMEOUT,
	RRP_OPT_KEEPALIVE,
	RRP_OPT_QUEUE_LIMIT,
	RRP_OPT_MAX_PENDING,
	RRP_OPT_RRP_MAX_PENDING,
	RRP_OPT_END
};
#define RRP_IS_OPTION(c)	((c) >= RRP_OPT_LISTEN && (c) < RRP_OPT_END)

/* Entries for pptpd's struct option table. */
#define RRP_LONG_OPTIONS \
	{"rrp-listen", 1, 0, RRP_OPT_LISTEN}, \
	{"rrp-secret-file", 1, 0, RRP_OPT_SECRET_FILE}, \
	{"rrp-insecure-no-secret", 0, 0, RRP_OPT_INSECURE_NO_SECRET}, \
	{"rrp-handshake-timeout", 1, 0, RRP_OPT_HANDSHAKE_TIMEOUT}, \
	{"rrp-keepalive", 1, 0, RRP_OPT_KEEPALIVE}, \
	{"rrp-queue-limit", 1, 0, RRP_OPT_QUEUE_LIMIT}, \
	{"max-pending", 1, 0, RRP_OPT_MAX_PENDING}, \
	{"rrp-max-pending", 1, 0, RRP_OPT_RRP_MAX_PENDING},

/* One --rrp-* flag; 0, or -1 after saying what is wrong with it. */
int rrp_config_option(int opt, const char *arg);

/* Read the rrp-* lines of a pptpd.conf (a missing file is not an error,
 * as for pptpd); 0, or -1 after naming the file, line and problem of
 * every bad line (an unknown rrp-* keyword included). */
int rrp_config_file(const char *path);

/* Check the whole configuration and load the secret; 0 or -1 (said why).
 * Without rrp-listen the RRP is off and nothing else is required. */
int rrp_config_finish(void);

/* The --rrp-* lines of pptpd --help. */
void rrp_config_usage(void);

/* Parse "ADDR:PORT" ("192.0.2.1:1724", "[2001:db8::1]:1724",
 * "[::]:1724", "0.0.0.0:1724"); 0 or -1 with a reason in err. */
int rrp_parse_listen(const char *text, struct rrp_listen_addr *out,
    char *err, size_t errlen);

/* common/rrp_addr.h's rrp_addr_str(), under the name the manager's
 * pending set, rrp_listen.c and the session process still call it by
 * (this goes when they call rrp_addr_str()). */
static inline const char *
rrp_sockaddr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	return rrp_addr_str(sa, buf, len);
}

#endif
