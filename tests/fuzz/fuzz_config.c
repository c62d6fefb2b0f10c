/*
 * fuzz_config.c - see fuzz_config.h.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_config.h"
#include "fuzz_target.h"

int __real_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res);
int __wrap_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res);

int
__wrap_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	struct addrinfo h;

	memset(&h, 0, sizeof(h));
	if (hints != NULL)
		h = *hints;
	h.ai_flags |= AI_NUMERICHOST;
	return __real_getaddrinfo(node, service, &h, res);
}

static char path[4096];

static void
remove_file(void)
{
	if (path[0] != '\0')
		unlink(path);
}

const char *
fuzz_config_file(const uint8_t *data, size_t size)
{
	FILE *fp;

	if (path[0] == '\0') {
		const char *tmp = getenv("TMPDIR");
		int fd;

		snprintf(path, sizeof(path), "%s/fuzz-config.XXXXXX",
		    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
		if ((fd = mkstemp(path)) < 0) {
			perror(path);
			abort();
		}
		close(fd);
		atexit(remove_file);
	}
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(data, 1, size, fp) != size || fclose(fp) != 0) {
		perror(path);
		abort();
	}
	return path;
}

void
fuzz_config_log(int priority, const char *line)
{
	(void)priority;
	(void)line;
}
