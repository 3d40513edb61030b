/*
 * test_map_paths.c - what the MAP parameter decoder leaves for its callers, on many inputs:
 *
 * - ssgw_map_fields_init stores only what makes each member absent (not the whole struct):
 *   every member must read as after clearing the whole struct (strings up to their NUL,
 *   numbers, pointers), whatever the struct held before; so must everything ssgw_map_decode
 *   gives (result, error, members), decoding into a struct full of 0xa5 or of zeros;
 * - dec_list's element search gives what the search it replaced gives
 *   (ssgw_map_decode_general, wire/map_int.h): result, error, members, presence bits;
 * - the presence bits the decoder sets (ssgw_map_fields.present) must keep the promise of
 *   ssgw_map_fields_present's 27 tests: every field those find has its bit, and the fields
 *   a printer shows through either mask (ssgw_map_field_get not NULL, not empty) are the same.
 *
 * And RequestedInfo's text against the snprintf loop that used to write it; the SS-Code
 * names against the search they were found by.
 *
 * Inputs: the parameter of every MAP component of 3,000 generated messages of each of two
 * seeds (ssgw_gen_tcap), decoded in every MAP version; what the encoder writes for every
 * operation, kind and version from fields with every member set; the map fuzz corpus; and for
 * each of them every truncation and single-octet mutations at every position (paths.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "paths.h"
#include "ssgw/buf.h"
#include "ssgw/gen.h"
#include "ssgw/map.h"
#include "ssgw/tcap.h"
#include "wire/map_int.h"
#include "wire/map_schema.h"

/* The struct as ssgw_map_fields_init documents it, the way it used to be written. */
static void reference_init(ssgw_map_fields *f)
{
    memset(f, 0, sizeof *f);
    f->ussd_dcs = -1;
    f->lac = -1;
    f->ci = -1;
    f->age_of_location = -1;
}

static bool same_addr(const ssgw_map_addr *a, const ssgw_map_addr *b)
{
    return !strcmp(a->digits, b->digits) && PATHS_EQ(nai) && PATHS_EQ(npi);
}

/* Member by member, strings up to their NUL, present aside. */
static bool same_fields(const ssgw_map_fields *a, const ssgw_map_fields *b)
{
    return !strcmp(a->imsi, b->imsi) && same_addr(&a->msisdn, &b->msisdn) &&
           same_addr(&a->vlr_number, &b->vlr_number) && same_addr(&a->msc_number, &b->msc_number) &&
           same_addr(&a->hlr_number, &b->hlr_number) &&
           same_addr(&a->sgsn_number, &b->sgsn_number) &&
           same_addr(&a->gsmscf_address, &b->gsmscf_address) &&
           same_addr(&a->gmsc_address, &b->gmsc_address) &&
           same_addr(&a->smsc_address, &b->smsc_address) &&
           same_addr(&a->forwarded_to_number, &b->forwarded_to_number) &&
           same_addr(&a->roaming_number, &b->roaming_number) &&
           same_addr(&a->mlc_number, &b->mlc_number) && !strcmp(a->lmsi, b->lmsi) &&
           !strcmp(a->tmsi, b->tmsi) && !strcmp(a->imei, b->imei) &&
           !strcmp(a->ss_code, b->ss_code) && PATHS_EQ(ussd_dcs) &&
           !strcmp(a->ussd_string, b->ussd_string) && PATHS_EQ(ussd_is_hex) &&
           !strcmp(a->cell_id, b->cell_id) && !strcmp(a->mcc, b->mcc) && !strcmp(a->mnc, b->mnc) &&
           PATHS_EQ(lac) && PATHS_EQ(ci) && PATHS_EQ(age_of_location) &&
           !strcmp(a->requested_info, b->requested_info) &&
           !strcmp(a->subscriber_state, b->subscriber_state) && PATHS_EQ(sm_rp_ui) &&
           PATHS_EQ(sm_rp_ui_len) && PATHS_EQ(sm_rp_dir);
}

/* The fields a printer shows through mask: those with a non-empty value. */
static uint32_t shown(const ssgw_map_fields *m, uint32_t mask)
{
    char tmp[SSGW_MAP_USSD_CAP + 8];
    uint32_t out = 0;
    for (uint32_t set = mask; set; set &= set - 1) {
        ssgw_map_field f = (ssgw_map_field)__builtin_ctz(set);
        const char *val = ssgw_map_field_get(m, f, tmp, sizeof tmp);
        if (val && val[0]) out |= 1u << f;
    }
    return out;
}

static bool mask_keeps_promise(const ssgw_map_fields *m)
{
    uint32_t all = ssgw_map_fields_present(m);
    return (all & ~m->present) == 0 && shown(m, m->present) == shown(m, all);
}

/* The operation, kind and version the parameters under test are decoded with. */
static int cur_op, cur_version;
static ssgw_map_comp_kind cur_kind;
static unsigned long mask_checked;

static void compare(const uint8_t *buf, size_t len)
{
    ssgw_map_fields a, b, g, empty;
    ssgw_error ea, eb, eg;
    memset(&a, 0xa5, sizeof a); /* what the decoder leaves as it found shows */
    memset(&b, 0, sizeof b);
    memset(&g, 0x5a, sizeof g);
    memset(&ea, 0, sizeof ea);
    memset(&eb, 0, sizeof eb);
    memset(&eg, 0, sizeof eg);
    reference_init(&empty);
    int ra = ssgw_map_decode(cur_op, cur_kind, cur_version, buf, len, &a, &ea);
    int rb = ssgw_map_decode(cur_op, cur_kind, cur_version, buf, len, &b, &eb);
    int rg = ssgw_map_decode_general(cur_op, cur_kind, cur_version, buf, len, &g, &eg);
    paths_compared++;
    if (ra == 0) paths_succeeded++;
    bool same = ra == rb && ra == rg && a.present == b.present && a.present == g.present &&
                (ra < 0 ? paths_same_error(&ea, &eb) && paths_same_error(&ea, &eg) &&
                              same_fields(&a, &empty) && a.present == 0
                        : same_fields(&a, &b) && same_fields(&a, &g) && mask_keeps_promise(&a));
    if (ra == 0 && a.present) mask_checked++;
    if (!same) paths_report(&paths_differed, buf, len, ra, rb);
}

/* A MAP parameter in every version (0: unknown, 1..4), and around it when asked. */
static void parameter(int op, ssgw_map_comp_kind kind, const uint8_t *p, size_t len, bool around)
{
    cur_op = op;
    cur_kind = kind;
    for (cur_version = 0; cur_version <= 4; cur_version++) {
        if (around)
            paths_around(p, len, compare);
        else
            compare(p, len);
    }
}

static void init_from_anything(void)
{
    static const uint8_t fills[] = {0x00, 0x01, 0x5a, 0xa5, 0xff};
    ssgw_map_fields want;
    reference_init(&want);
    for (size_t i = 0; i < sizeof fills; i++) {
        ssgw_map_fields f;
        memset(&f, fills[i], sizeof f);
        ssgw_map_fields_init(&f);
        CHECK(same_fields(&f, &want));
        CHECK_INT(f.present, 0);
        CHECK_INT(ssgw_map_fields_present(&f), ssgw_map_fields_present(&want));
    }
}

static void generated_messages(void)
{
    unsigned long before = paths_succeeded, masks = mask_checked;
    for (uint64_t seed = 1; seed <= 2; seed++) {
        for (uint64_t i = 0; i < 3000; i++) {
            uint8_t mem[2048];
            ssgw_buf b;
            ssgw_gen_info info;
            ssgw_error e;
            ssgw_buf_init(&b, mem, sizeof mem);
            if (ssgw_gen_tcap(seed, i, &b, &info, &e) < 0 || b.overflow) continue;
            ssgw_tcap_msg m;
            ssgw_tcap_component comps[8];
            unsigned n = 0;
            bool truncated;
            if (ssgw_tcap_decode_all(mem, b.len, &m, comps, 8, &n, &truncated, &e) < 0) continue;
            for (unsigned k = 0; k < n; k++) {
                const ssgw_tcap_component *c = &comps[k];
                if (!c->param_present || c->opcode.kind != SSGW_TCAP_CODE_LOCAL) continue;
                ssgw_map_comp_kind kind =
                    c->type == SSGW_TCAP_COMP_INVOKE ? SSGW_MAP_INVOKE : SSGW_MAP_RETURN_RESULT;
                parameter((int)c->opcode.local, kind, c->param_tlv, c->param_tlv_len, i < 150);
            }
        }
    }
    CHECK_INT(paths_differed, 0);
    CHECK(paths_succeeded - before > 20000);
    CHECK(mask_checked - masks > 10000); /* decodes that filled fields */
}

/* Every member set, for the encoder to write every element it can. */
static void full_fields(ssgw_map_fields *f)
{
    ssgw_map_fields_init(f);
    strcpy(f->imsi, "262019876543210");
    ssgw_map_addr *addrs[] = {&f->msisdn,         &f->vlr_number,   &f->msc_number,
                              &f->hlr_number,     &f->sgsn_number,  &f->gsmscf_address,
                              &f->gmsc_address,   &f->smsc_address, &f->forwarded_to_number,
                              &f->roaming_number, &f->mlc_number};
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        char d[16];
        snprintf(d, sizeof d, "4917%07zu", 1000000 + i);
        ssgw_map_addr_set(addrs[i], d, 1, 1);
    }
    strcpy(f->lmsi, "01020304");
    strcpy(f->tmsi, "a1b2c3d4");
    strcpy(f->imei, "3520990017614823");
    strcpy(f->ss_code, "21");
    f->ussd_dcs = 0x0f;
    strcpy(f->ussd_string, "*100#");
    strcpy(f->cell_id, "62f2200001abcd");
    f->age_of_location = 5;
    strcpy(f->requested_info, "locationInformation,subscriberState");
    strcpy(f->subscriber_state, "camelBusy");
}

static void encoded_parameters(void)
{
    unsigned long before = paths_succeeded;
    ssgw_map_fields f;
    full_fields(&f);
    for (int op = 0; op <= SSGW_MAP_OPCODE_MAX; op++) {
        for (int k = SSGW_MAP_INVOKE; k <= SSGW_MAP_RETURN_RESULT; k++) {
            for (int v = 0; v <= 4; v++) {
                uint8_t mem[1024];
                ssgw_buf b;
                ssgw_buf_init(&b, mem, sizeof mem);
                if (ssgw_map_encode(op, (ssgw_map_comp_kind)k, v, &f, &b) < 0 || b.len == 0)
                    continue;
                parameter(op, (ssgw_map_comp_kind)k, mem, b.len, true);
            }
        }
    }
    CHECK_INT(paths_differed, 0);
    CHECK(paths_succeeded - before > 20000);
}

/*
 * RequestedInfo's names are appended without snprintf: the text must be what the snprintf
 * loop it replaced wrote, for random lists of flags (unknown tags, other classes, repeats,
 * lists long enough to be cut at the buffer's end), in provideSubscriberInfo.
 */
static void requested_info_text(void)
{
    uint32_t seed = 7;
    for (int round = 0; round < 3000; round++) {
        uint8_t inner[128], param[160];
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int flags = (int)((seed >> 16) % 40);
        char want[sizeof((ssgw_map_fields *)0)->requested_info] = "";
        for (int k = 0; k < flags; k++) {
            seed = seed * 1103515245u + 12345u;
            uint8_t tag = (uint8_t)((seed >> 16) % 14), cls = (seed >> 24) % 8 == 0 ? 0x00 : 0x80;
            inner[n++] = cls | tag;
            inner[n++] = 0;
            if (cls != 0x80) continue;
            for (size_t i = 0; i < ssgw_map_reqinfo_nflags; i++) { /* the old loop */
                if (ssgw_map_reqinfo_flags[i].tag != tag) continue;
                size_t used = strlen(want);
                snprintf(want + used, sizeof want - used, "%s%s", used ? "," : "",
                         ssgw_map_reqinfo_flags[i].name);
            }
        }
        /* ProvideSubscriberInfoArg: imsi [0], requestedInfo [2] */
        static const uint8_t imsi[] = {0x80, 0x08, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34, 0x12, 0xf0};
        size_t len = 0;
        param[len++] = 0x30;
        param[len++] = (uint8_t)(sizeof imsi + 2 + n);
        memcpy(param + len, imsi, sizeof imsi);
        len += sizeof imsi;
        param[len++] = 0xa2;
        param[len++] = (uint8_t)n;
        memcpy(param + len, inner, n);
        len += n;
        ssgw_map_fields f;
        ssgw_error e;
        memset(&f, 0xa5, sizeof f);
        CHECK_INT(ssgw_map_decode(SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO, SSGW_MAP_INVOKE, 3, param,
                                  len, &f, &e),
                  0);
        CHECK_STR(f.requested_info, want);
    }
}

/* ssgw_map_ss_code_name is an index into a 256-entry table, no longer a search of the 72
 * allocated codes: every code must give the name (or NULL) the search gave. The FNV-1a of
 * the lines "%02x:name\n" ("-" for NULL) for codes 0..255, as the search answered them. */
static void ss_code_names(void)
{
    uint32_t h = 2166136261u;
    unsigned named = 0;
    for (unsigned code = 0; code < 256; code++) {
        const char *name = ssgw_map_ss_code_name((uint8_t)code);
        char line[64];
        snprintf(line, sizeof line, "%02x:%s\n", code, name ? name : "-");
        for (const char *p = line; *p; p++)
            h = (h ^ (uint8_t)*p) * 16777619u;
        named += name != NULL;
    }
    CHECK_INT(named, 72);
    CHECK_INT(h, 0x29766310u);
}

/* fuzz_map.c's input: opcode, kind and version, then the parameter. */
static void corpus_file(const uint8_t *data, size_t len)
{
    if (len < 2) return;
    parameter(data[0], (ssgw_map_comp_kind)(data[1] & 3), data + 2, len - 2, true);
}

static void fuzz_corpus(void)
{
    static const char *const dirs[] = {"fuzz/corpus/map"};
    CHECK(paths_corpora(dirs, 1, corpus_file) >= 10);
    CHECK_INT(paths_differed, 0);
}

int main(void)
{
    RUN(init_from_anything);
    RUN(generated_messages);
    RUN(encoded_parameters);
    RUN(fuzz_corpus);
    RUN(requested_info_text);
    RUN(ss_code_names);
    return paths_summary();
}
