/* open.h: opening a dump for either front end, the batch subcommands (cli.c)
 * and the explorer (tui/): load it with a progress line on stderr while it
 * is read (when stderr is a terminal), then say on stderr what was wrong with
 * it (bad lines, repeated addresses, dangling refs) unless told to be quiet.
 *
 * This is the one part of the engine that writes to stderr: both front ends
 * open their dumps before anything else is on the screen, and they must say
 * the same things the same way.  Everything else in src/ returns errors as
 * values. */
#ifndef HW_OPEN_H
#define HW_OPEN_H

#include <stddef.h>

#include "heap.h"
#include "load.h"
#include "notes.h"

/* What every front end lets the user choose about loading. */
struct open_options {
    struct load_options load; /* --raw, --strict, --threads, --force */
    int quiet;               /* -q: no progress and no notes */
};

void open_options_init(struct open_options *o);
/* Load options the environment sets for every front end (HEAPWALK_MAX_LINE_MB). */
void open_load_env(struct load_options *lo);

/* The most parser threads --threads takes. */
#define OPEN_THREADS_MAX 64

/* --threads N for command cmd ("summary", "explorer"): 0 with *threads set,
 * or -1 after saying on stderr what is wrong (nothing is said when N is a
 * whole number over OPEN_THREADS_MAX). */
int open_parse_threads(const char *cmd, const char *arg, int *threads);
/* A whole number for option opt of cmd: 0, or -1 after saying what is wrong. */
/* A whole number (digits only, no sign) in s: 0, or -1 without a message. */
int open_count_value(const char *s, size_t *out);
/* What getopt_long found wrong (c is '?' or ':') with argument arg of
 * subcommand cmd (NULL: the explorer), in one escaped line, and where help is.
 * Call it with opterr = 0: getopt's own message would echo arg raw. */
void open_bad_option(const char *cmd, int c, const char *arg);
int open_parse_count(const char *cmd, const char *opt, const char *s, size_t *out);

/* heap_init, then load path ("-": stdin) into h.  Returns 0, or -1 with the
 * error said on stderr and h freed. */
int open_dump(const char *path, const struct open_options *o, struct heap *h);
/* open_dump for a front end that shows the notes itself (the explorer, whose
 * screen hides stderr): they go to *notes (free with notes_free), not to
 * stderr, -q or not.  Nothing is kept on failure. */
int open_dump_notes(const char *path, const struct open_options *o, struct heap *h, struct load_notes *notes);

/* The name a message gives path: "<stdin>" for "-". */
const char *open_display_name(const char *path);
/* Does opening show progress on stderr (not quiet, stderr a terminal)?  For
 * a front end's own slow steps between loading and its first screen. */
int open_shows_progress(const struct open_options *o);
/* Clear the progress line (after open_shows_progress said yes). */
void open_progress_clear(void);

/* With HEAPWALK_TIMINGS set in the environment: "heapwalk: timings: WHAT S s"
 * on stderr, S the seconds since t0 (hw_now()). For benchmarks and profiles. */
void open_timing(const char *what, double t0);

#endif
