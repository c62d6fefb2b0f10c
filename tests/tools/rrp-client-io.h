/*
 * rrp-client-io.h - sockets, deadlines and frame I/O for the tunnel test
 * tools (rrp-client, rrp-fake-server).  Deliberately independent of lrp/:
 * rrp-client is the RRP's test oracle, so it shares only the codec in
 * common/ with the code under test, never the LRP's tunnel machinery.
 */
#ifndef RRP_CLIENT_IO_H
#define RRP_CLIENT_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "rrp_proto.h"

/* Room for several largest frames, so a burst is read in one recv(). */
#define RCL_RXBUF_LEN	(4 * (RRP_FRAME_HDR_LEN + RRP_FRAME_MAX))
#define RCL_ADDR_STRLEN	64	/* "[" INET6_ADDRSTRLEN "]:65535" */

struct rcl_conn {
	int		fd;
	uint8_t		rx[RCL_RXBUF_LEN];
	size_t		rx_off, rx_len;	/* unread bytes: rx[rx_off..rx_len) */
	size_t		consume;	/* size of the frame last returned */
	int		saved_errno;	/* of the failure RCL_IOERR reports */
	uint8_t		bad_hdr[RRP_FRAME_HDR_LEN]; /* header RCL_BADFRAME refused */
	unsigned long	frames_in;
};

/* What rcl_read_frame() found. */
enum rcl_read {
	RCL_FRAME = 1,		/* *f is a frame whose header passed the bounds */
	RCL_TIMEOUT = 0,	/* nothing complete before the deadline */
	RCL_EOF = -1,		/* the peer closed; rcl_partial() tells the rest */
	RCL_IOERR = -2,		/* recv/poll failed (saved_errno), e.g. a reset */
	RCL_BADFRAME = -3,	/* the header alone is bad: *code, bad_hdr */
};

uint64_t rcl_now_us(void);

void rcl_conn_init(struct rcl_conn *c, int fd);

/*
 * Next frame, waiting until deadline_us (CLOCK_MONOTONIC, rcl_now_us()).
 * The payload stays valid until the next call.  On RCL_BADFRAME *code is
 * the rrp_error the header earned (TYPE, FLAGS, LENGTH).
 */
int rcl_read_frame(struct rcl_conn *c, uint64_t deadline_us,
    struct rrp_frame *f, int *code);

/* Bytes of an incomplete frame left when the peer closed. */
size_t rcl_partial(const struct rcl_conn *c);

/* Send all len bytes by deadline_us: 0, -1 on error (saved_errno), -2 on
 * timeout.  Never raises SIGPIPE. */
int rcl_send(struct rcl_conn *c, const void *buf, size_t len,
    uint64_t deadline_us);

/* Header + payload as one frame (len up to RRP_FRAME_MAX). */
int rcl_send_frame(struct rcl_conn *c, uint8_t type, const void *payload,
    size_t len, uint64_t deadline_us);

/* We send nothing more (the peer reads EOF); reading goes on. */
void rcl_shutdown_write(struct rcl_conn *c);

/* "1.2.3.4:5000" or "[2001:db8::1]:5000" (numeric only, port 0..65535;
 * common/rrp_addr.c reads it): 0, or -1 if s is not that. */
int rcl_parse_hostport(const char *s, struct sockaddr_storage *ss,
    socklen_t *sslen);

/* The same syntax into the AUTH client address.  Port 0 and unspecified
 * addresses are accepted on purpose: a test may want ERROR ADDRESS. */
int rcl_parse_client(const char *s, struct rrp_client_addr *a);

/* "1.2.3.4:5000" / "[::1]:5000" (common/rrp_addr.c's rrp_addr_str()) */
const char *rcl_sockaddr_str(const struct sockaddr *sa, char *buf,
    size_t cap);

/* Nonblocking TCP connect with TCP_NODELAY: the fd, or -1 with a message
 * in err. */
int rcl_connect(const struct sockaddr_storage *ss, socklen_t sslen,
    uint64_t deadline_us, char *err, size_t errlen);

/* Make fd nonblocking and set TCP_NODELAY (an accepted connection). */
int rcl_setup_fd(int fd);

#endif
