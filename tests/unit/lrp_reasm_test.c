/*
 * lrp_reasm_test - the LRP's IPv4 reassembly of fragmented GRE: whole
 * datagrams come out in order or not, and everything an honest sender
 * does not do (overlaps, duplicates, odd-sized middle fragments, datagrams
 * past the bound) is dropped and counted, as are datagrams that never
 * complete; the pool of datagrams in progress is bounded.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lrp_reasm.h"

static struct lrp_reasm *r;
static uint8_t datagram[LRP_REASM_MAX + 100];

/* An IPv4 fragment of datagram id from 192.0.2.src: payload bytes
 * [off, off+len) of the pattern, more set or not. */
static size_t
frag(uint8_t *ip, uint8_t src, uint16_t id, size_t off, size_t len, int more)
{
	size_t total = 20 + len;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[4] = (uint8_t)(id >> 8);
	ip[5] = (uint8_t)id;
	ip[6] = (uint8_t)((more ? 0x20 : 0) | ((off / 8) >> 8));
	ip[7] = (uint8_t)(off / 8);
	ip[8] = 64;
	ip[9] = 47;
	ip[12] = 192; ip[13] = 0; ip[14] = 2; ip[15] = src;
	ip[16] = 192; ip[17] = 0; ip[18] = 2; ip[19] = 1;
	memcpy(ip + 20, datagram + off, len);
	return total;
}

static int
add(uint8_t src, uint16_t id, size_t off, size_t len, int more, int64_t now,
    const uint8_t **out, size_t *outlen)
{
	uint8_t ip[20 + LRP_REASM_MAX + 8];
	uint32_t s;
	size_t n = frag(ip, src, id, off, len, more);

	return lrp_reasm_add(r, ip, n, now, out, outlen, &s);
}

static int
setup(void **state)
{
	size_t i;

	(void)state;
	r = malloc(sizeof(*r));
	if (r == NULL)
		return -1;
	lrp_reasm_init(r);
	for (i = 0; i < sizeof(datagram); i++)
		datagram[i] = (uint8_t)(i * 7 + 3);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(r);
	return 0;
}

static void
two_fragments_in_order(void **state)
{
	const uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(add(7, 1, 0, 1480, 1, 0, &out, &len), 0);
	assert_int_equal(add(7, 1, 1480, 60, 0, 1, &out, &len), 1);
	assert_int_equal(len, 1540);
	assert_memory_equal(out, datagram, 1540);
	assert_int_equal(r->n.reassembled, 1);
}

static void
three_fragments_out_of_order(void **state)
{
	const uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(add(7, 2, 1000, 500, 0, 0, &out, &len), 0);
	assert_int_equal(add(7, 2, 0, 496, 1, 0, &out, &len), 0);
	assert_int_equal(add(7, 2, 496, 504, 1, 0, &out, &len), 1);
	assert_int_equal(len, 1500);
	assert_memory_equal(out, datagram, 1500);
}

static void
interleaved_datagrams_stay_apart(void **state)
{
	const uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(add(7, 3, 0, 800, 1, 0, &out, &len), 0);
	assert_int_equal(add(8, 3, 0, 800, 1, 0, &out, &len), 0);	/* other source */
	assert_int_equal(add(7, 4, 0, 800, 1, 0, &out, &len), 0);	/* other id */
	assert_int_equal(add(8, 3, 800, 10, 0, 0, &out, &len), 1);
	assert_int_equal(len, 810);
	assert_int_equal(add(7, 3, 800, 20, 0, 0, &out, &len), 1);
	assert_int_equal(len, 820);
}

static void
overlap_and_duplicate_drop_the_datagram(void **state)
{
	const uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(add(7, 5, 0, 800, 1, 0, &out, &len), 0);
	assert_int_equal(add(7, 5, 400, 800, 1, 0, &out, &len), -1);
	assert_int_equal(r->n.dropped, 1);
	/* the datagram is gone: its last fragment alone does not complete it */
	assert_int_equal(add(7, 5, 800, 100, 0, 0, &out, &len), 0);
	assert_int_equal(add(7, 6, 0, 800, 1, 0, &out, &len), 0);
	assert_int_equal(add(7, 6, 0, 800, 1, 0, &out, &len), -1);	/* duplicate */
}

static void
odd_middle_fragment_and_oversize_are_dropped(void **state)
{
	const uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(add(7, 7, 0, 801, 1, 0, &out, &len), -1);
	assert_int_equal(add(7, 8, LRP_REASM_MAX - 8, 16, 0, 0, &out, &len), -1);
	assert_int_equal(r->n.dropped, 2);
}

static void
incomplete_datagrams_time_out(void **state)
{
	const uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(add(7, 9, 0, 800, 1, 1000, &out, &len), 0);
	lrp_reasm_expire(r, 1000 + LRP_REASM_TIMEOUT_MS - 1);
	assert_int_equal(r->n.timed_out, 0);
	lrp_reasm_expire(r, 1000 + LRP_REASM_TIMEOUT_MS);
	assert_int_equal(r->n.timed_out, 1);
	/* the late last fragment starts a datagram of its own */
	assert_int_equal(add(7, 9, 800, 8, 0, 5000, &out, &len), 0);
}

static void
the_pool_is_bounded(void **state)
{
	const uint8_t *out;
	size_t len;
	int i;

	(void)state;
	for (i = 0; i < LRP_REASM_SLOTS; i++)
		assert_int_equal(add(9, (uint16_t)(100 + i), 0, 8, 1, 0, &out, &len), 0);
	assert_int_equal(add(9, 999, 0, 8, 1, 0, &out, &len), -1);
	/* completing one frees its slot */
	assert_int_equal(add(9, 100, 8, 8, 0, 0, &out, &len), 1);
	assert_int_equal(add(9, 999, 0, 8, 1, 0, &out, &len), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(two_fragments_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(three_fragments_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(interleaved_datagrams_stay_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(overlap_and_duplicate_drop_the_datagram, setup, teardown),
		cmocka_unit_test_setup_teardown(odd_middle_fragment_and_oversize_are_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(incomplete_datagrams_time_out, setup, teardown),
		cmocka_unit_test_setup_teardown(the_pool_is_bounded, setup, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("lrp_reasm", tests, NULL, NULL);
}
