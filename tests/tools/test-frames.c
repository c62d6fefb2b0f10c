/*
 * test-frames.c - deterministic PPP payloads for the test clients.
 */
#include "test-frames.h"

size_t
test_frame(unsigned i, uint8_t *buf)
{
	uint32_t x = 2463534242u ^ (i * 2654435761u);
	size_t len, k;

	if (i == 0) {
		for (k = 0; k < 256; k++)
			buf[k] = (uint8_t)k;
		return 256;
	}
	if (i == 1) {
		for (k = 0; k < 512; k++)
			buf[k] = (k & 1) ? 0x7d : 0x7e;
		return 512;
	}
	if (i == 2) {
		for (k = 0; k < 320; k++)
			buf[k] = (uint8_t)(k % 0x20);
		return 320;
	}
	x ^= x << 13; x ^= x >> 17; x ^= x << 5;
	len = (i % 4 == 3) ? TEST_FRAME_MAX : 1 + x % TEST_FRAME_MAX;
	for (k = 0; k < len; k++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		buf[k] = (uint8_t)x;
	}
	return len;
}

void
test_echo_data(int id, uint8_t *data)
{
	int k;

	for (k = 0; k < 16; k++)
		data[k] = (uint8_t)(id * 31 + k);
}
