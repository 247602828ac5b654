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

#define BLOCK_SIZE (16u << 20)  /* bytes read between merges */
#define MAX_THREADS 16

/* One parsed line, or a bad one, in a part's output. */
struct entry {
    uint64_t addr, size, len;
    uint64_t refs_off;
    uint32_t nrefs;
    uint32_t type_off, type_len;  /* into part.bytes; for an error, the reason */
    uint32_t str_off, str_len;
    uint32_t line;                /* line number within the part, from 0 */
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
};

static uint32_t part_bytes(struct part *pt, const char *s, size_t n)
{
    if (pt->nbytes + n + 1 > pt->bytes_cap) {
        size_t cap = pt->bytes_cap ? pt->bytes_cap : 65536;
        while (pt->nbytes + n + 1 > cap)
            cap *= 2;
        pt->bytes = xrealloc(pt->bytes, cap, "parsed strings");
        pt->bytes_cap = cap;
    }
    uint32_t off = (uint32_t)pt->nbytes;
    if (n)
        memcpy(pt->bytes + off, s, n);
    pt->bytes[off + n] = '\0';
    pt->nbytes += n + 1;
    return off;
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
            e->line = line;
            e->src_line = rec.line;
            e->type_off = part_bytes(pt, rec.type, rec.type_len);
            e->type_len = (uint32_t)rec.type_len;
            if (rec.str) {
                e->str_off = part_bytes(pt, rec.str, rec.str_len);
                e->str_len = (uint32_t)rec.str_len;
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
            e->refs_off = pt->nrefs;
            e->nrefs = (uint32_t)rec.nrefs;
            pt->nrefs += rec.nrefs;
        } else if (r == PARSE_ERROR) {
            struct entry *e = part_entry(pt);
            e->error = 1;
            e->line = line;
            e->type_off = part_bytes(pt, why, strlen(why));
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

static void part_free(struct part *pt)
{
    free(pt->e);
    free(pt->refs);
    free(pt->bytes);
    parser_free(&pt->parser);
}

struct loader {
    const char *name;
    const struct load_options *opt;
    struct heap *h;
    struct load_report *rep;
    struct hw_error *err;
    int nthreads;
    struct part parts[MAX_THREADS];
    uint64_t line_base;       /* lines before the current block */
    int exported;             /* a line said "collapsed": heapwalk's own export, collapsed already */
    uint32_t last_type_id;    /* the type of the previous object: runs are common */
    const char *last_type;
    size_t last_type_len;
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
    struct load_progress p = {phase, pos, total, L->h->n, now - L->t0, done};
    L->opt->progress(&p, L->opt->progress_ctx);
}

static int too_many_refs(struct loader *L)
{
    return hw_fail(L->err, "%s: too many references: heapwalk holds at most %u per dump", L->name, HEAP_MAX_EDGES);
}

/* Merge the parts' output into the heap, in order. */
static int merge_parts(struct loader *L, int nparts)
{
    struct heap *h = L->h;
    for (int k = 0; k < nparts; k++) {
        struct part *pt = &L->parts[k];
        for (size_t j = 0; j < pt->n; j++) {
            const struct entry *e = &pt->e[j];
            if (e->error) {
                uint64_t line = L->line_base + e->line + 1;
                const char *why = pt->bytes + e->type_off;
                h->stats.bad_lines++;
                L->rep->bad_lines++;
                if (L->opt->strict)
                    return hw_fail(L->err, "%s:%llu: %s", L->name, (unsigned long long)line, why);
                if (L->rep->n_messages < LOAD_MAX_MESSAGES)
                    snprintf(L->rep->messages[L->rep->n_messages++], HW_ERRMAX, "%s:%llu: %s",
                             L->name, (unsigned long long)line, why);
                continue;
            }
            const char *type = pt->bytes + e->type_off;
            uint32_t tid;
            if (L->last_type && e->type_len == L->last_type_len && memcmp(type, L->last_type, e->type_len) == 0) {
                tid = L->last_type_id;
            } else {
                tid = types_intern(&h->types, type, e->type_len);
                L->last_type_id = tid;
                L->last_type = types_name(&h->types, tid);
                L->last_type_len = e->type_len;
            }
            uint32_t sid = 0;
            if (e->flags & (OF_NAME | OF_VALUE | OF_VALUE_NUM)) {
                sid = strpool_intern(&h->strings, pt->bytes + e->str_off, e->str_len);
                if (sid == 0)
                    return hw_fail(L->err, "%s: too many distinct strings (over 4 billion)", L->name);
            }
            if (e->flags & OF_COLLAPSED)
                L->exported = 1;
            if (heap_add(h, e->addr, tid, e->size, e->len, sid, e->flags) == OBJ_NONE)
                return hw_fail(L->err, "%s: too many objects: heapwalk holds at most %u per dump", L->name,
                               HEAP_MAX_OBJECTS);
            if (e->src_line)
                heap_set_line(h, (obj_t)(h->n - 1), e->src_line);
            if (e->nrefs && heap_add_children(h, pt->refs + e->refs_off, e->nrefs) < 0)
                return too_many_refs(L);
            h->stats.records++;
        }
        L->line_base += pt->lines;
        h->stats.lines += pt->lines;
    }
    return 0;
}

/* Parse [data, data+len) (whole lines) on all threads, then merge. */
static int process_block(struct loader *L, const char *data, size_t len)
{
    int nparts = L->nthreads;
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
        part_reset(&L->parts[k]);
        L->parts[k].data = p;
        L->parts[k].len = (size_t)(cut - p);
        L->parts[k].strict = L->opt->strict;
        p = cut;
    }
    nparts = k;
    double t0 = hw_now();
    pthread_t tids[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    for (k = 1; k < nparts; k++)
        started[k] = pthread_create(&tids[k], NULL, part_parse, &L->parts[k]) == 0;
    part_parse(&L->parts[0]);
    for (k = 1; k < nparts; k++) {
        if (started[k])
            pthread_join(tids[k], NULL);
        else
            part_parse(&L->parts[k]);
    }
    double t1 = hw_now();
    int rc = merge_parts(L, nparts);
    L->rep->timings.parse += t1 - t0;
    L->rep->timings.merge += hw_now() - t1;
    return rc;
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
    for (int k = 0; k < MAX_THREADS; k++) {
        t->fast_lines += L->parts[k].parser.fast;
        t->cjson_lines += L->parts[k].parser.slow;
    }
    double t0 = hw_now();
    strpool_freeze(&h->strings); /* every string is in: give back the spare room before the peak */
    report_progress(L, "indexing", 0, 0, 0);
    heap_resolve(h);
    double t1 = hw_now();
    if (L->opt->collapse && !L->exported) {
        report_progress(L, "collapsing", 0, 0, 0);
        if (collapse_instance_dicts(h) < 0)
            return too_many_refs(L);
    } else {
        /* --raw, or heapwalk's own export: its dicts are collapsed already,
         * and collapsing again would absorb dicts the first pass kept. */
        if (heap_compact(h, NULL) < 0)
            return too_many_refs(L);
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
    for (int k = 0; k < MAX_THREADS; k++)
        parser_init(&L->parts[k].parser);
    L->t0 = hw_now();
    L->last_progress = L->t0;
}

static void loader_free(struct loader *L)
{
    for (int k = 0; k < MAX_THREADS; k++)
        part_free(&L->parts[k]);
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
    loader_init(&L, name, opt, h, rep, err);
    L.in = in;

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
                size_t max_line = opt->max_line ? opt->max_line : LOAD_MAX_LINE;
                if (have > max_line) {
                    rc = hw_fail(err, "%s: line %llu: longer than %zu MB (not a dump? HEAPWALK_MAX_LINE_MB=N "
                                      "raises the limit)",
                                 name, (unsigned long long)L.line_base + 1, max_line >> 20);
                    break;
                }
                cap = cap * 2 > max_line + 1 && max_line + 1 > have ? max_line + 1 : cap * 2;
                buf = xrealloc(buf, cap, "the read buffer (a very long line)");
                continue;
            }
            upto = (size_t)(nl - buf) + 1;
        }
        if (upto && process_block(&L, buf, upto) < 0) {
            rc = -1;
            break;
        }
        memmove(buf, buf + upto, have - upto);
        have -= upto;
        report_progress(&L, "reading", input_pos(in), input_total(in), 0);
    }
    free(buf);
    input_close(in);
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
    if (rc == 0 && process_block(&L, data, len) < 0)
        rc = -1;
    if (rc == 0)
        rc = loader_finish(&L);
    loader_free(&L);
    return rc;
}
