/*
 * lrp_reasm_test - the LRP's IPv4 reassembly of fragmented GRE: whole
 * datagrams come out in order or not, and everything an honest sender
 * does not do (overlaps, duplicates, odd-sized middle fragments, datagrams
 * past the bound) is dropped and counted, as are datagrams that never
 * complete; the pool of datagrams in progress is bounded, only the
 * caller's clients may start one, each source holds at most its share,
 * and a full pool takes from the source holding the most.  A datagram
 * comes out only when every byte up to its end came in one of its own
 * fragments: never with a hole holding what an earlier datagram (another
 * client's) left in the slot.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

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

/* Add a fragment from 192.0.2.src; may_start: whether that source may
 * start a datagram (the client of a call that is up). */
static int
add_as(uint8_t src, uint16_t id, size_t off, size_t len, int more, int64_t now,
    int may_start, const uint8_t **out, size_t *outlen)
{
	uint8_t ip[20 + LRP_REASM_MAX + 8];
	uint32_t s;
	size_t n = frag(ip, src, id, off, len, more);

	return lrp_reasm_add(r, ip, n, now, may_start, out, outlen, &s);
}

static int
add(uint8_t src, uint16_t id, size_t off, size_t len, int more, int64_t now,
    const uint8_t **out, size_t *outlen)
{
	return add_as(src, id, off, len, more, now, 1, out, outlen);
}

/* How many datagrams 192.0.2.src has in reassembly. */
static int
held(uint8_t src)
{
	int i, n = 0;

	for (i = 0; i < LRP_REASM_SLOTS; i++)
		if (r->slot[i].used && ((const uint8_t *)&r->slot[i].src)[3] == src)
			n++;
	return n;
}

/* An IPv4 fragment from src (network order) of datagram id, carrying
 * len bytes of p at payload offset off. */
static size_t
frag_of(uint8_t *ip, uint32_t src, uint16_t id, size_t off, const uint8_t *p,
    size_t len, int more)
{
	size_t n = frag(ip, 0, id, off, 0, more) + len;

	memcpy(ip + 12, &src, 4);
	ip[2] = (uint8_t)(n >> 8);
	ip[3] = (uint8_t)n;
	memcpy(ip + 20, p, len);
	return n;
}

static int
add_of(const char *src, uint16_t id, size_t off, const uint8_t *p, size_t len,
    int more, const uint8_t **out, size_t *outlen, uint32_t *from)
{
	uint8_t ip[20 + LRP_REASM_MAX + 8];
	uint32_t a = inet_addr(src);
	size_t n = frag_of(ip, a, id, off, p, len, more);

	return lrp_reasm_add(r, ip, n, 0, 1, out, outlen, from);
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

/* Issue 20, item 3: a host that is no client cannot start a datagram, so
 * its stream of first fragments leaves the pool to the clients. */
static void
non_client_cannot_take_the_pool(void **state)
{
	const uint8_t *out;
	size_t len;
	int i;

	(void)state;
	for (i = 0; i < LRP_REASM_SLOTS; i++)
		assert_int_equal(add_as(66, (uint16_t)(100 + i), 0, 8, 1, 0, 0, &out, &len), -1);
	assert_int_equal(r->n.refused, LRP_REASM_SLOTS);
	assert_int_equal(held(66), 0);
	assert_string_equal(r->last_drop.why, "no call is up from that address");
	assert_int_equal(r->last_drop.id, 100 + LRP_REASM_SLOTS - 1);
	/* a client's 1540-byte GRE packet, in two fragments, goes through */
	assert_int_equal(add(7, 1, 0, 1480, 1, 0, &out, &len), 0);
	assert_int_equal(add(7, 1, 1480, 60, 0, 0, &out, &len), 1);
	assert_int_equal(len, 1540);
	assert_memory_equal(out, datagram, 1540);
	/* a datagram under way is finished even if its source's call went
	 * meanwhile (lrp_linkframe_session() drops it then) */
	assert_int_equal(add(7, 2, 0, 800, 1, 0, &out, &len), 0);
	assert_int_equal(add_as(7, 2, 800, 8, 0, 0, 0, &out, &len), 1);
	assert_int_equal(r->n.evicted, 0);
	assert_int_equal(r->n.dropped, 0);
}

/* One source (a client spraying first fragments) holds at most its share;
 * each new datagram beyond it replaces its own oldest. */
static void
one_source_holds_at_most_its_share(void **state)
{
	const uint8_t *out;
	size_t len;
	int i;

	(void)state;
	for (i = 0; i < LRP_REASM_SLOTS; i++)
		assert_int_equal(add(9, (uint16_t)(100 + i), 0, 8, 1, 0, &out, &len), 0);
	assert_int_equal(held(9), LRP_REASM_PER_SOURCE);
	assert_int_equal(r->n.evicted, LRP_REASM_SLOTS - LRP_REASM_PER_SOURCE);
	assert_int_equal(r->last_eviction.id, 100 + LRP_REASM_SLOTS - LRP_REASM_PER_SOURCE - 1);
	assert_memory_equal(&r->last_eviction.src, "\xc0\x00\x02\x09", 4);
	/* the newest are kept: the last one completes, the first is gone */
	assert_int_equal(add(9, 100 + LRP_REASM_SLOTS - 1, 8, 8, 0, 0, &out, &len), 1);
	assert_int_equal(add(9, 100, 8, 8, 0, 0, &out, &len), 0);
	/* and another client has room */
	for (i = 0; i < LRP_REASM_PER_SOURCE; i++)
		assert_int_equal(add(7, (uint16_t)(200 + i), 0, 8, 1, 0, &out, &len), 0);
	assert_int_equal(add(7, 200, 8, 8, 0, 0, &out, &len), 1);
}

/* A full pool: a new datagram replaces the oldest of the source holding
 * the most, never one of a source holding less than the newcomer. */
static void
full_pool_takes_from_the_busiest(void **state)
{
	const uint8_t *out;
	size_t len;
	int src, i;

	(void)state;
	/* 8 sources hold 8 each: full */
	for (src = 1; src <= 8; src++)
		for (i = 0; i < LRP_REASM_PER_SOURCE; i++)
			assert_int_equal(add((uint8_t)src, (uint16_t)(src * 100 + i), 0, 8, 1, 0,
			    &out, &len), 0);
	assert_int_equal(r->n.evicted, 0);
	/* all tie: the oldest of all goes, source 1's first */
	assert_int_equal(add(20, 1, 0, 8, 1, 0, &out, &len), 0);
	assert_int_equal(r->n.evicted, 1);
	assert_int_equal(((const uint8_t *)&r->last_eviction.src)[3], 1);
	assert_int_equal(r->last_eviction.id, 100);
	/* now sources 2-8 hold the most */
	assert_int_equal(add(20, 2, 0, 8, 1, 0, &out, &len), 0);
	assert_int_equal(((const uint8_t *)&r->last_eviction.src)[3], 2);
	assert_int_equal(r->last_eviction.id, 200);
	assert_int_equal(add(1, 999, 0, 8, 1, 0, &out, &len), 0);
	assert_int_equal(((const uint8_t *)&r->last_eviction.src)[3], 3);
	assert_int_equal(held(1), LRP_REASM_PER_SOURCE);
	assert_int_equal(held(20), 2);
	assert_int_equal(r->n.evicted, 3);
	/* source 1's other datagrams are intact */
	assert_int_equal(add(1, 101, 8, 8, 0, 0, &out, &len), 1);
}

/* On a tie between the newcomer and others, its own oldest goes. */
static void
full_pool_tie_takes_the_newcomers_own(void **state)
{
	const uint8_t *out;
	size_t len;
	int src, i, per = 4;

	(void)state;
	for (src = 1; src <= LRP_REASM_SLOTS / per; src++)
		for (i = 0; i < per; i++)
			assert_int_equal(add((uint8_t)src, (uint16_t)(src * 100 + i), 0, 8, 1, 0,
			    &out, &len), 0);
	assert_int_equal(add(16, 9999, 0, 8, 1, 0, &out, &len), 0);
	assert_int_equal(r->n.evicted, 1);
	assert_int_equal(((const uint8_t *)&r->last_eviction.src)[3], 16);
	assert_int_equal(r->last_eviction.id, 1600);
	assert_int_equal(held(16), per);
	assert_int_equal(held(1), per);
}

/*
 * The review's reproduction (issue 20, item 2): a victim's datagram
 * leaves its bytes in a slot; another host then sends fragments at 0 and
 * 24 (more to come) and a last one at 16, which says the datagram ends at
 * 24.  The fragment at 24 lies beyond that end, and bytes 8-15 never came:
 * the old code counted the bytes received (24 = the end) and handed out
 * "AAAAAAAAVVVVVVVVAAAAAAAA", the victim's bytes in the middle.
 */
static void
hole_is_never_filled_with_another_clients_bytes(void **state)
{
	static uint8_t victim[1100];
	const uint8_t a8[8] = "AAAAAAAA";
	const uint8_t *out = NULL;
	size_t len = 0;
	uint32_t from = 0;

	(void)state;
	memset(victim, 'V', sizeof(victim));
	assert_int_equal(add_of("10.0.0.2", 1, 0, victim, 1080, 1, &out, &len, &from), 0);
	assert_int_equal(add_of("10.0.0.2", 1, 1080, victim + 1080, 20, 0, &out, &len, &from), 1);
	assert_int_equal(len, 1100);
	assert_int_equal(from, inet_addr("10.0.0.2"));
	out = NULL;
	len = 0;
	assert_int_equal(add_of("10.0.0.66", 7, 0, a8, 8, 1, &out, &len, &from), 0);
	assert_int_equal(add_of("10.0.0.66", 7, 24, a8, 8, 1, &out, &len, &from), 0);
	/* the last fragment: the datagram ends at 24, but 24-31 came already */
	assert_int_equal(add_of("10.0.0.66", 7, 16, a8, 8, 0, &out, &len, &from), -1);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(r->n.dropped, 1);
	assert_int_equal(r->n.reassembled, 1);
	/* the datagram is gone: the missing piece does not complete anything */
	assert_int_equal(add_of("10.0.0.66", 7, 8, a8, 8, 1, &out, &len, &from), 0);
	assert_null(out);
}

/* The last fragment first: then nothing at or beyond its end is taken. */
static void
fragment_beyond_the_known_end_drops_the_datagram(void **state)
{
	const uint8_t a8[8] = "AAAAAAAA";
	const uint8_t *out = NULL;
	size_t len = 0;
	uint32_t from;

	(void)state;
	assert_int_equal(add_of("10.0.0.66", 8, 16, a8, 8, 0, &out, &len, &from), 0);
	assert_int_equal(add_of("10.0.0.66", 8, 24, a8, 8, 1, &out, &len, &from), -1);
	assert_int_equal(r->n.dropped, 1);
	/* a second last fragment, even an empty one at the same end */
	assert_int_equal(add_of("10.0.0.66", 9, 16, a8, 8, 0, &out, &len, &from), 0);
	assert_int_equal(add_of("10.0.0.66", 9, 24, a8, 0, 0, &out, &len, &from), -1);
	assert_int_equal(r->n.dropped, 2);
	assert_null(out);
}

/* Up to its end, every byte must have come: a hole keeps it waiting, and
 * the datagram that comes out is exactly its fragments' bytes. */
static void
hole_keeps_the_datagram_incomplete(void **state)
{
	static uint8_t junk[64];
	const uint8_t *out = NULL;
	size_t len = 0;
	uint32_t from;

	(void)state;
	/* a victim's datagram leaves junk in the slot */
	memset(junk, 'V', sizeof(junk));
	assert_int_equal(add_of("10.0.0.2", 1, 0, junk, 32, 1, &out, &len, &from), 0);
	assert_int_equal(add_of("10.0.0.2", 1, 32, junk, 32, 0, &out, &len, &from), 1);
	out = NULL;
	assert_int_equal(add_of("10.0.0.66", 2, 0, datagram, 8, 1, &out, &len, &from), 0);
	assert_int_equal(add_of("10.0.0.66", 2, 16, datagram + 16, 8, 0, &out, &len, &from), 0);
	assert_null(out);
	assert_int_equal(add_of("10.0.0.66", 2, 8, datagram + 8, 8, 1, &out, &len, &from), 1);
	assert_int_equal(len, 24);
	assert_memory_equal(out, datagram, 24);
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
		cmocka_unit_test_setup_teardown(non_client_cannot_take_the_pool, setup, teardown),
		cmocka_unit_test_setup_teardown(one_source_holds_at_most_its_share, setup, teardown),
		cmocka_unit_test_setup_teardown(full_pool_takes_from_the_busiest, setup, teardown),
		cmocka_unit_test_setup_teardown(full_pool_tie_takes_the_newcomers_own, setup, teardown),
		cmocka_unit_test_setup_teardown(hole_is_never_filled_with_another_clients_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(fragment_beyond_the_known_end_drops_the_datagram, setup, teardown),
		cmocka_unit_test_setup_teardown(hole_keeps_the_datagram_incomplete, setup, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("lrp_reasm", tests, NULL, NULL);
}
