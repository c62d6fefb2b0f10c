/*
 * fuzz_lrp_gre - the LRP's capture path on frames a client (or anyone on
 * its LAN) can put on the wire: lrp_linkframe_gre() reads the link-layer and
 * IPv4 headers and puts fragments back together (lrp_reasm.c), then
 * lrp_linkframe_session() parses the GRE header and finds the session its
 * Call ID names; the packet then gets pptpd's Call ID, as
 * lrp_tunnel_send_gre() writes it.  Twelve sessions exist: two open, one
 * whose tunnel is not open yet, one closing, eight more open (so more
 * clients than it takes to fill the reassembly pool at their share each).
 *
 * Input: byte 0 picks the link type (its low 7 bits: Ethernet, Linux
 * cooked v1/v2, raw IP, or one lrp refuses) and, in its top bit, whether
 * each frame is fed 8 times, the IP id one higher each time (so a few
 * bytes of input can fill the pool); then frames, each a 2-byte
 * big-endian length and that many bytes; the clock moves 100 ms per
 * frame, so reassembly timeouts happen too.
 *
 * Besides "no crash, no read out of bounds": a GRE packet handed over
 * lies in the frame or in a reassembly buffer, a session found is open
 * and the packet came from its client, and every byte of a reassembled
 * datagram is a byte some fragment of the same datagram (source,
 * destination, IP id) of this input carried at that offset: a hole never
 * comes out holding what an earlier datagram left in the buffer.  Only
 * the clients of open sessions ever hold datagrams in reassembly, each at
 * most LRP_REASM_PER_SOURCE.
 */
#include <string.h>

#include "fuzz_target.h"
#include "lrp.h"
#include "lrp_linkframe.h"
#include "pptp_gre.h"

#define NSESSIONS	12
#define REPEAT		8

static struct lrp l;
static struct lrp_session sessions[NSESSIONS];

/* The fragments of the current input, as the target reads them itself
 * (an oracle apart from lrp_linkframe.c): the datagram each belongs to and
 * where its payload lies in the input. */
struct seen_frag {
	uint32_t	src, dst;
	uint16_t	id;
	size_t		off, len;
	const uint8_t	*p;
};
static struct seen_frag *seen;
static size_t nseen;

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
	/* the LRP's Call IDs are 0x0100..0x010b (the corpus names them),
	 * clients 192.0.2.1..12.  lrp draws its IDs at random; the target
	 * only looks them up, so it puts its own straight into the table
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
		s->tstate = i == 2 ? TUN_WAIT_WELCOME : TUN_OPEN;	/* 3 is closing */
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

/* The IPv4 header of a frame as the target reads it: the link header's
 * fixed length for the link type, nothing checked beyond the lengths. */
static const uint8_t *
oracle_ip(int linktype, const uint8_t *f, size_t n, size_t *iplen)
{
	size_t off;

	switch (linktype) {
	case DLT_EN10MB:
		off = n >= 14 && f[12] == 0x81 && f[13] == 0x00 ? 18 : 14;
		break;
	case DLT_LINUX_SLL:
		off = 16;
		break;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		off = 20;
		break;
#endif
	case DLT_RAW:
		off = 0;
		break;
	default:
		return NULL;
	}
	if (n < off + 20)
		return NULL;
	*iplen = n - off;
	return f + off;
}

/* If the frame is an IPv4 fragment (MF set or an offset), note it, its
 * payload found at the same place in the input (in, which frame copies),
 * and return 1. */
static int
note_fragment(int linktype, const uint8_t *frame, size_t len, const uint8_t *in,
    struct seen_frag *f)
{
	const uint8_t *ip;
	size_t iplen, ihl, total;

	if ((ip = oracle_ip(linktype, frame, len, &iplen)) == NULL)
		return 0;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = (size_t)(ip[2] << 8 | ip[3]);
	if (ihl < 20 || total < ihl || total > iplen || ((ip[6] & 0x3f) == 0 && ip[7] == 0))
		return 0;
	memcpy(&f->src, ip + 12, 4);
	memcpy(&f->dst, ip + 16, 4);
	f->id = (uint16_t)(ip[4] << 8 | ip[5]);
	f->off = (size_t)((ip[6] & 0x1f) << 8 | ip[7]) * 8;
	f->len = total - ihl;
	f->p = in + (ip - frame) + ihl;
	return 1;
}

/* Every byte of a reassembled datagram was carried at its offset by a
 * fragment of the same datagram as the fragment that completed it. */
static void
check_reassembled(const struct seen_frag *last, const uint8_t *gre, size_t grelen)
{
	static uint8_t ok[RRP_GRE_MAX];
	size_t i, j;

	FUZZ_ASSERT(grelen <= sizeof(ok));
	memset(ok, 0, grelen);
	for (i = 0; i < nseen; i++) {
		const struct seen_frag *f = &seen[i];

		if (f->src != last->src || f->dst != last->dst || f->id != last->id)
			continue;
		for (j = f->off; j < f->off + f->len && j < grelen; j++)
			if (gre[j] == f->p[j - f->off])
				ok[j] = 1;
	}
	for (j = 0; j < grelen; j++)
		FUZZ_ASSERT(ok[j]);
}

/* Only the clients of open sessions hold datagrams in reassembly, each
 * at most its share. */
static void
check_slots(void)
{
	int i, k, n[NSESSIONS] = { 0 };

	for (i = 0; i < LRP_REASM_SLOTS; i++) {
		const struct lrp_reasm_slot *c = &l.reasm.slot[i];

		if (!c->used)
			continue;
		for (k = 0; k < NSESSIONS && c->src != sessions[k].client.sin_addr.s_addr; k++)
			;
		FUZZ_ASSERT(k < NSESSIONS);
		FUZZ_ASSERT(sessions[k].tstate == TUN_OPEN && !sessions[k].closing);
		FUZZ_ASSERT(++n[k] <= LRP_REASM_PER_SOURCE);
	}
}

static void
one_frame(int linktype, const uint8_t *frame, size_t len, const uint8_t *in, int64_t now)
{
	static uint8_t copy[RRP_GRE_MAX];
	struct lrp_session *s;
	struct pptp_gre_hdr h;
	const uint8_t *gre = NULL;
	size_t grelen = 0;
	uint32_t src = 0;
	int rc;

	int fragment;

	fragment = note_fragment(linktype, frame, len, in, &seen[nseen]);
	if (fragment)
		nseen++;
	rc = lrp_linkframe_gre(&l, linktype, frame, len, now, &gre, &grelen, &src);
	FUZZ_ASSERT(rc >= -1 && rc <= 1);
	check_slots();
	if (rc != 1)
		return;
	FUZZ_ASSERT(within(gre, grelen, frame, len));
	if (fragment)	/* it completed a datagram */
		check_reassembled(&seen[nseen - 1], gre, grelen);
	s = lrp_linkframe_session(&l, src, gre, grelen);
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

/* The k-th repetition of a frame: its IP id k higher. */
static void
bump_ip_id(int linktype, uint8_t *frame, size_t len, unsigned k)
{
	uint8_t *ip;
	size_t iplen;
	uint16_t id;

	if ((ip = (uint8_t *)oracle_ip(linktype, frame, len, &iplen)) == NULL)
		return;
	id = (uint16_t)((ip[4] << 8 | ip[5]) + k);
	ip[4] = (uint8_t)(id >> 8);
	ip[5] = (uint8_t)id;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 1, n;
	int64_t now = 1000000;
	unsigned k, repeat;
	int linktype;

	if (size < 1)
		return 0;
	setup();
	linktype = linktypes[(data[0] & 0x7f) % (sizeof(linktypes) / sizeof(linktypes[0]))];
	repeat = data[0] & 0x80 ? REPEAT : 1;
	FUZZ_ASSERT(lrp_linkframe_linktype_supported(linktype) == (linktype != DLT_NULL));
	lrp_reasm_init(&l.reasm);
	memset(&l.gre_sources, 0, sizeof(l.gre_sources));
	/* at most one frame per 2 bytes of input */
	if ((seen = malloc((size / 2 + 1) * repeat * sizeof(*seen))) == NULL)
		abort();
	nseen = 0;
	while (size - off >= 2) {
		uint8_t *frame;

		n = (size_t)(data[off] << 8 | data[off + 1]);
		off += 2;
		if (n > size - off)
			n = size - off;
		/* a copy of exactly n bytes, so a read past the frame is seen */
		if ((frame = malloc(n ? n : 1)) == NULL)
			abort();
		for (k = 0; k < repeat; k++) {
			memcpy(frame, data + off, n);
			if (k > 0)
				bump_ip_id(linktype, frame, n, k);
			one_frame(linktype, frame, n, data + off, now);
		}
		free(frame);
		off += n;
		now += 100;
	}
	free(seen);
	seen = NULL;
	return 0;
}
