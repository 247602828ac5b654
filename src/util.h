/* util.h: allocation that names what ran out, error values, a growable string buffer.
 *
 * The engine never prints and never exits on bad input: it returns an error
 * value (struct hw_error) that the caller shows.  Running out of memory is the
 * one exception: x*alloc() print what was being built and exit(1), because no
 * caller could do anything better. */
#ifndef HW_UTIL_H
#define HW_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>

#define HW_ERRMAX 512

/* An error: a one-line message, empty when there is none. */
struct hw_error {
    char msg[HW_ERRMAX];
};

/* Fill err (may be NULL) with a printf-style message; returns -1 for `return hw_fail(...)`. */
int hw_fail(struct hw_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* What the allocation wrappers name when memory runs out ("loading x.json.gz"). */
void hw_set_oom_context(const char *what);

void *xmalloc(size_t n, const char *what);
void *xcalloc(size_t count, size_t size, const char *what);
void *xrealloc(void *p, size_t n, const char *what);
/* xrealloc for an array of count elements of size bytes, with overflow checks. */
void *xreallocarray(void *p, size_t count, size_t size, const char *what);
char *xstrdup(const char *s, const char *what);

/* Print "heapwalk: message" to stderr and exit(status). Used by the CLI, not the engine. */
void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* "heapwalk: MESSAGE\n" on f, MESSAGE escaped as escape.h says (control and
 * format characters from file names, arguments or the dump shown as \x..,
 * \u....; a newline too: one message, one line). */
void hw_fprintf_message(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hw_vfprintf_message(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Called by die() and by the OOM path before printing: the TUI sets it to restore the terminal. */
void hw_set_die_hook(void (*hook)(void));

/* A growable byte buffer, always NUL-terminated when len > 0 or after sb_cstr(). */
struct strbuf {
    char *buf;
    size_t len, cap;
};
void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_add(struct strbuf *sb, const void *data, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_adds(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0), nonnull(2)));
const char *sb_cstr(struct strbuf *sb);

/* How many of the first len bytes of s to keep to cut it at most max bytes
 * long without splitting a UTF-8 character (max 0: no cut). */
size_t hw_utf8_cut(const char *s, size_t len, size_t max);

/* Monotonic seconds, for progress and benchmarks. */
double hw_now(void);

/* Bytes this process can still allocate, as far as the system says: the least
 * of MemAvailable, the RLIMIT_AS and RLIMIT_DATA soft limits (less what is in
 * use) and a cgroup v2 memory.max (less memory.current). UINT64_MAX when
 * nothing says. */
uint64_t hw_memory_available(void);

/* Parse an address written in decimal or 0x-hex; 0 on success, -1 if not a number. */
int hw_parse_addr(const char *s, uint64_t *out);

#endif
