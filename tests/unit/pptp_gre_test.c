/*
 * pptp_gre_test - the enhanced GRE header (common/pptp_gre.c): of all
 * 65536 combinations of the two flag bytes exactly the four PPTP uses
 * (S and A, each on or off) are accepted; the sequence and acknowledgment
 * numbers are read where their bits put them (the A bit lives in the
 * version byte, and an ack-only packet has its ack right after the call
 * id); a packet shorter than its header or whose payload length field
 * disagrees with it is refused; the Call ID is rewritten in place.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pptp_gre.h"

static uint8_t pkt[PPTP_GRE_HDR_MAX + 64];

/* A packet with the given flag bytes, sized so that a header with those
 * S and A bits and a payload of plen bytes (0 unless S) is consistent.
 * Returns its length. */
static size_t
make(uint8_t b0, uint8_t b1, uint16_t plen)
{
	size_t hdr = 8 + ((b0 & 0x10) ? 4 : 0) + ((b1 & 0x80) ? 4 : 0);
	size_t i;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = b0;
	pkt[1] = b1;
	pkt[2] = 0x88;
	pkt[3] = 0x0b;
	pkt[4] = (uint8_t)(plen >> 8);
	pkt[5] = (uint8_t)plen;
	pkt[6] = 0xca;			/* call id 0xcafe */
	pkt[7] = 0xfe;
	for (i = 8; i < hdr + plen && i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)i;
	return hdr + plen;
}

static void
test_only_the_four_pptp_flag_combinations_accepted(void **state)
{
	struct pptp_gre_hdr h;
	unsigned b0, b1, accepted = 0;
	int rc, valid;
	size_t n;

	for (b0 = 0; b0 < 256; b0++) {
		for (b1 = 0; b1 < 256; b1++) {
			n = make((uint8_t)b0, (uint8_t)b1,
			    (b0 & 0x10) ? 4 : 0);
			rc = pptp_gre_parse(pkt, n, &h);
			/* K set, S free, C R s recur clear; A free, flag bits
			 * clear, version 1 */
			valid = (b0 & ~0x10u) == 0x20 && (b1 & ~0x80u) == 0x01;
			if (valid) {
				assert_int_equal(rc, 0);
				accepted++;
			} else if ((b1 & 0x07) != 1) {
				assert_int_equal(rc, -PPTP_GRE_E_VERSION);
			} else {
				assert_int_equal(rc, -PPTP_GRE_E_FLAGS);
			}
		}
	}
	assert_int_equal(accepted, 4);
}

static void
test_each_forbidden_bit_refused(void **state)
{
	static const uint8_t b0_bad[] = { 0x80, 0x40, 0x08, 0x04, 0x02, 0x01 };
	static const uint8_t b1_bad[] = { 0x40, 0x20, 0x10, 0x08 };
	struct pptp_gre_hdr h;
	size_t i, n;
	unsigned v;

	for (i = 0; i < sizeof(b0_bad); i++) {
		n = make(0x30 | b0_bad[i], 0x81, 4);
		assert_int_equal(pptp_gre_parse(pkt, n, &h), -PPTP_GRE_E_FLAGS);
	}
	for (i = 0; i < sizeof(b1_bad); i++) {
		n = make(0x30, 0x81 | b1_bad[i], 4);
		assert_int_equal(pptp_gre_parse(pkt, n, &h), -PPTP_GRE_E_FLAGS);
	}
	/* K clear */
	n = make(0x10, 0x01, 4);
	assert_int_equal(pptp_gre_parse(pkt, n, &h), -PPTP_GRE_E_FLAGS);
	/* every other version */
	for (v = 0; v < 8; v++) {
		if (v == 1)
			continue;
		n = make(0x30, (uint8_t)(0x80 | v), 4);
		assert_int_equal(pptp_gre_parse(pkt, n, &h),
		    -PPTP_GRE_E_VERSION);
	}
}

static void
test_protocol_must_be_ppp(void **state)
{
	struct pptp_gre_hdr h;
	size_t n;

	n = make(0x30, 0x81, 4);
	pkt[2] = 0x08;
	pkt[3] = 0x00;		/* IPv4 */
	assert_int_equal(pptp_gre_parse(pkt, n, &h), -PPTP_GRE_E_PROTO);
	pkt[2] = 0x88;
	pkt[3] = 0x0c;
	assert_int_equal(pptp_gre_parse(pkt, n, &h), -PPTP_GRE_E_PROTO);
}

static void
test_fields_read_where_the_flags_put_them(void **state)
{
	struct pptp_gre_hdr h;
	size_t n;

	/* data with seq and ack: 16-byte header */
	n = make(0x30, 0x81, 5);
	memcpy(pkt + 8, "\x00\x00\x00\x2a\x00\x00\x00\x29", 8);
	assert_int_equal(pptp_gre_parse(pkt, n, &h), 0);
	assert_int_equal(h.hdr_len, 16);
	assert_true(h.has_seq && h.has_ack);
	assert_int_equal(h.seq, 42);
	assert_int_equal(h.ack, 41);
	assert_int_equal(h.call_id, 0xcafe);
	assert_int_equal(h.payload_len, 5);

	/* data with seq only: 12-byte header */
	n = make(0x30, 0x01, 3);
	memcpy(pkt + 8, "\x01\x02\x03\x04", 4);
	assert_int_equal(pptp_gre_parse(pkt, n, &h), 0);
	assert_int_equal(h.hdr_len, 12);
	assert_true(h.has_seq && !h.has_ack);
	assert_int_equal(h.seq, 0x01020304);
	assert_int_equal(h.ack, 0);

	/* ack only (A in the version byte, S clear): the ack number sits
	 * right after the call id, 12-byte header, no payload */
	n = make(0x20, 0x81, 0);
	assert_int_equal(n, 12);
	memcpy(pkt + 8, "\xff\xee\xdd\xcc", 4);
	assert_int_equal(pptp_gre_parse(pkt, n, &h), 0);
	assert_int_equal(h.hdr_len, 12);
	assert_true(!h.has_seq && h.has_ack);
	assert_int_equal(h.ack, 0xffeeddcc);
	assert_int_equal(h.payload_len, 0);

	/* neither: an 8-byte header, nothing else */
	n = make(0x20, 0x01, 0);
	assert_int_equal(pptp_gre_parse(pkt, n, &h), 0);
	assert_int_equal(h.hdr_len, 8);
	assert_true(!h.has_seq && !h.has_ack);
}

static void
test_short_packets_refused_at_every_length(void **state)
{
	static const uint8_t combos[][2] = {
		{ 0x30, 0x81 }, { 0x30, 0x01 }, { 0x20, 0x81 }, { 0x20, 0x01 },
	};
	struct pptp_gre_hdr h;
	size_t i, k, n, hdr;

	for (i = 0; i < 4; i++) {
		n = make(combos[i][0], combos[i][1], 0);
		hdr = n;
		for (k = 0; k < hdr; k++)
			assert_int_equal(pptp_gre_parse(pkt, k, &h),
			    -PPTP_GRE_E_SHORT);
		assert_int_equal(pptp_gre_parse(pkt, hdr, &h), 0);
	}
}

static void
test_payload_length_must_match_the_packet(void **state)
{
	struct pptp_gre_hdr h;
	size_t n;

	n = make(0x30, 0x81, 10);
	assert_int_equal(pptp_gre_parse(pkt, n, &h), 0);
	/* one byte missing, one byte too many */
	assert_int_equal(pptp_gre_parse(pkt, n - 1, &h), -PPTP_GRE_E_PAYLOAD);
	assert_int_equal(pptp_gre_parse(pkt, n + 1, &h), -PPTP_GRE_E_PAYLOAD);
	/* the field says more than there is */
	pkt[5] = 11;
	assert_int_equal(pptp_gre_parse(pkt, n, &h), -PPTP_GRE_E_PAYLOAD);
	pkt[4] = 0xff;
	pkt[5] = 0xff;
	assert_int_equal(pptp_gre_parse(pkt, n, &h), -PPTP_GRE_E_PAYLOAD);
	/* no sequence number: no payload, whatever the field or the length */
	n = make(0x20, 0x81, 0);
	pkt[5] = 1;
	assert_int_equal(pptp_gre_parse(pkt, n + 1, &h), -PPTP_GRE_E_PAYLOAD);
	pkt[5] = 0;
	assert_int_equal(pptp_gre_parse(pkt, n + 1, &h), -PPTP_GRE_E_PAYLOAD);
	/* a sequenced packet may be empty */
	n = make(0x30, 0x01, 0);
	assert_int_equal(pptp_gre_parse(pkt, n, &h), 0);
}

static void
test_call_id_rewritten_in_place(void **state)
{
	uint8_t before[sizeof(pkt)];
	struct pptp_gre_hdr h;
	size_t n;

	n = make(0x30, 0x81, 20);
	memcpy(before, pkt, sizeof(pkt));
	assert_int_equal(pptp_gre_parse(pkt, n, &h), 0);
	pptp_gre_set_call_id(pkt, 0x0102);
	assert_int_equal(pkt[6], 0x01);
	assert_int_equal(pkt[7], 0x02);
	assert_memory_equal(pkt, before, 6);
	assert_memory_equal(pkt + 8, before + 8, sizeof(pkt) - 8);
	assert_int_equal(pptp_gre_parse(pkt, n, &h), 0);
	assert_int_equal(h.call_id, 0x0102);
}

static void
test_build_round_trips_through_parse(void **state)
{
	struct pptp_gre_hdr in, out;
	size_t n;
	int s, a;

	for (s = 0; s < 2; s++) {
		for (a = 0; a < 2; a++) {
			memset(&in, 0, sizeof(in));
			in.call_id = 0x8001;
			in.has_seq = s;
			in.has_ack = a;
			in.seq = s ? 0x11223344 : 0;
			in.ack = a ? 0x55667788 : 0;
			in.payload_len = s ? 7 : 0;
			memset(pkt, 0xee, sizeof(pkt));
			n = pptp_gre_build(pkt, &in);
			assert_int_equal(n, 8 + 4 * s + 4 * a);
			assert_int_equal(pptp_gre_parse(pkt, n + in.payload_len,
			    &out), 0);
			assert_int_equal(out.hdr_len, n);
			assert_int_equal(out.call_id, in.call_id);
			assert_int_equal(out.has_seq, s);
			assert_int_equal(out.has_ack, a);
			assert_int_equal(out.seq, in.seq);
			assert_int_equal(out.ack, in.ack);
			assert_int_equal(out.payload_len, in.payload_len);
			/* A is bit 0x80 of the second byte, S 0x10 of the first */
			assert_int_equal(pkt[0], s ? 0x30 : 0x20);
			assert_int_equal(pkt[1], a ? 0x81 : 0x01);
		}
	}
}

static void
test_every_error_code_has_a_string(void **state)
{
	int i;

	assert_string_equal(pptp_gre_strerror(-PPTP_GRE_E_SHORT),
	    "packet shorter than its GRE header");
	for (i = -10; i < 10; i++)
		assert_non_null(pptp_gre_strerror(i));
	assert_string_equal(pptp_gre_strerror(INT_MIN), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_the_four_pptp_flag_combinations_accepted),
		cmocka_unit_test(test_each_forbidden_bit_refused),
		cmocka_unit_test(test_protocol_must_be_ppp),
		cmocka_unit_test(test_fields_read_where_the_flags_put_them),
		cmocka_unit_test(test_short_packets_refused_at_every_length),
		cmocka_unit_test(test_payload_length_must_match_the_packet),
		cmocka_unit_test(test_call_id_rewritten_in_place),
		cmocka_unit_test(test_build_round_trips_through_parse),
		cmocka_unit_test(test_every_error_code_has_a_string),
	};

	return cmocka_run_group_tests_name("pptp_gre", tests, NULL, NULL);
}
