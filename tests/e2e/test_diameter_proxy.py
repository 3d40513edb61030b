#!/usr/bin/env python3
"""The Diameter edge proxy of `ssgw run` with Python peers speaking the wire format of
RFC 6733 / TS 29.272 (tests/e2e/diamtest.py, written apart from the C code):

  capabilities exchange: CEA content; no common application (5010), Origin-Realm missing
  (5005), a message before the CER (closed); watchdog: DWR answered, a peer that never
  answers the gateway's DWR closed after two Tw; DPR answered and closed;
  routing: Destination-Host, Destination-Realm (the peer's CER realm and `realms`), default
  peer, REALM_NOT_SERVED (3003, E bit), UNABLE_TO_DELIVER (3002) when the peer is down;
  hop-by-hop ids mapped and answers routed back out of order; unknown answers dropped;
  Route-Record appended; LOOP_DETECTED (3005);
  malformed input: an AVP length past the message (5014), reserved AVP flags (3009), a
  message over max_message (5015), an unknown version or a length that is not a multiple of
  4 on TCP (closed), none of it crashes the gateway;
  caps: TOO_BUSY (3004) when the pending table is full, answers after answer_timeout_ms
  dropped; back pressure (a slow HSS: the MME is no longer read, nothing is lost);
  a reload keeps open connections; data_in = forwarded + answered + dropped throughout."""
import argparse
import http.client
import os
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gwtest  # noqa: E402
from diamtest import (APP_S6A, AUTH_APP_ID, CER, DPR, DWR, ERROR_MESSAGE, ORIGIN_HOST,  # noqa
                      ORIGIN_REALM, PRODUCT_NAME, ROUTE_RECORD, VENDOR_3GPP, VSAI, Peer, answer_to,
                      avp, dinvariant, find, find_all, group, message, parse, result_of, u32,
                      ulr, wait_for, write_config)
from gwtest import check, free_port, status  # noqa: E402

HOME = "epc.mnc001.mcc234.3gppnetwork.org"
OTHER = "epc.mnc005.mcc234.3gppnetwork.org"
VISITED = "epc.mnc002.mcc208.3gppnetwork.org"
MME = "mme1." + VISITED
IMSI = "234010000012345"


def counters(sock):
    return status(sock)["diameter"]["counters"]


def reason(sock, name):
    return counters(sock)["reasons"].get(name, 0)


def peer(sock, name):
    return [p for p in status(sock)["diameter"]["peers"] if p["name"] == name][0]


def is_open(sock, name):
    return lambda: peer(sock, name)["state"] in ("r-open", "i-open")


def run(args, work):
    sock = os.path.join(work, "gw.sock")
    ports = {n: free_port() for n in ("ipx", "hss1", "hss2", "other", "dflt", "slow", "junk")}
    http_port = free_port()

    def cfg(extra_realm=()):
        path = write_config(
            os.path.join(work, "gw.toml"),
            {"origin_host": "ssgw.home.example", "origin_realm": "home.example",
             "watchdog_ms": 60000, "answer_timeout_ms": 300, "max_pending": 16,
             "max_message": 4096},
            [{"name": "ipx", "side": "outer", "listen": "127.0.0.1:%d" % ports["ipx"]},
             {"name": "hss1", "side": "inner", "listen": "127.0.0.1:%d" % ports["hss1"]},
             {"name": "hss2", "side": "inner", "listen": "127.0.0.1:%d" % ports["hss2"]},
             {"name": "other", "side": "inner", "listen": "127.0.0.1:%d" % ports["other"],
              "realms": [OTHER] + list(extra_realm)},
             {"name": "dflt", "side": "inner", "listen": "127.0.0.1:%d" % ports["dflt"],
              "default_route": True},
             {"name": "slow", "side": "inner", "listen": "127.0.0.1:%d" % ports["slow"],
              "realms": ["slow.example"], "queue_bytes": 4096},
             {"name": "junk", "side": "inner", "listen": "127.0.0.1:%d" % ports["junk"],
              "realms": ["junk.example"]}],
            ['status_socket = "%s"' % sock])
        with open(path, "a") as f:
            f.write('\n[http]\nlisten = "127.0.0.1:%d"\n' % http_port)
        return path
    g = gwtest.gateway(args.ssgw, cfg(), sock, os.path.join(work, "gw.log"))
    addr = {n: ("127.0.0.1", p) for n, p in ports.items()}

    # ---- capabilities exchange ----
    hss1 = Peer("hss1." + HOME, HOME, connect=addr["hss1"])
    cea = hss1.cea
    check("CEA: DIAMETER_SUCCESS, the gateway's identity, S6a as Vendor-Specific-Application-Id",
          result_of(cea) == (2001, 0) and find(cea, ORIGIN_HOST) == b"ssgw.home.example" and
          find(cea, ORIGIN_REALM) == b"home.example" and find(cea, PRODUCT_NAME) and
          any(struct.pack(">I", APP_S6A) in d for d in find_all(cea, VSAI)), cea)
    hss2 = Peer("hss2." + HOME, HOME, connect=addr["hss2"])
    other = Peer("hss." + OTHER, OTHER, connect=addr["other"])
    dflt = Peer("hss.default.example", "default.example", connect=addr["dflt"])
    nogood = Peer("x.nowhere.example", "nowhere.example", connect=addr["ipx"], apps=(4,))
    check("CER without a common application: 5010 and the connection closed",
          result_of(nogood.cea)[0] == 5010 and nogood.closed(), nogood.cea)
    norealm = Peer("x.example", "r.example", connect=addr["ipx"], cer=False)
    norealm.send(message(CER, 0, [avp(ORIGIN_HOST, "x.example"),
                                  group(VSAI, u32(266, VENDOR_3GPP), u32(AUTH_APP_ID, APP_S6A))],
                         proxiable=False))
    r = norealm.recv_base()
    check("CER without Origin-Realm: DIAMETER_MISSING_AVP (5005), closed",
          r and result_of(r)[0] == 5005 and norealm.closed(), r)
    early = Peer("x.example", "r.example", connect=addr["ipx"], cer=False)
    early.send(ulr(MME, VISITED, HOME, IMSI, "208", "02"))
    check("a request before the CER: the connection is closed", early.closed())
    check("refusals counted", wait_for(lambda: reason(sock, "diameter.cer_refused") == 2, 5),
          counters(sock))
    mme = Peer(MME, VISITED, connect=addr["ipx"])
    check("MME open", wait_for(is_open(sock, "ipx"), 5))

    # ---- routing ----
    mme.send(ulr(MME, VISITED, HOME, IMSI, "208", "02", hbh=0x11111111))
    got = parse(hss1.recv())
    check("routed by Destination-Realm (the peer's CER realm), first open peer in file order",
          got["code"] == 316 and got["hbh"] != 0x11111111, got["hbh"])
    check("Route-Record appended with the MME's identity",
          find_all(got, ROUTE_RECORD) == [MME.encode()], find_all(got, ROUTE_RECORD))
    mme.send(ulr(MME, VISITED, HOME, IMSI, "208", "02", hbh=0x22, dest_host="hss2." + HOME))
    got2 = parse(hss2.recv())
    check("routed by Destination-Host", got2["code"] == 316)
    mme.send(ulr(MME, VISITED, OTHER, IMSI, "208", "02", hbh=0x33))
    got3 = parse(other.recv())
    check("routed by a configured realm", got3["code"] == 316)
    mme.send(ulr(MME, VISITED, "some.realm.example", IMSI, "208", "02", hbh=0x44))
    got4 = parse(dflt.recv())
    check("unknown realm to the default peer", got4["code"] == 316)
    # answers out of order, each to its original hop-by-hop id
    raw = {0x44: got4, 0x33: got3, 0x22: got2, 0x11111111: got}
    peers = {0x44: dflt, 0x33: other, 0x22: hss2, 0x11111111: hss1}
    for h in (0x44, 0x33, 0x22, 0x11111111):
        m = raw[h]
        ans = message(m["code"], m["app"], [u32(268, 2001), avp(ORIGIN_HOST, "h"),
                                            avp(ORIGIN_REALM, "r")],
                      request=False, hbh=m["hbh"], e2e=m["e2e"])
        peers[h].send(ans)
    back = [parse(mme.recv()) for _ in range(4)]
    check("answers routed back with the MME's hop-by-hop ids, out of order",
          [b["hbh"] for b in back] == [0x44, 0x33, 0x22, 0x11111111], [b["hbh"] for b in back])
    hss1.send(message(316, APP_S6A, [u32(268, 2001)], request=False, hbh=0xdead, e2e=1))
    check("an answer nobody asked for is dropped, counted",
          wait_for(lambda: reason(sock, "diameter.unknown_answer") == 1, 5))
    # errors the gateway answers itself
    dflt.close()
    check("default peer gone", wait_for(lambda: not is_open(sock, "dflt")(), 5))
    mme.send(ulr(MME, VISITED, "some.realm.example", IMSI, "208", "02", hbh=0x55))
    a = parse(mme.recv())
    check("its realm's only peer down: DIAMETER_UNABLE_TO_DELIVER (3002), E bit",
          result_of(a)[0] == 3002 and a["flags"] & 0x20 and a["hbh"] == 0x55, a)
    loop = ulr(MME, VISITED, HOME, IMSI, "208", "02", hbh=0x66)
    loop = loop + avp(ROUTE_RECORD, "ssgw.home.example")
    loop = struct.pack(">I", (1 << 24) | len(loop)) + loop[4:]
    mme.send(loop)
    a = parse(mme.recv())
    check("our own identity in Route-Record: DIAMETER_LOOP_DETECTED (3005)",
          result_of(a)[0] == 3005, a)

    # ---- malformed input ----
    bad = bytearray(ulr(MME, VISITED, HOME, IMSI, "208", "02", hbh=0x77))
    # the User-Name AVP's length says 4000 octets
    ofs = bad.find(IMSI.encode()) - 8
    bad[ofs + 5:ofs + 8] = (4000).to_bytes(3, "big")
    mme.send(bytes(bad))
    a = parse(mme.recv())
    check("an AVP length past the message: DIAMETER_INVALID_AVP_LENGTH (5014)",
          result_of(a)[0] == 5014 and a["hbh"] == 0x77, a)
    bad = bytearray(ulr(MME, VISITED, HOME, IMSI, "208", "02", hbh=0x78))
    bad[ofs + 4] |= 0x07
    mme.send(bytes(bad))
    a = parse(mme.recv())
    check("reserved AVP flag bits: DIAMETER_INVALID_AVP_BITS (3009)",
          result_of(a)[0] == 3009 and a["flags"] & 0x20, a)
    big = ulr(MME, VISITED, HOME, IMSI, "208", "02", hbh=0x79) + avp(ERROR_MESSAGE, "x" * 5000)
    big = struct.pack(">I", (1 << 24) | len(big)) + big[4:]
    mme.send(big)
    a = parse(mme.recv())
    check("a message over max_message: DIAMETER_INVALID_MESSAGE_LENGTH (5015)",
          result_of(a)[0] == 5015, a)
    check("the MME's connection survived all of it", is_open(sock, "ipx")())
    v2 = Peer("mme2." + VISITED, VISITED, connect=addr["ipx"], cer=False)
    check("second connection on an open peer refused", v2.closed())
    # a fresh peer for the stream-breaking garbage: version 2, then a length % 4 != 0
    for name, data in (("version 2", b"\x02\x00\x00\x14" + b"\x80\x00\x01\x3c" + b"\0" * 12),
                       ("length not a multiple of 4", b"\x01\x00\x00\x15" + b"\0" * 17)):
        x = Peer("h.example", HOME, connect=addr["junk"], cer=False)
        x.send(data)
        check("garbage (%s) on TCP: the connection is closed" % name, x.closed())
    check("framing garbage counted", reason(sock, "diameter.bad_framing") >= 2, counters(sock))

    # ---- caps: the pending table, the answer timeout ----
    codes = []
    for i in range(17):
        mme.send(ulr(MME, VISITED, OTHER, IMSI, "208", "02", hbh=0x1000 + i))
    fwd = [other.recv() for _ in range(16)]
    a = parse(mme.recv())
    codes.append(result_of(a)[0])
    check("17 requests, 16 pending slots: DIAMETER_TOO_BUSY (3004) for the last",
          codes == [3004] and a["hbh"] == 0x1010, (codes, a["hbh"]))
    time.sleep(0.4)  # past answer_timeout_ms: the mappings are gone (what is under test)
    for m in fwd:
        other.send(answer_to(m, 2001, other.host, other.realm))
    check("answers after answer_timeout_ms are dropped, the requests counted expired",
          wait_for(lambda: counters(sock)["expired"] >= 16 and
                   reason(sock, "diameter.unknown_answer") >= 17, 5), counters(sock))

    # ---- DWR and DPR from a peer ----
    hss2.send(message(DWR, 0, [avp(ORIGIN_HOST, hss2.host), avp(ORIGIN_REALM, HOME)],
                      proxiable=False, hbh=0x99, e2e=0x99))
    a = hss2.recv_base()
    while a and a["code"] != DWR:
        a = hss2.recv_base()
    check("DWR answered with DWA 2001", a and not a["request"] and result_of(a)[0] == 2001 and
          a["hbh"] == 0x99, a)
    hss2.send(message(DPR, 0, [avp(ORIGIN_HOST, hss2.host), avp(ORIGIN_REALM, HOME),
                               u32(273, 2)], proxiable=False, hbh=0x9a, e2e=0x9a))
    a = hss2.recv_base()
    while a and a["code"] != DPR:
        a = hss2.recv_base()
    check("DPR answered with DPA, then closed", a and result_of(a)[0] == 2001 and hss2.closed())

    # ---- reload ----
    before = peer(sock, "ipx")["connects"]
    cfg(extra_realm=["new.example"])
    g.send_signal(signal.SIGHUP)
    check("SIGHUP: reloaded", wait_for(lambda: status(sock)["counters"]["reloads"] == 1, 5))
    check("reload: the open connections are kept", peer(sock, "ipx")["connects"] == before and
          is_open(sock, "ipx")())
    mme.send(ulr(MME, VISITED, "new.example", IMSI, "208", "02", hbh=0x3000))
    check("reload: the new realm is routed", parse(other.recv())["hbh"] != 0x3000)

    st = status(sock)
    check("invariant: data_in = forwarded + answered + dropped", dinvariant(st),
          st["diameter"]["counters"])
    metrics_equal_status(sock, http_port, work)
    rc = gwtest.stop(g)
    check("the gateway stops cleanly (exit 0)", rc == 0, rc)


def metrics_equal_status(sock, port, work):
    """/metrics of the Diameter proxy: promtool's rules, and every counter of the status's
    `diameter` object under its Prometheus name (no message moves between the two reads)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/metrics")
    txt = c.getresponse().read().decode()
    c.close()
    st = status(sock)["diameter"]
    m = {}
    for line in txt.splitlines():
        if line and not line.startswith("#"):
            key, value = line.rsplit(" ", 1)
            m[key] = float(value)

    def mv(name, **labels):
        lab = ",".join('%s="%s"' % kv for kv in labels.items())
        return m.get("%s{%s}" % (name, lab) if lab else name)
    diff = []
    c = st["counters"]
    for k, n in [("data_in", "messages_received"), ("forwarded", "messages_forwarded"),
                 ("forwarded_modified", "messages_forwarded_modified"),
                 ("answered", "messages_answered"), ("dropped", "messages_dropped"),
                 ("alerts", "messages_alerted"), ("lost_in_queue", "messages_lost_in_queue"),
                 ("expired", "requests_expired"), ("backpressure", "backpressure_events")]:
        if mv("ssgw_diameter_%s_total" % n) != c[k]:
            diff.append((k, c[k], mv("ssgw_diameter_%s_total" % n)))
    pairs = [(c["requests_in"], mv("ssgw_diameter_messages_received_by_kind_total", kind="request")),
             (c["answers_in"], mv("ssgw_diameter_messages_received_by_kind_total", kind="answer")),
             (c["pending"], mv("ssgw_diameter_requests_pending")),
             (c["mgmt_in"], mv("ssgw_diameter_management_messages_total", direction="received")),
             (c["mgmt_out"], mv("ssgw_diameter_management_messages_total", direction="sent"))]
    pairs += [(n, mv("ssgw_diameter_messages_by_reason_total", reason=r))
              for r, n in c["reasons"].items()]
    for p in st["peers"]:
        for k, n in [("data_in", "messages_received"), ("data_out", "messages_sent"),
                     ("dropped", "messages_dropped"), ("connects", "connects"),
                     ("disconnects", "disconnects"), ("opened", "opened"), ("refused", "refused")]:
            pairs.append((p[k], mv("ssgw_diameter_peer_%s_total" % n, peer=p["name"],
                                   side=p["side"])))
        pairs.append((1 if p["state"] in ("i-open", "r-open") else 0,
                      mv("ssgw_diameter_peer_up", peer=p["name"])))
        pairs.append((1, mv("ssgw_diameter_peer_state", peer=p["name"], state=p["state"])))
    diff += [x for x in pairs if x[0] != x[1]]
    check("/metrics: every Diameter counter of the status under its Prometheus name "
          "(%d compared)" % (len(pairs) + 9), not diff and c["data_in"] > 0, diff[:6])
    if shutil.which("promtool"):
        p = subprocess.run(["promtool", "check", "metrics"], input=txt, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        check("/metrics with Diameter passes promtool check metrics",
              p.returncode == 0 and not (p.stdout + p.stderr).strip(), p.stdout + p.stderr)
    else:
        print("note: promtool missing: the Prometheus rules of /metrics not checked")


def backpressure(args, work):
    """A slow HSS (small receive window, reads late): the queue towards it fills, the MME is no
    longer read (counted), nothing is lost, every answer comes back in order."""
    sock = os.path.join(work, "bp.sock")
    pa, pb = free_port(), free_port()
    cfg = write_config(os.path.join(work, "bp.toml"),
                       {"origin_host": "ssgw.home.example", "origin_realm": "home.example"},
                       [{"name": "ipx", "side": "outer", "listen": "127.0.0.1:%d" % pa},
                        {"name": "slow", "side": "inner", "listen": "127.0.0.1:%d" % pb,
                         "queue_bytes": 4096}],
                       ['status_socket = "%s"' % sock])
    g = gwtest.gateway(args.ssgw, cfg, sock, os.path.join(work, "bp.log"))
    mme = Peer(MME, VISITED, connect=("127.0.0.1", pa))
    addr = {"slow": ("127.0.0.1", pb)}
    slow = Peer("hss1." + HOME, HOME, connect=addr["slow"], rcvbuf=4096)
    n, filler = 200, avp(9999, b"f" * 3500, vendor=VENDOR_3GPP, mandatory=False)

    def flood():
        for i in range(n):
            m = ulr(MME, VISITED, HOME, IMSI, "208", "02", hbh=0x2000 + i) + filler
            mme.send(struct.pack(">I", (1 << 24) | len(m)) + m[4:])
    sender = threading.Thread(target=flood, daemon=True)
    sender.start()
    check("back pressure: the queue to the slow HSS fills, the MME is no longer read",
          wait_for(lambda: counters(sock)["backpressure"] >= 1, 10), counters(sock))
    got = []
    while len(got) < n:
        m = slow.recv()
        if m is None:
            break
        got.append(parse(m)["hbh"])
        slow.send(answer_to(m, 2001, slow.host, slow.realm))
    sender.join(10)
    check("every request reached the slow HSS", len(got) == n, len(got))
    answers = [parse(mme.recv()) for _ in range(n)]
    check("and every answer came back, in order",
          [a["hbh"] for a in answers] == [0x2000 + i for i in range(n)])

    st = status(sock)
    check("back pressure: invariant, nothing dropped", dinvariant(st) and
          st["diameter"]["counters"]["dropped"] == 0, st["diameter"]["counters"])
    gwtest.stop(g)


def watchdog(args, work):
    """A second gateway with a short Tw: a peer that never answers the DWR is closed after
    two Tw; one that answers stays open."""
    sock = os.path.join(work, "wd.sock")
    pa, pb = free_port(), free_port()
    cfg = write_config(os.path.join(work, "wd.toml"),
                       {"origin_host": "ssgw.home.example", "origin_realm": "home.example",
                        "watchdog_ms": 300},
                       [{"name": "deaf", "side": "outer", "listen": "127.0.0.1:%d" % pa},
                        {"name": "live", "side": "inner", "listen": "127.0.0.1:%d" % pb}],
                       ['status_socket = "%s"' % sock])
    g = gwtest.gateway(args.ssgw, cfg, sock, os.path.join(work, "wd.log"))
    deaf = Peer(MME, VISITED, connect=("127.0.0.1", pa))
    live = Peer("hss1." + HOME, HOME, connect=("127.0.0.1", pb))
    live.s.settimeout(10)
    answering = threading.Thread(target=live.recv, daemon=True)  # answers DWRs meanwhile
    answering.start()
    m = deaf.read()  # the gateway's DWR after Tw; never answered
    check("the gateway sends DWR after watchdog_ms without traffic",
          m is not None and parse(m)["code"] == DWR and parse(m)["request"])
    check("no DWA for two Tw: the connection is closed", deaf.closed())
    check("watchdog-lost in the log", wait_for(lambda: "(watchdog-lost)" in
                                               gwtest.text(os.path.join(work, "wd.log")), 5))
    wait_for(lambda: [x for x in status(sock)["diameter"]["peers"]
                      if x["name"] == "live"][0]["mgmt_in"] >= 4, 5)
    p = [x for x in status(sock)["diameter"]["peers"] if x["name"] == "live"][0]
    check("a peer answering the DWRs stays open", p["state"] == "r-open" and
          p["disconnects"] == 0 and p["mgmt_in"] >= 3, p)
    gwtest.stop(g)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    try:
        run(args, args.workdir)
        watchdog(args, args.workdir)
        backpressure(args, args.workdir)
    finally:
        gwtest.kill_all()
    return gwtest.summary()


if __name__ == "__main__":
    sys.exit(main())
