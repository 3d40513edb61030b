/*
 * test_replay.c - the bounded replay cache of the token verifier (src/trust/replay.c):
 * a pair seen twice inside the window is a replay, different key ids or nonces are
 * not, memory stays at the capacity, evictions of live entries are counted, entries
 * older than the window are reused.
 */
#include <string.h>

#include "check.h"
#include "ssgw/token.h"

static void key(uint8_t id[8], uint8_t nonce[8], uint64_t i, uint8_t who)
{
    memset(id, who, 8);
    for (int k = 0; k < 8; k++)
        nonce[k] = (uint8_t)(i >> (8 * (7 - k)));
}

static void test_basic(void)
{
    ssgw_replay *r = ssgw_replay_new(1000, 60);
    uint8_t id[8], n[8];
    CHECK(r != NULL);
    key(id, n, 1, 0xaa);
    CHECK_INT(ssgw_replay_check_insert(r, id, n, 1000, 1000), 0);
    CHECK_INT(ssgw_replay_check_insert(r, id, n, 1000, 1010), 1);
    CHECK_INT(ssgw_replay_check_insert(r, id, n, 1000, 1060), 1); /* window edge */
    key(id, n, 2, 0xaa);
    CHECK_INT(ssgw_replay_check_insert(r, id, n, 1000, 1000), 0);
    key(id, n, 1, 0xbb); /* same nonce, other signer */
    CHECK_INT(ssgw_replay_check_insert(r, id, n, 1000, 1000), 0);
    ssgw_replay_stats st;
    ssgw_replay_get_stats(r, &st);
    CHECK_INT(st.inserted, 3);
    CHECK_INT(st.replays, 2);
    CHECK_INT(st.evicted_live, 0);
    CHECK(st.capacity >= 1000 && st.capacity <= 2048);
    ssgw_replay_free(r);
    CHECK(ssgw_replay_new(0, 60) == NULL);
    CHECK(ssgw_replay_new(10, -1) == NULL);
}

static void test_capacity_and_expiry(void)
{
    ssgw_replay *r = ssgw_replay_new(1024, 60);
    uint8_t id[8], n[8];
    /* 1024 inserts at the same time into 1024 slots: a few sets overflow */
    for (uint64_t i = 0; i < 1024; i++) {
        key(id, n, i, 0x11);
        CHECK_INT(ssgw_replay_check_insert(r, id, n, 5000, 5000), 0);
    }
    ssgw_replay_stats st;
    ssgw_replay_get_stats(r, &st);
    CHECK_INT(st.capacity, 1024);
    uint64_t evicted = st.evicted_live;
    /* everything not evicted is still detected */
    unsigned detected = 0;
    for (uint64_t i = 0; i < 1024; i++) {
        key(id, n, i, 0x11);
        detected += (unsigned)ssgw_replay_check_insert(r, id, n, 5000, 5001);
    }
    ssgw_replay_get_stats(r, &st);
    CHECK(detected + evicted + (st.evicted_live - evicted) >= 1024 - evicted);
    CHECK(detected >= 1024 - 2 * evicted - (st.evicted_live - evicted));
    printf("  1024 entries, 1024 inserts: %llu evicted live, %u of 1024 replays detected\n",
           (unsigned long long)evicted, detected);

    /* token time advancing 1 s per 100 messages (100 msg/s, 60 s window: about 6100
     * live entries) in a cache sized as documented (4 x 100 x 121 -> 65536): nothing
     * live is evicted */
    ssgw_replay *big = ssgw_replay_new(4 * 100 * 121, 60);
    for (uint64_t i = 0; i < 100000; i++) {
        int64_t now = 10000 + (int64_t)(i / 100);
        key(id, n, i, 0x22);
        CHECK_INT(ssgw_replay_check_insert(big, id, n, (uint64_t)now, now), 0);
    }
    ssgw_replay_get_stats(big, &st);
    CHECK_INT(st.inserted, 100000);
    printf("  65536 entries, 100000 inserts at 100/s: %llu evicted live\n",
           (unsigned long long)st.evicted_live);
    CHECK(st.evicted_live < 5); /* set collisions only */
    /* the most recent ones are still detected */
    key(id, n, 99999, 0x22);
    CHECK_INT(ssgw_replay_check_insert(big, id, n, 10999, 10999), 1);
    ssgw_replay_free(big);
    ssgw_replay_free(r);
}

int main(void)
{
    RUN(test_basic);
    RUN(test_capacity_and_expiry);
    return check_summary();
}
