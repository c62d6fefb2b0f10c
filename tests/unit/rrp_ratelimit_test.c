/*
 * rrp_ratelimit_test - the log rate limiter (common/rrp_ratelimit.c):
 * the first line is always written, whatever the clock says; at most
 * `lines` per window; a window starts with the first line allowed after
 * the last one ended; the line that is written says how many were held
 * back since the one before, and that count starts again from nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rrp_ratelimit.h"

static void
the_first_line_is_written_at_any_time(void **state)
{
	struct rrp_ratelimit a = RRP_RATELIMIT_INIT(60000, 1), b = RRP_RATELIMIT_INIT(1000, 1);
	unsigned long n = 99;

	(void)state;
	/* a clock that started less than a window ago, or at 0 */
	assert_int_equal(rrp_ratelimit_allow(&a, 5, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(rrp_ratelimit_allow(&b, 0, NULL), 1);
	assert_int_equal(rrp_ratelimit_allow(&b, 999, NULL), 0);
}

static void
one_line_per_window_counts_the_rest(void **state)
{
	struct rrp_ratelimit r = RRP_RATELIMIT_INIT(10000, 1);
	unsigned long n = 0;
	int i;

	(void)state;
	assert_int_equal(rrp_ratelimit_allow(&r, 100000, &n), 1);
	for (i = 0; i < 7; i++)
		assert_int_equal(rrp_ratelimit_allow(&r, 100000 + i * 1000, &n), 0);
	/* exactly one window after the last line written */
	assert_int_equal(rrp_ratelimit_allow(&r, 110000, &n), 1);
	assert_int_equal(n, 7);
	/* the count started again */
	assert_int_equal(rrp_ratelimit_allow(&r, 110001, &n), 0);
	assert_int_equal(rrp_ratelimit_allow(&r, 200000, &n), 1);
	assert_int_equal(n, 1);
	/* nothing held back: nothing to say */
	assert_int_equal(rrp_ratelimit_allow(&r, 300000, &n), 1);
	assert_int_equal(n, 0);
}

static void
several_lines_per_window(void **state)
{
	struct rrp_ratelimit r = RRP_RATELIMIT_INIT(10000, 5);
	unsigned long n = 0;
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		assert_int_equal(rrp_ratelimit_allow(&r, 1000 + i, &n), 1);
		assert_int_equal(n, 0);
	}
	for (i = 0; i < 3; i++)
		assert_int_equal(rrp_ratelimit_allow(&r, 9000 + i, &n), 0);
	/* the window began with the first line, at 1000 */
	assert_int_equal(rrp_ratelimit_allow(&r, 10999, &n), 0);
	assert_int_equal(rrp_ratelimit_allow(&r, 11000, &n), 1);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(rrp_ratelimit_allow(&r, 11001 + i, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(rrp_ratelimit_allow(&r, 11010, &n), 0);
}

static void
limiters_are_independent(void **state)
{
	struct rrp_ratelimit kind[3] = {
		[0 ... 2] = RRP_RATELIMIT_INIT(1000, 1),
	};

	(void)state;
	assert_int_equal(rrp_ratelimit_allow(&kind[0], 50, NULL), 1);
	assert_int_equal(rrp_ratelimit_allow(&kind[0], 60, NULL), 0);
	assert_int_equal(rrp_ratelimit_allow(&kind[1], 60, NULL), 1);
	assert_int_equal(rrp_ratelimit_allow(&kind[2], 70, NULL), 1);
	assert_int_equal(rrp_ratelimit_allow(&kind[1], 1059, NULL), 0);
	assert_int_equal(rrp_ratelimit_allow(&kind[1], 1060, NULL), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_first_line_is_written_at_any_time),
		cmocka_unit_test(one_line_per_window_counts_the_rest),
		cmocka_unit_test(several_lines_per_window),
		cmocka_unit_test(limiters_are_independent),
	};

	return cmocka_run_group_tests_name("rrp_ratelimit", tests, NULL, NULL);
}
