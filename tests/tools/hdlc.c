/*
 * hdlc.c - PPP HDLC-like framing (RFC 1662, sections 3-4 and appendix C):
 * byte stuffing and the 16-bit frame check sequence.
 */
#include "hdlc.h"

#include <string.h>

#define FCS_INIT	0xffff
#define FCS_GOOD	0xf0b8

static uint16_t fcs_table[256];
static int fcs_ready;

/* The CRC-CCITT table of RFC 1662 appendix C, computed rather than typed. */
static void
fcs_init(void)
{
	unsigned b, v, i;

	for (b = 0; b < 256; b++) {
		v = b;
		for (i = 0; i < 8; i++)
			v = (v & 1) ? (v >> 1) ^ 0x8408 : v >> 1;
		fcs_table[b] = (uint16_t)v;
	}
	fcs_ready = 1;
}

static uint16_t
fcs_update(uint16_t fcs, uint8_t c)
{
	return (uint16_t)((fcs >> 8) ^ fcs_table[(fcs ^ c) & 0xff]);
}

static int
needs_escape(uint8_t c)
{
	return c < 0x20 || c == HDLC_FLAG || c == HDLC_ESCAPE;
}

size_t
hdlc_encode(const uint8_t *frame, size_t len, uint8_t *out, size_t cap)
{
	uint16_t fcs = FCS_INIT;
	uint8_t trailer[2];
	size_t pos = 0, i;

	if (!fcs_ready)
		fcs_init();
	if (cap < 2 * len + 6)
		return 0;
	out[pos++] = HDLC_FLAG;
	for (i = 0; i < len; i++) {
		fcs = fcs_update(fcs, frame[i]);
		if (needs_escape(frame[i])) {
			out[pos++] = HDLC_ESCAPE;
			out[pos++] = frame[i] ^ 0x20;
		} else
			out[pos++] = frame[i];
	}
	fcs ^= 0xffff;
	trailer[0] = fcs & 0xff;
	trailer[1] = fcs >> 8;
	for (i = 0; i < 2; i++) {
		if (needs_escape(trailer[i])) {
			out[pos++] = HDLC_ESCAPE;
			out[pos++] = trailer[i] ^ 0x20;
		} else
			out[pos++] = trailer[i];
	}
	out[pos++] = HDLC_FLAG;
	return pos;
}

void
hdlc_decoder_init(struct hdlc_decoder *d)
{
	memset(d, 0, sizeof(*d));
	if (!fcs_ready)
		fcs_init();
}

int
hdlc_feed(struct hdlc_decoder *d, const uint8_t *in, size_t n,
    int (*cb)(const uint8_t *, size_t, void *), void *arg)
{
	int delivered = 0, rc;
	uint16_t fcs;
	size_t i, k;

	for (i = 0; i < n; i++) {
		uint8_t c = in[i];

		if (c == HDLC_FLAG) {
			if (d->overflow)
				d->too_long++;
			else if (d->len > 0 && (d->len < 4 || d->escape))
				d->too_short++;
			else if (d->len > 0) {
				fcs = FCS_INIT;
				for (k = 0; k < d->len; k++)
					fcs = fcs_update(fcs, d->buf[k]);
				if (fcs != FCS_GOOD)
					d->bad_fcs++;
				else {
					delivered++;
					rc = cb(d->buf, d->len - 2, arg);
					if (rc != 0) {
						d->len = 0;
						d->escape = d->overflow = 0;
						return -rc;
					}
				}
			}
			d->len = 0;
			d->escape = d->overflow = 0;
			continue;
		}
		if (c == HDLC_ESCAPE) {
			d->escape = 1;
			continue;
		}
		if (d->escape) {
			c ^= 0x20;
			d->escape = 0;
		}
		if (d->len >= sizeof(d->buf)) {
			d->overflow = 1;
			continue;
		}
		d->buf[d->len++] = c;
	}
	return delivered;
}

int
ppp_frame_split(const uint8_t *frame, size_t len, uint16_t *proto,
    const uint8_t **info, size_t *info_len)
{
	size_t off = 0;

	if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03)
		off = 2;
	if (len < off + 1)
		return -1;
	if (frame[off] & 1) {		/* compressed protocol field */
		*proto = frame[off];
		off += 1;
	} else {
		if (len < off + 2)
			return -1;
		*proto = (uint16_t)(frame[off] << 8 | frame[off + 1]);
		off += 2;
	}
	*info = frame + off;
	*info_len = len - off;
	return 0;
}

size_t
ppp_frame_build(uint16_t proto, const uint8_t *info, size_t info_len,
    uint8_t *out, size_t cap)
{
	if (cap < info_len + 4)
		return 0;
	out[0] = 0xff;
	out[1] = 0x03;
	out[2] = proto >> 8;
	out[3] = proto & 0xff;
	if (info_len)
		memcpy(out + 4, info, info_len);
	return info_len + 4;
}
