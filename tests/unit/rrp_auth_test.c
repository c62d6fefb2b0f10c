/*
 * rrp_auth_test - the shared secret and the handshake MACs
 * (common/rrp_auth.c): the MACs match values computed independently with
 * the openssl command line, change when any input byte changes, are
 * compared in constant time, and the secret file is refused with a message
 * naming the file and the problem whenever it is missing, not a regular
 * file, open to group or others, empty, too short or too long.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rrp_auth.h"

/*
 * Known answers, produced at authoring time with OpenSSL 3.0 (not with
 * this code):
 *
 *   key=$(printf 'pptpd-rrp test secret 0123' | od -An -tx1 | tr -d ' \n')
 *   cn=000102...1f  sn=202122...3f  (32 bytes each)
 *   lab=$(printf 'pptpd-rrp v1 auth' | od -An -tx1 | tr -d ' \n')
 *   echo "${lab}01${cn}${sn}04c3cbc0000207" | xxd -r -p |
 *       openssl dgst -sha256 -mac HMAC -macopt hexkey:$key
 *
 * AUTH_V4: version 1, client 192.0.2.7 port 50123 (family 04, c3cb, c0000207)
 * AUTH_V6: version 1, client [2001:db8::7] port 1723
 *          (family 06, 06bb, 20010db8000000000000000000000007)
 * WELCOME: label 'pptpd-rrp v1 welcome', version 01, ${sn}${cn}
 */
static const char SECRET[] = "pptpd-rrp test secret 0123";
static const char KAT_AUTH_V4[] =
    "2693de09633291981d98283348ba09465f1d4a6a601cb6c0b1b67863e68b8c4e";
static const char KAT_AUTH_V6[] =
    "152b5206cccb92814791cf300a9efe952f3fe32bde1ed913dc51b2685720bc5b";
static const char KAT_WELCOME[] =
    "52512c43bafed7351a34424629b23a6e6eb8b8a211401526c8f4f7ce2a676f7f";

static struct rrp_secret secret;
static uint8_t cnonce[RRP_NONCE_LEN], snonce[RRP_NONCE_LEN];
static struct rrp_client_addr v4, v6;
static char tmpdir[] = "/tmp/rrp_auth_test.XXXXXX";

static void
hex(const uint8_t *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static int
setup(void **state)
{
	static const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 7 };
	int i;

	memset(&secret, 0, sizeof(secret));
	memcpy(secret.bytes, SECRET, strlen(SECRET));
	secret.len = strlen(SECRET);
	for (i = 0; i < RRP_NONCE_LEN; i++) {
		cnonce[i] = (uint8_t)i;
		snonce[i] = (uint8_t)(0x20 + i);
	}
	memset(&v4, 0, sizeof(v4));
	v4.family = 4;
	v4.port = 50123;
	v4.addr[0] = 192; v4.addr[2] = 2; v4.addr[3] = 7;
	memset(&v6, 0, sizeof(v6));
	v6.family = 6;
	v6.port = 1723;
	memcpy(v6.addr, a6, 16);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[64 + sizeof(tmpdir)];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_auth_mac_known_answer(void **state)
{
	uint8_t mac[RRP_MAC_LEN];
	char h[2 * RRP_MAC_LEN + 1];

	assert_int_equal(rrp_auth_mac(&secret, 1, cnonce, snonce, &v4, mac), 0);
	hex(mac, RRP_MAC_LEN, h);
	assert_string_equal(h, KAT_AUTH_V4);
	assert_int_equal(rrp_auth_mac(&secret, 1, cnonce, snonce, &v6, mac), 0);
	hex(mac, RRP_MAC_LEN, h);
	assert_string_equal(h, KAT_AUTH_V6);
}

static void
test_welcome_mac_known_answer(void **state)
{
	uint8_t mac[RRP_MAC_LEN];
	char h[2 * RRP_MAC_LEN + 1];

	assert_int_equal(rrp_welcome_mac(&secret, 1, cnonce, snonce, mac), 0);
	hex(mac, RRP_MAC_LEN, h);
	assert_string_equal(h, KAT_WELCOME);
}

/* The AUTH MAC must differ as soon as one byte of what it covers does. */
static void
test_auth_mac_changes_with_every_input_byte(void **state)
{
	uint8_t ref[RRP_MAC_LEN], mac[RRP_MAC_LEN];
	uint8_t cn[RRP_NONCE_LEN], sn[RRP_NONCE_LEN];
	struct rrp_client_addr a;
	struct rrp_secret s;
	size_t i;
	int bit;

	rrp_auth_mac(&secret, 1, cnonce, snonce, &v6, ref);
	for (i = 0; i < RRP_NONCE_LEN; i++) {
		memcpy(cn, cnonce, sizeof(cn));
		cn[i] ^= 1;
		rrp_auth_mac(&secret, 1, cn, snonce, &v6, mac);
		assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
		memcpy(sn, snonce, sizeof(sn));
		sn[i] ^= 0x80;
		rrp_auth_mac(&secret, 1, cnonce, sn, &v6, mac);
		assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	}
	for (i = 0; i < 16; i++) {
		a = v6;
		a.addr[i] ^= 1;
		rrp_auth_mac(&secret, 1, cnonce, snonce, &a, mac);
		assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	}
	for (bit = 0; bit < 16; bit++) {
		a = v6;
		a.port ^= (uint16_t)(1u << bit);
		rrp_auth_mac(&secret, 1, cnonce, snonce, &a, mac);
		assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	}
	rrp_auth_mac(&secret, 2, cnonce, snonce, &v6, mac);
	assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	/* nonces swapped */
	rrp_auth_mac(&secret, 1, snonce, cnonce, &v6, mac);
	assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	/* the family is covered: v4 bytes of a v6 address differ */
	a = v6;
	a.family = 4;
	rrp_auth_mac(&secret, 1, cnonce, snonce, &a, mac);
	assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	for (i = 0; i < secret.len; i++) {
		s = secret;
		s.bytes[i] ^= 1;
		rrp_auth_mac(&s, 1, cnonce, snonce, &v6, mac);
		assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	}
	/* bytes of addr past the family's length are not covered */
	a = v4;
	a.addr[4] = 0xff;
	rrp_auth_mac(&secret, 1, cnonce, snonce, &v4, ref);
	rrp_auth_mac(&secret, 1, cnonce, snonce, &a, mac);
	assert_memory_equal(mac, ref, RRP_MAC_LEN);
}

static void
test_welcome_mac_changes_with_every_input_byte(void **state)
{
	uint8_t ref[RRP_MAC_LEN], mac[RRP_MAC_LEN], auth[RRP_MAC_LEN];
	uint8_t cn[RRP_NONCE_LEN], sn[RRP_NONCE_LEN];
	size_t i;

	rrp_welcome_mac(&secret, 1, cnonce, snonce, ref);
	for (i = 0; i < RRP_NONCE_LEN; i++) {
		memcpy(cn, cnonce, sizeof(cn));
		cn[i] ^= 4;
		rrp_welcome_mac(&secret, 1, cn, snonce, mac);
		assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
		memcpy(sn, snonce, sizeof(sn));
		sn[i] ^= 4;
		rrp_welcome_mac(&secret, 1, cnonce, sn, mac);
		assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	}
	rrp_welcome_mac(&secret, 0, cnonce, snonce, mac);
	assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	rrp_welcome_mac(&secret, 1, snonce, cnonce, mac);
	assert_memory_not_equal(mac, ref, RRP_MAC_LEN);
	/* and it is never the AUTH MAC of the same exchange */
	rrp_auth_mac(&secret, 1, cnonce, snonce, &v4, auth);
	assert_memory_not_equal(auth, ref, RRP_MAC_LEN);
}

static void
test_mac_refuses_unloaded_secret_and_bad_family(void **state)
{
	static const uint8_t zero[RRP_MAC_LEN];
	struct rrp_secret empty;
	struct rrp_client_addr a = v4;
	uint8_t mac[RRP_MAC_LEN];

	memset(&empty, 0, sizeof(empty));
	assert_int_equal(rrp_auth_mac(&empty, 1, cnonce, snonce, &v4, mac), -1);
	assert_memory_not_equal(mac, zero, RRP_MAC_LEN);
	assert_int_equal(rrp_welcome_mac(&empty, 1, cnonce, snonce, mac), -1);
	assert_memory_not_equal(mac, zero, RRP_MAC_LEN);
	empty.len = RRP_SECRET_MIN - 1;
	assert_int_equal(rrp_welcome_mac(&empty, 1, cnonce, snonce, mac), -1);
	a.family = 5;
	assert_int_equal(rrp_auth_mac(&secret, 1, cnonce, snonce, &a, mac), -1);
	assert_memory_not_equal(mac, zero, RRP_MAC_LEN);
}

static void
test_mac_equal(void **state)
{
	uint8_t a[RRP_MAC_LEN], b[RRP_MAC_LEN];
	size_t i;

	rrp_welcome_mac(&secret, 1, cnonce, snonce, a);
	memcpy(b, a, sizeof(b));
	assert_int_equal(rrp_mac_equal(a, b), 1);
	for (i = 0; i < RRP_MAC_LEN; i++) {
		memcpy(b, a, sizeof(b));
		b[i] ^= 0x01;
		assert_int_equal(rrp_mac_equal(a, b), 0);
		b[i] ^= 0x81;
		assert_int_equal(rrp_mac_equal(a, b), 0);
	}
}

static void
test_random_fills_fresh_bytes(void **state)
{
	uint8_t a[RRP_NONCE_LEN], b[RRP_NONCE_LEN];

	assert_int_equal(rrp_random(a, sizeof(a)), 0);
	assert_int_equal(rrp_random(b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(rrp_random(a, 0), 0);
}

/* Write a file under tmpdir; returns its path (static buffer). */
static const char *
make_file(const char *name, const void *data, size_t n, mode_t mode)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	if (n > 0)
		assert_int_equal(fwrite(data, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* Load path expecting failure; the message must name the file and hold
 * every given fragment. */
static void
expect_refused(const char *path, const char *frag1, const char *frag2)
{
	struct rrp_secret s;
	char err[512];

	memset(err, 0, sizeof(err));
	assert_int_equal(rrp_secret_load(path, geteuid(), &s, err, sizeof(err)), -1);
	assert_int_equal(s.len, 0);
	if (strstr(err, path) == NULL || strstr(err, frag1) == NULL ||
	    (frag2 != NULL && strstr(err, frag2) == NULL))
		fail_msg("unexpected message: \"%s\"", err);
}

static size_t
load_ok(const char *path, struct rrp_secret *s)
{
	char err[512] = "";

	if (rrp_secret_load(path, geteuid(), s, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	return s->len;
}

static void
test_secret_missing_file_refused(void **state)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/no-such-secret", tmpdir);
	expect_refused(path, "No such file", NULL);
}

/* Who owns the files this test makes, as the messages name them. */
static const char *
me(void)
{
	static char name[64];
	struct passwd *pw = getpwuid(geteuid());

	if (pw != NULL)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "uid %lu", (unsigned long)geteuid());
	return name;
}

static void
test_secret_open_to_group_or_others_refused(void **state)
{
	const char *p;
	char want[400];

	p = make_file("s0644", SECRET, strlen(SECRET), 0644);
	snprintf(want, sizeof(want), "%s: readable by group or others "
	    "(owner %s, mode 0644); chmod 600 it", p, me());
	expect_refused(p, want, NULL);
	p = make_file("s0640", SECRET, strlen(SECRET), 0640);
	expect_refused(p, "readable by group or others (owner", "mode 0640)");
	p = make_file("s0604", SECRET, strlen(SECRET), 0604);
	expect_refused(p, "readable by group or others (owner", "mode 0604)");
	p = make_file("s0620", SECRET, strlen(SECRET), 0620);
	expect_refused(p, "writable by group or others (owner", "mode 0620)");
	p = make_file("s0602", SECRET, strlen(SECRET), 0602);
	expect_refused(p, "writable by group or others", NULL);
	p = make_file("s0610", SECRET, strlen(SECRET), 0610);
	expect_refused(p, "accessible by group or others (owner",
	    "mode 0610); chmod 600");
}

/* The documented modes are 0600 and 0400: nothing else, not even modes
 * that keep group and others out (root reads a 0200 file all the same). */
static void
test_secret_modes_other_than_0600_and_0400_refused(void **state)
{
	static const mode_t bad[] = { 0700, 0500, 0300, 0200, 0100, 0000,
	    04600, 02600, 01600, 04400 };
	struct rrp_secret s;
	char name[32], want[400];
	const char *p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "m%04o", (unsigned)bad[i]);
		p = make_file(name, SECRET, strlen(SECRET), bad[i]);
		snprintf(want, sizeof(want), "%s: mode %04o (owner %s): a secret "
		    "file must be mode 0600 or 0400; chmod 600 it", p,
		    (unsigned)bad[i], me());
		/* only root opens a file its owner may not read */
		if (geteuid() != 0 && (bad[i] & S_IRUSR) == 0)
			snprintf(want, sizeof(want), "%s: cannot open: %s", p,
			    strerror(EACCES));
		expect_refused(p, want, NULL);
	}
	assert_int_equal(load_ok(make_file("m0600", SECRET, strlen(SECRET),
	    0600), &s), strlen(SECRET));
	assert_int_equal(load_ok(make_file("m0400", SECRET, strlen(SECRET),
	    0400), &s), strlen(SECRET));
}

/* Whoever owns the file can change the secret: only root and the
 * daemon's own user (the owner argument) may. */
static void
test_secret_owned_by_another_user_refused(void **state)
{
	struct rrp_secret s;
	char err[512], want[400], other[64];
	struct passwd *pw;
	const char *p;
	uid_t uid;

	p = make_file("owned", SECRET, strlen(SECRET), 0600);
	if (geteuid() == 0) {
		/* root: give the file to someone else; root's own files
		 * are accepted whatever the owner argument */
		uid = 54321;
		assert_int_equal(chown(p, uid, (gid_t)-1), 0);
		assert_int_equal(rrp_secret_load(p, uid, &s, err, sizeof(err)), 0);
		assert_int_equal(chown(p, 0, (gid_t)-1), 0);
		assert_int_equal(rrp_secret_load(p, uid, &s, err, sizeof(err)), 0);
		assert_int_equal(chown(p, uid, (gid_t)-1), 0);
		pw = getpwuid(uid);
		if (pw != NULL)
			snprintf(other, sizeof(other), "%s", pw->pw_name);
		else
			snprintf(other, sizeof(other), "uid %lu", (unsigned long)uid);
		/* pptpd: root only */
		snprintf(want, sizeof(want), "%s: owned by %s (mode 0600), who could "
		    "change the secret: it must be owned by root; chown root it",
		    p, other);
		memset(err, 0, sizeof(err));
		assert_int_equal(rrp_secret_load(p, 0, &s, err, sizeof(err)), -1);
		if (strstr(err, want) == NULL)
			fail_msg("unexpected message: \"%s\"", err);
		assert_int_equal(s.len, 0);
		/* lrp running as another user */
		memset(err, 0, sizeof(err));
		assert_int_equal(rrp_secret_load(p, 65534, &s, err, sizeof(err)), -1);
		if (strstr(err, "it must be owned by root or ") == NULL)
			fail_msg("unexpected message: \"%s\"", err);
		return;
	}
	/* not root: the file is ours, and another user's daemon refuses it */
	assert_int_equal(rrp_secret_load(p, geteuid(), &s, err, sizeof(err)), 0);
	memset(err, 0, sizeof(err));
	assert_int_equal(rrp_secret_load(p, geteuid() + 1, &s, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: owned by %s (mode 0600), who could "
	    "change the secret: it must be owned by root or ", p, me());
	if (strstr(err, want) == NULL)
		fail_msg("unexpected message: \"%s\"", err);
}

static void
test_secret_not_a_regular_file_refused(void **state)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/dir", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	expect_refused(path, "not a regular file (a directory)", NULL);
	/* a FIFO is refused at once, not waited on */
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	expect_refused(path, "not a regular file (a FIFO)", NULL);
	expect_refused("/dev/null", "not a regular file (a character device)",
	    NULL);
}

static void
test_secret_empty_refused(void **state)
{
	expect_refused(make_file("empty", "", 0, 0600), "empty", NULL);
	expect_refused(make_file("nl", "\n", 1, 0600), "empty", NULL);
	expect_refused(make_file("crlf", "\r\n", 2, 0600), "empty", NULL);
}

static void
test_secret_length_limits(void **state)
{
	static char big[RRP_SECRET_MAX + 10];
	struct rrp_secret s;
	size_t n;

	memset(big, 'k', sizeof(big));
	expect_refused(make_file("short", big, RRP_SECRET_MIN - 1, 0600),
	    "too short (15 bytes; at least 16)", NULL);
	/* the stripped newline does not count towards the minimum */
	memcpy(big + RRP_SECRET_MIN - 1, "\n", 1);
	expect_refused(make_file("short-nl", big, RRP_SECRET_MIN, 0600),
	    "too short", NULL);
	memset(big, 'k', sizeof(big));
	n = load_ok(make_file("min", big, RRP_SECRET_MIN, 0600), &s);
	assert_int_equal(n, RRP_SECRET_MIN);
	n = load_ok(make_file("max", big, RRP_SECRET_MAX, 0600), &s);
	assert_int_equal(n, RRP_SECRET_MAX);
	expect_refused(make_file("max+1", big, RRP_SECRET_MAX + 1, 0600),
	    "too long", NULL);
	expect_refused(make_file("huge", big, sizeof(big), 0600),
	    "too long (more than 1024 bytes)", NULL);
	/* exactly the maximum followed by CR LF is fine */
	memcpy(big + RRP_SECRET_MAX, "\r\n", 2);
	n = load_ok(make_file("max-crlf", big, RRP_SECRET_MAX + 2, 0600), &s);
	assert_int_equal(n, RRP_SECRET_MAX);
	rrp_secret_clear(&s);
}

static void
test_secret_one_trailing_newline_stripped(void **state)
{
	struct rrp_secret s;

	assert_int_equal(load_ok(make_file("nl1", "0123456789abcdef\n", 17,
	    0600), &s), 16);
	assert_memory_equal(s.bytes, "0123456789abcdef", 16);
	assert_int_equal(load_ok(make_file("crlf1", "0123456789abcdef\r\n", 18,
	    0600), &s), 16);
	assert_memory_equal(s.bytes, "0123456789abcdef", 16);
	/* only one: a second newline is part of the secret */
	assert_int_equal(load_ok(make_file("nl2", "0123456789abcdef\n\n", 18,
	    0600), &s), 17);
	assert_int_equal(s.bytes[16], '\n');
	/* a lone CR is not a line end */
	assert_int_equal(load_ok(make_file("cr", "0123456789abcdef\r", 17,
	    0600), &s), 17);
	/* binary bytes, NUL included, are kept as they are */
	assert_int_equal(load_ok(make_file("bin", "\0\1\2\3\4\5\6\7\10\11\12"
	    "\13\14\15\16\17\377", 17, 0400), &s), 17);
	assert_int_equal(s.bytes[16], 0xff);
}

static void
test_secret_through_symlink_and_small_error_buffer(void **state)
{
	struct rrp_secret s;
	char link[256], err[8];
	const char *p;

	p = make_file("target", SECRET, strlen(SECRET), 0600);
	snprintf(link, sizeof(link), "%s/link", tmpdir);
	assert_int_equal(symlink(p, link), 0);
	assert_int_equal(load_ok(link, &s), strlen(SECRET));
	/* a short error buffer is cut, never overrun; NULL is allowed */
	memset(err, 'x', sizeof(err));
	assert_int_equal(rrp_secret_load("/nonexistent/x", 0, &s, err,
	    sizeof(err)), -1);
	assert_int_equal(err[sizeof(err) - 1], '\0');
	assert_int_equal(rrp_secret_load("/nonexistent/x", 0, &s, NULL, 0), -1);
}

static void
test_secret_clear_wipes(void **state)
{
	static const struct rrp_secret zero;
	struct rrp_secret s = secret;

	rrp_secret_clear(&s);
	assert_memory_equal(&s, &zero, sizeof(s));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth_mac_known_answer),
		cmocka_unit_test(test_welcome_mac_known_answer),
		cmocka_unit_test(test_auth_mac_changes_with_every_input_byte),
		cmocka_unit_test(test_welcome_mac_changes_with_every_input_byte),
		cmocka_unit_test(test_mac_refuses_unloaded_secret_and_bad_family),
		cmocka_unit_test(test_mac_equal),
		cmocka_unit_test(test_random_fills_fresh_bytes),
		cmocka_unit_test(test_secret_missing_file_refused),
		cmocka_unit_test(test_secret_open_to_group_or_others_refused),
		cmocka_unit_test(test_secret_modes_other_than_0600_and_0400_refused),
		cmocka_unit_test(test_secret_owned_by_another_user_refused),
		cmocka_unit_test(test_secret_not_a_regular_file_refused),
		cmocka_unit_test(test_secret_empty_refused),
		cmocka_unit_test(test_secret_length_limits),
		cmocka_unit_test(test_secret_one_trailing_newline_stripped),
		cmocka_unit_test(test_secret_through_symlink_and_small_error_buffer),
		cmocka_unit_test(test_secret_clear_wipes),
	};

	return cmocka_run_group_tests_name("rrp_auth", tests, setup, teardown);
}
