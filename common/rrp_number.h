/*
 * rrp_number.h - a number as the operator writes it in lrp.conf,
 * pptpd.conf or on pptpd's command line.
 */
#ifndef RRP_NUMBER_H
#define RRP_NUMBER_H

/* A decimal integer in lo..hi, the whole of text: 0 and *out set, or -1
 * (empty, not a number, trailing characters, out of range). */
int rrp_number_parse(const char *text, long lo, long hi, long *out);

#endif
