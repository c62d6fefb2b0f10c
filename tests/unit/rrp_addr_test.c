/*
 * rrp_addr_test - HOST:PORT as the daemons read it and addresses as they
 * print them (common/rrp_addr.c, with common/rrp_number.c for the port):
 * IPv4, IPv6 in brackets, the default port, each fault a text can have
 * and which others it is found with, numeric-only and port 0 for the test
 * tools, and the formatter for both families and any other.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "rrp_addr.h"
#include "rrp_number.h"

static const struct rrp_addr_rules needs_port = { .host_max = 255 };
static const struct rrp_addr_rules listen_1723 = {
	.default_port = 1723, .flags = RRP_ADDR_PASSIVE, .host_max = 255,
};
static const struct rrp_addr_rules numeric = {
	.flags = RRP_ADDR_NUMERIC | RRP_ADDR_PORT_ZERO, .host_max = 46,
};

static unsigned
parse(const char *text, const struct rrp_addr_rules *rules, struct sockaddr_storage *ss,
    struct rrp_addr_text *t)
{
	socklen_t len = 0;
	unsigned faults = rrp_addr_parse(text, rules, ss, &len, t);

	if (faults == 0)
		assert_int_equal(len, ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
		    sizeof(struct sockaddr_in6));
	return faults;
}

static void
ipv4_and_ipv6_with_ports(void **state)
{
	struct sockaddr_storage ss;
	struct rrp_addr_text t;
	char buf[RRP_ADDR_STRLEN];

	(void)state;
	assert_int_equal(parse("192.0.2.7:1724", &needs_port, &ss, &t), 0);
	assert_string_equal(rrp_addr_str((struct sockaddr *)&ss, buf, sizeof(buf)), "192.0.2.7:1724");
	assert_int_equal(parse("[2001:db8::1]:65535", &needs_port, &ss, &t), 0);
	assert_string_equal(rrp_addr_str((struct sockaddr *)&ss, buf, sizeof(buf)),
	    "[2001:db8::1]:65535");
	assert_int_equal(parse("[::]:1", &needs_port, &ss, &t), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
}

static void
the_default_port_fills_in(void **state)
{
	struct sockaddr_storage ss;
	struct rrp_addr_text t;
	char buf[RRP_ADDR_STRLEN];

	(void)state;
	assert_int_equal(parse("10.0.0.1", &listen_1723, &ss, &t), 0);
	assert_string_equal(rrp_addr_str((struct sockaddr *)&ss, buf, sizeof(buf)), "10.0.0.1:1723");
	assert_int_equal(parse("10.0.0.1:", &listen_1723, &ss, &t), 0);
	assert_string_equal(rrp_addr_str((struct sockaddr *)&ss, buf, sizeof(buf)), "10.0.0.1:1723");
	assert_int_equal(parse("[fd00::1]", &listen_1723, &ss, &t), 0);
	assert_string_equal(rrp_addr_str((struct sockaddr *)&ss, buf, sizeof(buf)), "[fd00::1]:1723");
	assert_int_equal(parse("0.0.0.0:99", &listen_1723, &ss, &t), 0);
	assert_string_equal(rrp_addr_str((struct sockaddr *)&ss, buf, sizeof(buf)), "0.0.0.0:99");
}

static void
each_fault_is_named(void **state)
{
	struct sockaddr_storage ss;
	struct rrp_addr_text t;
	char long_host[300];

	(void)state;
	assert_int_equal(parse("[::1:1724", &needs_port, &ss, &t), RRP_ADDR_UNCLOSED);
	assert_int_equal(parse("fd00::1:1724", &needs_port, &ss, &t), RRP_ADDR_BARE_V6);
	assert_int_equal(parse("[::1]x", &needs_port, &ss, &t), RRP_ADDR_AFTER_CLOSE);
	assert_int_equal(parse("[::1]x", &listen_1723, &ss, &t), RRP_ADDR_AFTER_CLOSE);
	assert_int_equal(parse("[::1]", &needs_port, &ss, &t), RRP_ADDR_NO_PORT);
	assert_int_equal(parse("10.0.0.1", &needs_port, &ss, &t), RRP_ADDR_NO_COLON);
	assert_int_equal(parse("10.0.0.1:", &needs_port, &ss, &t), RRP_ADDR_EMPTY_PORT);
	assert_int_equal(parse("[::1]:", &needs_port, &ss, &t), RRP_ADDR_EMPTY_PORT);
	assert_int_equal(parse("10.0.0.1:0", &needs_port, &ss, &t), RRP_ADDR_BAD_PORT);
	assert_string_equal(t.port, "0");
	assert_int_equal(parse("10.0.0.1:65536", &needs_port, &ss, &t), RRP_ADDR_BAD_PORT);
	assert_int_equal(parse("10.0.0.1:pptp", &needs_port, &ss, &t), RRP_ADDR_BAD_PORT);
	assert_string_equal(t.port, "pptp");
	assert_int_equal(parse("10.0.0.1:99999999999999999999", &needs_port, &ss, &t),
	    RRP_ADDR_BAD_PORT);
	assert_int_equal(parse(":1723", &needs_port, &ss, &t), RRP_ADDR_BAD_HOST);
	memset(long_host, 'a', 256);
	strcpy(long_host + 256, ":1");
	assert_int_equal(parse(long_host, &needs_port, &ss, &t), RRP_ADDR_BAD_HOST);
	/* a name the resolver refuses (numeric only: no DNS in a unit
	 * test): what it said is kept */
	assert_int_equal(parse("no-such-host.invalid:1", &numeric, &ss, &t), RRP_ADDR_RESOLVE);
	assert_string_equal(t.host, "no-such-host.invalid");
	assert_int_not_equal(t.gai_error, 0);
}

static void
faults_found_together(void **state)
{
	struct sockaddr_storage ss;
	struct rrp_addr_text t;

	(void)state;
	/* the callers choose which to name: lrp.conf(5) and pptpd.conf(5)
	 * word these differently */
	assert_int_equal(parse("", &needs_port, &ss, &t), RRP_ADDR_BAD_HOST | RRP_ADDR_NO_COLON);
	assert_int_equal(parse("[]", &needs_port, &ss, &t), RRP_ADDR_BAD_HOST | RRP_ADDR_NO_PORT);
	assert_int_equal(parse("[]x", &needs_port, &ss, &t), RRP_ADDR_BAD_HOST | RRP_ADDR_AFTER_CLOSE);
	assert_int_equal(parse(":", &needs_port, &ss, &t), RRP_ADDR_BAD_HOST | RRP_ADDR_EMPTY_PORT);
	assert_int_equal(parse(":0", &needs_port, &ss, &t), RRP_ADDR_BAD_HOST | RRP_ADDR_BAD_PORT);
	assert_int_equal(parse("[]", &listen_1723, &ss, &t), RRP_ADDR_BAD_HOST);
}

static void
host_max_is_the_callers(void **state)
{
	static const struct rrp_addr_rules short_hosts = { .host_max = 8 };
	struct sockaddr_storage ss;
	struct rrp_addr_text t;

	(void)state;
	assert_int_equal(parse("10.0.0.1:1", &short_hosts, &ss, &t), 0);
	assert_int_equal(parse("10.0.0.10:1", &short_hosts, &ss, &t), RRP_ADDR_BAD_HOST);
}

static void
numeric_only_and_port_zero(void **state)
{
	struct sockaddr_storage ss;
	struct rrp_addr_text t;
	char buf[RRP_ADDR_STRLEN];

	(void)state;
	assert_int_equal(parse("127.0.0.1:0", &numeric, &ss, &t), 0);
	assert_string_equal(rrp_addr_str((struct sockaddr *)&ss, buf, sizeof(buf)), "127.0.0.1:0");
	assert_int_equal(parse("[::]:0", &numeric, &ss, &t), 0);
	assert_int_equal(parse("localhost:1", &numeric, &ss, &t), RRP_ADDR_RESOLVE);
	assert_int_equal(parse("127.0.0.1", &numeric, &ss, &t), RRP_ADDR_NO_COLON);
	assert_int_equal(parse("127.0.0.1:-1", &numeric, &ss, &t), RRP_ADDR_BAD_PORT);
}

static void
formatting(void **state)
{
	struct in_addr a4;
	struct in6_addr a6;
	struct sockaddr sa = { .sa_family = AF_UNIX };
	char buf[RRP_ADDR_STRLEN], small[8];

	(void)state;
	assert_int_equal(inet_pton(AF_INET, "198.51.100.9", &a4), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", &a6), 1);
	assert_string_equal(rrp_addr_format(AF_INET, &a4, 50123, buf, sizeof(buf)),
	    "198.51.100.9:50123");
	/* the longest there is fits */
	assert_string_equal(rrp_addr_format(AF_INET6, &a6, 65535, buf, sizeof(buf)),
	    "[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
	assert_string_equal(rrp_addr_str(&sa, buf, sizeof(buf)), "(address family 1)");
	/* a short buffer is cut, and terminated */
	assert_string_equal(rrp_addr_format(AF_INET, &a4, 1, small, sizeof(small)), "198.51.");
	assert_string_equal(rrp_addr_format(AF_INET, &a4, 1, NULL, 0), "");
}

static void
numbers(void **state)
{
	long v = -5;

	(void)state;
	assert_int_equal(rrp_number_parse("300", 1, 300, &v), 0);
	assert_int_equal(v, 300);
	assert_int_equal(rrp_number_parse("301", 1, 300, &v), -1);
	assert_int_equal(rrp_number_parse("0", 1, 300, &v), -1);
	assert_int_equal(rrp_number_parse("-1", -1, 300, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(rrp_number_parse("", 0, 300, &v), -1);
	assert_int_equal(rrp_number_parse("10x", 0, 300, &v), -1);
	assert_int_equal(rrp_number_parse("99999999999999999999", 0, 1L << 30, &v), -1);
	assert_int_equal(v, -1);	/* untouched by a refusal */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4_and_ipv6_with_ports),
		cmocka_unit_test(the_default_port_fills_in),
		cmocka_unit_test(each_fault_is_named),
		cmocka_unit_test(faults_found_together),
		cmocka_unit_test(host_max_is_the_callers),
		cmocka_unit_test(numeric_only_and_port_zero),
		cmocka_unit_test(formatting),
		cmocka_unit_test(numbers),
	};

	return cmocka_run_group_tests_name("rrp_addr", tests, NULL, NULL);
}
