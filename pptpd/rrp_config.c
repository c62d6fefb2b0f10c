/*
 * rrp_config.c - parse and check the RRP's settings.
 *
 * pptpd's own config reader returns the first line of a keyword only and
 * ignores keywords it does not know; rrp-listen repeats, and a mistyped
 * rrp option must be reported rather than silently ignored (an RRP that
 * quietly does not listen, or listens without its secret, is worse than
 * one that refuses to start).  So the rrp-* lines get this reader.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rrp_addr.h"
#include "rrp_config.h"
#include "rrp_log.h"
#include "rrp_number.h"

struct rrp_config rrp_config = {
	.handshake_timeout_s = RRP_HANDSHAKE_TIMEOUT_DEFAULT,
	.keepalive_s = RRP_KEEPALIVE_DEFAULT,
	.queue_limit_bytes = RRP_QUEUE_LIMIT_DEFAULT,
	.max_pending = RRP_MAX_PENDING_DEFAULT,
	.rrp_max_pending = RRP_MAX_PENDING_DEFAULT,
};

/* What came from the command line: the file does not override it. */
static int cmdline_listen, cmdline_secret, cmdline_handshake, cmdline_keepalive,
    cmdline_queue, cmdline_max_pending, cmdline_rrp_max_pending;

static const char *const keywords[] = {
	"rrp-listen", "rrp-secret-file", "rrp-insecure-no-secret",
	"rrp-handshake-timeout", "rrp-keepalive", "rrp-queue-limit",
	"max-pending", "rrp-max-pending",
};

/* What is wrong with an rrp-listen address, in pptpd.conf(5)'s terms. */
static void
listen_fault(const char *text, unsigned faults, const struct rrp_addr_text *t, char *err,
    size_t errlen)
{
	if (faults & (RRP_ADDR_UNCLOSED | RRP_ADDR_AFTER_CLOSE | RRP_ADDR_NO_PORT))
		snprintf(err, errlen, "`%s' is not ADDR:PORT ([IPv6]:PORT needs the brackets and a port)", text);
	else if (faults & (RRP_ADDR_BARE_V6 | RRP_ADDR_NO_COLON))
		snprintf(err, errlen, "`%s' is not ADDR:PORT (write IPv6 addresses as [ADDR]:PORT)", text);
	else if (faults & RRP_ADDR_BAD_HOST)
		snprintf(err, errlen, "`%s' is not ADDR:PORT", text);
	else if (faults & (RRP_ADDR_EMPTY_PORT | RRP_ADDR_BAD_PORT))
		snprintf(err, errlen, "`%s': port `%s' is not a number in 1..65535", text, t->port);
	else
		snprintf(err, errlen, "`%s': cannot resolve `%s': %s", text, t->host,
		    gai_strerror(t->gai_error));
}

int
rrp_parse_listen(const char *text, struct rrp_listen_addr *out, char *err,
    size_t errlen)
{
	static const struct rrp_addr_rules rules = {
		.flags = RRP_ADDR_PASSIVE | RRP_ADDR_ADDRCONFIG, .host_max = 127,
	};
	struct rrp_addr_text t;
	unsigned faults;

	memset(out, 0, sizeof(*out));
	faults = rrp_addr_parse(text, &rules, &out->addr, &out->addr_len, &t);
	if (faults != 0) {
		listen_fault(text, faults, &t, err, errlen);
		return -1;
	}
	snprintf(out->text, sizeof(out->text), "%s", text);
	return 0;
}

/* Apply one setting; where names the source ("--rrp-listen",
 * "/etc/pptpd.conf:12") for the error message. */
static int
apply(int opt, const char *arg, const char *where)
{
	char err[256];
	long v;

	switch (opt) {
	case RRP_OPT_LISTEN:
		if (rrp_config.nlisten >= RRP_LISTEN_MAX) {
			rrp_log_config("%s: more than %d rrp-listen addresses", where, RRP_LISTEN_MAX);
			return -1;
		}
		if (rrp_parse_listen(arg, &rrp_config.listen[rrp_config.nlisten], err, sizeof(err)) < 0) {
			rrp_log_config("%s: rrp-listen %s", where, err);
			return -1;
		}
		rrp_config.nlisten++;
		return 0;
	case RRP_OPT_SECRET_FILE:
		if (*arg == '\0' || strlen(arg) >= sizeof(rrp_config.secret_file)) {
			rrp_log_config("%s: rrp-secret-file needs a path", where);
			return -1;
		}
		snprintf(rrp_config.secret_file, sizeof(rrp_config.secret_file), "%s", arg);
		return 0;
	case RRP_OPT_INSECURE_NO_SECRET:
		rrp_config.insecure_no_secret = 1;
		return 0;
	case RRP_OPT_HANDSHAKE_TIMEOUT:
		if (rrp_number_parse(arg, 1, 300, &v) < 0) {
			rrp_log_config("%s: rrp-handshake-timeout `%s' is not a number of seconds in 1..300", where, arg);
			return -1;
		}
		rrp_config.handshake_timeout_s = (int)v;
		return 0;
	case RRP_OPT_KEEPALIVE:
		if (rrp_number_parse(arg, 1, 3600, &v) < 0) {
			rrp_log_config("%s: rrp-keepalive `%s' is not a number of seconds in 1..3600", where, arg);
			return -1;
		}
		rrp_config.keepalive_s = (int)v;
		return 0;
	case RRP_OPT_QUEUE_LIMIT:
		if (rrp_number_parse(arg, 16384, 64L * 1024 * 1024, &v) < 0) {
			rrp_log_config("%s: rrp-queue-limit `%s' is not a number of bytes in 16384..67108864", where, arg);
			return -1;
		}
		rrp_config.queue_limit_bytes = (size_t)v;
		return 0;
	case RRP_OPT_MAX_PENDING:
	case RRP_OPT_RRP_MAX_PENDING:
		if (rrp_number_parse(arg, 1, 10000, &v) < 0) {
			rrp_log_config("%s: %s `%s' is not a number of connections in 1..10000", where,
			    keywords[opt - RRP_OPT_LISTEN], arg);
			return -1;
		}
		if (opt == RRP_OPT_MAX_PENDING)
			rrp_config.max_pending = (int)v;
		else
			rrp_config.rrp_max_pending = (int)v;
		return 0;
	}
	rrp_log_config("%s: internal error: unknown rrp option %d", where, opt);
	return -1;
}

int
rrp_config_option(int opt, const char *arg)
{
	const char *name = keywords[opt - RRP_OPT_LISTEN];
	char where[64];

	snprintf(where, sizeof(where), "--%s", name);
	switch (opt) {
	case RRP_OPT_LISTEN:
		/* the command line replaces the file's list, so start it */
		if (!cmdline_listen)
			rrp_config.nlisten = 0;
		cmdline_listen = 1;
		break;
	case RRP_OPT_SECRET_FILE: cmdline_secret = 1; break;
	case RRP_OPT_HANDSHAKE_TIMEOUT: cmdline_handshake = 1; break;
	case RRP_OPT_KEEPALIVE: cmdline_keepalive = 1; break;
	case RRP_OPT_QUEUE_LIMIT: cmdline_queue = 1; break;
	case RRP_OPT_MAX_PENDING: cmdline_max_pending = 1; break;
	case RRP_OPT_RRP_MAX_PENDING: cmdline_rrp_max_pending = 1; break;
	}
	return apply(opt, arg ? arg : "", where);
}

/* The known keyword closest to a mistyped one, for the error message. */
static const char *
closest_keyword(const char *word)
{
	const char *best = NULL;
	size_t i, best_score = 0;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const char *k = keywords[i];
		size_t score = 0, j;

		for (j = 0; word[j] && k[j] && word[j] == k[j]; j++)
			score++;
		if (score > best_score) {
			best_score = score;
			best = k;
		}
	}
	return best_score > 4 ? best : NULL;
}

int
rrp_config_file(const char *path)
{
	char line[1024], where[1100];
	int lineno = 0, bad = 0;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL)
		return 0;	/* as pptpd: no config file, defaults apply */
	while (fgets(line, sizeof(line), f) != NULL) {
		char *word, *value, *end;
		size_t i, len = strlen(line);
		int opt = -1;

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			int c;

			if (strncmp(line, "rrp", 3) == 0) {
				rrp_log_config("%s:%d: line too long", path, lineno);
				bad = 1;
			}
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
		    line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		word = line;
		if (strncmp(word, "rrp", 3) != 0 &&
		    !(strncmp(word, "max-pending", 11) == 0 && strchr(" \t", word[11]) != NULL))
			continue;	/* pptpd's own keyword, comment or blank */
		value = word + strcspn(word, " \t");
		if (*value != '\0') {
			*value++ = '\0';
			value += strspn(value, " \t");
		}
		for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (strcmp(word, keywords[i]) == 0)
				opt = RRP_OPT_LISTEN + (int)i;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		if (opt < 0) {
			const char *near = closest_keyword(word);

			rrp_log_config("%s: unknown option `%s'%s%s%s", where, word,
			    near ? " (did you mean `" : "", near ? near : "", near ? "'?)" : "");
			bad = 1;
			continue;
		}
		if (opt == RRP_OPT_INSECURE_NO_SECRET) {
			if (*value != '\0') {
				rrp_log_config("%s: rrp-insecure-no-secret takes no value (got `%s')", where, value);
				bad = 1;
			} else
				rrp_config.insecure_no_secret = 1;
			continue;
		}
		if (*value == '\0') {
			rrp_log_config("%s: %s needs a value", where, word);
			bad = 1;
			continue;
		}
		/* a value is one word; "rrp-listen a b" is a mistake */
		end = value + strcspn(value, " \t");
		if (*end != '\0') {
			rrp_log_config("%s: %s takes one value, got `%s'", where, word, value);
			bad = 1;
			continue;
		}
		if ((opt == RRP_OPT_LISTEN && cmdline_listen) ||
		    (opt == RRP_OPT_SECRET_FILE && cmdline_secret) ||
		    (opt == RRP_OPT_HANDSHAKE_TIMEOUT && cmdline_handshake) ||
		    (opt == RRP_OPT_KEEPALIVE && cmdline_keepalive) ||
		    (opt == RRP_OPT_QUEUE_LIMIT && cmdline_queue) ||
		    (opt == RRP_OPT_MAX_PENDING && cmdline_max_pending) ||
		    (opt == RRP_OPT_RRP_MAX_PENDING && cmdline_rrp_max_pending))
			continue;	/* the command line wins */
		if (apply(opt, value, where) < 0)
			bad = 1;
	}
	fclose(f);
	return bad ? -1 : 0;
}

int
rrp_config_finish(void)
{
	char err[512];
	int i, j;

	if (rrp_config.nlisten == 0) {
		if (rrp_config.secret_file[0] != '\0')
			rrp_log(LOG_WARNING, "rrp-secret-file is set but there is no rrp-listen: the RRP is off");
		return 0;
	}
	for (i = 0; i < rrp_config.nlisten; i++)
		for (j = 0; j < i; j++)
			if (rrp_config.listen[i].addr_len == rrp_config.listen[j].addr_len &&
			    memcmp(&rrp_config.listen[i].addr, &rrp_config.listen[j].addr,
			    rrp_config.listen[i].addr_len) == 0) {
				rrp_log_config("rrp-listen %s is given twice", rrp_config.listen[i].text);
				return -1;
			}
	if (rrp_config.secret_file[0] != '\0') {
		if (rrp_secret_load(rrp_config.secret_file, geteuid(), &rrp_config.secret, err, sizeof(err)) < 0) {
			rrp_log_config("rrp-secret-file: %s", err);
			return -1;
		}
		if (rrp_config.insecure_no_secret)
			rrp_log(LOG_WARNING, "rrp-insecure-no-secret ignored: rrp-secret-file %s is set",
			    rrp_config.secret_file);
		rrp_config.insecure_no_secret = 0;
		return 0;
	}
	if (!rrp_config.insecure_no_secret) {
		rrp_log_config("rrp-listen needs rrp-secret-file (a file of 16..1024 secret bytes, owned by root, mode 0600), "
		    "or rrp-insecure-no-secret to let anyone who reaches the port start sessions");
		return -1;
	}
	memcpy(rrp_config.secret.bytes, RRP_INSECURE_SECRET, sizeof(RRP_INSECURE_SECRET) - 1);
	rrp_config.secret.len = sizeof(RRP_INSECURE_SECRET) - 1;
	rrp_log(LOG_WARNING, "rrp-insecure-no-secret: LRP tunnels are NOT authenticated; "
	    "anyone who can reach the rrp-listen ports can start PPTP sessions");
	return 0;
}

void
rrp_config_usage(void)
{
	printf(" [--rrp-listen ADDR:PORT]  Accept Local Route Proxy tunnels here (repeatable;\n");
	printf("                           192.0.2.1:1724, [2001:db8::1]:1724, [::]:1724).\n");
	printf(" [--rrp-secret-file PATH]  Shared secret the LRPs authenticate with\n"
	    "                           (owned by root, mode 0600 or 0400).\n");
	printf(" [--rrp-insecure-no-secret] Accept tunnels without a secret (INSECURE).\n");
	printf(" [--rrp-handshake-timeout s] Time an LRP has to authenticate (default %d).\n",
	    RRP_HANDSHAKE_TIMEOUT_DEFAULT);
	printf(" [--rrp-keepalive s]       Tunnel keepalive interval, idle timeout 3x (default %d).\n",
	    RRP_KEEPALIVE_DEFAULT);
	printf(" [--rrp-queue-limit bytes] GRE queued per tunnel before dropping (default %d).\n",
	    RRP_QUEUE_LIMIT_DEFAULT);
	printf(" [--max-pending n]         1723 connections still sending their first packet\n");
	printf("                           before the oldest is closed (default %d).\n",
	    RRP_MAX_PENDING_DEFAULT);
	printf(" [--rrp-max-pending n]     The same for rrp-listen tunnels (default %d).\n",
	    RRP_MAX_PENDING_DEFAULT);
}
