/*
 * pptp_msg.c - PPTP control messages (RFC 2637 section 2): framing out of
 * a TCP stream, exact size checks, and the messages a proxy originates.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "pptp_msg.h"

/* Field offsets of the messages we build (RFC 2637 section 2). */
#define OFF_LENGTH		0
#define OFF_MSG_TYPE		2
#define OFF_MAGIC		4
#define OFF_CTRL_TYPE		8
#define PPTP_NAME_LEN		64	/* Host Name, Vendor String */

#define OFF_SCC_VERSION		12	/* SCCRQ and SCCRP */
#define OFF_SCCRP_RESULT	14
#define OFF_SCCRP_ERROR		15
#define OFF_SCC_HOSTNAME	28
#define OFF_SCC_VENDOR		92
#define OFF_STOPCCRQ_REASON	12
#define OFF_STOPCCRP_RESULT	12
#define OFF_STOPCCRP_ERROR	13
#define OFF_ECHORP_RESULT	16
#define OFF_ECHORP_ERROR	17
#define OFF_OCRQ_SERIAL		14
#define OFF_OCRQ_RECV_WINDOW	32
#define OFF_OCRP_RECV_WINDOW	24
#define OFF_CDN_RESULT		14
#define OFF_CDN_ERROR		15
#define OFF_SLI_SEND_ACCM	16
#define OFF_SLI_RECV_ACCM	20

#define PPTP_PROTOCOL_VERSION	0x0100	/* 1.0 */

size_t
pptp_msg_size(int ctrl_type)
{
	/* Header (12) plus the fixed body RFC 2637 gives each type. */
	switch (ctrl_type) {
	case PPTP_SCCRQ:	return 156;
	case PPTP_SCCRP:	return 156;
	case PPTP_STOPCCRQ:	return 16;
	case PPTP_STOPCCRP:	return 16;
	case PPTP_ECHORQ:	return 16;
	case PPTP_ECHORP:	return 20;
	case PPTP_OCRQ:		return 168;
	case PPTP_OCRP:		return 32;
	case PPTP_ICRQ:		return 220;
	case PPTP_ICRP:		return 24;
	case PPTP_ICCN:		return 28;
	case PPTP_CCRQ:		return 16;
	case PPTP_CDN:		return 148;
	case PPTP_WEN:		return 40;
	case PPTP_SLI:		return 24;
	}
	return 0;
}

uint16_t
pptp_get16(const uint8_t *msg, size_t off)
{
	return (uint16_t)((msg[off] << 8) | msg[off + 1]);
}

uint32_t
pptp_get32(const uint8_t *msg, size_t off)
{
	return ((uint32_t)msg[off] << 24) | ((uint32_t)msg[off + 1] << 16) |
	    ((uint32_t)msg[off + 2] << 8) | msg[off + 3];
}

void
pptp_put16(uint8_t *msg, size_t off, uint16_t v)
{
	msg[off] = (uint8_t)(v >> 8);
	msg[off + 1] = (uint8_t)v;
}

void
pptp_put32(uint8_t *msg, size_t off, uint32_t v)
{
	msg[off] = (uint8_t)(v >> 24);
	msg[off + 1] = (uint8_t)(v >> 16);
	msg[off + 2] = (uint8_t)(v >> 8);
	msg[off + 3] = (uint8_t)v;
}

int
pptp_msg_frame(const uint8_t *buf, size_t avail)
{
	uint16_t len;

	if (avail < 2)
		return 0;
	len = pptp_get16(buf, OFF_LENGTH);
	/* A length we cannot accept means we no longer know where the next
	 * message starts; waiting for more bytes would not help. */
	if (len < PPTP_HDR_LEN || len > PPTP_MSG_MAX)
		return -PPTP_MSG_E_LENGTH;
	if (avail < len)
		return 0;
	return len;
}

int
pptp_msg_check(const uint8_t *buf, size_t len, int *ctrl_type)
{
	uint16_t lenfield;
	int type;

	*ctrl_type = 0;
	if (len < 2)
		return -PPTP_MSG_E_TRUNCATED;
	lenfield = pptp_get16(buf, OFF_LENGTH);
	if (lenfield < PPTP_HDR_LEN || lenfield > PPTP_MSG_MAX)
		return -PPTP_MSG_E_LENGTH;
	if (len < lenfield)
		return -PPTP_MSG_E_TRUNCATED;
	if (len > lenfield)
		return -PPTP_MSG_E_LENGTH;
	if (pptp_get16(buf, OFF_MSG_TYPE) != PPTP_MESSAGE_CONTROL)
		return -PPTP_MSG_E_MSGTYPE;
	if (pptp_get32(buf, OFF_MAGIC) != PPTP_MAGIC_COOKIE)
		return -PPTP_MSG_E_MAGIC;
	type = pptp_get16(buf, OFF_CTRL_TYPE);
	if (pptp_msg_size(type) == 0)
		return -PPTP_MSG_E_CTRLTYPE;
	/* Known from here on, so the caller can name it in its log line. */
	*ctrl_type = type;
	if (lenfield != pptp_msg_size(type))
		return -PPTP_MSG_E_SIZE;
	return 0;
}

const char *
pptp_ctrl_type_str(int ctrl_type)
{
	switch (ctrl_type) {
	case PPTP_SCCRQ:	return "Start-Control-Connection-Request";
	case PPTP_SCCRP:	return "Start-Control-Connection-Reply";
	case PPTP_STOPCCRQ:	return "Stop-Control-Connection-Request";
	case PPTP_STOPCCRP:	return "Stop-Control-Connection-Reply";
	case PPTP_ECHORQ:	return "Echo-Request";
	case PPTP_ECHORP:	return "Echo-Reply";
	case PPTP_OCRQ:		return "Outgoing-Call-Request";
	case PPTP_OCRP:		return "Outgoing-Call-Reply";
	case PPTP_ICRQ:		return "Incoming-Call-Request";
	case PPTP_ICRP:		return "Incoming-Call-Reply";
	case PPTP_ICCN:		return "Incoming-Call-Connected";
	case PPTP_CCRQ:		return "Call-Clear-Request";
	case PPTP_CDN:		return "Call-Disconnect-Notify";
	case PPTP_WEN:		return "WAN-Error-Notify";
	case PPTP_SLI:		return "Set-Link-Info";
	}
	return "unknown";
}

const char *
pptp_msg_strerror(int err)
{
	/* unsigned: negating INT_MIN would overflow */
	switch (err < 0 ? 0u - (unsigned)err : (unsigned)err) {
	case PPTP_MSG_OK:		return "no error";
	case PPTP_MSG_E_LENGTH:		return "length field out of bounds or not the message's length";
	case PPTP_MSG_E_MSGTYPE:	return "PPTP message type is not 1 (control)";
	case PPTP_MSG_E_MAGIC:		return "magic cookie is not 0x1a2b3c4d";
	case PPTP_MSG_E_CTRLTYPE:	return "unknown control message type";
	case PPTP_MSG_E_SIZE:		return "wrong length for the control message type";
	case PPTP_MSG_E_TRUNCATED:	return "message shorter than its length field";
	}
	return "unknown error";
}

/* Zeroed message of the type's exact size with its header filled in. */
static size_t
start(uint8_t *buf, int ctrl_type)
{
	size_t len = pptp_msg_size(ctrl_type);

	memset(buf, 0, len);
	pptp_put16(buf, OFF_LENGTH, (uint16_t)len);
	pptp_put16(buf, OFF_MSG_TYPE, PPTP_MESSAGE_CONTROL);
	pptp_put32(buf, OFF_MAGIC, PPTP_MAGIC_COOKIE);
	pptp_put16(buf, OFF_CTRL_TYPE, (uint16_t)ctrl_type);
	return len;
}

/* Copy at most 64 bytes of s; the rest of the field stays zero. */
static void
put_name(uint8_t *buf, size_t off, const char *s)
{
	if (s != NULL)
		memcpy(buf + off, s, strnlen(s, PPTP_NAME_LEN));
}

size_t
pptp_build_cdn(uint8_t *buf, uint16_t call_id, uint8_t result, uint8_t error)
{
	size_t len = start(buf, PPTP_CDN);

	pptp_put16(buf, PPTP_OFF_CDN_CALL_ID, call_id);
	buf[OFF_CDN_RESULT] = result;
	buf[OFF_CDN_ERROR] = error;
	return len;
}

size_t
pptp_build_stopccrq(uint8_t *buf, uint8_t reason)
{
	size_t len = start(buf, PPTP_STOPCCRQ);

	buf[OFF_STOPCCRQ_REASON] = reason;
	return len;
}

size_t
pptp_build_stopccrp(uint8_t *buf, uint8_t result, uint8_t error)
{
	size_t len = start(buf, PPTP_STOPCCRP);

	buf[OFF_STOPCCRP_RESULT] = result;
	buf[OFF_STOPCCRP_ERROR] = error;
	return len;
}

size_t
pptp_build_echorq(uint8_t *buf, uint32_t id)
{
	size_t len = start(buf, PPTP_ECHORQ);

	pptp_put32(buf, PPTP_OFF_ECHO_ID, id);
	return len;
}

size_t
pptp_build_echorp(uint8_t *buf, uint32_t id, uint8_t result)
{
	size_t len = start(buf, PPTP_ECHORP);

	pptp_put32(buf, PPTP_OFF_ECHO_ID, id);
	buf[OFF_ECHORP_RESULT] = result;
	return len;
}

size_t
pptp_build_sccrq(uint8_t *buf, const char *hostname, const char *vendor)
{
	size_t len = start(buf, PPTP_SCCRQ);

	pptp_put16(buf, OFF_SCC_VERSION, PPTP_PROTOCOL_VERSION);
	put_name(buf, OFF_SCC_HOSTNAME, hostname);
	put_name(buf, OFF_SCC_VENDOR, vendor);
	return len;
}

size_t
pptp_build_sccrp(uint8_t *buf, uint8_t result, const char *hostname,
    const char *vendor)
{
	size_t len = start(buf, PPTP_SCCRP);

	pptp_put16(buf, OFF_SCC_VERSION, PPTP_PROTOCOL_VERSION);
	buf[OFF_SCCRP_RESULT] = result;
	put_name(buf, OFF_SCC_HOSTNAME, hostname);
	put_name(buf, OFF_SCC_VENDOR, vendor);
	return len;
}

size_t
pptp_build_ocrq(uint8_t *buf, uint16_t call_id, uint16_t serial,
    uint16_t recv_window)
{
	size_t len = start(buf, PPTP_OCRQ);

	pptp_put16(buf, PPTP_OFF_OCRQ_CALL_ID, call_id);
	pptp_put16(buf, OFF_OCRQ_SERIAL, serial);
	pptp_put16(buf, OFF_OCRQ_RECV_WINDOW, recv_window);
	return len;
}

size_t
pptp_build_ocrp(uint8_t *buf, uint16_t call_id, uint16_t peer_call_id,
    uint8_t result, uint16_t recv_window)
{
	size_t len = start(buf, PPTP_OCRP);

	pptp_put16(buf, PPTP_OFF_OCRP_CALL_ID, call_id);
	pptp_put16(buf, PPTP_OFF_OCRP_PEER_CALL_ID, peer_call_id);
	buf[PPTP_OFF_OCRP_RESULT] = result;
	pptp_put16(buf, OFF_OCRP_RECV_WINDOW, recv_window);
	return len;
}

size_t
pptp_build_sli(uint8_t *buf, uint16_t peer_call_id, uint32_t send_accm,
    uint32_t recv_accm)
{
	size_t len = start(buf, PPTP_SLI);

	pptp_put16(buf, PPTP_OFF_SLI_PEER_CALL_ID, peer_call_id);
	pptp_put32(buf, OFF_SLI_SEND_ACCM, send_accm);
	pptp_put32(buf, OFF_SLI_RECV_ACCM, recv_accm);
	return len;
}

size_t
pptp_build_ccrq(uint8_t *buf, uint16_t call_id)
{
	size_t len = start(buf, PPTP_CCRQ);

	pptp_put16(buf, PPTP_OFF_CCRQ_CALL_ID, call_id);
	return len;
}
