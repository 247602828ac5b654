/* testgraph.h: what the graph tests (test_paths.c, test_roots.c,
 * test_dominators.c) share: dump lines written inline, a loaded graph with
 * its roots (and dominator tree), and a seeded random number source for the
 * random graphs they check against their models. */
#ifndef HW_TESTGRAPH_H
#define HW_TESTGRAPH_H

#include "testutil.h"

#include "dominators.h"
#include "roots.h"

/* One dump line: O(1, "list", "2, 3") for a 16-byte object, ON(1, "module",
 * "app", "2") with a name, OX(addr, type, "extra fields, ", refs) with
 * anything else, OS(1, "list", 64, "2") with a size. */
#define TG_LINE(addr, type, size, extra, refs) \
    "{\"address\": " #addr ", \"type\": \"" type "\", \"size\": " #size ", " extra "\"refs\": [" refs "]}\n"
#define O(addr, type, refs) TG_LINE(addr, type, 16, "", refs)
#define ON(addr, type, name, refs) TG_LINE(addr, type, 16, "\"name\": \"" name "\", ", refs)
#define OX(addr, type, extra, refs) TG_LINE(addr, type, 16, extra, refs)
#define OS(addr, type, size, refs) TG_LINE(addr, type, size, "", refs)

/* A loaded graph, its roots and, when asked for, its dominator tree. */
struct tg_graph {
    struct heap h;
    struct roots r;
    struct dominators d;
    int has_dom;
};

/* The roots of g->h (loaded already), and with dom the dominator tree. */
static inline void tg_analyse(struct tg_graph *g, int dom)
{
    roots_compute(&g->h, NULL, 0, &g->r);
    g->has_dom = dom;
    if (dom)
        dominators_compute(&g->h, &g->r, &g->d);
}

/* Load text (collapse as meliae does, or raw) and find its roots. */
static inline void tg_load(struct tg_graph *g, const char *text, int collapse)
{
    tu_load(text, collapse, &g->h);
    tg_analyse(g, 0);
}

/* Load text raw (no collapse gets in the way), its roots and dominator tree. */
static inline void tg_load_dom(struct tg_graph *g, const char *text)
{
    tu_load(text, 0, &g->h);
    tg_analyse(g, 1);
}

static inline void tg_free(struct tg_graph *g)
{
    if (g->has_dom)
        dominators_free(&g->d);
    roots_free(&g->r);
    heap_free(&g->h);
}

/* The object at addr, which must exist. */
static inline obj_t A(const struct tg_graph *g, uint64_t addr)
{
    return tu_obj(&g->h, addr);
}

/* A fixed sequence of pseudo-random numbers (a 64-bit LCG): the same graphs
 * on every run.  Seed with rng_state = SEED. */
static uint64_t rng_state __attribute__((unused));
static inline uint32_t rnd(uint32_t below)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng_state >> 33) % below);
}

/* The address of object i of a random graph. */
static inline uint64_t m_addr(size_t i)
{
    return 0x7f0000001000ull + 48 * (uint64_t)i;
}

#endif
