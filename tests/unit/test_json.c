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
    RUN(json_overflow);
    return check_summary();
}
