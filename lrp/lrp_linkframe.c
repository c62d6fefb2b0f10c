/*
 * lrp_linkframe.c - from a captured link-layer frame to the GRE packet
 * it carries and the session that packet is for.  Nothing here trusts the
 * frame: every offset is checked against the captured length before it is
 * read.
 */
#include "config.h"

#include <string.h>

#include "lrp.h"
#include "lrp_linkframe.h"
#include "pptp_gre.h"

/* Offset of the IPv4 header in a captured frame, or -1 if the frame is
 * not IPv4. */
static int
ip_offset(int linktype, const uint8_t *p, size_t caplen)
{
	switch (linktype) {
	case DLT_EN10MB:
		if (caplen < 14)
			return -1;
		if (p[12] == 0x81 && p[13] == 0x00)	/* one 802.1Q tag */
			return caplen >= 18 && p[16] == 0x08 && p[17] == 0x00 ? 18 : -1;
		return p[12] == 0x08 && p[13] == 0x00 ? 14 : -1;
	case DLT_LINUX_SLL:
		return caplen >= 16 && p[14] == 0x08 && p[15] == 0x00 ? 16 : -1;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		return caplen >= 20 && p[0] == 0x08 && p[1] == 0x00 ? 20 : -1;
#endif
	case DLT_RAW:
		return 0;
	default:
		return -1;
	}
}

int
lrp_linkframe_linktype_supported(int linktype)
{
	switch (linktype) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
#endif
	case DLT_RAW:
		return 1;
	default:
		return 0;
	}
}

/* Does s take GRE from src: its client, its call up?  What
 * lrp_linkframe_session() asks of every packet, bar the GRE header. */
static int
takes_gre(const struct lrp_session *s, uint32_t src)
{
	return s != NULL && src == s->client.sin_addr.s_addr && s->tstate == TUN_OPEN &&
	    s->cid.have_server_cid && !s->closing;
}

static struct lrp_linkframe_source *
source_entry(struct lrp *l, uint32_t addr)
{
	/* Fibonacci hashing: the top bits of the product mix every byte of
	 * the address */
	return &l->gre_sources.e[(uint32_t)(addr * 0x9e3779b1u) >> (32 - LRP_LINKFRAME_SOURCES_BITS)];
}

static void
remember_source(struct lrp *l, uint32_t addr, uint16_t lrp_cid)
{
	struct lrp_linkframe_source *e = source_entry(l, addr);

	e->addr = addr;
	e->lrp_cid = lrp_cid;
}

/*
 * May the fragment at ip (payload at ihl, plen bytes, at offset off) from
 * src start a datagram in reassembly?  Only if src is the client of a
 * session whose call is up: as remembered from its earlier GRE, or as the
 * Call ID in a first fragment's GRE header says.  Two array lookups.
 */
static int
may_start(struct lrp *l, uint32_t src, const uint8_t *ip, size_t ihl, size_t plen,
    size_t off)
{
	const struct lrp_linkframe_source *e = source_entry(l, src);
	uint16_t cid;

	if (e->addr == src && takes_gre(lrp_callid_lookup(&l->callids, e->lrp_cid), src))
		return 1;
	if (off != 0 || plen < 8)
		return 0;
	cid = (uint16_t)(ip[ihl + 6] << 8 | ip[ihl + 7]);
	if (!takes_gre(lrp_callid_lookup(&l->callids, cid), src))
		return 0;
	remember_source(l, src, cid);
	return 1;
}

int
lrp_linkframe_gre(struct lrp *l, int linktype, const uint8_t *frame,
    size_t caplen, int64_t now_ms, const uint8_t **gre, size_t *grelen,
    uint32_t *src)
{
	const uint8_t *ip;
	size_t iplen, ihl, total, fragoff;
	int off;

	off = ip_offset(linktype, frame, caplen);
	if (off < 0 || caplen < (size_t)off + 20)
		return -1;
	ip = frame + off;
	iplen = caplen - (size_t)off;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = (size_t)(ip[2] << 8 | ip[3]);
	if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 47 || total < ihl || total > iplen)
		return -1;
	memcpy(src, ip + 12, 4);
	if ((ip[6] & 0x3f) != 0 || ip[7] != 0) {
		/* a fragment (MF set or an offset): a full-size PPP frame from a
		 * client with the usual MTU */
		fragoff = (size_t)((ip[6] & 0x1f) << 8 | ip[7]) * 8;
		return lrp_reasm_add(&l->reasm, ip, iplen, now_ms,
		    may_start(l, *src, ip, ihl, total - ihl, fragoff), gre, grelen, src);
	}
	*gre = ip + ihl;
	*grelen = total - ihl;
	return 1;
}

struct lrp_session *
lrp_linkframe_session(struct lrp *l, uint32_t src, const uint8_t *gre, size_t grelen)
{
	struct lrp_session *s;
	struct pptp_gre_hdr gh;

	if (grelen > RRP_GRE_MAX || pptp_gre_parse(gre, grelen, &gh) < 0) {
		l->n.gre_malformed++;
		return NULL;
	}
	s = lrp_callid_lookup(&l->callids, gh.call_id);
	if (s == NULL) {
		l->n.gre_unknown_callid++;
		return NULL;
	}
	if (src != s->client.sin_addr.s_addr) {
		l->n.gre_spoofed++;
		return NULL;
	}
	if (s->tstate != TUN_OPEN || !s->cid.have_server_cid || s->closing) {
		l->n.gre_not_open++;
		return NULL;
	}
	remember_source(l, src, gh.call_id);
	return s;
}
