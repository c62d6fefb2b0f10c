/*
 * fuzz_decaps_gre - upstream's decaps_gre() (Poptop's pptpgre.c, as our
 * patches leave it) on whatever GRE a client or an LRP can send pptpctrl:
 * the real function reads each packet from a datagram socket, as it reads
 * the RRP session's GRE socket in a tunnel (pptpctrl's "rrp" mode, set up
 * here through rrp_ctrl_parse_args()) or the raw GRE socket with an IPv4
 * header in front, and hands payloads to encaps_hdlc() towards pppd
 * (here /dev/null).  Sequence numbers run through its reorder queue
 * (pqueue.c), which is emptied between inputs.
 *
 * Input: byte 0 holds options (bit 0: held packets expire at once, so the
 * queue's timeout path runs; bit 1: pptpctrl's debug logging); then
 * packets, each a 2-byte big-endian length and that many bytes.
 * Properties: nothing is read outside a packet (ASan), a payload handed
 * on is no longer than the packet that carried it and fits what
 * encaps_hdlc() takes, no ack of an untimed packet changes the round-trip
 * estimate.
 */
#include "config.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_target.h"
#include "pptpctrl.h"
#include "pptpgre.h"
#include "pqueue.h"
#include "pptpctrl_rrp.h"

#define OUR_CALL_ID	0x1234	/* pptpd's, as the packets carry it */
#define PEER_CALL_ID	0x4321
#define PACKET_MAX	8196	/* pptpgre.c's */

int pptpctrl_debug = 0;		/* pptpctrl.c defines it in the real program */

static int sv[2] = { -1, -1 };
static int devnull = -1;
static size_t last_packet_len;

static void
setup(void)
{
	char fd[16];
	char *argv[] = { "rrp", fd, "192.0.2.7:50123", "lrp 192.0.2.1:40000", NULL };

	if (sv[0] >= 0)
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0 ||
	    (devnull = open("/dev/null", O_WRONLY)) < 0) {
		perror("fuzz_decaps_gre: setup");
		abort();
	}
	/* the descriptor must be at least 3, as pptpd hands it over */
	snprintf(fd, sizeof(fd), "%d", sv[0]);
	if (rrp_ctrl_parse_args(4, argv, 0) != 4 || !rrp_ctrl_active())
		abort();
}

/* What pptpctrl passes: encaps_hdlc() towards pppd.  The payload is
 * copied first so ASan checks every byte decaps_gre() hands over. */
static int
deliver(int fd, void *pack, unsigned len)
{
	static uint8_t copy[PACKET_MAX];

	FUZZ_ASSERT(len <= PACKET_MAX);
	FUZZ_ASSERT(len <= last_packet_len || last_packet_len == 0);
	memcpy(copy, pack, len);
	return encaps_hdlc(fd, copy, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 1, n;
	int fd;

	if (size < 1)
		return 0;
	setup();
	/* each input is a call of its own: an empty queue, fresh counters */
	while (pqueue_head() != NULL)
		pqueue_del(pqueue_head());
	memset(&stats, 0, sizeof(stats));
	packet_timeout_usecs = (data[0] & 1) ? 0 : 300000;
	pptpctrl_debug = (data[0] & 2) != 0;
	/* resets the sequence state; in a tunnel it opens no raw socket but
	 * hands back a duplicate of the tunnel's GRE socket */
	fd = pptp_gre_init((uint32_t)htons(PEER_CALL_ID) << 16 |
	    htons(OUR_CALL_ID), -1, NULL);
	FUZZ_ASSERT(fd >= 0);
	while (size - off >= 2) {
		n = (size_t)(data[off] << 8 | data[off + 1]);
		off += 2;
		if (n > size - off)
			n = size - off;
		if (n == 0 || n > 12000) {	/* larger ones it reads cut short */
			off += n;
			continue;
		}
		FUZZ_ASSERT(send(sv[1], data + off, n, 0) == (ssize_t)n);
		/* a payload queued earlier may come out of a later call, so
		 * its bound is the largest packet so far */
		if (n > last_packet_len)
			last_packet_len = n;
		FUZZ_ASSERT(decaps_gre(fd, deliver, devnull) >= 0);
		off += n;
	}
	FUZZ_ASSERT(decaps_gre_expired(deliver, devnull) >= 0);
	/* no round trip is measured from the ack of a packet never timed
	 * (patches/0021) */
	FUZZ_ASSERT(stats.pt.time != 0 || stats.rtt == 0);
	last_packet_len = 0;
	close(fd);
	return 0;
}
