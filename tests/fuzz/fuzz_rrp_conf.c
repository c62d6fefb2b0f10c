/*
 * fuzz_rrp_conf - the rrp-* lines of a pptpd.conf, through the RRP's own
 * reader rrp_config_file() (pptpd/rrp_config.c, which pptpd runs at start
 * over the whole file, pptpd's own keywords included) and, when no secret
 * file is named (the harness reads no path the input makes up),
 * rrp_config_finish().  Messages are formatted in full and dropped.
 *
 * Properties: a file read without error left every setting in its range
 * (pptpd.conf(5)) and at most RRP_LISTEN_MAX addresses, each a real
 * IPv4 or IPv6 socket address.
 */
#include <netinet/in.h>
#include <string.h>

#include "fuzz_config.h"
#include "fuzz_target.h"
#include "rrp_config.h"
#include "rrp_log.h"

/* rrp_log.c's settings, quiet: every line is formatted, then dropped. */
const struct rrp_logger rrp_log_settings = {
	.name = "pptpd", .syslog_prefix = "RRP: ", .level = LOG_DEBUG, .sink = fuzz_config_log,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int i;

	/* pptpd's start: the defaults, no --rrp-* flags */
	memset(&rrp_config, 0, sizeof(rrp_config));
	rrp_config.handshake_timeout_s = RRP_HANDSHAKE_TIMEOUT_DEFAULT;
	rrp_config.keepalive_s = RRP_KEEPALIVE_DEFAULT;
	rrp_config.queue_limit_bytes = RRP_QUEUE_LIMIT_DEFAULT;

	(void)rrp_config_file(fuzz_config_file(data, size));
	FUZZ_ASSERT(rrp_config.nlisten >= 0 && rrp_config.nlisten <= RRP_LISTEN_MAX);
	FUZZ_ASSERT(rrp_config.handshake_timeout_s >= 1 && rrp_config.handshake_timeout_s <= 300);
	FUZZ_ASSERT(rrp_config.keepalive_s >= 1 && rrp_config.keepalive_s <= 3600);
	FUZZ_ASSERT(rrp_config.queue_limit_bytes >= 16384 &&
	    rrp_config.queue_limit_bytes <= 64UL * 1024 * 1024);
	FUZZ_ASSERT(memchr(rrp_config.secret_file, '\0', sizeof(rrp_config.secret_file)) != NULL);
	for (i = 0; i < rrp_config.nlisten; i++) {
		const struct rrp_listen_addr *a = &rrp_config.listen[i];
		char buf[128];

		FUZZ_ASSERT((a->addr.ss_family == AF_INET &&
		    a->addr_len == sizeof(struct sockaddr_in)) ||
		    (a->addr.ss_family == AF_INET6 &&
		    a->addr_len == sizeof(struct sockaddr_in6)));
		FUZZ_ASSERT(memchr(a->text, '\0', sizeof(a->text)) != NULL);
		(void)rrp_addr_str((const struct sockaddr *)&a->addr, buf, sizeof(buf));
		FUZZ_ASSERT(memchr(buf, '\0', sizeof(buf)) != NULL);
	}
	if (rrp_config.secret_file[0] == '\0')
		(void)rrp_config_finish();
	return 0;
}
