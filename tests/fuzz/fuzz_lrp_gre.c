/*
 * fuzz_lrp_gre - the LRP's capture path on frames a client (or anyone on
 * its LAN) can put on the wire: lrp_frame_gre() reads the link-layer and
 * IPv4 headers and puts fragments back together (lrp_reasm.c), then
 * lrp_frame_session() parses the GRE header and finds the session its
 * Call ID names; the packet then gets pptpd's Call ID, as
 * lrp_tunnel_send_gre() writes it.  Four sessions exist: two open, one
 * whose tunnel is not open yet, one closing.
 *
 * Input: byte 0 picks the link type (Ethernet, Linux cooked v1/v2, raw
 * IP, or one lrp refuses); then frames, each a 2-byte big-endian length
 * and that many bytes; the clock moves 100 ms per frame, so reassembly
 * timeouts happen too.
 */
#include <string.h>

#include "fuzz_target.h"
#include "lrp.h"
#include "lrp_frame.h"
#include "pptp_gre.h"

#define NSESSIONS	4

static struct lrp l;
static struct lrp_session sessions[NSESSIONS];

static const int linktypes[] = {
	DLT_EN10MB, DLT_LINUX_SLL,
#ifdef DLT_LINUX_SLL2
	DLT_LINUX_SLL2,
#else
	DLT_RAW,
#endif
	DLT_RAW, DLT_NULL,
};

static void
setup(void)
{
	static int done;
	int i;

	if (done)
		return;
	done = 1;
	/* the LRP's Call IDs are 0x0100..0x0103 (the corpus names them),
	 * clients 192.0.2.1..4.  lrp draws its IDs at random; the target
	 * only looks them up, so it puts its four straight into the table
	 * the lookups read, and never allocates (no random source). */
	lrp_callids_init(&l.callids, NULL);
	for (i = 0; i < NSESSIONS; i++) {
		struct lrp_session *s = &sessions[i];

		s->lrp = &l;
		s->client.sin_family = AF_INET;
		s->client.sin_addr.s_addr = htonl(0xc0000201u + (uint32_t)i);
		s->cid.lrp_cid = (uint16_t)(0x0100 + i);
		l.callids.by_id[s->cid.lrp_cid] = s;
		s->cid.server_cid = (uint16_t)(0x8000 + i);
		s->cid.have_server_cid = 1;
		s->tstate = i == 2 ? TUN_WAIT_WELCOME : TUN_OPEN;
		s->closing = i == 3;
	}
}

/* Where a GRE packet handed over must lie: in the frame, or in the
 * buffer of one reassembly slot. */
static int
within(const uint8_t *p, size_t n, const uint8_t *frame, size_t framelen)
{
	int i;

	if (p >= frame && n <= framelen && p - frame <= (ptrdiff_t)(framelen - n))
		return 1;
	for (i = 0; i < LRP_REASM_SLOTS; i++) {
		const uint8_t *b = l.reasm.slot[i].buf;

		if (p >= b && n <= LRP_REASM_MAX && p - b <= (ptrdiff_t)(LRP_REASM_MAX - n))
			return 1;
	}
	return 0;
}

static void
one_frame(int linktype, const uint8_t *frame, size_t len, int64_t now)
{
	static uint8_t copy[RRP_GRE_MAX];
	struct lrp_session *s;
	struct pptp_gre_hdr h;
	const uint8_t *gre = NULL;
	size_t grelen = 0;
	uint32_t src = 0;
	int rc;

	rc = lrp_frame_gre(&l.reasm, linktype, frame, len, now, &gre, &grelen, &src);
	FUZZ_ASSERT(rc >= -1 && rc <= 1);
	if (rc != 1)
		return;
	FUZZ_ASSERT(within(gre, grelen, frame, len));
	s = lrp_frame_session(&l, src, gre, grelen);
	if (s == NULL)
		return;
	FUZZ_ASSERT(s >= sessions && s < sessions + NSESSIONS);
	FUZZ_ASSERT(s->client.sin_addr.s_addr == src);
	FUZZ_ASSERT(s->tstate == TUN_OPEN && !s->closing);
	FUZZ_ASSERT(grelen <= sizeof(copy));
	/* what goes up the tunnel: pptpd's Call ID, a packet still valid */
	memcpy(copy, gre, grelen);
	pptp_gre_set_call_id(copy, s->cid.server_cid);
	FUZZ_ASSERT(pptp_gre_parse(copy, grelen, &h) == 0);
	FUZZ_ASSERT(h.call_id == s->cid.server_cid);
	FUZZ_ASSERT(h.hdr_len + h.payload_len == grelen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 1, n;
	int64_t now = 1000000;
	int linktype;

	if (size < 1)
		return 0;
	setup();
	linktype = linktypes[data[0] % (sizeof(linktypes) / sizeof(linktypes[0]))];
	FUZZ_ASSERT(lrp_frame_linktype_supported(linktype) == (linktype != DLT_NULL));
	lrp_reasm_init(&l.reasm);
	while (size - off >= 2) {
		uint8_t *frame;

		n = (size_t)(data[off] << 8 | data[off + 1]);
		off += 2;
		if (n > size - off)
			n = size - off;
		/* a copy of exactly n bytes, so a read past the frame is seen */
		if ((frame = malloc(n ? n : 1)) == NULL)
			abort();
		memcpy(frame, data + off, n);
		one_frame(linktype, frame, n, now);
		free(frame);
		off += n;
		now += 100;
	}
	return 0;
}
