/*
 * lrp_capture.c - the clients' GRE, captured with libpcap.
 *
 * A PPTP client sends its GRE to the LRP's address; nothing in the kernel
 * delivers it anywhere useful (the raw socket of lrp_gre_send.c filters
 * everything out), so it is taken from the interface with libpcap: a BPF
 * filter keeps only IP protocol 47 addressed to us, inbound.  Each packet
 * carries the LRP's Call ID of its session (the client learned it from the
 * Outgoing-Call-Reply we rewrote): that finds the session, whose client
 * address it must come from; the Call ID is put back to pptpd's and the
 * packet goes up the session's tunnel, or is dropped and counted when the
 * tunnel's queue is over its bound.
 *
 * Two modes (capture-mode): immediate, one wakeup per packet, lowest
 * latency; block, TPACKET_V3 blocks handed over when full or after
 * capture-timeout, fewest wakeups under load.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "lrp.h"
#include "lrp_linkframe.h"
#include "lrp_log.h"
#include "pptp_gre.h"
#include "rrp_ratelimit.h"

#define CAPTURE_BATCH	256	/* packets per wakeup at most */

enum gre_drop {
	DROP_MALFORMED, DROP_UNKNOWN, DROP_SPOOFED,
	DROP_FRAG_REFUSED, DROP_FRAG_BAD, DROP_FRAG_EVICTED,
	DROP_KINDS
};

/* Whether a drop of this kind gets a log line: at most one a second per
 * kind, with the running total, so a LAN host spraying GRE costs a line a
 * second and the operator still sees who it was and how many (`lrp -S'
 * has the totals). */
static int
drop_logged(enum gre_drop kind)
{
	static struct rrp_ratelimit rl[DROP_KINDS] = {
		[0 ... DROP_KINDS - 1] = RRP_RATELIMIT_INIT(1000, 1),
	};

	return rrp_ratelimit_allow(&rl[kind], rrp_now_ms(), NULL);
}

/* Say why a captured GRE packet from src went to no session; before is
 * the counters as they were before lrp_linkframe_session() judged it. */
static void
log_gre_drop(struct lrp *l, uint32_t src, const uint8_t *gre, size_t grelen,
    const struct lrp_global_counters *before)
{
	char from[INET_ADDRSTRLEN];
	struct pptp_gre_hdr gh;
	struct lrp_session *s;
	unsigned cid = grelen >= 8 ? (unsigned)(gre[6] << 8 | gre[7]) : 0;
	int rc;

	inet_ntop(AF_INET, &src, from, sizeof(from));
	if (l->n.gre_malformed != before->gre_malformed) {
		if (!drop_logged(DROP_MALFORMED))
			return;
		rc = grelen > RRP_GRE_MAX ? 0 : pptp_gre_parse(gre, grelen, &gh);
		lrp_log(LOG_WARNING, "GRE from %s: malformed (%s); dropped (%lu malformed so far)", from,
		    rc < 0 ? pptp_gre_strerror(-rc) : "longer than a tunnel frame", l->n.gre_malformed);
	} else if (l->n.gre_unknown_callid != before->gre_unknown_callid) {
		if (drop_logged(DROP_UNKNOWN))
			lrp_log(LOG_WARNING, "GRE from %s: Call ID %u belongs to no session; dropped "
			    "(%lu so far)", from, cid, l->n.gre_unknown_callid);
	} else if (l->n.gre_spoofed != before->gre_spoofed) {
		s = lrp_callid_lookup(&l->callids, (uint16_t)cid);
		if (s != NULL && drop_logged(DROP_SPOOFED))
			lrp_log(LOG_WARNING, "GRE from %s: Call ID %u is session %lu's (%s): spoofed source; "
			    "dropped (%lu so far)", from, cid, s->id, s->name, l->n.gre_spoofed);
	}
}

/* Say what reassembly did with a fragment from src that it refused,
 * dropped with its datagram, or that evicted another datagram; before is
 * its counters as they were before. */
static void
log_reasm(struct lrp *l, uint32_t src, const struct lrp_reasm_counters *before)
{
	const struct lrp_reasm *r = &l->reasm;
	char from[INET_ADDRSTRLEN], whose[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &src, from, sizeof(from));
	if (r->n.refused != before->refused && drop_logged(DROP_FRAG_REFUSED))
		lrp_log(LOG_WARNING, "GRE fragment from %s (IP id %u): %s, so it may not start a datagram "
		    "in reassembly; refused (%lu refused so far)", from, r->last_drop.id, r->last_drop.why,
		    r->n.refused);
	if (r->n.dropped != before->dropped && drop_logged(DROP_FRAG_BAD))
		lrp_log(LOG_WARNING, "GRE fragment from %s (IP id %u): %s; its datagram dropped "
		    "(%lu dropped so far)", from, r->last_drop.id, r->last_drop.why, r->n.dropped);
	if (r->n.evicted != before->evicted && drop_logged(DROP_FRAG_EVICTED)) {
		inet_ntop(AF_INET, &r->last_eviction.src, whose, sizeof(whose));
		lrp_log(LOG_WARNING, "GRE fragment from %s starts a datagram in reassembly: %s; "
		    "the oldest of %s (IP id %u) dropped to make room (%lu evicted so far)", from,
		    r->last_eviction.why, whose, r->last_eviction.id, r->n.evicted);
	}
}

/* One whole GRE packet (no IP header) from src: find its session by the
 * LRP Call ID (lrp_linkframe.c checks the header and the source), queue it
 * with pptpd's Call ID restored. */
static void
handle_gre(struct lrp *l, uint32_t src, const uint8_t *gre, size_t grelen)
{
	struct lrp_global_counters before = l->n;
	struct lrp_session *s;

	s = lrp_linkframe_session(l, src, gre, grelen);
	if (s == NULL) {
		log_gre_drop(l, src, gre, grelen, &before);
		return;
	}
	s->down_rx_ms = rrp_now_ms();
	if (lrp_tunnel_send_gre(s, gre, grelen, s->cid.server_cid) == 0)
		s->n.gre_up++;
}

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *frame)
{
	struct lrp *l = (struct lrp *)arg;
	struct lrp_reasm_counters before = l->reasm.n;
	const uint8_t *gre;
	size_t grelen;
	uint32_t src = 0;
	int rc;

	l->n.gre_captured++;
	rc = lrp_linkframe_gre(l, l->pcap_linktype, frame, h->caplen, rrp_now_ms(), &gre, &grelen, &src);
	if (l->reasm.n.fragments != before.fragments)
		/* a fragment: reassembly counted what it did with it */
		log_reasm(l, src, &before);
	else if (rc < 0)
		l->n.gre_malformed++;
	if (rc == 1)
		handle_gre(l, src, gre, grelen);
}

static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct lrp *l = arg;
	int n;

	(void)fd;
	(void)what;
	/* drain what is there, a batch at a time, so one busy client cannot
	 * starve the tunnels' and control connections' events */
	n = pcap_dispatch(l->pcap, CAPTURE_BATCH, on_packet, (u_char *)l);
	if (n < 0 && n != PCAP_ERROR_BREAK)
		lrp_log(LOG_ERR, "capture on %s: %s", l->cfg.interface, pcap_geterr(l->pcap));
	/* the batch's GRE, one write per tunnel */
	lrp_tunnel_flush_queued(l);
}

void
lrp_capture_stats(struct lrp *l)
{
	struct pcap_stat st;

	if (l->pcap != NULL && pcap_stats(l->pcap, &st) == 0)
		l->n.pcap_dropped = st.ps_drop;
}

/* "ip proto 47 and (dst host A or dst host B ...)": the listen address, or
 * every IPv4 address of the capture interface when listening on all. */
static int
build_filter(struct lrp *l, char *buf, size_t len)
{
	const struct sockaddr_in *lis = (const struct sockaddr_in *)&l->cfg.listen;
	struct ifaddrs *ifa, *i;
	char ip[INET_ADDRSTRLEN];
	size_t used;
	int n = 0;

	used = (size_t)snprintf(buf, len, "ip proto 47 and (");
	if (lis->sin_addr.s_addr != htonl(INADDR_ANY)) {
		inet_ntop(AF_INET, &lis->sin_addr, ip, sizeof(ip));
		snprintf(buf + used, len - used, "dst host %s)", ip);
		return 0;
	}
	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    strcmp(i->ifa_name, l->cfg.interface) != 0)
			continue;
		inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, ip, sizeof(ip));
		used += (size_t)snprintf(buf + used, len - used, "%sdst host %s", n++ ? " or " : "", ip);
		if (used >= len)
			break;
	}
	freeifaddrs(ifa);
	if (n == 0 || used >= len - 2)
		return -1;
	snprintf(buf + used, len - used, ")");
	return 0;
}

int
lrp_capture_open(struct lrp *l)
{
	char err[PCAP_ERRBUF_SIZE], filter[1024];
	struct bpf_program prog;
	int rc, fd;

	lrp_reasm_init(&l->reasm);
	memset(&l->gre_sources, 0, sizeof(l->gre_sources));
	l->pcap = pcap_create(l->cfg.interface, err);
	if (l->pcap == NULL) {
		lrp_log_config("interface %s: %s", l->cfg.interface, err);
		return -1;
	}
	/* the largest frame worth capturing: Ethernet with a VLAN tag, an IP
	 * header with options, the largest GRE packet; in immediate mode the
	 * ring holds buffer/snaplen packets, so a 64 KiB snaplen would leave
	 * room for only a few dozen */
	pcap_set_snaplen(l->pcap, 18 + 60 + RRP_GRE_MAX);
	pcap_set_promisc(l->pcap, 0);
	pcap_set_buffer_size(l->pcap, (int)l->cfg.capture_buffer_bytes);
	if (l->cfg.capture_mode == LRP_CAPTURE_IMMEDIATE)
		pcap_set_immediate_mode(l->pcap, 1);
	else
		pcap_set_timeout(l->pcap, l->cfg.capture_timeout_ms);
	rc = pcap_activate(l->pcap);
	if (rc < 0) {
		lrp_log_config("interface %s: cannot capture: %s%s", l->cfg.interface,
		    pcap_statustostr(rc), rc == PCAP_ERROR_PERM_DENIED ? " (lrp needs CAP_NET_RAW)" : "");
		goto fail;
	}
	if (rc > 0)
		lrp_log(LOG_WARNING, "interface %s: %s", l->cfg.interface, pcap_statustostr(rc));
	l->pcap_linktype = pcap_datalink(l->pcap);
	if (!lrp_linkframe_linktype_supported(l->pcap_linktype)) {
		lrp_log_config("interface %s: link type %s is not supported (Ethernet, Linux cooked or raw IP)",
		    l->cfg.interface, pcap_datalink_val_to_name(l->pcap_linktype));
		goto fail;
	}
	if (pcap_setdirection(l->pcap, PCAP_D_IN) < 0)
		lrp_log(LOG_WARNING, "interface %s: cannot capture inbound only: %s", l->cfg.interface,
		    pcap_geterr(l->pcap));
	if (build_filter(l, filter, sizeof(filter)) < 0) {
		lrp_log_config("interface %s has no IPv4 address to receive GRE on", l->cfg.interface);
		goto fail;
	}
	if (pcap_compile(l->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
	    pcap_setfilter(l->pcap, &prog) < 0) {
		lrp_log_config("interface %s: filter `%s': %s", l->cfg.interface, filter, pcap_geterr(l->pcap));
		goto fail;
	}
	pcap_freecode(&prog);
	if (pcap_setnonblock(l->pcap, 1, err) < 0) {
		lrp_log_config("interface %s: %s", l->cfg.interface, err);
		goto fail;
	}
	fd = pcap_get_selectable_fd(l->pcap);
	if (fd < 0) {
		lrp_log_config("interface %s: no selectable descriptor", l->cfg.interface);
		goto fail;
	}
	l->pcap_ev = event_new(l->base, fd, EV_READ | EV_PERSIST, on_readable, l);
	if (l->pcap_ev == NULL || event_add(l->pcap_ev, NULL) < 0)
		goto fail;
	lrp_log(LOG_INFO, "capturing GRE on %s (%s mode, filter \"%s\")", l->cfg.interface,
	    l->cfg.capture_mode == LRP_CAPTURE_IMMEDIATE ? "immediate" : "block", filter);
	return 0;
fail:
	pcap_close(l->pcap);
	l->pcap = NULL;
	return -1;
}
