/* test_threads.c: threads_compute on hand-made dumps (heapwalk's scanner's
 * thread objects; meliae's frame roots down f_back), and how paths through a
 * thread and a frame's named locals read. */
#include "testutil.h"

#include "paths.h"
#include "positions.h"
#include "roots.h"
#include "threads.h"

/* A thread 'worker-1' (100) whose stack is handle (30) then run (20); handle's
 * locals: batch (list 2) and n (int 3), written as [value, name] pairs. */
static const char scanner_dump[] =
    "{\"address\": 100, \"type\": \"thread\", \"size\": 0, \"name\": \"worker-1\", \"refs\": [30, 20]}\n"
    "{\"address\": 30, \"type\": \"frame\", \"size\": 16, \"len\": 2, \"value\": \"handle\", \"refs\": [2, 7, 3, 8, 50], "
    "\"file\": \"app.py\", \"line\": 88}\n"
    "{\"address\": 20, \"type\": \"frame\", \"size\": 16, \"len\": 0, \"value\": \"run\", \"refs\": [], \"line\": \"x\"}\n"
    "{\"address\": 2, \"type\": \"list\", \"size\": 72, \"len\": 3, \"refs\": [6, 5, 4]}\n"
    "{\"address\": 4, \"type\": \"Item\", \"size\": 48, \"refs\": []}\n"
    "{\"address\": 5, \"type\": \"Item\", \"size\": 48, \"refs\": []}\n"
    "{\"address\": 6, \"type\": \"Item\", \"size\": 48, \"refs\": []}\n"
    "{\"address\": 3, \"type\": \"int\", \"size\": 28, \"value\": 7, \"refs\": []}\n"
    "{\"address\": 7, \"type\": \"str\", \"size\": 54, \"len\": 5, \"value\": \"batch\", \"refs\": []}\n"
    "{\"address\": 8, \"type\": \"str\", \"size\": 50, \"len\": 1, \"value\": \"n\", \"refs\": []}\n"
    "{\"address\": 50, \"type\": \"code\", \"size\": 100, \"refs\": []}\n";

static void test_scanner_threads(void **state)
{
    struct heap h;
    struct roots r;
    struct threads ts;
    tu_load(scanner_dump, 0, &h);
    roots_compute(&h, NULL, 0, &r);
    threads_compute(&h, &r, &ts);
    assert_int_equal(ts.n, 1);
    assert_int_equal(ts.n_known, 1);
    assert_int_equal(ts.list[0].thread, tu_obj(&h, 100));
    assert_int_equal(ts.list[0].nframes, 2);
    assert_int_equal(ts.list[0].frames[0], tu_obj(&h, 30));
    assert_int_equal(ts.list[0].frames[1], tu_obj(&h, 20));
    obj_t handle = tu_obj(&h, 30);
    assert_int_equal(positions_frame_locals(&h, handle), 2);
    assert_int_equal(positions_frame_locals(&h, tu_obj(&h, 20)), 0);
    uint32_t v, nm;
    threads_local(&h, handle, 1, &v, &nm);
    assert_int_equal(v, tu_obj(&h, 3));
    assert_int_equal(nm, tu_obj(&h, 8));

    /* The path to an Item: thread > frame > local > list position. */
    struct paths p;
    paths_compute(&h, &r, 0, &p);
    size_t len;
    obj_t *path = paths_get(&p, tu_obj(&h, 5), &len);
    assert_non_null(path);
    assert_int_equal(len, 4);
    struct strbuf sb;
    sb_init(&sb);
    paths_expression(&h, &r, path, len, &sb);
    assert_string_equal(sb_cstr(&sb), "thread 'worker-1' > handle():88 > batch[1]");
    assert_int_equal(heap_line(&h, handle), 88);
    assert_int_equal(heap_line(&h, tu_obj(&h, 20)), 0);
    sb_reset(&sb);
    paths_edge_label(&h, handle, tu_obj(&h, 50), &sb);
    assert_string_equal(sb_cstr(&sb), ".<ref #4>"); /* past the locals: only its number */
    sb_free(&sb);
    free(path);
    paths_free(&p);
    threads_free(&ts);
    roots_free(&r);
    heap_free(&h);
    (void)state;
}

/* meliae on 3.10: no threads; frames refer to f_back first. 30 -> 20 -> 10 is
 * one stack, 40 another; 20 also holds a local frame (a generator's, 60). */
static void test_frame_roots_down_f_back(void **state)
{
    static const char text[] =
        "{\"address\": 30, \"type\": \"frame\", \"size\": 16, \"value\": \"top\", \"refs\": [20, 50]}\n"
        "{\"address\": 20, \"type\": \"frame\", \"size\": 16, \"value\": \"mid\", \"refs\": [10, 60]}\n"
        "{\"address\": 10, \"type\": \"frame\", \"size\": 16, \"value\": \"main\", \"refs\": [50]}\n"
        "{\"address\": 60, \"type\": \"frame\", \"size\": 16, \"value\": \"gen\", \"refs\": []}\n"
        "{\"address\": 40, \"type\": \"frame\", \"size\": 16, \"value\": \"other\", \"refs\": [40]}\n"
        "{\"address\": 50, \"type\": \"code\", \"size\": 16, \"refs\": []}\n";
    struct heap h;
    struct roots r;
    struct threads ts;
    tu_load(text, 0, &h);
    roots_compute(&h, NULL, 0, &r);
    threads_compute(&h, &r, &ts);
    assert_int_equal(ts.n_known, 0);
    assert_int_equal(ts.n, 1); /* 40 refers to itself: held by a frame, not a root */
    assert_int_equal(ts.list[0].thread, OBJ_NONE);
    assert_int_equal(ts.list[0].nframes, 3);
    assert_int_equal(h.addr[ts.list[0].frames[0]], 30);
    assert_int_equal(h.addr[ts.list[0].frames[1]], 20);
    assert_int_equal(h.addr[ts.list[0].frames[2]], 10);
    struct strbuf sb;
    sb_init(&sb);
    paths_edge_label(&h, tu_obj(&h, 30), tu_obj(&h, 20), &sb);
    assert_string_equal(sb_cstr(&sb), ".f_back");
    sb_reset(&sb);
    paths_edge_label(&h, tu_obj(&h, 20), tu_obj(&h, 60), &sb);
    assert_string_equal(sb_cstr(&sb), ".<ref #1>");
    sb_reset(&sb);
    paths_root_label(&h, &r, NULL, tu_obj(&h, 30), &sb);
    assert_string_equal(sb_cstr(&sb), "<frame 'top'>");
    sb_free(&sb);
    threads_free(&ts);
    roots_free(&r);
    heap_free(&h);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner_threads),
        cmocka_unit_test(test_frame_roots_down_f_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
