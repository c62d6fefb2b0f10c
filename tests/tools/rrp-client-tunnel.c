/*
 * rrp-client-tunnel.c - the run's tunnel as frames: sending on it, and
 * how it ends, by the server's doing or ours.  A send that fails, and
 * anything but a frame from rcl_read_frame(), ends the tunnel here and
 * records how (r->fin), so callers only check rcl_ended().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pptp_gre.h"
#include "pptp_msg.h"
#include "rrp-client.h"
#include "rrp-client-io.h"
#include "rrp_proto.h"

#define AFTER_FINAL_US		(3 * 1000000ULL) /* wait for EOF after CLOSE/ERROR */
#define LINGER_US		(1 * 1000000ULL) /* after our own CLOSE/ERROR */

/* ---- ending the tunnel ---------------------------------------------- */

int
rcl_ended(const struct rcl_run *r)
{
	return r->fin != FIN_NONE;
}

/*
 * After the server's CLOSE or ERROR: it "sends nothing more, shuts down
 * its sending direction" (spec 8.2), so EOF must follow promptly and no
 * frame may.
 */
static void
drain_after_final(struct rcl_run *r, const char *what)
{
	uint64_t until = rcl_now_us() + AFTER_FINAL_US;
	unsigned extra = 0;
	struct rrp_frame f;
	int code, rc;

	for (;;) {
		rc = rcl_read_frame(r->c, until, &f, &code);
		if (rc == RCL_FRAME) {
			extra++;
			continue;
		}
		break;
	}
	if (rc == RCL_EOF && extra == 0 && rcl_partial(r->c) == 0) {
		snprintf(r->after_final, sizeof(r->after_final),
		    "then eof after %lu ms",
		    (unsigned long)((rcl_now_us() - r->fin_us) / 1000));
		return;
	}
	r->after_final_bad = 1;
	if (extra > 0)
		snprintf(r->after_final, sizeof(r->after_final),
		    "then %u more frame(s) after its %s", extra, what);
	else if (rc == RCL_EOF)
		snprintf(r->after_final, sizeof(r->after_final),
		    "then eof inside a frame (%zu bytes)", rcl_partial(r->c));
	else if (rc == RCL_TIMEOUT)
		snprintf(r->after_final, sizeof(r->after_final),
		    "then no eof within %llu ms",
		    (unsigned long long)(AFTER_FINAL_US / 1000));
	else if (rc == RCL_BADFRAME)
		snprintf(r->after_final, sizeof(r->after_final),
		    "then a bad frame header after its %s", what);
	else
		snprintf(r->after_final, sizeof(r->after_final),
		    "then %s", strerror(r->c->saved_errno));
	rcl_diag("server after its %s: %s", what, r->after_final);
}

/* We end the tunnel (spec 8.2): one frame, shut down our side, read and
 * discard until EOF or a short linger. */
void
rcl_local_end(struct rcl_run *r, uint8_t type, uint16_t code, const char *text)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_CLOSE_MAX];
	size_t n = rrp_close_encode(buf, sizeof(buf), type, code, text);
	uint64_t until = rcl_now_us() + LINGER_US;
	struct rrp_frame f;
	int c;

	rcl_diag("sending %s %u (%s)", rrp_frame_type_str(type), code,
	    text ? text : "");
	if (n > 0)
		(void)rcl_send(r->c, buf, n, until);
	rcl_shutdown_write(r->c);
	while (rcl_read_frame(r->c, until, &f, &c) == RCL_FRAME)
		;
}

void
rcl_set_fin(struct rcl_run *r, enum rcl_fin k, int code, const char *fmt, ...)
{
	va_list ap;

	if (rcl_ended(r))
		return;
	r->fin = k;
	r->fin_code = code;
	r->fin_us = rcl_now_us();
	va_start(ap, fmt);
	vsnprintf(r->fin_desc, sizeof(r->fin_desc), fmt, ap);
	va_end(ap);
	rcl_diag("server: %s", r->fin_desc);
}

/* The server broke the protocol: answer as the spec says (ERROR with the
 * code, then close), and remember what it did. */
void
rcl_server_broke(struct rcl_run *r, int code, const char *fmt, ...)
{
	va_list ap;
	char buf[240];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rcl_set_fin(r, FIN_BROKE, code, "%s (we sent ERROR %d)", buf, code);
	rcl_fail(r, "server broke the protocol: %s", buf);
	rcl_local_end(r, RRP_ERROR, (uint16_t)code, buf);
}

/* A CLOSE or ERROR from the server. */
void
rcl_server_closed(struct rcl_run *r, const struct rrp_frame *f)
{
	struct rrp_close cl;
	int rc = rrp_close_decode(f, &cl);
	int is_err = f->type == RRP_ERROR;

	if (rc < 0) {
		rcl_server_broke(r, -rc, "malformed %s frame: %s",
		    rrp_frame_type_str(f->type), rrp_strerror(rc));
		return;
	}
	rcl_set_fin(r, is_err ? FIN_ERROR : FIN_CLOSE, cl.code, "%s %u (%s: \"%s\")",
	    is_err ? "ERROR" : "CLOSE", (unsigned)cl.code,
	    is_err ? rrp_strerror(cl.code) : rrp_close_reason_str(cl.code),
	    cl.text);
	drain_after_final(r, is_err ? "ERROR" : "CLOSE");
}

/* Not a frame: EOF, reset, a bad header, or nothing in time. */
void
rcl_server_nonframe(struct rcl_run *r, int rc, int code)
{
	const uint8_t *h = r->c->bad_hdr;

	switch (rc) {
	case RCL_EOF:
		if (rcl_partial(r->c) > 0)
			rcl_set_fin(r, FIN_EOF, 0, "eof inside a frame (%zu "
			    "bytes of it)", rcl_partial(r->c));
		else
			rcl_set_fin(r, FIN_EOF, 0, "eof");
		break;
	case RCL_IOERR:
		rcl_set_fin(r, FIN_RESET, 0, "%s", strerror(r->c->saved_errno));
		break;
	case RCL_BADFRAME:
		rcl_server_broke(r, code, "bad frame header %02x %02x %02x %02x: %s",
		    h[0], h[1], h[2], h[3], rrp_strerror(code));
		break;
	default:
		rcl_set_fin(r, FIN_TIMEOUT, 0, "nothing within %lu ms%s%s",
		    rcl_ms_since(r, rcl_now_us()),
		    r->last_frame[0] ? "; last " : "", r->last_frame);
		rcl_local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL,
		    PROG ": timed out");
		break;
	}
}

/* Wait for the server to end the tunnel (or say anything) after a probe. */
void
rcl_await_end(struct rcl_run *r, uint64_t deadline)
{
	struct rrp_frame f;
	int code, rc;

	rc = rcl_read_frame(r->c, deadline, &f, &code);
	if (rc != RCL_FRAME) {
		rcl_server_nonframe(r, rc, code);
		return;
	}
	if (f.type == RRP_CLOSE || f.type == RRP_ERROR) {
		rcl_server_closed(r, &f);
		return;
	}
	rcl_set_fin(r, FIN_FRAME, f.type, "%s (%u bytes)",
	    rrp_frame_type_str(f.type), (unsigned)f.len);
	rcl_local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": test over");
}

/* ---- sending ----------------------------------------------------------- */

int
rcl_tx_raw(struct rcl_run *r, const void *buf, size_t len)
{
	int rc;

	if (rcl_ended(r))
		return -1;
	rc = rcl_send(r->c, buf, len, r->deadline_us);
	if (rc < 0) {
		rcl_set_fin(r, rc == -2 ? FIN_TIMEOUT : FIN_RESET, 0, "%s",
		    rc == -2 ? "not reading (send timed out)" :
		    strerror(r->c->saved_errno));
		rcl_fail(r, "send failed during %s", r->phase);
		return -1;
	}
	r->last_tx_us = rcl_now_us();
	return 0;
}

int
rcl_tx_frame(struct rcl_run *r, uint8_t type, const void *payload, size_t len)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_FRAME_MAX];

	rrp_frame_header(buf, type, (uint16_t)len);
	memcpy(buf + RRP_FRAME_HDR_LEN, payload, len);
	return rcl_tx_raw(r, buf, RRP_FRAME_HDR_LEN + len);
}

int
rcl_tx_ctrl(struct rcl_run *r, const uint8_t *msg, size_t len)
{
	int t = len >= 10 ? pptp_get16(msg, 8) : 0;

	rcl_diag("-> CTRL %s", pptp_ctrl_type_str(t));
	return rcl_tx_frame(r, RRP_CTRL, msg, len);
}

/* One GRE packet to the server: its Call ID, our next sequence number,
 * and an ack of the highest sequence number received when that is news. */
int
rcl_tx_gre(struct rcl_run *r, const uint8_t *ppp, size_t len)
{
	struct rcl_session *s = &r->s;
	uint8_t pkt[PPTP_GRE_HDR_MAX + PPP_FRAME_MAX];
	struct pptp_gre_hdr h = { 0 };
	size_t hl;

	h.call_id = s->srv_cid;
	h.payload_len = (uint16_t)len;
	h.has_seq = ppp != NULL;
	h.seq = s->tx_seq;
	h.has_ack = s->rx_have && (!s->ack_have || s->ack_sent != s->rx_last);
	h.ack = s->rx_last;
	if (!h.has_seq && !h.has_ack) {
		s->ack_due_us = 0;
		return 0;
	}
	hl = pptp_gre_build(pkt, &h);
	if (len > 0)
		memcpy(pkt + hl, ppp, len);
	if (rcl_tx_frame(r, RRP_GRE, pkt, hl + len) < 0)
		return -1;
	if (h.has_seq)
		s->tx_seq++;
	if (h.has_ack) {
		s->ack_have = 1;
		s->ack_sent = s->rx_last;
		s->ack_due_us = 0;
	}
	s->gre_up++;
	return 0;
}

int
rcl_tx_ppp(struct rcl_run *r, uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t frame[PPP_FRAME_MAX];

	if (len + 4 > sizeof(frame))
		return -1;
	frame[0] = 0xff;
	frame[1] = 0x03;
	frame[2] = (uint8_t)(proto >> 8);
	frame[3] = (uint8_t)proto;
	memcpy(frame + 4, info, len);
	return rcl_tx_gre(r, frame, len + 4);
}

