/*
 * lrp_callid_test - the LRP's Call IDs: unique among its sessions, never 0
 * or 0xffff, all 65534 usable before the table says it is full; drawn at
 * random (one session's ID says nothing about the next one's), and a
 * freed ID not handed out again within LRP_CALLID_QUARANTINE frees.
 *
 * The statistical checks use the real random source (rrp_random, OpenSSL's
 * RAND_bytes) with bounds many standard deviations wide: a sequential
 * allocator fails them by orders of magnitude, a random one fails them
 * with a probability far below 1e-9.
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
#include "rrp_auth.h"

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
	lrp_callids_init(c, rrp_random);
	assert_int_equal(lrp_callid_alloc(c, S1, &a), 0);
	assert_int_equal(lrp_callid_alloc(c, S2, &b), 0);
	assert_int_not_equal(a, b);
	assert_ptr_equal(lrp_callid_lookup(c, a), S1);
	assert_ptr_equal(lrp_callid_lookup(c, b), S2);
	lrp_callid_free(c, a);
	assert_null(lrp_callid_lookup(c, a));
	assert_ptr_equal(lrp_callid_lookup(c, b), S2);
}

/* Allocate until the table is full; every ID 1..0xfffe exactly once. */
static void
fill_and_check_all(void)
{
	static uint8_t seen[65536];
	uint16_t id;
	int i;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < LRP_CALLID_COUNT; i++) {
		assert_int_equal(lrp_callid_alloc(c, S1, &id), 0);
		assert_int_not_equal(id, 0);
		assert_int_not_equal(id, 0xffff);
		assert_int_equal(seen[id], 0);
		seen[id] = 1;
	}
	assert_int_equal(lrp_callid_alloc(c, S1, &id), -1);
}

static void
all_65534_are_handed_out_never_0_or_ffff(void **state)
{
	uint16_t id, a, b;

	(void)state;
	lrp_callids_init(c, rrp_random);
	fill_and_check_all();
	/* the one free ID is handed out even though it was freed just now
	 * (quarantine or not, a free ID is not withheld from a full table) */
	lrp_callid_free(c, 777);
	assert_int_equal(lrp_callid_alloc(c, S2, &id), 0);
	assert_int_equal(id, 777);
	assert_ptr_equal(lrp_callid_lookup(c, 777), S2);
	lrp_callid_free(c, 1);
	lrp_callid_free(c, 0xfffe);
	assert_int_equal(lrp_callid_alloc(c, S2, &a), 0);
	assert_int_equal(lrp_callid_alloc(c, S2, &b), 0);
	assert_true((a == 1 && b == 0xfffe) || (a == 0xfffe && b == 1));
	assert_int_equal(lrp_callid_alloc(c, S2, &id), -1);
}

static void
freeing_an_id_not_in_use_changes_nothing(void **state)
{
	uint16_t a;

	(void)state;
	lrp_callids_init(c, rrp_random);
	assert_int_equal(lrp_callid_alloc(c, S1, &a), 0);
	lrp_callid_free(c, 0);
	lrp_callid_free(c, 0xffff);
	lrp_callid_free(c, (uint16_t)(a + 1) == 0xffff ? 1 : (uint16_t)(a + 1));
	lrp_callid_free(c, a);
	lrp_callid_free(c, a);	/* twice */
	assert_int_equal(c->in_use, 0);
	/* still exactly 65534 distinct IDs: nothing was duplicated */
	fill_and_check_all();
}

/* Circular distance between two IDs. */
static unsigned
distance(uint16_t a, uint16_t b)
{
	uint16_t d = (uint16_t)(a - b);

	return d < 0x8000 ? d : 0x10000u - d;
}

/*
 * Sessions come and go (100 at a time, the oldest ending as each new one
 * starts) and every new session's ID is compared with the previous one's.
 * A random ID is the previous plus one with probability 1/65534 and
 * within 1024 of it with probability about 1/32: over 4000 sessions about
 * 0.06 and 125 times.  The IDs also spread over the whole range: 250 per
 * sixteenth expected, standard deviation about 15.5.
 */
static void
consecutive_ids_are_not_sequential(void **state)
{
	enum { HELD = 100, N = 4000 };
	static uint16_t held[HELD];
	unsigned next = 0, near = 0, buckets[16], i;
	uint16_t id, prev;

	(void)state;
	memset(buckets, 0, sizeof(buckets));
	lrp_callids_init(c, rrp_random);
	for (i = 0; i < HELD; i++)
		assert_int_equal(lrp_callid_alloc(c, S1, &held[i]), 0);
	prev = held[HELD - 1];
	for (i = 0; i < N; i++) {
		lrp_callid_free(c, held[i % HELD]);
		assert_int_equal(lrp_callid_alloc(c, S1, &id), 0);
		held[i % HELD] = id;
		if (id == (uint16_t)(prev + 1))
			next++;
		if (distance(id, prev) < 1024)
			near++;
		buckets[id >> 12]++;
		prev = id;
	}
	print_message("# %u of %u IDs were the previous plus one, %u within 1024 of it\n",
	    next, N, near);
	assert_true(next <= 5);
	assert_true(near <= 250);
	for (i = 0; i < 16; i++) {
		if (buckets[i] < 150 || buckets[i] > 350)
			fail_msg("IDs 0x%04x..0x%04x drawn %u times of %u (expected about 250)",
			    i << 12, (i << 12) | 0xfff, buckets[i], N);
	}
}

/*
 * Many sessions at once, churning: each step ends a random session and
 * starts one.  No ID is handed out again before LRP_CALLID_QUARANTINE
 * other IDs have been freed after it while at most 32766 are in use; with
 * more in use, before half of the free IDs have been freed after it.
 */
static void
churn(int held_n, int steps, unsigned min_frees)
{
	static uint16_t held[LRP_CALLID_COUNT];
	static uint32_t freed_at[65536];	/* free count + 1, 0 = never */
	uint32_t frees = 0, shortest = UINT32_MAX;
	uint16_t id;
	int i, k;

	memset(freed_at, 0, sizeof(freed_at));
	lrp_callids_init(c, rrp_random);
	srand(20);
	for (i = 0; i < held_n; i++)
		assert_int_equal(lrp_callid_alloc(c, S1, &held[i]), 0);
	for (i = 0; i < steps; i++) {
		k = rand() % held_n;
		lrp_callid_free(c, held[k]);
		freed_at[held[k]] = ++frees;
		assert_int_equal(lrp_callid_alloc(c, S1, &id), 0);
		if (freed_at[id] != 0 && frees - freed_at[id] < shortest)
			shortest = frees - freed_at[id];
		if (freed_at[id] != 0 && frees - freed_at[id] < min_frees)
			fail_msg("ID %u handed out again %u frees after it was freed "
			    "(%d in use; at least %u expected)", id,
			    frees - freed_at[id], held_n, min_frees);
		held[k] = id;
	}
	print_message("# %d in use, %d sessions ended: an ID was reused at the "
	    "soonest %u frees after it was freed\n", held_n, steps, shortest);
}

static void
a_freed_id_waits_in_quarantine(void **state)
{
	(void)state;
	/* as many sessions as the bench sets up */
	churn(10000, 200000, LRP_CALLID_QUARANTINE);
	/* the most for which the full quarantine is guaranteed */
	churn(LRP_CALLID_COUNT - 2 * LRP_CALLID_QUARANTINE, 100000,
	    LRP_CALLID_QUARANTINE);
	/* nearly full: half of the 5534 free IDs */
	churn(60000, 50000, (LRP_CALLID_COUNT - 60000) / 2 - 1);
}

static int
failing_random(uint8_t *buf, size_t n)
{
	(void)buf;
	(void)n;
	return -1;
}

static void
a_failing_random_source_refuses_cleanly(void **state)
{
	uint16_t id = 4242;

	(void)state;
	lrp_callids_init(c, failing_random);
	assert_int_equal(lrp_callid_alloc(c, S1, &id), -1);
	assert_int_equal(id, 4242);
	assert_int_equal(c->in_use, 0);
	/* and with the source back, all 65534 are there */
	c->random = rrp_random;
	fill_and_check_all();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_are_unique_and_found),
		cmocka_unit_test(all_65534_are_handed_out_never_0_or_ffff),
		cmocka_unit_test(freeing_an_id_not_in_use_changes_nothing),
		cmocka_unit_test(consecutive_ids_are_not_sequential),
		cmocka_unit_test(a_freed_id_waits_in_quarantine),
		cmocka_unit_test(a_failing_random_source_refuses_cleanly),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("lrp_callid", tests, setup, teardown);
}
