/* test_suspects.c: single-object and group suspects, MAT's accumulation
 * point, what a group retains together (shared children included), root-level
 * groups (parentless objects, anchors excepted), and what grew. */
#include "testutil.h"

#include "suspects.h"

#define O(addr, type, size, refs) \
    "{\"address\": " #addr ", \"type\": \"" type "\", \"size\": " #size ", \"refs\": [" refs "]}\n"

struct fixture {
    struct heap h;
    struct roots r;
    struct dominators d;
};

static void fx_load(struct fixture *f, const char *text)
{
    tu_load(text, 0, &f->h);
    roots_compute(&f->h, NULL, 0, &f->r);
    dominators_compute(&f->h, &f->r, &f->d);
}

static void fx_free(struct fixture *f)
{
    dominators_free(&f->d);
    roots_free(&f->r);
    heap_free(&f->h);
}

/* module 1 -> holder 2 -> list 3 -> Rec 10..13, each with its own str 20..23
 * and all sharing str 30; module 4 holds a small dict 5. Sizes: the Recs and
 * their strs dominate. */
static const char leak[] =
    O(1, "module", 100, "2") O(2, "Holder", 50, "3") O(3, "list", 80, "10, 11, 12, 13")
    O(10, "Rec", 1000, "20, 30") O(11, "Rec", 1000, "21, 30") O(12, "Rec", 1000, "22, 30")
    O(13, "Rec", 1000, "23, 30") O(20, "str", 500, "") O(21, "str", 500, "") O(22, "str", 500, "")
    O(23, "str", 500, "") O(30, "str", 300, "") O(4, "module", 100, "5") O(5, "dict", 70, "");

static const struct suspect_type *holds(const struct fixture *f, const struct suspect *s, const char *type)
{
    for (size_t k = 0; k < s->n_holds; k++)
        if (strcmp(types_name(&f->h.types, s->holds[k].type), type) == 0)
            return &s->holds[k];
    return NULL;
}

static void test_single_and_group(void **state)
{
    (void)state;
    struct fixture f;
    fx_load(&f, leak);
    struct suspects s;
    suspects_compute(&f.h, &f.r, &f.d, NULL, 0.10, &s);
    assert_int_equal(s.total, 100 + 50 + 80 + 4000 + 2000 + 300 + 100 + 70);
    assert_int_equal(s.n, 2);
    /* The module retains everything under it; the accumulation point is the
     * list (Holder keeps >= 70% of the module's size, the list of Holder's;
     * no Rec keeps 70% of the list's). */
    const struct suspect *one = &s.list[0];
    assert_false(one->is_group);
    assert_int_equal(f.h.addr[one->object], 1);
    assert_int_equal(one->retained, 100 + 50 + 80 + 4000 + 2000 + 300);
    assert_int_equal(f.h.addr[one->accumulation], 3);
    assert_int_equal(one->held_objects, 12);
    /* The 4 Recs under the list, with their own strs and the one they share. */
    const struct suspect *g = &s.list[1];
    assert_true(g->is_group);
    assert_int_equal(g->n_objects, 4);
    assert_string_equal(types_name(&f.h.types, g->type), "Rec");
    assert_int_equal(f.h.addr[g->accumulation], 3);
    assert_int_equal(g->retained, 4000 + 2000 + 300);
    assert_int_equal(holds(&f, g, "str")->count, 5);
    assert_int_equal(holds(&f, g, "str")->bytes, 2300);
    assert_int_equal(holds(&f, g, "Rec")->count, 4);
    assert_null(holds(&f, g, "list"));
    assert_int_equal(g->new_objects, 0);
    suspects_free(&s);

    /* A higher share leaves only the module; the small module is never one. */
    suspects_compute(&f.h, &f.r, &f.d, NULL, 0.95, &s);
    assert_int_equal(s.n, 1);
    assert_false(s.list[0].is_group);
    suspects_free(&s);
    fx_free(&f);
}

static void test_shared_str_held_from_outside(void **state)
{
    (void)state;
    /* The shared str is also referenced from module 4: the group does not retain it. */
    static const char text[] =
        O(1, "module", 100, "3") O(3, "list", 80, "10, 11") O(10, "Rec", 1000, "30") O(11, "Rec", 1000, "30")
        O(30, "str", 300, "") O(4, "module", 100, "30");
    struct fixture f;
    fx_load(&f, text);
    struct suspects s;
    suspects_compute(&f.h, &f.r, &f.d, NULL, 0.10, &s);
    const struct suspect *g = NULL;
    for (size_t k = 0; k < s.n; k++)
        if (s.list[k].is_group)
            g = &s.list[k];
    assert_non_null(g);
    assert_int_equal(g->retained, 2000);
    assert_null(holds(&f, g, "str"));
    suspects_free(&s);
    fx_free(&f);
}

static void test_root_level_group_and_new(void **state)
{
    (void)state;
    /* Parentless Leaked objects (a refcount leak) form a group with no
     * holder; the modules, though many, do not. */
    static const char text[] =
        O(1, "module", 10, "") O(2, "module", 10, "") O(3, "module", 10, "") O(10, "Leaked", 100, "20")
        O(11, "Leaked", 100, "") O(12, "Leaked", 100, "") O(20, "bytes", 50, "");
    struct fixture f;
    fx_load(&f, text);
    uint8_t *is_new = calloc(f.h.n, 1);
    assert_non_null(is_new);
    is_new[tu_obj(&f.h, 11)] = 1;
    is_new[tu_obj(&f.h, 20)] = 1;
    struct suspects s;
    suspects_compute(&f.h, &f.r, &f.d, is_new, 0.10, &s);
    assert_true(s.have_old);
    assert_int_equal(s.n, 1);
    const struct suspect *g = &s.list[0];
    assert_true(g->is_group);
    assert_int_equal(g->accumulation, OBJ_NONE);
    assert_int_equal(g->n_objects, 3);
    assert_int_equal(g->retained, 350);
    assert_int_equal(g->new_objects, 2);
    assert_int_equal(g->new_bytes, 150);
    assert_int_equal(holds(&f, g, "bytes")->new_count, 1);
    suspects_free(&s);
    free(is_new);
    fx_free(&f);
}

/* suspects_compute_sets keeps each suspect's dominated set: the objects its
 * holds table counts, ascending; the group's members are among them. */
static void test_sets_kept(void **state)
{
    (void)state;
    struct fixture f;
    fx_load(&f, leak);
    struct suspects s, plain;
    suspects_compute_sets(&f.h, &f.r, &f.d, NULL, 0.10, &s);
    suspects_compute(&f.h, &f.r, &f.d, NULL, 0.10, &plain);
    assert_int_equal(s.n, plain.n);
    for (size_t j = 0; j < s.n; j++) {
        const struct suspect *x = &s.list[j];
        assert_null(plain.list[j].held);
        assert_int_equal(x->held_objects, plain.list[j].held_objects);
        assert_non_null(x->held);
        uint64_t bytes = 0, members = 0;
        for (uint64_t k = 0; k < x->held_objects; k++) {
            if (k)
                assert_true(x->held[k - 1] < x->held[k]);
            bytes += heap_size(&f.h, x->held[k]);
            members += suspects_is_member(&f.h, &f.d, x, x->held[k]);
        }
        assert_int_equal(bytes, x->held_bytes);
        for (size_t t = 0; t < x->n_holds; t++) {
            uint64_t c = 0;
            for (uint64_t k = 0; k < x->held_objects; k++)
                c += f.h.type[x->held[k]] == x->holds[t].type;
            assert_int_equal(c, x->holds[t].count);
        }
        assert_int_equal(members, x->n_objects); /* a group's members, or the object itself */
    }
    suspects_free(&s);
    suspects_free(&plain);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_and_group),
        cmocka_unit_test(test_sets_kept),
        cmocka_unit_test(test_shared_str_held_from_outside),
        cmocka_unit_test(test_root_level_group_and_new),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
