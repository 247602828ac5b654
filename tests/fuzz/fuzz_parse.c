/* libFuzzer target: one line through the parser (fast path, then cJSON), and
 * the same line through cJSON alone: both must agree, nothing may crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct parser a, b;
    struct record ra, rb;
    char wa[256], wb[256];
    parser_init(&a);
    parser_init(&b);
    enum parse_result x = parse_line(&a, (const char *)data, size, &ra, wa, sizeof wa);
    enum parse_result y = parse_line_cjson(&b, (const char *)data, size, &rb, wb, sizeof wb);
    if (x != y)
        abort();
    if (x == PARSE_RECORD) {
        if (ra.addr != rb.addr || ra.size != rb.size || ra.len != rb.len || ra.flags != rb.flags ||
            ra.type_len != rb.type_len || memcmp(ra.type, rb.type, ra.type_len) != 0 ||
            ra.str_len != rb.str_len || (ra.str_len && memcmp(ra.str, rb.str, ra.str_len) != 0) ||
            ra.nrefs != rb.nrefs || (ra.nrefs && memcmp(ra.refs, rb.refs, ra.nrefs * sizeof *ra.refs) != 0))
            abort();
    }
    parser_free(&a);
    parser_free(&b);
    return 0;
}
