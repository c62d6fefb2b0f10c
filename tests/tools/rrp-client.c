/*
 * rrp-client - an independent test client for the RRP built into pptpd:
 * opens ONE tunnel (doc/tunnel-protocol.md) and plays one scenario.
 *
 *   rrp-client -s HOST:PORT -k SECRET_FILE [-c CLIENT_IP:PORT] [-n ECHOES]
 *              [-m FRAMES] [-t SECONDS] [-H SECONDS] [--call-id N]
 *              [--mode MODE] [--expect EXPECTATION] [-q]
 *
 * It is the RRP's test oracle, so it shares nothing with lrp/: only the
 * codec in common/ (frames, handshake messages, PPTP messages and GRE
 * headers), which has its own unit tests, and the test payloads every test
 * client sends (test-frames.c).  Everything else - the handshake sequence,
 * the PNS side of PPTP, GRE sequencing, the PPP checks - is written here
 * again, from the specification, in the files rrp-client.h lists.
 *
 * Modes: session (default) plays a whole PPTP session as the PNS against
 * pptpd's `ppp` stand-in (tests/tools/ppp-standin): control connection,
 * outgoing call, LCP echoes timed one at a time, data frames checked byte
 * for byte and in order (the patterns of tests/tools/pptp-drive.c), an
 * optional hold, and the full teardown.  The other modes break the
 * protocol in one precise way and record how the server answers:
 * wrong-secret, version:N, bad-magic, truncated, oversized, unknown-frame,
 * bad-flags, early-ctrl, stall, bad-ctrl, bad-gre, garbage-after-open.
 * seq-gap is a session that then skips one GRE sequence number and checks
 * the frame after the gap is still delivered, by the receiver's timeout.
 * flood:N is a session that, after its checks, sends N frames without
 * reading the tunnel (a slow consumer: the RRP must drop GRE, not queue it
 * without bound), then checks a PPTP Echo-Request is still answered.
 *
 * Expectations (--expect) decide the exit status: session-ok, open (the
 * handshake completed and WELCOME verified), error:NAME, close:NAME (NAME
 * from the enums of common/rrp_proto.h, or a number), eof, any (exit 0
 * whatever happened; for "the server must not crash" tests that look at
 * the server instead).  With close:IDLE the client sends no KEEPALIVE of
 * its own, so that the RRP's idle timeout can fire during -H.
 *
 * Timing: -t (default 15 s) bounds the whole run, plus -H when holding a
 * call; every wait is poll-based against that deadline.  In the open state
 * the client sends a KEEPALIVE after 20 s without sending anything (spec
 * section 9) and never answers one.  -c takes any address, port 0 and the
 * unspecified address included, so `-c 0.0.0.0:0 --expect error:ADDRESS`
 * tests the RRP's AUTH checks.
 *
 * Output: exactly one summary line on stdout, "rrp-client: ok ..." or
 * "rrp-client: FAILED ..."; diagnostics on stderr unless -q.  Exit 0 if
 * the expectation was met, 1 if not, 2 for usage and setup errors.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rrp-client.h"
#include "rrp-client-io.h"
#include "rrp_auth.h"
#include "rrp_proto.h"

#define DEFAULT_CLIENT		"192.0.2.77:40000"

static const struct {
	const char	*name;
	enum rcl_mode	 mode;
} mode_names[] = {
	{ "session", M_SESSION },
	{ "wrong-secret", M_WRONG_SECRET },
	{ "bad-magic", M_BAD_MAGIC },
	{ "truncated", M_TRUNCATED },
	{ "oversized", M_OVERSIZED },
	{ "unknown-frame", M_UNKNOWN_FRAME },
	{ "bad-flags", M_BAD_FLAGS },
	{ "early-ctrl", M_EARLY_CTRL },
	{ "stall", M_STALL },
	{ "bad-ctrl", M_BAD_CTRL },
	{ "bad-gre", M_BAD_GRE },
	{ "garbage-after-open", M_GARBAGE_AFTER_OPEN },
	{ "seq-gap", M_SEQ_GAP },
};

static const struct {
	const char	*name;
	int		 code;
} error_names[] = {
	{ "VERSION", RRP_E_VERSION }, { "TYPE", RRP_E_TYPE },
	{ "LENGTH", RRP_E_LENGTH }, { "FLAGS", RRP_E_FLAGS },
	{ "STATE", RRP_E_STATE }, { "AUTH", RRP_E_AUTH },
	{ "MAGIC", RRP_E_MAGIC }, { "ADDRESS", RRP_E_ADDRESS },
	{ "TIMEOUT", RRP_E_TIMEOUT }, { "PAYLOAD", RRP_E_PAYLOAD },
	{ "INTERNAL", RRP_E_INTERNAL },
}, close_names[] = {
	{ "NORMAL", RRP_CLOSE_NORMAL }, { "SHUTDOWN", RRP_CLOSE_SHUTDOWN },
	{ "IDLE", RRP_CLOSE_IDLE }, { "FULL", RRP_CLOSE_FULL },
	{ "REFUSED", RRP_CLOSE_REFUSED }, { "PEER_GONE", RRP_CLOSE_PEER_GONE },
	{ "OVERLOAD", RRP_CLOSE_OVERLOAD },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- run state and output ------------------------------------------------ */

static int quiet;

void
rcl_diag(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Record why the run fails; the first reason is the one reported. */
void
rcl_fail(struct rcl_run *r, const char *fmt, ...)
{
	va_list ap;
	char buf[256];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rcl_diag("%s", buf);
	if (!r->failed)
		snprintf(r->why, sizeof(r->why), "%s", buf);
	r->failed = 1;
}

void
rcl_append(char *buf, size_t cap, const char *step)
{
	size_t n = strlen(buf);

	snprintf(buf + n, cap - n, "%s%s", n ? ">" : "", step);
}

unsigned long
rcl_ms_since(const struct rcl_run *r, uint64_t t_us)
{
	return (unsigned long)((t_us - r->t0_us) / 1000);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- options and the verdict ----------------------------------------------- */

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;
	char buf[300];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, PROG ": %s\n"
	    "usage: " PROG " -s HOST:PORT -k SECRET_FILE [-c CLIENT_IP:PORT] "
	    "[-n ECHOES] [-m FRAMES] [-t SECONDS] [-H SECONDS] [--call-id N] "
	    "[--mode MODE] [--expect EXPECTATION] [-q]\n"
	    "  MODE: session wrong-secret version:N bad-magic truncated "
	    "oversized unknown-frame bad-flags early-ctrl stall bad-ctrl "
	    "bad-gre garbage-after-open flood:N seq-gap\n"
	    "  EXPECTATION: session-ok open error:NAME close:NAME eof any\n",
	    buf);
	printf(PROG ": FAILED usage: %s\n", buf);
	exit(2);
}

static long
number(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < lo || v > hi)
		usage_error("%s: `%s' is not a number in %ld..%ld", what, s,
		    lo, hi);
	return v;
}

static int
lookup(const char *name, int is_close, int *code)
{
	size_t i, n = is_close ? NELEM(close_names) : NELEM(error_names);
	char *end;
	long v;

	for (i = 0; i < n; i++) {
		const char *nm = is_close ? close_names[i].name :
		    error_names[i].name;

		if (strcasecmp(name, nm) == 0) {
			*code = is_close ? close_names[i].code :
			    error_names[i].code;
			return 0;
		}
	}
	errno = 0;
	v = strtol(name, &end, 10);
	if (*name != '\0' && *end == '\0' && errno == 0 && v >= 0 &&
	    v <= 65535) {
		*code = (int)v;
		return 0;
	}
	return -1;
}

static void
parse_expect(const char *s, struct rcl_expect *x)
{
	if (strcmp(s, "session-ok") == 0)
		x->kind = X_SESSION_OK;
	else if (strcmp(s, "open") == 0)
		x->kind = X_OPEN;
	else if (strcmp(s, "eof") == 0)
		x->kind = X_EOF;
	else if (strcmp(s, "any") == 0)
		x->kind = X_ANY;
	else if (strncmp(s, "error:", 6) == 0 &&
	    lookup(s + 6, 0, &x->code) == 0)
		x->kind = X_ERROR;
	else if (strncmp(s, "close:", 6) == 0 &&
	    lookup(s + 6, 1, &x->code) == 0)
		x->kind = X_CLOSE;
	else
		usage_error("--expect: `%s' is not session-ok, open, "
		    "error:NAME, close:NAME, eof or any", s);
}

static void
parse_mode(const char *s, struct rcl_opts *o)
{
	size_t i;

	snprintf(o->mode_str, sizeof(o->mode_str), "%s", s);
	if (strncmp(s, "version:", 8) == 0) {
		o->mode = M_VERSION;
		o->version_n = (int)number(s + 8, 0, 255, "--mode version:N");
		return;
	}
	if (strncmp(s, "flood:", 6) == 0) {
		o->mode = M_FLOOD;
		o->flood_n = number(s + 6, 1, 10000000, "--mode flood:N");
		return;
	}
	for (i = 0; i < NELEM(mode_names); i++) {
		if (strcmp(s, mode_names[i].name) == 0) {
			o->mode = mode_names[i].mode;
			return;
		}
	}
	usage_error("--mode: unknown mode `%s'", s);
}

/* What the mode is for, when --expect does not say. */
static struct rcl_expect
default_expect(const struct rcl_opts *o)
{
	struct rcl_expect x = { X_ERROR, 0 };

	switch (o->mode) {
	case M_SESSION:		x.kind = X_SESSION_OK; break;
	case M_FLOOD:		x.kind = X_SESSION_OK; break;
	case M_SEQ_GAP:		x.kind = X_SESSION_OK; break;
	case M_WRONG_SECRET:	x.code = RRP_E_AUTH; break;
	case M_VERSION:
		if (o->version_n == RRP_VERSION_MIN)
			x.kind = X_OPEN;
		else
			x.code = RRP_E_VERSION;
		break;
	case M_BAD_MAGIC:	x.code = RRP_E_MAGIC; break;
	case M_TRUNCATED:	x.kind = X_EOF; break;
	case M_OVERSIZED:	x.code = RRP_E_LENGTH; break;
	case M_UNKNOWN_FRAME:	x.code = RRP_E_TYPE; break;
	case M_BAD_FLAGS:	x.code = RRP_E_FLAGS; break;
	case M_EARLY_CTRL:	x.code = RRP_E_STATE; break;
	case M_STALL:		x.code = RRP_E_TIMEOUT; break;
	case M_BAD_CTRL:	x.code = RRP_E_PAYLOAD; break;
	case M_BAD_GRE:		x.code = RRP_E_PAYLOAD; break;
	case M_GARBAGE_AFTER_OPEN: x.code = RRP_E_TYPE; break;
	}
	return x;
}

static const char *
code_name(int is_close, int code)
{
	size_t i, n = is_close ? NELEM(close_names) : NELEM(error_names);

	for (i = 0; i < n; i++)
		if ((is_close ? close_names[i].code : error_names[i].code) ==
		    code)
			return is_close ? close_names[i].name :
			    error_names[i].name;
	return "?";
}

/* Is the expectation met?  If not, why (into r->why when empty). */
static int
verdict(struct rcl_run *r)
{
	const struct rcl_expect *x = &r->o->expect;
	char want[48];

	switch (x->kind) {
	case X_ANY:
		return 1;
	case X_SESSION_OK:
		if (r->o->mode != M_SESSION && r->o->mode != M_FLOOD && r->o->mode != M_SEQ_GAP) {
			rcl_fail(r, "session-ok needs --mode session, flood:N or seq-gap");
			return 0;
		}
		if (!r->failed && !r->session_done)
			rcl_fail(r, "the session did not complete");
		return r->session_done && !r->failed;
	case X_OPEN:
		if (r->opened)
			return 1;
		snprintf(want, sizeof(want), "the handshake to complete");
		break;
	case X_EOF:
		if (r->fin == FIN_EOF && rcl_partial(r->c) == 0)
			return 1;
		snprintf(want, sizeof(want), "eof");
		break;
	case X_ERROR:
	case X_CLOSE:
		if (r->fin == (x->kind == X_ERROR ? FIN_ERROR : FIN_CLOSE) &&
		    r->fin_code == x->code) {
			if (!r->after_final_bad)
				return 1;
			r->failed = 0;
			r->why[0] = '\0';
			rcl_fail(r, "server %s", r->after_final);
			return 0;
		}
		snprintf(want, sizeof(want), "%s %s", x->kind == X_ERROR ?
		    "ERROR" : "CLOSE", code_name(x->kind == X_CLOSE, x->code));
		break;
	}
	/* The expectation decides: a reason recorded on the way (e.g. the
	 * server broke the protocol) is the better explanation if any. */
	if (!r->failed || r->why[0] == '\0')
		rcl_fail(r, "expected %s", want);
	else {
		char why[sizeof(want) + sizeof(r->why) + 16];
		size_t n;

		snprintf(why, sizeof(why), "expected %s; %s", want, r->why);
		n = strnlen(why, sizeof(r->why) - 1);
		memcpy(r->why, why, n);
		r->why[n] = '\0';
	}
	return 0;
}

static void
summary(struct rcl_run *r, int ok, const uint64_t *rtt, long echoes_ok)
{
	const struct rcl_session *s = &r->s;
	uint64_t end = rcl_now_us();

	printf(PROG ": %s mode %s", ok ? "ok" : "FAILED", r->o->mode_str);
	if (!ok && r->why[0])
		printf("; why: %s", r->why);
	if (r->fin != FIN_NONE)
		printf("; server: %s at %lu ms", r->fin_desc,
		    rcl_ms_since(r, r->fin_us));
	else
		printf("; server: %s", r->last_frame[0] ? r->last_frame :
		    "nothing");
	if (r->after_final[0])
		printf(", %s", r->after_final);
	if (r->o->mode == M_FLOOD)
		printf("; flood %lu sent %lu back", s->flood_sent, s->flood_back);
	if (r->o->mode == M_SEQ_GAP)
		printf("; after the gap %ld ms", s->gap_ms);
	if (r->o->mode == M_SESSION || r->o->mode == M_FLOOD || r->o->mode == M_SEQ_GAP) {
		printf("; echo %ld/%ld (rtt p50 %llu us) data %u/%ld ok, %u bad;"
		    " server call id %u; our call id %u;"
		    " gre up %lu down %lu seq_gaps %lu ooo %lu bad_callid %lu"
		    " bad_ack %lu; pptp echo %u keepalive %u; teardown %s",
		    echoes_ok, r->o->echoes,
		    (unsigned long long)(echoes_ok ? rtt[echoes_ok / 2] : 0),
		    s->data_ok, r->o->frames, s->data_bad,
		    s->have_srv_cid ? s->srv_cid : 0, s->our_cid,
		    s->gre_up, s->gre_down, s->seq_gaps, s->seq_ooo,
		    s->bad_cid, s->bad_ack, s->pptp_echo_answered,
		    s->keepalives_in, r->teardown[0] ? r->teardown : "none");
	}
	printf("; elapsed %lu ms\n", rcl_ms_since(r, end));
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "call-id", required_argument, NULL, 'C' },
		{ "mode", required_argument, NULL, 'M' },
		{ "expect", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	static struct rcl_conn conn;
	struct rcl_opts o;
	struct rcl_run r;
	char err[300];
	uint64_t *rtt = NULL;
	const char *server = NULL;
	long echoes_ok = 0;
	int opt, fd, ok;

	memset(&o, 0, sizeof(o));
	o.echoes = 10;
	o.frames = 100;
	o.timeout_s = 15;
	o.call_id = -1;
	o.mode = M_SESSION;
	snprintf(o.mode_str, sizeof(o.mode_str), "session");
	rcl_parse_client(DEFAULT_CLIENT, &o.client);

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:k:c:n:m:t:H:q", longopts,
	    NULL)) != -1) {
		switch (opt) {
		case 's':
			server = optarg;
			if (rcl_parse_hostport(optarg, &o.server,
			    &o.server_len) < 0)
				usage_error("-s: `%s' is not HOST:PORT "
				    "(1.2.3.4:5000 or [2001:db8::1]:5000)",
				    optarg);
			break;
		case 'k': o.secret_path = optarg; break;
		case 'c':
			if (rcl_parse_client(optarg, &o.client) < 0)
				usage_error("-c: `%s' is not CLIENT_IP:PORT "
				    "(192.0.2.77:40000 or [2001:db8::7]:40000)",
				    optarg);
			break;
		case 'n': o.echoes = number(optarg, 0, 1000000, "-n"); break;
		case 'm': o.frames = number(optarg, 0, 100000000, "-m"); break;
		case 't': o.timeout_s = number(optarg, 1, 86400, "-t"); break;
		case 'H': o.hold_s = number(optarg, 0, 86400, "-H"); break;
		case 'q': o.quiet = 1; break;
		case 'C': o.call_id = number(optarg, 0, 65535, "--call-id"); break;
		case 'M': parse_mode(optarg, &o); break;
		case 'E':
			parse_expect(optarg, &o.expect);
			o.expect_given = 1;
			break;
		case ':':
			usage_error("option `%s' needs an argument",
			    argv[optind - 1]);
		default:
			if (optopt != 0)
				usage_error("unknown option `-%c'", optopt);
			usage_error("unknown option `%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument `%s'", argv[optind]);
	if (server == NULL)
		usage_error("-s HOST:PORT is required");
	if (o.secret_path == NULL)
		usage_error("-k SECRET_FILE is required");
	if (!o.expect_given)
		o.expect = default_expect(&o);
	quiet = o.quiet;
	rcl_sockaddr_str((struct sockaddr *)&o.server, o.server_str,
	    sizeof(o.server_str));
	signal(SIGPIPE, SIG_IGN);

	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.c = &conn;
	r.s.want_echo_id = -1;
	r.no_keepalive = o.expect.kind == X_CLOSE &&
	    o.expect.code == RRP_CLOSE_IDLE;
	if (rrp_secret_load(o.secret_path, geteuid(), &r.secret, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		printf(PROG ": FAILED setup: %s\n", err);
		return 2;
	}
	if (o.call_id >= 0) {
		r.s.our_cid = (uint16_t)o.call_id;
	} else {
		uint8_t b[2];

		if (rrp_random(b, sizeof(b)) < 0) {
			printf(PROG ": FAILED setup: RAND_bytes failed\n");
			return 2;
		}
		r.s.our_cid = (uint16_t)(b[0] << 8 | b[1]);
	}
	rtt = calloc((size_t)o.echoes + 1, sizeof(*rtt));
	if (rtt == NULL) {
		printf(PROG ": FAILED setup: out of memory\n");
		return 2;
	}

	r.t0_us = rcl_now_us();
	r.deadline_us = r.t0_us + (uint64_t)(o.timeout_s + o.hold_s) * 1000000;
	r.phase = "connecting";
	rcl_diag("connecting to %s, mode %s", o.server_str, o.mode_str);
	fd = rcl_connect(&o.server, o.server_len, r.deadline_us, err,
	    sizeof(err));
	if (fd < 0) {
		rcl_fail(&r, "%s: %s", o.server_str, err);
	} else {
		rcl_conn_init(&conn, fd);
		r.t0_us = r.last_tx_us = rcl_now_us();
		rcl_run_mode(&r, rtt, &echoes_ok);
		close(fd);
	}
	ok = fd >= 0 && verdict(&r);
	if (echoes_ok > 0)
		qsort(rtt, (size_t)echoes_ok, sizeof(*rtt), cmp_u64);
	summary(&r, ok, rtt, echoes_ok);
	rrp_secret_clear(&r.secret);
	free(rtt);
	return ok ? 0 : 1;
}
