/* test_json.c - the JSON lines writer: escaping, nesting, overflow. Parsed back by python3's json
 * in the oracle tests. */
#include "check.h"
#include "ssgw/json.h"

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
}

int main(void)
{
    RUN(json_basic);
    RUN(json_utf8);
    RUN(json_overflow);
    return check_summary();
}
