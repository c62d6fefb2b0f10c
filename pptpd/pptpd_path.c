/*
 * pptpd_path.c - where pptpd finds its helpers.
 *
 * pptpd execs pptpctrl and bcrelay, and pptpctrl hands pppd the logwtmp
 * plugin, by paths compiled in from the configured directories.  A build
 * that runs before it is installed (the test suite), or next to Debian's
 * stock pptpd, must be able to name its own helpers: otherwise it silently
 * runs the installed ones.  The environment variables are documented in
 * pptpd(8).
 */
#include "config.h"

#include <stdlib.h>

#include "pptpd_path.h"

char *
pptpd_path(const char *env_name, const char *compiled_in)
{
	char *value = getenv(env_name);

	if (value != NULL && *value != '\0')
		return value;
	/* upstream stores it in char * argv arrays; it is never written */
	return (char *)compiled_in;
}
