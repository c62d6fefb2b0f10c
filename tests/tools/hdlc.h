/*
 * hdlc.h - PPP in HDLC-like framing (RFC 1662), for the test tools that
 * stand in for pppd on either end of a PPTP session.  pptpctrl and
 * pptp-linux both exchange frames in this framing with their ppp program.
 */
#ifndef TEST_HDLC_H
#define TEST_HDLC_H

#include <stddef.h>
#include <stdint.h>

#define HDLC_FLAG	0x7e
#define HDLC_ESCAPE	0x7d
#define HDLC_FRAME_MAX	8192	/* unescaped bytes, FCS included */

/* Encode frame[0..len) (address/control/protocol included, FCS not) into
 * out, escaping flag, escape and every byte below 0x20; returns the
 * encoded length, or 0 if out (cap bytes) is too small.  2*len+6 always
 * suffices. */
size_t hdlc_encode(const uint8_t *frame, size_t len, uint8_t *out, size_t cap);

/* Streaming decoder. */
struct hdlc_decoder {
	uint8_t		buf[HDLC_FRAME_MAX];
	size_t		len;
	int		escape;
	int		overflow;
	unsigned long	bad_fcs, too_short, too_long;
};

void hdlc_decoder_init(struct hdlc_decoder *d);

/* Feed n bytes; for every complete frame with a good FCS, cb(frame, len,
 * arg) is called with the FCS removed.  Returns the number of frames
 * delivered; cb returning nonzero stops feeding and is returned negated. */
int hdlc_feed(struct hdlc_decoder *d, const uint8_t *in, size_t n,
    int (*cb)(const uint8_t *frame, size_t len, void *arg), void *arg);

/* PPP protocol numbers the tools use. */
#define PPP_LCP		0xc021
#define PPP_IP		0x0021
/* Data frames of the tests use the Padding Protocol number: no dissector
 * (tshark) or middlebox reads anything into their random contents. */
#define PPP_TEST_DATA	0x0001
#define LCP_ECHO_REQUEST	9
#define LCP_ECHO_REPLY		10

/* Split a decoded frame into protocol and information field, accepting
 * the address/control field (ff 03) present or compressed away and a
 * compressed (1-byte) protocol.  Returns 0, or -1 if the frame is too
 * short. */
int ppp_frame_split(const uint8_t *frame, size_t len, uint16_t *proto,
    const uint8_t **info, size_t *info_len);

/* Build "ff 03 <proto> <info>" into out; returns the length or 0 if out is
 * too small. */
size_t ppp_frame_build(uint16_t proto, const uint8_t *info, size_t info_len,
    uint8_t *out, size_t cap);

#endif
