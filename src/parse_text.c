/* parse_text.c: reading JSON text by hand, for both line readers (see
 * parse_text.h). */
#include "parse_text.h"

#include <endian.h>
#include <string.h>

#include "util.h"


/* The value of the 8 bytes at s when all are ASCII digits (the first is the
 * most significant), else -1: eight digits at once (an address has 15). */
static int64_t eight_digits(const char *s)
{
    uint64_t x;
    memcpy(&x, s, sizeof x);
    x = le64toh(x); /* s[0] in the low byte */
    uint64_t d = x - 0x3030303030303030ULL;
    /* A byte below '0' borrows (its high nibble goes non-zero); above '9', adding 6 carries into it. */
    if ((d | (d + 0x0606060606060606ULL)) & 0xF0F0F0F0F0F0F0F0ULL)
        return -1;
    d = (d * 10 + (d >> 8)) & 0x00FF00FF00FF00FFULL;       /* pairs */
    d = (d * 100 + (d >> 16)) & 0x0000FFFF0000FFFFULL;     /* fours */
    return (int64_t)((d * 10000 + (d >> 32)) & 0xFFFFFFFFULL);
}

int ptext_count(struct ptext_cursor *c, uint64_t *out)
{
    const char *s = c->s;
    uint64_t v = 0;
    if (s >= c->end || *s < '0' || *s > '9' || (*s == '0' && s + 1 < c->end && s[1] >= '0' && s[1] <= '9'))
        return 0;
    /* Every prefix must stay below 2^53: v * 10^8 + 99999999 < 2^53 while v < 90071992. */
    while (c->end - s >= 8 && v < 90071992) {
        int64_t d = eight_digits(s);
        if (d < 0)
            break;
        v = v * 100000000 + (uint64_t)d;
        s += 8;
    }
    if (v >= (1ULL << 53))
        return 0;
    while (s < c->end && *s >= '0' && *s <= '9') {
        v = v * 10 + (uint64_t)(*s - '0');
        if (v >= (1ULL << 53))
            return 0;
        s++;
    }
    *out = v;
    c->s = s;
    return 1;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int d = ptext_hexval(s[k]);
        if (d < 0)
            return 0;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 1;
}

static void put_utf8(struct parser *p, size_t *n, unsigned cp)
{
    char *o = p->text + *n;
    if (cp < 0x80) {
        o[0] = (char)cp;
        *n += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        *n += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        *n += 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        *n += 4;
    }
}

/* Room in p->text for every string of a line of len bytes, decoded (never
 * longer than its source) and then repaired (at most 3 bytes for each source
 * byte), with their NULs, plus decoded keys as scratch: at most 5 bytes per
 * byte of the line, reserved once per line, so the strings already decoded
 * never move. */
void ptext_reserve(struct parser *p, size_t len)
{
    size_t need = 5 * len + 64;
    if (need > p->text_cap) {
        p->text_cap = need;
        p->text = xrealloc(p->text, p->text_cap, "a line's strings");
    }
}

/* Is s[0..n) well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF)?
 * Returns the length of the valid sequence at s, or 0 if the byte there
 * starts none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (!len || len > n || c > 0xF4)
        return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

static int utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = utf8_seq(u + i, n - i);
        if (!len)
            return 0;
        i += len;
    }
    return 1;
}

/* Copy s[0..n) into p->text at *text_used with each byte that starts no
 * valid UTF-8 sequence replaced by U+FFFD; *out points at the copy. */
static void utf8_repair(struct parser *p, size_t *text_used, const char *s, size_t n, const char **out,
                        size_t *outlen)
{
    const unsigned char *u = (const unsigned char *)s;
    char *o = p->text + *text_used;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_seq(u + i, n - i);
        if (len) {
            memmove(o + k, u + i, len);
            k += len;
            i += len;
        } else {
            memcpy(o + k, "\xEF\xBF\xBD", 3);
            k += 3;
            i++;
        }
    }
    o[k] = '\0';
    *out = o;
    *outlen = k;
    *text_used += k + 1;
}

static int decode_string_raw(struct parser *p, struct ptext_cursor *c, size_t *text_used, const char **out,
                             size_t *outlen, int lenient);

/* decode_string_raw, then the UTF-8 check: strict refuses bytes that are not
 * UTF-8 (cJSON passes them through, and JSON output must not), lenient
 * replaces them with U+FFFD. */
int ptext_string(struct parser *p, struct ptext_cursor *c, size_t *text_used, const char **out, size_t *outlen,
                 int lenient)
{
    if (!decode_string_raw(p, c, text_used, out, outlen, lenient))
        return 0;
    if (utf8_valid(*out, *outlen))
        return 1;
    if (!lenient)
        return 0;
    utf8_repair(p, text_used, *out, *outlen, out, outlen);
    return 1;
}

static int decode_string_raw(struct parser *p, struct ptext_cursor *c, size_t *text_used, const char **out,
                             size_t *outlen, int lenient)
{
    const char *s = c->s + 1, *q = s;
    while (q < c->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
        q++;
    if (q < c->end && *q == '"') {
        *out = s;
        *outlen = (size_t)(q - s);
        c->s = q + 1;
        return 1;
    }
    if (q >= c->end || *q != '\\')
        return 0;
    /* Decode: the output is never longer than the input (text_reserve made room). */
    size_t start = *text_used, n = start;
    memcpy(p->text + n, s, (size_t)(q - s));
    n += (size_t)(q - s);
    while (q < c->end && *q != '"') {
        unsigned char ch = (unsigned char)*q;
        if (ch < 0x20)
            return 0;
        if (ch != '\\') {
            p->text[n++] = (char)ch;
            q++;
            continue;
        }
        if (q + 1 >= c->end)
            return 0;
        char e = q[1];
        q += 2;
        switch (e) {
        case '"': p->text[n++] = '"'; break;
        case '\\': p->text[n++] = '\\'; break;
        case '/': p->text[n++] = '/'; break;
        case 'b': p->text[n++] = '\b'; break;
        case 'f': p->text[n++] = '\f'; break;
        case 'n': p->text[n++] = '\n'; break;
        case 'r': p->text[n++] = '\r'; break;
        case 't': p->text[n++] = '\t'; break;
        case 'u': {
            unsigned u, lo;
            if (c->end - q < 4 || !hex4(q, &u) || (u == 0 && !lenient))
                return 0;
            q += 4;
            if (u >= 0xD800 && u <= 0xDBFF && c->end - q >= 6 && q[0] == '\\' && q[1] == 'u' &&
                hex4(q + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                q += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            } else if (u >= 0xD800 && u <= 0xDFFF) {
                if (!lenient)
                    return 0;
                u = 0xFFFD;
            }
            put_utf8(p, &n, u);
            break;
        }
        default:
            return 0;
        }
    }
    if (q >= c->end)
        return 0;
    p->text[n] = '\0';
    *out = p->text + start;
    *outlen = n - start;
    *text_used = n + 1;
    c->s = q + 1;
    return 1;
}

uint64_t *ptext_ref_slot(struct parser *p, size_t n)
{
    if (n == p->refs_cap) {
        p->refs_cap = p->refs_cap ? p->refs_cap * 2 : 64;
        p->refs = xreallocarray(p->refs, p->refs_cap, sizeof *p->refs, "a line's refs");
    }
    return &p->refs[n];
}
