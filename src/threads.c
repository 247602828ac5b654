#include "threads.h"

#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "positions.h"
#include "refs.h"
#include "util.h"

#define MAX_STACK 100000

static void push(struct threads *t, size_t *cap, obj_t thread, obj_t *frames, size_t n)
{
    if (t->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        t->list = xreallocarray(t->list, *cap, sizeof *t->list, "the thread list");
    }
    t->list[t->n++] = (struct thread_stack){thread, frames, n};
}

static int is_frame(const struct heap *h, uint32_t c, uint32_t t_frame)
{
    return !heap_is_dangling(c) && h->type[c] == t_frame;
}

/* A "thread" object's stack: its frame children, in order. */
static obj_t *thread_frames(const struct heap *h, obj_t th, uint32_t t_frame, size_t *n)
{
    const uint32_t *c = heap_children(h, th);
    size_t nc = heap_nchildren(h, th);
    obj_t *out = xmalloc((nc ? nc : 1) * sizeof *out, "a thread's stack");
    *n = 0;
    for (size_t k = 0; k < nc; k++)
        if (is_frame(h, c[k], t_frame))
            out[(*n)++] = c[k];
    return out;
}

/* A frame root's stack, down f_back: the first frame child after the locals. */
static obj_t *frame_chain(const struct heap *h, obj_t top, uint32_t t_frame, size_t *n)
{
    size_t cap = 8;
    obj_t *out = xmalloc(cap * sizeof *out, "a stack");
    *n = 0;
    for (obj_t f = top; f != OBJ_NONE && *n < MAX_STACK;) {
        for (size_t q = 0; q < *n; q++)
            if (out[q] == f)
                return out; /* a cycle: not a stack */
        if (*n == cap) {
            cap *= 2;
            out = xreallocarray(out, cap, sizeof *out, "a stack");
        }
        out[(*n)++] = f;
        const uint32_t *c = heap_children(h, f);
        size_t nc = heap_nchildren(h, f), k = 2 * positions_frame_locals(h, f);
        while (k < nc && !is_frame(h, c[k], t_frame))
            k++;
        f = k < nc ? c[k] : OBJ_NONE;
    }
    return out;
}

void threads_compute(const struct heap *h, const struct roots *r, struct threads *t)
{
    memset(t, 0, sizeof *t);
    size_t cap = 0, n;
    uint32_t t_frame = types_lookup(&h->types, "frame");
    for (size_t i = 0; i < r->n_anchor; i++) {
        obj_t o = r->list[i];
        if (r->kind[o] == ROOT_THREAD) {
            obj_t *frames = thread_frames(h, o, t_frame, &n);
            push(t, &cap, o, frames, n);
        }
    }
    t->n_known = t->n;
    for (size_t i = 0; i < r->n_anchor; i++) {
        obj_t o = r->list[i];
        if (r->kind[o] == ROOT_FRAME) {
            obj_t *frames = frame_chain(h, o, t_frame, &n);
            push(t, &cap, OBJ_NONE, frames, n);
        }
    }
}

void threads_free(struct threads *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->list[i].frames);
    free(t->list);
    memset(t, 0, sizeof *t);
}

void threads_local(const struct heap *h, obj_t frame, size_t i, uint32_t *value, uint32_t *name)
{
    const uint32_t *c = heap_children(h, frame);
    *value = c[2 * i];
    *name = c[2 * i + 1];
}

void threads_title(const struct heap *h, const struct thread_stack *t, struct strbuf *out)
{
    size_t len;
    if (t->thread == OBJ_NONE) {
        sb_adds(out, "thread unknown");
        return;
    }
    const char *s = heap_str(h, t->thread, &len);
    sb_adds(out, "thread ");
    if (s)
        refs_py_quote(s, len, out);
    else
        sb_adds(out, "?");
}
