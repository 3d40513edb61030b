/* test_json.c - the JSON lines writer: escaping, nesting, overflow. Parsed back by python3's json
 * in the oracle tests. The writer copies runs and formats integers by hand for speed; a plain
 * reference writer here (one octet at a time, snprintf) must give the same bytes and the same
 * overflow on random strings, integers, octets and buffer sizes. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ssgw/json.h"
#include "util/json_int.h"

static void json_basic(void)
{
    char mem[256];
    ssgw_json j;
    ssgw_json_begin(&j, mem, sizeof mem);
    ssgw_json_int(&j, "frame", 7);
    ssgw_json_str(&j, "s", "a\"b\\c\n\x01\xff");
    ssgw_json_array_begin(&j, "list");
    ssgw_json_object_begin(&j, NULL);
    ssgw_json_hex(&j, "h", (const uint8_t *)"\x0a\xff", 2);
    ssgw_json_object_end(&j);
    ssgw_json_bool(&j, NULL, true);
    ssgw_json_array_end(&j);
    CHECK(ssgw_json_end(&j) > 0);
    CHECK_STR(mem, "{\"frame\":7,\"s\":\"a\\\"b\\\\c\\u000a\\u0001\\u00ff\",\"list\":[{\"h\":"
                   "\"0aff\"},true]}");
}

static void json_utf8(void)
{
    /* well-formed UTF-8 goes through as it is (é, €, U+1F600); a stray or cut sequence,
     * an overlong form and an encoded surrogate are escaped octet by octet */
    char mem[256];
    ssgw_json j;
    ssgw_json_begin(&j, mem, sizeof mem);
    ssgw_json_str(&j, "t", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    ssgw_json_str(&j, "b", "\xe2\x82|\xc0\xaf|\xed\xa0\x80");
    CHECK(ssgw_json_end(&j) > 0);
    CHECK_STR(mem, "{\"t\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"b\":\"\\u00e2\\u0082|"
                   "\\u00c0\\u00af|\\u00ed\\u00a0\\u0080\"}");
}

static void json_overflow(void)
{
    char mem[16];
    ssgw_json j;
    ssgw_json_begin(&j, mem, sizeof mem);
    ssgw_json_str(&j, "key", "a long value that does not fit");
    CHECK_INT(ssgw_json_end(&j), -1);
    ssgw_json_begin(&j, mem, sizeof mem);
    ssgw_json_array_begin(&j, "a");
    CHECK_INT(ssgw_json_end(&j), -1); /* left open */
    /* nesting: the record's object and 7 more levels fit, an 8th is an overflow */
    for (int levels = SSGW_JSON_MAX_DEPTH - 1; levels <= SSGW_JSON_MAX_DEPTH; levels++) {
        char big[256];
        ssgw_json_begin(&j, big, sizeof big);
        ssgw_json_object_begin(&j, "o");
        for (int i = 1; i < levels; i++)
            ssgw_json_array_begin(&j, NULL);
        for (int i = 1; i < levels; i++)
            ssgw_json_array_end(&j);
        ssgw_json_object_end(&j);
        long n = ssgw_json_end(&j);
        if (levels < SSGW_JSON_MAX_DEPTH)
            CHECK_STR(big, "{\"o\":{[[[[[[]]]]]]}}");
        else
            CHECK_INT(n, -1);
    }
}

/* ---- the reference: RFC 8259 escaping one octet at a time, integers with snprintf ---- */

typedef struct {
    char *buf;
    size_t cap, len;
    bool overflow;
} ref_out;

static void ref_put(ref_out *o, const char *s, size_t n)
{
    if (o->overflow || n >= o->cap - o->len) {
        o->overflow = true;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static size_t ref_utf8(const unsigned char *s, size_t n)
{
    size_t l = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (l == 0 || s[0] > 0xf4 || l > n) return 0;
    for (size_t k = 1; k < l; k++)
        if ((s[k] & 0xc0) != 0x80) return 0;
    if (l == 3 && s[0] == 0xe0 && s[1] < 0xa0) return 0;
    if (l == 3 && s[0] == 0xed && s[1] >= 0xa0) return 0;
    if (l == 4 && s[0] == 0xf0 && s[1] < 0x90) return 0;
    if (l == 4 && s[0] == 0xf4 && s[1] >= 0x90) return 0;
    return l;
}

static void ref_str(ref_out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ref_put(o, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t l = c >= 0x80 ? ref_utf8((const unsigned char *)s + i, n - i) : 0;
        if (l) {
            ref_put(o, s + i, l);
            i += l - 1;
        } else if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            ref_put(o, e, 2);
        } else if (c < 0x20 || c >= 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            ref_put(o, e, 6);
        } else {
            ref_put(o, (const char *)&c, 1);
        }
    }
    ref_put(o, "\"", 1);
}

/* Random text: mostly printable, with quotes, controls, UTF-8 (good and broken) and 0xff. */
static size_t rnd_text(char *t, size_t cap)
{
    static const char *const pieces[] = {"\"",           "\\",
                                         "\n",           "\x01",
                                         "\x7f",         "\xc3\xa9",
                                         "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                         "\xe2\x82",     "\xed\xa0\x80",
                                         "\xff",         "\xc0\xaf",
                                         "abc",          " "};
    size_t n = 0, want = check_rand() % 40;
    while (n < want) {
        if (check_rand() % 3) {
            t[n++] = (char)(0x20 + check_rand() % 95);
        } else {
            const char *p = pieces[check_rand() % (sizeof pieces / sizeof pieces[0])];
            size_t l = strlen(p);
            if (n + l >= cap) break;
            memcpy(t + n, p, l);
            n += l;
        }
    }
    return n;
}

/* Ends j and checks it against the reference output o: both overflow, or the same text. */
static void same_as_reference(ssgw_json *j, const ref_out *o)
{
    long got = ssgw_json_end(j);
    bool ref_ok = !o->overflow && o->len < o->cap;
    CHECK_INT(got >= 0, ref_ok);
    if (got >= 0 && ref_ok) {
        CHECK_INT((long)o->len, got);
        CHECK(memcmp(j->buf, o->buf, o->len) == 0);
    }
}

static void json_same_as_reference(void)
{
    static const long long edge[] = {0,
                                     1,
                                     -1,
                                     9,
                                     10,
                                     -10,
                                     99,
                                     100,
                                     LLONG_MAX,
                                     LLONG_MIN,
                                     LLONG_MIN + 1,
                                     4294967295LL,
                                     -4294967296LL};
    int failed_before = check_failed;
    for (int round = 0; round < 20000; round++) {
        char mem[512], want[512];
        size_t cap = 2 + check_rand() % 300;
        ssgw_json j;
        ssgw_json_begin(&j, mem, cap);
        ref_out o = {want, cap, 0, cap < 2};
        ref_put(&o, "{", 1);
        int fields = 1 + (int)(check_rand() % 6);
        for (int f = 0; f < fields; f++) {
            char key[64], val[256];
            size_t kl = rnd_text(key, 40);
            key[kl] = '\0';
            bool nul_in_key = strlen(key) != kl;
            if (nul_in_key) kl = strlen(key);
            if (f) ref_put(&o, ",", 1);
            ref_str(&o, key, kl);
            ref_put(&o, ":", 1);
            switch (check_rand() % 3) {
            case 0: {
                long long v = check_rand() % 4
                                  ? (long long)check_rand() >> (check_rand() % 64)
                                  : edge[check_rand() % (sizeof edge / sizeof edge[0])];
                if (check_rand() % 2 && v != LLONG_MIN) v = -v;
                ssgw_json_int(&j, key, v);
                char tmp[32];
                ref_put(&o, tmp, (size_t)snprintf(tmp, sizeof tmp, "%lld", v));
                break;
            }
            case 1: {
                size_t vl = rnd_text(val, 200);
                ssgw_json_strn(&j, key, val, vl);
                ref_str(&o, val, vl);
                break;
            }
            default: {
                uint8_t b[64];
                size_t bl = check_rand() % sizeof b;
                for (size_t i = 0; i < bl; i++)
                    b[i] = (uint8_t)check_rand();
                ssgw_json_hex(&j, key, b, bl);
                ref_put(&o, "\"", 1);
                for (size_t i = 0; i < bl; i++) {
                    char h[3];
                    snprintf(h, sizeof h, "%02x", b[i]);
                    ref_put(&o, h, 2);
                }
                ref_put(&o, "\"", 1);
                break;
            }
            }
        }
        ref_put(&o, "}", 1);
        same_as_reference(&j, &o);
        if (check_failed > failed_before) break; /* one failing input is enough to look at */
    }
}

/* How a test hands the writer its key: through the header's wrappers (a literal's length
 * comes from the compiler, any other key is measured), through the ssgw_json_k* calls with the
 * key's length, or through the exported functions of the old names (the key measured). */
enum key_way { BY_WRAPPER, BY_LENGTH, BY_OLD_NAME, KEY_WAYS };

/* One item of kind `kind` under key (plain when `way` is BY_LENGTH), written the given way; the
 * string and the integer as long as their kind allows (every octet escaped; LLONG_MIN). */
static void write_item(ssgw_json *j, enum key_way way, int kind, const char *key)
{
    size_t kl = key ? strlen(key) : 0;
    static const uint8_t bytes[] = {0x00, 0x9f, 0xff};
    switch (kind) {
    case 0:
        if (way == BY_WRAPPER) ssgw_json_strn(j, key, "\x01\x7f\xff", 3);
        if (way == BY_LENGTH) ssgw_json_kstrn(j, key, kl, "\x01\x7f\xff", 3);
        if (way == BY_OLD_NAME) (ssgw_json_strn)(j, key, "\x01\x7f\xff", 3);
        break;
    case 1:
        if (way == BY_WRAPPER) ssgw_json_int(j, key, LLONG_MIN);
        if (way == BY_LENGTH) ssgw_json_kint(j, key, kl, LLONG_MIN);
        if (way == BY_OLD_NAME) (ssgw_json_int)(j, key, LLONG_MIN);
        break;
    case 2:
        if (way == BY_WRAPPER) ssgw_json_bool(j, key, false);
        if (way == BY_LENGTH) ssgw_json_kbool(j, key, kl, false);
        if (way == BY_OLD_NAME) (ssgw_json_bool)(j, key, false);
        break;
    case 3:
        if (way == BY_WRAPPER) ssgw_json_hex(j, key, bytes, sizeof bytes);
        if (way == BY_LENGTH) ssgw_json_khex(j, key, kl, bytes, sizeof bytes);
        if (way == BY_OLD_NAME) (ssgw_json_hex)(j, key, bytes, sizeof bytes);
        break;
    case 4:
        if (way == BY_WRAPPER) ssgw_json_object_begin(j, key);
        if (way == BY_LENGTH) ssgw_json_kobject_begin(j, key, kl);
        if (way == BY_OLD_NAME) (ssgw_json_object_begin)(j, key);
        ssgw_json_object_end(j);
        break;
    default:
        if (way == BY_WRAPPER) ssgw_json_array_begin(j, key);
        if (way == BY_LENGTH) ssgw_json_karray_begin(j, key, kl);
        if (way == BY_OLD_NAME) (ssgw_json_array_begin)(j, key);
        if (way == BY_WRAPPER) ssgw_json_str(j, NULL, "in");
        if (way == BY_LENGTH) ssgw_json_kstrn(j, NULL, 0, "in", 2);
        if (way == BY_OLD_NAME) (ssgw_json_str)(j, NULL, "in");
        ssgw_json_array_end(j);
        break;
    }
}

/* What write_item() writes after the key, as the reference writes it. */
static void ref_item(ref_out *o, int kind)
{
    static const char *const text[] = {"\"\\u0001\\u007f\\u00ff\"",
                                       "-9223372036854775808",
                                       "false",
                                       "\"009fff\"",
                                       "{}",
                                       "[\"in\"]"};
    ref_put(o, text[kind], strlen(text[kind]));
}

#define KINDS 6

/* Keys of every length from 0 to 80 and around 256 (the longest key copied in one go), plain
 * or ending in a '"' (then measured and escaped; not by length, which promises a plain key),
 * every kind of item, each way of passing the key, with every buffer size around the one they
 * need: the same text (or the same overflow) as the reference, and nothing written at or past
 * the buffer's end. */
static void json_keys_every_length_and_cap(void)
{
    int failed_before = check_failed;
    for (size_t n = 0; n <= 2 * 263; n++) {
        size_t kl = n % 263;
        bool quote = n >= 263;
        if ((kl > 80 && kl < 250) || (quote && !kl)) continue;
        char key[300];
        for (size_t i = 0; i < kl; i++)
            key[i] = (char)('a' + i % 26);
        key[kl] = '\0';
        if (quote) key[kl - 1] = '"';
        for (int kind = 0; kind < KINDS; kind++) {
            char want[512];
            ref_out full = {want, sizeof want, 0, false};
            ref_put(&full, "{\"n\":1,", 7);
            ref_str(&full, key, kl);
            ref_put(&full, ":", 1);
            ref_item(&full, kind);
            ref_put(&full, "}", 1);
            for (size_t cap = 2; cap <= full.len + 3; cap++) {
                for (int way = 0; way < KEY_WAYS; way++) {
                    if (quote && way == BY_LENGTH) continue;
                    char mem[520];
                    memset(mem, '#', sizeof mem);
                    ssgw_json j;
                    ssgw_json_begin(&j, mem, cap);
                    ssgw_json_int(&j, "n", 1);
                    write_item(&j, (enum key_way)way, kind, key);
                    ref_out o = {want, cap, full.len, full.len >= cap};
                    same_as_reference(&j, &o);
                    for (size_t i = cap; i < sizeof mem; i++)
                        if (mem[i] != '#') {
                            CHECK(!"written past cap");
                            break;
                        }
                    if (check_failed > failed_before) {
                        fprintf(stderr, "key %s, kind %d, way %d, cap %zu\n", key, kind, way, cap);
                        return;
                    }
                }
            }
        }
    }
}

/* Plain keys of every length around the writer's 64-octet short cut, with every buffer size
 * around the one they need: the same text (or the same overflow) as the reference. */
static void json_plain_keys_every_length(void)
{
    int failed_before = check_failed;
    for (size_t kl = 0; kl <= 80; kl++) {
        char key[96];
        for (size_t i = 0; i < kl; i++)
            key[i] = (char)('a' + i % 26);
        key[kl] = '\0';
        for (size_t cap = 2; cap <= kl + 80; cap++) {
            char mem[256], want[256];
            ssgw_json j;
            ssgw_json_begin(&j, mem, cap);
            ssgw_json_int(&j, "n", 1);
            ssgw_json_str(&j, key, "v");
            ref_out o = {want, cap, 0, false};
            ref_put(&o, "{\"n\":1,", 7);
            ref_str(&o, key, kl);
            ref_put(&o, ":\"v\"}", 5);
            same_as_reference(&j, &o);
            if (check_failed > failed_before) return;
        }
    }
}

/* The digit count and the digits at every power of ten and either side of it, against printf. */
static void json_decimal_every_length(void)
{
    unsigned long long p = 1;
    for (int d = 1; d <= 20; d++) {
        unsigned long long around[] = {p - 1, p, p + 1, p * 5, ~0ull};
        for (size_t k = 0; k < sizeof around / sizeof around[0]; k++) {
            unsigned long long v = around[k];
            char want[32], got[32];
            int n = snprintf(want, sizeof want, "%llu", v);
            CHECK_INT(ssgw_json_dec_len(v), n);
            char *start = ssgw_json_dec_u64(got + 24, v);
            CHECK_INT(got + 24 - start, n);
            CHECK(memcmp(start, want, (size_t)n) == 0);
        }
        if (d < 20) p *= 10;
    }
}

/* Groups (util/json_int.h, the record's frame and view keys): items written into a group,
 * in the record's buffer or in the group's own block, give the same bytes and the same
 * overflow as the reference writer, at every buffer size; the group may open the record's
 * object (no ',' first) or follow other keys; strings that leave the run (long, escaped) and
 * names that are not memoised (long, not plain) go through the checked writer. */
static void json_groups_same_as_reference(void)
{
    static const char *const names[] = {"sctp",
                                        "begin",
                                        "openssgw.event/1",
                                        "a\"b",
                                        "a-name-much-longer-than-the-memo-holds-abcdefghijklmnop",
                                        ""};
    static const long long ints[] = {0, 7, 10, -1, 99999, LLONG_MAX, LLONG_MIN};
    int failed_before = check_failed;
    for (int round = 0; round < 40000; round++) {
        char mem[2048], want[2048];
        size_t cap = 2 + check_rand() % 1400;
        ssgw_json j;
        ssgw_json_begin(&j, mem, cap);
        ref_out o = {want, cap, 0, cap < 2};
        ref_put(&o, "{", 1);
        bool any = check_rand() % 2;
        if (any) {
            ssgw_json_int(&j, "before", 1);
            ref_put(&o, "\"before\":1", 10);
        }
        ssgw_jg g;
        ssgw_jg_begin(&g, &j, 9 * (JG_KEY("k") + JG_ROOM + 16) + 1);
        int items = (int)(check_rand() % 10);
        for (int i = 0; i < items; i++) {
            char val[256], tmp[32];
            if (any) ref_put(&o, ",", 1);
            any = true;
            ref_put(&o, "\"k\":", 4);
            JG_K(&g, "k");
            switch (check_rand() % 7) {
            case 0: {
                long long v = check_rand() % 2 ? (long long)check_rand() >> (check_rand() % 64)
                                               : ints[check_rand() % 7];
                ssgw_jg_int(&g, v);
                ref_put(&o, tmp, (size_t)snprintf(tmp, sizeof tmp, "%lld", v));
                break;
            }
            case 1: {
                size_t vl = rnd_text(val, 200);
                ssgw_jg_strn(&g, val, vl);
                ref_str(&o, val, vl);
                break;
            }
            case 2: {
                const char *nm = names[check_rand() % 6];
                ssgw_jg_name(&g, nm);
                ref_str(&o, nm, strlen(nm));
                break;
            }
            case 3: {
                bool b = check_rand() % 2;
                ssgw_jg_bool(&g, b);
                ref_put(&o, b ? "true" : "false", b ? 4 : 5);
                break;
            }
            case 4: {
                uint8_t b[4] = {(uint8_t)check_rand(), 0, 0xff, 0x1a};
                ssgw_jg_hex(&g, b, 4);
                ref_put(&o, tmp,
                        (size_t)snprintf(tmp, sizeof tmp, "\"%02x%02x%02x%02x\"", b[0], b[1], b[2],
                                         b[3]));
                break;
            }
            case 5: { /* a value's text written in place: plain, or not (escaped) */
                size_t vl = rnd_text(val, JG_ROOM - 2);
                memcpy(ssgw_jg_room(&g), val, vl);
                ssgw_jg_room_done(&g, vl);
                ref_str(&o, val, vl);
                break;
            }
            default: { /* an array of objects opened and closed in the group */
                ssgw_jg_array(&g);
                ref_put(&o, "[", 1);
                int n = (int)(check_rand() % 3);
                for (int k = 0; k < n; k++) {
                    ssgw_jg_object(&g, k == 0);
                    JG_K0(&g, "t");
                    ssgw_jg_int(&g, k);
                    ssgw_jg_object_end(&g);
                    ref_put(&o, tmp,
                            (size_t)snprintf(tmp, sizeof tmp, "%s{\"t\":%d}", k ? "," : "", k));
                }
                ssgw_jg_array_end(&g);
                ref_put(&o, "]", 1);
                break;
            }
            }
        }
        ssgw_jg_end(&g);
        if (check_rand() % 2) {
            ssgw_json_bool(&j, "after", true);
            ref_put(&o, any ? ",\"after\":true" : "\"after\":true", any ? 13 : 12);
        }
        ref_put(&o, "}", 1);
        same_as_reference(&j, &o);
        if (check_failed > failed_before) break;
    }
}

int main(void)
{
    RUN(json_basic);
    RUN(json_utf8);
    RUN(json_overflow);
    RUN(json_same_as_reference);
    RUN(json_groups_same_as_reference);
    RUN(json_plain_keys_every_length);
    RUN(json_keys_every_length_and_cap);
    RUN(json_decimal_every_length);
    return check_summary();
}
