/*
 * fuzz_view.c - libFuzzer target for the whole decode pipeline as the analyzer
 * and the gateway run it: one input = one M3UA message (first byte 0x01 =
 * version) or, when the first byte is 0xff/0xfe, an MTP3 MSU / an SCCP message
 * after it. Decodes through every layer with SCCP reassembly state kept across
 * inputs, decodes MAP parameters (and the SMS TPDU they carry) or ISUP, and
 * writes the JSON record with the short-message text, which must always be
 * produced. 0xfd first: a Diameter message after it; 0xfc / 0xfb / 0xfa: an
 * M2PA / M2UA / SUA message (issue 11).
 */
#include <stdint.h>
#include <stdlib.h>

#include "ssgw/record.h"
#include "ssgw/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ssgw_decoder *dec;
static uint64_t now;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ssgw_view v;
    static char rec[16384];
    if (!dec) {
        ssgw_sccp_reasm_limits lim = {
            .max_entries = 8, .max_msg_bytes = 3952, .max_total_bytes = 16384, .timeout_ms = 1000};
        dec = ssgw_decoder_new(&lim);
        if (!dec) abort();
    }
    ssgw_capture_kind kind = SSGW_CAPTURE_KIND_M3UA;
    if (size && data[0] == 0xff) {
        kind = SSGW_CAPTURE_KIND_MTP3;
        data++, size--;
    } else if (size && data[0] == 0xfe) {
        kind = SSGW_CAPTURE_KIND_SCCP;
        data++, size--;
    } else if (size && data[0] == 0xfd) {
        kind = SSGW_CAPTURE_KIND_DIAMETER;
        data++, size--;
    } else if (size && data[0] >= 0xfa && data[0] <= 0xfc) { /* issue 11 */
        kind = data[0] == 0xfc   ? SSGW_CAPTURE_KIND_M2PA
               : data[0] == 0xfb ? SSGW_CAPTURE_KIND_M2UA
                                 : SSGW_CAPTURE_KIND_SUA;
        data++, size--;
    }
    now += 100;
    ssgw_decoder_run(dec, kind, data, size, now, &v);
    ssgw_json j;
    ssgw_json_begin(&j, rec, sizeof rec);
    ssgw_record_view(&j, &v);
    ssgw_record_sms_text(&j, &v);
    if (ssgw_json_end(&j) < 0 && !j.overflow) abort();
    return 0;
}
