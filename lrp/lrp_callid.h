/*
 * lrp_callid.h - the LRP's own Call IDs, one per session, unique across all
 * of its sessions, and the table that maps the Call ID a client's GRE
 * carries back to its session.
 *
 * Clients pick their Call IDs themselves and two of them may pick the same
 * one; pptpd's Call IDs are unique only per server.  So the LRP shows every
 * client a Call ID of its own in place of pptpd's (doc/design-notes.md,
 * "Call IDs"): the client's GRE then carries an ID that names exactly one
 * session.
 *
 * The IDs are drawn at random, so that one client who sees its own ID
 * learns nothing about the IDs of the sessions before and after it (GRE is
 * matched to a session by Call ID and source address; on a LAN where
 * source addresses can be forged, a predictable ID is half of an
 * injection).  A freed ID waits in a quarantine before it can be drawn
 * again, so late GRE of an ended session does not land in a new one.
 */
#ifndef LRP_CALLID_H
#define LRP_CALLID_H

#include <stddef.h>
#include <stdint.h>

struct lrp_session;

/* IDs 1..0xfffe: 0 means "none" in PPTP, 0xffff is kept out as well. */
#define LRP_CALLID_COUNT	65534
/*
 * A freed ID is not handed out again until this many other IDs have been
 * freed after it.  The quarantine never holds more than half of the free
 * IDs, so that the random draw always has at least half of them to choose
 * from: the guarantee holds fully while at most LRP_CALLID_COUNT - 2 *
 * LRP_CALLID_QUARANTINE (32766) IDs are in use, and beyond that a freed
 * ID waits for as many frees as there are other IDs drawn at random.
 */
#define LRP_CALLID_QUARANTINE	16384

/* Fill buf with n unpredictable bytes; 0, or -1 on failure.  lrp passes
 * rrp_random() (OpenSSL's RAND_bytes). */
typedef int (*lrp_callid_random_fn)(uint8_t *buf, size_t n);

struct lrp_callids {
	struct lrp_session	*by_id[65536];
	/* IDs that may be drawn: pool[0..npool-1], in no useful order */
	uint16_t		pool[LRP_CALLID_COUNT];
	unsigned		npool;
	/* freed IDs waiting to return to the pool, oldest at qhead */
	uint16_t		quarantine[LRP_CALLID_QUARANTINE];
	unsigned		qhead, qlen;
	int			in_use;
	/* random bytes drawn ahead (one call per 64 draws, not per draw) */
	lrp_callid_random_fn	random;
	uint32_t		rbuf[64];
	unsigned		rleft;
};

/* Empty table: every ID free, none in quarantine. */
void lrp_callids_init(struct lrp_callids *c, lrp_callid_random_fn random);

/*
 * Give s a free Call ID, drawn uniformly from the free IDs not in
 * quarantine; never 0 or 0xffff.  0, or -1 when all 65534 are in use or
 * the random source failed (the table is then unchanged).
 */
int lrp_callid_alloc(struct lrp_callids *c, struct lrp_session *s,
    uint16_t *id);

/* Release id (into the quarantine); an ID not in use is ignored. */
void lrp_callid_free(struct lrp_callids *c, uint16_t id);

/* The session holding id, or NULL. */
struct lrp_session *lrp_callid_lookup(const struct lrp_callids *c,
    uint16_t id);

#endif
