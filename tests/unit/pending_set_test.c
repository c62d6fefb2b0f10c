/*
 * pending_set_test - which waiting connection a full listener closes
 * (common/pending_set.c): the oldest from the address with the most
 * waiting, never one from a less busy address; none before it has waited
 * the grace, unless its address is flooding (had one closed so), a mark
 * that new connections from it inherit and that goes when none of them
 * waits any more, or it is alone from its address while the listener is
 * under a flood (closed one in the last PENDING_FLOOD_MEMORY_MS); counts
 * follow connections in and out; IPv4 and IPv6 addresses are told apart,
 * ports are not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "pending_set.h"

#define N	16

static struct pending_set set;
static struct pending_entry e[N];

static int
setup(void **state)
{
	(void)state;
	memset(e, 0, sizeof(e));
	pending_set_init(&set);
	return 0;
}

static void
add4(int i, const char *ip, uint16_t port, int64_t now)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };

	assert_int_equal(inet_pton(AF_INET, ip, &sa.sin_addr), 1);
	pending_set_add(&set, &e[i], (struct sockaddr *)&sa, now);
}

static void
add6(int i, const char *ip, int64_t now)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(1) };

	assert_int_equal(inet_pton(AF_INET6, ip, &sa.sin6_addr), 1);
	pending_set_add(&set, &e[i], (struct sockaddr *)&sa, now);
}

static void
the_busiest_address_loses_its_oldest(void **state)
{
	(void)state;
	add4(0, "192.0.2.1", 1000, 0);		/* the oldest of all, alone */
	add4(1, "192.0.2.2", 1000, 10);
	add4(2, "192.0.2.2", 1001, 20);		/* same host, other port */
	add4(3, "192.0.2.2", 1002, 30);
	add4(4, "192.0.2.3", 1000, 40);
	assert_int_equal(set.n, 5);
	assert_int_equal(e[0].host_waiting, 1);
	assert_int_equal(e[3].host_waiting, 3);
	assert_ptr_equal(pending_set_victim(&set), &e[1]);
	pending_set_remove(&set, &e[1]);
	assert_int_equal(e[2].host_waiting, 2);
	assert_ptr_equal(pending_set_victim(&set), &e[2]);
	pending_set_remove(&set, &e[2]);
	/* every address waits once: the oldest of all */
	assert_ptr_equal(pending_set_victim(&set), &e[0]);
	assert_int_equal(set.n, 3);
}

static void
none_is_closed_within_the_grace(void **state)
{
	int64_t until;

	(void)state;
	add4(0, "192.0.2.1", 1000, 5000);
	assert_int_equal(pending_set_may_close(&set, &e[0], 5000, &until), 0);
	assert_int_equal(until, 5000 + PENDING_GRACE_MS);
	assert_int_equal(pending_set_may_close(&set, &e[0], 5000 + PENDING_GRACE_MS - 1, &until), 0);
	assert_int_equal(pending_set_may_close(&set, &e[0], 5000 + PENDING_GRACE_MS, &until), 1);
	/* a step further (a tunnel's HELLO answered): the grace again */
	pending_set_progress(&e[0], 7000);
	assert_int_equal(pending_set_may_close(&set, &e[0], 7000 + PENDING_GRACE_MS - 1, &until), 0);
	assert_int_equal(until, 7000 + PENDING_GRACE_MS);
}

static void
a_flooding_address_gets_no_grace(void **state)
{
	int64_t until, t = 10000;

	(void)state;
	add4(0, "198.51.100.9", 1, 0);		/* a client elsewhere */
	add4(1, "203.0.113.5", 1, 100);
	add4(2, "203.0.113.5", 2, t);
	assert_ptr_equal(pending_set_victim(&set), &e[1]);
	assert_string_equal(pending_set_why(&set, &e[1], t), "silent past the grace");
	pending_set_closing(&set, &e[1], t);
	pending_set_remove(&set, &e[1]);
	/* its others, and the ones that come while any of them waits */
	assert_int_equal(pending_set_may_close(&set, &e[2], t, &until), 1);
	add4(3, "203.0.113.5", 3, t + 1);
	assert_int_equal(pending_set_may_close(&set, &e[3], t + 1, &until), 1);
	assert_string_equal(pending_set_why(&set, &e[3], t + 1), "its address flooding");
	/* but not the other address's, while it has several waiting */
	assert_int_equal(e[0].flooding, 0);
	add4(4, "198.51.100.9", 2, t + 1);
	assert_int_equal(pending_set_may_close(&set, &e[4], t + 1, &until), 0);
	/* none from it waits any more: the mark is gone (its new ones, two
	 * of them, not alone in the flood, have their grace again) */
	pending_set_remove(&set, &e[2]);
	pending_set_remove(&set, &e[3]);
	add4(5, "203.0.113.5", 4, t + 2);
	add4(6, "203.0.113.5", 5, t + 2);
	assert_int_equal(e[5].flooding, 0);
	assert_int_equal(pending_set_may_close(&set, &e[5], t + 2, &until), 0);
}

static void
in_a_flood_one_alone_from_its_address_gets_no_grace(void **state)
{
	int64_t until, t = 20000;
	int i;

	(void)state;
	/* many addresses, one connection each: nobody is flooding yet */
	for (i = 0; i < 4; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "203.0.113.%d", i + 1);
		add4(i, ip, 1, t + i);
	}
	assert_ptr_equal(pending_set_victim(&set), &e[0]);
	assert_int_equal(pending_set_may_close(&set, &e[0], t + 10, &until), 0);
	/* the oldest, silent past its grace, goes: a flood is on */
	assert_int_equal(pending_set_may_close(&set, &e[0], t + PENDING_GRACE_MS, &until), 1);
	pending_set_closing(&set, &e[0], t + PENDING_GRACE_MS);
	pending_set_remove(&set, &e[0]);
	add4(4, "203.0.113.50", 1, t + PENDING_GRACE_MS);
	assert_int_equal(pending_set_may_close(&set, &e[4], t + PENDING_GRACE_MS, &until), 1);
	assert_string_equal(pending_set_why(&set, &e[4], t + PENDING_GRACE_MS), "alone from its address in a flood");
	/* an address with several waiting (a NAT's burst) keeps its grace */
	add4(5, "198.51.100.1", 1, t + PENDING_GRACE_MS);
	add4(6, "198.51.100.1", 2, t + PENDING_GRACE_MS);
	assert_int_equal(pending_set_may_close(&set, &e[5], t + PENDING_GRACE_MS, &until), 0);
	/* closing keeps the flood on; PENDING_FLOOD_MEMORY_MS after the
	 * last one it is over */
	pending_set_closing(&set, &e[4], t + 2000);
	pending_set_remove(&set, &e[4]);
	add4(7, "203.0.113.60", 1, t + 2000 + PENDING_FLOOD_MEMORY_MS - 1);
	assert_int_equal(pending_set_may_close(&set, &e[7], t + 2000 + PENDING_FLOOD_MEMORY_MS - 1, &until), 1);
	assert_int_equal(pending_set_may_close(&set, &e[7], t + 2000 + PENDING_FLOOD_MEMORY_MS, &until), 0);
}

static void
families_are_told_apart(void **state)
{
	(void)state;
	add6(0, "2001:db8::1", 0);
	add6(1, "2001:db8::1", 1);
	add6(2, "2001:db8::2", 2);
	add4(3, "192.0.2.1", 1, 3);
	assert_int_equal(e[0].host_waiting, 2);
	assert_int_equal(e[2].host_waiting, 1);
	assert_int_equal(e[3].host_waiting, 1);
	assert_ptr_equal(pending_set_victim(&set), &e[0]);
}

static void
removing_twice_or_from_empty_is_harmless(void **state)
{
	(void)state;
	assert_null(pending_set_victim(&set));
	add4(0, "192.0.2.1", 1, 0);
	add4(1, "192.0.2.1", 2, 0);
	pending_set_remove(&set, &e[0]);
	pending_set_remove(&set, &e[0]);
	assert_int_equal(set.n, 1);
	assert_int_equal(e[1].host_waiting, 1);
	pending_set_remove(&set, &e[1]);
	assert_int_equal(set.n, 0);
	assert_null(pending_set_victim(&set));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(the_busiest_address_loses_its_oldest, setup),
		cmocka_unit_test_setup(none_is_closed_within_the_grace, setup),
		cmocka_unit_test_setup(a_flooding_address_gets_no_grace, setup),
		cmocka_unit_test_setup(in_a_flood_one_alone_from_its_address_gets_no_grace, setup),
		cmocka_unit_test_setup(families_are_told_apart, setup),
		cmocka_unit_test_setup(removing_twice_or_from_empty_is_harmless, setup),
	};

	return cmocka_run_group_tests_name("pending_set", tests, NULL, NULL);
}
