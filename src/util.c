#include "util.h"

#include "escape.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *oom_context = "heapwalk";
static void (*die_hook)(void);

int hw_fail(struct hw_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void hw_set_oom_context(const char *what) { oom_context = what ? what : "heapwalk"; }
void hw_set_die_hook(void (*hook)(void)) { die_hook = hook; }

static void oom(size_t n, const char *what)
{
    if (die_hook)
        die_hook();
    /* No allocation here: the context (which names the dump) was escaped when set. */
    fprintf(stderr, "heapwalk: out of memory while %s: could not allocate %zu bytes for %s\n",
            oom_context, n, what ? what : "data");
    exit(1);
}

void *xmalloc(size_t n, const char *what)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n, what);
    return p;
}

void *xcalloc(size_t count, size_t size, const char *what)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size, what);
    return p;
}

void *xrealloc(void *p, size_t n, const char *what)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n, what);
    return q;
}

void *xreallocarray(void *p, size_t count, size_t size, const char *what)
{
    if (size && count > SIZE_MAX / size)
        oom(SIZE_MAX, what);
    return xrealloc(p, count * size, what);
}

char *xstrdup(const char *s, const char *what)
{
    size_t n = strlen(s) + 1;
    char *d = xmalloc(n, what);
    memcpy(d, s, n);
    return d;
}

void die(int status, const char *fmt, ...)
{
    va_list ap;
    if (die_hook)
        die_hook();
    va_start(ap, fmt);
    hw_vfprintf_message(stderr, fmt, ap);
    va_end(ap);
    exit(status);
}

void hw_vfprintf_message(FILE *f, const char *fmt, va_list ap)
{
    struct strbuf raw, safe;
    sb_init(&raw);
    sb_init(&safe);
    sb_vprintf(&raw, fmt, ap);
    sb_adds(&safe, "heapwalk: ");
    hw_sb_message(&safe, raw.buf ? raw.buf : "", raw.len);
    sb_addc(&safe, '\n');
    fwrite(safe.buf, 1, safe.len, f);
    sb_free(&raw);
    sb_free(&safe);
}

void hw_fprintf_message(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hw_vfprintf_message(f, fmt, ap);
    va_end(ap);
}

void sb_init(struct strbuf *sb) { sb->buf = NULL; sb->len = sb->cap = 0; }
void sb_free(struct strbuf *sb) { free(sb->buf); sb_init(sb); }
void sb_reset(struct strbuf *sb) { sb->len = 0; if (sb->buf) sb->buf[0] = '\0'; }

static void sb_grow(struct strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->buf = xrealloc(sb->buf, cap, "a text buffer");
    sb->cap = cap;
}

void sb_add(struct strbuf *sb, const void *data, size_t n)
{
    sb_grow(sb, n);
    if (n)
        memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_addc(struct strbuf *sb, char c) { sb_add(sb, &c, 1); }
void sb_adds(struct strbuf *sb, const char *s) { sb_add(sb, s, strlen(s)); }

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2); /* the length it needs */
    va_end(ap2);
    if (n <= 0)
        return;
    sb_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

const char *sb_cstr(struct strbuf *sb)
{
    sb_grow(sb, 0);
    sb->buf[sb->len] = '\0';
    return sb->buf;
}

size_t hw_utf8_cut(const char *s, size_t len, size_t max)
{
    if (!max || len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

double hw_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int hw_parse_addr(const char *s, uint64_t *out)
{
    int base = 10;
    if (!s || !*s)
        return -1;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    /* Digits only: strtoull would also take blanks, signs and a second 0x. */
    size_t n = strspn(s, base == 16 ? "0123456789abcdefABCDEF" : "0123456789");
    if (n == 0 || s[n] != '\0')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, base);
    if (errno)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* A number from the first line of a file that starts with key (or the
 * file's only value when key is NULL), times scale; 0 if absent. */
static uint64_t read_number(const char *path, const char *key, uint64_t scale)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[256];
    uint64_t v = 0;
    size_t klen = key ? strlen(key) : 0;
    while (fgets(line, sizeof line, f)) {
        if (key && strncmp(line, key, klen) != 0)
            continue;
        char *p = line + klen, *end;
        unsigned long long n = strtoull(p, &end, 10);
        if (end != p)
            v = (uint64_t)n * scale;
        break;
    }
    fclose(f);
    return v;
}

uint64_t hw_memory_available(void)
{
    uint64_t avail = read_number("/proc/meminfo", "MemAvailable:", 1024);
    if (!avail)
        avail = UINT64_MAX;
    uint64_t used = read_number("/proc/self/status", "VmSize:", 1024);
    uint64_t data = read_number("/proc/self/status", "VmData:", 1024);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        avail = (uint64_t)rl.rlim_cur > used && (uint64_t)rl.rlim_cur - used < avail ? (uint64_t)rl.rlim_cur - used
              : (uint64_t)rl.rlim_cur <= used ? 0 : avail;
    if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        avail = (uint64_t)rl.rlim_cur > data && (uint64_t)rl.rlim_cur - data < avail ? (uint64_t)rl.rlim_cur - data
              : (uint64_t)rl.rlim_cur <= data ? 0 : avail;
    /* cgroup v2: the limit of the group this process is in (the usual root mount). */
    uint64_t max = read_number("/sys/fs/cgroup/memory.max", NULL, 1);
    uint64_t cur = read_number("/sys/fs/cgroup/memory.current", NULL, 1);
    if (max && max > cur && max - cur < avail)
        avail = max - cur;
    return avail;
}
