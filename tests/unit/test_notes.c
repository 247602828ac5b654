/* test_notes.c: the load notes (src/notes.c), the list stderr and the
 * explorer both read: skipped lines with their line numbers, repeated
 * addresses, dangling refs, in stderr's order and words. */
#include "testutil.h"

#include <stdio.h>
#include <unistd.h>

#include "notes.h"
#include "open.h"

/* Loads text (the load must succeed) and collects its notes as "t.json". */
static void load_notes_of(const char *text, struct heap *h, struct load_notes *notes)
{
    struct load_options opt;
    load_options_default(&opt);
    struct load_report rep;
    struct hw_error err = {{0}};
    heap_init(h);
    assert_int_equal(load_buffer("t.json", text, strlen(text), &opt, h, &rep, &err), 0);
    notes_collect("t.json", &rep, h, notes);
}

static void test_notes_of_a_bad_dump(void **state)
{
    static const char text[] =
        "{\"address\": 1, \"type\": \"list\", \"size\": 5, \"refs\": [2, 9]}\n"
        "garbage\n"
        "{\"address\": 2, \"type\": \"int\", \"size\": 5, \"refs\": []}\n"
        "{\"address\": 2, \"type\": \"str\", \"size\": 5, \"refs\": []}\n";
    struct heap h;
    struct load_notes notes;
    load_notes_of(text, &h, &notes);
    assert_int_equal(notes.n, 4);
    assert_int_equal(notes.v[0].kind, NOTE_BAD_LINES);
    assert_string_equal(notes.v[0].text, "t.json: skipped 1 bad line (--strict stops at the first):");
    assert_int_equal(notes.v[1].kind, NOTE_BAD_LINE);
    assert_int_equal(notes.v[1].line, 2);
    assert_non_null(strstr(notes.v[1].text, "t.json:2: "));
    assert_int_equal(notes.v[2].kind, NOTE_DUPLICATES);
    assert_int_equal(notes.v[3].kind, NOTE_DANGLING);
    assert_string_equal(notes.v[3].text, "t.json: 1 refs point to 1 addresses that are not in the dump");
    notes_free(&notes);
    heap_free(&h);
}

static void test_no_notes_for_a_clean_dump(void **state)
{
    static const char text[] = "{\"address\": 1, \"type\": \"int\", \"size\": 5, \"refs\": []}\n";
    struct heap h;
    struct load_notes notes;
    load_notes_of(text, &h, &notes);
    assert_int_equal(notes.n, 0);
    notes_free(&notes);
    heap_free(&h);
}

/* The explorer's way in: open_dump_notes keeps the notes for its screen and
 * writes none of them to stderr (which the screen would hide), -q or not. */
static void test_open_dump_keeps_the_notes(void **state)
{
    char path[] = "/tmp/hw-notes-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char text[] = "{\"address\": 1, \"type\": \"list\", \"size\": 5, \"refs\": [9]}\n"
                               "not json\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    FILE *err = tmpfile();
    assert_non_null(err);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fileno(err), STDERR_FILENO);
    struct open_options o;
    open_options_init(&o);
    struct heap h;
    struct load_notes notes;
    int rc = open_dump_notes(path, &o, &h, &notes);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    unlink(path);
    assert_int_equal(rc, 0);
    assert_int_equal(ftell(err), 0); /* nothing said on stderr */
    fclose(err);
    assert_int_equal(notes.n, 3);
    assert_int_equal(notes.v[0].kind, NOTE_BAD_LINES);
    assert_int_equal(notes.v[1].kind, NOTE_BAD_LINE);
    assert_int_equal(notes.v[1].line, 2);
    assert_non_null(strstr(notes.v[1].text, ":2: "));
    assert_int_equal(notes.v[2].kind, NOTE_DANGLING);
    notes_free(&notes);
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notes_of_a_bad_dump),
        cmocka_unit_test(test_no_notes_for_a_clean_dump),
        cmocka_unit_test(test_open_dump_keeps_the_notes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
