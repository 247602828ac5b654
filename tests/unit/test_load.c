/* test_load.c: load_buffer and load_dump: plain and gzip files, strict and
 * lenient handling of bad lines with their line numbers across threads and
 * read blocks, file errors, very long lines, the array form and CRLF. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "load.h"

static char tmpdir[256];

static int group_setup(void **state)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/hw-test-load-XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void tmp_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", tmpdir, name);
}

static void write_plain(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len)
        assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_gz(const char *path, const char *data, size_t len)
{
    gzFile gz = gzopen(path, "wb1");
    assert_non_null(gz);
    size_t done = 0;
    while (done < len) {
        unsigned chunk = len - done > (1u << 24) ? (1u << 24) : (unsigned)(len - done);
        assert_int_equal(gzwrite(gz, data + done, chunk), (int)chunk);
        done += chunk;
    }
    assert_int_equal(gzclose(gz), Z_OK);
}

static off_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_size;
}

static void opts(struct load_options *opt, int collapse, int strict, int threads)
{
    load_options_default(opt);
    opt->collapse = collapse;
    opt->strict = strict;
    opt->threads = threads;
}

/* Two heaps hold the same objects, edges, strings and counts. */
static void assert_heaps_equal(const struct heap *a, const struct heap *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->n_edges, b->n_edges);
    assert_int_equal(a->n_parent_edges, b->n_parent_edges);
    assert_int_equal(a->n_dangling, b->n_dangling);
    assert_int_equal(a->flavour, b->flavour);
    assert_int_equal(a->collapsed, b->collapsed);
    assert_int_equal(a->stats.records, b->stats.records);
    assert_int_equal(a->stats.bad_lines, b->stats.bad_lines);
    assert_int_equal(a->stats.duplicates, b->stats.duplicates);
    assert_int_equal(a->stats.dangling_refs, b->stats.dangling_refs);
    assert_int_equal(a->stats.collapsed, b->stats.collapsed);
    assert_int_equal(a->stats.dicts_removed, b->stats.dicts_removed);
    assert_int_equal(a->stats.redirected, b->stats.redirected);
    assert_int_equal(a->stats.bytes_in, b->stats.bytes_in);
    for (obj_t i = 0; i < a->n; i++) {
        assert_int_equal(a->addr[i], b->addr[i]);
        assert_string_equal(heap_type_name(a, i), heap_type_name(b, i));
        assert_int_equal(heap_size(a, i), heap_size(b, i));
        assert_int_equal(heap_len(a, i), heap_len(b, i));
        assert_int_equal(a->flags[i], b->flags[i]);
        size_t la, lb;
        const char *sa = heap_str(a, i, &la), *sb = heap_str(b, i, &lb);
        assert_int_equal(sa == NULL, sb == NULL);
        assert_int_equal(la, lb);
        if (sa)
            assert_memory_equal(sa, sb, la);
        assert_int_equal(heap_nchildren(a, i), heap_nchildren(b, i));
        for (size_t k = 0; k < heap_nchildren(a, i); k++)
            assert_int_equal(heap_child_addr(a, heap_children(a, i)[k]), heap_child_addr(b, heap_children(b, i)[k]));
        assert_int_equal(heap_nparents(a, i), heap_nparents(b, i));
        for (size_t k = 0; k < heap_nparents(a, i); k++)
            assert_int_equal(a->addr[heap_parents(a, i)[k]], b->addr[heap_parents(b, i)[k]]);
    }
}

/* --- a varied dump, for plain vs gzip --- */

/* Groups of five lines: an instance, its dict, a str, an int, a list with a
 * dangling ref; a type first, one repeated address. */
static size_t varied_line(size_t k, char *buf, size_t cap)
{
    if (k == 0)
        return (size_t)snprintf(buf, cap, "{\"address\": 8, \"type\": \"type\", \"size\": 1064, \"name\": \"Node\", \"refs\": []}");
    if (k == 1)
        return (size_t)snprintf(buf, cap, "{\"address\": 8, \"type\": \"str\", \"size\": 1, \"refs\": []}");
    size_t g = (k - 2) / 5, base = 1000000 + g * 80;
    switch ((k - 2) % 5) {
    case 0:
        return (size_t)snprintf(buf, cap, "{\"address\": %zu, \"type\": \"Node\", \"size\": 48, \"refs\": [%zu, 8]}", base,
                                base + 16);
    case 1:
        return (size_t)snprintf(buf, cap, "{\"address\": %zu, \"type\": \"dict\", \"size\": 104, \"len\": 2, \"refs\": [%zu, %zu]}",
                                base + 16, base + 32, base + 48);
    case 2:
        return (size_t)snprintf(buf, cap,
                                "{\"address\": %zu, \"type\": \"str\", \"size\": 60, \"len\": 9, \"value\": \"n\\u00e9%zu\\n\", \"refs\": []}",
                                base + 32, g % 100000);
    case 3:
        return (size_t)snprintf(buf, cap, "{\"address\": %zu, \"type\": \"int\", \"size\": 32, \"value\": %lld, \"refs\": []}",
                                base + 48, -(long long)g * 1000003LL);
    default:
        return (size_t)snprintf(buf, cap, "{\"address\": %zu, \"type\": \"list\", \"size\": 88, \"len\": 3, \"refs\": [%zu, 7, %zu]}",
                                base + 64, base, g ? base - 80 : 8);
    }
}

/* A load in the background stops when its cancel flag is set (the explorer's
 * Esc), with an error that says so; an unset flag changes nothing. */
static void test_cancel(void **state)
{
    (void)state;
    size_t len;
    char *text = tu_make_dump(2 + 5 * 200, varied_line, &len);
    char path[300];
    tmp_path(path, sizeof path, "cancel.json");
    write_plain(path, text, len);
    for (int stop = 0; stop <= 1; stop++) {
        atomic_int cancel = stop;
        struct load_options opt;
        opts(&opt, 0, 0, 1);
        opt.cache = 0;
        opt.cancel = &cancel;
        struct load_report rep;
        struct hw_error err = {{0}};
        struct heap h;
        heap_init(&h);
        assert_int_equal(load_dump(path, &opt, &h, &rep, &err), stop ? -1 : 0);
        if (stop)
            assert_non_null(strstr(err.msg, "cancel.json: cancelled"));
        else
            assert_int_equal(h.n, 1 + 5 * 200);
        heap_free(&h);
    }
    unlink(path);
    free(text);
}

static void test_gzip_and_plain_identical(void **state)
{
    size_t len;
    char *text = tu_make_dump(2 + 5 * 2000, varied_line, &len);
    char plain[300], gz[300], plain_as_gz[300], gz_as_json[300];
    tmp_path(plain, sizeof plain, "varied.json");
    tmp_path(gz, sizeof gz, "varied.json.gz");
    tmp_path(plain_as_gz, sizeof plain_as_gz, "plain-named.gz");
    tmp_path(gz_as_json, sizeof gz_as_json, "gzip-named.json");
    write_plain(plain, text, len);
    write_plain(plain_as_gz, text, len);
    write_gz(gz, text, len);
    write_gz(gz_as_json, text, len);
    assert_true(file_size(gz) < (off_t)len / 2);

    for (int collapse = 0; collapse <= 1; collapse++) {
        struct load_options opt;
        opts(&opt, collapse, 1, 2);
        struct load_report rep;
        struct hw_error err = {{0}};
        struct heap ref;
        heap_init(&ref);
        assert_int_equal(load_buffer("varied.json", text, len, &opt, &ref, &rep, &err), 0);
        assert_int_equal(ref.n, collapse ? 1 + 4 * 2000 : 1 + 5 * 2000);
        assert_int_equal(ref.stats.records, 2 + 5 * 2000);
        assert_int_equal(ref.stats.duplicates, 1);
        assert_int_equal(ref.stats.dangling_refs, 2000);
        assert_int_equal(ref.stats.bytes_in, len);
        assert_int_equal(ref.collapsed, collapse);
        assert_int_equal(ref.stats.collapsed, collapse ? 2000 : 0);
        /* Spot checks of the content. */
        obj_t n5 = tu_obj(&ref, 1000000 + 5 * 80);
        assert_string_equal(heap_type_name(&ref, n5), "Node");
        assert_int_equal(heap_size(&ref, n5), collapse ? 152 : 48);
        TU_STR(&ref, tu_obj(&ref, 1000000 + 5 * 80 + 32), "n\xc3\xa9" "5\n");
        TU_STR(&ref, tu_obj(&ref, 1000000 + 5 * 80 + 48), "-5000015");
        assert_string_equal(tu_type(&ref, 8), "type");

        const char *paths[] = {plain, gz, plain_as_gz, gz_as_json};
        for (size_t p = 0; p < TU_N(paths); p++) {
            struct heap h;
            heap_init(&h);
            int rc = load_dump(paths[p], &opt, &h, &rep, &err);
            if (rc)
                print_error("%s: %s\n", paths[p], err.msg);
            assert_int_equal(rc, 0);
            assert_int_equal(rep.bad_lines, 0);
            assert_heaps_equal(&ref, &h);
            heap_free(&h);
        }
        heap_free(&ref);
    }
    free(text);
}

static void test_gzip_multi_member(void **state)
{
    /* Two gzip members back to back (what `cat a.gz b.gz` makes) read as one stream. */
    static const char part1[] = "{\"address\": 1, \"type\": \"list\", \"size\": 72, \"refs\": [2]}\n";
    static const char part2[] = "{\"address\": 2, \"type\": \"str\", \"size\": 50, \"value\": \"z\", \"refs\": [1]}\n";
    char p1[300], p2[300], both[300];
    tmp_path(p1, sizeof p1, "m1.gz");
    tmp_path(p2, sizeof p2, "m2.gz");
    tmp_path(both, sizeof both, "both.json.gz");
    write_gz(p1, part1, strlen(part1));
    write_gz(p2, part2, strlen(part2));
    off_t n1 = file_size(p1), n2 = file_size(p2);
    char *buf = malloc((size_t)(n1 + n2));
    assert_non_null(buf);
    FILE *f = fopen(p1, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, (size_t)n1, f), (size_t)n1);
    fclose(f);
    f = fopen(p2, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf + n1, 1, (size_t)n2, f), (size_t)n2);
    fclose(f);
    write_plain(both, buf, (size_t)(n1 + n2));
    free(buf);

    struct load_options opt;
    opts(&opt, 1, 1, 1);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    int rc = load_dump(both, &opt, &h, &rep, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(h.n, 2);
    TU_CHILDREN(&h, tu_obj(&h, 1), 2);
    TU_CHILDREN(&h, tu_obj(&h, 2), 1);
    TU_STR(&h, tu_obj(&h, 2), "z");
    assert_int_equal(h.stats.bytes_in, strlen(part1) + strlen(part2));
    heap_free(&h);
}

/* --- line numbers --- */

/* Line k (0-based) of a big dump: about 110 bytes; the bad ones are chosen by the caller. */
static const size_t *bad_at;   /* sorted 1-based line numbers, ended by 0 */
static size_t big_line(size_t k, char *buf, size_t cap)
{
    for (const size_t *b = bad_at; b && *b; b++) {
        if (*b == k + 1) {
            switch (k % 3) {
            case 0: return (size_t)snprintf(buf, cap, "not json at all %zu", k);
            case 1: return (size_t)snprintf(buf, cap, "{\"address\": %zu, \"type\": \"str\" \"size\": 1}", k);
            default: return (size_t)snprintf(buf, cap, "{\"type\": \"str\", \"size\": %zu}", k);
            }
        }
    }
    return (size_t)snprintf(buf, cap,
                            "{\"address\": %zu, \"type\": \"str\", \"size\": 75, \"len\": 26, "
                            "\"value\": \"abcdefghijklmnopqrstuvwxyz\", \"refs\": [%zu]}",
                            4096 + 16 * k, 4096 + 16 * (k ? k - 1 : 0));
}

/* The reason big_line's bad line k (0-based) gives. */
static void bad_reason(size_t k, char *out, size_t cap)
{
    switch (k % 3) {
    case 0: snprintf(out, cap, "not a JSON object (starts with 'n')"); break;
    case 1: {
        /* {"address": K, "type": "str" "size": 1}: the bad '"' follows "str" and a space. */
        int digits = snprintf(NULL, 0, "%zu", k);
        snprintf(out, cap, "invalid JSON at byte %d: expected ',' or '}'", 12 + digits + 17);
        break;
    }
    default: snprintf(out, cap, "no \"address\""); break;
    }
}

static char *big_dump(size_t n, const size_t *bad, size_t *len)
{
    bad_at = bad;
    char *text = tu_make_dump(n, big_line, len);
    bad_at = NULL;
    return text;
}

static void expect_strict_error(const char *text, size_t len, int threads, size_t line)
{
    struct load_options opt;
    opts(&opt, 1, 1, threads);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    assert_int_equal(load_buffer("big.json", text, len, &opt, &h, &rep, &err), -1);
    char why[256], want[1024];
    bad_reason(line - 1, why, sizeof why);
    snprintf(want, sizeof want, "big.json:%zu: %s", line, why);
    assert_string_equal(err.msg, want);
    heap_free(&h);
}

static void test_strict_line_numbers_threads(void **state)
{
    enum { N = 200000 };
    /* Far into the last thread's part, with a later bad line too. */
    static const size_t late[] = {150001, 190000, 0};
    size_t len;
    char *text = big_dump(N, late, &len);
    expect_strict_error(text, len, 2, 150001);
    expect_strict_error(text, len, 4, 150001);
    /* Spoil line 20000 too: the first in file order is reported, though
     * later parts fail as well. */
    char *p = text;
    for (size_t k = 0; k < 20000 - 1; k++)
        p = strchr(p, '\n') + 1;
    assert_int_equal(*p, '{');
    *p = 'x';
    struct load_options opt;
    opts(&opt, 1, 1, 4);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    assert_int_equal(load_buffer("big.json", text, len, &opt, &h, &rep, &err), -1);
    assert_string_equal(err.msg, "big.json:20000: not a JSON object (starts with 'x')");
    heap_free(&h);
    free(text);
}

static void test_strict_first_and_last_lines(void **state)
{
    /* 1000 lines, about 115 KB: still cut into parts for 2 and 4 threads. */
    enum { N = 1000 };
    static const size_t cases[][3] = {{1, 0, 0}, {N, 0, 0}, {500, 501, 0}, {2, N, 0}};
    for (size_t c = 0; c < TU_N(cases); c++) {
        size_t len;
        char *text = big_dump(N, cases[c], &len);
        assert_true(len > (1u << 16));
        expect_strict_error(text, len, 2, cases[c][0]);
        expect_strict_error(text, len, 4, cases[c][0]);
        free(text);
    }
}

static void test_lenient_counts_and_messages(void **state)
{
    enum { N = 100000 };
    size_t bad[26];
    for (size_t k = 0; k < 25; k++)
        bad[k] = 3 + k * 3967;     /* 3, 3970, ... 95211: spread over every thread's part */
    bad[25] = 0;
    size_t len;
    char *text = big_dump(N, bad, &len);
    for (int threads = 2; threads <= 4; threads *= 2) {
        struct load_options opt;
        opts(&opt, 0, 0, threads);
        struct load_report rep;
        struct hw_error err = {{0}};
        struct heap h;
        heap_init(&h);
        assert_int_equal(load_buffer("big.json", text, len, &opt, &h, &rep, &err), 0);
        assert_int_equal(rep.bad_lines, 25);
        assert_int_equal(h.stats.bad_lines, 25);
        assert_int_equal(h.stats.records, N - 25);
        assert_int_equal(h.n, N - 25);
        assert_int_equal(rep.n_messages, LOAD_MAX_MESSAGES);
        for (size_t m = 0; m < LOAD_MAX_MESSAGES; m++) {
            char why[256], want[1024];
            bad_reason(bad[m] - 1, why, sizeof why);
            snprintf(want, sizeof want, "big.json:%zu: %s", bad[m], why);
            assert_string_equal(rep.messages[m], want);
        }
        /* The good line after a bad one points at the bad one's address: missing. */
        obj_t after = tu_obj(&h, 4096 + 16 * bad[1]);
        assert_true(heap_is_dangling(heap_children(&h, after)[0]));
        assert_int_equal(h.stats.dangling_refs, 25);
        heap_free(&h);
    }
    free(text);
}

static void test_lenient_fewer_than_max_messages(void **state)
{
    static const char text[] =
        "{\"address\": 1, \"type\": \"str\", \"size\": 50, \"refs\": []}\n"
        "\n"
        "oops\n"
        "{\"address\": 2, \"type\": \"str\", \"size\": -50, \"refs\": []}\n"
        "{\"address\": 3, \"type\": \"str\", \"size\": 50, \"refs\": [1]}\n";
    struct load_options opt;
    opts(&opt, 1, 0, 1);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    assert_int_equal(load_buffer("few.json", text, strlen(text), &opt, &h, &rep, &err), 0);
    assert_int_equal(rep.bad_lines, 2);
    assert_int_equal(rep.n_messages, 2);
    assert_string_equal(rep.messages[0], "few.json:3: not a JSON object (starts with 'o')");
    assert_string_equal(rep.messages[1], "few.json:4: \"size\" is negative (-50)");
    assert_int_equal(h.n, 2);
    TU_CHILDREN(&h, tu_obj(&h, 3), 1);
    heap_free(&h);

    /* The same text, strict: the first bad line stops the load. */
    opts(&opt, 1, 1, 1);
    heap_init(&h);
    assert_int_equal(load_buffer("few.json", text, strlen(text), &opt, &h, &rep, &err), -1);
    assert_string_equal(err.msg, "few.json:3: not a JSON object (starts with 'o')");
    heap_free(&h);
}

/* A file of about 18 MB: more than two 8 MB read blocks, so line numbers must
 * carry over from block to block, and lines are cut across block ends. */
static void test_load_dump_line_numbers_across_blocks(void **state)
{
    enum { N = 160000 };
    const size_t bad[] = {159997, 159998, 0};
    size_t len;
    char *text = big_dump(N, bad, &len);
    assert_true(len > (16u << 20));
    char path[300];
    tmp_path(path, sizeof path, "blocks.json");
    write_plain(path, text, len);
    free(text);

    struct load_options opt;
    opts(&opt, 1, 0, 4);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    assert_int_equal(load_dump(path, &opt, &h, &rep, &err), 0);
    assert_int_equal(rep.bad_lines, 2);
    assert_int_equal(h.n, N - 2);
    assert_int_equal(h.stats.bytes_in, len);
    char why[256], want[1024];
    for (size_t m = 0; m < 2; m++) {
        bad_reason(bad[m] - 1, why, sizeof why);
        snprintf(want, sizeof want, "%s:%zu: %s", path, bad[m], why);
        assert_string_equal(rep.messages[m], want);
    }
    /* Every good line is there, with its ref. */
    for (size_t k = 0; k < N; k += 997) {
        obj_t i = tu_obj(&h, 4096 + 16 * k);
        assert_int_equal(heap_nchildren(&h, i), 1);
        assert_int_equal(heap_child_addr(&h, heap_children(&h, i)[0]), 4096 + 16 * (k ? k - 1 : 0));
    }
    heap_free(&h);

    /* Strict: the same line number. */
    opts(&opt, 1, 1, 2);
    heap_init(&h);
    assert_int_equal(load_dump(path, &opt, &h, &rep, &err), -1);
    bad_reason(bad[0] - 1, why, sizeof why);
    snprintf(want, sizeof want, "%s:%zu: %s", path, bad[0], why);
    assert_string_equal(err.msg, want);
    heap_free(&h);
}

/* --- file errors --- */

static void expect_dump_error(const char *path, const char *want)
{
    struct load_options opt;
    opts(&opt, 1, 0, 1);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    assert_int_equal(load_dump(path, &opt, &h, &rep, &err), -1);
    assert_string_equal(err.msg, want);
    heap_free(&h);
}

static void test_empty_inputs(void **state)
{
    struct load_options opt;
    opts(&opt, 1, 0, 1);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    assert_int_equal(load_buffer("t.json", "", 0, &opt, &h, &rep, &err), -1);
    assert_string_equal(err.msg, "t.json: empty file");
    heap_free(&h);

    char path[300], want[1024];
    tmp_path(path, sizeof path, "empty.json");
    write_plain(path, "", 0);
    snprintf(want, sizeof want, "%s: empty file", path);
    expect_dump_error(path, want);

    tmp_path(path, sizeof path, "empty.json.gz");
    write_gz(path, "", 0);
    snprintf(want, sizeof want, "%s: empty file (an empty gzip stream)", path);
    expect_dump_error(path, want);

    /* Lines, but no objects. */
    static const char nothing[] = "[\n\n   \n]\n";
    heap_init(&h);
    assert_int_equal(load_buffer("t.json", nothing, strlen(nothing), &opt, &h, &rep, &err), -1);
    assert_string_equal(err.msg, "t.json: no objects in the dump");
    assert_int_equal(rep.bad_lines, 0);
    heap_free(&h);
    tmp_path(path, sizeof path, "nothing.json");
    write_plain(path, nothing, strlen(nothing));
    snprintf(want, sizeof want, "%s: no objects in the dump", path);
    expect_dump_error(path, want);
}

static void test_directory_and_missing(void **state)
{
    char want[1024];
    snprintf(want, sizeof want, "%s: is a directory, not a dump", tmpdir);
    expect_dump_error(tmpdir, want);

    char path[300];
    tmp_path(path, sizeof path, "no-such-file.json");
    snprintf(want, sizeof want, "%s: No such file or directory", path);
    expect_dump_error(path, want);
}

static void test_truncated_and_corrupt_gzip(void **state)
{
    size_t len;
    char *text = tu_make_dump(2 + 5 * 2000, varied_line, &len);
    char path[300];
    tmp_path(path, sizeof path, "full.json.gz");
    write_gz(path, text, len);
    off_t gzlen = file_size(path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *gz = malloc((size_t)gzlen);
    assert_non_null(gz);
    assert_int_equal(fread(gz, 1, (size_t)gzlen, f), (size_t)gzlen);
    fclose(f);

    /* Cut in the middle of the compressed data. */
    char cut[300], want[1024];
    tmp_path(cut, sizeof cut, "cut.json.gz");
    write_plain(cut, gz, (size_t)gzlen / 2);
    snprintf(want, sizeof want, "%s: gzip data is truncated (the file ends inside the stream)", cut);
    expect_dump_error(cut, want);

    /* Without its 8-byte trailer only. */
    write_plain(cut, gz, (size_t)gzlen - 8);
    expect_dump_error(cut, want);

    /* Bytes flipped in the middle: refused, with the gzip reason. */
    char bad[300];
    tmp_path(bad, sizeof bad, "corrupt.json.gz");
    for (off_t k = gzlen / 3; k < gzlen / 3 + 64; k++)
        gz[k] ^= 0x5a;
    write_plain(bad, gz, (size_t)gzlen);
    struct load_options opt;
    opts(&opt, 1, 0, 1);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    assert_int_equal(load_dump(bad, &opt, &h, &rep, &err), -1);
    snprintf(want, sizeof want, "%s: gzip data is ", bad);
    assert_memory_equal(err.msg, want, strlen(want));
    heap_free(&h);
    free(gz);
    free(text);
}

static void test_every_line_bad(void **state)
{
    static const char text[] = "xyz\n{\"address\": 1}\n[1]\n";
    struct load_options opt;
    opts(&opt, 1, 0, 2);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    assert_int_equal(load_buffer("t.json", text, strlen(text), &opt, &h, &rep, &err), -1);
    assert_string_equal(err.msg,
                        "t.json: no objects could be read (3 bad lines; the first: t.json:1: not a JSON object (starts with 'x'))");
    assert_int_equal(rep.bad_lines, 3);
    assert_int_equal(rep.n_messages, 3);
    assert_string_equal(rep.messages[1], "t.json:2: no \"type\"");
    assert_string_equal(rep.messages[2], "t.json:3: not a JSON object (starts with '[')");
    heap_free(&h);

    char path[300], want[1024];
    tmp_path(path, sizeof path, "allbad.json.gz");
    write_gz(path, text, strlen(text));
    snprintf(want, sizeof want,
             "%s: no objects could be read (3 bad lines; the first: %s:1: not a JSON object (starts with 'x'))", path, path);
    expect_dump_error(path, want);
}

/* --- long lines --- */

/* A list of n refs cycling over four objects, each ref 17 bytes (", " and 15 digits). */
static char *long_list_dump(size_t n, size_t *len)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "{\"address\": 140737488355376, \"type\": \"int\", \"size\": 28, \"value\": 1, \"refs\": []}\n"
                   "{\"address\": 4096, \"type\": \"list\", \"size\": %zu, \"len\": %zu, \"refs\": [", 56 + 8 * n, n);
    static const char *const refs[] = {"140737488355328", "140737488355344", "140737488355360", "140737488355376"};
    for (size_t k = 0; k < n; k++) {
        if (k)
            sb_add(&sb, ", ", 2);
        sb_adds(&sb, refs[k % 4]);
    }
    sb_adds(&sb, "]}\n"
                 "{\"address\": 140737488355328, \"type\": \"str\", \"size\": 50, \"value\": \"a\", \"refs\": []}\n"
                 "{\"address\": 140737488355344, \"type\": \"str\", \"size\": 50, \"value\": \"b\", \"refs\": []}\n"
                 "{\"address\": 140737488355360, \"type\": \"str\", \"size\": 50, \"value\": \"c\", \"refs\": []}\n");
    *len = sb.len;
    return sb.buf;
}

static void check_long_list(const struct heap *h, size_t n)
{
    static const uint64_t refs[] = {140737488355328ULL, 140737488355344ULL, 140737488355360ULL, 140737488355376ULL};
    assert_int_equal(h->n, 5);
    obj_t l = tu_obj(h, 4096);
    assert_int_equal(heap_nchildren(h, l), n);
    assert_int_equal(heap_len(h, l), n);
    assert_int_equal(heap_size(h, l), 56 + 8 * n);
    const uint32_t *c = heap_children(h, l);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(h->addr[c[k]], refs[k % 4]);
    for (size_t k = 0; k < 4; k++)
        TU_PARENTS(h, tu_obj(h, refs[k]), 4096);
    assert_int_equal(h->n_parent_edges, 4);
}

static void test_ten_megabyte_line(void **state)
{
    enum { N = 1000000 };
    size_t len;
    char *text = long_list_dump(N, &len);
    assert_true(len > 10u * 1000 * 1000);
    struct load_options opt;
    opts(&opt, 1, 1, 4);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    assert_int_equal(load_buffer("long.json", text, len, &opt, &h, &rep, &err), 0);
    check_long_list(&h, N);
    heap_free(&h);
    free(text);
}

static void test_line_longer_than_read_block(void **state)
{
    /* About 17 MB on one line: longer than an 8 MB read block, from a gzip file. */
    enum { N = 1000000 };
    size_t len;
    char *text = long_list_dump(N, &len);
    assert_true(len > (16u << 20));
    char path[300];
    tmp_path(path, sizeof path, "longline.json.gz");
    write_gz(path, text, len);
    free(text);
    struct load_options opt;
    opts(&opt, 1, 1, 2);
    struct load_report rep;
    struct hw_error err = {{0}};
    struct heap h;
    heap_init(&h);
    int rc = load_dump(path, &opt, &h, &rep, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    check_long_list(&h, N);
    assert_int_equal(h.stats.bytes_in, len);
    heap_free(&h);
}

/* --- other forms --- */

static const char array_form[] =
    "[\n"
    "{\"address\": 1, \"type\": \"list\", \"size\": 72, \"len\": 1, \"refs\": [2]},\n"
    "{\"address\": 2, \"type\": \"str\", \"size\": 50, \"len\": 1, \"value\": \"a\", \"refs\": []}\n"
    "]\n";

static void test_json_array_form(void **state)
{
    struct heap h;
    tu_load(array_form, 1, &h);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.stats.records, 2);
    TU_CHILDREN(&h, tu_obj(&h, 1), 2);
    TU_STR(&h, tu_obj(&h, 2), "a");
    heap_free(&h);

    /* Compact spacing, CRLF, no newline at the end. */
    static const char compact[] = "[\r\n{\"address\":1,\"type\":\"list\",\"size\":72,\"refs\":[2]},\r\n"
                                  "{\"address\":2,\"type\":\"str\",\"size\":50,\"value\":\"a\",\"refs\":[]}\r\n]";
    tu_load(compact, 1, &h);
    assert_int_equal(h.n, 2);
    TU_CHILDREN(&h, tu_obj(&h, 1), 2);
    heap_free(&h);
}

/* heap.stats.lines counts the lines read, blank and array brackets included:
 * four here ("[", two objects, "]"). Was a bug: it stayed 0. */
static void test_stats_lines_counted(void **state)
{
    struct heap h;
    tu_load(array_form, 1, &h);
    uint64_t lines = h.stats.lines;
    heap_free(&h);
    assert_int_equal(lines, 4);
}

static void test_crlf(void **state)
{
    static const char text[] =
        "{\"address\": 1, \"type\": \"module\", \"size\": 72, \"name\": \"m\", \"refs\": [2]}\r\n"
        "{\"address\": 2, \"type\": \"dict\", \"size\": 640, \"len\": 1, \"refs\": [3]}\r\n"
        "\r\n"
        "{\"address\": 3, \"type\": \"str\", \"size\": 52, \"len\": 3, \"value\": \"abc\", \"refs\": []}\r\n"
        "{\"address\": 4, \"type\": \"int\", \"size\": 28, \"value\": 12, \"refs\": [3]}\r\n";
    struct load_options opt;
    opts(&opt, 1, 1, 1);
    struct heap h;
    tu_load_opts(text, &opt, &h);
    assert_int_equal(h.n, 3);
    obj_t m = tu_obj(&h, 1);
    TU_STR(&h, m, "m");
    TU_CHILDREN(&h, m, 3);
    TU_STR(&h, tu_obj(&h, 3), "abc");
    TU_STR(&h, tu_obj(&h, 4), "12");
    heap_free(&h);

    /* And from a gzip file. */
    char path[300];
    tmp_path(path, sizeof path, "crlf.json.gz");
    write_gz(path, text, strlen(text));
    struct load_report rep;
    struct hw_error err = {{0}};
    heap_init(&h);
    assert_int_equal(load_dump(path, &opt, &h, &rep, &err), 0);
    assert_int_equal(h.n, 3);
    TU_STR(&h, tu_obj(&h, 3), "abc");
    TU_STR(&h, tu_obj(&h, 4), "12");
    heap_free(&h);
}

static void test_no_final_newline_and_first_wins_across_threads(void **state)
{
    enum { N = 100000 };
    size_t len;
    char *text = big_dump(N, NULL, &len);
    /* Make line 90001 repeat line 11's address with another type, and drop the final newline. */
    char *p = text;
    for (size_t k = 0; k < 90000; k++)
        p = strchr(p, '\n') + 1;
    char *end = strchr(p, '\n');
    char repl[200];
    int m = snprintf(repl, sizeof repl, "{\"address\": %d, \"type\": \"bytes\", \"size\": 1, \"refs\": []}", 4096 + 16 * 10);
    assert_true((size_t)m <= (size_t)(end - p));
    memcpy(p, repl, (size_t)m);
    memset(p + m, ' ', (size_t)(end - p) - (size_t)m);
    text[--len] = '\0';
    struct load_options opt;
    opts(&opt, 0, 1, 4);
    struct heap h;
    tu_load_opts(text, &opt, &h);
    assert_int_equal(h.n, N - 1);
    assert_int_equal(h.stats.duplicates, 1);
    assert_int_equal(h.stats.dup_type_mismatch, 1);
    assert_string_equal(tu_type(&h, 4096 + 16 * 10), "str");
    assert_int_equal(heap_size(&h, tu_obj(&h, 4096 + 16 * 10)), 75);
    /* The last line, without its newline, is there; 90000's address is gone. */
    tu_obj(&h, 4096 + 16 * (N - 1));
    assert_int_equal(heap_find(&h, 4096 + 16 * 90000), OBJ_NONE);
    heap_free(&h);
    free(text);
}

struct progress_log {
    int calls, done_calls;
    uint64_t last_objects;
    char last_phase[32];
};

static void on_progress(const struct load_progress *p, void *ctx)
{
    struct progress_log *log = ctx;
    log->calls++;
    if (p->done)
        log->done_calls++;
    log->last_objects = p->objects;
    snprintf(log->last_phase, sizeof log->last_phase, "%s", p->phase);
}

static void test_progress_and_defaults(void **state)
{
    struct load_options opt;
    load_options_default(&opt);
    assert_int_equal(opt.collapse, 1);
    assert_int_equal(opt.strict, 0);
    assert_int_equal(opt.threads, 0);
    assert_null(opt.progress);

    struct progress_log log = {0};
    opt.progress = on_progress;
    opt.progress_ctx = &log;
    struct heap h;
    tu_load_opts(array_form, &opt, &h);
    assert_int_equal(log.done_calls, 1);
    assert_true(log.calls >= 1);
    assert_string_equal(log.last_phase, "done");
    assert_int_equal(log.last_objects, h.n);
    heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gzip_and_plain_identical),
        cmocka_unit_test(test_gzip_multi_member),
        cmocka_unit_test(test_strict_line_numbers_threads),
        cmocka_unit_test(test_strict_first_and_last_lines),
        cmocka_unit_test(test_lenient_counts_and_messages),
        cmocka_unit_test(test_lenient_fewer_than_max_messages),
        cmocka_unit_test(test_load_dump_line_numbers_across_blocks),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_directory_and_missing),
        cmocka_unit_test(test_truncated_and_corrupt_gzip),
        cmocka_unit_test(test_every_line_bad),
        cmocka_unit_test(test_ten_megabyte_line),
        cmocka_unit_test(test_line_longer_than_read_block),
        cmocka_unit_test(test_json_array_form),
        cmocka_unit_test(test_stats_lines_counted),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_no_final_newline_and_first_wins_across_threads),
        cmocka_unit_test(test_progress_and_defaults),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
