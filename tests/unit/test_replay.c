/*
 * test_replay.c - the bounded replay cache of the token verifier (src/trust/replay.c):
 * a pair seen twice inside the window is a replay, different key ids or nonces are
 * not, memory stays at the capacity, evictions of live entries are counted, entries
 * older than the window are reused; each signer holds at most its share and a live entry
 * is only ever replaced by its own signer's token; a signer's count follows the window.
 */
#include <string.h>

#include "check.h"
#include "ssgw/token.h"
#include "ssgw/trust_policy.h"

static void key(uint8_t id[8], uint8_t nonce[8], uint64_t i, uint8_t who)
{
    memset(id, who, 8);
    for (int k = 0; k < 8; k++)
        nonce[k] = (uint8_t)(i >> (8 * (7 - k)));
}

static void test_basic(void)
{
    ssgw_replay *r = ssgw_replay_new(1000, 60, 100);
    uint8_t id[8], n[8];
    CHECK(r != NULL);
    key(id, n, 1, 0xaa);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1000), 0);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1010), 1);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1060), 1); /* window edge */
    key(id, n, 2, 0xaa);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1000), 0);
    key(id, n, 1, 0xbb); /* same nonce, other signer */
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1000), 0);
    ssgw_replay_stats st;
    ssgw_replay_get_stats(r, &st);
    CHECK_INT(st.inserted, 3);
    CHECK_INT(st.replays, 2);
    CHECK_INT(st.evicted_live, 0);
    CHECK(st.capacity >= 1000 && st.capacity <= 2048);
    ssgw_replay_free(r);
    CHECK(ssgw_replay_new(0, 60, 100) == NULL);
    CHECK(ssgw_replay_new(10, -1, 100) == NULL);
}

static void test_capacity_and_expiry(void)
{
    ssgw_replay *r = ssgw_replay_new(1024, 60, 100);
    uint8_t id[8], n[8];
    /* 1024 inserts at the same time into 1024 slots: a few sets overflow */
    for (uint64_t i = 0; i < 1024; i++) {
        key(id, n, i, 0x11);
        CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 5000, 5000), 0);
    }
    ssgw_replay_stats st;
    ssgw_replay_get_stats(r, &st);
    CHECK_INT(st.capacity, 1024);
    uint64_t evicted = st.evicted_live;
    /* everything not evicted is still detected */
    unsigned detected = 0;
    for (uint64_t i = 0; i < 1024; i++) {
        key(id, n, i, 0x11);
        detected += (unsigned)ssgw_replay_check_insert(r, id, id, n, 5000, 5001);
    }
    ssgw_replay_get_stats(r, &st);
    CHECK(detected + evicted + (st.evicted_live - evicted) >= 1024 - evicted);
    CHECK(detected >= 1024 - 2 * evicted - (st.evicted_live - evicted));
    printf("  1024 entries, 1024 inserts: %llu evicted live, %u of 1024 replays detected\n",
           (unsigned long long)evicted, detected);

    /* token time advancing 1 s per 100 messages (100 msg/s, 60 s window: about 6100
     * live entries) in a cache sized as documented (4 x 100 x 121 -> 65536): nothing
     * live is evicted */
    ssgw_replay *big = ssgw_replay_new(4 * 100 * 121, 60, 100);
    for (uint64_t i = 0; i < 100000; i++) {
        int64_t now = 10000 + (int64_t)(i / 100);
        key(id, n, i, 0x22);
        CHECK_INT(ssgw_replay_check_insert(big, id, id, n, (uint64_t)now, now), 0);
    }
    ssgw_replay_get_stats(big, &st);
    CHECK_INT(st.inserted, 100000);
    printf("  65536 entries, 100000 inserts at 100/s: %llu evicted live\n",
           (unsigned long long)st.evicted_live);
    CHECK(st.evicted_live < 5); /* set collisions only */
    /* the most recent ones are still detected */
    key(id, n, 99999, 0x22);
    CHECK_INT(ssgw_replay_check_insert(big, id, id, n, 10999, 10999), 1);
    ssgw_replay_free(big);
    ssgw_replay_free(r);
}

/* A cache sized with ssgw_trust_replay_capacity_for(rate, window) holds every token of a
 * steady stream at that rate, with token times up to the window ahead of the clock, without
 * evicting a live entry; at three times the rate it evicts and says so. */
static void stream(size_t rate, size_t sized_for, uint64_t *evicted)
{
    const int64_t window = 30;
    ssgw_replay *r =
        ssgw_replay_new(ssgw_trust_replay_capacity_for(sized_for, window), window, 100);
    uint8_t id[8], n[8];
    uint64_t seq = 0;
    for (int64_t now = 1000000; now < 1000000 + 4 * window; now++)
        for (size_t i = 0; i < rate; i++, seq++) {
            key(id, n, seq, (uint8_t)(seq % 7));
            /* tokens from clocks up to `window` ahead (the stale check allows that) */
            uint64_t t = (uint64_t)(now + (int64_t)(seq % (uint64_t)(window + 1)));
            ssgw_replay_check_insert(r, id, id, n, t, now);
        }
    ssgw_replay_stats st;
    ssgw_replay_get_stats(r, &st);
    *evicted = st.evicted_live;
    ssgw_replay_free(r);
}

static void test_sized_for_rate(void)
{
    uint64_t ev;
    stream(2000, 2000, &ev);
    CHECK_INT(ev, 0);
    stream(6000, 2000, &ev);
    CHECK(ev > 0);
    /* the configuration derives replay_entries from max_rate and window */
    CHECK(ssgw_trust_replay_capacity_for(5000, 60) >= 5000u * 121u);
}

/* A signer holds at most its share: beyond it, refused and not recorded; a replay is still
 * a replay; another signer is not affected. */
static void test_share(void)
{
    ssgw_replay *r = ssgw_replay_new(1024, 60, 25);
    uint8_t id[8], n[8];
    ssgw_replay_stats st;
    ssgw_replay_get_stats(r, &st);
    CHECK_INT(st.share, 256);
    for (uint64_t i = 0; i < 256; i++) {
        key(id, n, i, 0x11);
        CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1000), SSGW_REPLAY_NEW);
    }
    CHECK_INT(ssgw_replay_signer_held(r, id, 1000), 256);
    key(id, n, 256, 0x11);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1000), SSGW_REPLAY_OVER_SHARE);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1000), SSGW_REPLAY_OVER_SHARE);
    key(id, n, 5, 0x11);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1001), SSGW_REPLAY_SEEN);
    /* another key of the same signer (operator): the same share */
    uint8_t other_key[8];
    memset(other_key, 0x12, 8);
    CHECK_INT(ssgw_replay_check_insert(r, id, other_key, n, 1000, 1001), SSGW_REPLAY_OVER_SHARE);
    key(id, n, 256, 0x22);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1001), SSGW_REPLAY_NEW);
    ssgw_replay_get_stats(r, &st);
    CHECK_INT(st.refused_share, 3);
    CHECK_INT(st.inserted, 257);
    CHECK_INT(st.evicted_live, 0);
    ssgw_replay_free(r);

    /* bounds: 1 .. 100 percent, at least one entry */
    CHECK(ssgw_replay_new(16, 60, 0) == NULL);
    CHECK(ssgw_replay_new(16, 60, 101) == NULL);
    r = ssgw_replay_new(16, 60, 1);
    ssgw_replay_get_stats(r, &st);
    CHECK_INT(st.share, 1);
    key(id, n, 1, 0x11);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1000), SSGW_REPLAY_NEW);
    key(id, n, 2, 0x11);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000, 1000), SSGW_REPLAY_OVER_SHARE);
    ssgw_replay_free(r);
    r = ssgw_replay_new(16, 60, 100);
    ssgw_replay_get_stats(r, &st);
    CHECK_INT(st.share, 16);
    ssgw_replay_free(r);
}

/* 16 entries are two sets, the two choices of every key: Y and Z fill them; X is refused
 * rather than replace one of theirs; Y replaces its own oldest (counted), never Z's. */
static void test_no_room(void)
{
    ssgw_replay *r = ssgw_replay_new(16, 60, 100);
    uint8_t id[8], n[8];
    for (uint64_t i = 0; i < 12; i++) {
        key(id, n, i, 0x22);
        CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000 + i, 1000 + (int64_t)i), 0);
    }
    for (uint64_t i = 0; i < 4; i++) {
        key(id, n, i, 0x44);
        CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 999, 1011), 0);
    }
    for (uint64_t i = 0; i < 50; i++) {
        key(id, n, i, 0x11);
        CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1020, 1020), SSGW_REPLAY_NO_ROOM);
    }
    key(id, n, 12, 0x22);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1020, 1020), SSGW_REPLAY_NEW);
    for (uint64_t i = 0; i < 4; i++) { /* Z's are older than any of Y's, and stay */
        key(id, n, i, 0x44);
        CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 999, 1020), SSGW_REPLAY_SEEN);
    }
    for (uint64_t i = 1; i < 13; i++) { /* Y's token time 1000 one made room */
        key(id, n, i, 0x22);
        CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1000 + i, 1020), SSGW_REPLAY_SEEN);
    }
    key(id, n, 0, 0x22); /* one of its own replaced by another: Y's count stays */
    CHECK_INT(ssgw_replay_signer_held(r, id, 1020), 12);
    key(id, n, 0, 0x44);
    CHECK_INT(ssgw_replay_signer_held(r, id, 1020), 4);
    ssgw_replay_stats st;
    ssgw_replay_get_stats(r, &st);
    CHECK_INT(st.refused_full, 50);
    CHECK_INT(st.evicted_live, 1);
    /* once entries leave the window X gets room */
    key(id, n, 99, 0x11);
    CHECK_INT(ssgw_replay_check_insert(r, id, id, n, 1070, 1070), SSGW_REPLAY_NEW);
    ssgw_replay_free(r);
}

/* A signer's count follows the window: exact with 1 s slices (window <= 31 s), one slice
 * late with 2 s slices (window 60). */
static void test_held_window(void)
{
    uint8_t id[8], n[8];
    ssgw_replay *r = ssgw_replay_new(1024, 30, 100);
    for (uint64_t i = 0; i < 10; i++) {
        key(id, n, i, 0x33);
        ssgw_replay_check_insert(r, id, id, n, 2000, 2000);
    }
    for (uint64_t i = 10; i < 15; i++) {
        key(id, n, i, 0x33);
        ssgw_replay_check_insert(r, id, id, n, 2010, 2000); /* a clock 10 s ahead */
    }
    CHECK_INT(ssgw_replay_signer_held(r, id, 2030), 15);
    CHECK_INT(ssgw_replay_signer_held(r, id, 2031), 5);
    CHECK_INT(ssgw_replay_signer_held(r, id, 2040), 5);
    CHECK_INT(ssgw_replay_signer_held(r, id, 2041), 0);
    ssgw_replay_free(r);
    r = ssgw_replay_new(1024, 60, 100);
    for (uint64_t i = 0; i < 10; i++) {
        key(id, n, i, 0x33);
        ssgw_replay_check_insert(r, id, id, n, 2000, 2000);
    }
    CHECK_INT(ssgw_replay_signer_held(r, id, 2060), 10);
    CHECK_INT(ssgw_replay_signer_held(r, id, 2061), 10); /* dead, its slice still counted */
    CHECK_INT(ssgw_replay_signer_held(r, id, 2062), 0);
    ssgw_replay_free(r);
}

/* A replacement cache (a reload with another size) takes over every live entry: a token
 * seen before the reload is still a replay after it; dead entries are not carried. */
static void test_adopt(void)
{
    ssgw_replay *a = ssgw_replay_new(4096, 60, 100), *b = ssgw_replay_new(65536, 60, 100);
    uint8_t id[8], n[8];
    for (uint64_t i = 0; i < 2000; i++) {
        key(id, n, i, 0x11);
        ssgw_replay_check_insert(a, id, id, n, i < 1000 ? 100 : 1000, 1000);
    }
    ssgw_replay_adopt(b, a, 1000);
    ssgw_replay_stats st;
    ssgw_replay_get_stats(b, &st);
    CHECK_INT(st.inserted, 0); /* carried over, not newly seen */
    key(id, n, 1500, 0x11);
    CHECK_INT(ssgw_replay_check_insert(b, id, id, n, 1000, 1001), 1);
    key(id, n, 10, 0x11); /* its token time 100 is outside the window at 1000: not carried */
    CHECK_INT(ssgw_replay_check_insert(b, id, id, n, 1000, 1001), 0);
    ssgw_replay_free(a);
    ssgw_replay_free(b);

    /* entries keep their signer: one that held its share in a larger cache is over it in a
     * smaller one, keeps every entry there and is refused until back under it */
    a = ssgw_replay_new(4096, 60, 25);
    b = ssgw_replay_new(1024, 60, 25);
    for (uint64_t i = 0; i < 600; i++) {
        key(id, n, i, 0x11);
        CHECK_INT(ssgw_replay_check_insert(a, id, id, n, 1000, 1000), 0);
    }
    ssgw_replay_adopt(b, a, 1000);
    CHECK_INT(ssgw_replay_signer_held(b, id, 1000), 600);
    key(id, n, 599, 0x11);
    CHECK_INT(ssgw_replay_check_insert(b, id, id, n, 1000, 1000), SSGW_REPLAY_SEEN);
    key(id, n, 600, 0x11);
    CHECK_INT(ssgw_replay_check_insert(b, id, id, n, 1000, 1000), SSGW_REPLAY_OVER_SHARE);
    key(id, n, 600, 0x22);
    CHECK_INT(ssgw_replay_check_insert(b, id, id, n, 1000, 1000), SSGW_REPLAY_NEW);
    ssgw_replay_free(a);
    ssgw_replay_free(b);
}

int main(void)
{
    RUN(test_basic);
    RUN(test_sized_for_rate);
    RUN(test_adopt);
    RUN(test_share);
    RUN(test_no_room);
    RUN(test_held_window);
    RUN(test_capacity_and_expiry);
    return check_summary();
}
