/*
 * pptp_msg.h - PPTP control messages (RFC 2637 section 2) as they cross
 * the LRP and the RRP: framing out of a TCP byte stream, exact per-type
 * length checks, the Call ID fields the LRP translates, and the few
 * messages a proxy must originate itself (teardown).
 *
 * Buffers are raw wire bytes (network byte order); nothing here trusts a
 * peer: every accessor is used only after pptp_msg_check() accepted the
 * message.
 */
#ifndef PPTP_MSG_H
#define PPTP_MSG_H

#include <stddef.h>
#include <stdint.h>

#define PPTP_MAGIC_COOKIE	0x1a2b3c4dU
#define PPTP_MESSAGE_CONTROL	1
#define PPTP_HDR_LEN		12
#define PPTP_MSG_MAX		220	/* Incoming-Call-Request, the largest */

enum pptp_ctrl_type {
	PPTP_SCCRQ = 1,		/* Start-Control-Connection-Request */
	PPTP_SCCRP = 2,		/* Start-Control-Connection-Reply */
	PPTP_STOPCCRQ = 3,	/* Stop-Control-Connection-Request */
	PPTP_STOPCCRP = 4,	/* Stop-Control-Connection-Reply */
	PPTP_ECHORQ = 5,	/* Echo-Request */
	PPTP_ECHORP = 6,	/* Echo-Reply */
	PPTP_OCRQ = 7,		/* Outgoing-Call-Request */
	PPTP_OCRP = 8,		/* Outgoing-Call-Reply */
	PPTP_ICRQ = 9,		/* Incoming-Call-Request */
	PPTP_ICRP = 10,		/* Incoming-Call-Reply */
	PPTP_ICCN = 11,		/* Incoming-Call-Connected */
	PPTP_CCRQ = 12,		/* Call-Clear-Request */
	PPTP_CDN = 13,		/* Call-Disconnect-Notify */
	PPTP_WEN = 14,		/* WAN-Error-Notify */
	PPTP_SLI = 15,		/* Set-Link-Info */
};

/* Why pptp_msg_frame() / pptp_msg_check() refused a message. */
enum pptp_msg_error {
	PPTP_MSG_OK = 0,
	PPTP_MSG_E_LENGTH = 1,	/* length field below 12 or above 220, or
				 * (pptp_msg_check) below the buffer's length */
	PPTP_MSG_E_MSGTYPE = 2,	/* PPTP message type is not 1 (control) */
	PPTP_MSG_E_MAGIC = 3,	/* magic cookie is not 0x1a2b3c4d */
	PPTP_MSG_E_CTRLTYPE = 4,/* control message type not 1..15 */
	PPTP_MSG_E_SIZE = 5,	/* length is not the exact size of its type */
	PPTP_MSG_E_TRUNCATED = 6,/* buffer shorter than the length field */
};

/* Exact size, in bytes, of control message type t; 0 for unknown types. */
size_t pptp_msg_size(int ctrl_type);

/*
 * Framing a TCP byte stream: given avail bytes at buf, returns the total
 * length of the message that starts there once it is complete (>= 12),
 * 0 if more bytes are needed, or -PPTP_MSG_E_LENGTH when the length field
 * (readable after 2 bytes) is out of bounds: the stream has lost sync and
 * the control connection must be closed (RFC 2637).
 */
int pptp_msg_frame(const uint8_t *buf, size_t avail);

/*
 * Check one complete message of len bytes: length field equal to len,
 * control message type, magic cookie, known control type, and exactly the
 * size RFC 2637 gives that type.  Returns 0 and sets *ctrl_type, or a
 * negated pptp_msg_error.
 */
int pptp_msg_check(const uint8_t *buf, size_t len, int *ctrl_type);

/* "Outgoing-Call-Reply", or "unknown" */
const char *pptp_ctrl_type_str(int ctrl_type);
/* "magic cookie is not 0x1a2b3c4d", ... */
const char *pptp_msg_strerror(int err);

/* Byte offsets of the Call ID fields, from the start of the message. */
#define PPTP_OFF_OCRQ_CALL_ID		12	/* the PNS's (client's) Call ID */
#define PPTP_OFF_OCRP_CALL_ID		12	/* the PAC's (server's) Call ID */
#define PPTP_OFF_OCRP_PEER_CALL_ID	14	/* echoes the client's Call ID */
#define PPTP_OFF_OCRP_RESULT		16
#define PPTP_OFF_ICRQ_CALL_ID		12
#define PPTP_OFF_ICRP_CALL_ID		12
#define PPTP_OFF_ICRP_PEER_CALL_ID	14
#define PPTP_OFF_ICCN_PEER_CALL_ID	12
#define PPTP_OFF_CCRQ_CALL_ID		12	/* the PNS's (client's) Call ID */
#define PPTP_OFF_CDN_CALL_ID		12	/* the PAC's (server's) Call ID */
#define PPTP_OFF_WEN_PEER_CALL_ID	12
#define PPTP_OFF_SLI_PEER_CALL_ID	12	/* the PAC's (server's) Call ID */
#define PPTP_OFF_ECHO_ID		12

uint16_t pptp_get16(const uint8_t *msg, size_t off);
uint32_t pptp_get32(const uint8_t *msg, size_t off);
void pptp_put16(uint8_t *msg, size_t off, uint16_t v);
void pptp_put32(uint8_t *msg, size_t off, uint32_t v);

/*
 * Messages a proxy originates (buf must hold pptp_msg_size(type) bytes;
 * each returns the length written).  Every other byte is zero.
 */
/* Call-Disconnect-Notify for the PAC's call_id, result 1..4 (RFC 2637
 * 2.13: 3 = administrative shutdown) */
size_t pptp_build_cdn(uint8_t *buf, uint16_t call_id, uint8_t result,
    uint8_t error);
/* Stop-Control-Connection-Request, reason 1..3 (3 = local shutdown) */
size_t pptp_build_stopccrq(uint8_t *buf, uint8_t reason);
/* Stop-Control-Connection-Reply, result 1 = OK */
size_t pptp_build_stopccrp(uint8_t *buf, uint8_t result, uint8_t error);
/* Echo-Request / Echo-Reply with an identifier */
size_t pptp_build_echorq(uint8_t *buf, uint32_t id);
size_t pptp_build_echorp(uint8_t *buf, uint32_t id, uint8_t result);
/* Start-Control-Connection-Request/Reply (version 1.0, hostname/vendor
 * NUL-padded to 64 bytes, truncated if longer) and Outgoing-Call-Request/
 * Reply, Set-Link-Info and Call-Clear-Request, for test clients and
 * servers. */
size_t pptp_build_sccrq(uint8_t *buf, const char *hostname, const char *vendor);
size_t pptp_build_sccrp(uint8_t *buf, uint8_t result, const char *hostname,
    const char *vendor);
size_t pptp_build_ocrq(uint8_t *buf, uint16_t call_id, uint16_t serial,
    uint16_t recv_window);
size_t pptp_build_ocrp(uint8_t *buf, uint16_t call_id, uint16_t peer_call_id,
    uint8_t result, uint16_t recv_window);
size_t pptp_build_sli(uint8_t *buf, uint16_t peer_call_id, uint32_t send_accm,
    uint32_t recv_accm);
size_t pptp_build_ccrq(uint8_t *buf, uint16_t call_id);

#endif
