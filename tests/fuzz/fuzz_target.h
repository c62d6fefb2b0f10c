/*
 * fuzz_target.h - the libFuzzer entry point every target defines, declared
 * once so the targets build with -Wmissing-prototypes and replay_main.c
 * can call whichever target it is linked with.
 */
#ifndef FUZZ_TARGET_H
#define FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property the production code must keep was broken: crash loudly, so
 * libFuzzer saves the input and the replay test fails. */
#define FUZZ_ASSERT(cond) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property broken: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#endif
