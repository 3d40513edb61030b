/* error.c - names and formatting for ssgw_error (see include/ssgw/error.h). */
#include "ssgw/error.h"

#include <stdio.h>

static const char *const layer_names[SSGW_LAYER_COUNT] = {
    [SSGW_LAYER_NONE] = "none",         [SSGW_LAYER_CAPTURE] = "capture",
    [SSGW_LAYER_LINK] = "link",         [SSGW_LAYER_IP] = "ip",
    [SSGW_LAYER_SCTP] = "sctp",         [SSGW_LAYER_TCP] = "tcp",
    [SSGW_LAYER_M3UA] = "m3ua",         [SSGW_LAYER_MTP3] = "mtp3",
    [SSGW_LAYER_SCCP] = "sccp",         [SSGW_LAYER_TCAP] = "tcap",
    [SSGW_LAYER_MAP] = "map",           [SSGW_LAYER_BER] = "ber",
    [SSGW_LAYER_DIAMETER] = "diameter", [SSGW_LAYER_ISUP] = "isup",
    [SSGW_LAYER_SMS] = "sms",
};

static const char *const code_names[SSGW_E_COUNT] = {
    [SSGW_E_OK] = "ok",
    [SSGW_E_TRUNCATED] = "truncated",
    [SSGW_E_BAD_LENGTH] = "bad length",
    [SSGW_E_BAD_VALUE] = "bad value",
    [SSGW_E_BAD_TAG] = "unexpected tag",
    [SSGW_E_MISSING] = "missing",
    [SSGW_E_UNSUPPORTED] = "unsupported",
    [SSGW_E_TOO_DEEP] = "nested too deep",
    [SSGW_E_TOO_BIG] = "too big",
    [SSGW_E_DUPLICATE] = "duplicate",
};

/* The layers issue 11 added: TCAP users, SCCP users and framings of probe captures. */
static const char *const added_layer_names[SSGW_LAYER_COUNT] = {
    [SSGW_LAYER_CAP] = "cap",   [SSGW_LAYER_ANSI_TCAP] = "ansi_tcap", [SSGW_LAYER_SCMG] = "scmg",
    [SSGW_LAYER_M2PA] = "m2pa", [SSGW_LAYER_M2UA] = "m2ua",           [SSGW_LAYER_SUA] = "sua",
    [SSGW_LAYER_MTP2] = "mtp2",
};

const char *ssgw_layer_name(ssgw_layer layer)
{
    if ((unsigned)layer >= SSGW_LAYER_COUNT) return "?";
    return layer_names[layer] ? layer_names[layer] : added_layer_names[layer];
}

const char *ssgw_errcode_name(ssgw_errcode code)
{
    return (unsigned)code < SSGW_E_COUNT ? code_names[code] : "?";
}

int ssgw_fail(ssgw_error *err, ssgw_layer layer, ssgw_errcode code, const char *field,
              size_t offset)
{
    if (err) {
        err->layer = layer;
        err->code = code;
        err->field = field;
        err->offset = offset;
    }
    return -1;
}

void ssgw_error_rebase(ssgw_error *err, size_t base)
{
    if (err) err->offset += base;
}

int ssgw_error_format(const ssgw_error *err, char *out, size_t outlen)
{
    return snprintf(out, outlen, "%s: %s: %s at byte %zu", ssgw_layer_name(err->layer),
                    err->field ? err->field : "message", ssgw_errcode_name(err->code), err->offset);
}
