#include "retained.h"

#include <stdlib.h>
#include <string.h>

#include "../src/util.h"

/* A key and the object it belongs to. */
struct keyed {
    uint64_t key;
    obj_t obj;
};

enum { DIGIT_BITS = 11, BUCKETS = 1 << DIGIT_BITS };

void retained_sort(obj_t *objs, size_t n, const uint64_t *retained, int reverse)
{
    if (n < 2)
        return;
    /* Descending order is ascending order of the complemented keys; an LSD
     * radix sort is stable, and only the bits that differ need a pass. */
    struct keyed *a = xmalloc(n * sizeof *a, "a sort by retained size");
    struct keyed *b = xmalloc(n * sizeof *b, "a sort by retained size");
    uint64_t all_and = ~(uint64_t)0, all_or = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = retained[objs[i]];
        a[i] = (struct keyed){reverse ? k : ~k, objs[i]};
        all_and &= a[i].key;
        all_or |= a[i].key;
    }
    uint64_t varying = all_and ^ all_or;
    size_t *count = xmalloc(BUCKETS * sizeof *count, "a sort by retained size");
    for (int shift = 0; shift < 64 && varying >> shift; shift += DIGIT_BITS) {
        if (!((varying >> shift) & (BUCKETS - 1)))
            continue; /* every key has the same digit here */
        memset(count, 0, BUCKETS * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(a[i].key >> shift) & (BUCKETS - 1)]++;
        size_t sum = 0;
        for (size_t v = 0; v < BUCKETS; v++) {
            size_t c = count[v];
            count[v] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[(a[i].key >> shift) & (BUCKETS - 1)]++] = a[i];
        struct keyed *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        objs[i] = a[i].obj;
    free(count);
    free(a);
    free(b);
}
