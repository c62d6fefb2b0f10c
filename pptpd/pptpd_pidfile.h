#ifndef PPTPD_PIDFILE_H
#define PPTPD_PIDFILE_H

/* The manager has written its pid to PATH: remove the file when it exits
 * (return from main, exit(), SIGTERM, and SIGINT, which is made to end
 * pptpd as SIGTERM does), only in this process and only while the file
 * still holds its pid. */
void pptpd_pidfile_remove_at_exit(const char *path);

#endif
