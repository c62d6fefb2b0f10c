/*
 * rrp_addr.h - socket addresses as the operator writes them and as the
 * logs show them: "192.0.2.1:1724", "[2001:db8::1]:1724".
 *
 * One parser for lrp.conf's listen and server, pptpd's rrp-listen and the
 * test tools' addresses.  It says what is wrong as a set of faults, and
 * each caller words its message in the terms of its own manual (lrp.conf(5)
 * writes HOST:PORT, pptpd.conf(5) ADDR:PORT), naming the fault it finds
 * the most telling when there are several.
 */
#ifndef RRP_ADDR_H
#define RRP_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* "[" INET6_ADDRSTRLEN "]:65535", and "(address family N)" */
#define RRP_ADDR_STRLEN		56

/* What rrp_addr_parse() finds wrong with a text (0: nothing). */
#define RRP_ADDR_UNCLOSED	0x001	/* "[" with no "]": nothing else is read */
#define RRP_ADDR_BARE_V6	0x002	/* more than one ":" outside brackets: nor here */
#define RRP_ADDR_AFTER_CLOSE	0x004	/* "]" followed by neither ":" nor the end */
#define RRP_ADDR_BAD_HOST	0x008	/* the host is empty or longer than host_max */
#define RRP_ADDR_NO_PORT	0x010	/* "[ADDRESS]" with no ":PORT", and no default */
#define RRP_ADDR_NO_COLON	0x020	/* "HOST" with no ":PORT", and no default */
#define RRP_ADDR_EMPTY_PORT	0x040	/* nothing after the ":", and no default */
#define RRP_ADDR_BAD_PORT	0x080	/* not a number in 1..65535 (0..65535) */
#define RRP_ADDR_RESOLVE	0x100	/* getaddrinfo() refused it: gai_error */

/* Flags of struct rrp_addr_rules. */
#define RRP_ADDR_PASSIVE	0x01	/* an address to listen on */
#define RRP_ADDR_ADDRCONFIG	0x02	/* the families configured here first */
#define RRP_ADDR_NUMERIC	0x04	/* no name lookups */
#define RRP_ADDR_PORT_ZERO	0x08	/* port 0 is allowed (the test tools') */

struct rrp_addr_rules {
	int	default_port;	/* for a text without one; 0: one is needed */
	int	flags;		/* RRP_ADDR_PASSIVE ... */
	size_t	host_max;	/* the longest host accepted, in characters */
};

/* The pieces rrp_addr_parse() read, for the caller's message. */
struct rrp_addr_text {
	char		host[256];
	const char	*port;		/* into the text: as written, "" if none */
	int		gai_error;	/* RRP_ADDR_RESOLVE: gai_strerror() says */
};

/*
 * Parse "HOST:PORT" or "[IPv6]:PORT" (HOST or [IPv6] alone when the rules
 * give a default port), and resolve it when the text is well formed:
 * 0 with *addr and *len set (the first address getaddrinfo() gives), or
 * the RRP_ADDR_* faults found, with t holding what was read.
 */
unsigned rrp_addr_parse(const char *text, const struct rrp_addr_rules *rules,
    struct sockaddr_storage *addr, socklen_t *len, struct rrp_addr_text *t);

/* "192.0.2.1:1723", "[2001:db8::1]:1724" for an address of family af
 * (AF_INET: a struct in_addr, AF_INET6: a struct in6_addr) and a port in
 * host order; "(address family N)" for any other family.  Returns buf. */
const char *rrp_addr_format(int af, const void *host, unsigned port, char *buf, size_t cap);

/* The same for a socket address. */
const char *rrp_addr_str(const struct sockaddr *sa, char *buf, size_t cap);

#endif
