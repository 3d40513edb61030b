/*
 * test_view_user.c - ssgw_view_find_user against the lookups it answers from: the CAP and
 * MAP context tables (ssgw_cap_acn_from_oid, ssgw_map_acn_from_oid) and the MAP arc. The
 * answers for 7-octet contexts come from a per-thread memo (src/wire/tcap_user.c), so every
 * context is asked twice, in orders that make contexts share and take over memo slots: all
 * 7-octet contexts under 0.4.0.0.1 with the fifth octet among the values the tables use and
 * the last two any octet, random contexts of every length up to 16, and each of them again.
 */
#include "check.h"
#include "ssgw/cap.h"
#include "ssgw/map.h"
#include "ssgw/view.h"
#include "wire/view_int.h"

static ssgw_view v;

/* What ssgw_view_find_user must set for a dialogue naming the context o (n octets). */
static void expect(const uint8_t *o, size_t n)
{
    static const uint8_t map_arc[] = {0x04, 0x00, 0x00, 0x01, 0x00};
    const ssgw_map_acn *acn = NULL;
    int version = 0;
    bool other = false;
    ssgw_tcap_user user;
    const ssgw_cap_acn *cap = ssgw_cap_acn_from_oid(o, n);
    if (cap) {
        user = SSGW_TCU_CAP;
        other = true;
    } else if (ssgw_map_acn_from_oid(o, n, &acn, &version) == 0 && acn) {
        user = SSGW_TCU_MAP;
    } else {
        acn = NULL;
        version = 0;
        other = !(n >= sizeof map_arc && memcmp(o, map_arc, sizeof map_arc) == 0);
        user = other ? SSGW_TCU_UNKNOWN : SSGW_TCU_MAP;
    }
    CHECK(v.acn == acn);
    CHECK_INT(v.acn_version, version);
    CHECK_INT(v.acn_other, other);
    CHECK(v.cap_acn == cap);
    CHECK_INT(v.tcap_user, user);
    CHECK_INT(v.tcap_user_basis, SSGW_TCU_BY_CONTEXT);
}

/* Decides the user of a dialogue naming o (a copy of it: the answer must not depend on where
 * the octets lie) and checks it. */
static void ask(const uint8_t *o, size_t n)
{
    uint8_t copy[16];
    memcpy(copy, o, n);
    v.acn = (const ssgw_map_acn *)1; /* stale answers, to be replaced */
    v.acn_version = -7;
    v.acn_other = true;
    v.cap_acn = (const ssgw_cap_acn *)1;
    v.tcap_user = SSGW_TCU_NONE;
    v.tcap.dialogue_present = true;
    v.tcap.dialogue.acn = copy;
    v.tcap.dialogue.acn_len = n;
    ssgw_view_find_user(&v);
    expect(copy, n);
}

/* First, while the memo is empty: a context of seven zero octets (an empty slot's key). */
static void test_zero_context(void)
{
    static const uint8_t zero[7];
    ask(zero, sizeof zero);
    ask(zero, sizeof zero);
}

static void test_arc_contexts(void)
{
    static const uint8_t fifth[] = {0x00, 0x01, 0x02, 0x15, 0x16, 0x17, 0x18, 0x32, 0x80, 0xff};
    for (int pass = 0; pass < 2; pass++)
        for (size_t f = 0; f < sizeof fifth; f++)
            for (int a = 0; a < 256; a++)
                for (int b = 0; b < 256; b++) {
                    /* the second pass in another order: other slot sharers in between */
                    int x = pass ? b : a, y = pass ? a : b;
                    uint8_t o[7] = {0x04, 0x00, 0x00, 0x01, fifth[f], (uint8_t)x, (uint8_t)y};
                    ask(o, sizeof o);
                }
}

static void test_random_contexts(void)
{
    enum { N = 20000 };
    static uint8_t oids[N][16];
    static size_t lens[N];
    for (int i = 0; i < N; i++) {
        uint64_t r = check_rand();
        lens[i] = i % 3 ? 7 : 1 + r % 16;
        for (size_t k = 0; k < 16; k++)
            oids[i][k] = (uint8_t)check_rand();
        if (i % 2) memcpy(oids[i], "\x04\x00\x00\x01", 4); /* near the MAP and CAP arcs */
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < N; i++) {
            int k = pass ? N - 1 - i : i;
            ask(oids[k], lens[k]);
        }
}

/* Without a context: the called SSN decides (CAP's 146), as before. */
static void test_no_context(void)
{
    memset(&v, 0, sizeof v);
    v.has_tcap = true;
    ssgw_view_find_user(&v);
    CHECK_INT(v.tcap_user, SSGW_TCU_MAP);
    CHECK_INT(v.tcap_user_basis, SSGW_TCU_BY_DEFAULT);
    CHECK(v.acn == NULL && v.cap_acn == NULL && !v.acn_other && v.acn_version == 0);
    v.has_sccp = true;
    v.sccp.called.has_ssn = true;
    v.sccp.called.ssn = 146;
    ssgw_view_find_user(&v);
    CHECK_INT(v.tcap_user, SSGW_TCU_CAP);
    CHECK_INT(v.tcap_user_basis, SSGW_TCU_BY_SSN);
}

int main(void)
{
    RUN(test_zero_context);
    RUN(test_arc_contexts);
    RUN(test_random_contexts);
    RUN(test_no_context);
    return check_summary();
}
