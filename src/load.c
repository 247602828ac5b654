#include "load.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "collapse.h"
#include "input.h"
#include "parse.h"

#define BLOCK_SIZE (8u << 20)  /* bytes read between merges */
#define MAX_THREADS 16
#define MAX_PARTS (2 * MAX_THREADS) /* a block's parts in the pipeline: two per core, for balance */

#define HAS_STR (OF_NAME | OF_VALUE | OF_VALUE_NUM)

/* One parsed line, or a bad one, in a part's output: 48 bytes. Its refs
 * follow the previous entry's in part.refs, and its string (or, for a bad
 * line, the reason) the previous one's in part.bytes, so the merge finds
 * them by counting. */
struct entry {
    uint64_t addr, size, len;     /* for a bad line, addr is its line number within the part, from 0 */
    uint32_t nrefs;
    uint32_t type;                /* the part's own type number: part.types */
    uint32_t str_len;             /* with HAS_STR (or for a bad line): bytes in part.bytes, then a NUL */
    uint32_t str_hash;            /* strpool_hash of the string, computed by the parser */
    uint32_t src_line;            /* the record's "line" key (a frame's), 0 if none */
    uint8_t flags;
    uint8_t error;
};

/* A run of whole lines given to one thread, and what it made of them. */
struct part {
    const char *data;
    size_t len;
    int strict;
    struct entry *e;
    size_t n, cap;
    uint64_t *refs;
    size_t nrefs, refs_cap;
    char *bytes;
    size_t nbytes, bytes_cap;
    uint32_t lines;
    struct parser parser;
    /* The type names this part (over every block) has met, numbered by the
     * parser; gid maps them to the store's ids as the merge meets them. */
    struct types types;
    uint32_t last_type;       /* the previous record's: runs are common */
    uint32_t *gid;            /* UINT32_MAX: not met by the merge yet */
    uint32_t ngid;
};

static void part_bytes(struct part *pt, const char *s, size_t n)
{
    if (pt->nbytes + n + 1 > pt->bytes_cap) {
        size_t cap = pt->bytes_cap ? pt->bytes_cap : 65536;
        while (pt->nbytes + n + 1 > cap)
            cap *= 2;
        pt->bytes = xrealloc(pt->bytes, cap, "parsed strings");
        pt->bytes_cap = cap;
    }
    if (n)
        memcpy(pt->bytes + pt->nbytes, s, n);
    pt->bytes[pt->nbytes + n] = '\0';
    pt->nbytes += n + 1;
}

static struct entry *part_entry(struct part *pt)
{
    if (pt->n == pt->cap) {
        pt->cap = pt->cap ? pt->cap * 2 : 4096;
        pt->e = xreallocarray(pt->e, pt->cap, sizeof *pt->e, "parsed objects");
    }
    struct entry *e = &pt->e[pt->n++];
    memset(e, 0, sizeof *e);
    return e;
}

/* The part's number for a type name. */
static uint32_t part_type(struct part *pt, const char *name, size_t len)
{
    if (pt->types.n) {
        const char *last = types_name(&pt->types, pt->last_type);
        if (strncmp(last, name, len) == 0 && last[len] == '\0')
            return pt->last_type;
    }
    return pt->last_type = types_intern(&pt->types, name, len);
}

static void *part_parse(void *arg)
{
    struct part *pt = arg;
    const char *p = pt->data, *end = pt->data + pt->len;
    uint32_t line = 0;
    char why[HW_ERRMAX - 64];
    struct record rec;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        enum parse_result r = parse_line(&pt->parser, p, len, &rec, why, sizeof why);
        if (r == PARSE_RECORD) {
            struct entry *e = part_entry(pt);
            e->addr = rec.addr;
            e->size = rec.size;
            e->len = rec.len;
            e->flags = rec.flags;
            e->src_line = rec.line;
            e->type = part_type(pt, rec.type, rec.type_len);
            if (rec.flags & HAS_STR) {
                const char *str = rec.str ? rec.str : "";
                size_t str_len = rec.str ? rec.str_len : 0;
                part_bytes(pt, str, str_len);
                e->str_len = (uint32_t)str_len;
                e->str_hash = strpool_hash(str, str_len);
            }
            if (pt->nrefs + rec.nrefs > pt->refs_cap) {
                size_t cap = pt->refs_cap ? pt->refs_cap : 65536;
                while (pt->nrefs + rec.nrefs > cap)
                    cap *= 2;
                pt->refs = xreallocarray(pt->refs, cap, sizeof *pt->refs, "parsed refs");
                pt->refs_cap = cap;
            }
            if (rec.nrefs)
                memcpy(pt->refs + pt->nrefs, rec.refs, rec.nrefs * sizeof *rec.refs);
            e->nrefs = (uint32_t)rec.nrefs;
            pt->nrefs += rec.nrefs;
        } else if (r == PARSE_ERROR) {
            struct entry *e = part_entry(pt);
            e->error = 1;
            e->addr = line;
            e->str_len = (uint32_t)strlen(why);
            part_bytes(pt, why, e->str_len);
            if (pt->strict) {
                line++;
                break;
            }
        }
        line++;
        p = nl ? nl + 1 : end;
    }
    pt->lines = line;
    return NULL;
}

static void part_reset(struct part *pt)
{
    pt->n = 0;
    pt->nrefs = 0;
    pt->nbytes = 0;
    pt->lines = 0;
}

/* The part's buffers; its parser's counts stay. */
static void part_free(struct part *pt)
{
    free(pt->e);
    free(pt->refs);
    free(pt->bytes);
    pt->e = NULL;
    pt->refs = NULL;
    pt->bytes = NULL;
    pt->n = pt->cap = pt->nrefs = pt->refs_cap = pt->nbytes = pt->bytes_cap = 0;
    types_free(&pt->types);
    free(pt->gid);
    pt->gid = NULL;
    pt->ngid = 0;
    size_t fast = pt->parser.fast, slow = pt->parser.slow;
    parser_free(&pt->parser);
    pt->parser.fast = fast;
    pt->parser.slow = slow;
}

/* One block cut into parts: parsed by the threads, then merged in order. */
struct batch {
    struct part parts[MAX_PARTS];
    int nparts;
    /* Under loader.mu: */
    int next_part;            /* the first part nobody has taken to parse */
    int parts_done;           /* parts parsed */
    int ready;                /* parsed, not merged yet */
};

struct loader {
    const char *name;
    const struct load_options *opt;
    struct heap *h;
    struct load_report *rep;
    struct hw_error *err;
    int nthreads;
    /* load_file parses block i + 1 into one batch while a merge thread
     * merges block i from the other; load_buffer uses batches[0] only. */
    struct batch batches[2];
    int fill;                 /* the batch the next block is parsed into */
    uint64_t lines_parsed;    /* lines in the blocks parsed so far (the reader's count) */
    pthread_t merger;
    int merging;              /* the merge thread runs */
    pthread_mutex_t mu;       /* guards parsing, closing, merge_rc and the batches' counts */
    struct batch *parsing;    /* the batch whose parts are being parsed: idle threads take some */
    pthread_cond_t cv;
    int closing;              /* no more blocks: the merge thread ends when it is done */
    int merge_rc;             /* -1: the merge failed (merge_err), the reader stops */
    struct hw_error merge_err;
    _Atomic size_t merged;    /* objects merged, for the reader's progress */
    /* The merge's own state (the merge thread's, while it runs). */
    uint64_t line_base;       /* lines before the current block */
    int exported;             /* a line said "collapsed": heapwalk's own export, collapsed already */
    double t0, last_progress;
    struct input *in;         /* NULL for load_buffer */
    int failed;
};

static void report_progress(struct loader *L, const char *phase, uint64_t pos, uint64_t total, int done)
{
    if (!L->opt->progress)
        return;
    double now = hw_now();
    if (!done && now - L->last_progress < 0.2)
        return;
    L->last_progress = now;
    /* While the merge thread runs, the store is its own: count what it has merged. */
    size_t objects = L->merging ? L->merged : L->h->n;
    struct load_progress p = {phase, pos, total, objects, now - L->t0, done};
    L->opt->progress(&p, L->opt->progress_ctx);
}

static int too_many_refs(struct loader *L, struct hw_error *err)
{
    return hw_fail(err, "%s: too many references: heapwalk holds at most %u per dump", L->name, HEAP_MAX_EDGES);
}

/* How many entries ahead the merge asks for each level of a string's lookup. */
#define STR_AHEAD 8

/* Ask for what interning entry j + STR_AHEAD, + 2 and + 3 times that, will read. */
static void merge_prefetch(const struct strpool *sp, const struct part *pt, size_t j)
{
    const struct entry *e = pt->e;
    size_t n = pt->n;
    if (j + 3 * STR_AHEAD < n && e[j + 3 * STR_AHEAD].flags & HAS_STR)
        strpool_prefetch_slot(sp, e[j + 3 * STR_AHEAD].str_hash);
    if (j + 2 * STR_AHEAD < n && e[j + 2 * STR_AHEAD].flags & HAS_STR)
        strpool_prefetch_entry(sp, e[j + 2 * STR_AHEAD].str_hash);
    if (j + STR_AHEAD < n && e[j + STR_AHEAD].flags & HAS_STR)
        strpool_prefetch_bytes(sp, e[j + STR_AHEAD].str_hash);
}

/* Merge a batch's parts into the heap, in order; errors go to err. */
/* The store's id of the part's type t. */
static uint32_t merge_type(struct heap *h, struct part *pt, uint32_t t)
{
    if (t >= pt->ngid) {
        uint32_t n = pt->types.n;
        pt->gid = xreallocarray(pt->gid, n, sizeof *pt->gid, "the type table");
        for (uint32_t k = pt->ngid; k < n; k++)
            pt->gid[k] = UINT32_MAX;
        pt->ngid = n;
    }
    if (pt->gid[t] == UINT32_MAX) { /* met first here: ids go in file order */
        const char *name = types_name(&pt->types, t);
        pt->gid[t] = types_intern(&h->types, name, strlen(name));
    }
    return pt->gid[t];
}

static int merge_batch(struct loader *L, struct batch *b, struct hw_error *err)
{
    struct heap *h = L->h;
    for (int k = 0; k < b->nparts; k++) {
        struct part *pt = &b->parts[k];
        const uint64_t *refs = pt->refs;
        const char *bytes = pt->bytes;
        for (size_t j = 0; j < pt->n; j++) {
            const struct entry *e = &pt->e[j];
            merge_prefetch(&h->strings, pt, j);
            if (e->error) {
                uint64_t line = L->line_base + e->addr + 1;
                const char *why = bytes;
                bytes += e->str_len + 1;
                h->stats.bad_lines++;
                L->rep->bad_lines++;
                if (L->opt->strict)
                    return hw_fail(err, "%s:%llu: %s", L->name, (unsigned long long)line, why);
                if (L->rep->n_messages < LOAD_MAX_MESSAGES)
                    snprintf(L->rep->messages[L->rep->n_messages++], HW_ERRMAX, "%s:%llu: %s",
                             L->name, (unsigned long long)line, why);
                continue;
            }
            uint32_t tid = merge_type(h, pt, e->type);
            uint32_t sid = 0;
            if (e->flags & HAS_STR) {
                sid = strpool_intern_hashed(&h->strings, bytes, e->str_len, e->str_hash);
                bytes += e->str_len + 1;
                if (sid == 0)
                    return hw_fail(err, "%s: too many distinct strings (over 4 billion)", L->name);
            }
            if (e->flags & OF_COLLAPSED)
                L->exported = 1;
            if (heap_add(h, e->addr, tid, e->size, e->len, sid, e->flags) == OBJ_NONE)
                return hw_fail(err, "%s: too many objects: heapwalk holds at most %u per dump", L->name,
                               HEAP_MAX_OBJECTS);
            if (e->src_line)
                heap_set_line(h, (obj_t)(h->n - 1), e->src_line);
            if (e->nrefs && heap_add_children(h, refs, e->nrefs) < 0)
                return too_many_refs(L, err);
            refs += e->nrefs;
            h->stats.records++;
        }
        L->line_base += pt->lines;
        h->stats.lines += pt->lines;
    }
    L->merged = h->n;
    return 0;
}

/* Cut [data, data+len) (whole lines) into at most nparts parts of b. */
static void split_batch(struct loader *L, struct batch *b, const char *data, size_t len, int nparts)
{
    if (len < (1u << 16))
        nparts = 1;
    const char *p = data, *end = data + len;
    int k = 0;
    for (; k < nparts && p < end; k++) {
        size_t want = (size_t)(end - p) / (size_t)(nparts - k);
        const char *cut = p + want;
        if (k == nparts - 1 || cut >= end) {
            cut = end;
        } else {
            const char *nl = memchr(cut, '\n', (size_t)(end - cut));
            cut = nl ? nl + 1 : end;
        }
        part_reset(&b->parts[k]);
        b->parts[k].data = p;
        b->parts[k].len = (size_t)(cut - p);
        b->parts[k].strict = L->opt->strict;
        p = cut;
    }
    b->nparts = k;
    b->next_part = 0;
    b->parts_done = 0;
}

static void count_lines(struct loader *L, const struct batch *b)
{
    for (int k = 0; k < b->nparts; k++)
        L->lines_parsed += b->parts[k].lines;
}

/* Parse [data, data+len) into b, one part per thread, and wait for them. */
static void parse_batch(struct loader *L, struct batch *b, const char *data, size_t len)
{
    split_batch(L, b, data, len, L->nthreads);
    int nparts = b->nparts;
    double t0 = hw_now();
    pthread_t tids[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    for (int k = 1; k < nparts; k++)
        started[k] = pthread_create(&tids[k], NULL, part_parse, &b->parts[k]) == 0;
    part_parse(&b->parts[0]);
    for (int k = 1; k < nparts; k++) {
        if (started[k])
            pthread_join(tids[k], NULL);
        else
            part_parse(&b->parts[k]);
    }
    count_lines(L, b);
    L->rep->timings.parse += hw_now() - t0;
}

/* With mu held: the number of a part of L->parsing nobody has taken, now
 * the caller's, or -1. */
static int claim_part(struct loader *L)
{
    struct batch *b = L->parsing;
    return b && b->next_part < b->nparts ? b->next_part++ : -1;
}

/* Parse part k of L->parsing (claimed, mu not held) and count it done. */
static void parse_claimed(struct loader *L, struct batch *b, int k)
{
    part_parse(&b->parts[k]);
    pthread_mutex_lock(&L->mu);
    if (++b->parts_done == b->nparts)
        pthread_cond_broadcast(&L->cv);
    pthread_mutex_unlock(&L->mu);
}

/* Parse parts of L->parsing until none is left to take. */
static void *parse_helper(void *arg)
{
    struct loader *L = arg;
    for (;;) {
        pthread_mutex_lock(&L->mu);
        struct batch *b = L->parsing;
        int k = claim_part(L);
        pthread_mutex_unlock(&L->mu);
        if (k < 0)
            return NULL;
        parse_claimed(L, b, k);
    }
}

static int merge_timed(struct loader *L, struct batch *b, struct hw_error *err)
{
    double t0 = hw_now();
    int rc = merge_batch(L, b, err);
    L->rep->timings.merge += hw_now() - t0;
    return rc;
}

/* The merge thread: the batches in turn, as the reader marks them ready,
 * until the reader closes or a merge fails; while the next batch is not
 * ready, it parses parts of it with the reader. */
static void *merge_main(void *arg)
{
    struct loader *L = arg;
    for (int m = 0;;) {
        struct batch *b = &L->batches[m];
        pthread_mutex_lock(&L->mu);
        int k = -1;
        struct batch *help = NULL;
        while (!b->ready && !L->closing) {
            help = L->parsing;
            if ((k = claim_part(L)) >= 0)
                break;
            pthread_cond_wait(&L->cv, &L->mu);
        }
        int ready = b->ready;
        pthread_mutex_unlock(&L->mu);
        if (k >= 0) {
            parse_claimed(L, help, k);
            continue;
        }
        if (!ready)
            break; /* closing, and every batch merged: blocks are filled in the order they are merged */
        m ^= 1;
        int rc = merge_timed(L, b, &L->merge_err);
        pthread_mutex_lock(&L->mu);
        b->ready = 0;
        if (rc < 0)
            L->merge_rc = -1;
        pthread_cond_broadcast(&L->cv);
        pthread_mutex_unlock(&L->mu);
        if (rc < 0)
            break;
    }
    return NULL;
}

static void pipeline_start(struct loader *L)
{
    pthread_mutex_init(&L->mu, NULL);
    pthread_cond_init(&L->cv, NULL);
    L->merging = pthread_create(&L->merger, NULL, merge_main, L) == 0;
}

/* Wait for the merge thread to finish the last batch; 0, or -1 with *L->err
 * set when a merge failed (a merge's error is about earlier lines than any
 * the reader could have met, so it is the one reported). */
static int pipeline_finish(struct loader *L)
{
    if (L->merging) {
        pthread_mutex_lock(&L->mu);
        L->closing = 1;
        pthread_cond_broadcast(&L->cv);
        pthread_mutex_unlock(&L->mu);
        pthread_join(L->merger, NULL);
        L->merging = 0;
    }
    pthread_cond_destroy(&L->cv);
    pthread_mutex_destroy(&L->mu);
    if (L->merge_rc < 0) {
        *L->err = L->merge_err;
        return -1;
    }
    return 0;
}

/* Parse a block into the next free batch and hand it to the merge thread
 * (or, without one, merge it here). -1 when a merge failed. */
static int pipeline_block(struct loader *L, const char *data, size_t len)
{
    struct batch *b = &L->batches[L->fill];
    if (!L->merging) {
        parse_batch(L, b, data, len);
        if (merge_timed(L, b, &L->merge_err) < 0)
            L->merge_rc = -1;
        return L->merge_rc;
    }
    pthread_mutex_lock(&L->mu);
    while (b->ready && L->merge_rc == 0)
        pthread_cond_wait(&L->cv, &L->mu);
    int rc = L->merge_rc;
    pthread_mutex_unlock(&L->mu);
    if (rc < 0)
        return -1;
    /* Parts for every core: the reader and the extra threads take them in
     * turn, and so does the merge thread when it has nothing to merge. */
    split_batch(L, b, data, len, 2 * L->nthreads);
    double t0 = hw_now();
    pthread_mutex_lock(&L->mu);
    L->parsing = b;
    pthread_cond_broadcast(&L->cv);
    pthread_mutex_unlock(&L->mu);
    pthread_t tids[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    for (int t = 2; t < L->nthreads; t++)
        started[t] = pthread_create(&tids[t], NULL, parse_helper, L) == 0;
    parse_helper(L);
    for (int t = 2; t < L->nthreads; t++)
        if (started[t])
            pthread_join(tids[t], NULL);
    pthread_mutex_lock(&L->mu);
    while (b->parts_done < b->nparts)
        pthread_cond_wait(&L->cv, &L->mu);
    L->parsing = NULL;
    pthread_mutex_unlock(&L->mu);
    count_lines(L, b);
    L->rep->timings.parse += hw_now() - t0;
    pthread_mutex_lock(&L->mu);
    b->ready = 1;
    pthread_cond_broadcast(&L->cv);
    pthread_mutex_unlock(&L->mu);
    L->fill ^= 1;
    return 0;
}

static int loader_finish(struct loader *L)
{
    struct heap *h = L->h;
    if (h->n == 0) {
        if (L->rep->bad_lines)
            return hw_fail(L->err, "%s: no objects could be read (%llu bad lines; the first: %s)", L->name,
                           (unsigned long long)L->rep->bad_lines, L->rep->messages[0]);
        return hw_fail(L->err, "%s: no objects in the dump", L->name);
    }
    struct load_timings *t = &L->rep->timings;
    /* The parsers' buffers go before the store's peak. */
    for (int b = 0; b < 2; b++)
        for (int k = 0; k < MAX_PARTS; k++) {
            part_free(&L->batches[b].parts[k]);
            t->fast_lines += L->batches[b].parts[k].parser.fast;
            t->cjson_lines += L->batches[b].parts[k].parser.slow;
        }
    double t0 = hw_now();
    strpool_freeze(&h->strings); /* every string is in: give back the spare room before the peak */
    report_progress(L, "indexing", 0, 0, 0);
    heap_resolve(h);
    double t1 = hw_now();
    if (L->opt->collapse && !L->exported) {
        report_progress(L, "collapsing", 0, 0, 0);
        if (collapse_instance_dicts(h) < 0)
            return too_many_refs(L, L->err);
    } else {
        /* --raw, or heapwalk's own export: its dicts are collapsed already,
         * and collapsing again would absorb dicts the first pass kept. */
        if (heap_compact(h, 0) < 0)
            return too_many_refs(L, L->err);
        h->collapsed = L->exported;
    }
    double t2 = hw_now();
    /* Every later sum (totals, retained sizes) stays exact in 64 bits when the
     * sizes add up to less than 2^62 bytes; no heap comes near that. */
    uint64_t total = 0;
    for (size_t i = 0; i < h->n; i++) {
        total += heap_size(h, (obj_t)i);
        if (total >= (1ULL << 62))
            return hw_fail(L->err, "%s: the object sizes add up to 2^62 bytes or more: not the heap of a real process",
                           L->name);
    }
    report_progress(L, "parents", 0, 0, 0);
    heap_build_parents(h);
    heap_detect_flavour(h);
    t->resolve = t1 - t0;
    t->collapse = t2 - t1;
    t->parents = hw_now() - t2;
    L->rep->seconds = hw_now() - L->t0;
    report_progress(L, "done", 0, 0, 1);
    return 0;
}

static void loader_init(struct loader *L, const char *name, const struct load_options *opt, struct heap *h,
                        struct load_report *rep, struct hw_error *err)
{
    memset(L, 0, sizeof *L);
    memset(rep, 0, sizeof *rep);
    L->name = name;
    L->opt = opt;
    L->h = h;
    L->rep = rep;
    L->err = err;
    L->nthreads = opt->threads;
    if (L->nthreads <= 0) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        L->nthreads = ncpu > 0 ? (int)ncpu : 1;
    }
    if (L->nthreads > MAX_THREADS)
        L->nthreads = MAX_THREADS;
    for (int b = 0; b < 2; b++)
        for (int k = 0; k < MAX_PARTS; k++)
            parser_init(&L->batches[b].parts[k].parser);
    L->t0 = hw_now();
    L->last_progress = L->t0;
}

static void loader_free(struct loader *L)
{
    for (int b = 0; b < 2; b++)
        for (int k = 0; k < MAX_PARTS; k++)
            part_free(&L->batches[b].parts[k]);
}

void load_options_default(struct load_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->collapse = 1;
    opt->max_line = LOAD_MAX_LINE;
}

/* Parse the dump at path into h. */
static int load_file(const char *path, const struct load_options *opt, struct heap *h, struct load_report *rep,
                     struct hw_error *err)
{
    struct loader L;
    struct input *in = input_open(path, err);
    if (!in)
        return -1;
    const char *name = input_name(in);
    /* A dump that cannot fit is said so now, not after minutes of reading:
     * the store and the loading peak take about 0.65 bytes per byte of JSON
     * (docs/performance.md); refuse only when the estimate is clearly over. */
    uint64_t json = input_expected_size(in), avail = hw_memory_available();
    uint64_t need = json / 100 * 65 + (64u << 20); /* plus threads' stacks, buffers, the program */
    if (!opt->force && json && avail != UINT64_MAX && need > avail) {
        hw_fail(err, "%s: needs about %llu MB to load (%llu MB of JSON), only %llu MB available (--force to try anyway)",
                name, (unsigned long long)(need >> 20), (unsigned long long)(json >> 20),
                (unsigned long long)(avail >> 20));
        input_close(in);
        return -1;
    }
    /* A line's limit: a stream of unknown size (a pipe, /dev/zero) stops at
     * opt->max_line; a file whose size is known may hold a line as long as
     * itself (a list of millions of items is a real line of hundreds of MB),
     * but not longer than a quarter of the memory available, so that a file
     * that never ends a line is refused before it weighs on the machine. */
    size_t max_line = opt->max_line ? opt->max_line : LOAD_MAX_LINE;
    if (json) {
        uint64_t sized = avail == UINT64_MAX || json < avail / 4 ? json : avail / 4;
        if (sized > max_line && sized < SIZE_MAX / 2)
            max_line = (size_t)sized;
    }
    loader_init(&L, name, opt, h, rep, err);
    L.in = in;
    pipeline_start(&L);

    size_t cap = BLOCK_SIZE, have = 0;
    char *buf = xmalloc(cap, "the read buffer");
    int rc = 0, eof = 0;
    while (!eof) {
        if (opt->cancel && atomic_load(opt->cancel)) {
            rc = hw_fail(err, "%s: cancelled", name);
            break;
        }
        double tr = hw_now();
        ssize_t got = input_read(in, buf + have, cap - have, err);
        rep->timings.read += hw_now() - tr;
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got == 0)
            eof = 1;
        have += (size_t)got;
        h->stats.bytes_in += (uint64_t)got;
        /* Slow input (a pipe, a network disk) shows its progress as it comes. */
        report_progress(&L, "reading", input_pos(in), input_total(in), 0);
        if (!eof && have < cap)
            continue; /* fill the block */
        /* Whole lines go to the parsers; the partial last line waits for more. */
        size_t upto = have;
        if (!eof) {
            char *nl = NULL;
            for (size_t i = have; i > 0; i--)
                if (buf[i - 1] == '\n') {
                    nl = buf + i - 1;
                    break;
                }
            if (!nl) {
                /* One line longer than the buffer: grow it, up to the limit. */
                if (have > max_line) {
                    rc = hw_fail(err, "%s: line %llu: longer than %zu MB (not a dump? HEAPWALK_MAX_LINE_MB=N "
                                      "raises the limit)",
                                 name, (unsigned long long)L.lines_parsed + 1, max_line >> 20);
                    break;
                }
                cap = cap * 2 > max_line + 1 && max_line + 1 > have ? max_line + 1 : cap * 2;
                buf = xrealloc(buf, cap, "the read buffer (a very long line)");
                continue;
            }
            upto = (size_t)(nl - buf) + 1;
        }
        if (upto && pipeline_block(&L, buf, upto) < 0)
            break; /* pipeline_finish says why */
        memmove(buf, buf + upto, have - upto);
        have -= upto;
        report_progress(&L, "reading", input_pos(in), input_total(in), 0);
    }
    free(buf); /* parsed: the merges still running do not need it */
    if (pipeline_finish(&L) < 0)
        rc = -1;
    input_close(in); /* not before: the merge's messages name the input */
    if (rc == 0)
        rc = loader_finish(&L);
    loader_free(&L);
    return rc;
}

/* The store of path from the index cache: 1 when h holds it, 0 when it must
 * be parsed (rep->cache_note says why when a cache file was set aside). */
static int load_cached(const struct cache_key *key, const struct load_options *opt, struct heap *h,
                       struct load_report *rep)
{
    double t0 = hw_now();
    memset(rep, 0, sizeof *rep);
    if (!cache_open(key, h, rep, rep->cache_note, sizeof rep->cache_note))
        return 0;
    if (opt->strict && rep->bad_lines) { /* parse again, to stop at the first bad line */
        heap_free(h);
        heap_init(h);
        memset(rep, 0, sizeof *rep);
        return 0;
    }
    rep->from_cache = 1;
    rep->seconds = hw_now() - t0;
    return 1;
}

int load_dump(const char *path, const struct load_options *opt, struct heap *h, struct load_report *rep,
              struct hw_error *err)
{
    struct cache_key key;
    if (!opt->cache || cache_key(path, opt->collapse, &key) < 0)
        return load_file(path, opt, h, rep, err);
    if (load_cached(&key, opt, h, rep))
        return 0;
    char note[HW_ERRMAX];
    snprintf(note, sizeof note, "%s", rep->cache_note);
    int rc = load_file(path, opt, h, rep, err);
    if (rc == 0) {
        char skipped[HW_ERRMAX];
        cache_store_start(&key, h, rep, skipped, sizeof skipped);
        /* One note: a cache file set aside says more than a write skipped. */
        memcpy(rep->cache_note, *note ? note : skipped, sizeof rep->cache_note);
    }
    return rc;
}

int load_buffer(const char *name, const char *data, size_t len, const struct load_options *opt, struct heap *h,
                struct load_report *rep, struct hw_error *err)
{
    struct loader L;
    loader_init(&L, name, opt, h, rep, err);
    int rc = 0;
    if (len == 0)
        rc = hw_fail(err, "%s: empty file", name);
    h->stats.bytes_in = len;
    if (rc == 0) {
        parse_batch(&L, &L.batches[0], data, len);
        rc = merge_timed(&L, &L.batches[0], err);
    }
    if (rc == 0)
        rc = loader_finish(&L);
    loader_free(&L);
    return rc;
}
