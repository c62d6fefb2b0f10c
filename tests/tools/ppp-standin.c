/*
 * ppp-standin - a small stand-in for pppd, for tests on hosts whose kernel
 * has no PPP (no /dev/ppp), where the real pppd cannot run.
 *
 * pptpctrl starts its `ppp` program (pptpd.conf) on a pty slave, fd 0 and
 * fd 1, with pppd's argv:
 *   local [file OPT] SPEED [LOCAL:REMOTE] [ipparam IP]
 *         [plugin PATH pptpd-original-ip IP] remotenumber IP
 * This program sets the pty raw (as pppd does), speaks first (pptpctrl
 * reads its GRE socket only once the pty has been readable), answers LCP
 * Echo-Requests with Echo-Replies, and sends every other frame back
 * unchanged, so a client on the far side of PPTP can check that frames
 * cross intact and in order.
 *
 * Environment:
 *   STANDIN_DIR   if set, write standin-<pid>.txt there: the argv, the
 *                 executable of the parent (which pptpctrl started us), and
 *                 frame counters at exit.
 *   STANDIN_MODE  "echo" (default) or "sink" (count frames, send nothing
 *                 back but LCP replies: for throughput measurements).
 *   STANDIN_STUCK if "1", a ppp program that will not go: SIGTERM and
 *                 SIGHUP are ignored and it stays after its pty hangs up,
 *                 until SIGKILL (for pptpctrl's bounded wait on it).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hdlc.h"

struct standin {
	int		sink;
	unsigned long	frames_in, frames_echoed, lcp_echo_answered;
	unsigned long	lcp_replies_seen, bytes_in;
	FILE		*report;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Output to pptpctrl goes through a bounded queue, written as the pty
 * takes it: pptpctrl also blocks writing to the pty, so a stand-in that
 * blocked writing back while pptpctrl blocked writing to it would deadlock
 * both once a pty buffer's worth is in flight (pppd queues too).  Frames
 * that find the queue full are dropped and counted, as a real link drops.
 */
#define OUT_QUEUE_MAX	(1024 * 1024)

static uint8_t out_queue[OUT_QUEUE_MAX];
static size_t out_start, out_end;
static unsigned long out_dropped;

static void
out_flush(void)
{
	while (out_end > out_start) {
		ssize_t n = write(1, out_queue + out_start, out_end - out_start);

		if (n <= 0)
			break;
		out_start += (size_t)n;
	}
	if (out_start == out_end)
		out_start = out_end = 0;
}

static int
send_frame(const uint8_t *frame, size_t len)
{
	static uint8_t enc[2 * HDLC_FRAME_MAX + 8];
	size_t n = hdlc_encode(frame, len, enc, sizeof(enc));

	if (n == 0)
		return -1;
	if (out_end + n > sizeof(out_queue) && out_start > 0) {
		memmove(out_queue, out_queue + out_start, out_end - out_start);
		out_end -= out_start;
		out_start = 0;
	}
	if (out_end + n > sizeof(out_queue)) {
		out_dropped++;
		return 0;
	}
	memcpy(out_queue + out_end, enc, n);
	out_end += n;
	out_flush();
	return 0;
}

static int
on_frame(const uint8_t *frame, size_t len, void *arg)
{
	struct standin *s = arg;
	const uint8_t *info;
	size_t info_len;
	uint16_t proto;

	s->frames_in++;
	s->bytes_in += len;
	if (ppp_frame_split(frame, len, &proto, &info, &info_len) < 0)
		return 0;
	if (proto == PPP_LCP && info_len >= 8 && info[0] == LCP_ECHO_REQUEST) {
		uint8_t reply[HDLC_FRAME_MAX];
		uint8_t lcp[HDLC_FRAME_MAX];
		size_t n;

		memcpy(lcp, info, info_len);
		lcp[0] = LCP_ECHO_REPLY;
		memset(lcp + 4, 0, 4);		/* magic number: none negotiated */
		n = ppp_frame_build(PPP_LCP, lcp, info_len, reply, sizeof(reply));
		s->lcp_echo_answered++;
		return n && send_frame(reply, n) == 0 ? 0 : 1;
	}
	if (proto == PPP_LCP && info_len >= 4 && info[0] == LCP_ECHO_REPLY) {
		s->lcp_replies_seen++;
		return 0;
	}
	if (s->sink)
		return 0;
	s->frames_echoed++;
	return send_frame(frame, len) == 0 ? 0 : 1;
}

static void
report_start(struct standin *s, int argc, char **argv)
{
	const char *dir = getenv("STANDIN_DIR");
	char path[PATH_MAX], exe[PATH_MAX], link[64];
	ssize_t n;
	int i;

	if (dir == NULL || *dir == '\0')
		return;
	snprintf(path, sizeof(path), "%s/standin-%ld.txt", dir, (long)getpid());
	s->report = fopen(path, "w");
	if (s->report == NULL)
		return;
	fprintf(s->report, "argv:");
	for (i = 1; i < argc; i++)
		fprintf(s->report, " %s", argv[i]);
	fprintf(s->report, "\n");
	snprintf(link, sizeof(link), "/proc/%ld/exe", (long)getppid());
	n = readlink(link, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	fprintf(s->report, "parent-exe: %s\n", exe);
	fflush(s->report);
}

static void
report_end(struct standin *s, const char *why)
{
	if (s->report == NULL)
		return;
	fprintf(s->report, "frames-in: %lu\nbytes-in: %lu\nframes-echoed: %lu\n"
	    "lcp-echo-answered: %lu\nlcp-replies-seen: %lu\nframes-dropped: %lu\nend: %s\n",
	    s->frames_in, s->bytes_in, s->frames_echoed, s->lcp_echo_answered,
	    s->lcp_replies_seen, out_dropped, why);
	fclose(s->report);
	s->report = NULL;
}

int
main(int argc, char **argv)
{
	static const uint8_t hello_lcp[] = {
		LCP_ECHO_REQUEST, 0x01, 0x00, 0x0c, 0, 0, 0, 0,
		's', 't', 'n', 'd'
	};
	const char *mode = getenv("STANDIN_MODE");
	struct standin s = { 0 };
	struct hdlc_decoder dec;
	struct termios tio;
	uint8_t frame[64], buf[65536];
	const char *why = "signal";
	size_t n;
	int stuck;

	s.sink = mode != NULL && strcmp(mode, "sink") == 0;
	stuck = getenv("STANDIN_STUCK") != NULL && strcmp(getenv("STANDIN_STUCK"), "1") == 0;
	signal(SIGTERM, stuck ? SIG_IGN : on_signal);
	signal(SIGHUP, stuck ? SIG_IGN : on_signal);
	signal(SIGPIPE, SIG_IGN);
	report_start(&s, argc, argv);

	/* pptpctrl leaves the slave in cooked mode; pppd would set it raw. */
	if (isatty(0) && tcgetattr(0, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(0, TCSANOW, &tio);
	}

	/* fd 0 and 1 share the pty's file description: both non-blocking */
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);

	hdlc_decoder_init(&dec);
	n = ppp_frame_build(PPP_LCP, hello_lcp, sizeof(hello_lcp), frame, sizeof(frame));
	if (send_frame(frame, n) < 0) {
		report_end(&s, "first write failed");
		return 1;
	}

	while (!stop) {
		struct pollfd p[2] = {
			{ .fd = 0, .events = POLLIN },
			{ .fd = 1, .events = out_end > out_start ? POLLOUT : 0 },
		};
		ssize_t r;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			why = strerror(errno);
			break;
		}
		if (p[1].revents & POLLOUT)
			out_flush();
		if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		r = read(0, buf, sizeof(buf));
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			why = r == 0 ? "eof" : strerror(errno);
			break;
		}
		if (hdlc_feed(&dec, buf, (size_t)r, on_frame, &s) < 0) {
			why = "write failed";
			break;
		}
	}
	if (stuck) {
		if (s.report != NULL) {
			fprintf(s.report, "stuck: %s; waiting for SIGKILL\n", why);
			fflush(s.report);
		}
		for (;;)
			pause();
	}
	report_end(&s, why);
	return 0;
}
