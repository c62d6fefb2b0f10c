/*
 * pptp_state_test - the order of a client's control messages
 * (common/pptp_state.c): a real client's session passes (SCCRQ, echoes,
 * OCRQ, Set-Link-Info naming the connected call, CCRQ naming its own);
 * each message out of order is refused with a reason that names it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pptp_msg.h"
#include "pptp_state.h"

#define CLIENT_CID	0x4242
#define PAC_CID		0x0180

static struct pptp_pns_state st;
static uint8_t msg[PPTP_MSG_MAX];
static char why[128];

static int
setup(void **state)
{
	(void)state;
	memset(&st, 0, sizeof(st));
	why[0] = '\0';
	return 0;
}

static int
send_sccrq(void)
{
	pptp_build_sccrq(msg, "test", "test");
	return pptp_pns_check(&st, msg, PPTP_SCCRQ, why, sizeof(why));
}

static int
send_ocrq(uint16_t cid)
{
	pptp_build_ocrq(msg, cid, 1, 64);
	return pptp_pns_check(&st, msg, PPTP_OCRQ, why, sizeof(why));
}

static void
a_real_session_passes(void **state)
{
	(void)state;
	assert_int_equal(send_sccrq(), 0);
	pptp_build_echorq(msg, 7);
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_ECHORQ, why, sizeof(why)), 0);
	assert_int_equal(send_ocrq(CLIENT_CID), 0);
	pptp_pns_call_reply(&st, PAC_CID, 1);
	pptp_build_sli(msg, PAC_CID, 0xffffffffU, 0xffffffffU);
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_SLI, why, sizeof(why)), 0);
	pptp_build_ccrq(msg, CLIENT_CID);
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_CCRQ, why, sizeof(why)), 0);
	pptp_build_stopccrq(msg, 1);
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_STOPCCRQ, why, sizeof(why)), 0);
}

static void
nothing_before_sccrq(void **state)
{
	(void)state;
	assert_int_equal(send_ocrq(CLIENT_CID), -1);
	assert_string_equal(why, "Outgoing-Call-Request before Start-Control-Connection-Request");
	pptp_build_echorq(msg, 7);
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_ECHORQ, why, sizeof(why)), -1);
}

static void
one_sccrq(void **state)
{
	(void)state;
	assert_int_equal(send_sccrq(), 0);
	assert_int_equal(send_sccrq(), -1);
	assert_string_equal(why, "a second Start-Control-Connection-Request");
}

static void
one_call(void **state)
{
	(void)state;
	assert_int_equal(send_sccrq(), 0);
	assert_int_equal(send_ocrq(CLIENT_CID), 0);
	assert_int_equal(send_ocrq(CLIENT_CID + 1), -1);
	assert_string_equal(why, "a second Outgoing-Call-Request (Call ID 16963) while call 16962 exists");
}

static void
sli_only_for_the_connected_call(void **state)
{
	(void)state;
	assert_int_equal(send_sccrq(), 0);
	pptp_build_sli(msg, PAC_CID, 0, 0);
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_SLI, why, sizeof(why)), -1);	/* no call */
	assert_int_equal(send_ocrq(CLIENT_CID), 0);
	pptp_pns_call_reply(&st, PAC_CID, 0);	/* refused: not a call */
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_SLI, why, sizeof(why)), -1);
	pptp_pns_call_reply(&st, PAC_CID, 1);
	pptp_build_sli(msg, PAC_CID + 1, 0, 0);
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_SLI, why, sizeof(why)), -1);
	assert_string_equal(why, "Set-Link-Info for an unknown call (Peer Call ID 385)");
}

static void
ccrq_only_for_the_clients_call(void **state)
{
	(void)state;
	assert_int_equal(send_sccrq(), 0);
	pptp_build_ccrq(msg, CLIENT_CID);
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_CCRQ, why, sizeof(why)), -1);	/* no call */
	assert_int_equal(send_ocrq(CLIENT_CID), 0);
	pptp_build_ccrq(msg, CLIENT_CID ^ 0x5555);
	assert_int_equal(pptp_pns_check(&st, msg, PPTP_CCRQ, why, sizeof(why)), -1);
	assert_string_equal(why, "Call-Clear-Request for an unknown call (Call ID 5911)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(a_real_session_passes, setup),
		cmocka_unit_test_setup(nothing_before_sccrq, setup),
		cmocka_unit_test_setup(one_sccrq, setup),
		cmocka_unit_test_setup(one_call, setup),
		cmocka_unit_test_setup(sli_only_for_the_connected_call, setup),
		cmocka_unit_test_setup(ccrq_only_for_the_clients_call, setup),
	};

	return cmocka_run_group_tests_name("pptp_state", tests, NULL, NULL);
}
