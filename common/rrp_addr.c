/*
 * rrp_addr.c - parse HOST:PORT and [IPv6]:PORT, format socket addresses.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "rrp_addr.h"
#include "rrp_number.h"

/* Split text into t->host and t->port and check them: the faults found;
 * *port is the port to use when there are none. */
static unsigned
split(const char *text, const struct rrp_addr_rules *rules, struct rrp_addr_text *t,
    long *port)
{
	const char *host, *end, *colon;
	unsigned faults = 0;
	size_t hlen;

	t->port = "";
	if (text[0] == '[') {
		end = strchr(text, ']');
		if (end == NULL)
			return RRP_ADDR_UNCLOSED;
		host = text + 1;
		if (end[1] == ':')
			t->port = end + 2;
		else if (end[1] != '\0')
			faults |= RRP_ADDR_AFTER_CLOSE;
		else if (rules->default_port == 0)
			faults |= RRP_ADDR_NO_PORT;
		colon = end[1] == ':' ? end + 1 : NULL;
	} else {
		colon = strchr(text, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			return RRP_ADDR_BARE_V6;
		host = text;
		end = colon != NULL ? colon : text + strlen(text);
		if (colon != NULL)
			t->port = colon + 1;
		else if (rules->default_port == 0)
			faults |= RRP_ADDR_NO_COLON;
	}
	hlen = (size_t)(end - host);
	if (hlen == 0 || hlen > rules->host_max || hlen >= sizeof(t->host))
		faults |= RRP_ADDR_BAD_HOST;
	else {
		memcpy(t->host, host, hlen);
		t->host[hlen] = '\0';
	}
	*port = rules->default_port;
	if (t->port[0] != '\0') {
		if (rrp_number_parse(t->port, rules->flags & RRP_ADDR_PORT_ZERO ? 0 : 1, 65535, port) < 0)
			faults |= RRP_ADDR_BAD_PORT;
	} else if (colon != NULL && rules->default_port == 0)
		faults |= RRP_ADDR_EMPTY_PORT;
	return faults;
}

unsigned
rrp_addr_parse(const char *text, const struct rrp_addr_rules *rules,
    struct sockaddr_storage *addr, socklen_t *len, struct rrp_addr_text *t)
{
	struct addrinfo hints, *res = NULL;
	char service[16];
	unsigned faults;
	long port;

	memset(t, 0, sizeof(*t));
	faults = split(text, rules, t, &port);
	if (faults != 0)
		return faults;
	snprintf(service, sizeof(service), "%ld", port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if (rules->flags & RRP_ADDR_PASSIVE)
		hints.ai_flags |= AI_PASSIVE;
	if (rules->flags & RRP_ADDR_NUMERIC)
		hints.ai_flags |= AI_NUMERICHOST;
	if (rules->flags & RRP_ADDR_ADDRCONFIG)
		hints.ai_flags |= AI_ADDRCONFIG;
	t->gai_error = getaddrinfo(t->host, service, &hints, &res);
	if (t->gai_error != 0 && t->gai_error != EAI_SYSTEM && (hints.ai_flags & AI_ADDRCONFIG)) {
		/* AI_ADDRCONFIG refuses a family no interface has yet */
		hints.ai_flags &= ~AI_ADDRCONFIG;
		t->gai_error = getaddrinfo(t->host, service, &hints, &res);
	}
	if (t->gai_error != 0)
		return RRP_ADDR_RESOLVE;
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

const char *
rrp_addr_format(int af, const void *host, unsigned port, char *buf, size_t cap)
{
	char text[INET6_ADDRSTRLEN];

	if (buf == NULL || cap == 0)
		return "";
	if (af == AF_INET && inet_ntop(AF_INET, host, text, sizeof(text)) != NULL)
		snprintf(buf, cap, "%s:%u", text, port);
	else if (af == AF_INET6 && inet_ntop(AF_INET6, host, text, sizeof(text)) != NULL)
		snprintf(buf, cap, "[%s]:%u", text, port);
	else
		snprintf(buf, cap, "(address family %d)", af);
	return buf;
}

const char *
rrp_addr_str(const struct sockaddr *sa, char *buf, size_t cap)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		return rrp_addr_format(AF_INET, &sin->sin_addr, ntohs(sin->sin_port), buf, cap);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		return rrp_addr_format(AF_INET6, &sin6->sin6_addr, ntohs(sin6->sin6_port), buf, cap);
	}
	return rrp_addr_format(sa->sa_family, NULL, 0, buf, cap);
}
