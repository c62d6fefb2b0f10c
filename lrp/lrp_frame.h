/*
 * lrp_frame.h - what the capture path reads from a client's captured
 * frame, as functions over a buffer (lrp_capture.c hands them libpcap's
 * frames; tests/fuzz/fuzz_lrp_gre.c hands them anything): the link-layer
 * header, the IPv4 header, reassembly of fragments (lrp_reasm.c), then
 * the GRE header and the session its Call ID names.
 */
#ifndef LRP_FRAME_H
#define LRP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "lrp_reasm.h"

struct lrp;
struct lrp_session;

/* Is this libpcap link type one lrp_frame_gre() reads? */
int lrp_frame_linktype_supported(int linktype);

/*
 * The GRE packet (IP payload) in a frame of caplen bytes captured on a
 * link of type linktype.  1: *gre, *grelen and *src (network order) are
 * set (into frame, or into r's buffer for a reassembled datagram, valid
 * until the next call); 0: a fragment was kept for later; -1: not IPv4
 * carrying GRE, truncated, or a fragment reassembly dropped.
 */
int lrp_frame_gre(struct lrp_reasm *r, int linktype, const uint8_t *frame,
    size_t caplen, int64_t now_ms, const uint8_t **gre, size_t *grelen,
    uint32_t *src);

/*
 * The session a client's GRE packet from src belongs to: a valid enhanced
 * GRE header whose Call ID is a session's, sent from that session's
 * client, while its tunnel is open.  NULL otherwise, counted in l->n.
 */
struct lrp_session *lrp_frame_session(struct lrp *l, uint32_t src,
    const uint8_t *gre, size_t grelen);

#endif
