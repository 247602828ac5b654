/* parse_fast.c: the fast path: a line in the exact layout meliae's scanner
 * writes, read byte for byte, one function per field in the order the
 * scanner writes them:
 *
 *   {"address": N, "type": "T", "size": N[, "name": "S"][, "len": N]
 *    [, "value": "S" | null | INT], "refs": [N, N, ...]}
 *
 * Each returns 1 having read its field (or, for an optional one, nothing),
 * 0 when the line is anything else; cJSON then reads it (parse.c), so the
 * fast path may refuse any line it is not sure of.  test_parse.c checks
 * that both give the same record for every line this path accepts. */
#include "parse_text.h"

#include "heap.h"

struct fast {
    struct parser *p;
    struct ptext_cursor c;
    size_t text_used;        /* bytes of p->text the line's strings take */
    struct record *rec;
};

/* A strict string (no \u0000, no lone surrogate, UTF-8) at the cursor. */
static int fast_string(struct fast *f, const char **out, size_t *outlen)
{
    return f->c.s < f->c.end && *f->c.s == '"' && ptext_string(f->p, &f->c, &f->text_used, out, outlen, 0);
}

static int fast_address(struct fast *f)
{
    return PTEXT_LIT(&f->c, "{\"address\": ") && ptext_count(&f->c, &f->rec->addr);
}

static int fast_type(struct fast *f)
{
    struct record *rec = f->rec;
    return PTEXT_LIT(&f->c, ", \"type\": ") && fast_string(f, &rec->type, &rec->type_len) && rec->type_len != 0 &&
           !memchr(rec->type, '\0', rec->type_len);
}

static int fast_size(struct fast *f)
{
    return PTEXT_LIT(&f->c, ", \"size\": ") && ptext_count(&f->c, &f->rec->size);
}

static int fast_name(struct fast *f)
{
    if (!PTEXT_LIT(&f->c, ", \"name\": "))
        return 1;
    if (!fast_string(f, &f->rec->str, &f->rec->str_len))
        return 0;
    f->rec->flags |= OF_NAME;
    return 1;
}

static int fast_len(struct fast *f)
{
    if (!PTEXT_LIT(&f->c, ", \"len\": "))
        return 1;
    if (!ptext_count(&f->c, &f->rec->len))
        return 0;
    f->rec->flags |= OF_HAS_LEN;
    return 1;
}

/* An int value, kept as its exact text: an optional '-', then digits
 * without a leading zero. */
static int fast_int_value(struct fast *f)
{
    const char *v0 = f->c.s, *q = f->c.s;
    if (q < f->c.end && *q == '-')
        q++;
    const char *d0 = q;
    while (q < f->c.end && *q >= '0' && *q <= '9')
        q++;
    if (q == d0 || (*d0 == '0' && q - d0 > 1))
        return 0;
    f->rec->str = v0;
    f->rec->str_len = (size_t)(q - v0);
    f->rec->flags |= OF_VALUE_NUM;
    f->c.s = q;
    return 1;
}

static int fast_value(struct fast *f)
{
    struct record *rec = f->rec;
    if (!PTEXT_LIT(&f->c, ", \"value\": "))
        return 1;
    if (rec->flags & OF_NAME)
        return 0; /* meliae never writes both: let cJSON decide */
    if (f->c.s < f->c.end && *f->c.s == '"') {
        if (!fast_string(f, &rec->str, &rec->str_len))
            return 0;
        rec->flags |= OF_VALUE;
        return 1;
    }
    if (PTEXT_LIT(&f->c, "null")) {
        rec->flags |= OF_VALUE_NULL;
        return 1;
    }
    return fast_int_value(f);
}

static int fast_refs(struct fast *f)
{
    if (!PTEXT_LIT(&f->c, ", \"refs\": ["))
        return 0;
    size_t n = 0;
    if (!PTEXT_LIT(&f->c, "]")) {
        for (;;) {
            if (!ptext_count(&f->c, ptext_ref_slot(f->p, n)))
                return 0;
            n++;
            if (PTEXT_LIT(&f->c, "]"))
                break;
            if (!PTEXT_LIT(&f->c, ", "))
                return 0;
        }
    }
    f->rec->refs = f->p->refs;
    f->rec->nrefs = n;
    return 1;
}

int parse_fast(struct parser *p, const char *line, size_t len, struct record *rec)
{
    struct fast f = {p, {line, line + len}, 0, rec};
    memset(rec, 0, sizeof *rec);
    ptext_reserve(p, len);
    return fast_address(&f) && fast_type(&f) && fast_size(&f) && fast_name(&f) && fast_len(&f) && fast_value(&f) &&
           fast_refs(&f) && PTEXT_LIT(&f.c, "}") && f.c.s == f.c.end;
}
