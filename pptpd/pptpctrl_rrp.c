/*
 * pptpctrl_rrp.c - pptpctrl's hooks for an RRP tunnel (see pptpctrl_rrp.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "pptpctrl_rrp.h"

static int active;
static int gre_fd = -1;
static struct in_addr client_ip;
static unsigned client_port;
static char lrp[80];

static void __attribute__((noreturn))
bad_args(const char *what, const char *value)
{
	syslog(LOG_ERR, "CTRL: RRP: bad %s argument `%s' from pptpd; exiting", what, value);
	fprintf(stderr, "pptpctrl: bad RRP %s argument `%s'\n", what, value);
	exit(2);
}

int
rrp_ctrl_parse_args(int argc, char **argv, int arg)
{
	char ip[INET_ADDRSTRLEN], *end;
	const char *colon;
	struct stat st;
	long v;

	if (arg >= argc || strcmp(argv[arg], "rrp") != 0)
		return arg;
	if (arg + 3 >= argc)
		bad_args("count", argv[arg]);

	errno = 0;
	v = strtol(argv[arg + 1], &end, 10);
	if (errno || *end != '\0' || v < 3 || v > 65535 || fstat((int)v, &st) < 0 || !S_ISSOCK(st.st_mode))
		bad_args("GRE socket", argv[arg + 1]);
	gre_fd = (int)v;
	/* pppd, which pptpctrl forks, must not inherit it */
	fcntl(gre_fd, F_SETFD, FD_CLOEXEC);

	colon = strrchr(argv[arg + 2], ':');
	if (colon == NULL || (size_t)(colon - argv[arg + 2]) >= sizeof(ip))
		bad_args("client address", argv[arg + 2]);
	memcpy(ip, argv[arg + 2], (size_t)(colon - argv[arg + 2]));
	ip[colon - argv[arg + 2]] = '\0';
	errno = 0;
	v = strtol(colon + 1, &end, 10);
	if (inet_pton(AF_INET, ip, &client_ip) != 1 || errno || *end != '\0' || v < 1 || v > 65535)
		bad_args("client address", argv[arg + 2]);
	client_port = (unsigned)v;

	snprintf(lrp, sizeof(lrp), "%s", argv[arg + 3]);
	active = 1;
	return arg + 4;
}

int
rrp_ctrl_active(void)
{
	return active;
}

void
rrp_ctrl_addresses(struct in_addr *inetaddrs, struct sockaddr_in *peer)
{
	char ip[INET_ADDRSTRLEN];

	if (!active)
		return;
	/* inetaddrs[0] (our end) only binds the raw GRE socket a tunnel
	 * does not use */
	inetaddrs[0].s_addr = htonl(INADDR_ANY);
	inetaddrs[1] = client_ip;
	peer->sin_family = AF_INET;
	peer->sin_addr = client_ip;
	peer->sin_port = htons((unsigned short)client_port);
	inet_ntop(AF_INET, &client_ip, ip, sizeof(ip));
	syslog(LOG_INFO, "CTRL: Client %s:%u via LRP %s (RRP tunnel)", ip, client_port, lrp);
}

int
rrp_ctrl_gre_fd(void)
{
	int fd = fcntl(gre_fd, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		syslog(LOG_ERR, "GRE: RRP: cannot duplicate the tunnel's GRE socket: %s", strerror(errno));
	return fd;
}
