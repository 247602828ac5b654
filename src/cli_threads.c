/* cli_threads.c: heapwalk threads: each thread, its stack, and what each frame
 * and local retains (dominator tree), text or --json. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dominators.h"
#include "paths.h"
#include "positions.h"
#include "threads.h"

static void threads_usage(FILE *to)
{
    fputs("usage: heapwalk threads [--json] [--raw] [--strict] [-q] DUMP\n"
          "Lists the threads of a dump (written by heapwalk's scanner or heapwalk dump),\n"
          "innermost frame first, each frame's locals by name, and the bytes each thread,\n"
          "frame and local retains (what freeing it would free). In a dump without threads\n"
          "(meliae's), each frame no other frame refers to starts a stack: thread unknown.\n",
          to);
}

/* A str object's text (a local's name), or "?". */
static void name_of(const struct heap *h, uint32_t o, struct strbuf *out)
{
    size_t len;
    const char *s = heap_is_dangling(o) ? NULL : heap_str(h, o, &len);
    if (s && (h->flags[o] & OF_VALUE))
        sb_add(out, s, len);
    else
        sb_adds(out, "?");
}

static void print_text(const struct heap *h, const struct dominators *d, const struct threads *ts)
{
    struct strbuf sb;
    sb_init(&sb);
    printf("%zu thread%s, %zu stack%s with the thread unknown\n", ts->n_known, ts->n_known == 1 ? "" : "s",
           ts->n - ts->n_known, ts->n - ts->n_known == 1 ? "" : "s");
    for (size_t i = 0; i < ts->n; i++) {
        const struct thread_stack *t = &ts->list[i];
        sb_reset(&sb);
        threads_title(h, t, &sb);
        if (t->thread != OBJ_NONE)
            printf("%s  ident %llu  retains %llu bytes\n", sb_cstr(&sb), (unsigned long long)h->addr[t->thread],
                   (unsigned long long)d->retained[t->thread]);
        else
            printf("%s\n", sb_cstr(&sb));
        for (size_t f = 0; f < t->nframes; f++) {
            obj_t fr = t->frames[f];
            sb_reset(&sb);
            positions_frame_label(h, fr, &sb);
            printf("  #%zu %s  frame %llu  retains %llu bytes\n", f, sb_cstr(&sb), (unsigned long long)h->addr[fr],
                   (unsigned long long)d->retained[fr]);
            size_t nloc = positions_frame_locals(h, fr);
            for (size_t q = 0; q < nloc; q++) {
                uint32_t v, nm;
                threads_local(h, fr, q, &v, &nm);
                sb_reset(&sb);
                name_of(h, nm, &sb);
                if (heap_is_dangling(v))
                    printf("      %s  <missing>\n", sb_cstr(&sb));
                else
                    printf("      %s  %s %llu  retains %llu bytes\n", sb_cstr(&sb), heap_type_name(h, v),
                           (unsigned long long)h->addr[v], (unsigned long long)d->retained[v]);
            }
        }
    }
    sb_free(&sb);
}

static cJSON *frame_json(const struct heap *h, const struct dominators *d, obj_t fr, struct strbuf *sb)
{
    cJSON *jf = cJSON_CreateObject();
    size_t len;
    const char *s = heap_str(h, fr, &len);
    sb_reset(sb);
    if (s && (h->flags[fr] & OF_VALUE))
        sb_add(sb, s, len);
    cJSON_AddStringToObject(jf, "function", sb->len ? sb_cstr(sb) : "");
    uint32_t line = heap_line(h, fr);
    if (line)
        cli_json_u64(jf, "line", line);
    else
        cJSON_AddNullToObject(jf, "line");
    cli_json_u64(jf, "address", h->addr[fr]);
    cli_json_u64(jf, "retained", d->retained[fr]);
    cJSON *jl = cJSON_AddArrayToObject(jf, "locals");
    size_t nloc = positions_frame_locals(h, fr);
    for (size_t q = 0; q < nloc; q++) {
        uint32_t v, nm;
        threads_local(h, fr, q, &v, &nm);
        cJSON *it = cJSON_CreateObject();
        sb_reset(sb);
        name_of(h, nm, sb);
        cJSON_AddStringToObject(it, "name", sb_cstr(sb));
        if (heap_is_dangling(v)) {
            cJSON_AddNullToObject(it, "address");
        } else {
            cli_json_u64(it, "address", h->addr[v]);
            cJSON_AddStringToObject(it, "type", heap_type_name(h, v));
            cli_json_u64(it, "retained", d->retained[v]);
        }
        cJSON_AddItemToArray(jl, it);
    }
    return jf;
}

static void print_json(const struct heap *h, const struct dominators *d, const struct threads *ts)
{
    struct strbuf sb;
    sb_init(&sb);
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "threads");
    for (size_t i = 0; i < ts->n; i++) {
        const struct thread_stack *t = &ts->list[i];
        cJSON *jt = cJSON_CreateObject();
        size_t len;
        const char *s = t->thread != OBJ_NONE ? heap_str(h, t->thread, &len) : NULL;
        if (s) {
            sb_reset(&sb);
            sb_add(&sb, s, len);
            cJSON_AddStringToObject(jt, "name", sb_cstr(&sb));
        } else {
            cJSON_AddNullToObject(jt, "name");
        }
        if (t->thread != OBJ_NONE) {
            cli_json_u64(jt, "ident", h->addr[t->thread]);
            cli_json_u64(jt, "retained", d->retained[t->thread]);
        } else {
            cJSON_AddNullToObject(jt, "ident");
            cJSON_AddNullToObject(jt, "retained");
        }
        cJSON *jfs = cJSON_AddArrayToObject(jt, "frames");
        for (size_t f = 0; f < t->nframes; f++)
            cJSON_AddItemToArray(jfs, frame_json(h, d, t->frames[f], &sb));
        cJSON_AddItemToArray(arr, jt);
    }
    sb_free(&sb);
    cli_json_print(root);
}

int cli_threads(int argc, char **argv)
{
    static const struct cli_spec spec = {"threads", threads_usage, NULL, NULL, 1, 1,
                                         "wants one dump (a file, or - for stdin)"};
    struct cli_common co;
    int first, status = cli_parse(&spec, argc, argv, &co, NULL, &first);
    if (status >= 0)
        return status;
    struct heap h;
    if (cli_open(argv[first], &co, &h) < 0)
        return EXIT_FAIL;
    struct roots r;
    struct dominators d;
    cli_analyse(&h, NULL, 0, 0, &r, NULL, &d);
    struct threads ts;
    threads_compute(&h, &r, &ts);
    if (co.json)
        print_json(&h, &d, &ts);
    else
        print_text(&h, &d, &ts);
    threads_free(&ts);
    dominators_free(&d);
    roots_free(&r);
    heap_free(&h);
    return EXIT_OK;
}
