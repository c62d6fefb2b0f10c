/*
 * decaps_gre_test - upstream's decaps_gre() (Poptop's pptpgre.c, as
 * patched by patches/0004) must never read a GRE header field or payload
 * byte the packet does not hold.
 *
 * This links the real pptpgre.c, built with ASan/UBSan when the compiler
 * has them, and feeds decaps_gre() packets through a datagram socketpair,
 * the way pptpctrl reads its GRE socket.  Without patch 0004, case 2 hands
 * pppd bytes left over from the previous packet, case 3 hands it bytes
 * past the packet's end, case 4 reads past the end of decaps_gre's static
 * buffer (ASan aborts), and case 5 ends the call.
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "pptpgre.h"
#include "pptpdefs.h"

int pptpctrl_debug = 0;		/* pptpctrl.c defines it in the real program */

#define OUR_CALL_ID	0x1234	/* the PAC's (pptpd's) Call ID, host order */
#define PEER_CALL_ID	0x4321
#define BUFFER_SIZE	(8196 + 64)	/* decaps_gre's static buffer */

static int sv[2];
static int devnull;
static unsigned delivered;
static size_t delivered_len;
static uint8_t delivered_copy[65536];

/* What pptpctrl passes: encaps_hdlc() towards pppd.  Copy the payload
 * first so ASan sees every byte decaps_gre hands over. */
static int
deliver(int fd, void *pack, unsigned len)
{
	delivered++;
	delivered_len = len;
	memcpy(delivered_copy, pack, len);
	return encaps_hdlc(fd, pack, len);
}

static size_t
gre_packet(uint8_t *p, size_t ip_len, uint32_t seq, uint16_t claimed_len,
    size_t real_payload)
{
	size_t i;

	memset(p, 0, ip_len);
	if (ip_len) {
		p[0] = 0x40 | (uint8_t)(ip_len / 4);
		p[9] = 47;
	}
	p += ip_len;
	p[0] = 0x30;			/* K, S */
	p[1] = 0x01;			/* version 1, no ack */
	p[2] = 0x88; p[3] = 0x0b;
	p[4] = claimed_len >> 8; p[5] = claimed_len & 0xff;
	p[6] = OUR_CALL_ID >> 8; p[7] = OUR_CALL_ID & 0xff;
	p[8] = seq >> 24; p[9] = seq >> 16; p[10] = seq >> 8; p[11] = seq;
	for (i = 0; i < real_payload; i++)
		p[12 + i] = (uint8_t)('A' + i % 26);
	return ip_len + 12 + real_payload;
}

static int
feed(const uint8_t *pkt, size_t len)
{
	assert_int_equal(send(sv[1], pkt, len, 0), (ssize_t)len);
	delivered = 0;
	return decaps_gre(sv[0], deliver, devnull);
}

static int
setup(void **state)
{
	struct in_addr addrs[2];
	int fd;

	(void)state;
	/* pptp_gre_init() resets decaps_gre's sequence state and records the
	 * call ids; it opens a raw GRE socket we then replace by a socketpair. */
	addrs[0].s_addr = htonl(INADDR_LOOPBACK);
	addrs[1].s_addr = htonl(INADDR_LOOPBACK);
	fd = pptp_gre_init((uint32_t)htons(PEER_CALL_ID) << 16 | htons(OUR_CALL_ID), -1, addrs);
	if (fd < 0) {
		fprintf(stderr, "# pptp_gre_init needs CAP_NET_RAW (run as root)\n");
		return -1;
	}
	close(fd);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
		return -1;
	devnull = open("/dev/null", O_WRONLY);
	return devnull < 0 ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(sv[0]);
	close(sv[1]);
	close(devnull);
	return 0;
}

/* 1: a well-formed packet is delivered whole */
static void
valid_packet_is_delivered(void **state)
{
	uint8_t p[64];
	size_t n = gre_packet(p, 0, 1, 4, 4);

	(void)state;
	assert_true(feed(p, n) > 0);	/* encaps_hdlc's byte count */
	assert_int_equal(delivered, 1);
	assert_int_equal(delivered_len, 4);
	assert_memory_equal(delivered_copy, "ABCD", 4);
}

/* 2: 8 bytes with S set: the sequence number is missing and must not be
 * taken from what the previous packet left in the buffer */
static void
header_shorter_than_its_flags_is_dropped(void **state)
{
	uint8_t p[64];

	(void)state;
	gre_packet(p, 0, 1, 4, 0);
	assert_int_equal(feed(p, 8), 0);
	assert_int_equal(delivered, 0);
	/* and shorter than the fixed part of the header */
	assert_int_equal(feed(p, 3), 0);
	assert_int_equal(delivered, 0);
}

/* 3: with an IP header in front, the payload length must be checked
 * against the bytes after it, not the whole datagram */
static void
payload_length_counts_from_the_ip_header_end(void **state)
{
	uint8_t p[128];
	size_t n = gre_packet(p, 20, 2, 30, 10);

	(void)state;
	assert_int_equal(feed(p, n), 0);
	assert_int_equal(delivered, 0);
}

/* 4: a datagram as large as the buffer with a 60-byte IP header claiming
 * everything after the GRE header: the payload would run past the end of
 * decaps_gre's static buffer */
static void
claimed_payload_cannot_run_past_the_buffer(void **state)
{
	static uint8_t p[BUFFER_SIZE];
	size_t n = gre_packet(p, 60, 3, BUFFER_SIZE - 12, BUFFER_SIZE - 60 - 12);

	(void)state;
	assert_int_equal(n, BUFFER_SIZE);
	assert_int_equal(feed(p, n), 0);
	assert_int_equal(delivered, 0);
}

/* 5: a payload larger than encaps_hdlc() takes is dropped, not fatal */
static void
oversized_payload_does_not_end_the_call(void **state)
{
	static uint8_t p[BUFFER_SIZE];
	size_t n = gre_packet(p, 0, 4, 8200, 8200);

	(void)state;
	assert_int_equal(feed(p, n), 0);
	assert_int_equal(delivered, 0);
}

/* 6: and the session goes on */
static void
next_valid_packet_is_still_delivered(void **state)
{
	uint8_t p[64];
	size_t n = gre_packet(p, 0, 2, 5, 5);	/* the next in sequence */

	(void)state;
	assert_true(feed(p, n) > 0);
	assert_int_equal(delivered, 1);
	assert_int_equal(delivered_len, 5);
}

int
main(void)
{
	int probe = socket(AF_INET, SOCK_RAW, IPPROTO_GRE);

	/* pptp_gre_init() opens a raw GRE socket: without CAP_NET_RAW the
	 * state it sets up cannot be reached (an unprivileged package build) */
	if (probe < 0) {
		printf("1..0 # SKIP needs CAP_NET_RAW (pptp_gre_init opens a raw GRE socket)\n");
		return 0;
	}
	close(probe);

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_packet_is_delivered),
		cmocka_unit_test(header_shorter_than_its_flags_is_dropped),
		cmocka_unit_test(payload_length_counts_from_the_ip_header_end),
		cmocka_unit_test(claimed_payload_cannot_run_past_the_buffer),
		cmocka_unit_test(oversized_payload_does_not_end_the_call),
		cmocka_unit_test(next_valid_packet_is_still_delivered),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("decaps_gre", tests, setup, teardown);
}
