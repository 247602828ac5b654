/* libFuzzer target: a whole dump through the loader (two threads, collapse
 * on), then every analysis a user can reach: summary, roots, paths,
 * dominators. Nothing may crash, leak or hang. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "analyse.h"
#include "load.h"

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
    if (load_buffer("fuzz", (const char *)data, size, &opt, &h, &rep, &err) == 0)
        fuzz_analyse(&h, 1); /* the structural roots must reach everything */
    heap_free(&h);
    return 0;
}
