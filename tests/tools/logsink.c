/*
 * logsink SOCKET FILE - receive syslog datagrams on a unix socket and
 * append each as one line to FILE.
 *
 * pptpd logs only through syslog(3).  The host tests give pptpd a private
 * /dev/log (tests/lib/with-devlog) that points here, so each test reads
 * exactly its own daemon's log lines.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[8192];
	struct sigaction sa;
	FILE *out;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: logsink SOCKET FILE\n");
		return 2;
	}
	if (strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "logsink: socket path too long: %s\n", argv[1]);
		return 2;
	}
	strcpy(sun.sun_path, argv[1]);
	out = fopen(argv[2], "a");
	if (out == NULL) {
		fprintf(stderr, "logsink: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	unlink(argv[1]);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "logsink: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: recv returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop) {
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
			n--;
		buf[n] = '\0';
		fprintf(out, "%s\n", buf);
		fflush(out);
	}
	unlink(argv[1]);
	return 0;
}
