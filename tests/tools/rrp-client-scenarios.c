/*
 * rrp-client-scenarios.c - the modes that break the protocol in one
 * precise way and record how the server answers, and the switch that
 * plays the mode asked for (the session ones in rrp-client-pptp.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "pptp_gre.h"
#include "pptp_msg.h"
#include "rrp-client.h"
#include "rrp-client-io.h"
#include "rrp_auth.h"
#include "rrp_proto.h"

#define BAD_GRE_WAIT_US		(3 * 1000000ULL)

/* ---- the broken scenarios --------------------------------------------------- */

static int
send_sccrq_twisted(struct rcl_run *r, int bad_magic)
{
	uint8_t msg[PPTP_MSG_MAX];
	size_t n = pptp_build_sccrq(msg, "rrp-client", PROG);

	if (bad_magic)
		pptp_put32(msg, 4, 0xdeadbeefU);
	rcl_diag("-> CTRL Start-Control-Connection-Request%s",
	    bad_magic ? " with magic cookie 0xdeadbeef" : "");
	return rcl_tx_frame(r, RRP_CTRL, msg, n);
}

static void
mode_bad_gre(struct rcl_run *r)
{
	struct rcl_session *s = &r->s;
	uint8_t pkt[PPTP_GRE_HDR_MAX + 20];
	struct pptp_gre_hdr h = { 0 };
	uint8_t msg[PPTP_MSG_MAX];
	size_t hl;
	int rc;

	if (rcl_handshake(r, &r->secret, RRP_VERSION_MIN, RRP_VERSION_MAX) < 0)
		return;
	if (rcl_start_control(r) < 0 || rcl_place_call(r) < 0) {
		if (!rcl_ended(r))
			rcl_local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": giving up");
		return;
	}
	/* The GRE header announces 100 payload bytes; the frame holds 20. */
	h.call_id = s->srv_cid;
	h.payload_len = 100;
	h.has_seq = 1;
	h.seq = s->tx_seq++;
	hl = pptp_gre_build(pkt, &h);
	memset(pkt + hl, 0x5a, 20);
	rcl_diag("-> GRE with payload length 100 in a %zu-byte packet",
	    hl + 20);
	if (rcl_tx_frame(r, RRP_GRE, pkt, hl + 20) < 0)
		return;
	r->phase = "after the bad GRE";
	rc = rcl_pump_until(r, rcl_never, rcl_now_us() + BAD_GRE_WAIT_US);
	if (rc == -2)
		return;
	/* Nothing came back: at least the server must still be there. */
	r->phase = "waiting for an Echo-Reply after the bad GRE";
	if (rcl_tx_ctrl(r, msg, pptp_build_echorq(msg, 0xb0b0)) < 0)
		return;
	rc = rcl_pump_until(r, rcl_got_echorp, rcl_now_us() + TEARDOWN_STEP_US);
	if (rc == -2)
		return;
	rcl_set_fin(r, FIN_TIMEOUT, 0, "no answer to the bad GRE within "
	    "%llu ms; %s", (unsigned long long)(BAD_GRE_WAIT_US / 1000),
	    rc == 0 ? "then answered a PPTP Echo-Request" :
	    "then did not answer a PPTP Echo-Request");
	rcl_local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": test over");
}

void
rcl_run_mode(struct rcl_run *r, uint64_t *rtt, long *echoes_ok)
{
	static const uint8_t oversized[] = { RRP_GRE, 0, 0xff, 0xff };
	static const uint8_t unknown[] = { 0x7f, 0, 0, 0 };
	struct rrp_secret wrong;

	switch (r->o->mode) {
	case M_SESSION:
	case M_FLOOD:
	case M_SEQ_GAP:
		rcl_mode_session(r, rtt, echoes_ok);
		return;
	case M_WRONG_SECRET:
		wrong = r->secret;
		wrong.bytes[0] ^= 0xff;
		if (rcl_handshake(r, &wrong, RRP_VERSION_MIN,
		    RRP_VERSION_MAX) == 0)
			rcl_set_fin(r, FIN_FRAME, RRP_WELCOME, "WELCOME");
		rrp_secret_clear(&wrong);
		break;
	case M_VERSION:
		/* version:1 is a plain handshake: it must open. */
		if (rcl_handshake(r, &r->secret, (uint8_t)r->o->version_n,
		    (uint8_t)r->o->version_n) == 0)
			rcl_set_fin(r, FIN_FRAME, RRP_WELCOME, "WELCOME (MAC verified)");
		break;
	case M_BAD_MAGIC:
		if (rcl_send_hello(r, 1, 1, HELLO_BAD_MAGIC) == 0)
			rcl_await_end(r, r->deadline_us);
		return;
	case M_BAD_FLAGS:
		if (rcl_send_hello(r, 1, 1, HELLO_BAD_FLAGS) == 0)
			rcl_await_end(r, r->deadline_us);
		return;
	case M_TRUNCATED:
		if (rcl_send_hello(r, 1, 1, HELLO_TRUNCATED) == 0) {
			rcl_shutdown_write(r->c);
			rcl_await_end(r, r->deadline_us);
		}
		return;
	case M_OVERSIZED:
		rcl_diag("-> GRE header announcing 65535 bytes");
		if (rcl_tx_raw(r, oversized, sizeof(oversized)) == 0)
			rcl_await_end(r, r->deadline_us);
		return;
	case M_UNKNOWN_FRAME:
		rcl_diag("-> frame type 0x7f");
		if (rcl_tx_raw(r, unknown, sizeof(unknown)) == 0)
			rcl_await_end(r, r->deadline_us);
		return;
	case M_EARLY_CTRL:
		r->phase = "in the handshake";
		if (rcl_send_hello(r, 1, 1, HELLO_PLAIN) == 0 &&
		    rcl_await_challenge(r) == 0 &&
		    send_sccrq_twisted(r, 0) == 0)
			rcl_await_end(r, r->deadline_us);
		return;
	case M_STALL:
		rcl_diag("sending nothing");
		rcl_await_end(r, r->deadline_us);
		return;
	case M_BAD_CTRL:
		if (rcl_handshake(r, &r->secret, 1, 1) == 0 &&
		    send_sccrq_twisted(r, 1) == 0)
			rcl_await_end(r, r->deadline_us);
		return;
	case M_GARBAGE_AFTER_OPEN:
		if (rcl_handshake(r, &r->secret, 1, 1) == 0) {
			rcl_diag("-> frame type 0x7f");
			if (rcl_tx_raw(r, unknown, sizeof(unknown)) == 0)
				rcl_await_end(r, r->deadline_us);
		}
		return;
	case M_BAD_GRE:
		mode_bad_gre(r);
		return;
	}
	/* The handshake opened where a refusal was the point (or version:1):
	 * end the tunnel politely. */
	if (r->fin == FIN_FRAME)
		rcl_local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": test over");
}

