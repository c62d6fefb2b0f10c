/*
 * rrp-client-open.c - what the server sends in the open state (CTRL, GRE
 * and the PPP inside, KEEPALIVE, the end), our answers and timers, and the
 * pump the PPTP session and the scenarios wait with.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "pptp_gre.h"
#include "pptp_msg.h"
#include "rrp-client.h"
#include "rrp-client-io.h"
#include "rrp_proto.h"
#include "test-frames.h"

#define KEEPALIVE_INTERVAL_US	(20 * 1000000ULL)	/* spec section 9 */
#define ACK_DELAY_US		(50 * 1000ULL)	/* ack-only when nothing to send */
#define LCP_ECHO_REPLY		10

/* ---- what the server sends in the open state ----------------------------- */

static void
on_ppp(struct rcl_run *r, const uint8_t *frame, size_t len)
{
	struct rcl_session *s = &r->s;
	const uint8_t *info;
	size_t off = 0, info_len;
	uint16_t proto;

	if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03)
		off = 2;
	if (len < off + 1 || ((frame[off] & 1) == 0 && len < off + 2)) {
		s->ppp_short++;
		return;
	}
	if (frame[off] & 1) {		/* compressed protocol field */
		proto = frame[off];
		off += 1;
	} else {
		proto = (uint16_t)(frame[off] << 8 | frame[off + 1]);
		off += 2;
	}
	info = frame + off;
	info_len = len - off;
	s->first_seen = 1;

	if (proto == PPP_LCP && info_len >= 8 && info[0] == LCP_ECHO_REQUEST &&
	    info_len + 4 <= PPP_FRAME_MAX) {
		uint8_t lcp[PPP_FRAME_MAX];

		memcpy(lcp, info, info_len);
		lcp[0] = LCP_ECHO_REPLY;
		memset(lcp + 4, 0, 4);	/* magic number: none negotiated */
		s->lcp_answered++;
		(void)rcl_tx_ppp(r, PPP_LCP, lcp, info_len);
		return;
	}
	if (proto == PPP_LCP && info_len >= 8 && info[0] == LCP_ECHO_REPLY) {
		uint8_t want[16];

		test_echo_data(info[1], want);
		if (s->want_echo_id == info[1] && info_len == 8 + 16 &&
		    memcmp(info + 8, want, 16) == 0)
			s->got_echo = 1;
		else
			rcl_diag("unexpected LCP Echo-Reply id %u (%zu bytes)",
			    info[1], info_len);
		return;
	}
	if (proto == PPP_FLOOD_DATA) {
		s->flood_back++;
		return;
	}
	if (proto == PPP_TEST_DATA) {
		static uint8_t want[DATA_MAX];
		size_t want_len;

		if (s->data_next >= s->data_sent) {
			s->data_bad++;
			rcl_diag("a data frame came back that was never sent");
			return;
		}
		want_len = test_frame(s->data_next, want);
		if (info_len == want_len && memcmp(info, want, want_len) == 0) {
			s->data_ok++;
			s->bytes_ok += info_len;
		} else {
			s->data_bad++;
			rcl_diag("data frame %u came back wrong or out of "
			    "order (%zu bytes, expected %zu)", s->data_next,
			    info_len, want_len);
		}
		s->data_next++;
		return;
	}
	s->ppp_other++;
	rcl_diag("PPP frame with protocol 0x%04x (%zu bytes) ignored", proto,
	    info_len);
}

static int
seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static void
on_gre(struct rcl_run *r, const uint8_t *pkt, size_t len)
{
	struct rcl_session *s = &r->s;
	struct pptp_gre_hdr h;
	int rc = pptp_gre_parse(pkt, len, &h);

	if (rc < 0) {
		rcl_server_broke(r, RRP_E_PAYLOAD, "bad GRE packet: %s",
		    pptp_gre_strerror(rc));
		return;
	}
	s->gre_down++;
	if (h.call_id != s->our_cid) {
		if (s->bad_cid++ == 0)
			rcl_diag("GRE with Call ID %u, ours is %u", h.call_id,
			    s->our_cid);
		return;
	}
	if (h.has_ack) {
		/* Only what we sent can be acknowledged, and acks only move
		 * forward. */
		if (s->tx_seq == 0 || seq_after(h.ack, s->tx_seq - 1) ||
		    (s->srv_ack_have && seq_after(s->srv_ack_last, h.ack))) {
			if (s->bad_ack++ == 0)
				rcl_diag("GRE ack %u: we sent up to %u, last ack %u",
				    h.ack, s->tx_seq - 1, s->srv_ack_last);
		} else {
			s->srv_ack_have = 1;
			s->srv_ack_last = h.ack;
		}
	}
	if (!h.has_seq)
		return;
	if (!s->rx_have) {
		if (h.seq != 0)
			rcl_diag("first GRE sequence number from the server "
			    "is %u, not 0", h.seq);
	} else if (!seq_after(h.seq, s->rx_last)) {
		/* A duplicate or an old packet: a PPTP receiver drops it. */
		if (s->seq_ooo++ == 0)
			rcl_diag("GRE sequence %u after %u (duplicate or out "
			    "of order)", h.seq, s->rx_last);
		return;
	} else if (h.seq - s->rx_last > 1) {
		s->seq_gaps += h.seq - s->rx_last - 1;
	}
	s->rx_have = 1;
	s->rx_last = h.seq;
	if (s->ack_due_us == 0)
		s->ack_due_us = rcl_now_us() + ACK_DELAY_US;
	on_ppp(r, pkt + h.hdr_len, h.payload_len);
}

static void
on_ctrl(struct rcl_run *r, const uint8_t *msg, size_t len)
{
	struct rcl_session *s = &r->s;
	uint8_t out[PPTP_MSG_MAX];
	int type, rc;

	rc = pptp_msg_check(msg, len, &type);
	if (rc < 0) {
		rcl_server_broke(r, RRP_E_PAYLOAD, "bad CTRL (%s): %s",
		    pptp_ctrl_type_str(type), pptp_msg_strerror(rc));
		return;
	}
	rcl_diag("<- CTRL %s", pptp_ctrl_type_str(type));
	snprintf(r->last_frame, sizeof(r->last_frame), "CTRL %s",
	    pptp_ctrl_type_str(type));
	switch (type) {
	case PPTP_SCCRP:
		if (s->got_sccrp)
			goto unexpected;
		s->got_sccrp = 1;
		s->sccrp_result = msg[14];
		return;
	case PPTP_OCRP:
		if (s->got_ocrp)
			goto unexpected;
		s->got_ocrp = 1;
		s->ocrp_result = msg[PPTP_OFF_OCRP_RESULT];
		s->ocrp_peer = pptp_get16(msg, PPTP_OFF_OCRP_PEER_CALL_ID);
		s->srv_cid = pptp_get16(msg, PPTP_OFF_OCRP_CALL_ID);
		s->have_srv_cid = 1;
		return;
	case PPTP_ECHORQ:
		pptp_build_echorp(out, pptp_get32(msg, PPTP_OFF_ECHO_ID), 1);
		s->pptp_echo_answered++;
		(void)rcl_tx_ctrl(r, out, pptp_msg_size(PPTP_ECHORP));
		return;
	case PPTP_ECHORP:
		s->got_echorp = 1;
		s->echorp_id = pptp_get32(msg, PPTP_OFF_ECHO_ID);
		return;
	case PPTP_CDN:
		s->got_cdn = 1;
		if (!s->have_srv_cid ||
		    pptp_get16(msg, PPTP_OFF_CDN_CALL_ID) != s->srv_cid)
			s->cdn_cid_bad = 1;
		rcl_append(r->teardown, sizeof(r->teardown), "CDN");
		return;
	case PPTP_STOPCCRQ:
		s->got_stopccrq = 1;
		rcl_append(r->teardown, sizeof(r->teardown), "server-StopCCRQ");
		pptp_build_stopccrp(out, 1, 0);
		(void)rcl_tx_ctrl(r, out, pptp_msg_size(PPTP_STOPCCRP));
		return;
	case PPTP_STOPCCRP:
		s->got_stopccrp = 1;
		rcl_append(r->teardown, sizeof(r->teardown), "StopCCRP");
		return;
	case PPTP_WEN:
		return;		/* a PAC may report errors at any time */
	}
unexpected:
	/* Well-formed but not what a PAC sends a PNS at this point. */
	s->ctrl_unexpected++;
	rcl_fail(r, "server sent an unexpected %s", pptp_ctrl_type_str(type));
}

/* One frame in the open state. */
static void
on_frame(struct rcl_run *r, const struct rrp_frame *f)
{
	snprintf(r->last_frame, sizeof(r->last_frame), "%s",
	    rrp_frame_type_str(f->type));
	switch (f->type) {
	case RRP_CTRL:
		on_ctrl(r, f->payload, f->len);
		return;
	case RRP_GRE:
		on_gre(r, f->payload, f->len);
		return;
	case RRP_KEEPALIVE:
		r->s.keepalives_in++;	/* never answered (spec 9) */
		return;
	case RRP_CLOSE:
	case RRP_ERROR:
		rcl_server_closed(r, f);
		return;
	}
	rcl_server_broke(r, RRP_E_STATE, "%s in the open state",
	    rrp_frame_type_str(f->type));
}

/* Timers of the open state: the delayed ack and our keepalive. */
static uint64_t
next_timer(struct rcl_run *r, uint64_t deadline)
{
	uint64_t t = deadline;

	if (r->s.ack_due_us && r->s.ack_due_us < t)
		t = r->s.ack_due_us;
	if (!r->no_keepalive && r->opened &&
	    r->last_tx_us + KEEPALIVE_INTERVAL_US < t)
		t = r->last_tx_us + KEEPALIVE_INTERVAL_US;
	return t;
}

static void
run_timers(struct rcl_run *r)
{
	uint64_t now = rcl_now_us();

	if (r->s.ack_due_us && now >= r->s.ack_due_us)
		(void)rcl_tx_gre(r, NULL, 0);	/* ack-only */
	if (!rcl_ended(r) && !r->no_keepalive && r->opened &&
	    now >= r->last_tx_us + KEEPALIVE_INTERVAL_US) {
		uint8_t ka[RRP_FRAME_HDR_LEN];

		rcl_diag("-> KEEPALIVE");
		(void)rcl_tx_raw(r, ka, rrp_keepalive_encode(ka, sizeof(ka)));
	}
}

/* Handle frames until done(r), the tunnel ends (-2) or deadline (-1). */
int
rcl_pump_until(struct rcl_run *r, int (*done)(struct rcl_run *),
    uint64_t deadline)
{
	struct rrp_frame f;
	int code, rc;

	if (deadline > r->deadline_us)
		deadline = r->deadline_us;
	while (!rcl_ended(r) && !done(r)) {
		rc = rcl_read_frame(r->c, next_timer(r, deadline), &f, &code);
		if (rc == RCL_FRAME) {
			on_frame(r, &f);
			continue;
		}
		if (rc != RCL_TIMEOUT) {
			rcl_server_nonframe(r, rc, code);
			break;
		}
		if (rcl_now_us() >= deadline)
			return -1;
		run_timers(r);
	}
	return rcl_ended(r) ? -2 : 0;
}

int rcl_never(struct rcl_run *r) { (void)r; return 0; }
int rcl_got_echorp(struct rcl_run *r) { return r->s.got_echorp; }
