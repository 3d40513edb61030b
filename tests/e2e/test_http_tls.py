#!/usr/bin/env python3
"""End-to-end tests of the gateway's HTTP surfaces over TLS ([http] tls_cert, tls_key) and of
client-certificate authentication ([http] client_ca, client_names, client_crl and the risk_
ones), with every certificate made by the openssl command line (tests/e2e/tlstest.py) and
independent TLS clients: Python's ssl module (OpenSSL, verifying the chain and the host name,
never in "insecure" mode) and `openssl s_client`.

- start-up: a key readable by others, or writable by its group, is refused naming the file
  and the fix; a key that is not the certificate's, a certificate file without a
  certificate, an expired certificate, a stale CRL and a CRL of another CA are start-up
  errors naming the file; client_ca without TLS is a configuration error.
- TLS: /metrics (promtool, when installed) and the management API work over HTTPS; the
  served chain verifies to the test CA for 127.0.0.1 and fails for another CA or another
  host name; TLS 1.2 and 1.3 are served, TLS 1.1 is refused; a plain-HTTP request to the
  TLS port is closed at once without an HTTP answer and the server keeps serving.
- client certificates on the management API: an allowed one (by CN, and by a DNS
  subjectAltName) is authenticated like a token; one from another CA, an allowed CA but an
  unlisted name, none, a revoked one, an expired one and a server certificate get 401; a
  wrong token is refused even with a good certificate; the risk API takes its own
  certificates only (a management certificate is refused there and the other way round),
  and audits the certificate's name. Every outcome is counted, and `ssgw status` and
  /metrics agree. The certificate's notAfter and the CRL's nextUpdate are shown as openssl
  reads them.
- SIGHUP re-reads client_names and the CRL: a name removed is refused, a name added is
  accepted, a certificate revoked since start-up is refused, without a restart; another
  client_ca is refused (a restart is needed) and the running one is kept.

Usage: test_http_tls.py --ssgw BIN --source REPO --workdir DIR
"""
import argparse
import calendar
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time

import gwtest
import tlstest
from gwtest import check, free_port, gateway, kill_all, status, stop, summary, text

API_TOKEN = "ops-0123456789abcdef0123456789"
RISK_TOKEN = "bank-b-ZmVkY2JhOTg3NjU0MzIx"
PAST = ("20200101000000Z", "20200201000000Z")


def ctx_for(cafile, cert=None):
    """A client context that verifies the server's chain against cafile and its host name,
    presenting cert (pem, key) when given."""
    ctx = ssl.create_default_context(cafile=cafile)
    if cert:
        ctx.load_cert_chain(cert[0], cert[1])
    return ctx


def treq(port, ctx, method, path, token=None, body=None):
    c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
    h = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        h["Authorization"] = "Bearer " + token
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read().decode()
    c.close()
    return r.status, data


def message(body):
    try:
        return json.loads(body).get("message", "")
    except ValueError:
        return body


def handshake(port, ctx, server_hostname="127.0.0.1"):
    """The TLS handshake alone: None, or the error it raised."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            with ctx.wrap_socket(s, server_hostname=server_hostname):
                return None
    except (ssl.SSLError, OSError) as e:
        return e


def s_client(port, cafile, version):
    """openssl s_client with one protocol version, verifying the chain; (ok, output)."""
    args = ["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-CAfile", cafile,
            "-verify_return_error", "-verify_ip", "127.0.0.1", "-" + version]
    if version in ("tls1", "tls1_1"):
        args += ["-cipher", "DEFAULT@SECLEVEL=0"]  # the client would refuse them itself
    p = subprocess.run(args, input="", stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=30)
    # a failed handshake still prints a session, with no certificate and no cipher
    done = "Server certificate" in p.stdout and "Cipher is (NONE)" not in p.stdout
    return p.returncode == 0 and done and "Verify return code: 0 (ok)" in p.stdout, p.stdout


def parse_prom(txt):
    out = {}
    for line in txt.splitlines():
        if not line or line.startswith("#"):
            continue
        name_labels, value = line.rsplit(" ", 1)
        labels = ()
        name = name_labels
        if "{" in name_labels:
            name, rest = name_labels.split("{", 1)
            labels = tuple(sorted(tuple(p.split("=", 1)) for p in
                                  rest.rstrip("}").replace('"', "").split(",") if p))
        out[(name, labels)] = float(value)
    return out


def startup(ssgw, work, name, http_lines, links, extra=()):
    """Runs `ssgw run` on a configuration that must not start: (exit status, stderr)."""
    cfg = gwtest.write_config(os.path.join(work, name + ".toml"), links,
                              list(extra) + ["", "[http]"] + http_lines)
    try:
        p = subprocess.run([ssgw, "run", "--config", cfg], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=20)
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return None, "it started"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    work = tlstest.fresh_workdir(a.workdir)
    if not work:
        return 77
    ssgw = a.ssgw
    w = lambda *p: os.path.join(work, *p)  # noqa: E731

    # ---- the PKI, by openssl ----
    ops = tlstest.Ca(w("ops-ca"), "Ops CA")
    other = tlstest.Ca(w("other-ca"), "Other CA")
    bank = tlstest.Ca(w("bank-ca"), "Bank CA")
    srv = ops.issue(w("server"), "gw.test", purpose="serverAuth",
                    san="IP:127.0.0.1,DNS:gw.test")
    ops1 = ops.issue(w("ops-1"), "ops-1")
    rogue = other.issue(w("rogue-ops-1"), "ops-1")  # the allowed name, another CA
    ops9 = ops.issue(w("ops-9"), "ops-9")  # the allowed CA, a name not in the list
    ops7 = ops.issue(w("ops-7"), "ops-7")  # listed by a reload
    ops2 = ops.issue(w("ops-2"), "ops-2")
    old = ops.issue(w("ops-1-old"), "ops-1", start=PAST[0], end=PAST[1])
    scraper = ops.issue(w("scraper"), "scraper", san="DNS:prometheus.example.net")
    bank_a = bank.issue(w("bank-a"), "bank-a")
    ops.revoke(ops2[0])
    crl = ops.crl(w("ops.crl"))
    expired_srv = ops.issue(w("server-expired"), "gw.test", purpose="serverAuth",
                            san="IP:127.0.0.1", start=PAST[0], end=PAST[1])
    stale_crl = ops.crl(w("stale.crl"), last=PAST[0], next=PAST[1])
    other_crl = other.crl(w("other.crl"))
    check("openssl made the test PKI", all(os.path.exists(p) for p in
                                           (srv[0], ops1[0], rogue[0], crl, stale_crl)))

    for name, line in (("api.tokens", "ops " + API_TOKEN), ("risk.tokens", "bank-b " + RISK_TOKEN)):
        with open(w(name), "w") as f:
            f.write(line + "\n")
        os.chmod(w(name), 0o600)
    sock = w("gw.sock")
    po, pi, ph = free_port(), free_port(), free_port()
    links = [{"name": "interconnect", "side": "outer", "role": "sg",
              "listen": "127.0.0.1:%d" % po},
             {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}]
    base = ['listen = "127.0.0.1:%d"' % ph]
    tls = ['tls_cert = "%s"' % srv[0], 'tls_key = "%s"' % srv[1]]

    # ---- start-up errors, each naming the file ----
    os.chmod(srv[1], 0o644)
    rc, err = startup(ssgw, work, "key-0644", base + tls, links)
    check("a private key readable by others is refused, naming the file and the fix",
          rc == 2 and "tls_key '%s': mode 0644" % srv[1] in err and "chmod 600" in err, (rc, err))
    os.chmod(srv[1], 0o660)
    rc, err = startup(ssgw, work, "key-0660", base + tls, links)
    check("a private key its group could replace is refused",
          rc == 2 and "tls_key '%s': mode 0660" % srv[1] in err, (rc, err))
    os.chmod(srv[1], 0o600)
    rc, err = startup(ssgw, work, "key-mismatch", base + ['tls_cert = "%s"' % srv[0],
                                                          'tls_key = "%s"' % ops1[1]], links)
    check("a key that is not the certificate's is a start-up error naming both files",
          rc == 2 and "tls_key '%s' is not the private key of the certificate 'CN=gw.test'"
          % ops1[1] in err and srv[0] in err, (rc, err))
    rc, err = startup(ssgw, work, "cert-is-key", base + ['tls_cert = "%s"' % srv[1],
                                                         'tls_key = "%s"' % srv[1]], links)
    check("a certificate file without a certificate is a start-up error naming it",
          rc == 2 and "tls_cert '%s': no PEM certificate" % srv[1] in err, (rc, err))
    rc, err = startup(ssgw, work, "cert-expired", base + ['tls_cert = "%s"' % expired_srv[0],
                                                          'tls_key = "%s"' % expired_srv[1]], links)
    check("an expired server certificate is a start-up error naming the file and the date",
          rc == 2 and "tls_cert '%s': the certificate 'CN=gw.test' expired on 2020-02-01"
          % expired_srv[0] in err, (rc, err))
    mtls = ['client_ca = "%s"' % ops.pem, 'client_names = ["ops-1"]']
    rc, err = startup(ssgw, work, "crl-stale", base + tls + mtls + ['client_crl = "%s"' % stale_crl],
                      links)
    check("a CRL past its nextUpdate is a start-up error naming the file",
          rc == 2 and "client_crl '%s': the CRL of 'CN=Ops CA' was due to be replaced on "
          "2020-02-01" % stale_crl in err, (rc, err))
    rc, err = startup(ssgw, work, "crl-other", base + tls + mtls + ['client_crl = "%s"' % other_crl],
                      links)
    check("a CRL of another CA is a start-up error naming the file",
          rc == 2 and "client_crl '%s': the CRL of 'CN=Other CA' is not signed by a CA of "
          "client_ca" % other_crl in err, (rc, err))
    rc, err = startup(ssgw, work, "mtls-no-tls", base + mtls, links)
    check("client certificates without TLS are a configuration error",
          rc == 2 and "[http] client_ca: client certificates come with TLS" in err, (rc, err))
    rc, err = startup(ssgw, work, "mtls-no-names", base + tls + mtls[:1], links)
    check("client_ca without client_names is a configuration error",
          rc == 2 and "[http] client_ca needs client_names" in err, (rc, err))

    # ---- the gateway over TLS, with client certificates ----
    http_lines = base + tls + mtls[:1] + [
        'client_names = ["ops-1", "prometheus.example.net", "ops-2"]',
        'client_crl = "%s"' % crl, 'tokens = "api.tokens"', "metrics_auth = true",
        'risk_tokens = "risk.tokens"', 'risk_client_ca = "%s"' % bank.pem,
        'risk_client_names = ["bank-a"]', 'risk_audit = "risk-audit.jsonl"']
    head = ['status_socket = "%s"' % sock,
            'policy = "%s"' % os.path.join(a.source, "examples", "ssgw.conf"), "", "[http]"]
    cfg = gwtest.write_config(w("gw.toml"), links, head + http_lines)

    def reload_with(lines):
        """Rewrites the configuration with these [http] lines and waits for the SIGHUP reload."""
        gwtest.write_config(cfg, links, head + lines)
        before = status(sock)["counters"]["reloads"]
        g.send_signal(signal.SIGHUP)
        for _ in range(200):
            if status(sock)["counters"]["reloads"] > before:
                break
            time.sleep(0.05)
    g = gateway(ssgw, cfg, sock, w("gw.log"))
    check("gateway with HTTPS and client certificates starts", g.poll() is None, text(g.logfile))
    if g.poll() is not None:
        return summary()
    trusting_ops = ctx_for(ops.pem)
    with_cert = {name: ctx_for(ops.pem, c) for name, c in (
        ("ops-1", ops1), ("rogue", rogue), ("ops-9", ops9), ("ops-7", ops7), ("ops-2", ops2),
        ("old", old),
        ("scraper", scraper), ("bank-a", bank_a), ("server", srv))}

    # the server's side: the chain, the host name, the protocol versions
    e = handshake(ph, trusting_ops)
    check("the served chain verifies to the test CA for 127.0.0.1 (Python ssl)", e is None, e)
    e = handshake(ph, ctx_for(other.pem))
    check("a client trusting another CA refuses the server", isinstance(e, ssl.SSLCertVerificationError)
          and "unable to get local issuer certificate" in str(e), e)
    e = handshake(ph, trusting_ops, server_hostname="other.example")
    check("a client expecting another host name refuses the server",
          isinstance(e, ssl.SSLCertVerificationError) and "mismatch" in str(e), e)
    for v in ("tls1_3", "tls1_2"):
        ok, out = s_client(ph, ops.pem, v)
        check("openssl s_client %s: handshake and chain verified" % v, ok, out[-600:])
    ok, out = s_client(ph, ops.pem, "tls1_1")
    check("openssl s_client TLS 1.1: refused (RFC 8996)", not ok and "Cipher is (NONE)" in out,
          out[-600:])

    # plain HTTP to the TLS port: closed at once, no HTTP answer; the server keeps serving
    got, took = tlstest.plain_http(ph, "/metrics")
    check("plain HTTP to the TLS port: closed without an HTTP answer, at once",
          not got.startswith(b"HTTP/") and took < 3, (got[:80], took))
    st, body = treq(ph, trusting_ops, "GET", "/api/v1/status", token=API_TOKEN)
    check("the management API over HTTPS with a token (after the plain request)",
          st == 200 and json.loads(body)["http"]["tls"] is True, (st, body[:300]))

    # /metrics over TLS (metrics_auth: a management credential)
    st, body = treq(ph, trusting_ops, "GET", "/metrics")
    check("/metrics without a credential: 401", st == 401, (st, body))
    st, body = treq(ph, with_cert["ops-1"], "GET", "/metrics")
    check("/metrics over HTTPS with an allowed client certificate", st == 200
          and "ssgw_http_requests_total" in body, (st, body[:300]))
    if shutil.which("promtool"):
        p = subprocess.run(["promtool", "check", "metrics"], input=body, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        check("the HTTPS scrape passes promtool check metrics", p.returncode == 0
              and not p.stdout.strip(), p.stdout)
    st, body = treq(ph, with_cert["scraper"], "GET", "/metrics")
    check("a certificate allowed by its DNS subjectAltName (CN not listed)", st == 200, (st, body))

    # ---- client certificates on the management API ----
    expect_api = {"accepted": 0, "untrusted": 0, "expired": 0, "revoked": 0,
                  "wrong_purpose": 0, "not_allowed": 0}
    api401 = 0
    st, body = treq(ph, with_cert["ops-1"], "GET", "/api/v1/status")
    expect_api["accepted"] += 1
    check("(a) an allowed certificate opens the API like a token", st == 200
          and "counters" in json.loads(body), (st, body[:200]))
    st, body = treq(ph, with_cert["ops-1"], "POST", "/api/v1/reload", body="")
    expect_api["accepted"] += 1
    check("an allowed certificate may reload; the log names it", st == 200 and
          "by certificate 'ops-1'" in text(g.logfile), (st, body))
    cases = [("rogue", "untrusted", "(b) a certificate of another CA with the allowed name",
              "is not issued by a CA this API trusts"),
             ("ops-9", "not_allowed", "(c) the allowed CA but a name not in the list",
              "names no client of this API (client_names)"),
             ("ops-2", "revoked", "a revoked certificate (client_crl)", "is revoked"),
             ("old", "expired", "an expired certificate", "expired or not yet valid"),
             ("server", "wrong_purpose", "a server certificate (extendedKeyUsage serverAuth)",
              "not for TLS client authentication")]
    for who, result, what, why in cases:
        st, body = treq(ph, with_cert[who], "GET", "/api/v1/status")
        expect_api[result] += 1
        api401 += 1
        check(what + ": 401 saying why", st == 401 and why in message(body), (st, body))
    st, body = treq(ph, trusting_ops, "GET", "/api/v1/status")
    api401 += 1
    check("(d) no certificate and no token: 401", st == 401
          and "or a client certificate" in message(body), (st, body))
    st, body = treq(ph, with_cert["ops-1"], "GET", "/api/v1/status", token="wrong-0123456789abcdef")
    api401 += 1
    check("a wrong token is refused even with an allowed certificate", st == 401
          and "bearer token" in message(body), (st, body))
    st, _ = treq(ph, with_cert["bank-a"], "GET", "/api/v1/status")
    expect_api["untrusted"] += 1
    api401 += 1
    check("a risk API certificate does not open the management API", st == 401, st)

    # ---- the risk API keeps its own certificates ----
    q = json.dumps({"phoneNumber": "+447924555009", "maxAge": 24})
    st, body = treq(ph, with_cert["bank-a"], "POST", "/interception-risk/v0/check", body=q)
    check("the risk API with its own client certificate", st == 200
          and json.loads(body) == {"atRisk": False}, (st, body))
    st, body = treq(ph, with_cert["ops-1"], "POST", "/interception-risk/v0/check", body=q)
    check("a management certificate does not open the risk API", st == 401
          and "risk_client_ca" in message(body), (st, body))
    st, body = treq(ph, trusting_ops, "POST", "/interception-risk/v0/check", body=q,
                    token=API_TOKEN)
    check("nor does a management token", st == 401, (st, body))
    audit = gwtest.records(w("risk-audit.jsonl"))
    check("the risk audit names the certificate's client", len(audit) == 1
          and audit[0].get("client") == "bank-a" and audit[0].get("credential") == "certificate",
          audit)

    # ---- counters: ssgw status and /metrics agree ----
    p = subprocess.run([ssgw, "status", "--socket", sock], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    hs = json.loads(p.stdout)["http"] if p.returncode == 0 else {}
    certs = hs.get("client_certificates", {})
    check("ssgw status: 401s counted per surface", hs.get("unauthorized") ==
          {"metrics": 1, "api": api401, "risk": 2, "dashboard": 0, "other": 0}, hs)
    check("ssgw status: the management API's certificates per result", certs.get("api") ==
          expect_api, (certs.get("api"), expect_api))
    check("ssgw status: /metrics and the risk API's certificates",
          certs.get("metrics", {}).get("accepted") == 2 and certs.get("risk", {}).get("accepted") == 1
          and certs.get("risk", {}).get("untrusted") == 1, certs)
    st, body = treq(ph, with_cert["ops-1"], "GET", "/metrics")
    m = parse_prom(body)
    hs = status(sock)["http"]
    diff = []
    for surf, results in hs["client_certificates"].items():
        for r, n in results.items():
            got = m.get(("ssgw_http_client_certificates_total", (("result", r), ("surface", surf))))
            if got != n:
                diff.append((surf, r, n, got))
    for surf, n in hs["unauthorized"].items():
        got = m.get(("ssgw_http_unauthorized_total", (("surface", surf),)))
        if got != n:
            diff.append(("401", surf, n, got))
    check("/metrics equals ssgw status: certificates and 401s", not diff and st == 200, diff)
    na = tlstest.not_after(srv[0])
    check("the server certificate's notAfter (as openssl reads it) in status and metrics",
          hs.get("tls_not_after", "").startswith(time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(na)))
          and m.get(("ssgw_http_tls_certificate_not_after_timestamp_seconds", ())) == na,
          (hs.get("tls_not_after"), na))
    nu = tlstest.openssl("crl", "-in", crl, "-noout", "-nextupdate").strip().split("=", 1)[1]
    nu = calendar.timegm(time.strptime(nu, "%b %d %H:%M:%S %Y GMT"))
    check("the CRL's nextUpdate in metrics", m.get((
        "ssgw_http_client_crl_next_update_timestamp_seconds", (("surface", "api"),))) == nu,
        (nu, [k for k in m if "crl" in k[0]]))

    # ---- SIGHUP: names and CRL re-read ----
    ops.revoke(ops9[0])
    ops.crl(crl)
    http_lines[http_lines.index('client_names = ["ops-1", "prometheus.example.net", "ops-2"]')] = \
        'client_names = ["ops-7", "ops-9", "prometheus.example.net", "ops-2"]'
    reload_with(http_lines)
    st1, b1 = treq(ph, with_cert["ops-1"], "GET", "/api/v1/status")
    st9, b9 = treq(ph, with_cert["ops-9"], "GET", "/api/v1/status")
    st7, b7 = treq(ph, with_cert["ops-7"], "GET", "/api/v1/status")
    check("after SIGHUP a name added to client_names is accepted", st7 == 200, (st7, b7[:200]))
    check("after SIGHUP a name removed from client_names is refused",
          st1 == 401 and "names no client" in message(b1), (st1, b1))
    check("after SIGHUP the new CRL counts: ops-9, listed now, is revoked",
          st9 == 401 and "is revoked" in message(b9), (st9, b9))
    st, _ = treq(ph, with_cert["scraper"], "GET", "/api/v1/status")
    check("the names still listed keep working", st == 200, st)
    # another client_ca needs a restart (the handshake announces the CAs): refused, logged,
    # and the certificate clients stay as they were
    http_lines[http_lines.index('client_ca = "%s"' % ops.pem)] = 'client_ca = "%s"' % other.pem
    reload_with(http_lines)
    st7, _ = treq(ph, with_cert["ops-7"], "GET", "/api/v1/status")
    str_, _ = treq(ph, with_cert["rogue"], "GET", "/api/v1/status")
    check("SIGHUP with another client_ca: refused and logged, the running CAs kept",
          "[http] client_ca is set, moved or removed only with a restart" in text(g.logfile)
          and st7 == 200 and str_ == 401, (st7, str_, text(g.logfile)[-600:]))

    check("graceful stop", stop(g) == 0, text(g.logfile)[-1500:])
    return summary()


if __name__ == "__main__":
    try:
        rc = main()
    finally:
        kill_all()
    sys.exit(rc)
