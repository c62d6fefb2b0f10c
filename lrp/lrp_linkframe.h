/*
 * lrp_linkframe.h - what the capture path reads from a client's captured
 * link-layer frame (not a tunnel frame: those are common/rrp_proto.h's),
 * as functions over a buffer (lrp_capture.c hands them libpcap's
 * frames; tests/fuzz/fuzz_lrp_gre.c hands them anything): the link-layer
 * header, the IPv4 header, reassembly of fragments (lrp_reasm.c), then
 * the GRE header and the session its Call ID names.
 */
#ifndef LRP_LINKFRAME_H
#define LRP_LINKFRAME_H

#include <stddef.h>
#include <stdint.h>

#include "lrp_reasm.h"

struct lrp;
struct lrp_session;

/*
 * Which addresses may start a datagram in reassembly: the client address
 * of a session whose call is up.  A first fragment names its session
 * (the GRE header's Call ID is in it); a later one does not, so the
 * address of every packet that reached a session is kept here with the
 * session's Call ID, one entry per hash of the address (1024 of them, 8
 * KiB).  An entry proves nothing by itself: it is checked against the
 * Call ID table each time, so one whose session ended, or that another
 * address took over, is simply not believed.  Two clients whose addresses
 * hash alike take turns in their entry; that matters only for a datagram
 * whose first fragment comes after a later one (senders send them in
 * order), which the client not in the entry then loses.
 */
#define LRP_LINKFRAME_SOURCES_BITS	10
#define LRP_LINKFRAME_SOURCES	(1 << LRP_LINKFRAME_SOURCES_BITS)

struct lrp_linkframe_source {
	uint32_t	addr;		/* network order; 0: empty */
	uint16_t	lrp_cid;
};

struct lrp_linkframe_sources {
	struct lrp_linkframe_source	e[LRP_LINKFRAME_SOURCES];
};

/* Is this libpcap link type one lrp_linkframe_gre() reads? */
int lrp_linkframe_linktype_supported(int linktype);

/*
 * The GRE packet (IP payload) in a frame of caplen bytes captured on a
 * link of type linktype.  1: *gre, *grelen and *src (network order) are
 * set (into frame, or into l->reasm's buffer for a reassembled datagram,
 * valid until the next call); 0: a fragment was kept for later; -1: not
 * IPv4 carrying GRE, truncated, or a fragment reassembly refused or
 * dropped (then l->reasm's counters and last_drop say so).  *src is set
 * too for 0, and for -1 once the IPv4 header was read.  A fragment may
 * start a datagram only if its source is a client whose call is up.
 */
int lrp_linkframe_gre(struct lrp *l, int linktype, const uint8_t *frame,
    size_t caplen, int64_t now_ms, const uint8_t **gre, size_t *grelen,
    uint32_t *src);

/*
 * The session a client's GRE packet from src belongs to: a valid enhanced
 * GRE header whose Call ID is a session's, sent from that session's
 * client, while its tunnel is open.  NULL otherwise, counted in l->n.
 * The address is remembered as that session's (struct lrp_linkframe_sources).
 */
struct lrp_session *lrp_linkframe_session(struct lrp *l, uint32_t src,
    const uint8_t *gre, size_t grelen);

#endif
