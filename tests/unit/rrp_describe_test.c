/*
 * rrp_describe_test - a file's kind and owner in words
 * (common/rrp_describe.c), on real files of each kind in a scratch
 * directory, /dev/null, and uids with and without a name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "rrp_describe.h"

static const char *
kind_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return rrp_describe_file_kind(st.st_mode);
}

static void
each_kind_of_file(void **state)
{
	char dir[] = "/tmp/rrp_describe_test.XXXXXX", path[256];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, s;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_string_equal(kind_of(dir), "a directory");
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_string_equal(kind_of(path), "a regular file");
	snprintf(path, sizeof(path), "%s/link", dir);
	assert_int_equal(symlink("file", path), 0);
	assert_string_equal(kind_of(path), "a symbolic link");
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_string_equal(kind_of(path), "a FIFO");
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/sock", dir);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_string_equal(kind_of(sun.sun_path), "a socket");
	close(s);
	assert_string_equal(kind_of("/dev/null"), "a character device");
	assert_string_equal(rrp_describe_file_kind(S_IFBLK | 0600), "a block device");
	assert_string_equal(rrp_describe_file_kind(0), "not a plain file");

	unlink(sun.sun_path);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/link", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/file", dir);
	unlink(path);
	rmdir(dir);
}

static void
users_by_name_or_number(void **state)
{
	char buf[64], small[6];

	(void)state;
	assert_string_equal(rrp_describe_user(0, buf, sizeof(buf)), "root");
	/* no passwd entry has this uid */
	assert_string_equal(rrp_describe_user(4000000001u, buf, sizeof(buf)), "uid 4000000001");
	assert_string_equal(rrp_describe_user(4000000001u, small, sizeof(small)), "uid 4");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_kind_of_file),
		cmocka_unit_test(users_by_name_or_number),
	};

	return cmocka_run_group_tests_name("rrp_describe", tests, NULL, NULL);
}
