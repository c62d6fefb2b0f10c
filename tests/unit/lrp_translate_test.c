/*
 * lrp_translate_test - the Call ID rules of doc/design-notes.md ("Call
 * IDs"), on every message that carries a Call ID, both ways: pptpd's Call
 * ID becomes the LRP's going down (Outgoing-Call-Reply,
 * Incoming-Call-Request, Call-Disconnect-Notify), the LRP's becomes
 * pptpd's going up (Set-Link-Info, Incoming-Call-Reply,
 * Incoming-Call-Connected), the client's own passes unchanged, and
 * nothing else in a message changes.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lrp_translate.h"
#include "pptp_msg.h"

#define LRP_CID		0x9c41
#define CLIENT_CID	0x1234
#define SERVER_CID	0x0080

static struct lrp_callid_state st;

static int
setup(void **state)
{
	(void)state;
	memset(&st, 0, sizeof(st));
	st.lrp_cid = LRP_CID;
	return 0;
}

/* Every byte but the ones at off (2 bytes) must be unchanged. */
static void
assert_only_changed(const uint8_t *before, const uint8_t *after, size_t len, size_t off)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (i != off && i != off + 1)
			assert_int_equal(before[i], after[i]);
}

static void
ocrq_up_is_learned_and_unchanged(void **state)
{
	uint8_t msg[PPTP_MSG_MAX], orig[PPTP_MSG_MAX];
	size_t n = pptp_build_ocrq(msg, CLIENT_CID, 7, 64);
	int type;

	(void)state;
	assert_int_equal(pptp_msg_check(msg, n, &type), 0);
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_up(&st, msg, type), LRP_TR_LEARNED);
	assert_memory_equal(msg, orig, n);
	assert_true(st.have_client_cid);
	assert_int_equal(st.client_cid, CLIENT_CID);
}

static void
ocrp_down_shows_the_lrp_call_id(void **state)
{
	uint8_t msg[PPTP_MSG_MAX], orig[PPTP_MSG_MAX];
	size_t n = pptp_build_ocrp(msg, SERVER_CID, CLIENT_CID, 1, 64);

	(void)state;
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_down(&st, msg, PPTP_OCRP), LRP_TR_LEARNED);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_OCRP_CALL_ID), LRP_CID);
	/* the client's own Call ID, echoed as the peer's, is untouched */
	assert_int_equal(pptp_get16(msg, PPTP_OFF_OCRP_PEER_CALL_ID), CLIENT_CID);
	assert_only_changed(orig, msg, n, PPTP_OFF_OCRP_CALL_ID);
	assert_true(st.have_server_cid);
	assert_int_equal(st.server_cid, SERVER_CID);
	assert_true(st.call_up);
}

static void
refused_ocrp_is_not_a_call(void **state)
{
	uint8_t msg[PPTP_MSG_MAX];

	(void)state;
	pptp_build_ocrp(msg, SERVER_CID, CLIENT_CID, 2, 64);
	lrp_translate_down(&st, msg, PPTP_OCRP);
	assert_false(st.call_up);
}

static void
sli_up_gets_pptpds_call_id(void **state)
{
	uint8_t msg[PPTP_MSG_MAX], orig[PPTP_MSG_MAX];
	size_t n;

	(void)state;
	pptp_build_ocrp(msg, SERVER_CID, CLIENT_CID, 1, 64);
	lrp_translate_down(&st, msg, PPTP_OCRP);
	n = pptp_build_sli(msg, LRP_CID, 0xffffffffU, 0xffffffffU);
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_up(&st, msg, PPTP_SLI), LRP_TR_REWRITTEN);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_SLI_PEER_CALL_ID), SERVER_CID);
	assert_only_changed(orig, msg, n, PPTP_OFF_SLI_PEER_CALL_ID);
}

static void
sli_naming_another_call_is_left_for_the_caller_to_refuse(void **state)
{
	uint8_t msg[PPTP_MSG_MAX], orig[PPTP_MSG_MAX];
	size_t n;

	(void)state;
	pptp_build_ocrp(msg, SERVER_CID, CLIENT_CID, 1, 64);
	lrp_translate_down(&st, msg, PPTP_OCRP);
	n = pptp_build_sli(msg, (uint16_t)(LRP_CID + 1), 0, 0);
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_up(&st, msg, PPTP_SLI), LRP_TR_WRONG_CALL);
	assert_memory_equal(msg, orig, n);
}

static void
sli_before_ocrp_passes_unchanged(void **state)
{
	uint8_t msg[PPTP_MSG_MAX], orig[PPTP_MSG_MAX];
	size_t n = pptp_build_sli(msg, LRP_CID, 0, 0);

	(void)state;
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_up(&st, msg, PPTP_SLI), LRP_TR_UNKNOWN_PEER);
	assert_memory_equal(msg, orig, n);
}

static void
cdn_down_shows_the_lrp_call_id_and_ends_the_call(void **state)
{
	uint8_t msg[PPTP_MSG_MAX], orig[PPTP_MSG_MAX];
	size_t n;

	(void)state;
	pptp_build_ocrp(msg, SERVER_CID, CLIENT_CID, 1, 64);
	lrp_translate_down(&st, msg, PPTP_OCRP);
	n = pptp_build_cdn(msg, SERVER_CID, 3, 0);
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_down(&st, msg, PPTP_CDN), LRP_TR_REWRITTEN);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_CDN_CALL_ID), LRP_CID);
	assert_only_changed(orig, msg, n, PPTP_OFF_CDN_CALL_ID);
	assert_false(st.call_up);
}

static void
ccrq_up_keeps_the_clients_call_id(void **state)
{
	uint8_t msg[PPTP_MSG_MAX], orig[PPTP_MSG_MAX];
	size_t n = pptp_build_ccrq(msg, CLIENT_CID);

	(void)state;
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_up(&st, msg, PPTP_CCRQ), LRP_TR_PASSED);
	assert_memory_equal(msg, orig, n);
}

static void
other_messages_pass_byte_for_byte(void **state)
{
	uint8_t msg[PPTP_MSG_MAX], orig[PPTP_MSG_MAX];
	size_t n;

	(void)state;
	n = pptp_build_sccrq(msg, "host", "vendor");
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_up(&st, msg, PPTP_SCCRQ), LRP_TR_PASSED);
	assert_memory_equal(msg, orig, n);
	n = pptp_build_sccrp(msg, 1, "host", "vendor");
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_down(&st, msg, PPTP_SCCRP), LRP_TR_PASSED);
	assert_memory_equal(msg, orig, n);
	n = pptp_build_echorq(msg, 77);
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_down(&st, msg, PPTP_ECHORQ), LRP_TR_PASSED);
	assert_int_equal(lrp_translate_up(&st, msg, PPTP_ECHORQ), LRP_TR_PASSED);
	assert_memory_equal(msg, orig, n);
	n = pptp_build_stopccrq(msg, 1);
	memcpy(orig, msg, n);
	assert_int_equal(lrp_translate_up(&st, msg, PPTP_STOPCCRQ), LRP_TR_PASSED);
	assert_memory_equal(msg, orig, n);
}

static void
incoming_call_ids_are_translated_too(void **state)
{
	uint8_t msg[PPTP_MSG_MAX];
	int type;

	(void)state;
	/* pptpd (PAC) offers an incoming call with its Call ID */
	memset(msg, 0, sizeof(msg));
	pptp_put16(msg, 0, (uint16_t)pptp_msg_size(PPTP_ICRQ));
	pptp_put16(msg, 2, 1);
	pptp_put32(msg, 4, PPTP_MAGIC_COOKIE);
	pptp_put16(msg, 8, PPTP_ICRQ);
	pptp_put16(msg, PPTP_OFF_ICRQ_CALL_ID, SERVER_CID);
	assert_int_equal(pptp_msg_check(msg, pptp_msg_size(PPTP_ICRQ), &type), 0);
	assert_int_equal(lrp_translate_down(&st, msg, type), LRP_TR_LEARNED);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_ICRQ_CALL_ID), LRP_CID);
	/* the client answers with its own ID and ours as the peer's */
	memset(msg, 0, sizeof(msg));
	pptp_put16(msg, 0, (uint16_t)pptp_msg_size(PPTP_ICRP));
	pptp_put16(msg, 2, 1);
	pptp_put32(msg, 4, PPTP_MAGIC_COOKIE);
	pptp_put16(msg, 8, PPTP_ICRP);
	pptp_put16(msg, PPTP_OFF_ICRP_CALL_ID, CLIENT_CID);
	pptp_put16(msg, PPTP_OFF_ICRP_PEER_CALL_ID, LRP_CID);
	assert_int_equal(lrp_translate_up(&st, msg, PPTP_ICRP), LRP_TR_LEARNED);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_ICRP_PEER_CALL_ID), SERVER_CID);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_ICRP_CALL_ID), CLIENT_CID);
	assert_int_equal(st.client_cid, CLIENT_CID);
	/* Incoming-Call-Connected names pptpd's call */
	memset(msg, 0, sizeof(msg));
	pptp_put16(msg, PPTP_OFF_ICCN_PEER_CALL_ID, LRP_CID);
	assert_int_equal(lrp_translate_up(&st, msg, PPTP_ICCN), LRP_TR_REWRITTEN);
	assert_int_equal(pptp_get16(msg, PPTP_OFF_ICCN_PEER_CALL_ID), SERVER_CID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(ocrq_up_is_learned_and_unchanged, setup),
		cmocka_unit_test_setup(ocrp_down_shows_the_lrp_call_id, setup),
		cmocka_unit_test_setup(refused_ocrp_is_not_a_call, setup),
		cmocka_unit_test_setup(sli_up_gets_pptpds_call_id, setup),
		cmocka_unit_test_setup(sli_naming_another_call_is_left_for_the_caller_to_refuse, setup),
		cmocka_unit_test_setup(sli_before_ocrp_passes_unchanged, setup),
		cmocka_unit_test_setup(cdn_down_shows_the_lrp_call_id_and_ends_the_call, setup),
		cmocka_unit_test_setup(ccrq_up_keeps_the_clients_call_id, setup),
		cmocka_unit_test_setup(other_messages_pass_byte_for_byte, setup),
		cmocka_unit_test_setup(incoming_call_ids_are_translated_too, setup),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("lrp_translate", tests, NULL, NULL);
}
