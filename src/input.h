/* input.h: the bytes of a dump: a plain or gzip file (told apart by the gzip
 * magic bytes, not the name), or standard input for "-". */
#ifndef HW_INPUT_H
#define HW_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct input;

/* Open a dump; NULL with err filled ("FILE: No such file or directory"). */
struct input *input_open(const char *path, struct hw_error *err);
/* Read up to n bytes of uncompressed data: the count, 0 at the end, -1 on a read
 * or decompression error (err filled, e.g. a truncated gzip). */
ssize_t input_read(struct input *in, char *buf, size_t n, struct hw_error *err);
/* The file's size on disk (0 when unknown, e.g. a pipe) and how much of it has been consumed. */
uint64_t input_total(const struct input *in);
uint64_t input_pos(const struct input *in);
int input_is_gzip(const struct input *in);
/* How many bytes of JSON a regular file holds, before reading it: its size,
 * or for gzip its trailer's ISIZE (the size mod 2^32) plus as many 4 GiB
 * turns as the inflate ratio of a sample of the file's start says (so a
 * gzip bomb reads as the tens of GB it is). 0 when unknown (a pipe). */
uint64_t input_expected_size(const struct input *in);
const char *input_name(const struct input *in);
void input_close(struct input *in);

#endif
