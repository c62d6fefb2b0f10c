/*
 * rrp_handshake.h - the RRP's side of the tunnel handshake
 * (doc/tunnel-protocol.md, section 5) as a state machine fed one whole
 * frame at a time: HELLO -> CHALLENGE, AUTH -> authenticated.
 *
 * It reads no socket and logs nothing, so pptpd's manager can run it for
 * every tunnel in its pending set (pptpd_pending.h) before a process or a
 * connection slot is given, a session process can run it over a blocking
 * socket (when the manager hands over a tunnel before its handshake), and
 * a fuzzer can drive it.  The caller sends what it writes to out, logs
 * why it failed (h->why) and, once the tunnel is authenticated and
 * admitted, sends rrp_handshake_welcome().
 */
#ifndef RRP_HANDSHAKE_H
#define RRP_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#include "rrp_auth.h"
#include "rrp_proto.h"

enum rrp_handshake_state {
	RRP_HS_WAIT_HELLO,
	RRP_HS_WAIT_AUTH,
	RRP_HS_AUTHENTICATED,
	RRP_HS_FAILED
};

/* What rrp_handshake_frame() returns. */
enum rrp_handshake_result {
	RRP_HS_FAIL = -1,	/* send out (if any), log why, close */
	RRP_HS_CONTINUE = 0,	/* send out, wait for the next frame */
	RRP_HS_DONE = 1		/* authenticated: admit, then send WELCOME */
};

/* The largest frame rrp_handshake_frame() writes. */
#define RRP_HANDSHAKE_OUT_MAX	(RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX)

struct rrp_handshake {
	enum rrp_handshake_state state;
	const struct rrp_secret	*secret;
	uint8_t			version;	/* chosen, once HELLO is in */
	uint8_t			client_nonce[RRP_NONCE_LEN];
	uint8_t			server_nonce[RRP_NONCE_LEN];
	struct rrp_client_addr	client;		/* once authenticated */
	int			why_internal;	/* the failure is ours, not the LRP's */
	char			why[280];	/* why it failed, for the log line */
};

void rrp_handshake_init(struct rrp_handshake *h, const struct rrp_secret *secret);

/* "waiting for HELLO" or "waiting for AUTH": the stage, for log lines. */
const char *rrp_handshake_waiting(const struct rrp_handshake *h);

/* Feed the next whole frame.  *outlen is the length of the frame written
 * to out (cap at least RRP_HANDSHAKE_OUT_MAX), 0 for none. */
enum rrp_handshake_result rrp_handshake_frame(struct rrp_handshake *h,
    const struct rrp_frame *f, uint8_t *out, size_t cap, size_t *outlen);

/* The next frame's header was bad (err, an rrp_error from
 * rrp_frame_parse()): fails the handshake, with an ERROR in out. */
enum rrp_handshake_result rrp_handshake_bad_header(struct rrp_handshake *h,
    int err, uint8_t *out, size_t cap, size_t *outlen);

/* The WELCOME frame for an authenticated handshake; its length, or 0 if
 * the MAC cannot be computed. */
size_t rrp_handshake_welcome(const struct rrp_handshake *h, uint8_t *out,
    size_t cap);

#endif
