/*
 * rrp_upstream.h - what the RRP uses of Poptop's own code, declared once.
 *
 * These are upstream's globals and functions (pptpd.c, pptpmanager.c,
 * compat.c, defaults.h); the patches only make the RRP call them, so that
 * a tunnel is accounted exactly like a 1723 connection.
 */
#ifndef RRP_UPSTREAM_H
#define RRP_UPSTREAM_H

#include <stdint.h>
#include <sys/types.h>

/* pptpd.c: settings */
extern int pptp_debug;
extern int pptp_delegate;
extern int pptp_connections;

/* pptpmanager.c: connection slots and Call ID allocation */
extern uint16_t unique_call_id;
int slot_find_empty(void);
void slot_set_pid(int i, pid_t pid);

/* compat.c: the manager's signal pipe, closed in its children */
void sigpipe_close(void);

/* defaults.h: Call IDs per control connection */
#define MAX_CALLS_PER_TCP_LINK	128

#endif
