/*
 * lrp.h - the Local Route Proxy: the daemon and its sessions.
 *
 * One process, one libevent loop over every session.  A session is one
 * downstream PPTP control connection (a client dialed our TCP 1723) and
 * the one tunnel that carries it to the RRP in pptpd.  The client's GRE
 * is captured with libpcap (lrp_capture.c) and goes up the tunnel of the
 * session whose LRP Call ID it carries; GRE coming down a tunnel is sent
 * to the client through a raw IPPROTO_GRE socket (lrp_gre_send.c).
 *
 *   lrp_main.c        process: flags, start-up order, signals, the loop
 *   lrp_privs.c       the user lrp runs as; dropping privileges
 *   lrp_rundir.c      the run directory and the pidfile
 *   lrp_secret.c      the tunnels' secret, read at start and on SIGHUP
 *   lrp_config.c      lrp.conf
 *   lrp_listener.c    accepting clients on TCP 1723
 *   lrp_session.c     a client's control connection: relay, Call IDs, teardown
 *   lrp_relay.c       ...its next control message: framed, checked, translated
 *   lrp_tunnel.c      the session's tunnel to the RRP: handshake, frames
 *   lrp_callid.c      the LRP's Call IDs and the GRE demultiplexing table
 *   lrp_translate.c   which Call ID fields the LRP rewrites, both ways
 *   lrp_capture.c     GRE from clients (libpcap)
 *   lrp_linkframe.c   ...read out of a captured link-layer frame
 *   lrp_reasm.c       ...and its fragments, put back together
 *   lrp_gre_send.c    GRE to clients (raw socket)
 *   lrp_status.c      per-session state and counters for the operator
 *   lrp_log.c         syslog (and stderr in the foreground)
 */
#ifndef LRP_H
#define LRP_H

#include <stdint.h>
#include <sys/queue.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <sys/stat.h>

#include "lrp_callid.h"
#include "lrp_config.h"
#include "lrp_linkframe.h"
#include "lrp_reasm.h"
#include "lrp_translate.h"
#include "pending_set.h"
#include "pptp_state.h"
#include "rrp_auth.h"
#include "rrp_clock.h"
#include "rrp_proto.h"

struct event_base;
struct event;
struct evconnlistener;
struct bufferevent;

/*
 * Control is never dropped (doc/tunnel-protocol.md section 10), so it is
 * bounded by not reading more of it.  Up: a tunnel's queue holds GRE only
 * up to queue-limit; control frames may go this far above it, and past
 * that the session stops reading its client's control connection (TCP
 * then holds the client back) until the queue has drained.  Down: control
 * messages wait for a client that does not read them up to this many
 * bytes (besides what the kernel's socket buffers hold); past that the
 * session ends with CLOSE OVERLOAD.
 */
#define LRP_CTRL_ROOM_BYTES		(32 * 1024)
#define LRP_DOWN_QUEUE_MAX_BYTES	(64 * 1024)

enum lrp_tunnel_state {
	TUN_CONNECTING,		/* TCP connect to the RRP under way */
	TUN_WAIT_CHALLENGE,	/* HELLO sent */
	TUN_WAIT_WELCOME,	/* AUTH sent */
	TUN_OPEN,		/* WELCOME verified: frames flow */
	TUN_CLOSED,		/* ended (or never opened) */
};

struct lrp_counters {
	unsigned long		ctrl_up, ctrl_down;	/* control messages */
	unsigned long		gre_up, gre_down;	/* GRE packets forwarded */
	unsigned long		gre_up_dropped;		/* tunnel queue over its bound */
	unsigned long		gre_down_dropped;	/* raw socket refused them */
	unsigned long		gre_down_bad;		/* not for this client's call */
	unsigned long long	bytes_up, bytes_down;	/* tunnel bytes */
};

struct lrp_session {
	TAILQ_ENTRY(lrp_session) link;
	struct lrp		*lrp;
	unsigned long		id;		/* for logs and status */
	char			name[96];	/* "client 192.0.2.7:50123" */

	/* downstream: the client's control connection */
	struct bufferevent	*down;
	struct sockaddr_in	client;		/* its address */
	struct sockaddr_in	local;		/* ours, as it dialed it */
	int			ctrl_started;	/* a SCCRQ went up */
	int			first_pending;	/* first message not whole yet: no tunnel */
	struct pending_entry	pend;		/* in lrp's pending set meanwhile */
	int			client_cleared;	/* it sent CCRQ or StopCCRQ */
	int			stop_down;	/* pptpd sent it StopCCRQ or StopCCRP */
	int			up_held;	/* not read: tunnel's control backlog */
	int64_t			up_held_ms;	/* since when */
	struct pptp_pns_state	pns;		/* the order of its messages */

	/* upstream: the tunnel */
	struct bufferevent	*tun;		/* connect and output */
	TAILQ_ENTRY(lrp_session) flush_link;	/* in lrp's flush queue */
	int			flush_queued;
	struct event		*tun_rev;	/* input: read by lrp_tunnel.c itself */
	uint8_t			*tun_partial;	/* the start of a frame not yet whole */
	size_t			tun_partial_len;
	enum lrp_tunnel_state	tstate;
	uint8_t			version;
	uint8_t			client_nonce[RRP_NONCE_LEN];
	uint8_t			server_nonce[RRP_NONCE_LEN];

	/* Call IDs (doc/design-notes.md, "Call IDs"): ours, the client's,
	 * pptpd's */
	struct lrp_callid_state	cid;

	/* timers (checked by the daemon's one-second tick) */
	int64_t			started_ms, down_rx_ms, tun_rx_ms, tun_tx_ms;
	int64_t			closing_since_ms;
	int			closing;	/* teardown started */
	int			down_done, tun_done;	/* EOF or error seen */
	int			down_shut, tun_shut;	/* our side shut down */
	char			end_reason[160];

	struct lrp_counters	n;
};

TAILQ_HEAD(lrp_session_list, lrp_session);

struct lrp_global_counters {
	unsigned long	accepted, refused_full;
	unsigned long	pending_evicted;	/* max-pending reached: one closed */
	unsigned long	pending_holds;		/* ...none closable yet: accepting held */
	unsigned long	gre_captured;		/* GRE seen by pcap */
	unsigned long	gre_unknown_callid;	/* no session has that Call ID */
	unsigned long	gre_spoofed;		/* Call ID of a session, wrong source */
	unsigned long	gre_malformed;		/* not enhanced GRE, truncated */
	unsigned long	gre_not_open;		/* session's tunnel not open yet */
	unsigned long	pcap_dropped;		/* the kernel's count, last read */
};

struct lrp {
	struct lrp_config	cfg;
	struct rrp_secret	secret;
	struct stat		secret_st;	/* the file it came from */
	struct event_base	*base;
	struct evconnlistener	*listener;
	struct lrp_session_list	sessions;
	struct lrp_session_list	flushq;		/* tunnels with GRE to write */
	int			nsessions;
	struct pending_set	pending;	/* sessions with first_pending set */
	int			accept_held;	/* max-pending wait: listener off */
	struct event		*hold_ev;	/* ...until the grace of one is over */
	unsigned long		next_session_id;
	struct lrp_callids	callids;

	/* GRE */
	pcap_t			*pcap;
	int			pcap_linktype;
	struct lrp_reasm	reasm;		/* fragmented GRE from clients */
	struct lrp_linkframe_sources gre_sources;	/* who may start a datagram in it */
	struct event		*pcap_ev;
	int			raw_fd;
	uint8_t			*tun_rx;	/* shared buffer tunnels are read into */

	/* the operator */
	int			status_fd;
	struct event		*status_ev;
	struct event		*tick_ev;
	struct event		*sig_ev[4];
	int			shutting_down;
	int64_t			shutdown_started_ms;
	int			foreground;
	int64_t			started_ms;
	struct lrp_global_counters n;
};

/* lrp_listener.c */
int lrp_listener_open(struct lrp *l);
void lrp_listener_close(struct lrp *l);
/* A client stopped waiting for its first message (it came, or the client
 * went): accept again if max-pending held the listener. */
void lrp_listener_room(struct lrp *l);

/* lrp_session.c */
/* A session for a client just accepted on fd; NULL with *why saying what
 * was missing (memory, a free Call ID, random bytes to draw one). */
struct lrp_session *lrp_session_new(struct lrp *l, int fd,
    const struct sockaddr_in *client, const char **why);
/* Start ending a session: tell the client (Call-Disconnect-Notify and
 * Stop-Control-Connection-Request when it has a session up) and the RRP
 * (CLOSE with reason); each side is shut down once what is queued for it
 * is sent, and the session is freed when both have closed too, or after a
 * short linger (so the last frames are not lost to a TCP reset). */
void lrp_session_end(struct lrp_session *s, int close_reason, const char *reason);
void lrp_session_free(struct lrp_session *s);
/* The one-second tick: timeouts and keepalives; frees a closing session
 * that is done (the caller must not use s after it). */
void lrp_session_tick(struct lrp_session *s, int64_t now);
/* A closing session: shut down sides that are flushed. */
void lrp_session_closing_progress(struct lrp_session *s);
/* Free a closing session whose sides have both closed; 1 if it was freed
 * (then s must not be used). */
int lrp_session_maybe_free(struct lrp_session *s);
/* A control message that came down the tunnel, checked. */
void lrp_session_ctrl_down(struct lrp_session *s, uint8_t *msg, size_t len, int type);
/* Read what a client waiting for its first message has sent already,
 * without waiting for the event loop: once the message is whole its tunnel
 * starts, as when it is read in the ordinary way.  1 when the client no
 * longer waits (started, or ended), 0 when it still does. */
int lrp_session_read_first(struct lrp_session *s);
/* The tunnel opened: release what the client sent meanwhile. */
void lrp_session_tunnel_open(struct lrp_session *s);
/* The tunnel's queue drained (libevent wrote the last of it): a client
 * held back for the tunnel's control backlog is read again. */
void lrp_session_tunnel_drained(struct lrp_session *s);
/* The tunnel ended (CLOSE/ERROR from the RRP, lost, refused); priority
 * is the log's (LOG_INFO for an orderly end, LOG_WARNING otherwise). */
void lrp_session_tunnel_gone(struct lrp_session *s, int priority, const char *why);

/* lrp_tunnel.c */
int lrp_tunnel_start(struct lrp_session *s);
/* Queue one frame (whole) to the RRP; GRE is dropped and counted when the
 * tunnel's queue is over the bound; returns 0 or -1 (dropped). */
int lrp_tunnel_send(struct lrp_session *s, uint8_t type, const void *payload,
    size_t len);
/* A client's GRE packet, framed straight into the tunnel's queue with
 * pptpd's Call ID written in (one copy); dropped and counted like any GRE
 * when the queue is over its bound.  0 or -1. */
int lrp_tunnel_send_gre(struct lrp_session *s, const uint8_t *pkt, size_t len,
    uint16_t call_id);
void lrp_tunnel_close(struct lrp_session *s, uint8_t type, int code, const char *text);
size_t lrp_tunnel_queued(const struct lrp_session *s);
/* Write the tunnels that lrp_tunnel_send_gre() queued for since the last
 * call (the caller makes it after each capture batch). */
void lrp_tunnel_flush_queued(struct lrp *l);
/* A session leaving: off the flush queue. */
void lrp_tunnel_forget(struct lrp_session *s);

/* lrp_capture.c */
int lrp_capture_open(struct lrp *l);
void lrp_capture_stats(struct lrp *l);

/* lrp_gre_send.c */
int lrp_gre_socket_open(struct lrp *l);
/* Queue one GRE packet (no IP header) for the session's client; queued
 * packets leave in one sendmmsg() per lrp_gre_flush(), which the caller
 * makes after each batch (and which happens by itself when the batch is
 * full).  The packet is not copied: it must stay where it is until the
 * flush.  0, or -1 if a packet was refused (counted by the caller). */
int lrp_gre_send(struct lrp_session *s, const uint8_t *pkt, size_t len);
/* Send what is queued; returns how many packets the kernel refused, which
 * are charged to their sessions' gre_down_dropped. */
int lrp_gre_flush(struct lrp *l);

/* lrp_status.c */
int lrp_status_open(struct lrp *l);
void lrp_status_write(struct lrp *l, int fd);	/* the table, as text */
void lrp_status_log(struct lrp *l);		/* SIGUSR1: the same, to syslog */
int lrp_status_query(const char *path);		/* `lrp -S`: print it */

#endif
