/*
 * rrp_proto.h - the LRP <-> RRP tunnel protocol, version 1: constants,
 * frame codec and handshake messages.  Compiled into both pptpd (the RRP
 * side) and lrp.  The specification is doc/tunnel-protocol.md; this header
 * and that document must agree.
 *
 * One tunnel is one TCP connection carrying one downstream PPTP control
 * connection and its call.  Every frame is a 4-byte header and a payload:
 *
 *   type (1) | flags (1, zero in v1) | payload length (2, big-endian)
 *
 * Every length has a hard limit per frame type; a parser never reads a
 * field before it knows the payload holds it.
 */
#ifndef RRP_PROTO_H
#define RRP_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define RRP_VERSION_MIN		1
#define RRP_VERSION_MAX		1
#define RRP_MAGIC		"PRRP"	/* first 4 payload bytes of HELLO */

#define RRP_FRAME_HDR_LEN	4
#define RRP_NONCE_LEN		32
#define RRP_MAC_LEN		32	/* HMAC-SHA256 */

/* Frame types. */
enum rrp_frame_type {
	RRP_HELLO	= 0x01,	/* LRP -> RRP: magic, versions, client nonce */
	RRP_CHALLENGE	= 0x02,	/* RRP -> LRP: chosen version, server nonce */
	RRP_AUTH	= 0x03,	/* LRP -> RRP: MAC, downstream client address */
	RRP_WELCOME	= 0x04,	/* RRP -> LRP: server MAC */
	RRP_CTRL	= 0x10,	/* one PPTP control message, either way */
	RRP_GRE		= 0x11,	/* one enhanced GRE packet, no IP header */
	RRP_KEEPALIVE	= 0x20,	/* empty; proves the peer is alive */
	RRP_CLOSE	= 0x21,	/* orderly end, with a reason */
	RRP_ERROR	= 0x22,	/* the peer broke the protocol, with a cause */
};

/* Payload limits (bytes).  RRP_FRAME_MAX bounds every frame; a header
 * announcing more is rejected before any payload is read. */
#define RRP_HELLO_LEN		(4 + 1 + 1 + 2 + RRP_NONCE_LEN)		/* 40 */
#define RRP_CHALLENGE_LEN	(1 + 3 + RRP_NONCE_LEN)			/* 36 */
#define RRP_AUTH_LEN_V4		(RRP_MAC_LEN + 1 + 1 + 2 + 4)		/* 40 */
#define RRP_AUTH_LEN_V6		(RRP_MAC_LEN + 1 + 1 + 2 + 16)		/* 52 */
#define RRP_WELCOME_LEN		RRP_MAC_LEN				/* 32 */
#define RRP_CTRL_MIN		12	/* PPTP header: length, type, magic, ctrl type, reserved */
#define RRP_CTRL_MAX		220	/* largest RFC 2637 message (Incoming-Call-Request) */
#define RRP_GRE_MIN		8	/* flags, version, protocol, payload length, call id */
#define RRP_GRE_MAX		(16 + 8196)	/* full header + pptpd's largest PPP frame */
#define RRP_REASON_TEXT_MAX	200
#define RRP_CLOSE_MIN		4	/* code (2), reserved (2) */
#define RRP_CLOSE_MAX		(RRP_CLOSE_MIN + RRP_REASON_TEXT_MAX)
#define RRP_FRAME_MAX		RRP_GRE_MAX

/* Reasons carried by CLOSE (why the sender ends the tunnel). */
enum rrp_close_reason {
	RRP_CLOSE_NORMAL	= 0,	/* the PPTP session ended */
	RRP_CLOSE_SHUTDOWN	= 1,	/* the sender is shutting down */
	RRP_CLOSE_IDLE		= 2,	/* nothing received within the idle timeout */
	RRP_CLOSE_FULL		= 3,	/* no free connection slot / address */
	RRP_CLOSE_REFUSED	= 4,	/* refused by policy (tcp wrappers) */
	RRP_CLOSE_PEER_GONE	= 5,	/* the sender's other side went away */
	RRP_CLOSE_OVERLOAD	= 6,	/* control could not be delivered in time */
};

/* Causes carried by ERROR (what the peer did wrong).  The same codes are
 * what the parsers below return, negated. */
enum rrp_error {
	RRP_OK			= 0,
	RRP_E_VERSION		= 1,	/* no common protocol version */
	RRP_E_TYPE		= 2,	/* unknown frame type */
	RRP_E_LENGTH		= 3,	/* length out of bounds for the frame type */
	RRP_E_FLAGS		= 4,	/* reserved flag bits set */
	RRP_E_STATE		= 5,	/* frame not allowed in this state */
	RRP_E_AUTH		= 6,	/* MAC did not verify */
	RRP_E_MAGIC		= 7,	/* HELLO without the protocol magic */
	RRP_E_ADDRESS		= 8,	/* bad address family or address */
	RRP_E_TIMEOUT		= 9,	/* handshake not completed in time */
	RRP_E_PAYLOAD		= 10,	/* payload malformed (CTRL/GRE content) */
	RRP_E_INTERNAL		= 11,	/* the sender failed, not the peer */
};

/* Human-readable name of an rrp_error code ("unknown frame type"); never
 * NULL, also for codes this version does not know. */
const char *rrp_strerror(int code);
/* Name of a CLOSE reason ("idle timeout"); never NULL. */
const char *rrp_close_reason_str(int reason);
/* Name of a frame type ("GRE"), or "unknown". */
const char *rrp_frame_type_str(int type);

/* A parsed frame: payload points into the caller's buffer. */
struct rrp_frame {
	uint8_t		 type;
	uint16_t	 len;
	const uint8_t	*payload;
};

/*
 * Parse the frame at buf[0..avail).  Returns the number of bytes the frame
 * occupies (header + payload) and fills *f; 0 when more bytes are needed
 * (nothing is consumed); or a negated rrp_error (-RRP_E_TYPE,
 * -RRP_E_LENGTH, -RRP_E_FLAGS) as soon as the header alone shows the frame
 * is bad, without waiting for its payload.  Length bounds are checked per
 * type here, so every decoder below can rely on them.
 */
int rrp_frame_parse(const uint8_t *buf, size_t avail, struct rrp_frame *f);

/* Write a frame header for a payload of len bytes; returns 4. */
size_t rrp_frame_header(uint8_t hdr[RRP_FRAME_HDR_LEN], uint8_t type,
    uint16_t len);

/* HELLO capability bits.  Version 1 senders send 0; receivers ignore bits
 * they do not know.  0x01 is reserved for "TLS offered" (a later version
 * switches to TLS under the same framing; doc/tunnel-protocol.md, "TLS"). */
#define RRP_CAP_TLS		0x01

/* Handshake payloads. */
struct rrp_hello {
	uint8_t	version_min, version_max;
	uint8_t	capabilities;		/* none in v1; receivers ignore unknown bits */
	uint8_t	client_nonce[RRP_NONCE_LEN];
};
struct rrp_challenge {
	uint8_t	version;		/* the version the RRP chose */
	uint8_t	server_nonce[RRP_NONCE_LEN];
};
/* The downstream client's address, as the LRP saw it (for pptpd's logs,
 * pppd's ipparam/remotenumber and the logwtmp plugin). */
struct rrp_client_addr {
	uint8_t		family;		/* 4 or 6 */
	uint16_t	port;		/* host order */
	uint8_t		addr[16];	/* 4 bytes used for family 4 */
};
struct rrp_auth {
	uint8_t			mac[RRP_MAC_LEN];
	struct rrp_client_addr	client;
};
struct rrp_welcome {
	uint8_t	mac[RRP_MAC_LEN];
};
struct rrp_close {
	uint16_t	code;		/* rrp_close_reason for CLOSE, rrp_error for ERROR */
	uint16_t	text_len;
	char		text[RRP_REASON_TEXT_MAX + 1];	/* NUL-terminated, printable ASCII only */
};

/* Decoders: 0 on success or a negated rrp_error; they check the exact
 * payload length and every field's value, and return -RRP_E_STATE when f
 * is a frame of another type (so handing the frame that arrived to the
 * decoder the state expects is the state check).  rrp_hello_decode fills
 * *out before refusing with -RRP_E_VERSION, so the offered range can be
 * logged. */
int rrp_hello_decode(const struct rrp_frame *f, struct rrp_hello *out);
int rrp_challenge_decode(const struct rrp_frame *f, struct rrp_challenge *out);
int rrp_auth_decode(const struct rrp_frame *f, struct rrp_auth *out);
int rrp_welcome_decode(const struct rrp_frame *f, struct rrp_welcome *out);
/* CLOSE and ERROR share one layout; text bytes outside printable ASCII are
 * replaced by '?' so they can be logged safely. */
int rrp_close_decode(const struct rrp_frame *f, struct rrp_close *out);

/* Encoders write header + payload into buf (cap bytes) and return the
 * frame's total length, or 0 if cap is too small or the input cannot be
 * encoded (AUTH with a family other than 4 or 6). */
size_t rrp_hello_encode(uint8_t *buf, size_t cap, const struct rrp_hello *in);
size_t rrp_challenge_encode(uint8_t *buf, size_t cap, const struct rrp_challenge *in);
size_t rrp_auth_encode(uint8_t *buf, size_t cap, const struct rrp_auth *in);
size_t rrp_welcome_encode(uint8_t *buf, size_t cap, const struct rrp_welcome *in);
/* type is RRP_CLOSE or RRP_ERROR (else 0 is returned); text may be NULL;
 * it is truncated to RRP_REASON_TEXT_MAX and bytes outside printable
 * ASCII are sent as '?'. */
size_t rrp_close_encode(uint8_t *buf, size_t cap, uint8_t type, uint16_t code,
    const char *text);
size_t rrp_keepalive_encode(uint8_t *buf, size_t cap);

/* Format a client address for logs ("192.0.2.7:50123", "[2001:db8::7]:50123");
 * RRP_CLIENT_ADDR_STRLEN bytes always suffice; a smaller buffer gets a
 * truncated string.  Returns buf ("" when cap is 0). */
#define RRP_CLIENT_ADDR_STRLEN	56	/* "[" INET6_ADDRSTRLEN "]:65535" */
const char *rrp_client_addr_str(const struct rrp_client_addr *a, char *buf,
    size_t cap);

#endif
