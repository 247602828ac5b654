#include "parse.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "util.h"

#define TWO_TO_53 9007199254740992.0

void parser_init(struct parser *p) { memset(p, 0, sizeof *p); }

void parser_free(struct parser *p)
{
    cJSON_Delete(p->root);
    free(p->refs);
    free(p->text);
    memset(p, 0, sizeof *p);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The code unit of a \uXXXX escape at s[i] == '\\', or -1. */
static long u_escape(const char *s, size_t len, size_t i)
{
    if (i + 6 > len || s[i] != '\\' || s[i + 1] != 'u')
        return -1;
    long v = 0;
    for (size_t k = 2; k < 6; k++) {
        int d = hexval(s[i + k]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Walk the \u escapes in strings; call fix() on each lone surrogate (at the
 * backslash) when out != NULL. Returns how many there are. */
static size_t scan_lone_surrogates(const char *s, size_t len, char *out)
{
    size_t count = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '\\')
            continue;
        long u = u_escape(s, len, i);
        if (u < 0) {
            i++; /* another escape: skip its letter */
            continue;
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
            long lo = u_escape(s, len, i + 6);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                i += 11;
                continue;
            }
        } else if (!(u >= 0xDC00 && u <= 0xDFFF)) {
            i += 5;
            continue;
        }
        count++;
        if (out)
            memcpy(out + i, "\\ufffd", 6);
        i += 5;
    }
    return count;
}

static int has_lone_surrogate(const char *s, size_t len) { return scan_lone_surrogates(s, len, NULL) > 0; }

static char *replace_lone_surrogates(const char *s, size_t len)
{
    char *copy = xmalloc(len + 1, "a line being repaired");
    memcpy(copy, s, len);
    copy[len] = '\0';
    scan_lone_surrogates(s, len, copy);
    return copy;
}

/* Why a line is not valid JSON, with the byte where it goes wrong. cJSON's
 * own error pointer is a global, useless across threads, so a small
 * validator finds the place; it runs only on lines cJSON refused. */
struct jv {
    const char *s;
    size_t len, i;
    const char *what;
};

static void jv_ws(struct jv *v)
{
    while (v->i < v->len && is_space(v->s[v->i]))
        v->i++;
}

static int jv_value(struct jv *v, int depth);

static int jv_string(struct jv *v)
{
    v->i++;
    while (v->i < v->len) {
        unsigned char c = (unsigned char)v->s[v->i];
        if (c == '"') {
            v->i++;
            return 0;
        }
        if (c < 0x20) {
            v->what = "a control character inside a string";
            return -1;
        }
        if (c == '\\') {
            if (v->i + 1 >= v->len)
                break;
            char e = v->s[v->i + 1];
            if (e == 'u') {
                if (u_escape(v->s, v->len, v->i) < 0) {
                    v->what = "a \\u escape without four hex digits";
                    return -1;
                }
                v->i += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e)) {
                v->i++;
                v->what = "an invalid escape in a string";
                return -1;
            }
            v->i += 2;
            continue;
        }
        v->i++;
    }
    v->what = "the line ends inside a string (cut short?)";
    return -1;
}

static int jv_container(struct jv *v, int depth, char close)
{
    if (depth > 1000) { /* cJSON's own limit (CJSON_NESTING_LIMIT) */
        v->what = "nested too deeply";
        return -1;
    }
    v->i++;
    jv_ws(v);
    if (v->i < v->len && v->s[v->i] == close) {
        v->i++;
        return 0;
    }
    for (;;) {
        jv_ws(v);
        if (close == '}') {
            if (v->i >= v->len || v->s[v->i] != '"') {
                v->what = v->i >= v->len ? "the line ends inside an object (cut short?)" : "expected a key in quotes";
                return -1;
            }
            if (jv_string(v) < 0)
                return -1;
            jv_ws(v);
            if (v->i >= v->len || v->s[v->i] != ':') {
                v->what = "expected ':' after a key";
                return -1;
            }
            v->i++;
        }
        if (jv_value(v, depth + 1) < 0)
            return -1;
        jv_ws(v);
        if (v->i >= v->len) {
            v->what = close == '}' ? "the line ends inside an object (cut short?)" : "the line ends inside an array (cut short?)";
            return -1;
        }
        if (v->s[v->i] == close) {
            v->i++;
            return 0;
        }
        if (v->s[v->i] != ',') {
            v->what = close == '}' ? "expected ',' or '}'" : "expected ',' or ']'";
            return -1;
        }
        v->i++;
    }
}

static int jv_value(struct jv *v, int depth)
{
    jv_ws(v);
    if (v->i >= v->len) {
        v->what = "the line ends where a value should be (cut short?)";
        return -1;
    }
    char c = v->s[v->i];
    if (c == '"')
        return jv_string(v);
    if (c == '{')
        return jv_container(v, depth, '}');
    if (c == '[')
        return jv_container(v, depth, ']');
    static const char *const words[] = {"true", "false", "null"};
    for (size_t k = 0; k < 3; k++) {
        size_t wl = strlen(words[k]);
        if (v->len - v->i >= wl && memcmp(v->s + v->i, words[k], wl) == 0) {
            v->i += wl;
            return 0;
        }
    }
    size_t start = v->i;
    if (c == '-')
        v->i++;
    while (v->i < v->len && (strchr("0123456789.eE+-", v->s[v->i])))
        v->i++;
    if (v->i == start || (v->i == start + 1 && c == '-')) {
        v->what = "not a JSON value";
        return -1;
    }
    return 0;
}

/* lead: bytes of white space trimmed before s, so positions count from the line's start. */
static void describe_json_error(const char *s, size_t len, size_t lead, char *why, size_t whylen)
{
    struct jv v = {s, len, 0, NULL};
    if (jv_value(&v, 0) == 0) {
        jv_ws(&v);
        if (v.i < len)
            v.what = "unexpected text after the object";
        else
            v.what = "a number or string cJSON cannot read";
    }
    snprintf(why, whylen, "invalid JSON at byte %zu: %s", lead + v.i + 1, v.what);
}

/* A whole, non-negative number below 2^53 (exact in a double). */
static int get_count(const cJSON *item, const char *key, uint64_t *out, char *why, size_t whylen)
{
    if (!cJSON_IsNumber(item)) {
        const char *what = cJSON_IsString(item) ? "a string" : cJSON_IsNull(item) ? "null"
                         : cJSON_IsBool(item) ? "a boolean" : cJSON_IsArray(item) ? "an array"
                         : cJSON_IsObject(item) ? "an object" : "not a number";
        snprintf(why, whylen, "\"%s\" is %s, not a number", key, what);
        return -1;
    }
    double d = item->valuedouble;
    if (d < 0) {
        snprintf(why, whylen, "\"%s\" is negative (%.17g)", key, d);
        return -1;
    }
    if (d != floor(d)) {
        snprintf(why, whylen, "\"%s\" is not a whole number (%.17g)", key, d);
        return -1;
    }
    if (d >= TWO_TO_53) {
        snprintf(why, whylen, "\"%s\" is 2^53 or more (%.17g): too large to read exactly", key, d);
        return -1;
    }
    *out = (uint64_t)d;
    return 0;
}

/* Skip one JSON string starting at s[i] == '"'; returns the index after it, or len. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return len;
}

/* Skip one JSON value (cJSON has already checked the line is valid). */
static size_t skip_value(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return len;
    if (s[i] == '"')
        return skip_string(s, len, i);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        while (i < len) {
            char c = s[i];
            if (c == '"') {
                i = skip_string(s, len, i);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
            i++;
        }
        return len;
    }
    while (i < len && s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_space(s[i]))
        i++;
    return i;
}


/* --- reading JSON text without cJSON: a cursor, numbers, strings --- */

struct cursor {
    const char *s, *end;
};

static int lit(struct cursor *c, const char *text, size_t n)
{
    if ((size_t)(c->end - c->s) < n || memcmp(c->s, text, n) != 0)
        return 0;
    c->s += n;
    return 1;
}
#define LIT(c, text) lit((c), (text), sizeof(text) - 1)

/* Digits below 2^53 (what cJSON would also accept exactly). */
static int fast_count(struct cursor *c, uint64_t *out)
{
    const char *s = c->s;
    uint64_t v = 0;
    if (s >= c->end || *s < '0' || *s > '9' || (*s == '0' && s + 1 < c->end && s[1] >= '0' && s[1] <= '9'))
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
        int d = hexval(s[k]);
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

/* A JSON string at c->s == '"'. Without escapes it points into the line;
 * with them it is decoded into p->text at offset *text_used. Strict (the fast
 * path) refuses what it leaves to cJSON: \u0000 and lone surrogates. Lenient
 * (the cJSON path, which reads value and name strings with it) keeps \u0000
 * as a NUL byte, which cJSON's C strings would cut at, and reads a lone
 * surrogate as U+FFFD. Control bytes and bad escapes fail either way. */
/* Room in p->text for every string of a line of len bytes, decoded (never
 * longer than its source) and then repaired (at most 3 bytes for each source
 * byte), with their NULs, plus decoded keys as scratch: at most 5 bytes per
 * byte of the line, reserved once per line, so the strings already decoded
 * never move. */
static void text_reserve(struct parser *p, size_t len)
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

static int decode_string_raw(struct parser *p, struct cursor *c, size_t *text_used, const char **out,
                             size_t *outlen, int lenient);

/* decode_string_raw, then the UTF-8 check: strict refuses bytes that are not
 * UTF-8 (cJSON passes them through, and JSON output must not), lenient
 * replaces them with U+FFFD. */
static int decode_string(struct parser *p, struct cursor *c, size_t *text_used, const char **out, size_t *outlen,
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

static int decode_string_raw(struct parser *p, struct cursor *c, size_t *text_used, const char **out,
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

/* The raw text of the first top-level member named key in an object line
 * (cJSON's lookup also takes the first). Keys are compared decoded, so
 * "valu\u0065" is "value". Used where cJSON loses information: the exact
 * digits of an int value (cJSON keeps only a double, and ints in dumps go up
 * to 2^63) and strings holding NUL bytes. */
static int raw_member(struct parser *p, size_t text_used, const char *s, size_t len, const char *key,
                      const char **start, size_t *n)
{
    size_t i = 0, klen = strlen(key);
    while (i < len && is_space(s[i]))
        i++;
    if (i >= len || s[i] != '{')
        return -1;
    i++;
    while (i < len) {
        while (i < len && (is_space(s[i]) || s[i] == ','))
            i++;
        if (i >= len || s[i] != '"')
            return -1;
        struct cursor c = {s + i, s + len};
        size_t used = text_used; /* scratch after the strings kept so far */
        const char *k;
        size_t kn;
        int match = decode_string(p, &c, &used, &k, &kn, 1) && kn == klen && memcmp(k, key, klen) == 0;
        i = skip_string(s, len, i);
        while (i < len && is_space(s[i]))
            i++;
        if (i >= len || s[i] != ':')
            return -1;
        i++;
        while (i < len && is_space(s[i]))
            i++;
        size_t v0 = i;
        i = skip_value(s, len, i);
        if (match) {
            *start = s + v0;
            *n = i - v0;
            return 0;
        }
    }
    return -1;
}

/* A string member's bytes, NULs included, decoded into p->text at *text_used. */
static int raw_string(struct parser *p, size_t *text_used, const char *s, size_t len, const char *key,
                      const char **out, size_t *outlen)
{
    const char *v;
    size_t vn;
    if (raw_member(p, *text_used, s, len, key, &v, &vn) < 0 || vn == 0 || *v != '"')
        return -1;
    struct cursor c = {v, v + vn};
    return decode_string(p, &c, text_used, out, outlen, 1) ? 0 : -1;
}

/* Trim white space and the array form's trailing comma; 1 if nothing is left
 * but a blank or an array bracket. */
static int trim_line(const char **line, size_t *len)
{
    const char *s = *line;
    size_t n = *len;
    while (n && is_space(s[n - 1]))
        n--;
    while (n && is_space(*s)) {
        s++;
        n--;
    }
    if (n && s[n - 1] == ',') {
        n--;
        while (n && is_space(s[n - 1]))
            n--;
    }
    *line = s;
    *len = n;
    return n == 0 || (n == 1 && (s[0] == '[' || s[0] == ']'));
}

/* A trimmed line through cJSON; lead bytes of white space were trimmed off its front. */
static enum parse_result parse_trimmed_cjson(struct parser *p, const char *line, size_t len, size_t lead,
                                             struct record *rec, char *why, size_t whylen)
{
    p->slow++;
    cJSON_Delete(p->root);
    p->root = NULL;
    if (line[0] != '{') {
        unsigned char c0 = (unsigned char)line[0];
        if (c0 >= 0x20 && c0 < 0x7f)
            snprintf(why, whylen, "not a JSON object (starts with '%c')", c0);
        else
            snprintf(why, whylen, "not a JSON object (starts with byte 0x%02X)", c0);
        return PARSE_ERROR;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    if (!root && has_lone_surrogate(line, len)) {
        /* JSON allows a lone surrogate escape (Python writes one for a str
         * holding it); cJSON refuses it. Read it as U+FFFD instead. */
        char *fixed = replace_lone_surrogates(line, len);
        root = cJSON_ParseWithLengthOpts(fixed, len, &end, 0);
        end = end ? line + (end - fixed) : NULL;
        free(fixed);
    }
    if (!root) {
        describe_json_error(line, len, lead, why, whylen);
        return PARSE_ERROR;
    }
    p->root = root;
    if (end && end < line + len) {
        snprintf(why, whylen, "unexpected text after the object at byte %zu", lead + (size_t)(end - line) + 1);
        return PARSE_ERROR;
    }
    /* cJSON lets some invalid text through (a \u escape with a non-hex
     * digit reads as U+0000): the validator has the last word. */
    struct jv check = {line, len, 0, NULL};
    if (jv_value(&check, 0) < 0) {
        describe_json_error(line, len, lead, why, whylen);
        return PARSE_ERROR;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(why, whylen, "not a JSON object");
        return PARSE_ERROR;
    }

    memset(rec, 0, sizeof *rec);
    size_t text_used = 0;
    text_reserve(p, len);
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, "address");
    if (!item) {
        snprintf(why, whylen, "no \"address\"");
        return PARSE_ERROR;
    }
    if (get_count(item, "address", &rec->addr, why, whylen) < 0)
        return PARSE_ERROR;

    item = cJSON_GetObjectItemCaseSensitive(root, "type");
    if (!item) {
        snprintf(why, whylen, "no \"type\"");
        return PARSE_ERROR;
    }
    if (!cJSON_IsString(item)) {
        snprintf(why, whylen, "\"type\" is not a string");
        return PARSE_ERROR;
    }
    if (raw_string(p, &text_used, line, len, "type", &rec->type, &rec->type_len) < 0) {
        rec->type = item->valuestring;
        rec->type_len = strlen(item->valuestring);
    }
    if (rec->type_len == 0) {
        snprintf(why, whylen, "\"type\" is empty");
        return PARSE_ERROR;
    }
    if (memchr(rec->type, '\0', rec->type_len)) {
        snprintf(why, whylen, "\"type\" holds a NUL character");
        return PARSE_ERROR;
    }

    item = cJSON_GetObjectItemCaseSensitive(root, "size");
    if (item && get_count(item, "size", &rec->size, why, whylen) < 0)
        return PARSE_ERROR;

    item = cJSON_GetObjectItemCaseSensitive(root, "len");
    if (item && !cJSON_IsNull(item)) {
        if (get_count(item, "len", &rec->len, why, whylen) < 0)
            return PARSE_ERROR;
        rec->flags |= OF_HAS_LEN;
    }

    item = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (item && !cJSON_IsNull(item)) {
        if (!cJSON_IsString(item)) {
            snprintf(why, whylen, "\"name\" is not a string");
            return PARSE_ERROR;
        }
        if (raw_string(p, &text_used, line, len, "name", &rec->str, &rec->str_len) < 0) {
            rec->str = item->valuestring;
            rec->str_len = strlen(item->valuestring);
        }
        rec->flags |= OF_NAME;
    }

    item = cJSON_GetObjectItemCaseSensitive(root, "value");
    if (item) {
        rec->flags &= (uint8_t)~OF_NAME; /* a value wins over a name (meliae never writes both) */
        if (cJSON_IsString(item)) {
            if (raw_string(p, &text_used, line, len, "value", &rec->str, &rec->str_len) < 0) {
                rec->str = item->valuestring;
                rec->str_len = strlen(item->valuestring);
            }
            rec->flags |= OF_VALUE;
        } else if (cJSON_IsNumber(item)) {
            if (raw_member(p, text_used, line, len, "value", &rec->str, &rec->str_len) < 0) {
                snprintf(why, whylen, "cannot find the text of \"value\"");
                return PARSE_ERROR;
            }
            rec->flags |= OF_VALUE_NUM;
        } else if (cJSON_IsBool(item)) {
            rec->str = cJSON_IsTrue(item) ? "True" : "False";
            rec->str_len = strlen(rec->str);
            rec->flags |= OF_VALUE;
        } else if (cJSON_IsNull(item)) {
            rec->str = NULL;
            rec->str_len = 0;
            rec->flags |= OF_VALUE_NULL;
        } else {
            snprintf(why, whylen, "\"value\" is %s", cJSON_IsArray(item) ? "an array" : "an object");
            return PARSE_ERROR;
        }
    }

    /* heapwalk's scanner: a stack frame's line. Another writer's "line" that
     * is not a line number is an extra key like any other: ignored. */
    item = cJSON_GetObjectItemCaseSensitive(root, "line");
    if (item && cJSON_IsNumber(item) && item->valuedouble >= 1 && item->valuedouble < 4294967296.0 &&
        item->valuedouble == (double)(uint32_t)item->valuedouble)
        rec->line = (uint32_t)item->valuedouble;

    /* heapwalk's own export marks the owners of collapsed dicts. */
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "collapsed")))
        rec->flags |= OF_COLLAPSED;

    item = cJSON_GetObjectItemCaseSensitive(root, "refs");
    if (item && !cJSON_IsNull(item)) {
        if (!cJSON_IsArray(item)) {
            snprintf(why, whylen, "\"refs\" is not an array");
            return PARSE_ERROR;
        }
        size_t n = 0;
        for (const cJSON *r = item->child; r; r = r->next) {
            if (n == p->refs_cap) {
                p->refs_cap = p->refs_cap ? p->refs_cap * 2 : 64;
                p->refs = xreallocarray(p->refs, p->refs_cap, sizeof *p->refs, "a line's refs");
            }
            if (get_count(r, "refs", &p->refs[n], why, whylen) < 0) {
                size_t used = strlen(why);
                snprintf(why + used, whylen - used, " (item %zu)", n);
                return PARSE_ERROR;
            }
            n++;
        }
        rec->refs = p->refs;
        rec->nrefs = n;
    }
    return PARSE_RECORD;
}

/* --- the fast path: meliae's own layout, byte for byte --- */

/* 1 with rec filled, 0 when the line is not in meliae's exact layout. */
static int parse_fast(struct parser *p, const char *line, size_t len, struct record *rec)
{
    struct cursor c = {line, line + len};
    size_t text_used = 0;
    memset(rec, 0, sizeof *rec);
    text_reserve(p, len);
    if (!LIT(&c, "{\"address\": ") || !fast_count(&c, &rec->addr))
        return 0;
    if (!LIT(&c, ", \"type\": ") || c.s >= c.end || *c.s != '"' ||
        !decode_string(p, &c, &text_used, &rec->type, &rec->type_len, 0) || rec->type_len == 0 ||
        memchr(rec->type, '\0', rec->type_len))
        return 0;
    if (!LIT(&c, ", \"size\": ") || !fast_count(&c, &rec->size))
        return 0;
    if (LIT(&c, ", \"name\": ")) {
        if (c.s >= c.end || *c.s != '"' || !decode_string(p, &c, &text_used, &rec->str, &rec->str_len, 0))
            return 0;
        rec->flags |= OF_NAME;
    }
    if (LIT(&c, ", \"len\": ")) {
        if (!fast_count(&c, &rec->len))
            return 0;
        rec->flags |= OF_HAS_LEN;
    }
    if (LIT(&c, ", \"value\": ")) {
        if (rec->flags & OF_NAME)
            return 0;
        if (c.s < c.end && *c.s == '"') {
            if (!decode_string(p, &c, &text_used, &rec->str, &rec->str_len, 0))
                return 0;
            rec->flags |= OF_VALUE;
        } else if (LIT(&c, "null")) {
            rec->flags |= OF_VALUE_NULL;
        } else {
            const char *v0 = c.s, *q = c.s;
            if (q < c.end && *q == '-')
                q++;
            const char *d0 = q;
            while (q < c.end && *q >= '0' && *q <= '9')
                q++;
            if (q == d0 || (*d0 == '0' && q - d0 > 1))
                return 0;
            rec->str = v0;
            rec->str_len = (size_t)(q - v0);
            rec->flags |= OF_VALUE_NUM;
            c.s = q;
        }
    }
    if (!LIT(&c, ", \"refs\": ["))
        return 0;
    size_t n = 0;
    if (!LIT(&c, "]")) {
        for (;;) {
            if (n == p->refs_cap) {
                p->refs_cap = p->refs_cap ? p->refs_cap * 2 : 64;
                p->refs = xreallocarray(p->refs, p->refs_cap, sizeof *p->refs, "a line's refs");
            }
            if (!fast_count(&c, &p->refs[n]))
                return 0;
            n++;
            if (LIT(&c, "]"))
                break;
            if (!LIT(&c, ", "))
                return 0;
        }
    }
    if (!LIT(&c, "}") || c.s != c.end)
        return 0;
    rec->refs = p->refs;
    rec->nrefs = n;
    return 1;
}

enum parse_result parse_line_cjson(struct parser *p, const char *line, size_t len, struct record *rec,
                                   char *why, size_t whylen)
{
    const char *start = line;
    if (trim_line(&line, &len))
        return PARSE_SKIP;
    return parse_trimmed_cjson(p, line, len, (size_t)(line - start), rec, why, whylen);
}

enum parse_result parse_line(struct parser *p, const char *line, size_t len, struct record *rec, char *why,
                             size_t whylen)
{
    const char *start = line;
    if (trim_line(&line, &len))
        return PARSE_SKIP;
    if (parse_fast(p, line, len, rec)) {
        p->fast++;
        return PARSE_RECORD;
    }
    return parse_trimmed_cjson(p, line, len, (size_t)(line - start), rec, why, whylen);
}
