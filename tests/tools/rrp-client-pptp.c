/*
 * rrp-client-pptp.c - the PPTP session, played as the PNS against pptpd's
 * ppp stand-in: control connection, outgoing call, LCP echoes, data frames
 * checked byte for byte and in order, flood:N and seq-gap, the teardown.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "pptp_msg.h"
#include "rrp-client.h"
#include "rrp-client-io.h"
#include "rrp_proto.h"
#include "test-frames.h"

#define DATA_WINDOW		8	/* data frames outstanding at most */

/* ---- the PPTP session ------------------------------------------------------ */

static int got_sccrp(struct rcl_run *r) { return r->s.got_sccrp; }
static int got_ocrp(struct rcl_run *r) { return r->s.got_ocrp; }
static int first_seen(struct rcl_run *r) { return r->s.first_seen; }
static int got_echo(struct rcl_run *r) { return r->s.got_echo; }
static int window_open(struct rcl_run *r)
{
	return r->s.data_sent - r->s.data_next < DATA_WINDOW;
}
static int all_back(struct rcl_run *r)
{
	return r->s.data_next == r->s.data_sent;
}
static int cdn_or_stop(struct rcl_run *r)
{
	return r->s.got_cdn || r->s.got_stopccrq;
}
static int got_stopccrp(struct rcl_run *r) { return r->s.got_stopccrp; }

/* A phase that did not complete: say why, unless the tunnel's end does. */
static void
phase_failed(struct rcl_run *r, int rc)
{
	if (rc == -1)
		rcl_fail(r, "timed out %s", r->phase);
	else
		rcl_fail(r, "tunnel ended %s: %s", r->phase, r->fin_desc);
}

int
rcl_start_control(struct rcl_run *r)
{
	uint8_t msg[PPTP_MSG_MAX];
	int rc;

	r->phase = "waiting for Start-Control-Connection-Reply";
	if (rcl_tx_ctrl(r, msg, pptp_build_sccrq(msg, "rrp-client", PROG)) < 0)
		return -1;
	if ((rc = rcl_pump_until(r, got_sccrp, r->deadline_us)) < 0) {
		phase_failed(r, rc);
		return -1;
	}
	if (r->s.sccrp_result != 1) {
		rcl_fail(r, "Start-Control-Connection-Reply result %d",
		    r->s.sccrp_result);
		return -1;
	}
	return 0;
}

int
rcl_place_call(struct rcl_run *r)
{
	struct rcl_session *s = &r->s;
	uint8_t msg[PPTP_MSG_MAX];
	int rc;

	r->phase = "waiting for Outgoing-Call-Reply";
	if (rcl_tx_ctrl(r, msg, pptp_build_ocrq(msg, s->our_cid, 1, 64)) < 0)
		return -1;
	if ((rc = rcl_pump_until(r, got_ocrp, r->deadline_us)) < 0) {
		phase_failed(r, rc);
		return -1;
	}
	rcl_diag("Outgoing-Call-Reply: result %d, call id %u, peer call id %u",
	    s->ocrp_result, s->srv_cid, s->ocrp_peer);
	if (s->ocrp_result != 1) {
		rcl_fail(r, "Outgoing-Call-Reply result %d", s->ocrp_result);
		return -1;
	}
	if (s->ocrp_peer != s->our_cid) {
		rcl_fail(r, "Outgoing-Call-Reply peer call id %u, ours is %u",
		    s->ocrp_peer, s->our_cid);
		return -1;
	}
	return 0;
}

/* Echo round trips and data frames; rtt gets one entry per echo. */
static int
exchange(struct rcl_run *r, uint64_t *rtt, long *echoes_ok)
{
	struct rcl_session *s = &r->s;
	long i;
	int rc;

	r->phase = "waiting for the stand-in's first LCP frame";
	if ((rc = rcl_pump_until(r, first_seen, r->deadline_us)) < 0)
		goto fail;

	r->phase = "waiting for an LCP Echo-Reply";
	for (i = 0; i < r->o->echoes; i++) {
		int id = (int)(i % 255) + 1;
		uint8_t lcp[8 + 16] = { LCP_ECHO_REQUEST, (uint8_t)id, 0, 24 };
		uint64_t t0 = rcl_now_us();

		test_echo_data(id, lcp + 8);
		s->want_echo_id = id;
		s->got_echo = 0;
		if (rcl_tx_ppp(r, PPP_LCP, lcp, sizeof(lcp)) < 0) {
			rc = -2;
			goto fail;
		}
		if ((rc = rcl_pump_until(r, got_echo, r->deadline_us)) < 0)
			goto fail;
		rtt[(*echoes_ok)++] = rcl_now_us() - t0;
	}
	s->want_echo_id = -1;

	r->phase = "waiting for data frames to come back";
	for (i = 0; i < r->o->frames; i++) {
		static uint8_t payload[DATA_MAX];
		size_t len = test_frame((unsigned)i, payload);

		if ((rc = rcl_pump_until(r, window_open, r->deadline_us)) < 0)
			goto fail;
		if (rcl_tx_ppp(r, PPP_TEST_DATA, payload, len) < 0) {
			rc = -2;
			goto fail;
		}
		s->data_sent++;
	}
	if ((rc = rcl_pump_until(r, all_back, r->deadline_us)) < 0)
		goto fail;
	return 0;
fail:
	phase_failed(r, rc);
	return -1;
}

/* Call-Clear-Request, then Stop-Control-Connection-Request while the
 * control connection lasts, then the RRP ends the tunnel. */
static void
teardown(struct rcl_run *r)
{
	struct rcl_session *s = &r->s;
	uint8_t msg[PPTP_MSG_MAX];
	uint64_t step;
	int rc;

	r->phase = "in the teardown";
	rcl_append(r->teardown, sizeof(r->teardown), "CCRQ");
	if (rcl_tx_ctrl(r, msg, pptp_build_ccrq(msg, s->our_cid)) < 0)
		goto out;
	/* The server may answer with Call-Disconnect-Notify, or (stock
	 * pptpctrl) end the control connection at once. */
	step = rcl_now_us() + TEARDOWN_STEP_US;
	rc = rcl_pump_until(r, cdn_or_stop, step);
	if (rc == -2)
		goto out;
	if (rc == -1 && rcl_now_us() >= r->deadline_us) {
		rcl_fail(r, "timed out in the teardown after "
		    "Call-Clear-Request");
		goto out;
	}
	if (!s->got_stopccrq) {
		rcl_append(r->teardown, sizeof(r->teardown), "StopCCRQ");
		if (rcl_tx_ctrl(r, msg, pptp_build_stopccrq(msg, 1)) < 0)
			goto out;
		rc = rcl_pump_until(r, got_stopccrp, r->deadline_us);
		if (rc == -1) {
			rcl_fail(r, "no Stop-Control-Connection-Reply");
			goto out;
		}
	}
	if (rcl_pump_until(r, rcl_never, r->deadline_us) == -1)
		rcl_fail(r, "the tunnel did not end after the teardown");
out:
	if (r->fin == FIN_CLOSE)
		rcl_append(r->teardown, sizeof(r->teardown), r->fin_code ==
		    RRP_CLOSE_NORMAL ? "CLOSE" : "CLOSE(not NORMAL)");
	else if (r->fin == FIN_EOF)
		rcl_append(r->teardown, sizeof(r->teardown), "eof");
	else if (rcl_ended(r))
		rcl_append(r->teardown, sizeof(r->teardown), "other");
	if (!r->failed && !(r->fin == FIN_CLOSE &&
	    r->fin_code == RRP_CLOSE_NORMAL) &&
	    !(r->fin == FIN_EOF && rcl_partial(r->c) == 0))
		rcl_fail(r, "the tunnel ended with %s, not CLOSE NORMAL or eof",
		    r->fin_desc);
	if (!r->failed && s->cdn_cid_bad)
		rcl_fail(r, "Call-Disconnect-Notify for another Call ID");
}

static void
session_checks(struct rcl_run *r, long echoes_ok)
{
	struct rcl_session *s = &r->s;

	if (r->failed)
		return;
	if (echoes_ok < r->o->echoes)
		rcl_fail(r, "%ld of %ld LCP echoes answered", echoes_ok,
		    r->o->echoes);
	else if (s->data_ok != s->data_sent || s->data_sent < (unsigned)r->o->frames || s->data_bad)
		rcl_fail(r, "%u of %ld data frames back intact, %u bad",
		    s->data_ok, r->o->frames, s->data_bad);
	else if (s->bad_cid)
		rcl_fail(r, "%lu GRE packets with a Call ID not ours",
		    s->bad_cid);
	else if (s->seq_ooo)
		rcl_fail(r, "%lu GRE packets duplicate or out of order",
		    s->seq_ooo);
	else if (s->bad_ack)
		rcl_fail(r, "%lu GRE acks of packets never sent or going back",
		    s->bad_ack);
	else if (r->after_final_bad)
		rcl_fail(r, "server %s", r->after_final);
}

/*
 * flood:N - the slow-consumer case: send N 1400-byte frames without
 * reading the tunnel at all, so the echoes pile up at the RRP, whose
 * bounded queue must drop GRE (and count it) rather than grow; then read
 * again and check control still flows (a PPTP Echo-Request answered).
 */
static int
flood(struct rcl_run *r)
{
	static uint8_t payload[DATA_MAX];
	uint8_t msg[PPTP_MSG_MAX];
	long i;
	int rc;

	memset(payload, 0xa5, sizeof(payload));
	r->phase = "flooding without reading";
	rcl_diag("flooding %ld frames without reading", r->o->flood_n);
	for (i = 0; i < r->o->flood_n; i++) {
		if (rcl_tx_ppp(r, PPP_FLOOD_DATA, payload, sizeof(payload)) < 0)
			return -1;
		r->s.flood_sent++;
	}
	r->phase = "draining after the flood";
	rc = rcl_pump_until(r, rcl_never, rcl_now_us() + 2000000);
	if (rc == -2)
		return -1;
	r->phase = "waiting for an Echo-Reply after the flood";
	r->s.got_echorp = 0;
	if (rcl_tx_ctrl(r, msg, pptp_build_echorq(msg, 0xf100d)) < 0)
		return -1;
	rc = rcl_pump_until(r, rcl_got_echorp, rcl_now_us() + 5000000);
	if (rc < 0) {
		rcl_fail(r, "no PPTP Echo-Reply after the flood");
		return -1;
	}
	rcl_diag("flood: %lu sent, %lu came back", r->s.flood_sent, r->s.flood_back);
	return 0;
}

/*
 * seq-gap: skip one GRE sequence number (as if that packet were lost) and
 * send one data frame after the gap, then nothing: pptpd holds the frame
 * for its reorder timeout and must then deliver it (and the stand-in send
 * it back) without waiting for another packet to arrive.
 */
static int
seq_gap(struct rcl_run *r)
{
	static uint8_t payload[DATA_MAX];
	size_t len = test_frame(r->s.data_sent, payload);
	uint64_t t0;

	r->phase = "waiting for the frame sent after a sequence gap";
	r->s.tx_seq++;		/* the "lost" packet */
	t0 = rcl_now_us();
	if (rcl_tx_ppp(r, PPP_TEST_DATA, payload, len) < 0)
		return -1;
	r->s.data_sent++;
	if (rcl_pump_until(r, all_back, t0 + 2000000) < 0) {
		r->s.gap_ms = -1;
		rcl_fail(r, "the frame sent after a sequence gap was not delivered within 2 s");
		return -1;
	}
	r->s.gap_ms = (long)((rcl_now_us() - t0) / 1000);
	rcl_diag("the frame after the gap came back after %ld ms", r->s.gap_ms);
	return 0;
}

void
rcl_mode_session(struct rcl_run *r, uint64_t *rtt, long *echoes_ok)
{
	struct rcl_session *s = &r->s;
	uint8_t msg[PPTP_MSG_MAX];
	int rc;

	if (rcl_handshake(r, &r->secret, RRP_VERSION_MIN,
	    RRP_VERSION_MAX) < 0) {
		if (!r->failed)
			rcl_fail(r, "tunnel ended in the handshake: %s", r->fin_desc);
		return;
	}
	if (rcl_start_control(r) < 0 || rcl_place_call(r) < 0)
		goto abort;
	r->phase = "sending Set-Link-Info";
	if (rcl_tx_ctrl(r, msg, pptp_build_sli(msg, s->srv_cid, 0xffffffffU,
	    0xffffffffU)) < 0)
		goto abort;
	if (exchange(r, rtt, echoes_ok) < 0)
		goto abort;
	if (r->o->mode == M_FLOOD && flood(r) < 0)
		goto abort;
	if (r->o->mode == M_SEQ_GAP && seq_gap(r) < 0)
		goto abort;
	if (r->o->hold_s > 0) {
		r->phase = "holding the call";
		rc = rcl_pump_until(r, rcl_never, rcl_now_us() +
		    (uint64_t)r->o->hold_s * 1000000);
		if (rc == -2) {
			phase_failed(r, rc);
			return;
		}
	}
	teardown(r);
	session_checks(r, *echoes_ok);
	r->session_done = !r->failed;
	return;
abort:
	if (!rcl_ended(r))
		rcl_local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": giving up");
}

