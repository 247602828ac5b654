/* parse.c: one line of a dump -> one record (see parse.h): the fast path
 * first (parse_fast.c), then cJSON, the reader of record, one function per
 * field; a small validator says where a line that is not JSON goes wrong. */
#include "parse.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "parse_text.h"
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

/* --- lone surrogates, which JSON allows and cJSON refuses --- */

/* The code unit of a \uXXXX escape at s[i] == '\\', or -1. */
static long u_escape(const char *s, size_t len, size_t i)
{
    if (i + 6 > len || s[i] != '\\' || s[i + 1] != 'u')
        return -1;
    long v = 0;
    for (size_t k = 2; k < 6; k++) {
        int d = ptext_hexval(s[i + k]);
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

/* --- where a line that is not JSON goes wrong --- */

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
    while (v->i < v->len && ptext_is_space(v->s[v->i]))
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

/* --- fields through cJSON --- */

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
    while (i < len && s[i] != ',' && s[i] != '}' && s[i] != ']' && !ptext_is_space(s[i]))
        i++;
    return i;
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
    while (i < len && ptext_is_space(s[i]))
        i++;
    if (i >= len || s[i] != '{')
        return -1;
    i++;
    while (i < len) {
        while (i < len && (ptext_is_space(s[i]) || s[i] == ','))
            i++;
        if (i >= len || s[i] != '"')
            return -1;
        struct ptext_cursor c = {s + i, s + len};
        size_t used = text_used; /* scratch after the strings kept so far */
        const char *k;
        size_t kn;
        int match = ptext_string(p, &c, &used, &k, &kn, 1) && kn == klen && memcmp(k, key, klen) == 0;
        i = skip_string(s, len, i);
        while (i < len && ptext_is_space(s[i]))
            i++;
        if (i >= len || s[i] != ':')
            return -1;
        i++;
        while (i < len && ptext_is_space(s[i]))
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
    struct ptext_cursor c = {v, v + vn};
    return ptext_string(p, &c, text_used, out, outlen, 1) ? 0 : -1;
}

/* Trim white space and the array form's trailing comma; 1 if nothing is left
 * but a blank or an array bracket. */
static int trim_line(const char **line, size_t *len)
{
    const char *s = *line;
    size_t n = *len;
    while (n && ptext_is_space(s[n - 1]))
        n--;
    while (n && ptext_is_space(*s)) {
        s++;
        n--;
    }
    if (n && s[n - 1] == ',') {
        n--;
        while (n && ptext_is_space(s[n - 1]))
            n--;
    }
    *line = s;
    *len = n;
    return n == 0 || (n == 1 && (s[0] == '[' || s[0] == ']'));
}

/* The line, parsed by cJSON and checked by the validator: the root object in
 * p->root, or -1 with why set.  lead bytes of white space were trimmed off
 * its front. */
static int cjson_parse(struct parser *p, const char *line, size_t len, size_t lead, char *why, size_t whylen)
{
    cJSON_Delete(p->root);
    p->root = NULL;
    if (line[0] != '{') {
        unsigned char c0 = (unsigned char)line[0];
        if (c0 >= 0x20 && c0 < 0x7f)
            snprintf(why, whylen, "not a JSON object (starts with '%c')", c0);
        else
            snprintf(why, whylen, "not a JSON object (starts with byte 0x%02X)", c0);
        return -1;
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
        return -1;
    }
    p->root = root;
    if (end && end < line + len) {
        snprintf(why, whylen, "unexpected text after the object at byte %zu", lead + (size_t)(end - line) + 1);
        return -1;
    }
    /* cJSON lets some invalid text through (a \u escape with a non-hex
     * digit reads as U+0000): the validator has the last word. */
    struct jv check = {line, len, 0, NULL};
    if (jv_value(&check, 0) < 0) {
        describe_json_error(line, len, lead, why, whylen);
        return -1;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(why, whylen, "not a JSON object");
        return -1;
    }
    return 0;
}

/* One line being read through cJSON: each field's function reads its
 * member of root into rec, or says in why what is wrong with it (-1). */
struct slow {
    struct parser *p;
    const char *line;
    size_t len;
    size_t text_used;        /* bytes of p->text the line's strings take */
    const cJSON *root;
    struct record *rec;
    char *why;
    size_t whylen;
};

static const cJSON *member(const struct slow *s, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(s->root, key);
}

static int fail(struct slow *s, const char *msg)
{
    snprintf(s->why, s->whylen, "%s", msg);
    return -1;
}

/* A string member's exact bytes (NULs included), or cJSON's C string. */
static void cjson_string(struct slow *s, const cJSON *item, const char *key, const char **out, size_t *outlen)
{
    if (raw_string(s->p, &s->text_used, s->line, s->len, key, out, outlen) < 0) {
        *out = item->valuestring;
        *outlen = strlen(item->valuestring);
    }
}

static int cjson_address(struct slow *s)
{
    const cJSON *item = member(s, "address");
    if (!item)
        return fail(s, "no \"address\"");
    return get_count(item, "address", &s->rec->addr, s->why, s->whylen);
}

static int cjson_type(struct slow *s)
{
    struct record *rec = s->rec;
    const cJSON *item = member(s, "type");
    if (!item)
        return fail(s, "no \"type\"");
    if (!cJSON_IsString(item))
        return fail(s, "\"type\" is not a string");
    cjson_string(s, item, "type", &rec->type, &rec->type_len);
    if (rec->type_len == 0)
        return fail(s, "\"type\" is empty");
    if (memchr(rec->type, '\0', rec->type_len))
        return fail(s, "\"type\" holds a NUL character");
    return 0;
}

static int cjson_size(struct slow *s)
{
    const cJSON *item = member(s, "size");
    return item ? get_count(item, "size", &s->rec->size, s->why, s->whylen) : 0;
}

static int cjson_len(struct slow *s)
{
    const cJSON *item = member(s, "len");
    if (!item || cJSON_IsNull(item))
        return 0;
    if (get_count(item, "len", &s->rec->len, s->why, s->whylen) < 0)
        return -1;
    s->rec->flags |= OF_HAS_LEN;
    return 0;
}

static int cjson_name(struct slow *s)
{
    const cJSON *item = member(s, "name");
    if (!item || cJSON_IsNull(item))
        return 0;
    if (!cJSON_IsString(item))
        return fail(s, "\"name\" is not a string");
    cjson_string(s, item, "name", &s->rec->str, &s->rec->str_len);
    s->rec->flags |= OF_NAME;
    return 0;
}

static int cjson_value(struct slow *s)
{
    struct record *rec = s->rec;
    const cJSON *item = member(s, "value");
    if (!item)
        return 0;
    rec->flags &= (uint8_t)~OF_NAME; /* a value wins over a name (meliae never writes both) */
    if (cJSON_IsString(item)) {
        cjson_string(s, item, "value", &rec->str, &rec->str_len);
        rec->flags |= OF_VALUE;
    } else if (cJSON_IsNumber(item)) {
        /* The exact digits: cJSON keeps only a double, and ints in dumps go up to 2^63. */
        if (raw_member(s->p, s->text_used, s->line, s->len, "value", &rec->str, &rec->str_len) < 0)
            return fail(s, "cannot find the text of \"value\"");
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
        return fail(s, cJSON_IsArray(item) ? "\"value\" is an array" : "\"value\" is an object");
    }
    return 0;
}

/* heapwalk's scanner: a stack frame's line. Another writer's "line" that is
 * not a line number is an extra key like any other: ignored. */
static int cjson_line(struct slow *s)
{
    const cJSON *item = member(s, "line");
    if (item && cJSON_IsNumber(item) && item->valuedouble >= 1 && item->valuedouble < 4294967296.0 &&
        item->valuedouble == (double)(uint32_t)item->valuedouble)
        s->rec->line = (uint32_t)item->valuedouble;
    return 0;
}

/* heapwalk's own export marks the owners of collapsed dicts. */
static int cjson_collapsed(struct slow *s)
{
    if (cJSON_IsTrue(member(s, "collapsed")))
        s->rec->flags |= OF_COLLAPSED;
    return 0;
}

static int cjson_refs(struct slow *s)
{
    const cJSON *item = member(s, "refs");
    if (!item || cJSON_IsNull(item))
        return 0;
    if (!cJSON_IsArray(item))
        return fail(s, "\"refs\" is not an array");
    size_t n = 0;
    for (const cJSON *r = item->child; r; r = r->next, n++) {
        if (get_count(r, "refs", ptext_ref_slot(s->p, n), s->why, s->whylen) < 0) {
            size_t used = strlen(s->why);
            snprintf(s->why + used, s->whylen - used, " (item %zu)", n);
            return -1;
        }
    }
    s->rec->refs = s->p->refs;
    s->rec->nrefs = n;
    return 0;
}

/* A trimmed line through cJSON; lead bytes of white space were trimmed off its front. */
static enum parse_result parse_trimmed_cjson(struct parser *p, const char *line, size_t len, size_t lead,
                                             struct record *rec, char *why, size_t whylen)
{
    p->slow++;
    if (cjson_parse(p, line, len, lead, why, whylen) < 0)
        return PARSE_ERROR;
    memset(rec, 0, sizeof *rec);
    ptext_reserve(p, len);
    struct slow s = {p, line, len, 0, p->root, rec, why, whylen};
    if (cjson_address(&s) < 0 || cjson_type(&s) < 0 || cjson_size(&s) < 0 || cjson_len(&s) < 0 ||
        cjson_name(&s) < 0 || cjson_value(&s) < 0 || cjson_line(&s) < 0 || cjson_collapsed(&s) < 0 || cjson_refs(&s) < 0)
        return PARSE_ERROR;
    return PARSE_RECORD;
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
