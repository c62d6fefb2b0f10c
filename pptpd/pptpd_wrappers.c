/*
 * pptpd_wrappers.c - the TCP wrappers check (pptpd_wrappers.h).
 */
#include "config.h"

#if HAVE_LIBWRAP
#include <tcpd.h>
#endif

#include "pptpd_wrappers.h"

#if HAVE_LIBWRAP
int
pptpd_wrappers_allow(int fd)
{
	struct request_info r;

	request_init(&r, RQ_DAEMON, "pptpd", RQ_FILE, fd, NULL);
	fromhost(&r);
	return hosts_access(&r);
}
#else
int
pptpd_wrappers_allow(int fd)
{
	(void)fd;
	return 1;
}
#endif
