/*
 * test_gw_config.c - the gateway's configuration file (src/gateway/gw_config.c):
 * the documented defaults and bounds of every key (docs/operations.md as it was
 * written by hand before the tables were generated), unknown keys, the rules
 * between the keys of a link, and the exact text and position of each error.
 */
#include <stdlib.h>

#include "check.h"
#include "ssgw/gateway.h"

/* Two links, the least a gateway file needs. */
static const char *LINKS = "[[link]]\nname = \"o\"\nside = \"outer\"\nrole = \"sg\"\n"
                           "listen = \"127.0.0.1:2905\"\n"
                           "[[link]]\nname = \"i\"\nside = \"inner\"\nrole = \"asp\"\n"
                           "connect = \"10.0.0.5:2905\"\n";

static ssgw_gw_config *parse(const char *text, char *err, size_t cap)
{
    err[0] = '\0';
    return ssgw_gw_config_parse("t", text, strlen(text), err, cap);
}

/* The whole error text must start with want (the first error). */
static void expect_err(const char *text, const char *want)
{
    char err[2048];
    ssgw_gw_config *c = parse(text, err, sizeof err);
    CHECK(c == NULL);
    free(c);
    CHECK(strncmp(err, want, strlen(want)) == 0);
    if (strncmp(err, want, strlen(want)))
        fprintf(stderr, "  text: %s\n  got:  %s\n  want: %s\n", text, err, want);
}

static void values(void)
{
    char err[512];
    const char *ok = "[gateway]\nbeat_ms = 500 # comment\n[[link]]\nname = \"x\"\nside = "
                     "\"outer\"\nrole = \"asp\"\ntransport = \"sctp-udp\"\nconnect = "
                     "\"[::1]:2905\"\nremote_udp_port = 9899\ngt_prefixes = [\n  \"44\",\n  "
                     "\"4420\", # two\n]\ndpc = [1, 0x3fff]\nasp_id = 7\n[[link]]\nname = \"y\"\n"
                     "side = \"inner\"\nrole = \"ipsp\"\nlisten = \"10.0.0.1:1\"\ntraffic_mode = "
                     "\"loadshare\"\nrouting_contexts = [4294967295, 0]\n";
    ssgw_gw_config *c = parse(ok, err, sizeof err);
    CHECK(c != NULL);
    if (!c) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK_INT(c->beat_ms, 500);
    CHECK_INT(c->n_links, 2);
    CHECK_STR(c->links[0].host, "::1");
    CHECK_INT(c->links[0].port, 2905);
    CHECK(!c->links[0].listen);
    CHECK_INT(c->links[0].n_gt, 2);
    CHECK_STR(c->links[0].gt[1], "4420");
    CHECK_INT(c->links[0].dpc[1], 0x3fff);
    CHECK_INT(c->links[0].transport, SSGW_GW_TRANSPORT_SCTP_UDP);
    CHECK_INT(c->links[0].remote_udp_port, 9899);
    CHECK(c->links[0].has_asp_id);
    CHECK_INT(c->links[0].asp_id, 7);
    CHECK_INT(c->links[0].line, 3);
    CHECK_INT(c->links[1].role, SSGW_GW_ROLE_IPSP);
    CHECK_INT(c->links[1].side, SSGW_GW_SIDE_INNER);
    CHECK_INT(c->links[1].traffic_mode, SSGW_M3UA_TMT_LOADSHARE);
    CHECK(c->links[1].listen);
    CHECK(!c->links[1].has_asp_id);
    CHECK_INT(c->links[1].n_rc, 2);
    CHECK_INT(c->links[1].rc[0], 4294967295u);
    CHECK_STR(c->path, "t");
    free(c);
}

/* The defaults docs/operations.md promised before it was generated. */
static void defaults(void)
{
    char err[512];
    ssgw_gw_config *c = parse(LINKS, err, sizeof err);
    CHECK(c != NULL);
    if (!c) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK_STR(c->status_socket, "");
    CHECK_STR(c->policy, "");
    CHECK(!c->events_all);
    CHECK_INT(c->sctp_udp_port, 9899);
    CHECK_INT(c->beat_ms, 0);
    CHECK_INT(c->reconnect_ms, 1000);
    CHECK_INT(c->ack_timeout_ms, 2000);
    CHECK(c->drop_malformed);
    CHECK_INT(c->workers, 0);
    const ssgw_gw_link_config *lk = &c->links[0];
    CHECK_INT(lk->transport, SSGW_GW_TRANSPORT_TCP);
    CHECK_INT(lk->traffic_mode, SSGW_M3UA_TMT_OVERRIDE);
    CHECK_INT(lk->queue_bytes, 1024 * 1024);
    CHECK_INT(lk->streams, 16);
    CHECK(!lk->is_default);
    CHECK_INT(lk->n_rc + lk->n_dpc + lk->n_gt, 0);
    CHECK(!lk->has_asp_id);
    free(c);
}

/* Bounds of every integer key as docs/operations.md stated them by hand. */
static void bounds(void)
{
    static const struct {
        const char *section, *key;
        long long min, max;
    } b[] = {
        {"gateway", "sctp_udp_port", 1, 65535},  {"gateway", "beat_ms", 0, 600000},
        {"gateway", "reconnect_ms", 10, 600000}, {"gateway", "ack_timeout_ms", 10, 600000},
        {"gateway", "workers", 0, 16},           {"link", "asp_id", 0, 4294967295LL},
        {"link", "queue_bytes", 4096, 67108864}, {"link", "streams", 1, 64},
        {"link", "remote_udp_port", 1, 65535},
    };
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        bool link = !strcmp(b[i].section, "link");
        /* remote_udp_port is only allowed with sctp-udp */
        const char *extra =
            !strcmp(b[i].key, "remote_udp_port") ? "transport = \"sctp-udp\"\n" : "";
        long long vals[4] = {b[i].min, b[i].max, b[i].min - 1, b[i].max + 1};
        for (int k = 0; k < 4; k++) {
            char text[1024], err[1024], want[256];
            if (link)
                snprintf(text, sizeof text, "%s%s%s = %lld\n", LINKS, extra, b[i].key, vals[k]);
            else
                snprintf(text, sizeof text, "[gateway]\n%s = %lld\n%s", b[i].key, vals[k], LINKS);
            ssgw_gw_config *c = parse(text, err, sizeof err);
            if (k < 2) {
                CHECK(c != NULL);
                if (!c) fprintf(stderr, "  %s = %lld: %s\n", b[i].key, vals[k], err);
            } else {
                snprintf(want, sizeof want, "[%s] %s: %lld: must be between %lld and %lld",
                         b[i].section, b[i].key, vals[k], b[i].min, b[i].max);
                CHECK(c == NULL && strstr(err, want));
                if (c != NULL || !strstr(err, want))
                    fprintf(stderr, "  got %s\n want %s\n", err, want);
            }
            free(c);
        }
    }
    /* list sizes: at most 8 routing contexts, 32 DPCs, 32 GT prefixes */
    char text[2048], err[1024];
    snprintf(text, sizeof text, "%srouting_contexts = [1,2,3,4,5,6,7,8,9]\n", LINKS);
    CHECK(parse(text, err, sizeof err) == NULL);
    CHECK(strstr(err, "t:11:20: error: [link] routing_contexts: 9 items: must have 0 to 8") == err);
    snprintf(text, sizeof text, "%sdpc = [16777216]\n", LINKS);
    CHECK(parse(text, err, sizeof err) == NULL);
    CHECK(strstr(err, "t:11:8: error: [link] dpc: 16777216: must be between 0 and 16777215") ==
          err);
    snprintf(text, sizeof text, "%sgt_prefixes = [\"44\", \"012345678901234567890123\"]\n", LINKS);
    CHECK(parse(text, err, sizeof err) == NULL);
    CHECK(strstr(err, "t:11:22: error: [link] gt_prefixes: \"012345678901234567890123\": "
                      "expected a string of 1..23 digits") == err);
    snprintf(text, sizeof text, "[gateway]\nstatus_socket = \"%0108d\"\n%s", 0, LINKS);
    CHECK(parse(text, err, sizeof err) == NULL);
    CHECK(strstr(err, "length must be 1 to 107 characters") != NULL);
}

static void errors(void)
{
    expect_err("[gateway]\nbeat_ms = -1\n",
               "t:2:11: error: [gateway] beat_ms: -1: must be between 0 and 600000");
    expect_err("[gateway]\nbeat_ms = \"1\"\n",
               "t:2:11: error: [gateway] beat_ms: \"1\": expected an integer");
    expect_err("[gateway]\nbeat_ms = 010\n", "t:2:11: error: bad value: an integer has no "
                                             "leading zeros (write 10; hexadecimal is written "
                                             "0x...)");
    expect_err("[gateway]\n[gateway]\n", "t:2:1: error: duplicate section [gateway] (first at "
                                         "line 1)");
    expect_err("[link]\n", "t:1:1: error: link is a list of tables: write [[link]]");
    expect_err("[gatway]\n",
               "t:1:1: error: unknown section [gatway]: allowed are [gateway], [http], "
               "[[link]], [diameter], [[diameter_peer]] (did you mean 'gateway'?)");
    expect_err("x = 1\n", "t:1:1: error: key 'x' outside any section: put it under one of "
                          "[gateway], [http], [[link]]");
    expect_err("[http]\ntls_cert = \"c.pem\"\nlisten = \"127.0.0.1:9100\"\n",
               "t:2:1: error: [http] tls_cert: HTTPS needs both tls_cert and tls_key");
    expect_err("[http]\ntokens = \"t\"\n", "t:1:1: error: [http] has no 'listen'");
    /* client certificates: TLS, a CA and names together */
    expect_err("[http]\nlisten = \"127.0.0.1:9100\"\nclient_ca = \"ca.pem\"\n"
               "client_names = [\"ops-1\"]\n",
               "t:3:1: error: [http] client_ca: client certificates come with TLS");
    expect_err("[http]\nlisten = \"127.0.0.1:9100\"\ntls_cert = \"c\"\ntls_key = \"k\"\n"
               "risk_client_ca = \"ca.pem\"\n",
               "t:5:1: error: [http] risk_client_ca needs risk_client_names");
    expect_err("[http]\nlisten = \"127.0.0.1:9100\"\nclient_crl = \"x.crl\"\n",
               "t:3:1: error: [http] client_crl: needs client_ca");
    expect_err("[http]\nlisten = \"127.0.0.1:9100\"\nclient_names = [\"ops\\t1\"]\n",
               "t:3:17: error: [http] client_names: \"ops?1\": expected 1-255 characters "
               "without control characters");
    expect_err("[gateway]\nstatus_sock = \"x\"\n",
               "t:2:1: error: [gateway] unknown key 'status_sock' (did you mean "
               "'status_socket'?)");
    /* the list of allowed keys is the table's, in its order (the schema test checks the table) */
    expect_err("[gateway]\nzzz = 1\n",
               "t:2:1: error: [gateway] unknown key 'zzz': allowed are status_socket, ");
    expect_err("[gateway]\nbeat_ms = 1\nbeat_ms = 2\n",
               "t:3:1: error: [gateway] key 'beat_ms' is set twice (first at line 2)");
    expect_err("[[link]]\nname = \"a\" b\n",
               "t:2:12: error: unexpected 'b' after the value (one key = value per line)");
    expect_err("[[link]]\ndpc = [1, \"2\"]\n", "t:2:11: error: array items must all be of one "
                                               "type: this is a string, the first is an integer");
    expect_err("[[link]]\nname = \"a\nb\"\n", "t:2:8: error: unterminated string");
    expect_err("[[link]]\nname = \"a b\"\n",
               "t:2:8: error: [link] name: \"a b\": allowed are letters, digits, '-', '_', '.'");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"stp\"\n",
               "t:4:8: error: [link] role: \"stp\": allowed values are asp|sg|ipsp");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\nlisten = \"localhost\"\n",
               "t:5:10: error: [link] listen: \"localhost\": expected an IP address and a port "
               "1..65535, e.g. \"127.0.0.1:2905\" or \"[::1]:2905\"");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\nlisten = "
               "\"127.0.0.1:70000\"\n",
               "t:5:10: error: [link] listen: \"127.0.0.1:70000\"");
    expect_err("[[link]]\nname = \"a\"\nrole = \"sg\"\nlisten = \"127.0.0.1:1\"\n",
               "t:1:1: error: [[link]] is missing the required key 'side'");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\n",
               "t:1:1: error: [[link]] 'a': missing key 'listen' or 'connect'");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\nlisten = \"127.0.0.1:1\"\n"
               "connect = \"127.0.0.1:2\"\n",
               "t:6:1: error: [link] connect: link 'a' has both 'listen' (line 5) and 'connect'");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\ntransport = "
               "\"sctp-udp\"\nconnect = \"127.0.0.1:2\"\n",
               "t:6:1: error: [[link]] 'a': transport 'sctp-udp' with 'connect' needs "
               "'remote_udp_port'");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\nlisten = \"127.0.0.1:1\"\n"
               "remote_udp_port = 5\n",
               "t:6:1: error: [link] remote_udp_port: only for transport = \"sctp-udp\"");
    expect_err(
        "[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"asp\"\nconnect = \"127.0.0.1:1\"\n"
        "rkm = true\nrkm_dpc = [1]\n",
        "t:6:1: error: [link] rkm: link 'a' is an ASP; an ASP registers with an SG");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\nlisten = \"127.0.0.1:1\"\n"
               "rkm = true\n",
               "t:6:1: error: [link] rkm: link 'a' needs 'rkm_dpc', the point codes its ASP may "
               "register");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\nlisten = \"127.0.0.1:1\"\n"
               "rkm_dpc = [7]\n",
               "t:6:1: error: [link] rkm_dpc: only with rkm = true (link 'a')");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\nlisten = \"127.0.0.1:1\"\n"
               "rkm = true\nrkm_dpc = [7]\nrkm_max_keys = 17\n",
               "t:8:16: error: [link] rkm_max_keys: 17: must be between 1 and 16");
    expect_err("[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\nlisten = \"127.0.0.1:1\"\n"
               "[[link]]\nname = \"a\"\nside = \"inner\"\nrole = \"sg\"\nlisten = "
               "\"127.0.0.1:1\"\n",
               "t:7:8: error: [link] name: \"a\": already used by the link at line 1");
    expect_err(
        "[[link]]\nname = \"a\"\nside = \"outer\"\nrole = \"sg\"\nlisten = \"127.0.0.1:1\"\n",
        "t: error: the gateway needs at least one [[link]] with side = \"inner\"");
    /* every mistake of a file is reported, one per line */
    char err[2048];
    CHECK(parse("[gateway]\nbeat_ms = -1\nworkers = 99\nzzzz = 1\n", err, sizeof err) == NULL);
    const char *want = "t:2:11: error: [gateway] beat_ms: -1: must be between 0 and 600000\n"
                       "t:3:11: error: [gateway] workers: 99: must be between 0 and 16\n"
                       "t:4:1: error: [gateway] unknown key 'zzzz': allowed are status_socket, ";
    CHECK(strncmp(err, want, strlen(want)) == 0);
    CHECK(strstr(err, ", workers") != NULL && !strchr(err + strlen(want), '\n'));
}

/* SCTP multi-homing keys (docs/operations.md "Multi-homing"): values, derived defaults and
 * the rules between the addresses of a link, each error at its key. */
static void multihoming(void)
{
    /* an inner link the files below share; the outer link under test is at line 1 */
    static const char *IN = "[[link]]\nname = \"i\"\nside = \"inner\"\nrole = \"sg\"\nlisten = "
                            "\"127.0.0.1:2906\"\n";
    char text[2048], err[1024];
    snprintf(text, sizeof text,
             "[[link]]\nname = \"o\"\nside = \"outer\"\nrole = \"asp\"\ntransport = "
             "\"sctp-udp\"\nremote_udp_port = 9899\nconnect = \"10.1.1.2:2905\"\n"
             "remote_addresses = [\"10.1.2.2\", \"10.1.3.2\"]\nlocal_address = \"10.1.1.1\"\n"
             "local_addresses = [\"10.1.2.1\"]\nprimary = \"10.1.2.2\"\n%s",
             IN);
    ssgw_gw_config *c = parse(text, err, sizeof err);
    CHECK(c != NULL);
    if (!c) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    const ssgw_gw_link_config *lk = &c->links[0];
    CHECK_INT(lk->n_remote_addrs, 2);
    CHECK_STR(lk->remote_addrs[1], "10.1.3.2");
    CHECK_STR(lk->local_address, "10.1.1.1");
    CHECK_INT(lk->n_local_addrs, 1);
    CHECK_STR(lk->local_addrs[0], "10.1.2.1");
    CHECK_STR(lk->primary, "10.1.2.2");
    /* a path fails before the association: 2 under the default 4, else one less (at least 1) */
    CHECK_INT(lk->sctp_max_retrans, 4);
    CHECK_INT(lk->sctp_path_max_retrans, 2);
    CHECK_INT(c->links[1].n_local_addrs + c->links[1].n_remote_addrs, 0);
    free(c);
    static const struct {
        unsigned amr, pmr;
    } derived[] = {{10, 2}, {3, 2}, {2, 1}, {1, 1}};
    for (size_t i = 0; i < sizeof derived / sizeof derived[0]; i++) {
        snprintf(text, sizeof text, "%ssctp_max_retrans = %u\n", LINKS, derived[i].amr);
        c = parse(text, err, sizeof err);
        CHECK(c && c->links[1].sctp_path_max_retrans == derived[i].pmr);
        free(c);
    }
    /* IPv6, on a listen link: further local addresses besides listen's */
    snprintf(text, sizeof text,
             "[[link]]\nname = \"o\"\nside = \"outer\"\nrole = \"sg\"\ntransport = \"sctp\"\n"
             "listen = \"[2001:db8::1]:2905\"\nlocal_addresses = [\"2001:db8:1::1\"]\n"
             "primary = \"2001:db8:9::2\"\nsctp_path_max_retrans = 3\n%s",
             IN);
    c = parse(text, err, sizeof err);
    CHECK(c && c->links[0].n_local_addrs == 1 && c->links[0].sctp_path_max_retrans == 3);
    if (!c) fprintf(stderr, "%s\n", err);
    free(c);

    static const struct {
        const char *keys, *want;
    } bad[] = {
        {"transport = \"tcp\"\nlisten = \"10.1.1.2:2905\"\nlocal_addresses = [\"10.1.2.2\"]\n",
         "t:7:19: error: [link] local_addresses: only for SCTP (transport = \"sctp-udp\" or "
         "\"sctp\"): link 'o' is 'tcp'"},
        {"listen = \"10.1.1.2:2905\"\nprimary = \"10.1.1.1\"\n",
         "t:6:11: error: [link] primary: only for SCTP"},
        {"transport = \"sctp\"\nlisten = \"10.1.1.2:2905\"\nremote_addresses = [\"10.1.2.1\"]\n",
         "t:7:20: error: [link] remote_addresses: \"10.1.2.1\": a `listen` link learns the peer's "
         "addresses from its INIT; remote_addresses are for `connect` links (link 'o')"},
        {"transport = \"sctp\"\nlisten = \"10.1.1.2:2905\"\nlocal_address = \"10.1.2.2\"\n",
         "t:7:17: error: [link] local_address: \"10.1.2.2\": a `listen` link's first local "
         "address is `listen`'s (link 'o')"},
        {"transport = \"sctp\"\nlisten = \"0.0.0.0:2905\"\nlocal_addresses = [\"10.1.2.2\"]\n",
         "t:7:19: error: [link] local_addresses: \"10.1.2.2\": `listen` is on the wildcard "
         "address"},
        {"transport = \"sctp\"\nlisten = \"10.1.1.2:2905\"\nlocal_addresses = [\"::1\"]\n",
         "t:7:19: error: [link] local_addresses: \"::1\": an IPv6 address, but `listen` is "
         "IPv4 (one association, one address family) (link 'o')"},
        {"transport = \"sctp\"\nlisten = \"10.1.1.2:2905\"\nlocal_addresses = [\"10.1.2.2\", "
         "\"10.1.2.02\"]\n",
         "t:7:32: error: [link] local_addresses: \"10.1.2.02\": expected an IPv4 or IPv6 "
         "address (a literal, no port)"},
        {"transport = \"sctp\"\nlisten = \"10.1.1.2:2905\"\nlocal_addresses = [\"10.1.2.2\", "
         "\"10.1.1.2\"]\n",
         "t:7:19: error: [link] local_addresses: \"10.1.1.2\": listed twice, or the same as "
         "`listen`"},
        {"transport = \"sctp\"\nlisten = \"10.1.1.2:2905\"\nlocal_addresses = [\"1\", \"2\", "
         "\"3\", \"4\", \"5\"]\n",
         "t:7:19: error: [link] local_addresses: 5 items: must have 0 to 4"},
        {"transport = \"sctp\"\nconnect = \"10.1.1.2:2905\"\nlocal_addresses = [\"10.1.2.1\"]\n",
         "t:7:19: error: [link] local_addresses: \"10.1.2.1\": a `connect` link with further "
         "local addresses needs its first one in `local_address`"},
        {"transport = \"sctp\"\nconnect = \"10.1.1.2:2905\"\nlocal_address = \"::2\"\n",
         "t:7:17: error: [link] local_address: \"::2\": not of the address family of `connect`"},
        {"transport = \"sctp\"\nconnect = \"10.1.1.2:2905\"\nremote_addresses = "
         "[\"10.1.2.2\"]\nprimary = \"10.1.3.2\"\n",
         "t:8:11: error: [link] primary: \"10.1.3.2\": not one of the peer's addresses "
         "(`connect`, `remote_addresses`) (link 'o')"},
        {"transport = \"sctp\"\nconnect = \"10.1.1.2:2905\"\nsctp_max_retrans = 3\n"
         "sctp_path_max_retrans = 3\n",
         "t:8:25: error: [link] sctp_path_max_retrans: 3: must be lower than sctp_max_retrans "
         "(3) of link 'o': a path must be found dead before the whole association is"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "[[link]]\nname = \"o\"\nside = \"outer\"\nrole = \"sg\"\n%s%s",
                 bad[i].keys, IN);
        expect_err(text, bad[i].want);
    }
}

static void schema(void)
{
    const ssgw_cfg_schema *s = ssgw_gw_config_schema();
    char err[256] = "";
    CHECK_INT(ssgw_cfg_schema_check(s, err, sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
    /* the enum values of the table are the names the rest of the gateway prints */
    const ssgw_cfg_option *o = ssgw_cfg_find(s, "link", "side");
    for (int i = 0; i < SSGW_GW_SIDE_COUNT; i++)
        CHECK_INT(ssgw_cfg_enum_index(o->allowed, ssgw_gw_side_name(i)), i);
    o = ssgw_cfg_find(s, "link", "transport");
    for (int i = 0; i < SSGW_GW_TRANSPORT_COUNT; i++)
        CHECK_INT(ssgw_cfg_enum_index(o->allowed, ssgw_gw_transport_name(i)), i);
    o = ssgw_cfg_find(s, "link", "role");
    for (int i = 0; i < SSGW_GW_ROLE_COUNT; i++)
        CHECK_INT(ssgw_cfg_enum_index(o->allowed, ssgw_gw_role_name(i)), i);
}

static void load_file(void)
{
    char err[512];
    ssgw_gw_config *c = ssgw_gw_config_load("/nonexistent/gw.toml", err, sizeof err);
    CHECK(c == NULL);
    CHECK_STR(err, "/nonexistent/gw.toml: error: cannot open: No such file or directory");
}

/* [diameter] and [[diameter_peer]]: values, defaults, the rules between keys. */
static const char *DIAM = "[diameter]\norigin_host = \"gw.home.example\"\norigin_realm = "
                          "\"home.example\"\n";
static const char *DPEERS = "[[diameter_peer]]\nname = \"ipx\"\nside = \"outer\"\nlisten = "
                            "\"127.0.0.1:3868\"\npeer_realm = \"epc.mnc002.mcc208.3gppnetwork."
                            "org\"\n[[diameter_peer]]\nname = \"hss\"\nside = \"inner\"\n"
                            "transport = \"sctp-udp\"\nconnect = \"10.0.0.7:3868\"\n"
                            "remote_udp_port = 9899\nrealms = [\"home.example\", \"b.example\"]\n"
                            "default_route = true\n";

static void diameter(void)
{
    char err[2048], text[2048];
    snprintf(text, sizeof text, "%s%s", DIAM, DPEERS);
    ssgw_gw_config *c = parse(text, err, sizeof err);
    CHECK(c != NULL);
    if (!c) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK(c->diameter.present);
    CHECK_STR(c->diameter.origin_host, "gw.home.example");
    CHECK_INT(c->diameter.watchdog_ms, 30000);
    CHECK_INT(c->diameter.max_pending, 65536);
    CHECK_INT(c->diameter.n_apps, 1);
    CHECK_INT(c->diameter.apps[0], 16777251);
    CHECK_STR(c->diameter.product_name, "OpenSSGW");
    CHECK_INT(c->n_links, 0);
    CHECK_INT(c->n_dpeers, 2);
    CHECK(c->dpeers[0].listen && c->dpeers[0].port == 3868);
    CHECK_STR(c->dpeers[0].peer_realm, "epc.mnc002.mcc208.3gppnetwork.org");
    CHECK_INT(c->dpeers[1].transport, SSGW_GW_TRANSPORT_SCTP_UDP);
    CHECK_INT(c->dpeers[1].n_realms, 2);
    CHECK_STR(c->dpeers[1].realms[1], "b.example");
    CHECK(c->dpeers[1].is_default);
    CHECK_INT(c->dpeers[1].queue_bytes, 1048576);
    free(c);
    /* peers need [diameter] */
    expect_err(DPEERS, "t:1:1: error: [[diameter_peer]] needs a [diameter] table");
    /* and both sides */
    snprintf(text, sizeof text,
             "%s[[diameter_peer]]\nname = \"a\"\nside = \"outer\"\nlisten = \"127.0.0.1:1\"\n",
             DIAM);
    expect_err(text, "t: error: the Diameter proxy needs at least one [[diameter_peer]] with side "
                     "= \"inner\"");
    snprintf(text, sizeof text, "%s[[diameter_peer]]\nname = \"a\"\nside = \"outer\"\n", DIAM);
    expect_err(text, "t:4:1: error: [[diameter_peer]] 'a': missing key 'listen' or 'connect'");
    snprintf(text, sizeof text,
             "%s%s[[diameter_peer]]\nname = \"ipx\"\nside = \"outer\"\n"
             "listen = \"127.0.0.1:9\"\n",
             DIAM, DPEERS);
    expect_err(text, "t:18:8: error: [diameter_peer] name: \"ipx\": already used by the table at "
                     "line 4");
    snprintf(text, sizeof text, "%s%s%s", DIAM, DPEERS,
             "[[diameter_peer]]\nname = \"x\"\nside "
             "= \"outer\"\nlisten = \"127.0.0.1:3868\"\n");
    expect_err(text, "t:20:1: error: [diameter_peer] listen: '127.0.0.1:3868' of peer 'x' is "
                     "already the address of peer 'ipx'");
    snprintf(text, sizeof text, "[diameter]\norigin_host = \"bad host\"\norigin_realm = \"r\"\n%s",
             DPEERS);
    expect_err(text, "t:2:15: error: [diameter] origin_host: \"bad host\": expected a host name");
    snprintf(text, sizeof text, "%smax_pending = 1000\n%s", DIAM, DPEERS);
    expect_err(text, "t:4:15: error: [diameter] max_pending: 1000: must be a power of two");
}

int main(void)
{
    RUN(values);
    RUN(diameter);
    RUN(defaults);
    RUN(bounds);
    RUN(errors);
    RUN(multihoming);
    RUN(schema);
    RUN(load_file);
    return check_summary();
}
