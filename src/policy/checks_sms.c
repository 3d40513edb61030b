/*
 * checks_sms.c - sender protection and spam checks on short messages (sms.*, docs/checks.md)
 * delivered from the interconnect: the SMS-DELIVER TPDU (TS 23.040) of an inbound
 * mt-forwardSM / forwardSM towards one of our subscribers. The registry rows are in
 * checks.c.
 *
 * The message text is private: it is decoded into a buffer on the stack only for the
 * checks that need it (same text, URLs, keywords) and never written anywhere, the reason
 * sentences included (they name the list item that matched, never the text). The "same
 * text" check counts recipients per fingerprint of the normalised text (letters only: the
 * digits of a one-time code never enter it), a keyed hash whose key is derived from the
 * policy file's bytes (ssgw_sms_text_key): the store never holds a value from which a
 * text could be recovered by trying candidates without that file, and the same policy
 * gives the same fingerprints in every process, so that an analysis repeats exactly and the
 * gateway and `ssgw analyze` of its capture agree (a key drawn at random per process made
 * a full mark table keep different marks in each run). Gateways sharing a Redis store use
 * the store's shared secret instead.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"
#include "policy/sms_concat.h"
#include "ssgw/digits.h"

enum {
    BUCKET_SENDER = 0x534e4452, /* messages per sender */
    BUCKET_TEXT = 0x54455854,   /* new recipients per text fingerprint */
    TAG_TEXT = 0x54585452,      /* (fingerprint, recipient) seen */
    TAG_OVER = 0x4f564552,      /* fingerprint over its recipients (last denied at) */
};

/*
 * Character classes as the C locale has them (the library never calls setlocale): ASCII
 * only, an octet of 0x80 or more is in none; and the characters of a host name (the text is
 * lower-cased). One table of the 256 octets, read for every character of every short
 * message, where <ctype.h> called a function for each tolower / toupper (issue 16).
 */
enum { CC_SPACE = 1, CC_ALPHA = 2, CC_DIGIT = 4, CC_HOST = 8, CC_C2 = 16 /* 0xc2: U+00A0? */ };
#define CC_OF(c)                                                                                   \
    (((c) == ' ' || ((c) >= '\t' && (c) <= '\r') ? CC_SPACE : 0) | ((c) == 0xc2 ? CC_C2 : 0) |     \
     (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') ? CC_ALPHA : 0) |                   \
     ((c) >= '0' && (c) <= '9' ? CC_DIGIT : 0) |                                                   \
     (((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9') || (c) == '.' || (c) == '-'         \
          ? CC_HOST                                                                                \
          : 0))
#define CC_4(c)  CC_OF(c), CC_OF((c) + 1), CC_OF((c) + 2), CC_OF((c) + 3)
#define CC_16(c) CC_4(c), CC_4((c) + 4), CC_4((c) + 8), CC_4((c) + 12)
#define CC_64(c) CC_16(c), CC_16((c) + 16), CC_16((c) + 32), CC_16((c) + 48)
static const uint8_t char_class[256] = {CC_64(0), CC_64(64), CC_64(128), CC_64(192)};

static inline bool c_space(unsigned char c)
{
    return char_class[c] & CC_SPACE;
}
static inline bool c_alnum(unsigned char c)
{
    return char_class[c] & (CC_ALPHA | CC_DIGIT);
}
#define LOWER_OF(c) ((c) + ((c) >= 'A' && (c) <= 'Z' ? 'a' - 'A' : 0)) /* never above 255 */
#define LOWER_4(c)  LOWER_OF(c), LOWER_OF((c) + 1), LOWER_OF((c) + 2), LOWER_OF((c) + 3)
#define LOWER_16(c) LOWER_4(c), LOWER_4((c) + 4), LOWER_4((c) + 8), LOWER_4((c) + 12)
#define LOWER_64(c) LOWER_16(c), LOWER_16((c) + 16), LOWER_16((c) + 32), LOWER_16((c) + 48)
static const unsigned char lower[256] = {LOWER_64(0), LOWER_64(64), LOWER_64(128), LOWER_64(192)};

static inline char c_lower(unsigned char c)
{
    return (char)lower[c];
}
static inline char c_upper(unsigned char c)
{
    return (char)((unsigned char)(c - 'a') < 26 ? c - ('a' - 'A') : c);
}

/* An SMS-DELIVER of an inbound mt-forwardSM / forwardSM, decoded; NULL otherwise. */
static const ssgw_sms_tpdu *find_deliver(ssgw_check_ctx *cx)
{
    if (cx->dir != SSGW_DIR_INBOUND || !cx->is_map ||
        (cx->op != SSGW_MAP_OP_MT_FORWARD_SM && cx->op != SSGW_MAP_OP_MO_FORWARD_SM))
        return NULL;
    if (ssgw_view_sms(cx->v) < 0 || !cx->v->has_sms || cx->v->sms.type != SSGW_SMS_DELIVER ||
        !cx->v->sms.oa.present)
        return NULL;
    return &cx->v->sms;
}

/* find_deliver, looked up once a message (six checks ask). */
static const ssgw_sms_tpdu *inbound_deliver(ssgw_check_ctx *cx)
{
    if (!cx->sms_state) cx->sms_state = find_deliver(cx) ? 1 : -1;
    return cx->sms_state > 0 ? &cx->v->sms : NULL;
}

/*
 * The SMSC that delivers it, its network in *owner. The service-centre address (SM-RP-OA)
 * is written by the sender: it is believed when it is of the network whose node sends the
 * mt-forwardSM (the calling GT's, else the point code's: ssgw_check_peer_network;
 * spoof.peer_mismatch ties the two), where an SMS-GMSC may have a GT of its own, or when
 * that node is an SMS hub's ([[partner]] sms_hub), which relays other networks' SMSCs but
 * never ours. Otherwise the calling GT is the SMSC: a forged service-centre address must
 * not lend a message another network's standing (sms.mt_fsm_origin refuses it as well).
 */
static const char *smsc_of(ssgw_check_ctx *cx, uint16_t *owner)
{
    if (ssgw_check_need_map(cx) == 0 && cx->v->map.smsc_address.digits[0]) {
        const char *sc = cx->v->map.smsc_address.digits;
        uint8_t roles;
        trie_lookup(&cx->p->gt, sc, owner, &roles);
        if (ssgw_check_sc_vouched(cx, *owner)) return sc;
    }
    *owner = ssgw_check_peer_network(cx); /* the calling GT's network, or the point code's */
    return cx->calling;
}

/* A sender name as compared: upper case, letters and digits only ("My-Bank" = "MYBANK"). */
void ssgw_sms_sender_norm(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in && n + 1 < cap; in++)
        if (c_alnum((unsigned char)*in)) out[n++] = c_upper((unsigned char)*in);
    out[n] = '\0';
}

/* t's sender as compared (ssgw_sms_sender_norm), normalised once a message (two checks and
 * the prefetch ask); t is inbound_deliver's. */
static const char *sender_of(ssgw_check_ctx *cx, const ssgw_sms_tpdu *t)
{
    if (!cx->sender_done) {
        ssgw_sms_sender_norm(t->oa.text, cx->sender_norm, sizeof cx->sender_norm);
        cx->sender_done = true;
    }
    return cx->sender_norm;
}

/* ---- sms.protected_sender ---------------------------------------------------------- */

static bool sender_allowed(const protected_sender *ps, const char *sc, uint16_t owner)
{
    for (size_t i = 0; i < ps->smsc.n; i++)
        if (ssgw_digits_has_prefix(sc, ps->smsc.v[i])) return true;
    for (size_t i = 0; i < ps->n_owners; i++)
        if (ps->owners[i] == owner && owner != OWNER_NONE) return true;
    return false;
}

int ssgw_chk_sms_protected_sender(ssgw_check_ctx *cx)
{
    const ssgw_sms_tpdu *t = cx->p->n_protected ? inbound_deliver(cx) : NULL;
    if (!t) return 0;
    const char *norm = sender_of(cx, t);
    uint16_t owner;
    const char *sc = smsc_of(cx, &owner);
    for (size_t i = 0; i < cx->p->n_protected; i++) {
        const protected_sender *ps = &cx->p->protected_senders[i];
        if (strcmp(ps->norm, norm)) continue;
        if (sender_allowed(ps, sc, owner)) return 0;
        const party *pa = policy_party(cx->p, owner);
        return ssgw_check_deny(cx,
                               "short message from protected sender \"%s\" (listed as \"%s\") "
                               "delivered by SMSC %s (%s), which may not send it (smishing with "
                               "a trusted sender)",
                               t->oa.text, ps->sender, sc[0] ? sc : "(none)",
                               owner == OWNER_HOME ? "the home network"
                               : pa                ? pa->name
                                                   : "no partner network");
    }
    return 0;
}

/* ---- sms.home_sender_abroad -------------------------------------------------------- */

/*
 * Whether the numeric sender oa is one of our numbers ([home] msisdn_prefixes), in
 * international form into intl. TS 23.040 9.1.2.5: TON 1 international; TON 2 national,
 * read in the country of the home prefix (geo table), a leading trunk "0" dropped; TON 0
 * unknown, which a phone shows as dialled: international as it is, after an international
 * prefix "00", or else national. A national reading must have the length of a subscriber's
 * number there (numbering table), so that a short code is not taken for one of ours.
 */
static bool home_number(const ssgw_policy *p, const ssgw_sms_addr *oa, char *intl, size_t cap)
{
    const char *d = oa->text;
    bool as_intl = oa->ton == 1 || oa->ton == 0, as_national = oa->ton == 2 || oa->ton == 0;
    if (oa->alphanumeric || (!as_intl && !as_national)) return false;
    if (oa->ton == 0 && d[0] == '0' && d[1] == '0') {
        d += 2; /* the international prefix */
        as_national = false;
    }
    const char *nsn = d[0] == '0' ? d + 1 : d; /* the national significant number */
    for (size_t i = 0; i < p->home.msisdn.n; i++) {
        const char *m = p->home.msisdn.v[i];
        if (as_intl && ssgw_digits_has_prefix(d, m)) {
            snprintf(intl, cap, "%s", d);
            return true;
        }
        const geo_entry *g = as_national ? geo_lookup(m) : NULL;
        if (!g || (size_t)snprintf(intl, cap, "%s%s", g->code, nsn) >= cap ||
            !ssgw_digits_has_prefix(intl, m))
            continue;
        number_class c = numbering_classify(intl, true, NULL);
        if (c != NUMBER_TOO_SHORT && c != NUMBER_SHORT_CODE) return true;
    }
    return false;
}

int ssgw_chk_sms_home_sender(ssgw_check_ctx *cx)
{
    const ssgw_sms_tpdu *t = cx->p->home.msisdn.n ? inbound_deliver(cx) : NULL;
    char intl[SSGW_SMS_ADDR_CAP + 8];
    if (!t || !home_number(cx->p, &t->oa, intl, sizeof intl)) return 0;
    uint16_t owner;
    const char *sc = smsc_of(cx, &owner);
    if (owner == OWNER_HOME) return 0;
    const party *pa = policy_party(cx->p, owner);
    bool as_sent = !strcmp(intl, t->oa.text);
    return ssgw_check_deny(cx,
                           "short message with one of our own numbers (%s%s%s%s) as sender "
                           "delivered from abroad by SMSC %s (%s): our subscribers' messages go "
                           "through our own SMSC (spoofed sender)",
                           t->oa.text, as_sent ? "" : ", ", as_sent ? "" : intl,
                           as_sent ? "" : " in international form", sc[0] ? sc : "(none)",
                           pa ? pa->name : "no partner network");
}

/* ---- sms.sender_rate ----------------------------------------------------------------- */

static uint64_t sender_key(ssgw_check_ctx *cx, const ssgw_sms_tpdu *t)
{
    return ssgw_store_mix(fnv1a_str(SSGW_FNV1A_BASIS, sender_of(cx, t)), BUCKET_SENDER);
}

int ssgw_chk_sms_sender_rate(ssgw_check_ctx *cx)
{
    const rate_spec *r = &cx->p->sms_sender_rate;
    const ssgw_sms_tpdu *t = r->limit ? inbound_deliver(cx) : NULL;
    if (!t || ssgw_check_take(cx, sender_key(cx, t), r->limit, r->period, r->limit) != 0) return 0;
    return ssgw_check_deny(cx,
                           "more than %u short messages from sender \"%s\" in %u s (SMS flood "
                           "/ spam campaign)",
                           r->limit, t->oa.text, r->period);
}

/* ---- the text: fingerprint, URLs, keywords ------------------------------------------ */

/* The length of the white space at s: an ASCII one or a no-break space (U+00A0); 0 when
 * none. */
static size_t space_at(const char *s)
{
    if (c_space((unsigned char)*s)) return 1;
    return (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0 ? 2 : 0;
}

/*
 * 8-bit data read as text (ISO 8859-1 into UTF-8, controls as white space) for the link and
 * phrase checks: many phones show class-less 8-bit data (DCS 0x04, 0xF4...) as text, and
 * spam senders use it to slip past filters that read only GSM 7-bit and UCS-2. Not when it
 * is addressed to an application port (WAP push, a SIM or handset application: data, not
 * text) or is data for the SIM or the handset (TP-PID 0x7C..0x7F, TS 23.040 9.2.3.9).
 * Returns the octets written, or -1 when the data is not to be read as text.
 */
static int latin1_of(const ssgw_sms_tpdu *t, char *out, size_t cap)
{
    if (t->dcs_info.alphabet != SSGW_SMS_8BIT || t->dcs_info.compressed || t->ports ||
        (t->pid >= 0x7c && t->pid <= 0x7f) || !t->ud || t->text_first > t->ud_len ||
        t->text_count > t->ud_len - t->text_first || t->text_count * 2 + 1 > cap)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < t->text_count; i++) {
        uint8_t c = t->ud[t->text_first + i];
        if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
            out[n++] = ' ';
        } else if (c < 0x80) {
            out[n++] = (char)c;
        } else {
            out[n++] = (char)(0xc0 | c >> 6);
            out[n++] = (char)(0x80 | (c & 0x3f));
        }
    }
    out[n] = '\0';
    return (int)n;
}

enum { TEXT_SMS = 1, TEXT_8BIT = 2 }; /* cx->text_state when there is text */

/* The text (UTF-8) of t, decoded into cx once a message (four checks read it), lower-cased
 * and with every run of white space one ' ' (so that a doubled space or a line break does
 * not hide a phrase); NULL when the message has none, or only 8-bit data read as text
 * (latin1_of) and not with_8bit (the same-text count keeps to real text). */
static const char *text_of(ssgw_check_ctx *cx, const ssgw_sms_tpdu *t, bool with_8bit)
{
    if (!cx->text_state) {
        cx->text_state = -1;
        int kind = TEXT_SMS;
        int n = ssgw_sms_text(t, cx->sms_text, sizeof cx->sms_text, NULL);
        if (n < 0 && (n = latin1_of(t, cx->sms_text, sizeof cx->sms_text)) >= 0) kind = TEXT_8BIT;
        if (n > 0) {
            char *o = cx->sms_text;
            for (const char *c = cx->sms_text; *c;) {
                /* most characters are neither white space nor the first of a U+00A0 */
                size_t sp = char_class[(unsigned char)*c] & (CC_SPACE | CC_C2) ? space_at(c) : 0;
                if (!sp) {
                    *o++ = c_lower((unsigned char)*c++);
                    continue;
                }
                if (o == cx->sms_text || o[-1] != ' ') *o++ = ' ';
                c += sp;
            }
            *o = '\0';
            cx->text_state = (int8_t)kind;
        }
    }
    if (cx->text_state == TEXT_SMS || (with_8bit && cx->text_state == TEXT_8BIT))
        return cx->sms_text;
    return NULL;
}

/* What varies between the copies of one campaign is left out: case, digits (codes,
 * amounts, numbers), everything but letters, and the path of links. The fingerprint is
 * SipHash-like keyed mixing of what remains, with the per-process key. */
uint64_t ssgw_sms_fingerprint(const char *text, uint64_t key)
{
    uint64_t h = key ^ 0x736f6d6570736575ull;
    bool in_link = false;
    for (const char *c = text; *c; c++) {
        unsigned cls = char_class[(unsigned char)*c];
        if (cls & CC_ALPHA) { /* most: a letter is never white space nor a '/' */
            if (!in_link) h = ssgw_store_mix(h, (uint8_t)*c);
        } else if (cls & CC_SPACE) {
            in_link = false;
        } else if (*c == '/' && c > text && c[-1] != '/' && c[-1] != ':') {
            in_link = true;
        }
    }
    return ssgw_store_mix(h, key);
}

int ssgw_chk_sms_same_text(ssgw_check_ctx *cx)
{
    const rate_spec *r = &cx->p->sms_same_text;
    const ssgw_sms_tpdu *t = r->limit ? inbound_deliver(cx) : NULL;
    const char *text = t ? text_of(cx, t, false) : NULL;
    if (!text || ssgw_check_need_map(cx) < 0) return 0;
    uint64_t fp = ssgw_sms_fingerprint(text, cx->text_key);
    uint64_t recipient =
        cx->imsi_key ? cx->imsi_key : ssgw_store_pack_digits(cx->v->map.msisdn.digits);
    if (!recipient) return 0;
    ssgw_store *s = cx->store;
    if (s->ops->mark_get(s, fp, ssgw_store_mix(recipient, TAG_TEXT), cx->now_s, r->period) == 1) {
        /* the same message to the same subscriber again: not a new recipient, but while the
         * text is over its limit (denied within the time the bucket refills one) it is the
         * campaign's */
        uint32_t refill = r->period / r->limit ? r->period / r->limit : 1;
        if (s->ops->mark_get(s, fp, TAG_OVER, cx->now_s, refill) != 1) return 0;
    } else {
        uint16_t from = ssgw_check_peer_network(cx);
        s->ops->mark_put(s, fp, ssgw_store_mix(recipient, TAG_TEXT), cx->now_s, from, r->period);
        if (ssgw_check_take(cx, ssgw_store_mix(fp, BUCKET_TEXT), r->limit, r->period, r->limit) !=
            0)
            return 0;
        s->ops->mark_put(s, fp, TAG_OVER, cx->now_s, from,
                         r->period / r->limit ? r->period / r->limit : 1);
    }
    return ssgw_check_deny(cx,
                           "the same text (by its fingerprint; the text is not kept) went to more "
                           "than %u recipients in %u s, this one from sender \"%s\" (bulk spam / "
                           "smishing campaign)",
                           r->limit, r->period, t->oa.text);
}

/* Whether c can be part of a host name (the text is lower-cased). */
static inline bool host_char(char c)
{
    return char_class[(unsigned char)c] & CC_HOST;
}

/* True when host[0..h) is domain or one of its subdomains (a label and '.' before it). */
static bool host_in(const char *host, size_t h, const char *domain)
{
    size_t d = strlen(domain);
    return h >= d && !strncasecmp(host + h - d, domain, d) && (h == d || host[h - d - 1] == '.');
}

/*
 * Every word of host characters is a host a browser or the phone may open, wherever it
 * stands ("(bit.ly/x)", "account:bit.ly/x", "https://bit.ly"), but one right before an '@':
 * that is the user part of an address ("https://bank.example@bit.ly/x" opens bit.ly, the
 * host after the last '@'). One pass over the text; the listed domains are compared with
 * the words that hold a '.'. With j (text is j->buf), only a host that crosses a join of
 * segments counts, and not one running into a cut window (its end is unknown). Returns the
 * listed domain's index and the host in *host, *h; -1 when none.
 */
static long url_find(const ssgw_policy *p, const char *text, const sms_joined *j,
                     const char **host_out, size_t *h_out, unsigned *crossed)
{
    for (const char *c = text; *c;) {
        if (!host_char(*c)) {
            c++;
            continue;
        }
        const char *host = c;
        bool dot = false;
        for (; host_char(*c); c++)
            dot |= *c == '.';
        size_t h = (size_t)(c - host);
        while (h && (host[h - 1] == '.' || host[h - 1] == '-')) /* "see bit.ly." */
            h--;
        if (!dot || *c == '@') continue;
        if (j) {
            size_t a = (size_t)(host - text);
            if (!*c && j->end_cut) continue;
            if (!(*crossed = sms_joined_crosses(j, a, a + h))) continue;
        }
        for (size_t i = 0; i < p->sms_url_domains.n; i++)
            if (host_in(host, h, p->sms_url_domains.v[i])) {
                *host_out = host;
                *h_out = h;
                return (long)i;
            }
    }
    return -1;
}

/* "split across segments 1-2 of 3 of a concatenated message (reference 7)": the segments
 * the match crossed, into out. */
static const char *across(const sms_joined *j, unsigned crossed, char *out, size_t cap)
{
    unsigned lo = crossed & 1 ? j->seq - 1 : j->seq, hi = crossed & 2 ? j->seq + 1 : j->seq;
    snprintf(out, cap, "split across segments %u-%u of %u of a concatenated message (reference %u)",
             lo, hi, j->total, j->ref);
    return out;
}

int ssgw_chk_sms_url(ssgw_check_ctx *cx)
{
    const ssgw_sms_tpdu *t = cx->p->sms_url_domains.n ? inbound_deliver(cx) : NULL;
    const char *text = t ? text_of(cx, t, true) : NULL;
    if (!text) return 0;
    const char *host;
    size_t h;
    unsigned crossed = 0;
    sms_joined j;
    char where[120] = "";
    long i = url_find(cx->p, text, NULL, &host, &h, &crossed);
    if (i < 0 && t->concat && ssgw_sms_concat_join(cx, t, text, &j) &&
        (i = url_find(cx->p, j.buf, &j, &host, &h, &crossed)) >= 0) {
        where[0] = ' ';
        across(&j, crossed, where + 1, sizeof where - 1);
    }
    if (i < 0) return 0;
    /* the reason names the host's last 63 octets at most: the listed domain, and no more of
     * the private text than a host */
    size_t shown = h < 63 ? h : 63;
    return ssgw_check_deny(cx,
                           "short message from sender \"%s\" links to %s%.*s, a listed domain "
                           "([sms] url_domains: %s)%s%s: phishing link",
                           t->oa.text, shown < h ? "..." : "", (int)shown, host + h - shown,
                           cx->p->sms_url_domains.v[i], where[0] ? "," : "", where);
}

size_t ssgw_sms_phrase_norm(const char *phrase, char *kw, size_t cap)
{
    size_t n = 0;
    for (const char *from = phrase; *from && n + 1 < cap;) {
        size_t sp = space_at(from);
        if (!sp) {
            kw[n++] = c_lower((unsigned char)*from++);
            continue;
        }
        if (n == 0 || kw[n - 1] != ' ') kw[n++] = ' ';
        from += sp;
    }
    kw[n] = '\0';
    return n;
}

/* The first listed phrase in text (with j: only an occurrence crossing a join of segments);
 * -1 when none. */
static long keyword_find(const ssgw_policy *p, const char *text, const sms_joined *j,
                         unsigned *crossed)
{
    for (size_t i = 0; i < p->sms_phrases.n; i++) {
        const char *kw = p->sms_phrases.v[i]; /* normalised at policy load */
        size_t n = strlen(kw);
        if (!n) continue;
        for (const char *f = text; (f = strstr(f, kw)) != NULL; f++) {
            if (!j) return (long)i;
            size_t a = (size_t)(f - text);
            if ((*crossed = sms_joined_crosses(j, a, a + n)) != 0) return (long)i;
        }
    }
    return -1;
}

/* A listed phrase is matched as the text is: lower case, runs of white space one ' ' (the
 * policy holds the phrases so, sms_phrases: not normalised again for every message). */
int ssgw_chk_sms_keyword(ssgw_check_ctx *cx)
{
    const ssgw_sms_tpdu *t = cx->p->sms_keywords.n ? inbound_deliver(cx) : NULL;
    const char *text = t ? text_of(cx, t, true) : NULL;
    if (!text) return 0;
    unsigned crossed = 0;
    sms_joined j;
    char where[120] = "";
    long i = keyword_find(cx->p, text, NULL, &crossed);
    if (i < 0 && t->concat && ssgw_sms_concat_join(cx, t, text, &j) &&
        (i = keyword_find(cx->p, j.buf, &j, &crossed)) >= 0) {
        where[0] = ' ';
        across(&j, crossed, where + 1, sizeof where - 1);
    }
    if (i < 0) return 0;
    return ssgw_check_deny(cx,
                           "short message from sender \"%s\" contains the listed phrase \"%s\" "
                           "([sms] keywords)%s%s",
                           t->oa.text, cx->p->sms_keywords.v[i], where[0] ? "," : "", where);
}

/* ---- what the checks read (ssgw_firewall_prefetch_keys) ---------------------------- */

size_t ssgw_sms_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap)
{
    const ssgw_sms_tpdu *t = inbound_deliver(cx);
    ssgw_store_key k[4];
    size_t n = 0;
    if (!t) return 0;
    if (cx->p->sms_sender_rate.limit)
        k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, sender_key(cx, t), 0};
    const char *text;
    uint64_t recipient =
        cx->imsi_key ? cx->imsi_key : ssgw_store_pack_digits(cx->v->map.msisdn.digits);
    if (cx->p->sms_same_text.limit && ssgw_check_need_map(cx) == 0 && recipient &&
        (text = text_of(cx, t, false)) != NULL) {
        uint64_t fp = ssgw_sms_fingerprint(text, cx->text_key);
        k[n++] = (ssgw_store_key){SSGW_STORE_MARK, fp, ssgw_store_mix(recipient, TAG_TEXT)};
        k[n++] = (ssgw_store_key){SSGW_STORE_MARK, fp, TAG_OVER};
        k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, ssgw_store_mix(fp, BUCKET_TEXT), 0};
    }
    if (n > cap) n = cap;
    memcpy(keys, k, n * sizeof *k);
    return n;
}

uint64_t ssgw_sms_text_key(const char *text, size_t len)
{
    /* FNV-1a over the file, then mixed: never 0 */
    return ssgw_store_mix(fnv1a(SSGW_FNV1A_BASIS, text, len), 0x534d534b4559ull);
}
