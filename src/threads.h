/* threads.h: the threads of a dump and their stacks, for `heapwalk threads`
 * (and a Threads screen: it only draws what this gives).
 *
 * heapwalk's scanner writes each thread as an object of type "thread" (its
 * address the thread's ident, its name the thread's name) whose children are
 * the frames of its stack, innermost first; the frames on a stack start their
 * children with [value, name] pairs of their locals ("len" pairs), and their
 * "line" key is kept (heap_line). A dump
 * without threads (meliae's, Python 2.7 to 3.10, where frames are objects)
 * gets one stack per frame root (a frame no frame refers to), followed down
 * f_back: the thread is unknown. */
#ifndef HW_THREADS_H
#define HW_THREADS_H

#include <stddef.h>

#include "heap.h"
#include "roots.h"
#include "util.h"

struct thread_stack {
    obj_t thread;            /* the "thread" object, or OBJ_NONE: unknown */
    obj_t *frames;           /* innermost first */
    size_t nframes;
};

struct threads {
    struct thread_stack *list;   /* threads in dump order, then the unknown ones */
    size_t n, n_known;
};

void threads_compute(const struct heap *h, const struct roots *r, struct threads *t);
void threads_free(struct threads *t);
/* "thread 'worker-1'" (the name as a Python literal), or "thread unknown". */
void threads_title(const struct heap *h, const struct thread_stack *t, struct strbuf *out);

/* The i-th named local of a frame on a stack (i < positions_frame_locals()): its
 * value (an object number, or a dangling ref) and its name (a str object). */
void threads_local(const struct heap *h, obj_t frame, size_t i, uint32_t *value, uint32_t *name);

#endif
