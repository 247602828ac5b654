/* test_input.c: the dump's bytes as read (src/input.c). A regular file that
 * changes size while it is read is an error that says so, never a partial
 * graph that loads with exit 0. */
#include "testutil.h"

#include <unistd.h>

#include "input.h"

static char *temp_file(size_t size)
{
    static char path[] = "/tmp/hw-input-XXXXXX";
    strcpy(path, "/tmp/hw-input-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char *buf = malloc(size);
    memset(buf, 'x', size);
    assert_int_equal(write(fd, buf, size), (ssize_t)size);
    free(buf);
    close(fd);
    return path;
}

static ssize_t read_all(struct input *in, struct hw_error *err)
{
    static char buf[1 << 16];
    ssize_t got, total = 0;
    while ((got = input_read(in, buf, sizeof buf, err)) > 0)
        total += got;
    return got < 0 ? -1 : total;
}

static void test_whole_file(void **state)
{
    char *path = temp_file(300000);
    struct hw_error err = {{0}};
    struct input *in = input_open(path, &err);
    assert_non_null(in);
    assert_int_equal(read_all(in, &err), 300000);
    input_close(in);
    unlink(path);
}

/* Opens a file of size bytes, reads a block, resizes it to new_size, reads
 * on: the read must fail with a message holding want. */
static void resize_while_read(size_t size, off_t new_size, const char *want)
{
    char *path = temp_file(size);
    struct hw_error err = {{0}};
    struct input *in = input_open(path, &err);
    assert_non_null(in);
    char buf[4096];
    assert_true(input_read(in, buf, sizeof buf, &err) > 0);
    assert_int_equal(truncate(path, new_size), 0);
    assert_int_equal(read_all(in, &err), -1);
    assert_non_null(strstr(err.msg, want));
    input_close(in);
    unlink(path);
}

static void test_shrinks_while_read(void **state)
{
    resize_while_read(3000000, 100000, "changed size while it was read");
}

static void test_grows_while_read(void **state)
{
    resize_while_read(3000000, 4000000, "3000000 bytes when opened, 4000000 read");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_file),
        cmocka_unit_test(test_shrinks_while_read),
        cmocka_unit_test(test_grows_while_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
