/*
 * rrp_auth.h - authentication of the LRP by the RRP (and of the RRP by the
 * LRP) with a shared secret: HMAC-SHA256 challenge-response over fresh
 * nonces from both sides, through OpenSSL's libcrypto, compared in
 * constant time.  See doc/tunnel-protocol.md, "Handshake".
 */
#ifndef RRP_AUTH_H
#define RRP_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rrp_proto.h"

#define RRP_SECRET_MAX	1024	/* bytes; longer secret files are refused */
#define RRP_SECRET_MIN	16	/* bytes; shorter secrets are refused */

/* What both sides use as the secret when the operator explicitly runs
 * without one (pptpd's rrp-insecure-no-secret, lrp's insecure-no-secret):
 * the protocol stays the same and its MACs prove nothing. */
#define RRP_INSECURE_SECRET	"pptpd-rrp insecure: no secret configured"

struct rrp_secret {
	uint8_t	bytes[RRP_SECRET_MAX];
	size_t	len;
};

/*
 * Load the shared secret from path.  The file must exist, be a regular
 * file owned by root or by owner (the user the daemon runs as: whoever
 * owns the file can change the secret), have mode 0600 or 0400 exactly,
 * and hold RRP_SECRET_MIN..RRP_SECRET_MAX bytes once one trailing newline
 * (and CR) is removed.  Returns 0, or -1 with a message naming the file
 * and the problem (with the file's owner and mode where they are the
 * problem) in err (errlen bytes).
 */
int rrp_secret_load(const char *path, uid_t owner, struct rrp_secret *out,
    char *err, size_t errlen);

/* Wipe a secret from memory. */
void rrp_secret_clear(struct rrp_secret *s);

/* Fill buf with n cryptographically random bytes; 0 or -1. */
int rrp_random(uint8_t *buf, size_t n);

/* MAC the LRP proves itself with (sent in AUTH):
 *   HMAC-SHA256(secret, "pptpd-rrp v1 auth" || version || client_nonce ||
 *               server_nonce || family || port || address)
 * (labels without their NUL, port big-endian, address 4 or 16 bytes as
 * the family says).  Both MAC functions return 0, or -1 when the secret
 * is not loaded (len outside RRP_SECRET_MIN..MAX), the family is not 4 or
 * 6, or libcrypto fails; on -1, out holds random bytes so that a caller
 * who forgets the check still fails closed.                               */
int rrp_auth_mac(const struct rrp_secret *s, uint8_t version,
    const uint8_t client_nonce[RRP_NONCE_LEN],
    const uint8_t server_nonce[RRP_NONCE_LEN],
    const struct rrp_client_addr *client, uint8_t out[RRP_MAC_LEN]);

/* MAC the RRP proves itself with (sent in WELCOME):
 *   HMAC-SHA256(secret, "pptpd-rrp v1 welcome" || version ||
 *               server_nonce || client_nonce)                             */
int rrp_welcome_mac(const struct rrp_secret *s, uint8_t version,
    const uint8_t client_nonce[RRP_NONCE_LEN],
    const uint8_t server_nonce[RRP_NONCE_LEN], uint8_t out[RRP_MAC_LEN]);

/* Constant-time comparison of two MACs: 1 if equal, 0 if not. */
int rrp_mac_equal(const uint8_t a[RRP_MAC_LEN], const uint8_t b[RRP_MAC_LEN]);

#endif
