/* open.c: opening a dump for either front end: progress, notes, timings
 * (see open.h). */
#include "open.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "escape.h"
#include "notes.h"
#include "util.h"

void open_options_init(struct open_options *o)
{
    memset(o, 0, sizeof *o);
    load_options_default(&o->load);
    open_load_env(&o->load);
}

void open_load_env(struct load_options *lo)
{
    /* The line limit (64 MB) is far above any real line; this raises it. */
    const char *mb = getenv("HEAPWALK_MAX_LINE_MB");
    size_t n;
    if (mb && open_count_value(mb, &n) == 0 && n > 0 && n < ((size_t)1 << 20))
        lo->max_line = n << 20;
    const char *no_cache = getenv("HEAPWALK_NO_CACHE");
    lo->cache = !(no_cache && *no_cache && strcmp(no_cache, "0") != 0);
}

int open_count_value(const char *s, size_t *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v > SIZE_MAX)
        return -1;
    *out = (size_t)v;
    return 0;
}

int open_parse_count(const char *cmd, const char *opt, const char *s, size_t *out)
{
    if (open_count_value(s, out) == 0)
        return 0;
    hw_eprintf("heapwalk %s: %s wants a whole number, not '%s'\n", cmd, opt, s ? s : "");
    return -1;
}

int open_parse_threads(const char *cmd, const char *arg, int *threads)
{
    size_t n;
    if (open_parse_count(cmd, "--threads", arg, &n) < 0)
        return -1;
    if (n > OPEN_THREADS_MAX) {
        hw_eprintf("heapwalk %s: --threads takes 0 (one per core) to %d, not %zu\n", cmd, OPEN_THREADS_MAX, n);
        return -1;
    }
    *threads = (int)n;
    return 0;
}

void open_bad_option(const char *cmd, int c, const char *arg)
{
    const char *sp = cmd ? " " : "", *name = cmd ? cmd : "";
    if (c == ':')
        hw_eprintf("heapwalk%s%s: %s wants a value\n", sp, name, arg);
    else if (optopt && optopt < 256 && arg[0] == '-' && arg[1] != '-')
        hw_eprintf("heapwalk%s%s: unknown option '-%c'\n", sp, name, optopt);
    else
        hw_eprintf("heapwalk%s%s: unknown option '%s'\n", sp, name, arg);
    hw_eprintf("Try 'heapwalk%s%s --help'.\n", sp, name);
}

const char *open_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int open_shows_progress(const struct open_options *o)
{
    return !o->quiet && isatty(STDERR_FILENO);
}

void open_progress_clear(void)
{
    fputs("\r\033[K", stderr);
    fflush(stderr);
}

void open_timing(const char *what, double t0)
{
    if (getenv("HEAPWALK_TIMINGS"))
        hw_eprintf("heapwalk: timings: %s %.3f s\n", what, hw_now() - t0);
}

/* The columns of the terminal on stderr (80 when it does not say). */
static size_t stderr_columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* One progress line that fits the terminal, so that each update overwrites
 * the last instead of wrapping: the figures whole, the dump's name cut from
 * the left ("...dumps/big.json.gz") to what is left of the width. */
static void progress_draw(const struct load_progress *p, void *ctx)
{
    const char *name = ctx;
    if (p->done) {
        open_progress_clear();
        return;
    }
    char rest[160];
    if (strcmp(p->phase, "reading") == 0 && p->total)
        snprintf(rest, sizeof rest, ": %.1f of %.1f MB (%d%%), %llu objects, %.1fs", (double)p->pos / 1e6,
                 (double)p->total / 1e6, (int)(p->pos * 100 / p->total), (unsigned long long)p->objects, p->elapsed);
    else if (strcmp(p->phase, "reading") == 0)
        snprintf(rest, sizeof rest, ": %.1f MB, %llu objects, %.1fs", (double)p->pos / 1e6,
                 (unsigned long long)p->objects, p->elapsed);
    else
        snprintf(rest, sizeof rest, ": %s, %llu objects, %.1fs", p->phase, (unsigned long long)p->objects,
                 p->elapsed);
    size_t cols = stderr_columns() - 1, fixed = strlen("loading ") + strlen(rest), len = strlen(name);
    const char *dots = "";
    if (fixed + len > cols) {
        size_t room = cols > fixed + 3 ? cols - fixed - 3 : 0;
        name += len - room;
        while (*name && ((unsigned char)*name & 0xc0) == 0x80) /* not inside a UTF-8 character */
            name++;
        dots = "...";
    }
    char line[512];
    snprintf(line, sizeof line, "loading %s%s%s", dots, name, rest);
    if (strlen(line) > cols)
        line[cols] = '\0';
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
}

static void print_timings(const struct load_report *rep, const struct heap *h)
{
    const struct load_timings *t = &rep->timings;
    if (rep->from_cache) {
        fprintf(stderr, "heapwalk: timings: opened from the index cache in %.3f s; store %zu bytes\n", rep->seconds,
                heap_memory(h));
        return;
    }
    fprintf(stderr,
            "heapwalk: timings: read %.3f s, parse %.3f s, merge %.3f s, resolve %.3f s, collapse %.3f s, "
            "parents %.3f s; total %.3f s; %llu lines by the fast path, %llu by cJSON; store %zu bytes\n",
            t->read, t->parse, t->merge, t->resolve, t->collapse, t->parents, rep->seconds,
            (unsigned long long)t->fast_lines, (unsigned long long)t->cjson_lines, heap_memory(h));
}

/* What was wrong with the dump, though it loaded. */
static void print_notes(const char *name, const struct load_report *rep, const struct heap *h)
{
    if (rep->cache_note[0])
        hw_eprintf("heapwalk: %s: %s\n", name, rep->cache_note);
    struct load_notes notes;
    notes_collect(name, rep, h, &notes);
    notes_print(&notes, 5, stderr);
    notes_free(&notes);
}

int open_dump(const char *path, const struct open_options *o, struct heap *h)
{
    return open_dump_notes(path, o, h, NULL);
}

int open_dump_notes(const char *path, const struct open_options *o, struct heap *h, struct load_notes *notes)
{
    const char *name = open_display_name(path);
    struct load_options opt = o->load;
    struct load_report rep;
    struct hw_error err = {{0}};
    struct strbuf shown;     /* the name as the terminal may show it */
    sb_init(&shown);
    hw_sb_escaped_str(&shown, name);
    if (open_shows_progress(o)) {
        opt.progress = progress_draw;
        opt.progress_ctx = (void *)sb_cstr(&shown);
    }
    /* The out-of-memory message names the dump; it must outlive this call. */
    static char context[HW_ERRMAX];
    snprintf(context, sizeof context, "loading %s", sb_cstr(&shown));
    hw_set_oom_context(context);
    heap_init(h);
    int rc = load_dump(path, &opt, h, &rep, &err);
    if (opt.progress)
        fputs("\r\033[K", stderr);
    if (rc < 0) {
        hw_eprintf("heapwalk: %s\n", err.msg);
        heap_free(h);
        sb_free(&shown);
        return -1;
    }
    snprintf(context, sizeof context, "working on %s", sb_cstr(&shown));
    sb_free(&shown);
    hw_set_oom_context(context);
    if (getenv("HEAPWALK_TIMINGS"))
        print_timings(&rep, h);
    if (notes) { /* the front end shows them; a cache note is about this machine, not the dump */
        notes_collect(name, &rep, h, notes);
        if (!o->quiet && rep.cache_note[0])
            hw_eprintf("heapwalk: %s: %s\n", name, rep.cache_note);
    } else if (!o->quiet) {
        print_notes(name, &rep, h);
    }
    return 0;
}
