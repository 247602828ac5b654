/* analyse.h: what the fuzz targets run on a store they got: every analysis a
 * user can reach (summary, reprs, refs as a dict, roots, paths, dominators, a
 * path expression).  With require_reached, the structural roots must reach
 * every object (true of any store the loader builds). */
#ifndef HW_FUZZ_ANALYSE_H
#define HW_FUZZ_ANALYSE_H

#include <stdlib.h>

#include "dominators.h"
#include "heap.h"
#include "paths.h"
#include "refs.h"
#include "roots.h"
#include "summary.h"

static void fuzz_analyse(struct heap *h, int require_reached)
{
    struct summary s;
    struct strbuf out;
    summary_compute(h, &s);
    sb_init(&out);
    summary_format(h, &s, 0, &out);
    for (obj_t i = 0; i < h->n && i < 64; i++) {
        struct dict_view dv;
        refs_repr(h, i, 20, &out);
        if (refs_as_dict(h, i, &dv) == 0)
            refs_dict_free(&dv);
        heap_find(h, h->addr[i] + 16);
    }
    struct roots r;
    struct paths p;
    struct dominators d;
    roots_compute(h, NULL, 0, &r);
    paths_compute(h, &r, 0, &p);
    if (require_reached && p.n_unreached)
        abort();
    dominators_compute(h, &r, &d);
    if (h->n) {
        size_t len;
        obj_t *path = paths_find(h, &r, (obj_t)(h->n - 1), NULL, &len);
        if (path)
            paths_expression(h, &r, path, len, &out);
        free(path);
    }
    dominators_free(&d);
    paths_free(&p);
    roots_free(&r);
    sb_free(&out);
    summary_free(&s);
}

#endif
