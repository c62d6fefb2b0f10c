/*
 * fuzz_lrp_conf - lrp.conf as an operator (or a broken deployment) may
 * write it, through lrp_config_load() and lrp_config_check(), the code
 * lrp(8) runs at start and on SIGHUP.  Their error messages are formatted
 * in full (so a bad format argument shows) and then dropped, instead of
 * going to stderr and syslog.
 *
 * Properties: a load that succeeded left every setting within its
 * documented range (lrp.conf(5)) and every string terminated.
 */
#include <string.h>
#include <syslog.h>

#include "fuzz_config.h"
#include "fuzz_target.h"
#include "lrp_config.h"
#include "lrp_log.h"

/* lrp_log.c's settings, quiet: every line is formatted, then dropped. */
struct rrp_logger lrp_log_settings = {
	.name = "lrp", .syslog_prefix = "", .level = LOG_DEBUG, .sink = fuzz_config_log,
};

static void
check_terminated(const char *s, size_t cap)
{
	FUZZ_ASSERT(memchr(s, '\0', cap) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lrp_config c;

	lrp_config_defaults(&c);
	if (lrp_config_load(&c, fuzz_config_file(data, size)) == 0) {
		FUZZ_ASSERT(c.capture_mode == LRP_CAPTURE_IMMEDIATE ||
		    c.capture_mode == LRP_CAPTURE_BLOCK);
		FUZZ_ASSERT(c.capture_buffer_bytes >= 65536 &&
		    c.capture_buffer_bytes <= (1UL << 30));
		FUZZ_ASSERT(c.capture_timeout_ms >= 1 && c.capture_timeout_ms <= 1000);
		FUZZ_ASSERT(c.max_sessions >= 1 && c.max_sessions <= 65000);
		FUZZ_ASSERT(c.queue_limit_bytes >= 16384 &&
		    c.queue_limit_bytes <= 64UL * 1024 * 1024);
		FUZZ_ASSERT(c.start_timeout_s >= 1 && c.start_timeout_s <= 300);
		FUZZ_ASSERT(c.idle_timeout_s >= 10 && c.idle_timeout_s <= 86400);
		FUZZ_ASSERT(c.keepalive_s >= 1 && c.keepalive_s <= 3600);
		FUZZ_ASSERT(strcmp(lrp_log_level_name(c.log_level), "?") != 0);
		FUZZ_ASSERT(c.listen_len <= sizeof(c.listen));
		FUZZ_ASSERT(c.server_len <= sizeof(c.server));
		(void)lrp_config_check(&c);
	}
	check_terminated(c.listen_text, sizeof(c.listen_text));
	check_terminated(c.interface, sizeof(c.interface));
	check_terminated(c.server_text, sizeof(c.server_text));
	check_terminated(c.secret_file, sizeof(c.secret_file));
	check_terminated(c.user, sizeof(c.user));
	check_terminated(c.pidfile, sizeof(c.pidfile));
	check_terminated(c.status_socket, sizeof(c.status_socket));
	return 0;
}
