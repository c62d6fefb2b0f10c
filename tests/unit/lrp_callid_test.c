/*
 * lrp_callid_test - the LRP's Call IDs: unique among its sessions, never 0
 * or 0xffff, handed out in increasing order so a freed ID is reused last,
 * and all 65534 usable before the table says it is full.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lrp_callid.h"

static struct lrp_callids *c;
static struct lrp_session *const S1 = (struct lrp_session *)0x1000;
static struct lrp_session *const S2 = (struct lrp_session *)0x2000;

static int
setup(void **state)
{
	(void)state;
	c = malloc(sizeof(*c));
	return c == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(c);
	return 0;
}

static void
ids_are_unique_and_found(void **state)
{
	uint16_t a, b;

	(void)state;
	lrp_callids_init(c, 100);
	assert_int_equal(lrp_callid_alloc(c, S1, &a), 0);
	assert_int_equal(lrp_callid_alloc(c, S2, &b), 0);
	assert_int_not_equal(a, b);
	assert_ptr_equal(lrp_callid_lookup(c, a), S1);
	assert_ptr_equal(lrp_callid_lookup(c, b), S2);
	assert_null(lrp_callid_lookup(c, (uint16_t)(b + 1)));
	lrp_callid_free(c, a);
	assert_null(lrp_callid_lookup(c, a));
	assert_ptr_equal(lrp_callid_lookup(c, b), S2);
}

static void
zero_and_ffff_are_skipped(void **state)
{
	uint16_t a, b;

	(void)state;
	lrp_callids_init(c, 0xfffe);
	assert_int_equal(lrp_callid_alloc(c, S1, &a), 0);
	assert_int_equal(a, 0xfffe);
	assert_int_equal(lrp_callid_alloc(c, S1, &b), 0);
	assert_int_equal(b, 1);	/* not 0xffff, not 0 */
}

static void
a_freed_id_is_reused_last(void **state)
{
	uint16_t first, id;
	int i;

	(void)state;
	lrp_callids_init(c, 5000);
	assert_int_equal(lrp_callid_alloc(c, S1, &first), 0);
	lrp_callid_free(c, first);
	/* the next thousand sessions all get other IDs */
	for (i = 0; i < 1000; i++) {
		assert_int_equal(lrp_callid_alloc(c, S2, &id), 0);
		assert_int_not_equal(id, first);
	}
}

static void
full_table_refuses(void **state)
{
	uint16_t id;
	int i;

	(void)state;
	lrp_callids_init(c, 1);
	for (i = 0; i < 65534; i++)
		assert_int_equal(lrp_callid_alloc(c, S1, &id), 0);
	assert_int_equal(lrp_callid_alloc(c, S1, &id), -1);
	lrp_callid_free(c, 777);
	assert_int_equal(lrp_callid_alloc(c, S2, &id), 0);
	assert_int_equal(id, 777);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_are_unique_and_found),
		cmocka_unit_test(zero_and_ffff_are_skipped),
		cmocka_unit_test(a_freed_id_is_reused_last),
		cmocka_unit_test(full_table_refuses),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("lrp_callid", tests, setup, teardown);
}
