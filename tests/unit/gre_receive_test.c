/*
 * gre_receive_test - upstream's decaps_gre() (Poptop's pptpgre.c as
 * patched) keeps the call's receive sequence sound against what a peer
 * sends out of order.
 *
 * It links the real pptpgre.c and pqueue.c and feeds decaps_gre() GRE
 * packets through a datagram socketpair, as pptpctrl reads its GRE socket.
 * Cases 1-2 (patches/0013): the reorder queue holds at most 256 packets
 * and still delivers every packet once and in order; without the patch it
 * holds all 400.  Cases 3-4 (patches/0014): a packet #1 is accepted out
 * of order only as a call's first packet; without the patch a stale #1 in
 * the middle of a call is delivered and resets the sequence, so the next
 * genuine packet waits in the queue instead of being delivered.
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
#include "pqueue.h"

int pptpctrl_debug = 0;		/* pptpctrl.c defines it in the real program */

#define OUR_CALL_ID	0x1234
#define PEER_CALL_ID	0x4321
#define HELD_MAX	256	/* patches/0013's PQUEUE_MAX_PACKETS */
#define BURST		400

static int sv[2];
static int devnull;
static uint32_t got[BURST + 16];	/* sequence numbers delivered, in order */
static unsigned ngot;

/* the payload is the packet's sequence number: what was delivered, in
 * what order */
static int
deliver(int fd, void *pack, unsigned len)
{
	uint32_t seq;

	assert_int_equal(len, sizeof(seq));
	memcpy(&seq, pack, sizeof(seq));
	if (ngot < sizeof(got) / sizeof(got[0]))
		got[ngot] = seq;
	ngot++;
	return encaps_hdlc(fd, pack, len);
}

static void
feed(uint32_t seq)
{
	uint8_t p[16];

	p[0] = 0x30;			/* K, S */
	p[1] = 0x01;			/* version 1, no ack */
	p[2] = 0x88; p[3] = 0x0b;
	p[4] = 0; p[5] = 4;
	p[6] = OUR_CALL_ID >> 8; p[7] = OUR_CALL_ID & 0xff;
	p[8] = seq >> 24; p[9] = seq >> 16; p[10] = seq >> 8; p[11] = seq;
	memcpy(p + 12, &seq, sizeof(seq));
	assert_int_equal(send(sv[1], p, sizeof(p), 0), (ssize_t)sizeof(p));
	assert_true(decaps_gre(sv[0], deliver, devnull) >= 0);
}

static int
held(void)
{
	pqueue_t *e;
	int n = 0;

	for (e = pqueue_head(); e != NULL; e = e->next)
		n++;
	return n;
}

/* a fresh call: decaps_gre's sequence state reset, the queue emptied */
static int
new_call(void **state)
{
	struct in_addr addrs[2];
	pqueue_t *e;
	int fd;

	(void)state;
	addrs[0].s_addr = htonl(INADDR_LOOPBACK);
	addrs[1].s_addr = htonl(INADDR_LOOPBACK);
	fd = pptp_gre_init((uint32_t)htons(PEER_CALL_ID) << 16 | htons(OUR_CALL_ID), -1, addrs);
	if (fd < 0)
		return -1;
	close(fd);
	while ((e = pqueue_head()) != NULL)
		pqueue_del(e);
	ngot = 0;
	return 0;
}

/* 1 (0013): #0, a gap at #1, then #2..#401: at most 256 held at a time */
static void
queue_holds_at_most_256(void **state)
{
	uint32_t s;
	int most = 0;

	(void)state;
	feed(0);
	for (s = 2; s < 2 + BURST; s++) {
		feed(s);
		if (held() > most)
			most = held();
	}
	print_message("# most packets held at once: %d (of %d after the gap)\n", most, BURST);
	assert_true(most <= HELD_MAX);
}

/* 2 (0013): and every packet reaches pppd once, in order, the held ones
 * when their time is up */
static void
every_packet_delivered_once_in_order(void **state)
{
	unsigned i;

	(void)state;
	usleep(400000);		/* past the 0.3 s reorder timeout */
	decaps_gre_expired(deliver, devnull);
	assert_int_equal(held(), 0);
	assert_int_equal(ngot, 1 + BURST);
	assert_int_equal(got[0], 0);
	for (i = 1; i < ngot; i++)
		assert_int_equal(got[i], i + 1);
}

/* 3 (0014): a client that counts from 1 is served at once, as before */
static void
call_starting_at_1_is_served(void **state)
{
	(void)state;
	feed(1);
	feed(2);
	assert_int_equal(ngot, 2);
	assert_int_equal(held(), 0);
}

/* 4 (0014): at #5, a stale or spoofed #1 is not delivered and does not
 * reset the sequence: #6 is delivered at once */
static void
late_1_does_not_reset_the_sequence(void **state)
{
	uint32_t s;

	(void)state;
	for (s = 0; s <= 5; s++)
		feed(s);
	assert_int_equal(ngot, 6);
	feed(1);
	assert_int_equal(ngot, 6);
	feed(6);
	assert_int_equal(ngot, 7);
	assert_int_equal(got[6], 6);
	assert_int_equal(held(), 0);
}

int
main(void)
{
	int probe = socket(AF_INET, SOCK_RAW, IPPROTO_GRE);

	if (probe < 0) {
		printf("1..0 # SKIP needs CAP_NET_RAW (pptp_gre_init opens a raw GRE socket)\n");
		return 0;
	}
	close(probe);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0 ||
	    (devnull = open("/dev/null", O_WRONLY)) < 0) {
		perror("gre_receive_test: setup");
		return 1;
	}

	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(queue_holds_at_most_256, new_call),
		cmocka_unit_test(every_packet_delivered_once_in_order),
		cmocka_unit_test_setup(call_starting_at_1_is_served, new_call),
		cmocka_unit_test_setup(late_1_does_not_reset_the_sequence, new_call),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("gre_receive", tests, NULL, NULL);
}
