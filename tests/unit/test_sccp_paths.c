/*
 * test_sccp_paths.c - two checks of ssgw_sccp_decode on the same inputs. First, it reads
 * UDT and XUDT in one pass and gives everything else to the general decoder
 * (ssgw_sccp_decode_general, src/wire/sccp_int.h): both must give the same result, the
 * same error (layer, code, field, offset) and, on success, the same members, each struct
 * filled with a different pattern beforehand so that a member left unwritten shows.
 * Second, the general decoder clears the message once and decodes its two party
 * addresses into it without clearing them again (ssgw_sccp_party_addr_decode_zeroed), and
 * the one pass writes them member by member: on success each address must hold exactly
 * what the public ssgw_sccp_party_addr_decode (which clears its output itself) gives for
 * the same octets. Inputs: the SCCP message of 3,000 generated M3UA DATA
 * messages of each of two seeds (ssgw_gen_message), every candidate message in the sccp,
 * sigtran and view fuzz corpora, and for each of them every truncation and single-octet
 * mutations at every position.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "paths.h"
#include "ssgw/buf.h"
#include "ssgw/gen.h"
#include "ssgw/m3ua.h"
#include "ssgw/sccp.h"
#include "wire/sccp_int.h"

static bool same_addr(const ssgw_sccp_addr *a, const ssgw_sccp_addr *b)
{
    return PATHS_EQ(national) && PATHS_EQ(ri) && PATHS_EQ(gti) && PATHS_EQ(has_ssn) &&
           PATHS_EQ(has_pc) && PATHS_EQ(pc) && PATHS_EQ(ssn) && PATHS_EQ(tt) && PATHS_EQ(np) &&
           PATHS_EQ(es) && PATHS_EQ(nai) && PATHS_EQ(odd) &&
           !memcmp(a->digits, b->digits, sizeof a->digits) && PATHS_EQ(gt_raw) &&
           PATHS_EQ(gt_raw_len) && PATHS_EQ(raw) && PATHS_EQ(raw_len);
}

/* One address of a decoded message against the public decoder on the same octets. */
static bool addr_as_public(const ssgw_sccp_addr *got, ssgw_sccp_party party)
{
    ssgw_sccp_addr want;
    ssgw_error e;
    memset(&want, 0x5a, sizeof want);
    if (ssgw_sccp_party_addr_decode(got->raw, got->raw_len, party, &want, &e) < 0) return false;
    return same_addr(got, &want);
}

static bool same_msg(const ssgw_sccp_msg *a, const ssgw_sccp_msg *b)
{
    return PATHS_EQ(type) && PATHS_EQ(protocol_class) && PATHS_EQ(return_on_error) &&
           PATHS_EQ(hop_counter) && PATHS_EQ(return_cause) && same_addr(&a->called, &b->called) &&
           same_addr(&a->calling, &b->calling) && PATHS_EQ(data) && PATHS_EQ(data_len) &&
           PATHS_EQ(data_offset) && PATHS_EQ(has_segmentation) && PATHS_EQ(seg.first) &&
           PATHS_EQ(seg.cls) && PATHS_EQ(seg.remaining) && PATHS_EQ(seg.local_ref) &&
           !memcmp(&a->seg, &b->seg, sizeof a->seg) /* padding too: fuzz_sccp compares it */ &&
           PATHS_EQ(has_importance) && PATHS_EQ(importance) && PATHS_EQ(opt) && PATHS_EQ(opt_len);
}

static void compare(const uint8_t *buf, size_t len)
{
    ssgw_sccp_msg m, g;
    ssgw_error e, eg;
    memset(&m, 0xa5, sizeof m);
    memset(&g, 0x5a, sizeof g);
    memset(&e, 0, sizeof e);
    memset(&eg, 0, sizeof eg);
    paths_compared++;
    int r = ssgw_sccp_decode(buf, len, &m, &e), rg = ssgw_sccp_decode_general(buf, len, &g, &eg);
    if (r != rg || (r < 0 && !paths_same_error(&e, &eg))) {
        paths_report(&paths_differed, buf, len, r, rg);
        return;
    }
    if (r < 0) return;
    paths_succeeded++;
    bool same = same_msg(&m, &g) && addr_as_public(&m.called, SSGW_SCCP_PARTY_CALLED) &&
                addr_as_public(&m.calling, SSGW_SCCP_PARTY_CALLING) &&
                addr_as_public(&g.called, SSGW_SCCP_PARTY_CALLED) &&
                addr_as_public(&g.calling, SSGW_SCCP_PARTY_CALLING);
    if (!same) paths_report(&paths_differed, buf, len, r, rg);
}

/* One generated M3UA message: its SCCP part, the first 100 of each seed also cut and grown. */
static void generated_one(const uint8_t *msg, size_t len, uint64_t index)
{
    ssgw_m3ua_msg m;
    ssgw_error e;
    if (ssgw_m3ua_decode(msg, len, &m, &e) < 0 || !m.protocol_data.data) return;
    if (index < 100)
        paths_around(m.protocol_data.data, m.protocol_data.data_len, compare);
    else
        compare(m.protocol_data.data, m.protocol_data.data_len);
}

static void generated_messages(void)
{
    ssgw_gen_opts opts;
    ssgw_gen_opts_default(&opts);
    unsigned long before = paths_succeeded;
    paths_generated(&opts, generated_one);
    CHECK_INT(paths_differed, 0);
    CHECK(paths_succeeded - before > 5000); /* the generator's SCCP messages decode */
}

/* Every octet that is an SCCP connectionless message type starts a candidate: the rest of
 * the file. */
static void corpus_file(const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (data[i]) {
        case SSGW_SCCP_UDT:
        case SSGW_SCCP_UDTS:
        case SSGW_SCCP_XUDT:
        case SSGW_SCCP_XUDTS:
        case SSGW_SCCP_LUDT:
        case SSGW_SCCP_LUDTS:
            paths_around(data + i, len - i, compare);
            break;
        default:
            break;
        }
    }
}

static void fuzz_corpora(void)
{
    static const char *const dirs[] = {"fuzz/corpus/sccp", "fuzz/corpus/sigtran",
                                       "fuzz/corpus/view"};
    paths_check_corpora(dirs, sizeof dirs / sizeof dirs[0], corpus_file);
}

int main(void)
{
    RUN(generated_messages);
    RUN(fuzz_corpora);
    return paths_summary();
}
