/* libFuzzer target: a whole dump through the loader (two threads, collapse
 * on), then every analysis a user can reach: summary, roots, paths,
 * dominators. Nothing may crash, leak or hang. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dominators.h"
#include "load.h"
#include "paths.h"
#include "refs.h"
#include "roots.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct load_options opt;
    struct load_report rep;
    struct hw_error err;
    struct heap h;
    load_options_default(&opt);
    opt.threads = 2;
    opt.collapse = size % 2 == 0;
    heap_init(&h);
    if (load_buffer("fuzz", (const char *)data, size, &opt, &h, &rep, &err) == 0) {
        struct summary s;
        struct strbuf out;
        summary_compute(&h, &s);
        sb_init(&out);
        summary_format(&h, &s, 0, &out);
        for (obj_t i = 0; i < h.n && i < 64; i++) {
            struct dict_view dv;
            refs_repr(&h, i, 20, &out);
            if (refs_as_dict(&h, i, &dv) == 0)
                refs_dict_free(&dv);
        }
        struct roots r;
        struct paths p;
        struct dominators d;
        roots_compute(&h, NULL, 0, &r);
        paths_compute(&h, &r, 0, &p);
        if (p.n_unreached)
            abort(); /* the structural roots must reach everything */
        dominators_compute(&h, &r, &d);
        if (h.n) {
            size_t len;
            obj_t *path = paths_find(&h, &r, (obj_t)(h.n - 1), NULL, &len);
            if (path)
                paths_expression(&h, &r, path, len, &out);
            free(path);
        }
        dominators_free(&d);
        paths_free(&p);
        roots_free(&r);
        sb_free(&out);
        summary_free(&s);
    }
    heap_free(&h);
    return 0;
}
