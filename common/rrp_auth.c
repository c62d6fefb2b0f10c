/*
 * rrp_auth.c - the shared secret and the HMAC-SHA256 challenge-response of
 * the tunnel handshake (doc/tunnel-protocol.md, "Authentication").
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "rrp_auth.h"
#include "rrp_describe.h"

#define AUTH_LABEL	"pptpd-rrp v1 auth"
#define WELCOME_LABEL	"pptpd-rrp v1 welcome"

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
rrp_secret_load(const char *path, uid_t owner, struct rrp_secret *out,
    char *err, size_t errlen)
{
	/* Two bytes of room for the CR LF we strip, one more to tell a
	 * secret that is too long without reading all of a huge file. */
	uint8_t buf[RRP_SECRET_MAX + 3];
	char who[64], whom[64];
	struct stat st;
	size_t n = 0;
	ssize_t r;
	unsigned mode;
	int fd = -1, rc = -1;

	memset(out, 0, sizeof(*out));
	/* O_NONBLOCK: a FIFO planted at the path must be refused below, not
	 * hang the daemon at start. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		set_err(err, errlen, "%s: cannot open: %s", path,
		    strerror(errno));
		goto fail;
	}
	/* fstat, not stat: judge the file we will read, not whatever the
	 * path names a moment later. */
	if (fstat(fd, &st) < 0) {
		set_err(err, errlen, "%s: fstat: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(err, errlen, "%s: not a regular file (%s)", path,
		    rrp_describe_file_kind(st.st_mode));
		goto fail;
	}
	mode = (unsigned)(st.st_mode & 07777);
	/* Whoever owns the file can chmod it and write a secret of their
	 * choosing: only root and the daemon's own user may. */
	if (st.st_uid != 0 && st.st_uid != owner) {
		rrp_describe_user(owner, whom, sizeof(whom));
		set_err(err, errlen, "%s: owned by %s (mode %04o), who could "
		    "change the secret: it must be owned by root%s%s; "
		    "chown %s it", path, rrp_describe_user(st.st_uid, who, sizeof(who)),
		    mode, owner != 0 ? " or " : "", owner != 0 ? whom : "",
		    owner != 0 ? whom : "root");
		goto fail;
	}
	rrp_describe_user(st.st_uid, who, sizeof(who));
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		set_err(err, errlen, "%s: %s by group or others (owner %s, "
		    "mode %04o); chmod 600 it", path,
		    (st.st_mode & (S_IRGRP | S_IROTH)) ? "readable" :
		    (st.st_mode & (S_IWGRP | S_IWOTH)) ? "writable" :
		    "accessible", who, mode);
		goto fail;
	}
	if (mode != 0600 && mode != 0400) {
		set_err(err, errlen, "%s: mode %04o (owner %s): a secret file "
		    "must be mode 0600 or 0400; chmod 600 it", path, mode, who);
		goto fail;
	}
	while (n < sizeof(buf)) {
		r = read(fd, buf + n, sizeof(buf) - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			set_err(err, errlen, "%s: read: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	/* Editors and `echo` add a newline the operator did not mean as part
	 * of the secret; strip exactly one, so a secret may still end in
	 * whitespace on purpose. */
	if (n > 0 && buf[n - 1] == '\n') {
		n--;
		if (n > 0 && buf[n - 1] == '\r')
			n--;
	}
	if (n == 0) {
		set_err(err, errlen, "%s: secret is empty", path);
		goto fail;
	}
	if (n < RRP_SECRET_MIN) {
		set_err(err, errlen, "%s: secret too short (%zu bytes; at least "
		    "%d)", path, n, RRP_SECRET_MIN);
		goto fail;
	}
	if (n > RRP_SECRET_MAX) {
		set_err(err, errlen, "%s: secret too long (more than %d bytes)",
		    path, RRP_SECRET_MAX);
		goto fail;
	}
	memcpy(out->bytes, buf, n);
	out->len = n;
	rc = 0;
fail:
	OPENSSL_cleanse(buf, sizeof(buf));
	if (fd >= 0)
		close(fd);
	return rc;
}

void
rrp_secret_clear(struct rrp_secret *s)
{
	OPENSSL_cleanse(s, sizeof(*s));
}

int
rrp_random(uint8_t *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (n > INT_MAX)
		return -1;
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

/* Random, so that comparing against it fails even for a caller who
 * ignored our -1; zeros would be a MAC an attacker can send. */
static int
mac_failed(uint8_t out[RRP_MAC_LEN])
{
	if (RAND_bytes(out, RRP_MAC_LEN) != 1)
		memset(out, 0xa5, RRP_MAC_LEN);
	return -1;
}

/* HMAC-SHA256 of msg under the secret.  A secret that was never loaded
 * (len 0) would give a MAC anyone can compute: refuse it. */
static int
mac(const struct rrp_secret *s, const uint8_t *msg, size_t len,
    uint8_t out[RRP_MAC_LEN])
{
	unsigned int outlen = 0;

	if (s->len < RRP_SECRET_MIN || s->len > RRP_SECRET_MAX)
		return mac_failed(out);
	if (HMAC(EVP_sha256(), s->bytes, (int)s->len, msg, len, out,
	    &outlen) == NULL || outlen != RRP_MAC_LEN)
		return mac_failed(out);
	return 0;
}

int
rrp_auth_mac(const struct rrp_secret *s, uint8_t version,
    const uint8_t client_nonce[RRP_NONCE_LEN],
    const uint8_t server_nonce[RRP_NONCE_LEN],
    const struct rrp_client_addr *client, uint8_t out[RRP_MAC_LEN])
{
	uint8_t msg[sizeof(AUTH_LABEL) - 1 + 1 + 2 * RRP_NONCE_LEN + 1 + 2 + 16];
	size_t n = 0, alen;

	alen = client->family == 4 ? 4 : client->family == 6 ? 16 : 0;
	if (alen == 0)
		return mac_failed(out);
	memcpy(msg + n, AUTH_LABEL, sizeof(AUTH_LABEL) - 1);
	n += sizeof(AUTH_LABEL) - 1;
	msg[n++] = version;
	memcpy(msg + n, client_nonce, RRP_NONCE_LEN);
	n += RRP_NONCE_LEN;
	memcpy(msg + n, server_nonce, RRP_NONCE_LEN);
	n += RRP_NONCE_LEN;
	msg[n++] = client->family;
	msg[n++] = (uint8_t)(client->port >> 8);
	msg[n++] = (uint8_t)client->port;
	memcpy(msg + n, client->addr, alen);
	n += alen;
	return mac(s, msg, n, out);
}

int
rrp_welcome_mac(const struct rrp_secret *s, uint8_t version,
    const uint8_t client_nonce[RRP_NONCE_LEN],
    const uint8_t server_nonce[RRP_NONCE_LEN], uint8_t out[RRP_MAC_LEN])
{
	uint8_t msg[sizeof(WELCOME_LABEL) - 1 + 1 + 2 * RRP_NONCE_LEN];
	size_t n = 0;

	/* Server nonce first: the two MACs differ in label and order, so
	 * neither can be replayed as the other. */
	memcpy(msg + n, WELCOME_LABEL, sizeof(WELCOME_LABEL) - 1);
	n += sizeof(WELCOME_LABEL) - 1;
	msg[n++] = version;
	memcpy(msg + n, server_nonce, RRP_NONCE_LEN);
	n += RRP_NONCE_LEN;
	memcpy(msg + n, client_nonce, RRP_NONCE_LEN);
	n += RRP_NONCE_LEN;
	return mac(s, msg, n, out);
}

int
rrp_mac_equal(const uint8_t a[RRP_MAC_LEN], const uint8_t b[RRP_MAC_LEN])
{
	return CRYPTO_memcmp(a, b, RRP_MAC_LEN) == 0;
}
