/*
 * test_risk.c - interception-risk events in the embedded store
 * (include/ssgw/risk.h, store.h): the latest event per subscriber, found by
 * number directly or through the IMSI it was paired with, aged by max_age,
 * and the tables' bounded capacity (evictions counted).
 */
#include "check.h"
#include "ssgw/risk.h"

static void test_lookup(void)
{
    ssgw_store_limits l = {.subscribers = 16,
                           .marks = 16,
                           .dialogues = 16,
                           .buckets = 16,
                           .risk = 64,
                           .aliases = 64,
                           .incidents = 16,
                           .calls = 16};
    ssgw_store *s = ssgw_store_embedded_new(&l);
    ssgw_risk_answer a;
    CHECK_INT(ssgw_risk_lookup(s, "447924123456", 1000, 3600, &a), 0);
    CHECK(!a.found && !a.at_risk);
    /* an event filed under the number */
    CHECK_INT(
        s->ops->risk_put(s, ssgw_risk_msisdn_key("447924123456"), 1000, SSGW_RISK_CALL_FORWARDING),
        1);
    CHECK_INT(ssgw_risk_lookup(s, "447924123456", 1500, 3600, &a), 0);
    CHECK(a.found && a.at_risk);
    CHECK_INT(a.time, 1000);
    CHECK_STR(ssgw_risk_kind_name(a.kind), "call_forwarding");
    CHECK_INT(ssgw_risk_lookup(s, "447924123456", 1000 + 3601, 3600, &a), 0);
    CHECK(a.found && !a.at_risk); /* older than max_age */
    /* an event known by IMSI only is found by number once the pair is known */
    CHECK_INT(s->ops->risk_put(s, ssgw_risk_imsi_key("234910000099999"), 2000,
                               SSGW_RISK_LOCATION_NEW_NETWORK),
              1);
    CHECK_INT(ssgw_risk_lookup(s, "447924999999", 2000, 60, &a), 0);
    CHECK(!a.found);
    s->ops->alias_put(s, ssgw_risk_msisdn_key("447924999999"),
                      ssgw_risk_imsi_key("234910000099999"), 2000);
    CHECK_INT(ssgw_risk_lookup(s, "447924999999", 2010, 60, &a), 0);
    CHECK(a.found && a.at_risk);
    CHECK_STR(ssgw_risk_kind_name(a.kind), "location_update_new_network");
    /* numbers and IMSIs with the same digits are different subscribers */
    CHECK(ssgw_risk_msisdn_key("234910000099999") != ssgw_risk_imsi_key("234910000099999"));
    CHECK_INT(ssgw_risk_msisdn_key("44+1"), 0);
    CHECK_INT(ssgw_risk_lookup(s, "not a number", 0, 60, &a), 0);
    CHECK(!a.found);
    ssgw_store_free(s);
}

static void test_bounded(void)
{
    ssgw_store_limits l = {.subscribers = 16,
                           .marks = 16,
                           .dialogues = 16,
                           .buckets = 16,
                           .risk = 8,
                           .aliases = 8,
                           .incidents = 16,
                           .calls = 16};
    ssgw_store *s = ssgw_store_embedded_new(&l);
    char num[16];
    for (int i = 0; i < 100; i++) {
        snprintf(num, sizeof num, "4479241%05d", i);
        s->ops->risk_put(s, ssgw_risk_msisdn_key(num), (uint32_t)i, SSGW_RISK_BLOCKED_ATTACK);
    }
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    CHECK_INT(st.t[SSGW_STORE_RISK].capacity, 8);
    CHECK(st.t[SSGW_STORE_RISK].used <= 8);
    CHECK_INT(st.t[SSGW_STORE_RISK].inserts, 100);
    CHECK_INT(st.t[SSGW_STORE_RISK].evictions, 100 - st.t[SSGW_STORE_RISK].used);
    CHECK_STR(ssgw_store_table_name(SSGW_STORE_RISK), "risk");
    CHECK_STR(ssgw_store_table_name(SSGW_STORE_ALIAS), "alias");
    ssgw_store_free(s);
}

int main(void)
{
    RUN(test_lookup);
    RUN(test_bounded);
    return check_summary();
}
