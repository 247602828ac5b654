/* cjson_pass: the yardstick of `make bench`: one core parses every line of a
 * JSON-lines file with cJSON and frees it, nothing else.  heapwalk's load is
 * quoted as a ratio of this pass, measured alternately in the same run, since
 * absolute times on a shared machine vary by a factor of two.
 * usage: cjson_pass FILE   (prints the number of lines parsed) */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (16u << 20)

/* Parse the whole lines in buf[0, len); returns the bytes consumed. */
static size_t parse_lines(const char *buf, size_t len, unsigned long long *lines, unsigned long long *bad)
{
    const char *p = buf, *end = buf + len;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        if (nl > p) {
            cJSON *j = cJSON_ParseWithLength(p, (size_t)(nl - p));
            if (!j)
                (*bad)++;
            cJSON_Delete(j);
        }
        (*lines)++;
        p = nl + 1;
    }
    return (size_t)(p - buf);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: cjson_pass FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = BLOCK, have = 0;
    char *buf = malloc(cap + 1);
    unsigned long long lines = 0, bad = 0;
    for (;;) {
        if (have == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
        if (!buf) {
            fprintf(stderr, "cjson_pass: out of memory\n");
            return 1;
        }
        size_t got = fread(buf + have, 1, cap - have, f);
        have += got;
        if (got == 0) {
            if (have) {
                buf[have++] = '\n';
                parse_lines(buf, have, &lines, &bad);
            }
            break;
        }
        size_t used = parse_lines(buf, have, &lines, &bad);
        memmove(buf, buf + used, have - used);
        have -= used;
    }
    fclose(f);
    free(buf);
    printf("%llu lines, %llu not JSON\n", lines, bad);
    return 0;
}
