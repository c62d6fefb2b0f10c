/*
 * rrp-client-handshake.c - HELLO, CHALLENGE, AUTH, WELCOME (spec section
 * 6), written from the specification with only the codec of common/; the
 * scenarios break the HELLO or stop after the CHALLENGE.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "rrp-client.h"
#include "rrp-client-io.h"
#include "rrp_auth.h"
#include "rrp_proto.h"

/* ---- handshake ------------------------------------------------------------ */

int
rcl_send_hello(struct rcl_run *r, uint8_t vmin, uint8_t vmax,
    enum rcl_hello_twist tw)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_HELLO_LEN];
	struct rrp_hello h = { .version_min = vmin, .version_max = vmax };
	size_t n;

	if (rrp_random(r->client_nonce, RRP_NONCE_LEN) < 0) {
		rcl_fail(r, "RAND_bytes failed");
		return -1;
	}
	memcpy(h.client_nonce, r->client_nonce, RRP_NONCE_LEN);
	r->vmin = vmin;
	r->vmax = vmax;
	n = rrp_hello_encode(buf, sizeof(buf), &h);
	switch (tw) {
	case HELLO_PLAIN:
		break;
	case HELLO_BAD_MAGIC:
		memcpy(buf + RRP_FRAME_HDR_LEN, "XXXX", 4);
		break;
	case HELLO_BAD_FLAGS:
		buf[1] = 0x01;
		break;
	case HELLO_TRUNCATED:
		n = 20;
		break;
	}
	rcl_diag("-> HELLO versions %u..%u%s", vmin, vmax,
	    tw == HELLO_BAD_MAGIC ? ", magic XXXX" :
	    tw == HELLO_BAD_FLAGS ? ", frame flags 0x01" :
	    tw == HELLO_TRUNCATED ? ", first 20 bytes only" : "");
	return rcl_tx_raw(r, buf, n);
}

/* The next handshake frame, which must be of type want; anything else
 * ends the tunnel (recorded).  Returns 0 with *f, or -1. */
static int
await_handshake(struct rcl_run *r, uint8_t want, struct rrp_frame *f)
{
	int code, rc;

	rc = rcl_read_frame(r->c, r->deadline_us, f, &code);
	if (rc != RCL_FRAME) {
		rcl_server_nonframe(r, rc, code);
		return -1;
	}
	snprintf(r->last_frame, sizeof(r->last_frame), "%s",
	    rrp_frame_type_str(f->type));
	if (f->type == RRP_CLOSE || f->type == RRP_ERROR) {
		rcl_server_closed(r, f);
		return -1;
	}
	if (f->type != want) {
		rcl_server_broke(r, RRP_E_STATE, "%s while waiting for %s",
		    rrp_frame_type_str(f->type), rrp_frame_type_str(want));
		return -1;
	}
	return 0;
}

int
rcl_await_challenge(struct rcl_run *r)
{
	struct rrp_challenge ch;
	struct rrp_frame f;
	int rc;

	if (await_handshake(r, RRP_CHALLENGE, &f) < 0)
		return -1;
	if ((rc = rrp_challenge_decode(&f, &ch)) < 0 &&
	    rc != -RRP_E_VERSION) {
		rcl_server_broke(r, -rc, "bad CHALLENGE: %s", rrp_strerror(rc));
		return -1;
	}
	/* Judge the version against our own offer, not the codec's range:
	 * version:N offers N. */
	if (ch.version < r->vmin || ch.version > r->vmax) {
		rcl_server_broke(r, RRP_E_VERSION, "CHALLENGE chose version "
		    "%u, we offered %u..%u", ch.version, r->vmin, r->vmax);
		return -1;
	}
	r->version = ch.version;
	memcpy(r->server_nonce, ch.server_nonce, RRP_NONCE_LEN);
	rcl_diag("<- CHALLENGE version %u", ch.version);
	return 0;
}

static int
send_auth(struct rcl_run *r, const struct rrp_secret *secret)
{
	uint8_t buf[RRP_FRAME_HDR_LEN + RRP_AUTH_LEN_V6];
	struct rrp_auth a;
	char addr[RRP_CLIENT_ADDR_STRLEN];
	size_t n;

	memset(&a, 0, sizeof(a));
	a.client = r->o->client;
	if (rrp_auth_mac(secret, r->version, r->client_nonce, r->server_nonce,
	    &a.client, a.mac) < 0) {
		rcl_fail(r, "cannot compute the AUTH MAC");
		return -1;
	}
	n = rrp_auth_encode(buf, sizeof(buf), &a);
	rcl_diag("-> AUTH client %s", rrp_client_addr_str(&a.client, addr,
	    sizeof(addr)));
	return rcl_tx_raw(r, buf, n);
}

static int
await_welcome(struct rcl_run *r, const struct rrp_secret *secret)
{
	struct rrp_welcome w;
	struct rrp_frame f;
	uint8_t want[RRP_MAC_LEN];
	int rc;

	if (await_handshake(r, RRP_WELCOME, &f) < 0)
		return -1;
	if ((rc = rrp_welcome_decode(&f, &w)) < 0) {
		rcl_server_broke(r, -rc, "bad WELCOME: %s", rrp_strerror(rc));
		return -1;
	}
	if (rrp_welcome_mac(secret, r->version, r->client_nonce,
	    r->server_nonce, want) < 0 || !rrp_mac_equal(want, w.mac)) {
		if (r->o->mode == M_WRONG_SECRET) {
			/* We hold the wrong secret: any WELCOME is the bug. */
			rcl_set_fin(r, FIN_FRAME, RRP_WELCOME,
			    "WELCOME (it accepted a wrong secret)");
			rcl_local_end(r, RRP_CLOSE, RRP_CLOSE_NORMAL, PROG ": test over");
			return -1;
		}
		rcl_server_broke(r, RRP_E_AUTH, "WELCOME MAC did not verify");
		return -1;
	}
	rcl_diag("<- WELCOME (MAC verified)");
	r->opened = 1;
	return 0;
}

/* HELLO .. WELCOME; 0 when the tunnel is open. */
int
rcl_handshake(struct rcl_run *r, const struct rrp_secret *secret, uint8_t vmin,
    uint8_t vmax)
{
	r->phase = "in the handshake";
	if (rcl_send_hello(r, vmin, vmax, HELLO_PLAIN) < 0 ||
	    rcl_await_challenge(r) < 0 || send_auth(r, secret) < 0 ||
	    await_welcome(r, secret) < 0)
		return -1;
	return 0;
}

