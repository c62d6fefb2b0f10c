/*
 * pptp_msg_test - PPTP control messages (common/pptp_msg.c): each of the
 * 15 types is accepted at exactly its RFC 2637 size and refused one byte
 * either side; a bad magic cookie, message type, control type or length
 * field is refused with its own code; framing a TCP stream waits for the
 * whole message; the builders produce messages the checker accepts with
 * the fields where the RFC puts them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pptp_msg.h"

/*
 * Sizes worked out from the field layouts of RFC 2637 section 2, header
 * (Length 2, PPTP Message Type 2, Magic Cookie 4, Control Message Type 2,
 * Reserved0 2) = 12 bytes, plus:
 */
static const struct { int type; size_t size; } rfc_sizes[] = {
	/* version 2, reserved/result+error 2, framing 4, bearer 4,
	 * max channels 2, firmware 2, host name 64, vendor 64 */
	{ PPTP_SCCRQ, 12 + 16 + 128 },			/* 156 */
	{ PPTP_SCCRP, 12 + 16 + 128 },			/* 156 */
	{ PPTP_STOPCCRQ, 12 + 4 },	/* reason 1, reserved 1 + 2 */
	{ PPTP_STOPCCRP, 12 + 4 },	/* result 1, error 1, reserved 2 */
	{ PPTP_ECHORQ, 12 + 4 },	/* identifier 4 */
	{ PPTP_ECHORP, 12 + 8 },	/* identifier 4, result, error, reserved 2 */
	/* call id, serial, min bps 4, max bps 4, bearer 4, framing 4,
	 * window 2, delay 2, phone number length 2, reserved 2,
	 * phone number 64, subaddress 64 */
	{ PPTP_OCRQ, 12 + 28 + 128 },			/* 168 */
	/* call id, peer call id, result, error, cause 2, speed 4, window 2,
	 * delay 2, physical channel 4 */
	{ PPTP_OCRP, 12 + 20 },				/* 32 */
	/* call id, serial, bearer 4, physical channel 4, dialed length 2,
	 * dialing length 2, dialed 64, dialing 64, subaddress 64 */
	{ PPTP_ICRQ, 12 + 16 + 192 },			/* 220 */
	/* call id, peer call id, result, error, window 2, delay 2,
	 * reserved 2 */
	{ PPTP_ICRP, 12 + 12 },				/* 24 */
	/* peer call id, reserved 2, speed 4, window 2, delay 2, framing 4 */
	{ PPTP_ICCN, 12 + 16 },				/* 28 */
	{ PPTP_CCRQ, 12 + 4 },		/* call id, reserved 2 */
	/* call id, result, error, cause 2, reserved 2, call statistics 128 */
	{ PPTP_CDN, 12 + 8 + 128 },			/* 148 */
	/* peer call id, reserved 2, six 4-byte error counters */
	{ PPTP_WEN, 12 + 4 + 24 },			/* 40 */
	/* peer call id, reserved 2, send ACCM 4, receive ACCM 4 */
	{ PPTP_SLI, 12 + 12 },				/* 24 */
};
#define NTYPES (sizeof(rfc_sizes) / sizeof(rfc_sizes[0]))

static uint8_t msg[PPTP_MSG_MAX + 64];

/* A message header claiming len bytes of ctrl type; body zero. */
static void
make(int type, size_t len)
{
	memset(msg, 0, sizeof(msg));
	pptp_put16(msg, 0, (uint16_t)len);
	pptp_put16(msg, 2, PPTP_MESSAGE_CONTROL);
	pptp_put32(msg, 4, PPTP_MAGIC_COOKIE);
	pptp_put16(msg, 8, (uint16_t)type);
}

static int
check(size_t len)
{
	int t;

	return pptp_msg_check(msg, len, &t);
}

static void
test_sizes_are_those_of_rfc2637(void **state)
{
	size_t i;

	assert_int_equal(NTYPES, 15);
	for (i = 0; i < NTYPES; i++)
		assert_int_equal(pptp_msg_size(rfc_sizes[i].type),
		    rfc_sizes[i].size);
	assert_int_equal(pptp_msg_size(PPTP_ICRQ), PPTP_MSG_MAX);
	assert_int_equal(pptp_msg_size(0), 0);
	assert_int_equal(pptp_msg_size(16), 0);
	assert_int_equal(pptp_msg_size(-1), 0);
}

static void
test_every_type_exact_size_accepted_off_by_one_refused(void **state)
{
	size_t i, sz;
	int t;

	for (i = 0; i < NTYPES; i++) {
		sz = rfc_sizes[i].size;
		make(rfc_sizes[i].type, sz);
		assert_int_equal(pptp_msg_check(msg, sz, &t), 0);
		assert_int_equal(t, rfc_sizes[i].type);
		assert_int_equal(pptp_msg_frame(msg, sz), (int)sz);

		make(rfc_sizes[i].type, sz - 1);
		assert_int_equal(pptp_msg_check(msg, sz - 1, &t),
		    -PPTP_MSG_E_SIZE);
		assert_int_equal(t, rfc_sizes[i].type);

		make(rfc_sizes[i].type, sz + 1);
		/* one past the largest message is a framing error */
		assert_int_equal(check(sz + 1), sz + 1 > PPTP_MSG_MAX ?
		    -PPTP_MSG_E_LENGTH : -PPTP_MSG_E_SIZE);
	}
}

static void
test_bad_magic_refused(void **state)
{
	int i;

	for (i = 0; i < 4; i++) {
		make(PPTP_ECHORQ, 16);
		msg[4 + i] ^= 0x01;
		assert_int_equal(check(16), -PPTP_MSG_E_MAGIC);
	}
}

static void
test_bad_message_type_refused(void **state)
{
	static const uint16_t bad[] = { 0, 2, 0x0100, 0xffff };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make(PPTP_ECHORQ, 16);
		pptp_put16(msg, 2, bad[i]);
		assert_int_equal(check(16), -PPTP_MSG_E_MSGTYPE);
	}
}

static void
test_unknown_control_type_refused(void **state)
{
	static const uint16_t bad[] = { 0, 16, 17, 0x0100, 0xffff };
	size_t i;
	int t = 99;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make(bad[i], 16);
		assert_int_equal(pptp_msg_check(msg, 16, &t),
		    -PPTP_MSG_E_CTRLTYPE);
		assert_int_equal(t, 0);
	}
}

static void
test_length_field_disagreeing_with_buffer_refused(void **state)
{
	make(PPTP_ECHORQ, 16);
	assert_int_equal(check(15), -PPTP_MSG_E_TRUNCATED);
	assert_int_equal(check(17), -PPTP_MSG_E_LENGTH);
	assert_int_equal(check(1), -PPTP_MSG_E_TRUNCATED);
	assert_int_equal(check(0), -PPTP_MSG_E_TRUNCATED);
	/* length field itself out of bounds */
	make(PPTP_ECHORQ, 11);
	assert_int_equal(check(11), -PPTP_MSG_E_LENGTH);
	make(PPTP_ECHORQ, 0);
	assert_int_equal(check(16), -PPTP_MSG_E_LENGTH);
	make(PPTP_ICRQ, 221);
	assert_int_equal(check(221), -PPTP_MSG_E_LENGTH);
	/* 12 is a legal length for no type */
	make(PPTP_ECHORQ, 12);
	assert_int_equal(check(12), -PPTP_MSG_E_SIZE);
}

static void
test_frame_waits_for_the_whole_message(void **state)
{
	size_t i, sz;
	size_t k;

	for (i = 0; i < NTYPES; i++) {
		sz = rfc_sizes[i].size;
		make(rfc_sizes[i].type, sz);
		for (k = 0; k < sz; k++)
			assert_int_equal(pptp_msg_frame(msg, k), 0);
		assert_int_equal(pptp_msg_frame(msg, sz), (int)sz);
		/* the next message's bytes are not part of this one */
		assert_int_equal(pptp_msg_frame(msg, sz + 10), (int)sz);
	}
}

static void
test_frame_refuses_bad_length_after_two_bytes(void **state)
{
	static const uint16_t bad[] = { 0, 1, 11, 221, 0x8000, 0xffff };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make(PPTP_ECHORQ, bad[i]);
		assert_int_equal(pptp_msg_frame(msg, 0), 0);
		assert_int_equal(pptp_msg_frame(msg, 1), 0);
		assert_int_equal(pptp_msg_frame(msg, 2), -PPTP_MSG_E_LENGTH);
		assert_int_equal(pptp_msg_frame(msg, sizeof(msg)),
		    -PPTP_MSG_E_LENGTH);
	}
	make(PPTP_ECHORQ, 12);
	assert_int_equal(pptp_msg_frame(msg, 12), 12);
	make(PPTP_ECHORQ, 220);
	assert_int_equal(pptp_msg_frame(msg, 220), 220);
}

/* Run the checker on what a builder wrote and expect type t. */
static void
built(size_t len, int t)
{
	int got;

	assert_int_equal(len, pptp_msg_size(t));
	assert_int_equal(pptp_msg_check(msg, len, &got), 0);
	assert_int_equal(got, t);
}

static void
test_builders_produce_valid_messages(void **state)
{
	uint8_t zero[PPTP_MSG_MAX] = { 0 };

	memset(msg, 0xee, sizeof(msg));
	built(pptp_build_cdn(msg, 0x1234, 3, 0), PPTP_CDN);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_CDN_CALL_ID), 0x1234);
	assert_int_equal(msg[14], 3);	/* result */
	assert_int_equal(msg[15], 0);	/* error */
	assert_memory_equal(msg + 16, zero, 148 - 16);

	memset(msg, 0xee, sizeof(msg));
	built(pptp_build_stopccrq(msg, 3), PPTP_STOPCCRQ);
	assert_int_equal(msg[12], 3);
	assert_memory_equal(msg + 13, zero, 3);

	built(pptp_build_stopccrp(msg, 1, 0), PPTP_STOPCCRP);
	assert_int_equal(msg[12], 1);

	built(pptp_build_echorq(msg, 0xdeadbeef), PPTP_ECHORQ);
	assert_int_equal(pptp_get32(msg, PPTP_OFF_ECHO_ID), 0xdeadbeef);

	built(pptp_build_echorp(msg, 0xdeadbeef, 1), PPTP_ECHORP);
	assert_int_equal(pptp_get32(msg, PPTP_OFF_ECHO_ID), 0xdeadbeef);
	assert_int_equal(msg[16], 1);

	built(pptp_build_ocrq(msg, 0x0102, 7, 64), PPTP_OCRQ);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_OCRQ_CALL_ID), 0x0102);
	assert_int_equal(pptp_get16(msg, 14), 7);	/* serial */
	assert_int_equal(pptp_get16(msg, 32), 64);	/* recv window */

	built(pptp_build_ocrp(msg, 0x0a0b, 0x0102, 1, 16), PPTP_OCRP);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_OCRP_CALL_ID), 0x0a0b);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_OCRP_PEER_CALL_ID), 0x0102);
	assert_int_equal(msg[PPTP_OFF_OCRP_RESULT], 1);
	assert_int_equal(pptp_get16(msg, 24), 16);	/* recv window */

	built(pptp_build_sli(msg, 0x0a0b, 0xffffffff, 0x0000000f), PPTP_SLI);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_SLI_PEER_CALL_ID), 0x0a0b);
	assert_int_equal(pptp_get32(msg, 16), 0xffffffff);
	assert_int_equal(pptp_get32(msg, 20), 0x0000000f);

	built(pptp_build_ccrq(msg, 0x0102), PPTP_CCRQ);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_CCRQ_CALL_ID), 0x0102);
}

static void
test_sccrq_sccrp_names_padded_and_truncated(void **state)
{
	char longname[100];

	memset(msg, 0xee, sizeof(msg));
	built(pptp_build_sccrq(msg, "lrp-test", "pptpd-rrp"), PPTP_SCCRQ);
	assert_int_equal(pptp_get16(msg, 12), 0x0100);	/* version 1.0 */
	assert_string_equal((char *)msg + 28, "lrp-test");
	assert_int_equal(msg[28 + 63], 0);
	assert_string_equal((char *)msg + 92, "pptpd-rrp");
	assert_int_equal(msg[92 + 63], 0);

	memset(longname, 'h', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	built(pptp_build_sccrp(msg, 1, longname, NULL), PPTP_SCCRP);
	assert_int_equal(msg[14], 1);			/* result */
	assert_memory_equal(msg + 28, longname, 64);	/* cut at 64 */
	assert_int_equal(msg[92], 0);			/* vendor empty */
}

static void
test_get_put_are_big_endian(void **state)
{
	uint8_t b[6] = { 0 };

	pptp_put16(b, 0, 0x1a2b);
	pptp_put32(b, 2, 0x1a2b3c4d);
	assert_int_equal(b[0], 0x1a);
	assert_int_equal(b[1], 0x2b);
	assert_int_equal(b[2], 0x1a);
	assert_int_equal(b[5], 0x4d);
	assert_int_equal(pptp_get16(b, 0), 0x1a2b);
	assert_int_equal(pptp_get32(b, 2), 0x1a2b3c4d);
}

static void
test_every_type_and_error_code_has_a_string(void **state)
{
	int i;

	assert_string_equal(pptp_ctrl_type_str(PPTP_OCRP),
	    "Outgoing-Call-Reply");
	assert_string_equal(pptp_ctrl_type_str(16), "unknown");
	assert_string_equal(pptp_msg_strerror(-PPTP_MSG_E_MAGIC),
	    "magic cookie is not 0x1a2b3c4d");
	for (i = -10; i < 20; i++) {
		assert_non_null(pptp_ctrl_type_str(i));
		assert_non_null(pptp_msg_strerror(i));
	}
	assert_string_equal(pptp_msg_strerror(INT_MIN), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_are_those_of_rfc2637),
		cmocka_unit_test(test_every_type_exact_size_accepted_off_by_one_refused),
		cmocka_unit_test(test_bad_magic_refused),
		cmocka_unit_test(test_bad_message_type_refused),
		cmocka_unit_test(test_unknown_control_type_refused),
		cmocka_unit_test(test_length_field_disagreeing_with_buffer_refused),
		cmocka_unit_test(test_frame_waits_for_the_whole_message),
		cmocka_unit_test(test_frame_refuses_bad_length_after_two_bytes),
		cmocka_unit_test(test_builders_produce_valid_messages),
		cmocka_unit_test(test_sccrq_sccrp_names_padded_and_truncated),
		cmocka_unit_test(test_get_put_are_big_endian),
		cmocka_unit_test(test_every_type_and_error_code_has_a_string),
	};

	return cmocka_run_group_tests_name("pptp_msg", tests, NULL, NULL);
}
