#!/usr/bin/env python3
"""The Diameter edge proxy against a real Diameter implementation nobody here wrote:
Debian's freeDiameterd on both sides of `ssgw run`, made an S6a MME (client) and HSS
(server) by the test extension ssgw_fd_s6a.fdx (tests/e2e/freediameter/).

 1. one gateway, TCP: freeDiameter's CER is accepted (CEA), S6a requests of every kind the
    extension sends (ULR, AIR, PUR, NOR, CLR) are relayed to the HSS, which sees the MME's
    identity in Route-Record, and every answer comes back to the MME (freeDiameter matched it
    by its own hop-by-hop id); the watchdog runs (DWR/DWA both ways) without a disconnect;
    a freeDiameter whose realm is not the configured peer_realm gets DIAMETER_UNKNOWN_PEER
    and never opens; SIGTERM sends DPR to every peer and the DPAs close them;
 2. two operators' gateways between them over SCTP over UDP (PPID 46), the visited one
    connecting (our CER, the other gateway's CEA): MME -> gateway A -> gateway B -> HSS;
 3. the firewall inline (examples/ssgw.conf): freeDiameter's ULRs for our subscriber are
    relayed and answered, those for a foreign IMSI are answered by the gateway with the
    Experimental-Result DIAMETER_ERROR_USER_UNKNOWN, which freeDiameter takes as the answer.
Every gateway keeps data_in = forwarded + answered + dropped.
Exit 77 (skipped) when freeDiameterd or the extension is missing."""
import argparse
import os
import signal
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gwtest  # noqa: E402
from diamtest import dinvariant, wait_for, write_config  # noqa: E402
from gwtest import check, free_port, records, start, status, stop  # noqa: E402

HOME = "epc.mnc001.mcc234.3gppnetwork.org"
VISITED = "epc.mnc002.mcc208.3gppnetwork.org"
HSS = "hss1." + HOME
MME = "mme1." + VISITED


def cert(work, ident):
    key, crt = os.path.join(work, ident + ".key"), os.path.join(work, ident + ".crt")
    if not os.path.exists(crt):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        key, "-out", crt, "-days", "2", "-subj", "/CN=" + ident],
                       check=True, capture_output=True)
    return key, crt


def freediameter(args, work, name, ident, realm, gw_port, gw_host, ext_conf):
    """Starts freeDiameterd as ident connecting to the gateway at gw_port (TCP, no TLS)."""
    key, crt = cert(work, ident)
    ext = os.path.join(work, name + ".ext")
    with open(ext, "w") as f:
        f.write("".join("%s = %s\n" % kv for kv in ext_conf.items()))
    conf = os.path.join(work, name + ".conf")
    with open(conf, "w") as f:
        f.write('Identity = "%s";\nRealm = "%s";\nPort = %d;\nSecPort = %d;\n'
                'ListenOn = "127.0.0.1";\nNo_SCTP;\nNo_IPv6;\nTcTimer = 1;\n'
                'TLS_Cred = "%s", "%s";\nTLS_CA = "%s";\n'
                'LoadExtension = "%s" : "%s";\n'
                'ConnectPeer = "%s" { ConnectTo = "127.0.0.1"; Port = %d; No_TLS; };\n'
                % (ident, realm, free_port(), free_port(), crt, key, crt, args.extension, ext,
                   gw_host, gw_port))
    return start([args.freediameterd, "-c", conf], os.path.join(work, name + ".log"))


def peer_state(st, name):
    for p in st.get("diameter", {}).get("peers", []):
        if p["name"] == name:
            return p
    return {}


def opened(sock, *names):
    def cond():
        try:
            st = status(sock)
        except OSError:
            return False
        return all(peer_state(st, n).get("state") in ("r-open", "i-open") for n in names)
    return cond


def done(path):
    return lambda: any(r.get("done") for r in records(path))


def single_gateway(args, work):
    sock = os.path.join(work, "gw.sock")
    p_ipx, p_hss, p_bad = free_port(), free_port(), free_port()
    cfg = write_config(os.path.join(work, "gw.toml"),
                       {"origin_host": "ssgw.home.example", "origin_realm": "home.example",
                        "watchdog_ms": 300},
                       [{"name": "ipx", "side": "outer", "listen": "127.0.0.1:%d" % p_ipx,
                         "peer_realm": VISITED},
                        {"name": "bad", "side": "outer", "listen": "127.0.0.1:%d" % p_bad,
                         "peer_realm": VISITED},
                        {"name": "hss", "side": "inner", "listen": "127.0.0.1:%d" % p_hss}],
                       ['status_socket = "%s"' % sock])
    g = gwtest.gateway(args.ssgw, cfg, sock, os.path.join(work, "gw.log"))
    hss_out, mme_out = os.path.join(work, "hss.jsonl"), os.path.join(work, "mme.jsonl")
    hss = freediameter(args, work, "hss", HSS, HOME, p_hss, "ssgw.home.example",
                       {"mode": "server", "out": hss_out})
    check("freeDiameter HSS: CER accepted, peer open", wait_for(opened(sock, "hss"), 120),
          gwtest.text(os.path.join(work, "hss.log"))[-1500:])
    n = 40
    mme = freediameter(args, work, "mme", MME, VISITED, p_ipx, "ssgw.home.example",
                       {"mode": "client", "out": mme_out, "dest_realm": HOME,
                        "commands": "ULR,AIR,PUR,NOR,CLR", "count": n,
                        "imsi": "234010000012345", "visited_plmn": "20802"})
    check("freeDiameter MME: CER accepted, peer open", wait_for(opened(sock, "ipx"), 120))
    check("every request answered to the MME", wait_for(done(mme_out), 120),
          gwtest.text(os.path.join(work, "mme.log"))[-1500:])
    ans = [r for r in records(mme_out) if "cmd" in r]
    check("%d answers, all DIAMETER_SUCCESS from the HSS" % n,
          len(ans) == n and all(r["result"] == 2001 for r in ans), ans[:5])
    check("every command kind relayed",
          sorted({r["cmd"] for r in ans}) == [316, 317, 318, 321, 323], ans)
    got = [r for r in records(hss_out) if "cmd" in r]
    check("the HSS received each request once", len(got) == n, len(got))
    check("Route-Record carries the MME the gateway received it from (RFC 6733 6.1.9)",
          all(MME in r["route_record"] for r in got), got[:2])
    check("User-Name and Origin-Realm unchanged",
          all(r["user_name"] == "234010000012345" and r["origin_realm"] == VISITED
              for r in got))
    st = status(sock)
    c = st["diameter"]["counters"]
    check("counters: %d requests and %d answers forwarded, nothing pending" % (n, n),
          c["requests_in"] == n and c["answers_in"] == n and c["forwarded"] == 2 * n and
          c["pending"] == 0, c)
    check("invariant data_in = forwarded + answered + dropped", dinvariant(st), c)
    # the watchdog: our DWR every 300 ms answered by freeDiameter, nobody disconnects
    before = {p: peer_state(st, p)["mgmt_in"] for p in ("ipx", "hss")}
    check("watchdog: DWA from both freeDiameters",
          wait_for(lambda: all(peer_state(status(sock), p)["mgmt_in"] >= before[p] + 3
                               for p in before), 10))
    st = status(sock)
    check("watchdog: no disconnect, each peer opened once",
          all(peer_state(st, p)["opened"] == 1 and peer_state(st, p)["disconnects"] == 0
              for p in ("ipx", "hss")), st["diameter"]["peers"])
    # a peer whose realm is not the configured one
    bad = freediameter(args, work, "bad", "mme9.evil.example", "evil.example", p_bad,
                       "ssgw.home.example", {"mode": "client", "dest_realm": HOME, "count": 1,
                                             "commands": "ULR", "imsi": "234010000012345",
                                             "visited_plmn": "20802",
                                             "out": os.path.join(work, "bad.jsonl")})
    check("wrong realm: CER refused (DIAMETER_UNKNOWN_PEER), counted",
          wait_for(lambda: status(sock)["diameter"]["counters"]["reasons"]
                   .get("diameter.cer_refused", 0) >= 1, 20))
    st = status(sock)
    check("wrong realm: the peer never opened, nothing relayed from it",
          peer_state(st, "bad")["opened"] == 0 and peer_state(st, "bad")["data_in"] == 0,
          peer_state(st, "bad"))
    check("wrong realm: freeDiameter got no answer to its request",
          not any("cmd" in r for r in records(os.path.join(work, "bad.jsonl"))))
    stop(bad)
    # shutdown: DPR to each open peer, closed by their DPA
    rc = stop(g)
    log = gwtest.text(os.path.join(work, "gw.log"))
    check("SIGTERM: the gateway exits 0", rc == 0, rc)
    check("shutdown: DPR sent and the DPA closed each peer",
          all("diameter peer '%s': closing -> closed (rcv-dpa)" % p in log
              for p in ("ipx", "hss")), log[-1500:])
    stop(mme)
    stop(hss)


def two_gateways(args, work):
    """MME -> gateway A (visited) ==SCTP over UDP==> gateway B (home) -> HSS."""
    sa, sb = os.path.join(work, "a.sock"), os.path.join(work, "b.sock")
    p_mme, p_hss, p_ab = free_port(), free_port(), free_port()
    ua, ub = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
    cfg_b = write_config(os.path.join(work, "b.toml"),
                         {"origin_host": "dea.home.example", "origin_realm": HOME},
                         [{"name": "from-a", "side": "outer", "transport": "sctp-udp",
                           "listen": "127.0.0.1:%d" % p_ab},
                          {"name": "hss", "side": "inner", "listen": "127.0.0.1:%d" % p_hss}],
                         ['status_socket = "%s"' % sb, "sctp_udp_port = %d" % ub])
    cfg_a = write_config(os.path.join(work, "a.toml"),
                         {"origin_host": "dea.visited.example", "origin_realm": VISITED},
                         [{"name": "mme", "side": "inner", "listen": "127.0.0.1:%d" % p_mme},
                          {"name": "to-b", "side": "outer", "transport": "sctp-udp",
                           "connect": "127.0.0.1:%d" % p_ab, "remote_udp_port": ub,
                           "peer_host": "dea.home.example", "realms": [HOME]}],
                         ['status_socket = "%s"' % sa, "sctp_udp_port = %d" % ua])
    gb = gwtest.gateway(args.ssgw, cfg_b, sb, os.path.join(work, "b.log"))
    ga = gwtest.gateway(args.ssgw, cfg_a, sa, os.path.join(work, "a.log"))
    check("sctp-udp: gateway A's CER accepted by gateway B, A processed the CEA",
          wait_for(opened(sa, "to-b"), 120) and wait_for(opened(sb, "from-a"), 60),
          gwtest.text(os.path.join(work, "a.log"))[-1200:])
    hss_out, mme_out = os.path.join(work, "hss2.jsonl"), os.path.join(work, "mme2.jsonl")
    hss = freediameter(args, work, "hss2", HSS, HOME, p_hss, "dea.home.example",
                       {"mode": "server", "out": hss_out})
    check("sctp-udp: HSS open on B", wait_for(opened(sb, "hss"), 120))
    n = 20
    mme = freediameter(args, work, "mme2", MME, VISITED, p_mme, "dea.visited.example",
                       {"mode": "client", "out": mme_out, "dest_realm": HOME,
                        "commands": "ULR,AIR", "count": n, "imsi": "234010000012345",
                        "visited_plmn": "20802"})
    check("sctp-udp: every request answered across two gateways", wait_for(done(mme_out), 120),
          gwtest.text(os.path.join(work, "mme2.log"))[-1200:])
    ans = [r for r in records(mme_out) if "cmd" in r]
    check("sctp-udp: %d answers, DIAMETER_SUCCESS" % n,
          len(ans) == n and all(r["result"] == 2001 for r in ans), ans[:3])
    got = [r for r in records(hss_out) if "cmd" in r]
    check("sctp-udp: Route-Record names the MME (added by A) and gateway A (added by B)",
          len(got) == n and all(MME in r["route_record"] and "dea.visited.example" in
                                r["route_record"] for r in got), got[:2])
    for s in (sa, sb):
        st = status(s)
        check("sctp-udp: invariant on %s" % os.path.basename(s), dinvariant(st) and
              st["diameter"]["counters"]["forwarded"] == 2 * n, st["diameter"]["counters"])
    for p in (mme, hss, ga, gb):
        stop(p)


def with_policy(args, work):
    """The firewall inline, judged by freeDiameter: examples/ssgw.conf (home Albion Mobile,
    23491, realm epc.mnc091.mcc234...; partner Safari Mobile, 63902); the MME of Safari sends
    ULRs for our subscriber (relayed, answered by our HSS) and for a Rhein Telekom IMSI, which
    our HSS does not serve: the gateway answers DIAMETER_ERROR_USER_UNKNOWN (Experimental-Result
    5001, 3GPP) itself and freeDiameter reads it as the answer to its request."""
    home, safari = "epc.mnc091.mcc234.3gppnetwork.org", "epc.mnc002.mcc639.3gppnetwork.org"
    sock = os.path.join(work, "fw.sock")
    p_ipx, p_hss = free_port(), free_port()
    cfg = write_config(os.path.join(work, "fw.toml"),
                       {"origin_host": "dea." + home, "origin_realm": home},
                       [{"name": "ipx", "side": "outer", "listen": "127.0.0.1:%d" % p_ipx},
                        {"name": "hss", "side": "inner", "listen": "127.0.0.1:%d" % p_hss}],
                       ['status_socket = "%s"' % sock, 'policy = "%s"' % args.config])
    g = gwtest.gateway(args.ssgw, cfg, sock, os.path.join(work, "fw.log"))
    hss_out, mme_out = os.path.join(work, "fw-hss.jsonl"), os.path.join(work, "fw-mme.jsonl")
    hss = freediameter(args, work, "fw-hss", "hss1." + home, home, p_hss, "dea." + home,
                       {"mode": "server", "out": hss_out})
    check("policy: HSS open", wait_for(opened(sock, "hss"), 120))
    mme = freediameter(args, work, "fw-mme", "mme1." + safari, safari, p_ipx, "dea." + home,
                       {"mode": "client", "out": mme_out, "dest_realm": home, "commands": "ULR",
                        "count": 10, "imsi": "234910000012345,262010000000001",
                        "visited_plmn": "63902"})
    check("policy: every request answered", wait_for(done(mme_out), 120))
    ans = [r for r in records(mme_out) if "cmd" in r]
    ok = [r for r in ans if r["result"] == 2001]
    refused = [r for r in ans if r["exp_result"] == 5001 and r["result"] == 0]
    check("policy: our subscriber's ULRs relayed and answered DIAMETER_SUCCESS by the HSS",
          len(ok) == 5, ans)
    check("policy: the foreign IMSI's ULRs answered by the gateway, Experimental-Result 5001",
          len(refused) == 5, ans)
    check("policy: the HSS saw only our subscriber",
          [r["user_name"] for r in records(hss_out) if "cmd" in r] == ["234910000012345"] * 5)
    st = status(sock)
    check("policy: counted under diameter.imsi_realm, invariant holds",
          st["diameter"]["counters"]["reasons"].get("diameter.imsi_realm") == 5 and
          dinvariant(st), st["diameter"]["counters"])
    for p in (mme, hss, g):
        stop(p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--freediameterd", required=True)
    ap.add_argument("--extension", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    if not os.path.exists(args.freediameterd) or not os.path.exists(args.extension):
        print("freeDiameterd or the test extension is missing (apt-get install freediameter "
              "libfreediameter-dev): skipped")
        return 77
    os.makedirs(args.workdir, exist_ok=True)
    for f in os.listdir(args.workdir):
        if f.endswith((".jsonl", ".log", ".sock")):
            os.unlink(os.path.join(args.workdir, f))
    try:
        single_gateway(args, args.workdir)
        two_gateways(args, args.workdir)
        with_policy(args, args.workdir)
    finally:
        for p in gwtest.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        gwtest.kill_all()
    return gwtest.summary()


if __name__ == "__main__":
    sys.exit(main())
