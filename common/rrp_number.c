/*
 * rrp_number.c - a decimal integer within bounds.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "rrp_number.h"

int
rrp_number_parse(const char *text, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (*text == '\0' || *end != '\0' || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}
