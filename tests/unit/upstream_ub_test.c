/*
 * upstream_ub_test - upstream pptpctrl's (Poptop 1.5.0) packing of its two
 * Call IDs into one word must be defined behaviour for every Call ID:
 * built with UBSan stopping at the first report when the compiler has it
 * (as every pptpctrl of a --enable-sanitizers build is).
 *
 * Without patches/0020, NOTE_VALUE(PNS, ...) (pptpdefs.h), which puts the
 * peer's Call ID in the high half of the pair, shifts a promoted int left
 * by 16: it overflows for any Call ID from 0x8000 up - among them
 * htons(-1), the "no call" value pptpctrl stores first thing - and UBSan
 * ends the program.
 */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "pptpdefs.h"

static void
both_call_ids_round_trip(void **state)
{
	static const u_int16_t ids[] = { 0, 1, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x1234 };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		for (j = 0; j < sizeof ids / sizeof ids[0]; j++) {
			u_int32_t pair = 0xa5a5a5a5;

			NOTE_VALUE(PAC, pair, ids[i]);
			NOTE_VALUE(PNS, pair, ids[j]);
			assert_int_equal(GET_VALUE(PAC, pair), ids[i]);
			assert_int_equal(GET_VALUE(PNS, pair), ids[j]);
		}
	}
}

static void
no_call_marker_as_pptpctrl_stores_it(void **state)
{
	u_int32_t pair = 0;

	(void)state;
	NOTE_VALUE(PAC, pair, htons(-1));
	NOTE_VALUE(PNS, pair, htons(-1));
	assert_int_equal(pair, 0xffffffffu);
	assert_int_equal(GET_VALUE(PAC, pair), htons(-1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(both_call_ids_round_trip),
		cmocka_unit_test(no_call_marker_as_pptpctrl_stores_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
