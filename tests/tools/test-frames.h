/*
 * test-frames.h - the PPP payloads the test clients send and check: every
 * client (pptp-drive, rrp-client, pptp-raw-client) uses the same ones, so a
 * frame that comes back can be checked without keeping a copy.
 */
#ifndef TEST_FRAMES_H
#define TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define TEST_FRAME_MAX	1400	/* bytes of the largest test payload */

/* Payload of data frame i into buf (TEST_FRAME_MAX bytes); returns its
 * length.  Frame 0 holds every byte value, frame 1 alternates the HDLC
 * flag and escape bytes, frame 2 runs through the control characters HDLC
 * must escape; the rest are pseudo-random, 1 to 1400 bytes, with a
 * 1400-byte frame every fourth. */
size_t test_frame(unsigned i, uint8_t *buf);

/* The 16 data bytes of LCP Echo-Request number id. */
void test_echo_data(int id, uint8_t *data);

#endif
