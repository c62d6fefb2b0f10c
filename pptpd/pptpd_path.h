/*
 * pptpd_path.h - helper paths, overridable from the environment.
 */
#ifndef PPTPD_PATH_H
#define PPTPD_PATH_H

/* The value of environment variable env_name if set and not empty,
 * otherwise compiled_in. */
char *pptpd_path(const char *env_name, const char *compiled_in);

#endif
