/*
 * lrp_config.c - read and check lrp.conf.
 *
 * One setting per line, "keyword value", '#' starts a comment.  Every line
 * that is not understood is an error that quotes it: an LRP that silently
 * ignores a typo in its server address or secret file would fail in the
 * field in ways that are hard to see.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "lrp_config.h"
#include "lrp_log.h"
#include "rrp_addr.h"
#include "rrp_number.h"

static const struct {
	const char	*name;
	int		 level;
} log_levels[] = {
	{ "err", LOG_ERR }, { "error", LOG_ERR }, { "warning", LOG_WARNING },
	{ "notice", LOG_NOTICE }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

const char *
lrp_log_level_name(int level)
{
	size_t i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (log_levels[i].level == level)
			return log_levels[i].name;
	return "?";
}

int
lrp_log_level_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcmp(log_levels[i].name, name) == 0)
			return log_levels[i].level;
	return -1;
}

void
lrp_config_defaults(struct lrp_config *c)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&c->listen;

	memset(c, 0, sizeof(*c));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(1723);
	sin->sin_addr.s_addr = htonl(INADDR_ANY);
	c->listen_len = sizeof(*sin);
	snprintf(c->listen_text, sizeof(c->listen_text), "0.0.0.0:1723");
	c->capture_mode = LRP_CAPTURE_IMMEDIATE;
	c->capture_buffer_bytes = 4 * 1024 * 1024;
	c->capture_timeout_ms = 1;
	c->max_sessions = 1000;
	c->max_pending = 100;
	c->queue_limit_bytes = 256 * 1024;
	c->start_timeout_s = 10;
	c->idle_timeout_s = 300;
	c->keepalive_s = 20;
	snprintf(c->user, sizeof(c->user), "nobody");
	snprintf(c->pidfile, sizeof(c->pidfile), "%s", LRP_PIDFILE_DEFAULT);
	snprintf(c->status_socket, sizeof(c->status_socket), "%s", LRP_STATUS_SOCKET_DEFAULT);
	c->log_level = LOG_INFO;
}

int
lrp_parse_hostport(const char *text, int default_port, int passive,
    struct sockaddr_storage *addr, socklen_t *len, char *err, size_t errlen)
{
	const struct rrp_addr_rules rules = {
		.default_port = default_port, .flags = passive ? RRP_ADDR_PASSIVE : 0, .host_max = 255,
	};
	struct rrp_addr_text t;
	unsigned faults;

	faults = rrp_addr_parse(text, &rules, addr, len, &t);
	if (faults == 0)
		return 0;
	/* in lrp.conf(5)'s terms */
	if (faults & RRP_ADDR_UNCLOSED)
		snprintf(err, errlen, "`%s': missing `]'", text);
	else if (faults & RRP_ADDR_BARE_V6)
		snprintf(err, errlen, "`%s': write IPv6 addresses as [ADDRESS]:PORT", text);
	else if (faults & (RRP_ADDR_BAD_HOST | RRP_ADDR_AFTER_CLOSE))
		snprintf(err, errlen, "`%s' is not HOST:PORT", text);
	else if (faults & (RRP_ADDR_NO_PORT | RRP_ADDR_NO_COLON | RRP_ADDR_EMPTY_PORT))
		snprintf(err, errlen, "`%s': a port is needed (HOST:PORT)", text);
	else if (faults & RRP_ADDR_BAD_PORT)
		snprintf(err, errlen, "`%s': port `%s' is not a number in 1..65535", text, t.port);
	else
		snprintf(err, errlen, "`%s': cannot resolve `%s': %s", text, t.host,
		    gai_strerror(t.gai_error));
	return -1;
}

/* Every keyword apply() knows, and insecure-no-secret: so that an
 * unknown keyword is reported as unknown even when its value is missing
 * (not as a known one lacking its value). */
static const char *const keywords[] = {
	"listen", "interface", "capture-mode", "capture-buffer", "capture-timeout",
	"server", "secret-file", "insecure-no-secret", "max-sessions", "max-pending", "queue-limit",
	"start-timeout", "idle-timeout", "keepalive", "user", "pidfile",
	"status-socket", "log-level",
};

static int
known_keyword(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(keywords[i], key) == 0)
			return 1;
	return 0;
}

static int
copy(char *dst, size_t cap, const char *v)
{
	if (strlen(v) >= cap)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* Apply "keyword value"; NULL on success or the reason it is wrong. */
static const char *
apply(struct lrp_config *c, const char *key, const char *val, char *err, size_t errlen)
{
	long n;

#define NUMBER(field, lo, hi, unit) do { \
		if (rrp_number_parse(val, lo, hi, &n) < 0) { \
			snprintf(err, errlen, "`%s' is not a number of " unit " in %ld..%ld", val, (long)(lo), (long)(hi)); \
			return err; \
		} \
		c->field = n; \
	} while (0)

	if (strcmp(key, "listen") == 0) {
		if (lrp_parse_hostport(val, 1723, 1, &c->listen, &c->listen_len, err, errlen) < 0)
			return err;
		snprintf(c->listen_text, sizeof(c->listen_text), "%s", val);
	} else if (strcmp(key, "interface") == 0) {
		if (copy(c->interface, sizeof(c->interface), val) < 0)
			return "interface name too long";
	} else if (strcmp(key, "capture-mode") == 0) {
		if (strcmp(val, "immediate") == 0)
			c->capture_mode = LRP_CAPTURE_IMMEDIATE;
		else if (strcmp(val, "block") == 0)
			c->capture_mode = LRP_CAPTURE_BLOCK;
		else
			return "capture-mode is `immediate' or `block'";
	} else if (strcmp(key, "capture-buffer") == 0) {
		NUMBER(capture_buffer_bytes, 65536, 1L << 30, "bytes");
	} else if (strcmp(key, "capture-timeout") == 0) {
		NUMBER(capture_timeout_ms, 1, 1000, "milliseconds");
	} else if (strcmp(key, "server") == 0) {
		if (copy(c->server_text, sizeof(c->server_text), val) < 0)
			return "server name too long";
		if (lrp_parse_hostport(val, 0, 0, &c->server, &c->server_len, err, errlen) < 0)
			return err;
	} else if (strcmp(key, "secret-file") == 0) {
		if (copy(c->secret_file, sizeof(c->secret_file), val) < 0)
			return "path too long";
	} else if (strcmp(key, "max-sessions") == 0) {
		NUMBER(max_sessions, 1, 65000, "sessions");
	} else if (strcmp(key, "max-pending") == 0) {
		NUMBER(max_pending, 1, 65000, "connections");
	} else if (strcmp(key, "queue-limit") == 0) {
		NUMBER(queue_limit_bytes, 16384, 64L * 1024 * 1024, "bytes");
	} else if (strcmp(key, "start-timeout") == 0) {
		NUMBER(start_timeout_s, 1, 300, "seconds");
	} else if (strcmp(key, "idle-timeout") == 0) {
		NUMBER(idle_timeout_s, 10, 86400, "seconds");
	} else if (strcmp(key, "keepalive") == 0) {
		NUMBER(keepalive_s, 1, 3600, "seconds");
	} else if (strcmp(key, "user") == 0) {
		if (copy(c->user, sizeof(c->user), val) < 0)
			return "user name too long";
	} else if (strcmp(key, "pidfile") == 0) {
		if (copy(c->pidfile, sizeof(c->pidfile), val) < 0)
			return "path too long";
	} else if (strcmp(key, "status-socket") == 0) {
		if (copy(c->status_socket, sizeof(c->status_socket), val) < 0)
			return "path too long (unix socket paths hold 107 bytes)";
	} else if (strcmp(key, "log-level") == 0) {
		int level = lrp_log_level_parse(val);

		if (level < 0)
			return "log-level is err, warning, notice, info or debug";
		c->log_level = level;
	} else {
		snprintf(err, errlen, "unknown keyword `%s'", key);
		return err;
	}
	return NULL;
#undef NUMBER
}

int
lrp_config_load(struct lrp_config *c, const char *path)
{
	char line[1024], err[512], copyline[1024];
	int lineno = 0, bad = 0;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		lrp_log_config_errno("%s", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *key, *val, *end, *hash;
		const char *why;
		size_t len = strlen(line);

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			int ch;

			lrp_log_config("%s:%d: line too long", path, lineno);
			bad = 1;
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		while (len > 0 && isspace((unsigned char)line[len - 1]))
			line[--len] = '\0';
		len = strlen(line);
		while (len > 0 && isspace((unsigned char)line[len - 1]))
			line[--len] = '\0';
		key = line + strspn(line, " \t");
		if (*key == '\0')
			continue;
		snprintf(copyline, sizeof(copyline), "%s", key);
		val = key + strcspn(key, " \t");
		if (*val != '\0') {
			*val++ = '\0';
			val += strspn(val, " \t");
		}
		if (!known_keyword(key)) {
			lrp_log_config("%s:%d: `%s': unknown keyword `%s'", path, lineno, copyline, key);
			bad = 1;
			continue;
		}
		if (strcmp(key, "insecure-no-secret") == 0) {
			if (*val != '\0') {
				lrp_log_config("%s:%d: `%s': insecure-no-secret takes no value", path, lineno, copyline);
				bad = 1;
			} else
				c->insecure_no_secret = 1;
			continue;
		}
		end = val + strcspn(val, " \t");
		if (*val == '\0' || *end != '\0') {
			lrp_log_config("%s:%d: `%s': expected `%s VALUE'", path, lineno, copyline, key);
			bad = 1;
			continue;
		}
		why = apply(c, key, val, err, sizeof(err));
		if (why != NULL) {
			lrp_log_config("%s:%d: `%s': %s", path, lineno, copyline, why);
			bad = 1;
		}
	}
	fclose(f);
	return bad ? -1 : 0;
}

int
lrp_config_check(const struct lrp_config *c)
{
	int bad = 0;

	if (c->server_text[0] == '\0') {
		lrp_log_config("no `server HOST:PORT': lrp needs the address of the RRP (pptpd's rrp-listen)");
		bad = 1;
	}
	if (c->interface[0] == '\0') {
		lrp_log_config("no `interface NAME': lrp needs the interface its clients' GRE arrives on");
		bad = 1;
	}
	if (c->secret_file[0] == '\0' && !c->insecure_no_secret) {
		lrp_log_config("no `secret-file PATH': the RRP authenticates lrp with a shared secret "
		    "(or set insecure-no-secret, as the server does)");
		bad = 1;
	}
	if (c->listen.ss_family != AF_INET) {
		lrp_log_config("listen %s: PPTP clients are served over IPv4 only", c->listen_text);
		bad = 1;
	}
	return bad ? -1 : 0;
}
