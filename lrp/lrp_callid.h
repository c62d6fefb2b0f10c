/*
 * lrp_callid.h - the LRP's own Call IDs, one per session, unique across all
 * of its sessions, and the table that maps the Call ID a client's GRE
 * carries back to its session.
 *
 * Clients pick their Call IDs themselves and two of them may pick the same
 * one; pptpd's Call IDs are unique only per server.  So the LRP shows every
 * client a Call ID of its own in place of pptpd's (DESIGN.md, "Call IDs"):
 * the client's GRE then carries an ID that names exactly one session.
 */
#ifndef LRP_CALLID_H
#define LRP_CALLID_H

#include <stdint.h>

struct lrp_session;

struct lrp_callids {
	struct lrp_session	*by_id[65536];
	uint16_t		next;	/* where the next search starts */
	int			in_use;
};

/* Empty table; the first ID searched is seed (a random start makes IDs
 * differ from one run of the daemon to the next). */
void lrp_callids_init(struct lrp_callids *c, uint16_t seed);

/*
 * Give s a free Call ID.  IDs are handed out in increasing order (wrapping
 * around, never 0 or 0xffff), so a freed ID is the last to be reused:
 * late GRE of an ended session does not land in a new one.  0, or -1 when
 * all 65534 are in use.
 */
int lrp_callid_alloc(struct lrp_callids *c, struct lrp_session *s,
    uint16_t *id);

void lrp_callid_free(struct lrp_callids *c, uint16_t id);

/* The session holding id, or NULL. */
struct lrp_session *lrp_callid_lookup(const struct lrp_callids *c,
    uint16_t id);

#endif
