#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RAW_SIZE (1u << 20)  /* compressed bytes read at a time */

/* The bytes of a dump. gzip is inflated here with zlib's stream API rather
 * than gzread, to know where each member ends: concatenated members are read
 * on, and anything else after the last one is an error (gzread drops it
 * silently, and with it the objects of a plain line appended to the file). */
struct input {
    const char *name;
    int fd;
    int gzip;
    int eof;                 /* the file is read to its end */
    int regular;             /* a regular file: its size at open must be what is read */
    uint64_t start;          /* its offset at open (stdin may be part-read) */
    int done;                /* no more data will come */
    int produced;            /* any data was returned */
    unsigned char *raw;      /* bytes read, not yet used */
    size_t raw_len, raw_pos;
    z_stream zs;
    int in_member;           /* inside a gzip member (not at its end) */
    uint64_t total, consumed;
};

/* One read() of at most cap bytes into dst: the count, 0 at the end (where a
 * regular file must have given the size it had when opened), -1 on error. */
static ssize_t read_some(struct input *in, void *dst, size_t cap, struct hw_error *err)
{
    for (;;) {
        ssize_t got = read(in->fd, dst, cap);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return hw_fail(err, "%s: %s", in->name, strerror(errno));
        if (got == 0) {
            in->eof = 1;
            if (in->regular && in->start + in->consumed != in->total)
                return hw_fail(err, "%s: the file changed size while it was read (%llu bytes when opened, %llu read)",
                               in->name, (unsigned long long)in->total, (unsigned long long)in->consumed);
        }
        in->consumed += (uint64_t)got;
        return got;
    }
}

/* Read more of the file into raw (what is left of it moves to the front). */
static int fill(struct input *in, struct hw_error *err)
{
    if (in->eof)
        return 0;
    if (in->raw_pos) {
        memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
        in->raw_len -= in->raw_pos;
        in->raw_pos = 0;
    }
    ssize_t got = read_some(in, in->raw + in->raw_len, RAW_SIZE - in->raw_len, err);
    if (got < 0)
        return -1;
    in->raw_len += (size_t)got;
    return 0;
}

struct input *input_open(const char *path, struct hw_error *err)
{
    int fd;
    const char *name = path;
    if (strcmp(path, "-") == 0) {
        fd = dup(STDIN_FILENO);
        name = "<stdin>";
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        hw_fail(err, "%s: %s", name, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        hw_fail(err, "%s: %s", name, strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        hw_fail(err, "%s: is a directory, not a dump", name);
        close(fd);
        return NULL;
    }
    struct input *in = xcalloc(1, sizeof *in, "the input reader");
    in->name = name;
    in->fd = fd;
    in->total = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    in->regular = S_ISREG(st.st_mode);
    off_t at = in->regular ? lseek(fd, 0, SEEK_CUR) : 0;
    in->start = at > 0 ? (uint64_t)at : 0;
    in->raw = xmalloc(RAW_SIZE, "the input buffer");
    /* The magic bytes decide, not the name: peek at them (a pipe cannot
     * seek, so they stay in raw and are read from there). */
    while (in->raw_len < 2 && !in->eof)
        if (fill(in, err) < 0) {
            input_close(in);
            return NULL;
        }
    if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
        in->gzip = 1;
        if (inflateInit2(&in->zs, 15 + 16) != Z_OK) {
            hw_fail(err, "%s: cannot start gzip decompression: out of memory", name);
            input_close(in);
            return NULL;
        }
        in->in_member = 1;
    }
    return in;
}

/* After a gzip member: another member, NUL padding, the end, or an error. */
static int after_member(struct input *in, struct hw_error *err)
{
    for (;;) {
        while (in->raw_pos < in->raw_len && in->raw[in->raw_pos] == 0)
            in->raw_pos++; /* padding, as gzip(1) allows */
        if (in->raw_len - in->raw_pos < 2 && !in->eof) {
            if (fill(in, err) < 0)
                return -1;
            continue;
        }
        size_t left = in->raw_len - in->raw_pos;
        if (left == 0) {
            in->done = 1;
            return 0;
        }
        if (left >= 2 && in->raw[in->raw_pos] == 0x1f && in->raw[in->raw_pos + 1] == 0x8b) {
            inflateReset(&in->zs);
            in->in_member = 1;
            return 0;
        }
        uint64_t at = in->consumed - left;
        return hw_fail(err, "%s: data after the end of the gzip stream at byte %llu is not gzip "
                            "(was something appended to the file?)",
                       in->name, (unsigned long long)at);
    }
}

static ssize_t read_gzip(struct input *in, char *buf, size_t n, struct hw_error *err)
{
    size_t out = 0;
    while (out < n && !in->done) {
        if (!in->in_member) {
            if (after_member(in, err) < 0)
                return -1;
            continue;
        }
        if (in->raw_pos == in->raw_len) {
            if (in->eof)
                return hw_fail(err, "%s: gzip data is truncated (the file ends inside the stream)", in->name);
            if (fill(in, err) < 0)
                return -1;
            continue;
        }
        in->zs.next_in = in->raw + in->raw_pos;
        in->zs.avail_in = (uInt)(in->raw_len - in->raw_pos);
        in->zs.next_out = (Bytef *)buf + out;
        size_t want = n - out;
        in->zs.avail_out = want > (1u << 30) ? (1u << 30) : (uInt)want;
        uInt before_out = in->zs.avail_out;
        int rc = inflate(&in->zs, Z_NO_FLUSH);
        in->raw_pos = in->raw_len - in->zs.avail_in;
        out += before_out - in->zs.avail_out;
        if (rc == Z_STREAM_END) {
            in->in_member = 0;
        } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
            return hw_fail(err, "%s: gzip data is corrupt: %s", in->name, in->zs.msg ? in->zs.msg : "bad data");
        } else if (rc == Z_MEM_ERROR) {
            return hw_fail(err, "%s: out of memory while decompressing", in->name);
        } else if (rc == Z_BUF_ERROR && in->zs.avail_out == 0) {
            break; /* buf is full */
        }
    }
    return (ssize_t)out;
}

ssize_t input_read(struct input *in, char *buf, size_t n, struct hw_error *err)
{
    ssize_t got;
    if (in->gzip) {
        got = read_gzip(in, buf, n, err);
    } else if (in->raw_pos == in->raw_len && !in->eof && n >= RAW_SIZE) {
        /* A plain file into a big buffer: straight there, not through raw
         * (one copy of every byte instead of two). */
        in->raw_pos = in->raw_len = 0;
        got = read_some(in, buf, n, err);
        if (got < 0)
            return -1;
    } else {
        while (in->raw_pos == in->raw_len && !in->eof) {
            in->raw_pos = in->raw_len = 0;
            if (fill(in, err) < 0)
                return -1;
        }
        size_t m = in->raw_len - in->raw_pos;
        if (m > n)
            m = n;
        memcpy(buf, in->raw + in->raw_pos, m);
        in->raw_pos += m;
        got = (ssize_t)m;
    }
    if (got == 0 && !in->produced)
        return hw_fail(err, "%s: empty file%s", in->name, in->gzip ? " (an empty gzip stream)" : "");
    if (got > 0)
        in->produced = 1;
    return got;
}

uint64_t input_total(const struct input *in) { return in->total; }

/* How many times larger the data is inflated, from the start of the file:
 * up to SAMPLE_IN compressed bytes or SAMPLE_OUT inflated ones (a few tens
 * of milliseconds). *whole is set when the sample is the whole file, a
 * single member: the ratio is then exact. 0 when nothing could be read. */
#define SAMPLE_IN (1u << 20)
#define SAMPLE_OUT (64u << 20)
static double inflate_ratio(const struct input *in, int *whole)
{
    *whole = 0;
    unsigned char *raw = xmalloc(SAMPLE_IN, "a gzip sample");
    unsigned char *out = xmalloc(1u << 16, "a gzip sample");
    ssize_t got = pread(in->fd, raw, SAMPLE_IN, 0);
    double ratio = 0;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (got > 0 && inflateInit2(&zs, 15 + 16) == Z_OK) {
        zs.next_in = raw;
        zs.avail_in = (uInt)got;
        int rc = Z_OK;
        while (rc == Z_OK && zs.total_out < SAMPLE_OUT) {
            zs.next_out = out;
            zs.avail_out = 1u << 16;
            rc = inflate(&zs, Z_NO_FLUSH);
        }
        if (zs.total_in)
            ratio = (double)zs.total_out / (double)zs.total_in;
        *whole = rc == Z_STREAM_END && (uint64_t)got == in->total;
        inflateEnd(&zs);
    }
    free(raw);
    free(out);
    return ratio;
}

uint64_t input_expected_size(const struct input *in)
{
    if (!in->total)
        return 0;
    if (!in->gzip)
        return in->total;
    unsigned char t[4];
    if (in->total < 18 || pread(in->fd, t, 4, (off_t)in->total - 4) != 4)
        return 0;
    /* The trailer's ISIZE is the size mod 2^32: a bomb of 10 GB of zeros
     * says 2 GB. The ratio of a sample of the start tells how many 4 GiB
     * turns to add: the candidate nearest to size x ratio. */
    uint64_t isize = (uint64_t)t[0] | (uint64_t)t[1] << 8 | (uint64_t)t[2] << 16 | (uint64_t)t[3] << 24;
    int whole;
    double ratio = inflate_ratio(in, &whole);
    if (whole)
        return isize;
    double guess = (double)in->total * (ratio > 1 ? ratio : 1);
    if (guess > 1e18)
        guess = 1e18;
    while ((double)isize + 2147483648.0 < guess)
        isize += 1ULL << 32;
    return isize;
}
uint64_t input_pos(const struct input *in) { return in->consumed; }
int input_is_gzip(const struct input *in) { return in->gzip; }
const char *input_name(const struct input *in) { return in->name; }

void input_close(struct input *in)
{
    if (!in)
        return;
    if (in->gzip)
        inflateEnd(&in->zs);
    close(in->fd);
    free(in->raw);
    free(in);
}
