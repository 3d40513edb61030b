/*
 * test_decoder_m3ua.c - the decoder run on an M3UA message the caller has already decoded
 * (ssgw_decoder_run_m3ua / ssgw_view_decode_m3ua_msg, src/wire: the live gateway decodes
 * every message to route it and hands that decoding on) gives exactly what the decoder run
 * on the bytes gives (ssgw_decoder_run_from): the same result, the same statistics and the
 * same view (two decoders and two views fed the same inputs in the same order: the M3UA
 * message member by member, the error, the layers present and the JSON record of every
 * decoded key). The caller's decoding is what ssgw_m3ua_decode made of
 * the bytes when it accepted them, else none (NULL); and, once per input, one decoded from a copy
 * of the bytes at another address, which is not the input's and must be decoded again.
 *
 * Inputs: 3,000 generated messages of each of two seeds (ssgw_gen_message: DATA of every
 * user, and management messages), the first 100 of each with every truncation and
 * single-octet mutation; and every candidate message in the m3ua, sigtran and view fuzz
 * corpora with their truncations and mutations.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "m3ua_same.h"
#include "paths.h"
#include "ssgw/json.h"
#include "ssgw/m3ua.h"
#include "ssgw/record.h"
#include "ssgw/view.h"

static ssgw_decoder *dec_bytes, *dec_given, *dec_foreign;
static ssgw_view v_bytes, v_given, v_foreign;
static unsigned long given_used, foreign_used;

/* The view as everything downstream reads it: the M3UA message member by member, the error,
 * the layers present, and the JSON record of every decoded key (ssgw_record_view, MAP fields
 * included). Not memcmp: the decoders copy structs from locals of their own, whose padding
 * octets differ from call to call (and between compilers). */
static char rec_a[65536], rec_b[65536];

static long record(ssgw_view *v, char *mem)
{
    ssgw_json j;
    ssgw_json_begin(&j, mem, sizeof rec_a);
    ssgw_record_view(&j, v);
    return ssgw_json_end(&j);
}

static bool same_view(ssgw_view *a, ssgw_view *b)
{
    /* first: the record decodes MAP fields on demand, which may set the view's error */
    long la = record(a, rec_a), lb = record(b, rec_b);
    if (la != lb || la <= 0 || memcmp(rec_a, rec_b, (size_t)la) != 0) return false;
    return !(a->has_m3ua != b->has_m3ua || (a->has_m3ua && !same_msg(&a->m3ua, &b->m3ua)) ||
             a->has_error != b->has_error ||
             (a->has_error && !paths_same_error(&a->error, &b->error)) ||
             a->has_label != b->has_label || a->has_sccp != b->has_sccp ||
             a->has_tcap != b->has_tcap || a->has_isup != b->has_isup || a->reasm != b->reasm ||
             a->reasm_result != b->reasm_result || a->ncomp != b->ncomp);
}

static bool same_run(int ra, ssgw_view *a, const ssgw_decoder *da, int rb, ssgw_view *b,
                     const ssgw_decoder *db)
{
    return ra == rb && same_view(a, b) &&
           memcmp(ssgw_decoder_get_stats(da), ssgw_decoder_get_stats(db),
                  sizeof(ssgw_decoder_stats)) == 0;
}

static void compare(const uint8_t *buf, size_t len)
{
    static uint8_t copy[4096];
    uint64_t now = 1000u * (paths_compared + 1);
    paths_compared++;
    ssgw_m3ua_msg m, foreign;
    ssgw_error e;
    memset(&m, 0, sizeof m);
    memset(&foreign, 0, sizeof foreign);
    bool ok = ssgw_m3ua_decode(buf, len, &m, &e) == 0;
    memcpy(copy, buf, len);
    bool fok = ssgw_m3ua_decode(copy, len, &foreign, &e) == 0;
    given_used += ok;
    foreign_used += fok;
    int ra = ssgw_decoder_run_from(dec_bytes, 1, SSGW_CAPTURE_KIND_M3UA, buf, len, now, &v_bytes);
    int rb = ssgw_decoder_run_m3ua(dec_given, 1, buf, len, ok ? &m : NULL, now, &v_given);
    int rc =
        ssgw_decoder_run_m3ua(dec_foreign, 1, buf, len, fok ? &foreign : NULL, now, &v_foreign);
    if (ra == 0) paths_succeeded++;
    if (!same_run(ra, &v_bytes, dec_bytes, rb, &v_given, dec_given) ||
        !same_run(ra, &v_bytes, dec_bytes, rc, &v_foreign, dec_foreign)) {
        paths_report(&paths_differed, buf, len, rb, ra);
    }
}

static void generated_message(const uint8_t *msg, size_t len, uint64_t index)
{
    if (index < 100)
        paths_around(msg, len, compare);
    else
        compare(msg, len);
}

static void generated_messages(void)
{
    ssgw_gen_opts opts;
    ssgw_gen_opts_default(&opts);
    unsigned long before = paths_succeeded;
    paths_generated(&opts, generated_message);
    CHECK_INT(paths_differed, 0);
    CHECK(paths_succeeded - before > 5000); /* the generator's messages decode */
    CHECK(given_used > 5000);               /* and were handed on decoded */
}

/* Every version octet 1 followed by a reserved 0 starts a candidate: the length it
 * declares when that fits, else the rest of the data. */
static void corpus_file(const uint8_t *data, size_t len)
{
    for (size_t i = 0; i + 8 <= len; i++) {
        if (data[i] != 1 || data[i + 1] != 0) continue;
        size_t n = (size_t)data[i + 4] << 24 | (size_t)data[i + 5] << 16 |
                   (size_t)data[i + 6] << 8 | data[i + 7];
        if (n < 8 || n > len - i) n = len - i;
        paths_around(data + i, n, compare);
    }
}

static void fuzz_corpora(void)
{
    static const char *const dirs[] = {"fuzz/corpus/m3ua", "fuzz/corpus/sigtran",
                                       "fuzz/corpus/view"};
    paths_check_corpora(dirs, sizeof dirs / sizeof dirs[0], corpus_file);
}

int main(void)
{
    dec_bytes = ssgw_decoder_new(NULL);
    dec_given = ssgw_decoder_new(NULL);
    dec_foreign = ssgw_decoder_new(NULL);
    if (!dec_bytes || !dec_given || !dec_foreign) return 1;
    RUN(generated_messages);
    RUN(fuzz_corpora);
    CHECK(foreign_used == given_used);
    ssgw_decoder_free(dec_bytes);
    ssgw_decoder_free(dec_given);
    ssgw_decoder_free(dec_foreign);
    return paths_summary();
}
