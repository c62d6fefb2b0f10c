/*
 * rrp-client.h - what the files of rrp-client share; private to it (the
 * program, its modes and expectations are described in rrp-client.c).
 *
 *   rrp-client.c            options, the run's record and output, the verdict
 *   rrp-client-tunnel.c     sending on the tunnel, and how the tunnel ends
 *   rrp-client-handshake.c  HELLO .. WELCOME
 *   rrp-client-open.c       what the server sends in the open state
 *   rrp-client-pptp.c       the PPTP session, played as the PNS
 *   rrp-client-scenarios.c  the broken scenarios, and which mode runs
 *   rrp-client-io.c         sockets, deadlines, the tunnel's bytes and frames
 *                           (shared with rrp-fake-server)
 */
#ifndef RRP_CLIENT_H
#define RRP_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "rrp-client-io.h"
#include "rrp_auth.h"
#include "rrp_proto.h"

#define PROG			"rrp-client"
#define DATA_MAX		1400	/* largest test data frame (pptp-drive) */
#define TEARDOWN_STEP_US	(2 * 1000000ULL)

#define PPP_LCP			0xc021
#define PPP_TEST_DATA		0x0001	/* padding protocol, as pptp-drive */
#define PPP_FLOOD_DATA		0x0003	/* flood frames: counted, not checked */
#define LCP_ECHO_REQUEST	9
#define PPP_FRAME_MAX		8196	/* pptpd's PACKET_MAX */

enum rcl_mode {
	M_SESSION, M_WRONG_SECRET, M_VERSION, M_BAD_MAGIC, M_TRUNCATED,
	M_OVERSIZED, M_UNKNOWN_FRAME, M_BAD_FLAGS, M_EARLY_CTRL, M_STALL,
	M_BAD_CTRL, M_BAD_GRE, M_GARBAGE_AFTER_OPEN, M_FLOOD, M_SEQ_GAP,
};

enum rcl_expect_kind { X_SESSION_OK, X_OPEN, X_ERROR, X_CLOSE, X_EOF, X_ANY };

struct rcl_expect {
	enum rcl_expect_kind kind;
	int		code;
};

struct rcl_opts {
	struct sockaddr_storage server;
	socklen_t	server_len;
	char		server_str[RCL_ADDR_STRLEN];
	const char	*secret_path;
	struct rrp_client_addr client;
	long		echoes, frames, timeout_s, hold_s;
	long		call_id;	/* -1: random */
	enum rcl_mode	mode;
	int		version_n;	/* version:N */
	long		flood_n;	/* flood:N */
	char		mode_str[32];
	struct rcl_expect expect;
	int		expect_given;
	int		quiet;
};

/* How the tunnel ended, or what the server last did. */
enum rcl_fin {
	FIN_NONE,	/* still open */
	FIN_ERROR,	/* the server sent ERROR */
	FIN_CLOSE,	/* the server sent CLOSE */
	FIN_EOF,	/* the server closed without a frame */
	FIN_RESET,	/* recv failed (connection reset) */
	FIN_TIMEOUT,	/* the server said nothing more in time */
	FIN_FRAME,	/* the server sent some other frame where we stopped */
	FIN_BROKE,	/* the server broke the protocol; we sent ERROR */
	FIN_LOCAL,	/* we ended the tunnel (CLOSE) */
};

struct rcl_session {
	uint16_t	our_cid, srv_cid;
	int		have_srv_cid;
	/* control */
	int		got_sccrp, sccrp_result;
	int		got_ocrp, ocrp_result;
	uint16_t	ocrp_peer;
	int		got_cdn, cdn_cid_bad;
	int		got_stopccrq, got_stopccrp;
	int		got_echorp;
	uint32_t	echorp_id;
	unsigned	pptp_echo_answered, ctrl_unexpected;
	/* GRE */
	uint32_t	tx_seq;
	int		rx_have;
	uint32_t	rx_last;
	int		ack_have;	/* ack_sent is meaningful */
	uint32_t	ack_sent;
	uint64_t	ack_due_us;	/* 0: no ack owed */
	int		srv_ack_have;
	uint32_t	srv_ack_last;
	unsigned long	gre_up, gre_down, seq_gaps, seq_ooo, bad_cid, bad_ack;
	unsigned long	ppp_other, ppp_short;
	/* PPP */
	int		first_seen;
	unsigned	lcp_answered;
	int		want_echo_id, got_echo;
	unsigned	data_sent, data_next, data_ok, data_bad;
	unsigned long	bytes_ok;
	unsigned	keepalives_in;
	/* flood:N */
	unsigned long	flood_sent, flood_back;
	/* seq-gap */
	long		gap_ms;		/* -1: never came back */
};

struct rcl_run {
	const struct rcl_opts *o;
	struct rcl_conn	*c;
	struct rrp_secret secret;
	uint64_t	t0_us, deadline_us, last_tx_us;
	int		no_keepalive;
	int		opened;		/* WELCOME verified */
	int		session_done;	/* every session check passed */
	int		failed;
	char		why[256];	/* first reason for failing */
	/* handshake */
	uint8_t		vmin, vmax, version;
	uint8_t		client_nonce[RRP_NONCE_LEN], server_nonce[RRP_NONCE_LEN];
	/* the end */
	enum rcl_fin	fin;
	int		fin_code;
	char		fin_desc[320];
	uint64_t	fin_us;
	char		last_frame[64];	/* name of the last frame received */
	int		after_final_bad;
	char		after_final[96];
	char		teardown[160];
	const char	*phase;
	struct rcl_session s;
};

/* rrp-client.c */
/* A diagnostic on stderr ("rrp-client: ..."), unless -q. */
void rcl_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record why the run fails; the first reason is the one reported. */
void rcl_fail(struct rcl_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Add step to the ">"-separated list in buf (the teardown's story). */
void rcl_append(char *buf, size_t cap, const char *step);
/* Milliseconds from the start of the run to t_us. */
unsigned long rcl_ms_since(const struct rcl_run *r, uint64_t t_us);

/* rrp-client-tunnel.c */
/* Has the tunnel ended (r->fin recorded)? */
int rcl_ended(const struct rcl_run *r);
/* We end the tunnel: one CLOSE or ERROR, shut down, discard until EOF. */
void rcl_local_end(struct rcl_run *r, uint8_t type, uint16_t code,
    const char *text);
/* Record how the tunnel ended (the first call only counts). */
void rcl_set_fin(struct rcl_run *r, enum rcl_fin k, int code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The server broke the protocol: fail, send ERROR code, end the tunnel. */
void rcl_server_broke(struct rcl_run *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A CLOSE or ERROR from the server: record it, check EOF follows. */
void rcl_server_closed(struct rcl_run *r, const struct rrp_frame *f);
/* What rcl_read_frame() returned instead of a frame, recorded. */
void rcl_server_nonframe(struct rcl_run *r, int rc, int code);
/* Wait until deadline for the server to end the tunnel after a probe. */
void rcl_await_end(struct rcl_run *r, uint64_t deadline);
/* Bytes as they are; a failure ends the tunnel.  0, or -1 (also once ended). */
int rcl_tx_raw(struct rcl_run *r, const void *buf, size_t len);
/* One frame of type with payload (up to RRP_FRAME_MAX bytes). */
int rcl_tx_frame(struct rcl_run *r, uint8_t type, const void *payload,
    size_t len);
/* A PPTP control message in a CTRL frame. */
int rcl_tx_ctrl(struct rcl_run *r, const uint8_t *msg, size_t len);
/* One GRE packet with ppp (NULL: an ack alone, if one is owed). */
int rcl_tx_gre(struct rcl_run *r, const uint8_t *ppp, size_t len);
/* A PPP frame of proto around info, in one GRE packet. */
int rcl_tx_ppp(struct rcl_run *r, uint16_t proto, const uint8_t *info,
    size_t len);

/* rrp-client-handshake.c */
enum rcl_hello_twist { HELLO_PLAIN, HELLO_BAD_MAGIC, HELLO_BAD_FLAGS,
	HELLO_TRUNCATED };
/* HELLO offering versions vmin..vmax, broken as tw says.  0 or -1. */
int rcl_send_hello(struct rcl_run *r, uint8_t vmin, uint8_t vmax,
    enum rcl_hello_twist tw);
/* CHALLENGE, its version checked against our offer.  0 or -1. */
int rcl_await_challenge(struct rcl_run *r);
/* HELLO .. WELCOME; 0 when the tunnel is open. */
int rcl_handshake(struct rcl_run *r, const struct rrp_secret *secret,
    uint8_t vmin, uint8_t vmax);

/* rrp-client-open.c */
/* Handle frames until done(r) (0), the tunnel ends (-2) or deadline (-1). */
int rcl_pump_until(struct rcl_run *r, int (*done)(struct rcl_run *),
    uint64_t deadline);
/* A condition for rcl_pump_until() that never holds: pump until deadline. */
int rcl_never(struct rcl_run *r);
/* A condition for rcl_pump_until(): a PPTP Echo-Reply came. */
int rcl_got_echorp(struct rcl_run *r);

/* rrp-client-pptp.c */
/* Start-Control-Connection-Request, and a good reply.  0 or -1. */
int rcl_start_control(struct rcl_run *r);
/* Outgoing-Call-Request, and a good reply (pptpd's Call ID).  0 or -1. */
int rcl_place_call(struct rcl_run *r);
/* The whole session (and flood:N, seq-gap); rtt gets the echo times. */
void rcl_mode_session(struct rcl_run *r, uint64_t *rtt, long *echoes_ok);

/* rrp-client-scenarios.c */
/* Play the mode of r->o; the run's record says what happened. */
void rcl_run_mode(struct rcl_run *r, uint64_t *rtt, long *echoes_ok);

#endif
