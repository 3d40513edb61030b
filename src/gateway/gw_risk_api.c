/*
 * gw_risk_api.c - the body of a risk query (include/ssgw/gw_http.h), shaped
 * after the CAMARA SIM Swap API's check: {"phoneNumber": "+447924123456",
 * "maxAge": 24}. A small strict reader for one flat JSON object (RFC 8259
 * strings without escapes beyond \" and \\, integers, true/false/null): any
 * other shape is refused with a sentence the client can act on. Unknown keys
 * are refused too, so a typo ("maxage") is not silently the default.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/gw_http_int.h"

typedef struct {
    const char *p, *end;
} rd;

static void ws(rd *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

/* A string into out (cap); -1 when malformed or too long. */
static int str(rd *r, char *out, size_t cap)
{
    if (r->p >= r->end || *r->p != '"') return -1;
    r->p++;
    size_t n = 0;
    while (r->p < r->end && *r->p != '"') {
        char c = *r->p++;
        if (c == '\\') {
            if (r->p >= r->end || (*r->p != '"' && *r->p != '\\')) return -1;
            c = *r->p++;
        } else if ((unsigned char)c < 0x20) {
            return -1;
        }
        if (n + 1 >= cap) return -1;
        out[n++] = c;
    }
    if (r->p >= r->end) return -1;
    r->p++;
    out[n] = '\0';
    return 0;
}

int gw_risk_parse(const char *body, size_t len, char *msisdn, size_t cap, long *max_age_h, long def,
                  long max, char *why, size_t whycap)
{
    rd r = {body, body + len};
    bool have_number = false, have_age = false;
    *max_age_h = def;
    ws(&r);
    if (r.p >= r.end || *r.p != '{')
        return snprintf(why, whycap, "the body must be a JSON object"), -1;
    r.p++;
    ws(&r);
    while (r.p < r.end && *r.p != '}') {
        char key[32], val[64];
        if (str(&r, key, sizeof key) < 0)
            return snprintf(why, whycap, "expected a key in double quotes"), -1;
        ws(&r);
        if (r.p >= r.end || *r.p++ != ':') return snprintf(why, whycap, "expected ':'"), -1;
        ws(&r);
        if (!strcmp(key, "phoneNumber")) {
            if (str(&r, val, sizeof val) < 0)
                return snprintf(why, whycap, "phoneNumber must be a string"), -1;
            size_t n = strlen(val);
            bool ok = n >= 6 && n <= 16 && val[0] == '+' && val[1] >= '1' && val[1] <= '9';
            for (size_t i = 1; ok && i < n; i++)
                ok = isdigit((unsigned char)val[i]);
            if (!ok)
                return snprintf(why, whycap,
                                "phoneNumber must be E.164 with a '+': \"+\" then 5 to 15 digits, "
                                "e.g. \"+447924123456\""),
                       -1;
            snprintf(msisdn, cap, "%s", val + 1);
            have_number = true;
        } else if (!strcmp(key, "maxAge")) {
            char *e;
            long v = strtol(r.p, &e, 10);
            if (e == r.p || e > r.end || (*e != ',' && *e != '}' && !isspace((unsigned char)*e)))
                return snprintf(why, whycap, "maxAge must be an integer (hours)"), -1;
            if (v < 1 || v > max)
                return snprintf(why, whycap, "maxAge %ld is out of range: 1 .. %ld hours", v, max),
                       -1;
            r.p = e;
            *max_age_h = v;
            have_age = true;
        } else {
            return snprintf(why, whycap, "unknown key '%s': allowed are phoneNumber, maxAge", key),
                   -1;
        }
        ws(&r);
        if (r.p < r.end && *r.p == ',') {
            r.p++;
            ws(&r);
        }
    }
    if (r.p >= r.end) return snprintf(why, whycap, "the JSON object is not closed"), -1;
    r.p++;
    ws(&r);
    if (r.p != r.end) return snprintf(why, whycap, "text after the JSON object"), -1;
    if (!have_number) return snprintf(why, whycap, "phoneNumber is required"), -1;
    (void)have_age;
    return 0;
}
