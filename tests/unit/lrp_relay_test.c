/*
 * lrp_relay_test - the LRP's reader of a client's control stream
 * (lrp/lrp_relay.c), on libevent buffers filled the way TCP fills them:
 *   - a message whose bytes lie in several chains is gathered with
 *     evbuffer_pullup(), which allocates; when that fails the reader says
 *     so (LRP_RELAY_NOMEM) and leaves the stream as it was, where it
 *     used to parse through a null pointer;
 *   - the first message is judged where it waits (lrp_relay_peek_first):
 *     garbage is named without a byte being taken, and a whole SCCRQ
 *     stays for lrp_relay_up_next() to relay once the tunnel is open.
 * libevent's allocator is replaced by one that fails on request.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/buffer.h>
#include <event2/event.h>

#include "lrp_relay.h"
#include "pptp_msg.h"

static int fail_allocs;

static void *
t_malloc(size_t n)
{
	return fail_allocs ? NULL : malloc(n);
}

static void *
t_realloc(void *p, size_t n)
{
	return fail_allocs ? NULL : realloc(p, n);
}

static void
t_free(void *p)
{
	free(p);
}

/* libevent warns of the failures it is made to have */
static void
quiet(int severity, const char *msg)
{
	(void)severity;
	(void)msg;
}

static struct evbuffer *in;
static struct lrp_callid_state cid;
static struct lrp_relay_msg m;

static int
setup(void **state)
{
	(void)state;
	fail_allocs = 0;
	memset(&cid, 0, sizeof(cid));
	cid.lrp_cid = 0x4c52;
	in = evbuffer_new();
	return in == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	fail_allocs = 0;
	evbuffer_free(in);
	return 0;
}

/* Add msg to in as two chains cut at cut (as two reads would), which
 * evbuffer_pullup() can only join by allocating a new one. */
static void
add_in_two_chains(const uint8_t *msg, size_t len, size_t cut)
{
	assert_int_equal(evbuffer_add_reference(in, msg, cut, NULL, NULL), 0);
	assert_int_equal(evbuffer_add_reference(in, msg + cut, len - cut, NULL, NULL), 0);
}

static void
no_memory_to_gather_a_message_is_reported(void **state)
{
	static uint8_t msg[PPTP_MSG_MAX];
	size_t len = pptp_build_sccrq(msg, "client", "tests");

	(void)state;
	add_in_two_chains(msg, len, 5);
	fail_allocs = 1;
	assert_int_equal(lrp_relay_up_next(in, &cid, &m), LRP_RELAY_NOMEM);
	assert_int_equal(lrp_relay_peek_first(in, &m), LRP_RELAY_NOMEM);
	assert_int_equal(evbuffer_get_length(in), len);
	/* memory back: the same stream reads as it should */
	fail_allocs = 0;
	assert_int_equal(lrp_relay_up_next(in, &cid, &m), LRP_RELAY_MSG);
	assert_int_equal(m.type, PPTP_SCCRQ);
	assert_int_equal(m.len, (int)len);
	assert_memory_equal(m.buf, msg, len);
	assert_int_equal(evbuffer_get_length(in), 0);
}

static void
messages_cut_anywhere_come_out_whole(void **state)
{
	static uint8_t stream[2 * PPTP_MSG_MAX];
	size_t a = pptp_build_sccrq(stream, "client", "tests");
	size_t b = pptp_build_echorq(stream + a, 7);

	(void)state;
	add_in_two_chains(stream, a + b, a + 3);
	assert_int_equal(lrp_relay_up_next(in, &cid, &m), LRP_RELAY_MSG);
	assert_int_equal(m.type, PPTP_SCCRQ);
	assert_int_equal(lrp_relay_up_next(in, &cid, &m), LRP_RELAY_MSG);
	assert_int_equal(m.type, PPTP_ECHORQ);
	assert_int_equal(m.len, (int)b);
	assert_int_equal(lrp_relay_up_next(in, &cid, &m), LRP_RELAY_MORE);
}

static void
first_sccrq_is_judged_and_left_for_the_relay(void **state)
{
	static uint8_t msg[PPTP_MSG_MAX];
	size_t len = pptp_build_sccrq(msg, "client", "tests");

	(void)state;
	assert_int_equal(evbuffer_add(in, msg, 100), 0);
	assert_int_equal(lrp_relay_peek_first(in, &m), LRP_RELAY_MORE);
	assert_int_equal(evbuffer_add(in, msg + 100, len - 100), 0);
	assert_int_equal(lrp_relay_peek_first(in, &m), LRP_RELAY_MSG);
	assert_int_equal(m.type, PPTP_SCCRQ);
	assert_int_equal(evbuffer_get_length(in), len);
	assert_int_equal(lrp_relay_up_next(in, &cid, &m), LRP_RELAY_MSG);
	assert_int_equal(m.type, PPTP_SCCRQ);
	assert_int_equal(evbuffer_get_length(in), 0);
}

static void
first_garbage_is_named_and_nothing_taken(void **state)
{
	static uint8_t msg[PPTP_MSG_MAX];
	const uint8_t ffff[2] = { 0xff, 0xff };
	size_t len;

	(void)state;
	/* the two bytes ff ff: a length field no message has */
	assert_int_equal(evbuffer_add(in, ffff, 2), 0);
	assert_int_equal(lrp_relay_peek_first(in, &m), LRP_RELAY_FRAMING);
	assert_int_equal(m.length_field, 0xffff);
	assert_int_equal(evbuffer_get_length(in), 2);
	evbuffer_drain(in, 2);

	/* an SCCRQ whose length field says 11 */
	len = pptp_build_sccrq(msg, "client", "tests");
	pptp_put16(msg, 0, 11);
	assert_int_equal(evbuffer_add(in, msg, len), 0);
	assert_int_equal(lrp_relay_peek_first(in, &m), LRP_RELAY_FRAMING);
	assert_int_equal(m.length_field, 11);
	evbuffer_drain(in, len);

	/* an SCCRQ with a wrong magic cookie */
	len = pptp_build_sccrq(msg, "client", "tests");
	pptp_put32(msg, 4, 0xdeadbeefU);
	assert_int_equal(evbuffer_add(in, msg, len), 0);
	assert_int_equal(lrp_relay_peek_first(in, &m), LRP_RELAY_MALFORMED);
	assert_int_equal(m.check_rc, -PPTP_MSG_E_MAGIC);
	assert_int_equal(evbuffer_get_length(in), len);
	evbuffer_drain(in, len);

	/* an SCCRQ the size of an Echo-Request */
	len = pptp_build_sccrq(msg, "client", "tests");
	pptp_put16(msg, 0, 16);
	assert_int_equal(evbuffer_add(in, msg, 16), 0);
	assert_int_equal(lrp_relay_peek_first(in, &m), LRP_RELAY_SIZE);
	assert_int_equal(m.type, PPTP_SCCRQ);
	evbuffer_drain(in, 16);

	/* a valid Outgoing-Call-Request: the caller refuses its type */
	len = pptp_build_ocrq(msg, 0x1234, 1, 64);
	assert_int_equal(evbuffer_add(in, msg, len), 0);
	assert_int_equal(lrp_relay_peek_first(in, &m), LRP_RELAY_MSG);
	assert_int_equal(m.type, PPTP_OCRQ);
	assert_int_equal(evbuffer_get_length(in), len);
	/* peeking translates nothing */
	assert_int_equal(pptp_get16(m.buf, PPTP_OFF_OCRQ_CALL_ID), 0x1234);
	assert_int_equal(cid.have_client_cid, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(no_memory_to_gather_a_message_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(messages_cut_anywhere_come_out_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(first_sccrq_is_judged_and_left_for_the_relay, setup, teardown),
		cmocka_unit_test_setup_teardown(first_garbage_is_named_and_nothing_taken, setup, teardown),
	};

	/* before libevent allocates anything */
	event_set_mem_functions(t_malloc, t_realloc, t_free);
	event_set_log_callback(quiet);
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("lrp_relay", tests, NULL, NULL);
}
