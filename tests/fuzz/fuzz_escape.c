/* libFuzzer target: the escaping rule (src/escape.c). For any bytes, every
 * form (field, Python literal, message, JSON, cJSON's text sanitized) must be
 * safe for a terminal (no control, DEL, C1 or format character, valid UTF-8);
 * a field must read back to valid UTF-8 input, and the JSON forms must parse. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_safe(const struct strbuf *sb)
{
    if (!hw_is_safe_text(sb->buf ? sb->buf : "", sb->len))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct strbuf out, back;
    sb_init(&out);
    sb_init(&back);
    hw_sb_escaped(&out, s, size);
    check_safe(&out);
    /* It reads back: valid UTF-8 byte for byte (an invalid byte comes back as
     * the character of its value, which is all that \xNN can say). */
    if (hw_unescape(&back, out.buf ? out.buf : "", out.len) != 0)
        abort();
    if (hw_is_utf8(s, size) && (back.len != size || (size && memcmp(back.buf, s, size) != 0)))
        abort();
    sb_reset(&out);
    hw_sb_repr(&out, s, size);
    check_safe(&out);
    sb_reset(&out);
    hw_sb_message(&out, s, size);
    check_safe(&out);

    sb_reset(&out);
    hw_sb_json(&out, s, size);
    check_safe(&out);
    int has_nul = memchr(s, 0, size) != NULL;
    cJSON *j = cJSON_ParseWithLength(out.buf, out.len);
    if (!j || !cJSON_IsString(j))
        abort();
    cJSON_Delete(j);

    /* cJSON's own text of the string (no NUL: cJSON strings are C strings) */
    if (!has_nul) {
        char *copy = malloc(size + 1);
        memcpy(copy, s, size);
        copy[size] = '\0';
        cJSON *str = cJSON_CreateString(copy);
        char *text = cJSON_PrintUnformatted(str);
        sb_reset(&out);
        hw_json_sanitize(&out, text, strlen(text));
        check_safe(&out);
        cJSON *k = cJSON_ParseWithLength(out.buf, out.len);
        if (!k || !cJSON_IsString(k))
            abort();
        cJSON_Delete(k);
        free(text);
        cJSON_Delete(str);
        free(copy);
    }
    sb_free(&out);
    sb_free(&back);
    return 0;
}
