/*
 * test_m3ua_fsm.c - the M3UA ASP state machine tables (src/gateway/asp_fsm.c)
 * against RFC 4666 4.3 (procedures) and 3.8.1 (error codes), the two tables
 * driven against each other, and the gateway itself (ssgw_gw on an event loop,
 * TCP on 127.0.0.1) with a test inspection hook: every verdict (forward,
 * forward-modified, answer, drop) lands where it should and is counted.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "ssgw/asp_fsm.h"
#include "ssgw/evloop.h"
#include "ssgw/gateway.h"
#include "ssgw/m3ua.h"

static const ssgw_asp_transition *step(ssgw_gw_role r, ssgw_asp_state s, ssgw_asp_event e)
{
    return ssgw_asp_fsm_step(r, s, e);
}

static void test_event_mapping(void)
{
    /* RFC 4666 3.1.2 classes and types */
    CHECK_INT(ssgw_asp_event_for(3, 1), SSGW_ASP_EV_ASPUP);
    CHECK_INT(ssgw_asp_event_for(3, 2), SSGW_ASP_EV_ASPDN);
    CHECK_INT(ssgw_asp_event_for(3, 3), SSGW_ASP_EV_BEAT);
    CHECK_INT(ssgw_asp_event_for(3, 4), SSGW_ASP_EV_ASPUP_ACK);
    CHECK_INT(ssgw_asp_event_for(3, 5), SSGW_ASP_EV_ASPDN_ACK);
    CHECK_INT(ssgw_asp_event_for(3, 6), SSGW_ASP_EV_BEAT_ACK);
    CHECK_INT(ssgw_asp_event_for(4, 1), SSGW_ASP_EV_ASPAC);
    CHECK_INT(ssgw_asp_event_for(4, 2), SSGW_ASP_EV_ASPIA);
    CHECK_INT(ssgw_asp_event_for(4, 3), SSGW_ASP_EV_ASPAC_ACK);
    CHECK_INT(ssgw_asp_event_for(4, 4), SSGW_ASP_EV_ASPIA_ACK);
    CHECK_INT(ssgw_asp_event_for(0, 0), SSGW_ASP_EV_ERR);
    CHECK_INT(ssgw_asp_event_for(0, 1), SSGW_ASP_EV_NTFY);
    CHECK_INT(ssgw_asp_event_for(1, 1), SSGW_ASP_EV_DATA);
    CHECK_INT(ssgw_asp_event_for(2, 1), SSGW_ASP_EV_SSNM); /* DUNA */
    CHECK_INT(ssgw_asp_event_for(2, 2), SSGW_ASP_EV_SSNM); /* DAVA */
    CHECK_INT(ssgw_asp_event_for(2, 3), SSGW_ASP_EV_DAUD);
    CHECK_INT(ssgw_asp_event_for(2, 4), SSGW_ASP_EV_SSNM);        /* SCON */
    CHECK_INT(ssgw_asp_event_for(2, 5), SSGW_ASP_EV_SSNM);        /* DUPU */
    CHECK_INT(ssgw_asp_event_for(9, 1), SSGW_ASP_EV_UNSUPPORTED); /* RKM REG REQ */
    CHECK_INT(ssgw_asp_event_for(3, 7), SSGW_ASP_EV_UNSUPPORTED);
    CHECK_INT(ssgw_asp_unsupported_code(9), SSGW_M3UA_ERR_UNSUPPORTED_MSG_CLASS);
    CHECK_INT(ssgw_asp_unsupported_code(3), SSGW_M3UA_ERR_UNSUPPORTED_MSG_TYPE);
    CHECK_STR(ssgw_asp_state_name(SSGW_ASP_ACTIVE), "active");
    CHECK_STR(ssgw_asp_event_name(SSGW_ASP_EV_ASPAC_ACK), "aspac-ack");
    CHECK_STR(ssgw_asp_state_name((ssgw_asp_state)9), "unknown");
}

/* RFC 4666 4.3.4.1-4.3.4.4 at the SGP. */
static void test_sg(void)
{
    const ssgw_asp_transition *t = step(SSGW_GW_ROLE_SG, SSGW_ASP_DOWN, SSGW_ASP_EV_ASPUP);
    CHECK(t->valid);
    CHECK(t->actions & SSGW_ASP_A_SEND_ASPUP_ACK);
    CHECK(t->actions & SSGW_ASP_A_SEND_NTFY_INACTIVE);
    CHECK_INT(t->next, SSGW_ASP_INACTIVE);

    /* ASPAC while ASP-DOWN: Unexpected Message (4.3.4.3) */
    t = step(SSGW_GW_ROLE_SG, SSGW_ASP_DOWN, SSGW_ASP_EV_ASPAC);
    CHECK(!t->valid);
    CHECK(t->actions & SSGW_ASP_A_SEND_ERR_UNEXPECTED);
    CHECK(t->actions & SSGW_ASP_A_DROP);
    CHECK_INT(t->next, SSGW_ASP_SAME);

    t = step(SSGW_GW_ROLE_SG, SSGW_ASP_INACTIVE, SSGW_ASP_EV_ASPAC);
    CHECK(t->actions & SSGW_ASP_A_SEND_ASPAC_ACK);
    CHECK(t->actions & SSGW_ASP_A_SEND_NTFY_ACTIVE);
    CHECK_INT(t->next, SSGW_ASP_ACTIVE);

    /* DATA only when ACTIVE */
    CHECK(step(SSGW_GW_ROLE_SG, SSGW_ASP_ACTIVE, SSGW_ASP_EV_DATA)->actions & SSGW_ASP_A_DELIVER);
    t = step(SSGW_GW_ROLE_SG, SSGW_ASP_INACTIVE, SSGW_ASP_EV_DATA);
    CHECK(!(t->actions & SSGW_ASP_A_DELIVER));
    CHECK(t->actions & SSGW_ASP_A_SEND_ERR_UNEXPECTED);
    CHECK(!(step(SSGW_GW_ROLE_SG, SSGW_ASP_DOWN, SSGW_ASP_EV_DATA)->actions & SSGW_ASP_A_DELIVER));

    /* ASPUP while ACTIVE: back to INACTIVE with an ack (4.3.4.1) */
    t = step(SSGW_GW_ROLE_SG, SSGW_ASP_ACTIVE, SSGW_ASP_EV_ASPUP);
    CHECK(t->actions & SSGW_ASP_A_SEND_ASPUP_ACK);
    CHECK_INT(t->next, SSGW_ASP_INACTIVE);

    t = step(SSGW_GW_ROLE_SG, SSGW_ASP_ACTIVE, SSGW_ASP_EV_ASPIA);
    CHECK(t->actions & SSGW_ASP_A_SEND_ASPIA_ACK);
    CHECK_INT(t->next, SSGW_ASP_INACTIVE);

    /* an SG does not receive ASP-side acks nor SSNM other than DAUD */
    CHECK(!step(SSGW_GW_ROLE_SG, SSGW_ASP_DOWN, SSGW_ASP_EV_ASPUP_ACK)->valid);
    CHECK(!step(SSGW_GW_ROLE_SG, SSGW_ASP_ACTIVE, SSGW_ASP_EV_SSNM)->valid);
    CHECK(step(SSGW_GW_ROLE_SG, SSGW_ASP_ACTIVE, SSGW_ASP_EV_DAUD)->actions &
          SSGW_ASP_A_ANSWER_DAUD);
    CHECK(!step(SSGW_GW_ROLE_SG, SSGW_ASP_DOWN, SSGW_ASP_EV_DAUD)->valid);
}

/* RFC 4666 4.3.4 at the ASP. */
static void test_asp(void)
{
    const ssgw_asp_transition *t = step(SSGW_GW_ROLE_ASP, SSGW_ASP_DOWN, SSGW_ASP_EV_TRANSPORT_UP);
    CHECK(t->actions & SSGW_ASP_A_SEND_ASPUP);
    CHECK(t->actions & SSGW_ASP_A_TIMER_START);
    CHECK_INT(t->next, SSGW_ASP_DOWN);
    t = step(SSGW_GW_ROLE_ASP, SSGW_ASP_DOWN, SSGW_ASP_EV_TIMER); /* retransmit */
    CHECK(t->actions & SSGW_ASP_A_SEND_ASPUP);
    t = step(SSGW_GW_ROLE_ASP, SSGW_ASP_DOWN, SSGW_ASP_EV_ASPUP_ACK);
    CHECK(t->actions & SSGW_ASP_A_SEND_ASPAC);
    CHECK_INT(t->next, SSGW_ASP_INACTIVE);
    t = step(SSGW_GW_ROLE_ASP, SSGW_ASP_INACTIVE, SSGW_ASP_EV_ASPAC_ACK);
    CHECK(t->actions & SSGW_ASP_A_TIMER_STOP);
    CHECK_INT(t->next, SSGW_ASP_ACTIVE);
    CHECK(step(SSGW_GW_ROLE_ASP, SSGW_ASP_ACTIVE, SSGW_ASP_EV_SSNM)->actions &
          SSGW_ASP_A_RELAY_SSNM);
    /* an ASP is not audited and is not sent ASPUP */
    CHECK(!step(SSGW_GW_ROLE_ASP, SSGW_ASP_ACTIVE, SSGW_ASP_EV_DAUD)->valid);
    CHECK(!step(SSGW_GW_ROLE_ASP, SSGW_ASP_DOWN, SSGW_ASP_EV_ASPUP)->valid);
    /* the SG lost our state: activate again */
    t = step(SSGW_GW_ROLE_ASP, SSGW_ASP_ACTIVE, SSGW_ASP_EV_ASPUP_ACK);
    CHECK(t->actions & SSGW_ASP_A_SEND_ASPAC);
    CHECK_INT(t->next, SSGW_ASP_INACTIVE);
}

/* What every role does in every state. */
static void test_common(void)
{
    for (int r = 0; r < SSGW_GW_ROLE_COUNT; r++)
        for (int s = 0; s < SSGW_ASP_STATE_COUNT; s++) {
            const ssgw_asp_transition *t =
                step((ssgw_gw_role)r, (ssgw_asp_state)s, SSGW_ASP_EV_BEAT);
            CHECK(t->valid && (t->actions & SSGW_ASP_A_SEND_BEAT_ACK)); /* 4.3.4.6 */
            t = step((ssgw_gw_role)r, (ssgw_asp_state)s, SSGW_ASP_EV_ASPDN);
            CHECK(t->valid && (t->actions & SSGW_ASP_A_SEND_ASPDN_ACK));
            CHECK_INT(t->next, SSGW_ASP_DOWN);
            t = step((ssgw_gw_role)r, (ssgw_asp_state)s, SSGW_ASP_EV_TRANSPORT_DOWN);
            CHECK_INT(t->next, SSGW_ASP_DOWN);
            CHECK(step((ssgw_gw_role)r, (ssgw_asp_state)s, SSGW_ASP_EV_ERR)->actions &
                  SSGW_ASP_A_NOTE);
            CHECK(step((ssgw_gw_role)r, (ssgw_asp_state)s, SSGW_ASP_EV_NTFY)->actions &
                  SSGW_ASP_A_NOTE);
            t = step((ssgw_gw_role)r, (ssgw_asp_state)s, SSGW_ASP_EV_UNSUPPORTED);
            CHECK(t->actions & SSGW_ASP_A_SEND_ERR_UNSUPPORTED);
            /* only ACTIVE delivers DATA */
            bool deliver = step((ssgw_gw_role)r, (ssgw_asp_state)s, SSGW_ASP_EV_DATA)->actions &
                           SSGW_ASP_A_DELIVER;
            CHECK_INT(deliver, s == SSGW_ASP_ACTIVE);
        }
    /* out of range is "unexpected", never a crash */
    CHECK(!step(SSGW_GW_ROLE_COUNT, SSGW_ASP_DOWN, SSGW_ASP_EV_ASPUP)->valid);
    CHECK(!step(SSGW_GW_ROLE_SG, SSGW_ASP_STATE_COUNT, SSGW_ASP_EV_ASPUP)->valid);
}

/*
 * Drives an ASP table against an SG table (and IPSP against IPSP): each
 * action bit that sends a message becomes the other side's event, until
 * nothing is left to send. Both must end ACTIVE; then ASPDN takes both down.
 */
typedef struct {
    ssgw_gw_role role;
    bool client;
    ssgw_asp_state st;
    ssgw_asp_event out[8];
    int nout;
} side;

static void apply(side *s, ssgw_asp_event ev)
{
    const ssgw_asp_transition *t = ssgw_asp_fsm_step(s->role, s->st, ev);
    static const struct {
        uint32_t bit;
        ssgw_asp_event ev;
    } sends[] = {{SSGW_ASP_A_SEND_ASPUP, SSGW_ASP_EV_ASPUP},
                 {SSGW_ASP_A_SEND_ASPUP_ACK, SSGW_ASP_EV_ASPUP_ACK},
                 {SSGW_ASP_A_SEND_ASPDN_ACK, SSGW_ASP_EV_ASPDN_ACK},
                 {SSGW_ASP_A_SEND_ASPAC, SSGW_ASP_EV_ASPAC},
                 {SSGW_ASP_A_SEND_ASPAC_ACK, SSGW_ASP_EV_ASPAC_ACK},
                 {SSGW_ASP_A_SEND_NTFY_INACTIVE, SSGW_ASP_EV_NTFY},
                 {SSGW_ASP_A_SEND_NTFY_ACTIVE, SSGW_ASP_EV_NTFY}};
    for (size_t i = 0; i < sizeof sends / sizeof sends[0]; i++)
        if ((t->actions & sends[i].bit) && s->nout < 8) s->out[s->nout++] = sends[i].ev;
    if ((t->actions & SSGW_ASP_A_SEND_ASPUP_IF_CLIENT) && s->client && s->nout < 8)
        s->out[s->nout++] = SSGW_ASP_EV_ASPUP;
    CHECK(!(t->actions & (SSGW_ASP_A_SEND_ERR_UNEXPECTED | SSGW_ASP_A_SEND_ERR_UNSUPPORTED)));
    if (t->next != SSGW_ASP_SAME) s->st = (ssgw_asp_state)t->next;
}

static void exchange(side *a, side *b)
{
    for (int round = 0; round < 10 && (a->nout || b->nout); round++) {
        side *from = a->nout ? a : b, *to = from == a ? b : a;
        ssgw_asp_event ev = from->out[0];
        for (int i = 1; i < from->nout; i++)
            from->out[i - 1] = from->out[i];
        from->nout--;
        apply(to, ev);
    }
}

static void test_pairs(void)
{
    side asp = {SSGW_GW_ROLE_ASP, true, SSGW_ASP_DOWN, {0}, 0};
    side sg = {SSGW_GW_ROLE_SG, false, SSGW_ASP_DOWN, {0}, 0};
    apply(&asp, SSGW_ASP_EV_TRANSPORT_UP);
    apply(&sg, SSGW_ASP_EV_TRANSPORT_UP);
    exchange(&asp, &sg);
    CHECK_INT(asp.st, SSGW_ASP_ACTIVE);
    CHECK_INT(sg.st, SSGW_ASP_ACTIVE);
    apply(&sg, SSGW_ASP_EV_ASPDN); /* the ASP goes down */
    CHECK_INT(sg.st, SSGW_ASP_DOWN);
    exchange(&asp, &sg);
    CHECK_INT(asp.st, SSGW_ASP_DOWN);

    side c = {SSGW_GW_ROLE_IPSP, true, SSGW_ASP_DOWN, {0}, 0};
    side s = {SSGW_GW_ROLE_IPSP, false, SSGW_ASP_DOWN, {0}, 0};
    apply(&c, SSGW_ASP_EV_TRANSPORT_UP);
    apply(&s, SSGW_ASP_EV_TRANSPORT_UP);
    CHECK_INT(s.nout, 0); /* the accepting IPSP waits */
    exchange(&c, &s);
    CHECK_INT(c.st, SSGW_ASP_ACTIVE);
    CHECK_INT(s.st, SSGW_ASP_ACTIVE);
}

/* Malformed input -> the RFC 4666 3.8.1 code the gateway answers with. */
static void test_err_codes(void)
{
    static const struct {
        uint8_t b[16];
        size_t len;
        uint32_t code;
    } cases[] = {
        /* version 2 ASPUP */
        {{0x02, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 0x08}, 8, SSGW_M3UA_ERR_INVALID_VERSION},
        /* class 12 */
        {{0x01, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x08}, 8, SSGW_M3UA_ERR_UNSUPPORTED_MSG_CLASS},
        /* ASPSM type 9 */
        {{0x01, 0x00, 0x03, 0x09, 0x00, 0x00, 0x00, 0x08}, 8, SSGW_M3UA_ERR_UNSUPPORTED_MSG_TYPE},
        /* DATA without Protocol Data */
        {{0x01, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x08}, 8, SSGW_M3UA_ERR_MISSING_PARAM},
        /* DATA whose Protocol Data length runs past the message */
        {{0x01, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x10, 0x02, 0x10, 0x00, 0x20, 0, 0, 0, 0},
         16,
         SSGW_M3UA_ERR_PARAM_FIELD_ERROR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ssgw_m3ua_msg m;
        ssgw_error e;
        CHECK_INT(ssgw_m3ua_decode(cases[i].b, cases[i].len, &m, &e), -1);
        CHECK_INT(ssgw_m3ua_err_code_for(&e), cases[i].code);
    }
}

/* ---- the gateway with a test hook ----------------------------------------------- */

typedef struct {
    int fd;
    uint8_t buf[65536];
    size_t len;
} conn;

static uint16_t free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};
    socklen_t sl = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &sl);
    close(fd);
    return ntohs(a.sin_port);
}

static void pump(ssgw_evloop *l, int turns)
{
    for (int i = 0; i < turns; i++)
        ssgw_evloop_run_once(l, 2);
}

static int dial(ssgw_evloop *l, uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001)};
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    pump(l, 5);
    return fd;
}

static void put(conn *c, const ssgw_buf *b)
{
    CHECK_INT(send(c->fd, b->data, b->len, 0), (long long)b->len);
}

/* The next M3UA message from the gateway (the loop is pumped meanwhile); 0 on timeout. */
static size_t next_msg(ssgw_evloop *l, conn *c, uint8_t *out)
{
    for (int i = 0; i < 500; i++) {
        if (c->len >= 8) {
            size_t ml = ((size_t)c->buf[4] << 24) | ((size_t)c->buf[5] << 16) |
                        ((size_t)c->buf[6] << 8) | c->buf[7];
            if (ml >= 8 && c->len >= ml) {
                memcpy(out, c->buf, ml);
                memmove(c->buf, c->buf + ml, c->len - ml);
                c->len -= ml;
                return ml;
            }
        }
        ssize_t n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, MSG_DONTWAIT);
        if (n > 0)
            c->len += (size_t)n;
        else
            ssgw_evloop_run_once(l, 2);
    }
    return 0;
}

/* Next message that is not NTFY; its class/type must be as given. */
static size_t expect(ssgw_evloop *l, conn *c, uint8_t cls, uint8_t type, uint8_t *out)
{
    size_t n;
    while ((n = next_msg(l, c, out)) && out[2] == SSGW_M3UA_CLASS_MGMT &&
           out[3] == SSGW_M3UA_MGMT_NTFY)
        ;
    CHECK(n >= 8);
    if (n >= 8) {
        CHECK_INT(out[2], cls);
        CHECK_INT(out[3], type);
    }
    return n;
}

/* sls % 4: 0 forward, 1 forward with the last octet changed, 2 answer (echo), 3 drop. */
static int test_hook(void *ctx, ssgw_gw_msg *msg, ssgw_gw_action *act)
{
    (void)ctx;
    switch (msg->m3ua->protocol_data.sls % 4) {
    case 0:
        break;
    case 1:
    case 2:
        if (msg->len > act->out_cap) return -1;
        memcpy(act->out, msg->data, msg->len);
        act->out_len = msg->len;
        if (msg->m3ua->protocol_data.sls % 4 == 1) {
            const ssgw_m3ua_protocol_data *pd = &msg->m3ua->protocol_data;
            act->out[(size_t)(pd->data + pd->data_len - 1 - msg->data)] ^= 0xff;
            act->verdict = SSGW_GW_FORWARD_MODIFIED;
            act->reason = "test.modified";
        } else {
            act->verdict = SSGW_GW_ANSWER;
            act->reason = "test.answer";
        }
        break;
    default:
        act->verdict = SSGW_GW_DROP;
        act->reason = "test.drop";
        break;
    }
    return 0;
}

static void data_msg(ssgw_buf *b, uint8_t *mem, size_t cap, uint8_t sls)
{
    static const uint8_t payload[] = {0x09, 0x81, 0x03, 0x0e, 0x19, 0xde, 0xad, 0xbe, 0xef, 0x00};
    uint8_t pl[sizeof payload];
    memcpy(pl, payload, sizeof pl);
    pl[sizeof pl - 1] = sls;
    uint32_t rc = 10;
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    d.routing_context = &rc;
    d.n_routing_context = 1;
    d.pd.opc = 1;
    d.pd.dpc = 2;
    d.pd.si = 3;
    d.pd.ni = 2;
    d.pd.sls = sls;
    d.pd.data = pl;
    d.pd.data_len = sizeof pl;
    ssgw_buf_init(b, mem, cap);
    CHECK_INT(ssgw_m3ua_encode_data(b, &d), 0);
}

static void test_gateway_hook(void)
{
    uint16_t pa = free_port(), pb = free_port();
    char text[512], err[512];
    snprintf(text, sizeof text,
             "[[link]]\nname = \"out\"\nside = \"outer\"\nrole = \"sg\"\nlisten = "
             "\"127.0.0.1:%u\"\nrouting_contexts = [10]\n"
             "[[link]]\nname = \"in\"\nside = \"inner\"\nrole = \"sg\"\nlisten = "
             "\"127.0.0.1:%u\"\nrouting_contexts = [20]\n",
             pa, pb);
    ssgw_gw_config *cfg = ssgw_gw_config_parse("test.toml", text, strlen(text), err, sizeof err);
    CHECK(cfg != NULL);
    if (!cfg) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    ssgw_evloop *l = ssgw_evloop_new();
    ssgw_gw *g = ssgw_gw_new(l, cfg, err, sizeof err);
    CHECK(g != NULL);
    if (!g) {
        fprintf(stderr, "%s\n", err);
        ssgw_evloop_free(l);
        return;
    }
    ssgw_gw_set_inspector(g, test_hook, NULL);
    conn *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    a->fd = dial(l, pa);
    b->fd = dial(l, pb);
    CHECK(a->fd >= 0 && b->fd >= 0);
    uint8_t mem[512], in[65536];
    ssgw_buf m;
    const uint32_t rc10 = 10, rc20 = 20;
    conn *both[2] = {a, b};
    const uint32_t *rcs[2] = {&rc10, &rc20};
    for (int i = 0; i < 2; i++) {
        ssgw_buf_init(&m, mem, sizeof mem);
        ssgw_m3ua_encode_aspup(&m, NULL, NULL);
        put(both[i], &m);
        expect(l, both[i], SSGW_M3UA_CLASS_ASPSM, SSGW_M3UA_ASPSM_ASPUP_ACK, in);
        if (i == 1) {
            /* DATA while INACTIVE: ERR Unexpected Message (RFC 4666 4.3.4.3), counted */
            data_msg(&m, mem, sizeof mem, 0);
            put(b, &m);
            size_t n = expect(l, b, SSGW_M3UA_CLASS_MGMT, SSGW_M3UA_MGMT_ERR, in);
            ssgw_m3ua_msg e;
            ssgw_error er;
            CHECK(n && ssgw_m3ua_decode(in, n, &e, &er) == 0 &&
                  e.error_code == SSGW_M3UA_ERR_UNEXPECTED_MESSAGE);
        }
        ssgw_buf_init(&m, mem, sizeof mem);
        ssgw_m3ua_encode_aspac(&m, SSGW_M3UA_TMT_OVERRIDE, rcs[i], 1, NULL);
        put(both[i], &m);
        expect(l, both[i], SSGW_M3UA_CLASS_ASPTM, SSGW_M3UA_ASPTM_ASPAC_ACK, in);
    }
    for (uint8_t sls = 0; sls < 8; sls++) {
        data_msg(&m, mem, sizeof mem, sls);
        put(a, &m);
    }
    pump(l, 20);
    /* the inner side gets sls 0, 1, 4, 5 (1 and 5 changed), with its routing context */
    static const uint8_t fwd[] = {0, 1, 4, 5};
    for (size_t k = 0; k < sizeof fwd; k++) {
        size_t n = expect(l, b, SSGW_M3UA_CLASS_TRANSFER, SSGW_M3UA_TRANSFER_DATA, in);
        ssgw_m3ua_msg d;
        ssgw_error er;
        CHECK(n && ssgw_m3ua_decode(in, n, &d, &er) == 0);
        if (!n) break;
        CHECK_INT(d.protocol_data.sls, fwd[k]);
        CHECK_INT(ssgw_m3ua_u32_at(&d.routing_context, 0), 20);
        uint8_t last = d.protocol_data.data[d.protocol_data.data_len - 1];
        CHECK_INT(last, fwd[k] % 4 == 1 ? (uint8_t)(fwd[k] ^ 0xff) : fwd[k]);
    }
    /* the outer side gets its own sls 2 and 6 back */
    for (uint8_t sls = 2; sls < 8; sls += 4) {
        size_t n = expect(l, a, SSGW_M3UA_CLASS_TRANSFER, SSGW_M3UA_TRANSFER_DATA, in);
        data_msg(&m, mem, sizeof mem, sls);
        CHECK_MEM(in, n, m.data, m.len);
    }
    const ssgw_gw_counters *c = ssgw_gw_get_counters(g);
    CHECK_INT(c->data_in, 9); /* 8 + the one sent while INACTIVE */
    CHECK_INT(c->forwarded, 4);
    CHECK_INT(c->forwarded_modified, 2);
    CHECK_INT(c->answered, 2);
    CHECK_INT(c->dropped, 3);
    CHECK_INT(c->data_in, c->forwarded + c->answered + c->dropped);
    int seen = 0;
    for (size_t i = 0; i < c->n_reasons; i++) {
        if (!strcmp(c->reasons[i].reason, "test.drop")) seen += c->reasons[i].n == 2;
        if (!strcmp(c->reasons[i].reason, "test.answer")) seen += c->reasons[i].n == 2;
        if (!strcmp(c->reasons[i].reason, "m3ua.link_not_active")) seen += c->reasons[i].n == 1;
    }
    CHECK_INT(seen, 3);
    char js[8192];
    CHECK(ssgw_gw_status_json(g, js, sizeof js) > 0);
    CHECK(strstr(js, "\"asp_state\":\"active\"") != NULL);
    close(a->fd);
    close(b->fd);
    pump(l, 10);
    ssgw_gw_free(g);
    ssgw_evloop_free(l);
    free(a);
    free(b);
}

int main(void)
{
    RUN(test_event_mapping);
    RUN(test_sg);
    RUN(test_asp);
    RUN(test_common);
    RUN(test_pairs);
    RUN(test_err_codes);
    RUN(test_gateway_hook);
    return check_summary();
}
