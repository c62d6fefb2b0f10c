/*
 * replay_main.c - run a fuzz target over files without libFuzzer, so that
 * `make check` replays the seed corpus with whatever compiler builds the
 * tree (under the sanitizers).  Arguments are files or directories (their
 * regular files, not recursively).  Exits 0 when every input ran; a bug
 * the target finds aborts the process.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_target.h"

/* Exactly size bytes on the heap (one for an empty file, never NULL), so
 * AddressSanitizer sees a read past the end as the bug it is. */
static int
run_file(const char *path)
{
	struct stat st;
	uint8_t *data = NULL;
	size_t size;
	FILE *fp;
	int rc = -1;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: not a regular file\n", path);
		goto fail;
	}
	size = (size_t)st.st_size;
	if ((data = malloc(size > 0 ? size : 1)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", path);
		goto fail;
	}
	if (size > 0 && fread(data, 1, size, fp) != size) {
		fprintf(stderr, "%s: short read\n", path);
		goto fail;
	}
	LLVMFuzzerTestOneInput(data, size);
	rc = 0;
fail:
	free(data);
	fclose(fp);
	return rc;
}

static int
run_dir(const char *dir, unsigned *count)
{
	struct dirent *de;
	struct stat st;
	char path[4096];
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (run_file(path) < 0)
			rc = -1;
		(*count)++;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat st;
	unsigned count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count) < 0)
				rc = 1;
		} else {
			if (run_file(argv[i]) < 0)
				rc = 1;
			count++;
		}
	}
	fprintf(stderr, "%s: %u inputs replayed\n", argv[0], count);
	return rc;
}
