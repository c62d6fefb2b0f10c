/*
 * pptpd_wrappers.h - the TCP wrappers check (hosts.allow/hosts.deny,
 * daemon name "pptpd") for connections the manager accepts on 1723 and
 * on rrp-listen; always allows when built without libwrap.
 */
#ifndef PPTPD_WRAPPERS_H
#define PPTPD_WRAPPERS_H

/* 1 if the peer of the connected socket fd may connect, 0 if refused */
int pptpd_wrappers_allow(int fd);

#endif
