#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct input {
    const char *name;
    int fd;
    int gzip;
    int first_read;    /* nothing read yet: used to call an empty file empty */
    gzFile gz;
    uint64_t total;
    uint64_t pos;      /* plain files: bytes read */
};

/* zlib names the stream "<fd:N>" in its messages: keep only the reason. */
static const char *zlib_reason(const char *msg)
{
    if (msg && msg[0] == '<') {
        const char *colon = strstr(msg, ">: ");
        if (colon)
            return colon + 3;
    }
    return msg ? msg : "unknown error";
}

struct input *input_open(const char *path, struct hw_error *err)
{
    int fd;
    const char *name = path;
    if (strcmp(path, "-") == 0) {
        fd = dup(STDIN_FILENO);
        name = "<stdin>";
        if (fd < 0) {
            hw_fail(err, "%s: %s", name, strerror(errno));
            return NULL;
        }
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            hw_fail(err, "%s: %s", path, strerror(errno));
            return NULL;
        }
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
    in->first_read = 1;
    in->total = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;

    /* Peek at the magic bytes. A pipe cannot seek, so zlib reads the peeked
     * bytes back from its own buffer: give the descriptor to gzdopen, which
     * does the detection itself ("transparent" mode for plain data), and only
     * record which it found. */
    in->gz = gzdopen(fd, "rb");
    if (!in->gz) {
        hw_fail(err, "%s: cannot start reading: %s", name, strerror(errno ? errno : ENOMEM));
        close(fd);
        free(in);
        return NULL;
    }
    gzbuffer(in->gz, 1 << 20);
    return in;
}

ssize_t input_read(struct input *in, char *buf, size_t n, struct hw_error *err)
{
    if (n > (1u << 30))
        n = 1u << 30;
    int got = gzread(in->gz, buf, (unsigned)n);
    if (in->first_read) {
        in->first_read = 0;
        in->gzip = !gzdirect(in->gz);
        if (got == 0) {
            int zerr;
            gzerror(in->gz, &zerr);
            if (zerr == Z_OK)
                return hw_fail(err, "%s: empty file%s", in->name, in->gzip ? " (an empty gzip stream)" : "");
        }
    }
    if (got < 0 || (got == 0 && !gzeof(in->gz))) {
        int zerr;
        const char *msg = gzerror(in->gz, &zerr);
        if (zerr == Z_ERRNO)
            return hw_fail(err, "%s: %s", in->name, strerror(errno));
        return hw_fail(err, "%s: %s data is corrupt: %s", in->name, in->gzip ? "gzip" : "input", zlib_reason(msg));
    }
    if (got == 0) {
        /* zlib reports a gzip stream cut short as a clean end with a pending error. */
        int zerr;
        const char *msg = gzerror(in->gz, &zerr);
        if (zerr != Z_OK)
            return hw_fail(err, "%s: gzip data is truncated or corrupt: %s", in->name, zlib_reason(msg));
    }
    in->pos += (uint64_t)got;
    return got;
}

uint64_t input_total(const struct input *in) { return in->total; }

uint64_t input_pos(const struct input *in)
{
    if (in->gzip) {
        z_off_t off = gzoffset(in->gz);
        return off > 0 ? (uint64_t)off : 0;
    }
    return in->pos;
}

int input_is_gzip(const struct input *in) { return in->gzip; }
const char *input_name(const struct input *in) { return in->name; }

void input_close(struct input *in)
{
    if (!in)
        return;
    gzclose(in->gz); /* closes fd */
    free(in);
}
