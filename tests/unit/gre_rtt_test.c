/*
 * gre_rtt_test - upstream's decaps_gre() (Poptop's pptpgre.c as patched)
 * must not turn a peer's acknowledgement into arithmetic overflow.
 *
 * Found by tests/fuzz/fuzz_decaps_gre (UBSan: signed integer overflow in
 * pptpgre.c).  decaps_gre() estimates the round-trip time from an ack of
 * the packet recorded in stats.pt, but nothing ever records one: stats.pt
 * stays {0, 0}, so every ack of sequence number 0 "measured" the time
 * since 1970 in microseconds, cut to an int, and summed it into
 * stats.rtt - a signed overflow a peer triggers at will by acking 0 a few
 * times.  patches/0021 measures only an ack of a packet that was timed.
 *
 * It links the real pptpgre.c and pqueue.c and feeds decaps_gre() GRE
 * packets through a datagram socketpair standing for the RRP session's
 * GRE socket (pptpctrl's tunnel mode, as pptpd sets it up), so it needs
 * no raw socket.  Without the patch, stats.rtt is garbage (or UBSan,
 * when built with it, stops the program at the overflow).
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
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
#include "pptpctrl_rrp.h"

int pptpctrl_debug = 0;		/* pptpctrl.c defines it in the real program */

#define OUR_CALL_ID	0x1234
#define PEER_CALL_ID	0x4321

static int sv[2], gre_fd, devnull;
static unsigned delivered;

static int
deliver(int fd, void *pack, unsigned len)
{
	delivered++;
	return encaps_hdlc(fd, pack, len);
}

/* An ack-only packet (A set, no S, no payload) acknowledging ack. */
static void
send_ack(uint32_t ack)
{
	uint8_t p[12] = {
		0x20, 0x81, 0x88, 0x0b, 0, 0, OUR_CALL_ID >> 8, OUR_CALL_ID & 0xff,
		ack >> 24, ack >> 16, ack >> 8, ack,
	};

	assert_int_equal(send(sv[1], p, sizeof(p), 0), (ssize_t)sizeof(p));
	assert_int_equal(decaps_gre(gre_fd, deliver, devnull), 0);
}

static int
setup(void **state)
{
	char fd[16];
	char *argv[] = { "rrp", fd, "192.0.2.7:50123", "lrp 192.0.2.1:40000", NULL };

	(void)state;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0 ||
	    (devnull = open("/dev/null", O_WRONLY)) < 0)
		return -1;
	snprintf(fd, sizeof(fd), "%d", sv[0]);
	if (rrp_ctrl_parse_args(4, argv, 0) != 4)
		return -1;
	gre_fd = pptp_gre_init((uint32_t)htons(PEER_CALL_ID) << 16 | htons(OUR_CALL_ID),
	    -1, NULL);
	return gre_fd < 0 ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(gre_fd);
	close(sv[0]);
	close(sv[1]);
	close(devnull);
	return 0;
}

/* Acks of 0 - the first packet's, repeated as a peer may - measure no
 * round trip: nothing was timed. */
static void
acks_of_untimed_packets_leave_rtt_alone(void **state)
{
	int i;

	(void)state;
	assert_int_equal(stats.pt.time, 0);
	for (i = 0; i < 8; i++)
		send_ack(0);
	assert_int_equal(stats.rtt, 0);
	assert_int_equal(delivered, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(acks_of_untimed_packets_leave_rtt_alone),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, setup, teardown);
}
