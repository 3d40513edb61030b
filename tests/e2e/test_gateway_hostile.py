#!/usr/bin/env python3
"""The gateway on a hostile interconnect: who may hold a link, and the status socket
(docs/operations.md "Link admission", "Status socket"). Real processes over TCP on
127.0.0.0/8, every hostile peer bounded in time; every wait is on the gateway's status.

(a) a slow peer (one byte every 50 ms, never an ASPUP) holding a listening link is closed
    when aspup_timeout_ms passes; the real partner's association replaces one that never
    reached ASP-UP; a second association while the partner is up is refused and the
    partner's association is untouched (its traffic still flows);
(b) a peer outside `allow` is refused at once, counted and logged with its address, while
    an allowed address (127.0.0.2) gets in;
(c) an association that delivers no complete message for idle_timeout_ms is closed;
(e) a flood of first segments that never finish on one link (1,200 of them: more than the
    whole reassembly table) does not stop another link's segmented messages: each link has
    its own reassembly quota and key;
(f) a flood from 1,000 calling GTs on one link, into a bucket table of 8, does not reset
    the rate limit of a GT on another link: the limited sender stays limited, the flood's
    extra keys are refused by the store (counted), none is evicted;
(g) a flood of dialogues with one partner (its Begins answered by our network with
    Continues, 2,000 of them into a dialogue table of 64) does not push out another
    partner's open dialogue: that partner's End still passes, and a dialogue opened with it
    after the flood still works, while an End naming no dialogue is still refused;
(h) the same for SRI-SM marks: our HLR answering 2,000 SRI-SMs of one partner (into a mark
    table of 64) does not push out the mark of another partner's SRI-SM, so that partner's
    mt-forwardSM still passes, while one with no SRI-SM before it is still refused;
(i) the same for subscriber locations: a partner's location updates for 2,000 invented
    subscribers (into a table of 64) do not push out the location another partner's VLR
    gave our subscriber, so the partner's location update for that subscriber seconds later
    is still caught as impossible travel (cat3.velocity);
(d) the status socket is 0600, refuses a user that is not root, the gateway's own or
    allowed (when the test runs as root: a child process as `nobody`), and a status_socket
    path that is not a socket stops the start-up without touching the file.

Usage: test_gateway_hostile.py --ssgw BIN --workdir DIR
"""
import argparse
import os
import shutil
import socket
import stat
import struct
import subprocess
import sys
import threading
import time

from gwtest import (Asp, check, free_port, gateway, kill_all, link, pcap_frames, status, stop,
                    summary, text, wait_for, write_config)






def m3ua_data(rc, seq):
    """A DATA message (RC, protocol data with a routing label and a payload) for traffic."""
    pd = struct.pack(">IIBBBB", 2001, 1001, 3, 0, 0, seq & 15) + b"\x09\x80\x03\x05\x07" + \
        bytes([seq & 255]) * 20
    body = struct.pack(">HHI", 0x0006, 8, rc)
    pl = 4 + len(pd)
    body += struct.pack(">HH", 0x0210, pl) + pd + b"\0" * ((4 - pl % 4) % 4)
    return struct.pack(">BBBBI", 1, 0, 1, 1, 8 + len(body)) + body


class Trickler(threading.Thread):
    """Connects and sends one byte every 50 ms of an ASPUP that claims 4 KiB: it never ends."""

    def __init__(self, port, src="127.0.0.1"):
        super().__init__(daemon=True)
        self.s = socket.socket()
        self.s.bind((src, 0))
        self.s.connect(("127.0.0.1", port))
        self.closed = threading.Event()
        self.start()

    def run(self):
        msg = struct.pack(">BBBBI", 1, 0, 3, 1, 4096) + b"\0" * 4088
        end = time.time() + 30
        i = 0
        while time.time() < end and i < len(msg) - 1:
            try:
                self.s.send(msg[i:i + 1])
                self.s.settimeout(0.05)
                if self.s.recv(1) == b"":
                    break
            except socket.timeout:
                pass
            except OSError:
                break
            i += 1
        self.closed.set()


def test_admission(a, work):
    pi, po = free_port(), free_port()
    sock = os.path.join(work, "adm.sock")
    cfg = write_config(os.path.join(work, "adm.toml"), [
        {"name": "ic", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po,
         "routing_contexts": [10], "allow": ["127.0.0.0/24"], "aspup_timeout_ms": 500},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi,
         "routing_contexts": [20]}],
        ['status_socket = "%s"' % sock, "drop_malformed = false"])  # the test's DATA is opaque
    g = gateway(a.ssgw, cfg, sock, os.path.join(work, "adm-gw.log"))
    check("gateway starts", g.poll() is None, text(g.logfile))
    # (a) a slow peer alone: closed when the ASP-UP deadline passes
    t = Trickler(po)
    st = wait_for(sock, lambda s: s["counters"]["admission"]["aspup_timeout"] == 1)
    check("(a) a peer that never sends a whole ASPUP is closed after aspup_timeout_ms",
          st is not None and t.closed.wait(5), st and st["counters"]["admission"])
    # the slow peer again, then the real partner: it replaces the one that never reached ASP-UP
    t2 = Trickler(po)
    wait_for(sock, lambda s: link(s, "ic")["association"] == "up")
    inner = Asp(pi, 20)
    partner = Asp(po, 10)
    st = wait_for(sock, lambda s: link(s, "ic")["asp_state"] == "active")
    check("(a) the real partner takes the link from a peer that never reached ASP-UP",
          st is not None and t2.closed.wait(5), st and link(st, "ic"))
    connects = link(status(sock), "ic")["connects"]
    # a second association while the partner is up: refused, the partner untouched
    t3 = Trickler(po)
    st = wait_for(sock, lambda s: s["counters"]["admission"]["busy"] >= 1)
    check("(a) a second association while the partner is up is refused (admission.busy)",
          st is not None and t3.closed.wait(5) and link(st, "ic")["asp_state"] == "active"
          and link(st, "ic")["connects"] == connects, st and link(st, "ic"))
    for i in range(5):
        partner.send_raw(m3ua_data(10, i))
    got = [inner.data(5) for _ in range(5)]
    check("(a) the partner's traffic still flows", all(got), got)
    log = text(g.logfile)
    check("(a) refusals logged with the peer's address",
          "refused while the first is up: 127.0.0.1:" in log
          and "no ASP-UP in time from 127.0.0.1:" in log, log[-800:])
    partner.s.close()
    inner.s.close()
    stop(g)


def test_allow_and_idle(a, work):
    po, pq = free_port(), free_port()
    sock = os.path.join(work, "allow.sock")
    cfg = write_config(os.path.join(work, "allow.toml"), [
        {"name": "only2", "side": "outer", "role": "sg", "listen": "0.0.0.0:%d" % po,
         "routing_contexts": [10], "allow": ["127.0.0.2"]},
        {"name": "idle", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pq,
         "routing_contexts": [20], "idle_timeout_ms": 600}],
        ['status_socket = "%s"' % sock])
    g = gateway(a.ssgw, cfg, sock, os.path.join(work, "allow-gw.log"))
    check("gateway starts", g.poll() is None, text(g.logfile))
    # (b) 127.0.0.1 is not in allow
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.connect(("127.0.0.1", po))
    s.settimeout(5)
    try:
        closed = s.recv(1) == b""
    except OSError:
        closed = True
    s.close()
    st = wait_for(sock, lambda x: x["counters"]["admission"]["not_allowed"] == 1)
    check("(b) a peer outside `allow` is closed at once and counted",
          closed and st is not None and link(st, "only2")["admission"]["not_allowed"] == 1,
          st and st["counters"]["admission"])
    check("(b) ... and logged with its address",
          "not in `allow`: 127.0.0.1:" in text(g.logfile), text(g.logfile)[-600:])
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    s.connect(("127.0.0.1", po))
    st = wait_for(sock, lambda x: link(x, "only2")["association"] == "up")
    check("(b) an allowed address (127.0.0.2) gets in", st is not None,
          st and link(st, "only2"))
    s.close()
    # (c) ASP-UP, then silence: closed after idle_timeout_ms
    p = Asp(pq, 20)
    st = wait_for(sock, lambda x: x["counters"]["admission"]["idle_timeout"] == 1)
    check("(c) an association silent for idle_timeout_ms is closed (admission.idle_timeout)",
          st is not None and link(st, "idle")["association"] != "up"
          or (st and link(st, "idle")["disconnects"] >= 1), st and link(st, "idle"))
    p.s.close()
    stop(g)


def segmented_frames(a, work):
    """M3UA DATA messages of `ssgw generate --segment-every 1`, with their decode records."""
    import json
    pcap = os.path.join(work, "seg.pcap")
    subprocess.run([a.ssgw, "generate", "--count", "40", "--seed", "3", "--segment-every", "1",
                    "--no-management", pcap], check=True)
    recs = [json.loads(l) for l in subprocess.run(
        [a.ssgw, "decode", "--json", pcap], stdout=subprocess.PIPE, text=True,
        check=True).stdout.splitlines()]
    return pcap_frames(pcap), recs


def test_segment_flood(a, work):
    frames, recs = segmented_frames(a, work)
    firsts = [(m, r) for m, r in zip(frames, recs) if r.get("segmentation", {}).get("first")
              and r["segmentation"]["remaining"] > 0]
    check("(e) segmented traffic generated", len(firsts) >= 5 and len(frames) > len(firsts),
          (len(frames), len(firsts)))
    pa, pb, pi = free_port(), free_port(), free_port()
    sock = os.path.join(work, "seg.sock")
    cfg = write_config(os.path.join(work, "seg.toml"), [
        {"name": "flooder", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % pa},
        {"name": "partner", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % pb},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}],
        ['status_socket = "%s"' % sock])
    g = gateway(a.ssgw, cfg, sock, os.path.join(work, "seg-gw.log"))
    inner, flood, partner = Asp(pi, 1), Asp(pa, 1), Asp(pb, 1)
    # the flood: first segments with fresh local references, never continued
    m0, r0 = firsts[0]
    # the segmentation parameter (Q.713 3.17): tag 0x10, length 4, flags, local reference (LE)
    ref = r0["segmentation"]["local_ref"].to_bytes(3, "little")
    at = next(i for i in range(len(m0) - 6) if m0[i:i + 2] == b"\x10\x04"
              and m0[i + 3:i + 6] == ref) + 3
    for i in range(1200):
        flood.send_raw(m0[:at] + (0x700000 + i).to_bytes(3, "little") + m0[at + 3:])
        if i % 100 == 99:
            inner.drain()
    st = wait_for(sock, lambda x: link(x, "flooder")["data_in"] == 1200)
    check("(e) the flood arrived (1,200 unfinished first segments)", st is not None,
          st and link(st, "flooder"))
    # the partner's segmented messages, every segment
    base = status(sock)["counters"]
    for m in frames:
        partner.send_raw(m)
    st = wait_for(sock, lambda x: link(x, "partner")["data_in"] == len(frames)
                  and x["counters"].get("in_flight", 0) == 0)
    c = st["counters"] if st else {}
    dropped = c.get("dropped", 0) - base["dropped"]
    check("(e) every segment of the partner's messages forwarded (none dropped)",
          st is not None and dropped == 0 and link(st, "partner")["dropped"] == 0,
          (dropped, st and link(st, "partner"), c.get("reasons")))
    check("(e) the flood was bounded by the flooder's own quota (its excess dropped)",
          link(st, "flooder")["dropped"] >= 1200 - 1024 // 4, link(st, "flooder"))
    for x in (inner, flood, partner):
        x.s.close()
    stop(g)


def tlv(t, v):
    return bytes([t, len(v)]) + v


def bcd(d):
    d = d + ("f" if len(d) % 2 else "")
    return bytes(int(d[i + 1], 16) << 4 | int(d[i], 16) for i in range(0, len(d), 2))


def sccp_data(opc, dpc, called, calling, tcap, sls=0):
    """DATA carrying an SCCP UDT (Q.713: called and calling GT, GTI 4, E.164, SSN) with the
    TCAP message tcap, from point code opc to dpc."""
    def addr(digits, ssn):
        return bytes([(4 << 2) | 0x02, ssn, 0, 0x10 | (1 if len(digits) % 2 else 2), 0x04]) + \
            bcd(digits)
    cd, cg = addr(*called), addr(*calling)
    udt = bytes([0x09, 0x01, 3, 3 + len(cd), 3 + len(cd) + len(cg)]) + bytes([len(cd)]) + cd + \
        bytes([len(cg)]) + cg + bytes([len(tcap)]) + tcap
    pd = struct.pack(">IIBBBB", opc, dpc, 3, 0, 0, sls & 15) + udt
    pl = 4 + len(pd)
    body = struct.pack(">HH", 0x0210, pl) + pd + b"\0" * ((4 - pl % 4) % 4)
    return struct.pack(">BBBBI", 1, 0, 1, 1, 8 + len(body)) + body


def gt_data(calling, seq):
    """DATA with an SCCP UDT carrying a TCAP Begin (Q.773) of one MAP invoke: enough for an
    operator rule on the calling GT."""
    # sendRoutingInfoForSM-Arg (TS 29.002): msisdn [0], sm-RP-PRI [1], serviceCentreAddress [2]
    arg = tlv(0x30, tlv(0x80, b"\x91" + bcd("447924000001")) + tlv(0x81, b"\xff") +
              tlv(0x82, b"\x91" + bcd(calling)))
    tcap = tlv(0x62, tlv(0x48, struct.pack(">I", seq)) +
               tlv(0x6c, tlv(0xa1, tlv(0x02, b"\x01") + tlv(0x02, b"\x2d") + arg)))
    return sccp_data(2001, 1001, ("447700900123", 6), (calling, 8), tcap, sls=seq)


def settle(sock, **data_in):
    """The gateway's status once every named link has taken exactly that many DATA messages
    and nothing is in flight: every message sent on those links has been judged (waiting
    on one link alone let another's messages, still in the socket, be judged later)."""
    return wait_for(sock, lambda x: all(link(x, k)["data_in"] == n for k, n in data_in.items())
                    and x["counters"].get("in_flight", 0) == 0)


def test_bucket_flood(a, work):
    pa, pb, pi = free_port(), free_port(), free_port()
    sock = os.path.join(work, "bk.sock")
    pol = os.path.join(work, "bk-policy.conf")
    with open(pol, "w") as f:
        f.write('[policy]\nmode = "enforce"\n\n[state]\nbuckets = 8\n\n'
                '[home]\nname = "Albion"\ncountry = "GB"\nmcc_mnc = ["23491"]\n'
                'gt_prefixes = ["447924"]\npoint_codes = [1001]\n\n'
                '[[rule]]\nname = "per-gt"\ncalling_gt = ["33"]\naction = "rate-limit"\n'
                'rate = "2/600s"\n')
    cfg = write_config(os.path.join(work, "bk.toml"), [
        {"name": "flooder", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % pa},
        {"name": "partner", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % pb},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}],
        ['status_socket = "%s"' % sock, 'policy = "%s"' % pol])
    g = gateway(a.ssgw, cfg, sock, os.path.join(work, "bk-gw.log"))
    inner, flood, partner = Asp(pi, 1), Asp(pa, 1), Asp(pb, 1)

    def limited(st):
        return st["counters"].get("reasons", {}).get("rule.per-gt", 0)


    victim = "33123456789"
    for i in range(3):
        partner.send_raw(gt_data(victim, i))
    st = settle(sock, partner=3)
    check("(f) the partner's GT over its rate: 2 through, the third rate-limited",
          st is not None and limited(st) == 1, st and st["counters"].get("reasons"))
    for i in range(1000):
        flood.send_raw(gt_data("33%09d" % (500000000 + i), 100 + i))
        if i % 100 == 99:
            inner.drain()
    st = settle(sock, flooder=1000)
    bk = st["pipeline"]["store"]["bucket"] if st else {}
    check("(f) the flood from 1,000 GTs: the bucket table full, the extra keys refused "
          "(counted), no live bucket evicted", st is not None and bk.get("refused", 0) >= 900
          and bk.get("evictions", -1) == 0, bk)
    before = limited(st)
    partner.send_raw(gt_data(victim, 3))
    st = settle(sock, partner=4)
    check("(f) the partner's GT is still limited after the flood (its bucket not reset)",
          st is not None and limited(st) == before + 1, st and st["counters"].get("reasons"))
    inner.drain()
    for x in (inner, flood, partner):
        x.s.close()
    stop(g)


def sri_sm_begin(otid):
    """TC-BEGIN (Q.773) of a sendRoutingInfoForSM invoke (TS 29.002, opcode 45)."""
    arg = tlv(0x30, tlv(0x80, b"\x91" + bcd("491710123456")) + tlv(0x81, b"\xff") +
              tlv(0x82, b"\x91" + bcd("447924000020")))
    return tlv(0x62, tlv(0x48, struct.pack(">I", otid)) +
               tlv(0x6c, tlv(0xa1, tlv(0x02, b"\x01") + tlv(0x02, b"\x2d") + arg)))


def sri_sm_end(dtid):
    """TC-END answering it: returnResultLast with an IMSI and the serving MSC."""
    res = tlv(0x30, tlv(0x04, bcd("262011234567890")) +
              tlv(0xa0, tlv(0x81, b"\x91" + bcd("491710000011"))))
    return tlv(0x64, tlv(0x49, struct.pack(">I", dtid)) +
               tlv(0x6c, tlv(0xa2, tlv(0x02, b"\x01") + tlv(0x30, tlv(0x02, b"\x2d") + res))))


def continue_msg(otid, dtid):
    """TC-CONTINUE without components: a dialogue accepted, its first answer to come."""
    return tlv(0x65, tlv(0x48, struct.pack(">I", otid)) + tlv(0x49, struct.pack(">I", dtid)))


def two_partners(a, work, name, state):
    """A gateway between partners Alpha (DE, point code 2002, link alpha) and Bravo (KE,
    2001, link bravo) and our core (link stp), with `state` as its [state] section; returns
    the gateway, its status socket and the three associations (inner, alpha, bravo)."""
    pa, pb, pi = free_port(), free_port(), free_port()
    sock = os.path.join(work, name + ".sock")
    pol = os.path.join(work, name + "-policy.conf")
    with open(pol, "w") as f:
        f.write('[policy]\nmode = "enforce"\n\n[state]\n' + state + '\n\n'
                '[home]\nname = "Albion"\ncountry = "GB"\nmcc_mnc = ["23491"]\n'
                'gt_prefixes = ["447924"]\npoint_codes = [1001]\nhlr = ["447924000001"]\n'
                'msc = ["447924000011"]\nsmsc = ["447924000020"]\n\n'
                '[[partner]]\nname = "Alpha"\ncountry = "DE"\nmcc_mnc = ["26201"]\n'
                'gt_prefixes = ["491710"]\npoint_codes = [2002]\nhlr = ["491710000001"]\n'
                'vlr = ["491710000010"]\nmsc = ["491710000011"]\nsmsc = ["491710000020"]\n\n'
                '[[partner]]\nname = "Bravo"\ncountry = "KE"\nmcc_mnc = ["63902"]\n'
                'gt_prefixes = ["254722"]\npoint_codes = [2001]\nvlr = ["254722000010"]\n'
                'msc = ["254722000011"]\nsmsc = ["254722000020"]\n')
    cfg = write_config(os.path.join(work, name + ".toml"), [
        {"name": "alpha", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % pa,
         "dpc": [2002]},
        {"name": "bravo", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % pb,
         "dpc": [2001]},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}],
        ['status_socket = "%s"' % sock, 'policy = "%s"' % pol])
    g = gateway(a.ssgw, cfg, sock, os.path.join(work, name + "-gw.log"))
    return g, sock, Asp(pi, 1), Asp(pa, 1), Asp(pb, 1)


def reasons(st):
    """The counts of the reasons messages were refused for."""
    return st["counters"].get("reasons", {}) if st else {}


def test_dialogue_flood(a, work):
    g, sock, inner, alpha, bravo = two_partners(a, work, "dl", "dialogues = 64")
    smsc, hlr_a, hlr = ("447924000020", 8), ("491710000001", 6), ("447924000001", 6)


    def open_with_alpha(tid, n_out):
        inner.send_raw(sccp_data(1001, 2002, hlr_a, smsc, sri_sm_begin(tid)))
        settle(sock, stp=n_out)

    def alpha_ends(tid, n_in):
        alpha.send_raw(sccp_data(2002, 1001, smsc, hlr_a, sri_sm_end(tid)))
        return settle(sock, alpha=n_in)

    st = alpha_ends(0x0badbeef, 1)
    check("(g) an End from the partner naming no dialogue is refused (tcap.unknown_dialogue)",
          reasons(st).get("tcap.unknown_dialogue") == 1, reasons(st))
    open_with_alpha(0x0a000001, 1)
    n = 2000
    for i in range(n):
        bravo.send_raw(sccp_data(2001, 1001, hlr, ("254722000020", 8), sri_sm_begin(0xb0000 + i)))
        inner.send_raw(sccp_data(1001, 2001, ("254722000020", 8), hlr,
                                 continue_msg(0x0c000000 + i, 0xb0000 + i), sls=i))
        if i % 100 == 99:
            inner.drain()
            bravo.drain()
    st = settle(sock, stp=1 + n, bravo=n)
    dl = st["pipeline"]["store"]["dialogue"] if st else {}
    check("(g) the flood filled the dialogue table and replaced live dialogues (counted)",
          st is not None and dl.get("used") == dl.get("capacity") == 64
          and dl.get("evictions", 0) > 0, dl)
    before = dict(reasons(st))
    st = alpha_ends(0x0a000001, 2)
    check("(g) after the flood the other partner's End of its open dialogue passes",
          st is not None and reasons(st) == before, (before, reasons(st)))
    open_with_alpha(0x0a000002, 2 + n)
    st = alpha_ends(0x0a000002, 3)
    check("(g) a dialogue opened with that partner in the full table works",
          st is not None and reasons(st) == before, (before, reasons(st)))
    # counted as forwarded is not yet read here: wait for the bytes of both Ends (by their
    # destination transaction ids; a late message of the flood may come first)
    ends = [b"\x49\x04" + struct.pack(">I", t) for t in (0x0a000001, 0x0a000002)]
    got = set()
    for m in inner.drain():
        got |= {e for e in ends if e in m}
    while len(got) < 2:
        m = inner.data(30)
        if m is None:
            break
        got |= {e for e in ends if e in m}
    check("(g) both Ends reached the inside", len(got) == 2, len(got))
    for x in (inner, alpha, bravo):
        x.s.close()
    stop(g)


def sri_sm_result_end(dtid, imsi):
    """TC-END of our HLR answering an SRI-SM: RoutingInfoForSM-Res (TS 29.002) with the IMSI
    and locationInfoWithLMSI { networkNode-Number }."""
    res = tlv(0x30, tlv(0x04, bcd(imsi)) + tlv(0xa0, tlv(0x81, b"\x91" + bcd("447924000011"))))
    return tlv(0x64, tlv(0x49, struct.pack(">I", dtid)) +
               tlv(0x6c, tlv(0xa2, tlv(0x02, b"\x01") + tlv(0x30, tlv(0x02, b"\x2d") + res))))


def mt_fsm_begin(otid, imsi, smsc):
    """TC-BEGIN of an mt-forwardSM (opcode 44): sm-RP-DA imsi [0], sm-RP-OA service centre
    [4], sm-RP-UI an SMS-DELIVER (TS 23.040) of "hi"."""
    deliver = bytes([0x04, 11, 0x91]) + bcd("49171012345") + b"\x00\x00" + \
        bytes([0x62, 0x21, 0x60, 0x11, 0x00, 0x00, 0x00]) + bytes([2, 0xe8, 0x34])
    arg = tlv(0x30, tlv(0x80, bcd(imsi)) + tlv(0x84, b"\x91" + bcd(smsc)) + tlv(0x04, deliver))
    return tlv(0x62, tlv(0x48, struct.pack(">I", otid)) +
               tlv(0x6c, tlv(0xa1, tlv(0x02, b"\x01") + tlv(0x02, b"\x2c") + arg)))


def test_mark_flood(a, work):
    g, sock, inner, alpha, bravo = two_partners(a, work, "mk", "sri_sm_marks = 64")
    smsc_a, smsc_b, hlr, msc = (("491710000020", 8), ("254722000020", 8), ("447924000001", 6),
                                ("447924000011", 8))


    def mt_fsm(tid, imsi, n_in):
        alpha.send_raw(sccp_data(2002, 1001, msc, smsc_a, mt_fsm_begin(tid, imsi, smsc_a[0])))
        return settle(sock, alpha=n_in)

    victim, other = "234910000000001", "234910000000002"
    st = mt_fsm(0x0d000001, other, 1)
    check("(h) an mt-forwardSM with no SRI-SM before it is refused (sms.mt_fsm_no_sri)",
          reasons(st).get("sms.mt_fsm_no_sri") == 1, reasons(st))
    inner.send_raw(sccp_data(1001, 2002, smsc_a, hlr, sri_sm_result_end(0x0a000001, victim)))
    settle(sock, stp=1)
    n = 2000
    for i in range(n):
        bravo.send_raw(sccp_data(2001, 1001, hlr, smsc_b, sri_sm_begin(0xb0000 + i)))
        inner.send_raw(sccp_data(1001, 2001, smsc_b, hlr,
                                 sri_sm_result_end(0xb0000 + i, "23491%010d" % (100000 + i)),
                                 sls=i))
        if i % 100 == 99:
            inner.drain()
            bravo.drain()
    st = settle(sock, stp=1 + n, bravo=n)
    mk = st["pipeline"]["store"]["sri_sm_mark"] if st else {}
    check("(h) our HLR's answers filled the mark table and replaced live marks (counted)",
          st is not None and mk.get("used") == mk.get("capacity") == 64
          and mk.get("evictions", 0) > 0, mk)
    before = dict(reasons(st))
    st = mt_fsm(0x0d000002, victim, 2)
    check("(h) after the flood the other partner's mt-forwardSM after its SRI-SM passes",
          st is not None and reasons(st) == before, (before, reasons(st)))
    for x in (inner, alpha, bravo):
        x.s.close()
    stop(g)


def update_location_begin(otid, imsi, vlr):
    """TC-BEGIN of an updateLocation (opcode 2, TS 29.002): imsi, msc-Number [1], vlr-Number."""
    arg = tlv(0x30, tlv(0x04, bcd(imsi)) + tlv(0x81, b"\x91" + bcd(vlr[:-2] + "11")) +
              tlv(0x04, b"\x91" + bcd(vlr)))
    return tlv(0x62, tlv(0x48, struct.pack(">I", otid)) +
               tlv(0x6c, tlv(0xa1, tlv(0x02, b"\x01") + tlv(0x02, b"\x02") + arg)))


def test_location_flood(a, work):
    g, sock, inner, alpha, bravo = two_partners(a, work, "lc", "subscribers = 64")
    hlr, vlr_a, vlr_b = ("447924000001", 6), ("491710000010", 7), ("254722000010", 7)


    victim, other = "234910000000001", "234910000000002"
    alpha.send_raw(sccp_data(2002, 1001, hlr, vlr_a, update_location_begin(1, victim, vlr_a[0])))
    alpha.send_raw(sccp_data(2002, 1001, hlr, vlr_a, update_location_begin(2, other, vlr_a[0])))
    st = settle(sock, alpha=2)
    check("(i) our subscribers' location updates from the partner pass", reasons(st) == {},
          reasons(st))
    bravo.send_raw(sccp_data(2001, 1001, hlr, vlr_b, update_location_begin(3, other, vlr_b[0])))
    st = settle(sock, bravo=1)
    check("(i) another partner's location update seconds later is impossible travel",
          reasons(st).get("cat3.velocity") == 1, reasons(st))
    n = 2000
    for i in range(n):
        bravo.send_raw(sccp_data(2001, 1001, hlr, vlr_b,
                                 update_location_begin(0xb0000 + i, "23491%010d" % (100000 + i),
                                                       vlr_b[0]), sls=i))
        if i % 100 == 99:
            inner.drain()
            bravo.drain()
    st = settle(sock, bravo=1 + n)
    lc = st["pipeline"]["store"]["location"] if st else {}
    check("(i) the flood filled the location table and went on replacing its own records "
          "(counted)", st is not None and lc.get("used") == lc.get("capacity") == 64
          and lc.get("evictions", 0) + lc.get("refused", 0) >= n - 64, lc)
    before = dict(reasons(st))
    bravo.send_raw(sccp_data(2001, 1001, hlr, vlr_b,
                             update_location_begin(0xc0000, victim, vlr_b[0])))
    st = settle(sock, bravo=2 + n)
    check("(i) after the flood the partner's location update for our subscriber is still "
          "caught (its location was kept)",
          st is not None and reasons(st).get("cat3.velocity") == before.get("cat3.velocity", 0) + 1,
          (before, reasons(st)))
    for x in (inner, alpha, bravo):
        x.s.close()
    stop(g)


def test_status_socket(a, work):
    po, pi = free_port(), free_port()
    sock = os.path.join(work, "st.sock")
    links = [{"name": "ic", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po},
             {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}]
    cfg = write_config(os.path.join(work, "st.toml"), links, ['status_socket = "%s"' % sock])
    g = gateway(a.ssgw, cfg, sock, os.path.join(work, "st-gw.log"))
    mode = stat.S_IMODE(os.stat(sock).st_mode)
    check("(d) the status socket is created 0600", mode == 0o600, oct(mode))
    if os.geteuid() == 0:
        # another user: a child process that drops to nobody and connects
        code = ("import os,socket,sys; os.setgid(65534); os.setuid(65534); s=socket.socket("
                "socket.AF_UNIX); s.connect(sys.argv[1]); print(len(s.recv(65536)))")
        os.chmod(work, 0o755)  # so that nobody can reach the socket's directory at all
        os.chmod(sock, 0o666)  # even with the file's rights widened, the credentials decide
        p = subprocess.run([sys.executable, "-c", code, sock], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=20)
        st = status(sock)
        check("(d) another user's connection is refused by its credentials (SO_PEERCRED)",
              p.stdout.strip() == "0" and st["counters"]["status_refused"] == 1,
              (p.stdout, p.stderr[-300:], st["counters"]["status_refused"]))
        check("(d) ... and logged", "uid 65534" in text(g.logfile), text(g.logfile)[-400:])
    else:
        print("note: not root: the other-user check needs root to become nobody")
    stop(g)
    # a status_socket path that is a regular file: refused, the file untouched
    victim = os.path.join(work, "precious.txt")
    with open(victim, "w") as f:
        f.write("do not remove\n")
    cfg = write_config(os.path.join(work, "st2.toml"), links, ['status_socket = "%s"' % victim])
    p = subprocess.run([a.ssgw, "run", "--config", cfg], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=20)
    check("(d) a status_socket path that is not a socket stops the start-up, file kept",
          p.returncode != 0 and "is not a socket" in p.stderr
          and open(victim).read() == "do not remove\n", (p.returncode, p.stderr[-300:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    a.ssgw = os.path.abspath(a.ssgw)
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        test_admission(a, work)
        test_allow_and_idle(a, work)
        test_segment_flood(a, work)
        test_bucket_flood(a, work)
        test_dialogue_flood(a, work)
        test_mark_flood(a, work)
        test_location_flood(a, work)
        test_status_socket(a, work)
    finally:
        kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
