#!/usr/bin/env python3
"""End-to-end tests of the gateway's HTTP surfaces ([http], include/ssgw/gw_http.h): a real
`ssgw run` with the example policy between `ssgw peer` processes on 127.0.0.1, bounded in
time and count.

- /metrics scraped while a labelled attack capture flows: every page passes `promtool check
  metrics` (Debian `prometheus`), the numbers move between scrapes, and once the traffic has
  stopped every counter equals the one `ssgw status` shows (gateway, links, reasons,
  verdicts, actions, checks, partners, state store, 401s).
- the management API refuses requests without a token or with a wrong one (401, counted)
  and works with one: status (the same object as the status socket), reload, a partner
  switched off drops that partner's traffic (partner.disabled), the switch survives SIGHUP
  and is reset; the event stream (Server-Sent Events) delivers a blocked message live.
- the risk API: false for an untouched number, true (blocked_attack, with the time) after
  an SMS routing interrogation from an unknown origin aimed at a subscriber; its own
  credentials (the API token is refused), malformed queries 400, the per-client rate limit
  429, one audit line per query.

Usage: test_http.py --ssgw BIN --source REPO --workdir DIR [--workers N]
Exit 77 when promtool is not installed (scripts/deps installs the prometheus package).
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

import gwtest
from gwtest import check, finish, free_port, gateway, kill_all, start, status, stop, summary, text

API_TOKEN = "ops-0123456789abcdef0123456789"
RISK_TOKEN = "bank-a-ZmVkY2JhOTg3NjU0MzIx"
HOME_HLR = "447924000001"
RISK_RATE = 8


def req(port, method, path, token=None, body=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        h["Authorization"] = "Bearer " + token
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read().decode()
    c.close()
    return r.status, data, r


def metrics(port):
    st, body, _ = req(port, "GET", "/metrics")
    return body if st == 200 else ""


def parse_prom(txt):
    out = {}
    for line in txt.splitlines():
        if not line or line.startswith("#"):
            continue
        name_labels, value = line.rsplit(" ", 1)
        labels = {}
        if "{" in name_labels:
            name, rest = name_labels.split("{", 1)
            for part in rest.rstrip("}").split('",'):
                if not part:
                    continue
                k, v = part.split("=", 1)
                labels[k] = v.strip('"')
        else:
            name = name_labels
        out[(name, tuple(sorted(labels.items())))] = float(value)
    return out


def mv(m, name, **labels):
    return m.get((name, tuple(sorted(labels.items()))))


def promtool(txt, work, n):
    path = os.path.join(work, "scrape%d.prom" % n)
    with open(path, "w") as f:
        f.write(txt)
    p = subprocess.run(["promtool", "check", "metrics"], input=txt, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    return p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(), p.stdout + p.stderr


def peer(ssgw, port, work, name, args):
    return start([ssgw, "peer", "--connect", "127.0.0.1:%d" % port, "-q", "--linger", "300",
                  "--duration", "20000"] + args, os.path.join(work, name + ".log"))


def keep_frames(path, keep):
    """Rewrites the pcap at path with only the records i where keep[i]; returns how many."""
    d = open(path, "rb").read()
    off, out, i = 24, [d[:24]], 0
    while off + 16 <= len(d):
        il = struct.unpack("<I", d[off + 8:off + 12])[0]
        if keep[i]:
            out.append(d[off:off + 16 + il])
        off, i = off + 16 + il, i + 1
    with open(path, "wb") as f:
        f.write(b"".join(out))
    return len(out) - 1


def settle(sock, want_in, timeout=20):
    """The status once want_in DATA messages were judged and none is in flight."""
    end = time.time() + timeout
    st = status(sock)
    while time.time() < end:
        st = status(sock)
        c = st["counters"]
        if c["data_in"] >= want_in and c["in_flight"] == 0:
            return st
        time.sleep(0.05)
    return st


def send_one(ssgw, po, work, name, sock, args):
    """One request from the interconnect; returns the counters before and after."""
    before = status(sock)["counters"]
    p = peer(ssgw, po, work, name, args + ["--count", "1"])
    finish(p, 30)
    after = settle(sock, before["data_in"] + 1)["counters"]
    return before, after


def compare(m, st):
    """Every status counter that /metrics carries, side by side; returns the differences."""
    diff = []

    def eq(what, a, b):
        if a is None or b is None or float(a) != float(b):
            diff.append((what, a, b))
    c = st["counters"]
    for k, n in [("data_in", "received"), ("forwarded", "forwarded"),
                 ("forwarded_modified", "forwarded_modified"), ("answered", "answered"),
                 ("dropped", "dropped"), ("alerts", "alerted"), ("lost_in_queue", "lost_in_queue")]:
        eq(k, c[k], mv(m, "ssgw_data_messages_%s_total" % n))
    for k, n in [("err_sent", "ssgw_m3ua_errors_sent_total"),
                 ("err_received", "ssgw_m3ua_errors_received_total"),
                 ("ntfy_received", "ssgw_m3ua_notify_received_total"),
                 ("ssnm_relayed", "ssgw_m3ua_ssnm_relayed_total"),
                 ("daud_answered", "ssgw_m3ua_daud_answered_total"),
                 ("backpressure", "ssgw_backpressure_events_total"),
                 ("reloads", "ssgw_reloads_total"), ("reload_failures", "ssgw_reload_failures_total"),
                 ("status_refused", "ssgw_status_refused_total"),
                 ("beat_lost", "ssgw_links_beat_lost_total"),
                 ("in_flight", "ssgw_data_messages_in_flight")]:
        eq(k, c[k], mv(m, n))
    eq("mgmt_in", c["mgmt_in"], mv(m, "ssgw_m3ua_management_messages_total", direction="received"))
    eq("mgmt_out", c["mgmt_out"], mv(m, "ssgw_m3ua_management_messages_total", direction="sent"))
    for r, n in c["reasons"].items():
        eq("reason " + r, n, mv(m, "ssgw_data_messages_by_reason_total", reason=r))
    for l in st["links"]:
        lab = dict(link=l["name"], side=l["side"],
                   direction="inbound" if l["side"] == "outer" else "outbound")
        for k, n in [("data_in", "data_messages_received"), ("data_out", "data_messages_sent"),
                     ("dropped", "data_messages_dropped"),
                     ("mgmt_in", "management_messages_received"),
                     ("mgmt_out", "management_messages_sent"), ("err_sent", "errors_sent"),
                     ("err_received", "errors_received"), ("connects", "connects"),
                     ("disconnects", "disconnects"), ("backpressure", "backpressure_events"),
                     ("path_failures", "path_failures"),
                     ("path_recoveries", "path_recoveries")]:
            eq("link %s %s" % (l["name"], k), l[k], mv(m, "ssgw_link_%s_total" % n, **lab))
        for state in ("active", "inactive", "unconfirmed", "potentially-failed"):
            eq("link %s paths %s" % (l["name"], state),
               sum(1 for p in l["paths"] if p["state"] == state),
               mv(m, "ssgw_link_peer_paths", link=l["name"], state=state))
        for r, n in l["admission"].items():
            eq("link %s admission %s" % (l["name"], r), n,
               mv(m, "ssgw_link_admission_refusals_total", link=l["name"], reason=r))
        for r, n in l.get("rkm", {}).items():
            eq("link %s rkm %s" % (l["name"], r), n,
               mv(m, "ssgw_link_rkm_requests_total", link=l["name"], outcome=r))
        if "routing_keys" in l:
            eq("link %s routing keys" % l["name"], len(l["routing_keys"]),
               mv(m, "ssgw_link_rkm_routing_keys", link=l["name"]))
        eq("link %s queue" % l["name"], l["queue_bytes"],
           mv(m, "ssgw_link_queue_bytes", link=l["name"]))
        eq("link %s up" % l["name"], 1 if l["association"] == "up" else 0,
           mv(m, "ssgw_link_up", link=l["name"]))
        eq("link %s asp" % l["name"], 1, mv(m, "ssgw_link_asp_state", link=l["name"],
                                           state=l["asp_state"]))
    pl = st["pipeline"]
    eq("inbound", pl["inbound"], mv(m, "ssgw_inspected_messages_total", direction="inbound"))
    eq("outbound", pl["outbound"], mv(m, "ssgw_inspected_messages_total", direction="outbound"))
    for k, n in pl["verdicts"].items():
        eq("verdict " + k, n, mv(m, "ssgw_firewall_verdicts_total", verdict=k))
    for k, n in pl["actions"].items():
        eq("action " + k, n, mv(m, "ssgw_pipeline_actions_total", action=k))
    for k, n in pl["checks"].items():
        eq("check " + k, n, mv(m, "ssgw_check_objections_total", check=k))
    for k, v in pl["partners"].items():
        eq("partner " + k, v["messages"], mv(m, "ssgw_partner_messages_total", partner=k))
        eq("partner refused " + k, v["refused"],
           mv(m, "ssgw_partner_refused_messages_total", partner=k))
    for t, v in pl["store"].items():
        if t == "bytes":
            eq("store bytes", v, mv(m, "ssgw_store_memory_bytes"))
            continue
        eq("store %s used" % t, v["used"], mv(m, "ssgw_store_records", table=t))
        eq("store %s capacity" % t, v["capacity"], mv(m, "ssgw_store_capacity_records", table=t))
        eq("store %s inserts" % t, v["inserts"], mv(m, "ssgw_store_inserts_total", table=t))
        eq("store %s evictions" % t, v["evictions"], mv(m, "ssgw_store_evictions_total", table=t))
    for s, n in st["http"]["unauthorized"].items():
        eq("401 " + s, n, mv(m, "ssgw_http_unauthorized_total", surface=s))
    return diff


def sse_open(port, token):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
               % token).encode())
    return s


def sse_wait(s, pred, timeout=10):
    """Reads the stream until an event whose data satisfies pred; returns it or None."""
    buf, end = b"", time.time() + timeout
    while time.time() < end:
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
        for line in buf.decode(errors="replace").splitlines():
            if line.startswith("data: "):
                try:
                    e = json.loads(line[6:])
                except ValueError:
                    continue
                if pred(e):
                    return e
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--workers", type=int, default=0)
    a = ap.parse_args()
    if not shutil.which("promtool"):
        print("SKIP: promtool missing (apt-get install prometheus, or scripts/deps)")
        return 77
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    work, ssgw = a.workdir, a.ssgw
    gwtest.WORKERS = a.workers
    for name, line in (("api.tokens", "ops " + API_TOKEN), ("risk.tokens", "bank-a " + RISK_TOKEN)):
        with open(os.path.join(work, name), "w") as f:
            f.write("# test clients\n%s\n" % line)
    po, pi, ph = free_port(), free_port(), free_port()
    sock = os.path.join(work, "gw.sock")
    links = [{"name": "interconnect", "side": "outer", "role": "sg",
              "listen": "127.0.0.1:%d" % po},
             {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}]
    http_lines = ["", "[http]", 'listen = "127.0.0.1:%d"' % ph, 'tokens = "api.tokens"',
                  'risk_tokens = "risk.tokens"', 'risk_audit = "risk-audit.jsonl"',
                  "risk_rate = %d" % RISK_RATE]
    cfg = gwtest.write_config(os.path.join(work, "gw.toml"), links,
                              ['status_socket = "%s"' % sock,
                               'policy = "%s"' % os.path.join(a.source, "examples", "ssgw.conf")]
                              + http_lines)
    # a token file others can read is refused at start-up, naming the file and the fix
    os.chmod(os.path.join(work, "api.tokens"), 0o644)
    p = subprocess.run([ssgw, "run", "--config", cfg], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=30)
    check("a token file readable by others is refused", p.returncode == 2
          and "mode 0644" in p.stderr and "chmod 600" in p.stderr, p.stderr)
    os.chmod(os.path.join(work, "api.tokens"), 0o600)
    os.chmod(os.path.join(work, "risk.tokens"), 0o600)
    g = gateway(ssgw, cfg, sock, os.path.join(work, "gw.log"))
    check("gateway with [http] starts", g.poll() is None, text(g.logfile))
    # the inner side only receives (no simulated element answers): every DATA message the
    # gateway sees is one the test sent
    inner = start([ssgw, "peer", "--connect", "127.0.0.1:%d" % pi, "-q",
                   "--duration", "240000", "--linger", "240000"], os.path.join(work, "inner.log"))
    for _ in range(100):
        if status(sock)["links"][1]["asp_state"] == "active":
            break
        time.sleep(0.05)

    # ---- /metrics during traffic ----
    pcap, lab = os.path.join(work, "attack.pcap"), os.path.join(work, "attack.labels.jsonl")
    p = subprocess.run([ssgw, "attack", "--seed", "7", "--count", "600", "--attack-ratio", "0.3",
                        "--duration", "0.02", "--labels", lab, "-q", pcap],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check("attack capture generated", p.returncode == 0, p.stderr)
    # without its calls: the peers answer every REL with RLC (Q.764), which would add DATA
    # messages the test did not send; the call handling is proven in e2e.cli_gateway
    n_sent = keep_frames(pcap, [json.loads(l).get("isup") is None for l in open(lab)])
    rp = peer(ssgw, po, work, "replay", ["--replay", pcap, "--rate", "400"])
    scrapes, ok_all, bad = [], True, ""
    while rp.poll() is None and len(scrapes) < 40:
        txt = metrics(ph)
        ok, out = promtool(txt, work, len(scrapes))
        ok_all &= ok
        bad = bad or out
        scrapes.append(parse_prom(txt))
        time.sleep(0.1)
    check("replay finished", finish(rp, 60) == 0, text(os.path.join(work, "replay.log"))[-800:])
    seen = [mv(s, "ssgw_data_messages_received_total") for s in scrapes]
    check("metrics scraped during traffic: several scrapes", len(scrapes) >= 3, len(scrapes))
    check("every scrape passes promtool check metrics", ok_all, bad[:2000])
    check("live numbers move between scrapes during traffic",
          len(set(seen)) >= 2 and seen == sorted(seen), seen)
    st = settle(sock, n_sent)
    txt = metrics(ph)
    ok, out = promtool(txt, work, 99)
    check("scrape after traffic passes promtool", ok, out)
    m = parse_prom(txt)
    st = status(sock)
    check("traffic judged: every frame sent in, some blocked", st["counters"]["data_in"] == n_sent
          and st["counters"]["dropped"] + st["counters"]["answered"] > 0, st["counters"])
    d = compare(m, st)
    check("every /metrics counter equals ssgw status", not d, d[:20])
    lat = mv(m, "ssgw_message_latency_seconds_count", lane="0")
    check("latency histogram counts every message of lane 0 (or of every lane)",
          sum(v for (n, l), v in m.items() if n == "ssgw_message_latency_seconds_count") == n_sent
          and lat is not None, lat)
    check("metrics: trust-free policy shows no trust families",
          not any(n.startswith("ssgw_trust_") for n, _ in m))

    # ---- the management API ----
    s1, _, r1 = req(ph, "GET", "/api/v1/status")
    s2, _, _ = req(ph, "GET", "/api/v1/status", token="not-a-token-0123456789")
    s3, _, _ = req(ph, "GET", "/api/v1/status", token=RISK_TOKEN)
    check("API without a token: 401 with WWW-Authenticate", s1 == 401
          and "Bearer" in (r1.getheader("WWW-Authenticate") or ""), s1)
    check("API with a wrong token, or the risk API's: 401", s2 == 401 and s3 == 401, (s2, s3))
    s, body, _ = req(ph, "GET", "/api/v1/status", token=API_TOKEN)
    api_st = json.loads(body) if s == 200 else {}
    check("API status with the token: the status socket's object", s == 200
          and api_st.get("counters", {}).get("data_in") == n_sent
          and set(api_st) == set(status(sock)), (s, body[:300]))
    st = status(sock)
    check("401s counted in the status", st["http"]["unauthorized"]["api"] == 3, st["http"])
    d = compare(parse_prom(metrics(ph)), status(sock))
    check("401s counted in /metrics too", not d, d[:10])
    check("nothing in the API serves files or keys",
          all(req(ph, "GET", p, token=API_TOKEN)[0] == 404
              for p in ("/api/v1/keys", "/api/v1/../../etc/passwd", "/api/v1/config",
                        "/api/v1/policy")))

    # a partner switched off: its traffic is dropped, the switch survives SIGHUP, then reset
    ul = ["--send", "updateLocation", "--to", HOME_HLR, "--from", "254722000010", "--opc",
          "2001", "--dpc", "1001", "--imsi", "234910000012345"]
    b, c = send_one(ssgw, po, work, "ul1", sock, ul)
    check("a Safari location update is forwarded", c["forwarded"] == b["forwarded"] + 1, (b, c))
    s, body, _ = req(ph, "POST", "/api/v1/partners/Safari%20Mobile/disable", token=API_TOKEN)
    check("switch partner off: 200", s == 200 and json.loads(body).get("state") == "off", body)
    s, _, _ = req(ph, "POST", "/api/v1/partners/Nobody/disable", token=API_TOKEN)
    check("switch an unknown partner: 404", s == 404, s)
    b, c = send_one(ssgw, po, work, "ul2", sock, ul)
    check("its traffic is dropped as partner.disabled", c["dropped"] == b["dropped"] + 1 and
          c["reasons"].get("partner.disabled", 0) == b["reasons"].get("partner.disabled", 0) + 1,
          (b, c))
    s, body, _ = req(ph, "POST", "/api/v1/reload", token=API_TOKEN)
    check("reload through the API", s == 200 and status(sock)["counters"]["reloads"] == 1, body)
    g.send_signal(signal.SIGHUP)
    for _ in range(100):
        if status(sock)["counters"]["reloads"] == 2:
            break
        time.sleep(0.05)
    sw = status(sock)["pipeline"]["switches"]
    check("the switch survives API reload and SIGHUP (shown in the status)",
          sw == [{"kind": "partner", "name": "Safari Mobile", "state": "off", "applies": True}], sw)
    b, c = send_one(ssgw, po, work, "ul3", sock, ul)
    check("after the reloads the partner is still off", c["dropped"] == b["dropped"] + 1, (b, c))
    check("metrics: the partner shows switched off",
          mv(parse_prom(metrics(ph)), "ssgw_partner_enabled", partner="Safari Mobile") == 0)
    s, _, _ = req(ph, "POST", "/api/v1/partners/Safari%20Mobile/reset", token=API_TOKEN)
    b, c = send_one(ssgw, po, work, "ul4", sock, ul)
    check("reset: the partner's traffic flows again", s == 200 and
          c["forwarded"] == b["forwarded"] + 1 and status(sock)["pipeline"]["switches"] == [],
          (s, b, c))
    s, body, _ = req(ph, "POST", "/api/v1/checks/sms.sri_sm_origin/disable", token=API_TOKEN)
    s2, _, _ = req(ph, "POST", "/api/v1/checks/sms.sri_sm_origin/reset", token=API_TOKEN)
    check("switch a check off and back", s == 200 and s2 == 200, body)

    # ---- the risk API and the event stream ----
    victim, bystander = "447924555001", "447924555002"

    def risk(number, token=RISK_TOKEN, path="check", max_age=24):
        body = json.dumps({"phoneNumber": "+" + number, "maxAge": max_age})
        return req(ph, "POST", "/interception-risk/v0/" + path, token=token, body=body)
    queries = 0
    s, body, _ = risk(victim)
    queries += 1
    check("risk: an untouched number is not at risk", s == 200
          and json.loads(body) == {"atRisk": False}, (s, body))
    ev = sse_open(ph, API_TOKEN)
    t_attack = time.time()
    b, c = send_one(ssgw, po, work, "srism", sock,
                    ["--send", "sendRoutingInfoForSM", "--to", HOME_HLR, "--from", "19995550000",
                     "--msisdn", victim])
    check("the SMS routing interrogation from an unknown origin is blocked",
          c["dropped"] + c["answered"] == b["dropped"] + b["answered"] + 1, (b, c))
    e = sse_wait(ev, lambda e: e.get("blocked") and e.get("calling_gt") == "19995550000")
    ev.close()
    check("the event stream delivers the blocked message live", e is not None
          and e.get("operation") == "sendRoutingInfoForSM" and e.get("check"), e)
    s, body, _ = risk(victim)
    queries += 1
    r = json.loads(body) if s == 200 else {}
    t_event = r.get("latestEventTime", "")
    check("risk: after the interception attempt the number is at risk",
          s == 200 and r.get("atRisk") is True and r.get("latestEventKind") == "blocked_attack"
          and t_event.endswith("Z") and
          abs(time.mktime(time.strptime(t_event[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
              - t_attack) < 30, (s, body))
    check("risk: no signalling in the answer", set(r) == {"atRisk", "latestEventTime",
                                                          "latestEventKind"}, r)
    s, body, _ = risk(bystander)
    queries += 1
    check("risk: another subscriber stays false", s == 200 and json.loads(body)["atRisk"] is False,
          body)
    s, body, _ = risk(victim, path="retrieve-date")
    queries += 1
    check("risk: retrieve-date gives the time and kind", s == 200
          and json.loads(body).get("latestEventTime") == t_event, body)
    s, _, _ = risk(victim, token=API_TOKEN)
    check("risk: the management token is not a risk credential (401)", s == 401, s)
    s, _, _ = risk(victim, token=None)
    check("risk: without credentials 401", s == 401, s)
    s, body, _ = req(ph, "POST", "/interception-risk/v0/check", token=RISK_TOKEN,
                     body='{"phoneNumber": "447924555001"}')
    queries += 1
    check("risk: a number without '+' is 400 INVALID_ARGUMENT", s == 400
          and json.loads(body).get("code") == "INVALID_ARGUMENT", body)
    codes = []
    while len(codes) < RISK_RATE + 2:
        codes.append(risk(bystander)[0])
    queries += len(codes)
    check("risk: the per-client rate limit answers 429", 429 in codes
          and codes.index(429) <= RISK_RATE - 4, codes)
    audit = gwtest.records(os.path.join(work, "risk-audit.jsonl"))
    check("risk: one audit line per query, naming the client and the number",
          len(audit) == queries and all(x.get("client") == "bank-a" for x in audit)
          and audit[1].get("phoneNumber") == "+" + victim and audit[1].get("atRisk") is True,
          (len(audit), queries, audit[:2]))
    st = status(sock)
    check("risk: queries and 401s counted", st["http"]["unauthorized"]["risk"] == 2
          and st["http"]["risk_queries"]["bank-a"]["at_risk"] == 2
          and st["http"]["risk_queries"]["bank-a"]["rate_limited"] >= 1, st["http"])
    d = compare(parse_prom(metrics(ph)), status(sock))
    check("after everything, /metrics still equals ssgw status", not d, d[:10])

    inner.kill()
    finish(inner, 5)
    check("graceful stop with HTTP clients gone", stop(g) == 0, text(g.logfile)[-1500:])
    return summary()


if __name__ == "__main__":
    try:
        rc = main()
    finally:
        kill_all()
    sys.exit(rc)
