/*
 * test_policy_reason_fmt.c - the hand-written reason formatter (src/policy/reason_fmt.c)
 * against the C library's snprintf, the independent reference: every reason template of the
 * checks and the firewall with four sets of arguments (boundary integers, empty, short and
 * over-long strings, %.*s precisions below and above the length), each at every buffer size
 * from 0 to past its length; boundary integers for every conversion written by hand; the
 * conversions it leaves to vsnprintf (%.0f, widths, flags, %c, %zu, a NULL string); and '%'
 * inside arguments. Text, return value and every octet of the buffer must agree.
 */
#include <limits.h>
#include <stdarg.h>

#include "check.h"
#include "policy/policy_int.h"
#include "ssgw/firewall.h"

/* 400 octets: more than a verdict's reason (SSGW_REASON_CAP) holds */
#define LONG                                                                                       \
    "long-name-0123456789-long-name-0123456789-long-name-0123456789-long-name-0123456789-"         \
    "long-name-0123456789-long-name-0123456789-long-name-0123456789-long-name-0123456789-"         \
    "long-name-0123456789-long-name-0123456789-long-name-0123456789-long-name-0123456789-"         \
    "long-name-0123456789-long-name-0123456789-long-name-0123456789-long-name-0123456789-"         \
    "long-name-0123456789-long-name-0123456789-long-name-0123456789-long-name-01234%s%d%%"

static int compared;

/* Both formatters into buffers filled alike beforehand, at size cap. */
static void same_at(size_t cap, const char *fmt, ...)
{
    char a[1024], b[1024];
    memset(a, 0x5a, sizeof a);
    memset(b, 0x5a, sizeof b);
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int na = vsnprintf(cap ? a : NULL, cap, fmt, ap);
    int nb = ssgw_reason_vformat(cap ? b : NULL, cap, fmt, aq);
    va_end(aq);
    va_end(ap);
    CHECK_INT(nb, na);
    CHECK_MEM(b, sizeof b, a, sizeof a);
    if (na != nb || memcmp(a, b, sizeof a))
        fprintf(stderr, "  format \"%s\" at size %zu:\n  snprintf \"%.*s\"\n  ours     \"%.*s\"\n",
                fmt, cap, (int)(cap ? cap : 1) - 1, a, (int)(cap ? cap : 1) - 1, b);
    compared++;
}

/* The sizes: 0, 1, 2, 17, the reason's, 1000, and around the full length. */
#define SAME(...)                                                                                  \
    do {                                                                                           \
        int n_ = snprintf(NULL, 0, __VA_ARGS__);                                                   \
        size_t caps_[] = {0,                                                                       \
                          1,                                                                       \
                          2,                                                                       \
                          17,                                                                      \
                          SSGW_REASON_CAP,                                                         \
                          1000,                                                                    \
                          (size_t)n_,                                                              \
                          (size_t)n_ + 1,                                                          \
                          (size_t)n_ + 2,                                                          \
                          n_ > 0 ? (size_t)n_ - 1 : 3};                                            \
        for (size_t c_ = 0; c_ < sizeof caps_ / sizeof caps_[0]; c_++)                             \
            if (caps_[c_] <= 1000) same_at(caps_[c_], __VA_ARGS__);                                \
    } while (0)

/* Every conversion written by hand at its boundaries. */
static void boundary_integers(void)
{
    const unsigned us[] = {0, 1, 9, 10, 99, 100, 4095, 65535, 2147483647u, 2147483648u, UINT_MAX};
    const int ds[] = {0, 1, -1, 9, -9, 10, -10, INT_MAX, INT_MIN, INT_MIN + 1, 12345, -54321};
    const long long ls[] = {0,
                            1,
                            -1,
                            10,
                            -10,
                            LLONG_MAX,
                            LLONG_MIN,
                            LLONG_MIN + 1,
                            4294967296LL,
                            -4294967296LL,
                            999999999999LL};
    const unsigned long long lus[] = {
        0, 1, 10, ULLONG_MAX, 18446744073709551615ull / 10, 4294967296ull};
    for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
        SAME("%u", us[i]);
        SAME("id %08x.", us[i]);
        SAME("%x|%01x|%02u|%020x|%016x", us[i], us[i], us[i], us[i], us[i]);
    }
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++)
        SAME("line %d)", ds[i]);
    for (size_t i = 0; i < sizeof ls / sizeof ls[0]; i++)
        SAME("%lld s, %ld", ls[i], (long)ls[i]);
    for (size_t i = 0; i < sizeof lus / sizeof lus[0]; i++)
        SAME("%llu %llx %lu", lus[i], lus[i], (unsigned long)lus[i]);
}

/* Strings: empty, a '%' or a conversion inside an argument (copied, not read), precisions. */
static void strings(void)
{
    SAME("%s", "");
    SAME("no conversion at all");
    SAME("%%");
    SAME("100%% of %s%%", "it");
    SAME("%s and %s", "50% %s %d", "%%");
    SAME("[%.*s]", 0, "abc");
    SAME("[%.*s]", 2, "abc");
    SAME("[%.*s]", 3, "abc");
    SAME("[%.*s]", 9, "abc");
    SAME("[%.*s]", 2, "");
    SAME("%.*s%s%.*s", 5, LONG, LONG, 380, LONG);
    SAME("%s%s%s", LONG, LONG, LONG);
}

/* What the hand formatter leaves to vsnprintf: the text must still be vsnprintf's. */
static void left_to_vsnprintf(void)
{
    SAME("%.0f km", 1234.5);
    SAME("%s %.0f %u", "x", -0.5, 7u);
    SAME("%5d|", 42);
    SAME("%-5s|", "ab");
    SAME("%+d", 3);
    SAME("% d", 3);
    SAME("%c", 'x');
    SAME("%zu", (size_t)77);
    SAME("%8x", 255u);
    SAME("%08d", -42);
    SAME("%08lx", 255ul);
    SAME("%.3s", "abcdef");
    SAME("%.*d", 3, 5);
    SAME("%p", (void *)0);
    SAME("%hu", (unsigned short)5);
    SAME("%099x", 1u);
#if defined(__GLIBC__) /* glibc writes "(null)"; not every C library does */
    const char *volatile none = NULL;
    SAME("a %s b", none);
    SAME("a %.*s b", 3, none);
#endif
    SAME("[%.*s]", -1, "abc"); /* a negative precision is no precision */
}

/* every reason template of src/policy (checks*.c, firewall.c) with four sets of arguments of
 * its conversions' types; lint.reason_templates (tests/lint/check_reason_templates.py)
 * fails when a template of the source is missing here */
static void every_template(void)
{
    SAME("TCAP %s with %u components could not be judged one by one (out of memory)", "", 0u);
    SAME("TCAP %s with %u components could not be judged one by one (out of memory)", "Begin", 2u);
    SAME("TCAP %s with %u components could not be judged one by one (out of memory)",
         "a partner network with a long name", 4294967295u);
    SAME("TCAP %s with %u components could not be judged one by one (out of memory)", LONG, 16u);
    SAME("%s %s with more than %d components: the rest would go unscreened", "TCAP", "", 0);
    SAME("%s %s with more than %d components: the rest would go unscreened", "ANSI TCAP",
         "Continue", 16);
    SAME("%s %s with more than %d components: the rest would go unscreened", "",
         "a partner network with a long name", INT_MIN);
    SAME("%s %s with more than %d components: the rest would go unscreened", LONG, LONG, INT_MAX);
    SAME("TCAP %s from %s with destination transaction id %08x belongs to no dialogue we began in "
         "the last %lld s (infiltration of a foreign transaction)",
         "", "", 0u, 0LL);
    SAME("TCAP %s from %s with destination transaction id %08x belongs to no dialogue we began in "
         "the last %lld s (infiltration of a foreign transaction)",
         "9725400000", "9725400000", 0xdeadbeefu, -1LL);
    SAME("TCAP %s from %s with destination transaction id %08x belongs to no dialogue we began in "
         "the last %lld s (infiltration of a foreign transaction)",
         "a partner network with a long name", "a partner network with a long name", 0xffffffffu,
         LLONG_MIN);
    SAME("TCAP %s from %s with destination transaction id %08x belongs to no dialogue we began in "
         "the last %lld s (infiltration of a foreign transaction)",
         LONG, LONG, 7u, LLONG_MAX);
    SAME("calling GT %s is one of ours, but the message arrived from the interconnect (point code "
         "%u)",
         "", 0u);
    SAME("calling GT %s is one of ours, but the message arrived from the interconnect (point code "
         "%u)",
         "9725400000", 1u);
    SAME("calling GT %s is one of ours, but the message arrived from the interconnect (point code "
         "%u)",
         "a partner network with a long name", 4294967295u);
    SAME("calling GT %s is one of ours, but the message arrived from the interconnect (point code "
         "%u)",
         LONG, 1000u);
    SAME("calling GT %s belongs to %s, whose traffic arrives from point code %lld, but this "
         "message came from point code %u (spoofed global title)",
         "", "", 0LL, 0u);
    SAME("calling GT %s belongs to %s, whose traffic arrives from point code %lld, but this "
         "message came from point code %u (spoofed global title)",
         "9725400000", "9725400000", -1LL, 1u);
    SAME("calling GT %s belongs to %s, whose traffic arrives from point code %lld, but this "
         "message came from point code %u (spoofed global title)",
         "a partner network with a long name", "a partner network with a long name", LLONG_MIN,
         4294967295u);
    SAME("calling GT %s belongs to %s, whose traffic arrives from point code %lld, but this "
         "message came from point code %u (spoofed global title)",
         LONG, LONG, LLONG_MAX, 1000u);
    SAME("%s is a category 1 operation (never accepted from the interconnect) and %s (%s) has no "
         "agreement that allows it",
         "", "", "");
    SAME("%s is a category 1 operation (never accepted from the interconnect) and %s (%s) has no "
         "agreement that allows it",
         "9725400000", "9725400000", "9725400000");
    SAME("%s is a category 1 operation (never accepted from the interconnect) and %s (%s) has no "
         "agreement that allows it",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s is a category 1 operation (never accepted from the interconnect) and %s (%s) has no "
         "agreement that allows it",
         LONG, LONG, LONG);
    SAME("%s sent by calling SSN %u, which is not a subsystem that sends it (expected %u%s)", "",
         0u, 0u, "");
    SAME("%s sent by calling SSN %u, which is not a subsystem that sends it (expected %u%s)",
         "9725400000", 1u, 1u, "9725400000");
    SAME("%s sent by calling SSN %u, which is not a subsystem that sends it (expected %u%s)",
         "a partner network with a long name", 4294967295u, 4294967295u,
         "a partner network with a long name");
    SAME("%s sent by calling SSN %u, which is not a subsystem that sends it (expected %u%s)", LONG,
         1000u, 1000u, LONG);
    SAME("%s addressed to called SSN %u, which does not handle it (expected %u%s)", "", 0u, 0u, "");
    SAME("%s addressed to called SSN %u, which does not handle it (expected %u%s)", "9725400000",
         1u, 1u, "9725400000");
    SAME("%s addressed to called SSN %u, which does not handle it (expected %u%s)",
         "a partner network with a long name", 4294967295u, 4294967295u,
         "a partner network with a long name");
    SAME("%s addressed to called SSN %u, which does not handle it (expected %u%s)", LONG, 1000u,
         1000u, LONG);
    SAME("%s for IMSI %s (%s) was sent to our network, but only our own subscribers' IMSIs can be "
         "served by our HLR",
         "", "", "");
    SAME("%s for IMSI %s (%s) was sent to our network, but only our own subscribers' IMSIs can be "
         "served by our HLR",
         "9725400000", "9725400000", "9725400000");
    SAME("%s for IMSI %s (%s) was sent to our network, but only our own subscribers' IMSIs can be "
         "served by our HLR",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s for IMSI %s (%s) was sent to our network, but only our own subscribers' IMSIs can be "
         "served by our HLR",
         LONG, LONG, LONG);
    SAME(" (ported numbers %s:%u)", "", 0u);
    SAME(" (ported numbers %s:%u)", "9725400000", 1u);
    SAME(" (ported numbers %s:%u)", "a partner network with a long name", 4294967295u);
    SAME(" (ported numbers %s:%u)", LONG, 1000u);
    SAME("%s for MSISDN %s, which is not one of ours (outside [home] msisdn_prefixes and not "
         "ported in): our HLR does not serve it",
         "", "");
    SAME("%s for MSISDN %s, which is not one of ours (outside [home] msisdn_prefixes and not "
         "ported in): our HLR does not serve it",
         "9725400000", "9725400000");
    SAME("%s for MSISDN %s, which is not one of ours (outside [home] msisdn_prefixes and not "
         "ported in): our HLR does not serve it",
         "a partner network with a long name", "a partner network with a long name");
    SAME("%s for MSISDN %s, which is not one of ours (outside [home] msisdn_prefixes and not "
         "ported in): our HLR does not serve it",
         LONG, LONG);
    SAME("%s for MSISDN %s, which %s %s%s, not by us: our HLR does not serve it", "", "", "", "",
         "");
    SAME("%s for MSISDN %s, which %s %s%s, not by us: our HLR does not serve it", "9725400000",
         "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s for MSISDN %s, which %s %s%s, not by us: our HLR does not serve it",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s for MSISDN %s, which %s %s%s, not by us: our HLR does not serve it", LONG, LONG, LONG,
         LONG, LONG);
    SAME("%s (category 2) about our own subscriber %s arrived from the interconnect (%s, %s): only "
         "our own HLR sends it",
         "", "", "", "");
    SAME("%s (category 2) about our own subscriber %s arrived from the interconnect (%s, %s): only "
         "our own HLR sends it",
         "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s (category 2) about our own subscriber %s arrived from the interconnect (%s, %s): only "
         "our own HLR sends it",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("%s (category 2) about our own subscriber %s arrived from the interconnect (%s, %s): only "
         "our own HLR sends it",
         LONG, LONG, LONG, LONG);
    SAME("%s (category 2) about our own subscriber MSISDN %s%s arrived from the interconnect (%s, "
         "%s): only our own HLR sends it",
         "", "", "", "", "");
    SAME("%s (category 2) about our own subscriber MSISDN %s%s arrived from the interconnect (%s, "
         "%s): only our own HLR sends it",
         "9725400000", "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s (category 2) about our own subscriber MSISDN %s%s arrived from the interconnect (%s, "
         "%s): only our own HLR sends it",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s (category 2) about our own subscriber MSISDN %s%s arrived from the interconnect (%s, "
         "%s): only our own HLR sends it",
         LONG, LONG, LONG, LONG, LONG);
    SAME("%s (category 2) for IMSI %s of %s came from %s (%s): only the subscriber's home network "
         "may send it",
         "", "", "", "", "");
    SAME("%s (category 2) for IMSI %s of %s came from %s (%s): only the subscriber's home network "
         "may send it",
         "9725400000", "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s (category 2) for IMSI %s of %s came from %s (%s): only the subscriber's home network "
         "may send it",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s (category 2) for IMSI %s of %s came from %s (%s): only the subscriber's home network "
         "may send it",
         LONG, LONG, LONG, LONG, LONG);
    SAME("%s (category 2) for MSISDN %s of %s%s came from %s (%s): only the subscriber's home "
         "network may send it",
         "", "", "", "", "", "");
    SAME("%s (category 2) for MSISDN %s of %s%s came from %s (%s): only the subscriber's home "
         "network may send it",
         "9725400000", "9725400000", "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s (category 2) for MSISDN %s of %s%s came from %s (%s): only the subscriber's home "
         "network may send it",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("%s (category 2) for MSISDN %s of %s%s came from %s (%s): only the subscriber's home "
         "network may send it",
         LONG, LONG, LONG, LONG, LONG, LONG);
    SAME("%s (category 2) came from %s, which belongs to no partner network, so it cannot be a "
         "subscriber's home network",
         "", "");
    SAME("%s (category 2) came from %s, which belongs to no partner network, so it cannot be a "
         "subscriber's home network",
         "9725400000", "9725400000");
    SAME("%s (category 2) came from %s, which belongs to no partner network, so it cannot be a "
         "subscriber's home network",
         "a partner network with a long name", "a partner network with a long name");
    SAME("%s (category 2) came from %s, which belongs to no partner network, so it cannot be a "
         "subscriber's home network",
         LONG, LONG);
    SAME("%s names %s number %s (%s) but was sent by calling GT %s (%s): the location in the "
         "message is not the sender's",
         "", "", "", "", "", "");
    SAME("%s names %s number %s (%s) but was sent by calling GT %s (%s): the location in the "
         "message is not the sender's",
         "9725400000", "9725400000", "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s names %s number %s (%s) but was sent by calling GT %s (%s): the location in the "
         "message is not the sender's",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("%s names %s number %s (%s) but was sent by calling GT %s (%s): the location in the "
         "message is not the sender's",
         LONG, LONG, LONG, LONG, LONG, LONG);
    SAME("%s for our subscriber %s from %s, which belongs to no roaming partner: the subscriber "
         "cannot be registered there",
         "", "", "");
    SAME("%s for our subscriber %s from %s, which belongs to no roaming partner: the subscriber "
         "cannot be registered there",
         "9725400000", "9725400000", "9725400000");
    SAME("%s for our subscriber %s from %s, which belongs to no roaming partner: the subscriber "
         "cannot be registered there",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s for our subscriber %s from %s, which belongs to no roaming partner: the subscriber "
         "cannot be registered there",
         LONG, LONG, LONG);
    SAME("%s for our subscriber %s from %s, a number with no country: the subscriber was last seen "
         "in %s",
         "", "", "", "");
    SAME("%s for our subscriber %s from %s, a number with no country: the subscriber was last seen "
         "in %s",
         "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s for our subscriber %s from %s, a number with no country: the subscriber was last seen "
         "in %s",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("%s for our subscriber %s from %s, a number with no country: the subscriber was last seen "
         "in %s",
         LONG, LONG, LONG, LONG);
    SAME("%s for our subscriber %s from %s (%s), %.0f km from %s where it registered %u s ago: "
         "faster than %lld km/h",
         "", "", "", "", 0.0, "", 0u, 0LL);
    SAME("%s for our subscriber %s from %s (%s), %.0f km from %s where it registered %u s ago: "
         "faster than %lld km/h",
         "9725400000", "9725400000", "9725400000", "9725400000", 1234.5, "9725400000", 1u, -1LL);
    SAME("%s for our subscriber %s from %s (%s), %.0f km from %s where it registered %u s ago: "
         "faster than %lld km/h",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name", -2.5,
         "a partner network with a long name", 4294967295u, LLONG_MIN);
    SAME("%s for our subscriber %s from %s (%s), %.0f km from %s where it registered %u s ago: "
         "faster than %lld km/h",
         LONG, LONG, LONG, LONG, 1e300, LONG, 1000u, LLONG_MAX);
    SAME("%s (category 3) from %s, which is not a VLR of any roaming partner, so it cannot be the "
         "subscriber's current location",
         "", "");
    SAME("%s (category 3) from %s, which is not a VLR of any roaming partner, so it cannot be the "
         "subscriber's current location",
         "9725400000", "9725400000");
    SAME("%s (category 3) from %s, which is not a VLR of any roaming partner, so it cannot be the "
         "subscriber's current location",
         "a partner network with a long name", "a partner network with a long name");
    SAME("%s (category 3) from %s, which is not a VLR of any roaming partner, so it cannot be the "
         "subscriber's current location",
         LONG, LONG);
    SAME("served by %s %s (%s)", "", "", "");
    SAME("served by %s %s (%s)", "9725400000", "9725400000", "9725400000");
    SAME("served by %s %s (%s)", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("served by %s %s (%s)", LONG, LONG, LONG);
    SAME("detached (purged or cancelled)");
    SAME("detached (purged or cancelled)");
    SAME("detached (purged or cancelled)");
    SAME("detached (purged or cancelled)");
    SAME("%s for our subscriber %s from %s (%s), but the subscriber is %s since %u s", "", "", "",
         "", "", 0u);
    SAME("%s for our subscriber %s from %s (%s), but the subscriber is %s since %u s", "9725400000",
         "9725400000", "9725400000", "9725400000", "9725400000", 1u);
    SAME("%s for our subscriber %s from %s (%s), but the subscriber is %s since %u s",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", 4294967295u);
    SAME("%s for our subscriber %s from %s (%s), but the subscriber is %s since %u s", LONG, LONG,
         LONG, LONG, LONG, 1000u);
    SAME("sendRoutingInfoForSM from %s (%s), which is not a known SMSC of a partner (location "
         "tracking / IMSI harvesting)",
         "", "");
    SAME("sendRoutingInfoForSM from %s (%s), which is not a known SMSC of a partner (location "
         "tracking / IMSI harvesting)",
         "9725400000", "9725400000");
    SAME("sendRoutingInfoForSM from %s (%s), which is not a known SMSC of a partner (location "
         "tracking / IMSI harvesting)",
         "a partner network with a long name", "a partner network with a long name");
    SAME("sendRoutingInfoForSM from %s (%s), which is not a known SMSC of a partner (location "
         "tracking / IMSI harvesting)",
         LONG, LONG);
    SAME("more than %u sendRoutingInfoForSM for MSISDN %s within %u s (location tracking pattern)",
         0u, "", 0u);
    SAME("more than %u sendRoutingInfoForSM for MSISDN %s within %u s (location tracking pattern)",
         1u, "9725400000", 1u);
    SAME("more than %u sendRoutingInfoForSM for MSISDN %s within %u s (location tracking pattern)",
         4294967295u, "a partner network with a long name", 4294967295u);
    SAME("more than %u sendRoutingInfoForSM for MSISDN %s within %u s (location tracking pattern)",
         1000u, LONG, 1000u);
    SAME("%s from %s (%s), which is not a known SMSC of a partner (fake SMSC / spoofed SMS)", "",
         "", "");
    SAME("%s from %s (%s), which is not a known SMSC of a partner (fake SMSC / spoofed SMS)",
         "9725400000", "9725400000", "9725400000");
    SAME("%s from %s (%s), which is not a known SMSC of a partner (fake SMSC / spoofed SMS)",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s from %s (%s), which is not a known SMSC of a partner (fake SMSC / spoofed SMS)", LONG,
         LONG, LONG);
    SAME("%s with service centre address %s (%s), which is not a known SMSC (spoofed SMS origin)",
         "", "", "");
    SAME("%s with service centre address %s (%s), which is not a known SMSC (spoofed SMS origin)",
         "9725400000", "9725400000", "9725400000");
    SAME("%s with service centre address %s (%s), which is not a known SMSC (spoofed SMS origin)",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s with service centre address %s (%s), which is not a known SMSC (spoofed SMS origin)",
         LONG, LONG, LONG);
    SAME("%s from %s (%s) with service centre address %s of %s, another network (spoofed SMS "
         "origin)",
         "", "", "", "", "");
    SAME("%s from %s (%s) with service centre address %s of %s, another network (spoofed SMS "
         "origin)",
         "mt-forwardSM", "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s from %s (%s) with service centre address %s of %s, another network (spoofed SMS "
         "origin)",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s from %s (%s) with service centre address %s of %s, another network (spoofed SMS "
         "origin)",
         LONG, LONG, LONG, LONG, LONG);
    SAME("%s for our subscriber %s from %s, but no sendRoutingInfoForSM from that SMSC located the "
         "subscriber in the last %u s",
         "", "", "", 0u);
    SAME("%s for our subscriber %s from %s, but no sendRoutingInfoForSM from that SMSC located the "
         "subscriber in the last %u s",
         "9725400000", "9725400000", "9725400000", 1u);
    SAME("%s for our subscriber %s from %s, but no sendRoutingInfoForSM from that SMSC located the "
         "subscriber in the last %u s",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", 4294967295u);
    SAME("%s for our subscriber %s from %s, but no sendRoutingInfoForSM from that SMSC located the "
         "subscriber in the last %u s",
         LONG, LONG, LONG, 1000u);
    SAME("calling GT %s sent more than %u messages in %u s", "", 0u, 0u);
    SAME("calling GT %s sent more than %u messages in %u s", "9725400000", 1u, 1u);
    SAME("calling GT %s sent more than %u messages in %u s", "a partner network with a long name",
         4294967295u, 4294967295u);
    SAME("calling GT %s sent more than %u messages in %u s", LONG, 1000u, 1000u);
    SAME("more than %u operations about IMSI %s in %u s", 0u, "", 0u);
    SAME("more than %u operations about IMSI %s in %u s", 1u, "9725400000", 1u);
    SAME("more than %u operations about IMSI %s in %u s", 4294967295u,
         "a partner network with a long name", 4294967295u);
    SAME("more than %u operations about IMSI %s in %u s", 1000u, LONG, 1000u);
    SAME("more than %u %s in %u s from all peers together", 0u, "", 0u);
    SAME("more than %u %s in %u s from all peers together", 1u, "9725400000", 1u);
    SAME("more than %u %s in %u s from all peers together", 4294967295u,
         "a partner network with a long name", 4294967295u);
    SAME("more than %u %s in %u s from all peers together", 1000u, LONG, 1000u);
    SAME("%s %s is one of ours ([home] msisdn_prefixes), but the call arrived from the "
         "interconnect (point code %u, %s) where our subscriber is not known to roam: a spoofed "
         "calling number",
         "", "", 0u, "");
    SAME("%s %s is one of ours ([home] msisdn_prefixes), but the call arrived from the "
         "interconnect (point code %u, %s) where our subscriber is not known to roam: a spoofed "
         "calling number",
         "9725400000", "9725400000", 1u, "9725400000");
    SAME("%s %s is one of ours ([home] msisdn_prefixes), but the call arrived from the "
         "interconnect (point code %u, %s) where our subscriber is not known to roam: a spoofed "
         "calling number",
         "a partner network with a long name", "a partner network with a long name", 4294967295u,
         "a partner network with a long name");
    SAME("%s %s is one of ours ([home] msisdn_prefixes), but the call arrived from the "
         "interconnect (point code %u, %s) where our subscriber is not known to roam: a spoofed "
         "calling number",
         LONG, LONG, 1000u, LONG);
    SAME("%s %s (%s) is %s%s%s: no caller has such a number (a spoofed or invented calling "
         "line)",
         "", "", "", "", "", "");
    SAME("%s %s (%s) is %s%s%s: no caller has such a number (a spoofed or invented calling "
         "line)",
         "9725400000", "9725400000", "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s %s (%s) is %s%s%s: no caller has such a number (a spoofed or invented calling "
         "line)",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("%s %s (%s) is %s%s%s: no caller has such a number (a spoofed or invented calling "
         "line)",
         LONG, LONG, LONG, LONG, LONG, LONG);
    SAME("%s %s is of %s, but %s delivers calls for numbers of %s%s only (cli_countries): "
         "implausible calling line",
         "", "", "", "", "", "");
    SAME("%s %s is of %s, but %s delivers calls for numbers of %s%s only (cli_countries): "
         "implausible calling line",
         "9725400000", "9725400000", "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s %s is of %s, but %s delivers calls for numbers of %s%s only (cli_countries): "
         "implausible calling line",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("%s %s is of %s, but %s delivers calls for numbers of %s%s only (cli_countries): "
         "implausible calling line",
         LONG, LONG, LONG, LONG, LONG, LONG);
    SAME("calling number %s made more than %u calls in %u s (robocalls)", "", 0u, 0u);
    SAME("calling number %s made more than %u calls in %u s (robocalls)", "9725400000", 1u, 1u);
    SAME("calling number %s made more than %u calls in %u s (robocalls)",
         "a partner network with a long name", 4294967295u, 4294967295u);
    SAME("calling number %s made more than %u calls in %u s (robocalls)", LONG, 1000u, 1000u);
    SAME("calling number %s is over its fan-out (more than %u different numbers in %u s) and calls "
         "again a number it called (robocall)",
         "", 0u, 0u);
    SAME("calling number %s is over its fan-out (more than %u different numbers in %u s) and calls "
         "again a number it called (robocall)",
         "9725400000", 1u, 1u);
    SAME("calling number %s is over its fan-out (more than %u different numbers in %u s) and calls "
         "again a number it called (robocall)",
         "a partner network with a long name", 4294967295u, 4294967295u);
    SAME("calling number %s is over its fan-out (more than %u different numbers in %u s) and calls "
         "again a number it called (robocall)",
         LONG, 1000u, 1000u);
    SAME("calling number %s called more than %u different numbers in %u s (robocall fan-out)", "",
         0u, 0u);
    SAME("calling number %s called more than %u different numbers in %u s (robocall fan-out)",
         "9725400000", 1u, 1u);
    SAME("calling number %s called more than %u different numbers in %u s (robocall fan-out)",
         "a partner network with a long name", 4294967295u, 4294967295u);
    SAME("calling number %s called more than %u different numbers in %u s (robocall fan-out)", LONG,
         1000u, 1000u);
    SAME("calling number %s was flagged for wangiri: more than %u calls to different numbers "
         "released by the caller before answer within %lld s, in %u s (one-ring scam; blocked for "
         "%lld s)",
         "", 0u, 0LL, 0u, 0LL);
    SAME("calling number %s was flagged for wangiri: more than %u calls to different numbers "
         "released by the caller before answer within %lld s, in %u s (one-ring scam; blocked for "
         "%lld s)",
         "9725400000", 1u, -1LL, 1u, -1LL);
    SAME("calling number %s was flagged for wangiri: more than %u calls to different numbers "
         "released by the caller before answer within %lld s, in %u s (one-ring scam; blocked for "
         "%lld s)",
         "a partner network with a long name", 4294967295u, LLONG_MIN, 4294967295u, LLONG_MIN);
    SAME("calling number %s was flagged for wangiri: more than %u calls to different numbers "
         "released by the caller before answer within %lld s, in %u s (one-ring scam; blocked for "
         "%lld s)",
         LONG, 1000u, LLONG_MAX, 1000u, LLONG_MAX);
    SAME("CAP %s (%s) from %s, which belongs to no partner network: CAMEL service control is "
         "exchanged with roaming partners only",
         "", "", "");
    SAME("CAP %s (%s) from %s, which belongs to no partner network: CAMEL service control is "
         "exchanged with roaming partners only",
         "9725400000", "9725400000", "9725400000");
    SAME("CAP %s (%s) from %s, which belongs to no partner network: CAMEL service control is "
         "exchanged with roaming partners only",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("CAP %s (%s) from %s, which belongs to no partner network: CAMEL service control is "
         "exchanged with roaming partners only",
         LONG, LONG, LONG);
    SAME("CAP %s (a gsmSCF's order to a switch) from %s (%s), which is not a gsmSCF of a partner",
         "", "", "");
    SAME("CAP %s (a gsmSCF's order to a switch) from %s (%s), which is not a gsmSCF of a partner",
         "9725400000", "9725400000", "9725400000");
    SAME("CAP %s (a gsmSCF's order to a switch) from %s (%s), which is not a gsmSCF of a partner",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("CAP %s (a gsmSCF's order to a switch) from %s (%s), which is not a gsmSCF of a partner",
         LONG, LONG, LONG);
    SAME("CAP %s from %s addressed to %s, which is not our gsmSCF: a visited network opens CAMEL "
         "dialogues with the home gsmSCF",
         "", "", "");
    SAME("CAP %s from %s addressed to %s, which is not our gsmSCF: a visited network opens CAMEL "
         "dialogues with the home gsmSCF",
         "9725400000", "9725400000", "9725400000");
    SAME("CAP %s from %s addressed to %s, which is not our gsmSCF: a visited network opens CAMEL "
         "dialogues with the home gsmSCF",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("CAP %s from %s addressed to %s, which is not our gsmSCF: a visited network opens CAMEL "
         "dialogues with the home gsmSCF",
         LONG, LONG, LONG);
    SAME("CAP %s%s from %s (%s) for IMSI %s (%s): our gsmSCF serves our own subscribers only", "",
         "", "", "", "", "");
    SAME("CAP %s%s from %s (%s) for IMSI %s (%s): our gsmSCF serves our own subscribers only",
         "9725400000", "9725400000", "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("CAP %s%s from %s (%s) for IMSI %s (%s): our gsmSCF serves our own subscribers only",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("CAP %s%s from %s (%s) for IMSI %s (%s): our gsmSCF serves our own subscribers only", LONG,
         LONG, LONG, LONG, LONG, LONG);
    SAME("CAP %s%s from %s (%s) carries no IMSI: nothing shows it is for one of our "
         "subscribers, and our gsmSCF serves only those",
         "", "", "", "");
    SAME("CAP %s%s from %s (%s) carries no IMSI: nothing shows it is for one of our "
         "subscribers, and our gsmSCF serves only those",
         "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("CAP %s%s from %s (%s) carries no IMSI: nothing shows it is for one of our "
         "subscribers, and our gsmSCF serves only those",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("CAP %s%s from %s (%s) carries no IMSI: nothing shows it is for one of our "
         "subscribers, and our gsmSCF serves only those",
         LONG, LONG, LONG, LONG);
    SAME("GT %s (%s)", "", "");
    SAME("GT %s (%s)", "9725400000", "9725400000");
    SAME("GT %s (%s)", "a partner network with a long name", "a partner network with a long name");
    SAME("GT %s (%s)", LONG, LONG);
    SAME("point code %u (no calling GT)", 0u);
    SAME("point code %u (no calling GT)", 1u);
    SAME("point code %u (no calling GT)", 4294967295u);
    SAME("point code %u (no calling GT)", 1000u);
    SAME("an unknown origin");
    SAME("an unknown origin");
    SAME("an unknown origin");
    SAME("an unknown origin");
    SAME("TCAP %s naming application context %s, which %s, from %s", "", "", "", "");
    SAME("TCAP %s naming application context %s, which %s, from %s", "9725400000", "9725400000",
         "9725400000", "9725400000");
    SAME("TCAP %s naming application context %s, which %s, from %s",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("TCAP %s naming application context %s, which %s, from %s", LONG, LONG, LONG, LONG);
    SAME("MAP %s without a dialogue portion (MAP v1: no application context to classify it by)%s%s "
         "from %s",
         "", "", "", "");
    SAME("MAP %s without a dialogue portion (MAP v1: no application context to classify it by)%s%s "
         "from %s",
         "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("MAP %s without a dialogue portion (MAP v1: no application context to classify it by)%s%s "
         "from %s",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("MAP %s without a dialogue portion (MAP v1: no application context to classify it by)%s%s "
         "from %s",
         LONG, LONG, LONG, LONG);
    SAME("%s, from %s", "", "");
    SAME("%s, from %s", "9725400000", "9725400000");
    SAME("%s, from %s", "a partner network with a long name", "a partner network with a long name");
    SAME("%s, from %s", LONG, LONG);
    SAME("invoke with a global (object identifier) operation code, which no %s table names", "");
    SAME("invoke with a global (object identifier) operation code, which no %s table names",
         "9725400000");
    SAME("invoke with a global (object identifier) operation code, which no %s table names",
         "a partner network with a long name");
    SAME("invoke with a global (object identifier) operation code, which no %s table names", LONG);
    SAME("%s operation code %d is in no %s table (unallocated)", "", 0, "");
    SAME("%s operation code %d is in no %s table (unallocated)", "9725400000", -1, "9725400000");
    SAME("%s operation code %d is in no %s table (unallocated)",
         "a partner network with a long name", INT_MIN, "a partner network with a long name");
    SAME("%s operation code %d is in no %s table (unallocated)", LONG, INT_MAX, LONG);
    SAME("%s (%s operation %d) does not belong to the dialogue's application context %s", "", "", 0,
         "");
    SAME("%s (%s operation %d) does not belong to the dialogue's application context %s",
         "9725400000", "9725400000", -1, "9725400000");
    SAME("%s (%s operation %d) does not belong to the dialogue's application context %s",
         "a partner network with a long name", "a partner network with a long name", INT_MIN,
         "a partner network with a long name");
    SAME("%s (%s operation %d) does not belong to the dialogue's application context %s", LONG,
         LONG, INT_MAX, LONG);
    SAME("ANSI TCAP %s (%s%s%s) on an ITU-T interconnect, from %s", "", "", "", "", "");
    SAME("ANSI TCAP %s (%s%s%s) on an ITU-T interconnect, from %s", "9725400000", "9725400000",
         "9725400000", "9725400000", "9725400000");
    SAME("ANSI TCAP %s (%s%s%s) on an ITU-T interconnect, from %s",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("ANSI TCAP %s (%s%s%s) on an ITU-T interconnect, from %s", LONG, LONG, LONG, LONG, LONG);
    SAME("SCCP management %s (subsystem %u at point code %u) from %s: only partners' SCCP "
         "management may tell us the state of subsystems",
         "", 0u, 0u, "");
    SAME("SCCP management %s (subsystem %u at point code %u) from %s: only partners' SCCP "
         "management may tell us the state of subsystems",
         "9725400000", 1u, 1u, "9725400000");
    SAME("SCCP management %s (subsystem %u at point code %u) from %s: only partners' SCCP "
         "management may tell us the state of subsystems",
         "a partner network with a long name", 4294967295u, 4294967295u,
         "a partner network with a long name");
    SAME("SCCP management %s (subsystem %u at point code %u) from %s: only partners' SCCP "
         "management may tell us the state of subsystems",
         LONG, 1000u, 1000u, LONG);
    SAME("SCCP management %s about our own subsystem %u at point code %u came from the "
         "interconnect (%s): only our own SCCP management speaks for our subsystems",
         "", 0u, 0u, "");
    SAME("SCCP management %s about our own subsystem %u at point code %u came from the "
         "interconnect (%s): only our own SCCP management speaks for our subsystems",
         "9725400000", 1u, 1u, "9725400000");
    SAME("SCCP management %s about our own subsystem %u at point code %u came from the "
         "interconnect (%s): only our own SCCP management speaks for our subsystems",
         "a partner network with a long name", 4294967295u, 4294967295u,
         "a partner network with a long name");
    SAME("SCCP management %s about our own subsystem %u at point code %u came from the "
         "interconnect (%s): only our own SCCP management speaks for our subsystems",
         LONG, 1000u, 1000u, LONG);
    SAME("TCAP %s from %s (%s) at point code %u names dialogue %08x, which belongs to another peer "
         "(the network it was opened with, or the GT, point code and link of its first answer): a "
         "hijacked dialogue",
         "", "", "", 0u, 0u);
    SAME("TCAP %s from %s (%s) at point code %u names dialogue %08x, which belongs to another peer "
         "(the network it was opened with, or the GT, point code and link of its first answer): a "
         "hijacked dialogue",
         "9725400000", "9725400000", "9725400000", 1u, 0xdeadbeefu);
    SAME("TCAP %s from %s (%s) at point code %u names dialogue %08x, which belongs to another peer "
         "(the network it was opened with, or the GT, point code and link of its first answer): a "
         "hijacked dialogue",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", 4294967295u, 0xffffffffu);
    SAME("TCAP %s from %s (%s) at point code %u names dialogue %08x, which belongs to another peer "
         "(the network it was opened with, or the GT, point code and link of its first answer): a "
         "hijacked dialogue",
         LONG, LONG, LONG, 1000u, 7u);
    SAME("command %u of application %u (%s) from %.*s, which is no partner's realm: applications "
         "and commands outside S6a/S6d are refused from non-members",
         0u, 0u, "", 0, "abcdefgh");
    SAME("command %u of application %u (%s) from %.*s, which is no partner's realm: applications "
         "and commands outside S6a/S6d are refused from non-members",
         1u, 1u, "9725400000", 3, "abcdefgh");
    SAME("command %u of application %u (%s) from %.*s, which is no partner's realm: applications "
         "and commands outside S6a/S6d are refused from non-members",
         4294967295u, 4294967295u, "a partner network with a long name", 100, "abc");
    SAME("command %u of application %u (%s) from %.*s, which is no partner's realm: applications "
         "and commands outside S6a/S6d are refused from non-members",
         1000u, 1000u, LONG, 8, LONG);
    SAME("%s without Origin-Realm", "");
    SAME("%s without Origin-Realm", "9725400000");
    SAME("%s without Origin-Realm", "a partner network with a long name");
    SAME("%s without Origin-Realm", LONG);
    SAME("%s from the interconnect claiming our own realm %.*s as Origin-Realm (spoofed)", "", 0,
         "abcdefgh");
    SAME("%s from the interconnect claiming our own realm %.*s as Origin-Realm (spoofed)",
         "9725400000", 3, "abcdefgh");
    SAME("%s from the interconnect claiming our own realm %.*s as Origin-Realm (spoofed)",
         "a partner network with a long name", 100, "abc");
    SAME("%s from the interconnect claiming our own realm %.*s as Origin-Realm (spoofed)", LONG, 8,
         LONG);
    SAME("%s from Origin-Realm %.*s, which belongs to no roaming partner", "", 0, "abcdefgh");
    SAME("%s from Origin-Realm %.*s, which belongs to no roaming partner", "9725400000", 3,
         "abcdefgh");
    SAME("%s from Origin-Realm %.*s, which belongs to no roaming partner",
         "a partner network with a long name", 100, "abc");
    SAME("%s from Origin-Realm %.*s, which belongs to no roaming partner", LONG, 8, LONG);
    SAME("%s without Origin-Host", "");
    SAME("%s without Origin-Host", "9725400000");
    SAME("%s without Origin-Host", "a partner network with a long name");
    SAME("%s without Origin-Host", LONG);
    SAME("%s from the interconnect with our own host %.*s as Origin-Host (spoofed)", "", 0,
         "abcdefgh");
    SAME("%s from the interconnect with our own host %.*s as Origin-Host (spoofed)", "9725400000",
         3, "abcdefgh");
    SAME("%s from the interconnect with our own host %.*s as Origin-Host (spoofed)",
         "a partner network with a long name", 100, "abc");
    SAME("%s from the interconnect with our own host %.*s as Origin-Host (spoofed)", LONG, 8, LONG);
    SAME("%s from Origin-Host %.*s, which is not one of %s's listed Diameter hosts", "", 0,
         "abcdefgh", "");
    SAME("%s from Origin-Host %.*s, which is not one of %s's listed Diameter hosts", "9725400000",
         3, "abcdefgh", "9725400000");
    SAME("%s from Origin-Host %.*s, which is not one of %s's listed Diameter hosts",
         "a partner network with a long name", 100, "abc", "a partner network with a long name");
    SAME("%s from Origin-Host %.*s, which is not one of %s's listed Diameter hosts", LONG, 8, LONG,
         LONG);
    SAME("%s from Origin-Host %.*s, which is not inside its Origin-Realm %.*s", "", 0, "abcdefgh",
         0, "abcdefgh");
    SAME("%s from Origin-Host %.*s, which is not inside its Origin-Realm %.*s", "9725400000", 3,
         "abcdefgh", 3, "abcdefgh");
    SAME("%s from Origin-Host %.*s, which is not inside its Origin-Realm %.*s",
         "a partner network with a long name", 100, "abc", 100, "abc");
    SAME("%s from Origin-Host %.*s, which is not inside its Origin-Realm %.*s", LONG, 8, LONG, 8,
         LONG);
    SAME("%s with Origin-Realm %.*s (%s) arrived from peer %s of realm %s (%s): a partner's "
         "connection carries only its own realms",
         "", 0, "abcdefgh", "", "", "", "");
    SAME("%s with Origin-Realm %.*s (%s) arrived from peer %s of realm %s (%s): a partner's "
         "connection carries only its own realms",
         "9725400000", 3, "abcdefgh", "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("%s with Origin-Realm %.*s (%s) arrived from peer %s of realm %s (%s): a partner's "
         "connection carries only its own realms",
         "a partner network with a long name", 100, "abc", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name");
    SAME("%s with Origin-Realm %.*s (%s) arrived from peer %s of realm %s (%s): a partner's "
         "connection carries only its own realms",
         LONG, 8, LONG, LONG, LONG, LONG, LONG);
    SAME("%s about our own subscriber %s from %.*s (%s): only our HSS sends it, from inside "
         "(location tracking / denial of service)",
         "", "", 0, "abcdefgh", "");
    SAME("%s about our own subscriber %s from %.*s (%s): only our HSS sends it, from inside "
         "(location tracking / denial of service)",
         "9725400000", "9725400000", 3, "abcdefgh", "9725400000");
    SAME("%s about our own subscriber %s from %.*s (%s): only our HSS sends it, from inside "
         "(location tracking / denial of service)",
         "a partner network with a long name", "a partner network with a long name", 100, "abc",
         "a partner network with a long name");
    SAME("%s about our own subscriber %s from %.*s (%s): only our HSS sends it, from inside "
         "(location tracking / denial of service)",
         LONG, LONG, 8, LONG, LONG);
    SAME(
        "%s for subscriber %s of %s from %.*s (%s): only the subscriber's home network may send it",
        "", "", "", 0, "abcdefgh", "");
    SAME(
        "%s for subscriber %s of %s from %.*s (%s): only the subscriber's home network may send it",
        "9725400000", "9725400000", "9725400000", 3, "abcdefgh", "9725400000");
    SAME(
        "%s for subscriber %s of %s from %.*s (%s): only the subscriber's home network may send it",
        "a partner network with a long name", "a partner network with a long name",
        "a partner network with a long name", 100, "abc", "a partner network with a long name");
    SAME(
        "%s for subscriber %s of %s from %.*s (%s): only the subscriber's home network may send it",
        LONG, LONG, LONG, 8, LONG, LONG);
    SAME("%s for IMSI %s (%s) from %.*s: our HSS serves only our subscribers (misrouted, or IMSI "
         "harvesting)",
         "", "", "", 0, "abcdefgh");
    SAME("%s for IMSI %s (%s) from %.*s: our HSS serves only our subscribers (misrouted, or IMSI "
         "harvesting)",
         "9725400000", "9725400000", "9725400000", 3, "abcdefgh");
    SAME("%s for IMSI %s (%s) from %.*s: our HSS serves only our subscribers (misrouted, or IMSI "
         "harvesting)",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", 100, "abc");
    SAME("%s for IMSI %s (%s) from %.*s: our HSS serves only our subscribers (misrouted, or IMSI "
         "harvesting)",
         LONG, LONG, LONG, 8, LONG);
    SAME("%s with Visited-PLMN-Id %s (%s) from Origin-Realm %.*s (%s): the visited network must be "
         "the sender's",
         "", "", "", 0, "abcdefgh", "");
    SAME("%s with Visited-PLMN-Id %s (%s) from Origin-Realm %.*s (%s): the visited network must be "
         "the sender's",
         "9725400000", "9725400000", "9725400000", 3, "abcdefgh", "9725400000");
    SAME("%s with Visited-PLMN-Id %s (%s) from Origin-Realm %.*s (%s): the visited network must be "
         "the sender's",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", 100, "abc", "a partner network with a long name");
    SAME("%s with Visited-PLMN-Id %s (%s) from Origin-Realm %.*s (%s): the visited network must be "
         "the sender's",
         LONG, LONG, LONG, 8, LONG, LONG);
    SAME("ULR for our subscriber %s from %.*s, a network with no country: the subscriber was last "
         "seen in %s",
         "", 0, "abcdefgh", "");
    SAME("ULR for our subscriber %s from %.*s, a network with no country: the subscriber was last "
         "seen in %s",
         "9725400000", 3, "abcdefgh", "9725400000");
    SAME("ULR for our subscriber %s from %.*s, a network with no country: the subscriber was last "
         "seen in %s",
         "a partner network with a long name", 100, "abc", "a partner network with a long name");
    SAME("ULR for our subscriber %s from %.*s, a network with no country: the subscriber was last "
         "seen in %s",
         LONG, 8, LONG, LONG);
    SAME("ULR for our subscriber %s from %.*s (%s), %.0f km from %s where it registered %u s ago: "
         "faster than %lld km/h",
         "", 0, "abcdefgh", "", 0.0, "", 0u, 0LL);
    SAME("ULR for our subscriber %s from %.*s (%s), %.0f km from %s where it registered %u s ago: "
         "faster than %lld km/h",
         "9725400000", 3, "abcdefgh", "9725400000", 1234.5, "9725400000", 1u, -1LL);
    SAME("ULR for our subscriber %s from %.*s (%s), %.0f km from %s where it registered %u s ago: "
         "faster than %lld km/h",
         "a partner network with a long name", 100, "abc", "a partner network with a long name",
         -2.5, "a partner network with a long name", 4294967295u, LLONG_MIN);
    SAME("ULR for our subscriber %s from %.*s (%s), %.0f km from %s where it registered %u s ago: "
         "faster than %lld km/h",
         LONG, 8, LONG, LONG, 1e300, LONG, 1000u, LLONG_MAX);
    SAME("%s for our subscriber %s from %.*s, but the subscriber registered in %s %u s ago (%s): a "
         "purge from elsewhere detaches it (denial of service)",
         "", "", 0, "abcdefgh", "", 0u, "");
    SAME("%s for our subscriber %s from %.*s, but the subscriber registered in %s %u s ago (%s): a "
         "purge from elsewhere detaches it (denial of service)",
         "9725400000", "9725400000", 3, "abcdefgh", "9725400000", 1u, "9725400000");
    SAME("%s for our subscriber %s from %.*s, but the subscriber registered in %s %u s ago (%s): a "
         "purge from elsewhere detaches it (denial of service)",
         "a partner network with a long name", "a partner network with a long name", 100, "abc",
         "a partner network with a long name", 4294967295u, "a partner network with a long name");
    SAME("%s for our subscriber %s from %.*s, but the subscriber registered in %s %u s ago (%s): a "
         "purge from elsewhere detaches it (denial of service)",
         LONG, LONG, 8, LONG, LONG, 1000u, LONG);
    SAME("Origin-Host %.*s sent more than %u requests in %u s", 0, "abcdefgh", 0u, 0u);
    SAME("Origin-Host %.*s sent more than %u requests in %u s", 3, "abcdefgh", 1u, 1u);
    SAME("Origin-Host %.*s sent more than %u requests in %u s", 100, "abc", 4294967295u,
         4294967295u);
    SAME("Origin-Host %.*s sent more than %u requests in %u s", 8, LONG, 1000u, 1000u);
    SAME("more than %u operations (MAP and Diameter) about IMSI %s in %u s", 0u, "", 0u);
    SAME("more than %u operations (MAP and Diameter) about IMSI %s in %u s", 1u, "9725400000", 1u);
    SAME("more than %u operations (MAP and Diameter) about IMSI %s in %u s", 4294967295u,
         "a partner network with a long name", 4294967295u);
    SAME("more than %u operations (MAP and Diameter) about IMSI %s in %u s", 1000u, LONG, 1000u);
    SAME("short message from protected sender \"%s\" (listed as \"%s\") delivered by SMSC %s (%s), "
         "which may not send it (smishing with a trusted sender)",
         "", "", "", "");
    SAME("short message from protected sender \"%s\" (listed as \"%s\") delivered by SMSC %s (%s), "
         "which may not send it (smishing with a trusted sender)",
         "9725400000", "9725400000", "9725400000", "9725400000");
    SAME("short message from protected sender \"%s\" (listed as \"%s\") delivered by SMSC %s (%s), "
         "which may not send it (smishing with a trusted sender)",
         "a partner network with a long name", "a partner network with a long name",
         "a partner network with a long name", "a partner network with a long name");
    SAME("short message from protected sender \"%s\" (listed as \"%s\") delivered by SMSC %s (%s), "
         "which may not send it (smishing with a trusted sender)",
         LONG, LONG, LONG, LONG);
    SAME("short message with one of our own numbers (%s%s%s%s) as sender delivered from abroad by "
         "SMSC %s (%s): our subscribers' messages go through our own SMSC (spoofed sender)",
         "", "", "", "", "", "");
    SAME("short message with one of our own numbers (%s%s%s%s) as sender delivered from abroad by "
         "SMSC %s (%s): our subscribers' messages go through our own SMSC (spoofed sender)",
         "07924555123", ", ", "447924555123", " in international form", "9725400000", "9725400000");
    SAME("short message with one of our own numbers (%s%s%s%s) as sender delivered from abroad by "
         "SMSC %s (%s): our subscribers' messages go through our own SMSC (spoofed sender)",
         "a partner network with a long name", "", "", "", "a partner network with a long name",
         "a partner network with a long name");
    SAME("short message with one of our own numbers (%s%s%s%s) as sender delivered from abroad by "
         "SMSC %s (%s): our subscribers' messages go through our own SMSC (spoofed sender)",
         LONG, LONG, LONG, LONG, LONG, LONG);
    SAME("more than %u short messages from sender \"%s\" in %u s (SMS flood / spam campaign)", 0u,
         "", 0u);
    SAME("more than %u short messages from sender \"%s\" in %u s (SMS flood / spam campaign)", 1u,
         "9725400000", 1u);
    SAME("more than %u short messages from sender \"%s\" in %u s (SMS flood / spam campaign)",
         4294967295u, "a partner network with a long name", 4294967295u);
    SAME("more than %u short messages from sender \"%s\" in %u s (SMS flood / spam campaign)",
         1000u, LONG, 1000u);
    SAME("the same text (by its fingerprint; the text is not kept) went to more than %u recipients "
         "in %u s, this one from sender \"%s\" (bulk spam / smishing campaign)",
         0u, 0u, "");
    SAME("the same text (by its fingerprint; the text is not kept) went to more than %u recipients "
         "in %u s, this one from sender \"%s\" (bulk spam / smishing campaign)",
         1u, 1u, "9725400000");
    SAME("the same text (by its fingerprint; the text is not kept) went to more than %u recipients "
         "in %u s, this one from sender \"%s\" (bulk spam / smishing campaign)",
         4294967295u, 4294967295u, "a partner network with a long name");
    SAME("the same text (by its fingerprint; the text is not kept) went to more than %u recipients "
         "in %u s, this one from sender \"%s\" (bulk spam / smishing campaign)",
         1000u, 1000u, LONG);
    SAME("short message from sender \"%s\" links to %s%.*s, a listed domain ([sms] url_domains: "
         "%s)%s%s: phishing link",
         LONG, "...", 63, LONG, LONG, "", "");
    SAME("short message from sender \"%s\" links to %s%.*s, a listed domain ([sms] url_domains: "
         "%s)%s%s: phishing link",
         "Alerts", "", 6, "bit.ly", "bit.ly", ",",
         " split across segments 1-2 of 2 of a concatenated message (reference 7)");
    SAME("short message from sender \"%s\" contains the listed phrase \"%s\" ([sms] keywords)%s%s",
         "", "", "", "");
    SAME("short message from sender \"%s\" contains the listed phrase \"%s\" ([sms] keywords)%s%s",
         "9725400000", "9725400000", ",", " split across segments 2-3 of 3");
    SAME("short message from sender \"%s\" contains the listed phrase \"%s\" ([sms] keywords)%s%s",
         "a partner network with a long name", "a partner network with a long name", "", "");
    SAME("short message from sender \"%s\" contains the listed phrase \"%s\" ([sms] keywords)%s%s",
         LONG, LONG, ",", LONG);
    SAME("the IAM on circuit %u does not decode: %s (no call check can screen it)", 0u, "");
    SAME("the IAM on circuit %u does not decode: %s (no call check can screen it)", 1u,
         "9725400000");
    SAME("the IAM on circuit %u does not decode: %s (no call check can screen it)", 4294967295u,
         "a partner network with a long name");
    SAME("the IAM on circuit %u does not decode: %s (no call check can screen it)", 1000u, LONG);
    SAME("the message does not decode: %s", "");
    SAME("the message does not decode: %s", "9725400000");
    SAME("the message does not decode: %s", "a partner network with a long name");
    SAME("the message does not decode: %s", LONG);
    SAME("partner %s is switched off (management API): its traffic is dropped", "");
    SAME("partner %s is switched off (management API): its traffic is dropped", "9725400000");
    SAME("partner %s is switched off (management API): its traffic is dropped",
         "a partner network with a long name");
    SAME("partner %s is switched off (management API): its traffic is dropped", LONG);
    SAME("rule %s: more than %u matching messages from %s in %u s", "", 0u, "", 0u);
    SAME("rule %s: more than %u matching messages from %s in %u s", "9725400000", 1u, "9725400000",
         1u);
    SAME("rule %s: more than %u matching messages from %s in %u s",
         "a partner network with a long name", 4294967295u, "a partner network with a long name",
         4294967295u);
    SAME("rule %s: more than %u matching messages from %s in %u s", LONG, 1000u, LONG, 1000u);
    SAME("operator rule %s matched (line %d)", "", 0);
    SAME("operator rule %s matched (line %d)", "9725400000", -1);
    SAME("operator rule %s matched (line %d)", "a partner network with a long name", INT_MIN);
    SAME("operator rule %s matched (line %d)", LONG, INT_MAX);
}

int main(void)
{
    RUN(boundary_integers);
    RUN(strings);
    RUN(left_to_vsnprintf);
    RUN(every_template);
    printf("%d formattings compared with snprintf\n", compared);
    return check_summary();
}
