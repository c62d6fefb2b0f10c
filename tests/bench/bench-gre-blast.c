/*
 * bench-gre-blast - inject enhanced GRE at the highest rate one core
 * allows, or count packets arriving on an interface.
 *
 *   bench-gre-blast -d DST -c CALL_ID [-z SIZE] [-t SECS | -n COUNT]
 *                   [-r PPS] [-b BATCH] [-p CPU]
 *   bench-gre-blast -C IFACE [-W WARMUP] [-t SECS] [-p CPU]
 *
 * Sender: PPTP GRE packets (K and S set, sequence numbers counting up, a
 * PPP frame of SIZE information bytes with protocol 0x0001) to DST through
 * a raw IPPROTO_GRE socket, sendmmsg() batches of BATCH, as a client on
 * the LAN would send them but faster than any; -r paces to PPS (for the
 * framing count, where nothing may be dropped).  Prints "sent=N secs=T
 * pps=R".
 *
 * Counter: reads /sys/class/net/IFACE/statistics/rx_packets (the
 * interface's own count, before netfilter or any socket, so counting costs
 * the measured path nothing); waits for the count to start moving, lets
 * WARMUP seconds pass, then prints the rate over SECS: "pps=R".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-util.h"
#include "pptp_gre.h"

#define BATCH_MAX	256

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
count_iface(const char *iface, double warmup, double secs)
{
	char path[256];
	long long c0, c1, start;
	uint64_t t0, t1, deadline;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_packets", iface);
	start = bench_read_counter(path);
	if (start < 0)
		bench_die("%s:", path);
	deadline = bench_now_us() + 30 * 1000000ULL;
	while (bench_read_counter(path) < start + 1000) {	/* traffic started */
		if (bench_now_us() > deadline || stop)
			bench_die("no packets on %s within 30 s", iface);
		usleep(2000);
	}
	usleep((useconds_t)(warmup * 1e6));
	t0 = bench_now_us();
	c0 = bench_read_counter(path);
	usleep((useconds_t)(secs * 1e6));
	t1 = bench_now_us();
	c1 = bench_read_counter(path);
	printf("bench-gre-blast: count iface=%s packets=%lld secs=%.3f pps=%.0f\n", iface, c1 - c0,
	    (double)(t1 - t0) / 1e6, (double)(c1 - c0) * 1e6 / (double)(t1 - t0));
	return 0;
}

int
main(int argc, char **argv)
{
	static uint8_t hdrs[BATCH_MAX][PPTP_GRE_HDR_MAX];
	static uint8_t payload[8192];
	struct mmsghdr msgs[BATCH_MAX];
	struct iovec iov[BATCH_MAX][2];
	struct sockaddr_in dst;
	const char *iface = NULL;
	long size = 1400, batch = 64, count = 0;
	double secs = 3, rate = 0, warmup = 1;
	int opt, fd, cpu = -1, have_dst = 0, i;
	uint16_t call_id = 0;
	uint32_t seq = 0;
	unsigned long long sent = 0, fails = 0;
	uint64_t t0, end, now;
	struct pptp_gre_hdr h;
	size_t hl = 0;

	bench_prog = "bench-gre-blast";
	while ((opt = getopt(argc, argv, "d:c:z:t:n:r:b:p:C:W:")) != -1) {
		switch (opt) {
		case 'd':
			if (bench_parse_addr(optarg, 0, &dst) < 0)
				bench_die("bad address `%s'", optarg);
			have_dst = 1;
			break;
		case 'c': call_id = (uint16_t)atoi(optarg); break;
		case 'z': size = atol(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'n': count = atol(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 'b': batch = atol(optarg); break;
		case 'p': cpu = atoi(optarg); break;
		case 'C': iface = optarg; break;
		case 'W': warmup = atof(optarg); break;
		default:
			fprintf(stderr, "usage: see the comment at the top of bench-gre-blast.c\n");
			return 2;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	bench_pin(cpu);
	if (iface != NULL)
		return count_iface(iface, warmup, secs);
	if (!have_dst || size < 4 || size > 8000 || batch < 1 || batch > BATCH_MAX)
		bench_die("need -d DST, SIZE 4..8000, BATCH 1..%d", BATCH_MAX);

	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_GRE);
	if (fd < 0)
		bench_die("raw GRE socket:");
	{
		int sz = 4 * 1024 * 1024;

		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		bench_die("connect:");
	/* the PPP frame: ff 03, protocol 0x0001, SIZE information bytes */
	payload[0] = 0xff;
	payload[1] = 0x03;
	payload[2] = 0x00;
	payload[3] = 0x01;
	for (i = 4; i < size + 4; i++)
		payload[i] = (uint8_t)(i * 13 + 5);
	memset(&h, 0, sizeof(h));
	h.call_id = call_id;
	h.payload_len = (uint16_t)(size + 4);
	h.has_seq = 1;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < batch; i++) {
		iov[i][0].iov_base = hdrs[i];
		iov[i][1].iov_base = payload;
		iov[i][1].iov_len = (size_t)size + 4;
		msgs[i].msg_hdr.msg_iov = iov[i];
		msgs[i].msg_hdr.msg_iovlen = 2;
	}

	t0 = bench_now_us();
	end = t0 + (uint64_t)(secs * 1e6);
	while (!stop && (count == 0 ? (now = bench_now_us()) < end : sent < (unsigned long long)count)) {
		int n = (int)batch, r;

		if (count > 0 && sent + (unsigned long long)n > (unsigned long long)count)
			n = (int)((unsigned long long)count - sent);
		if (rate > 0) {
			/* paced: never ahead of the schedule */
			double due = (double)(bench_now_us() - t0) * rate / 1e6;

			if ((double)sent >= due) {
				usleep(200);
				continue;
			}
			if ((double)n > due - (double)sent + 1)
				n = (int)(due - (double)sent) + 1;
		}
		for (i = 0; i < n; i++) {
			h.seq = seq + (uint32_t)i;
			hl = pptp_gre_build(hdrs[i], &h);
			iov[i][0].iov_len = hl;
		}
		r = sendmmsg(fd, msgs, (unsigned)n, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				fails++;
				continue;
			}
			bench_die("sendmmsg:");
		}
		sent += (unsigned long long)r;
		seq += (uint32_t)r;
	}
	now = bench_now_us();
	printf("bench-gre-blast: sent=%llu secs=%.3f pps=%.0f enobufs=%llu gre_bytes=%zu\n", sent,
	    (double)(now - t0) / 1e6, (double)sent * 1e6 / (double)(now - t0), fails, hl + (size_t)size + 4);
	return 0;
}
