#!/usr/bin/env python3
"""End-to-end tests of `tsca serve` over HTTPS (--tls-cert/--tls-key, and [serve] tls_cert /
tls_key in DIR/tsca.conf), with certificates made by the openssl command line
(tests/e2e/tlstest.py) and independent clients that verify the served chain: Python's ssl
module and curl (when installed).

- the bundle over HTTPS: the bytes of DIR/current.bundle, the SHA-256 ETag, 304 on
  If-None-Match; the chain verifies for 127.0.0.1 and is refused by a client trusting
  another CA; the log says until when the certificate is valid (as openssl reads it);
- a plain-HTTP request to the TLS port is closed at once without an HTTP answer, and the
  server keeps serving;
- start-up errors naming the file: a key readable by others (0644) is refused, while 0640
  (a group such as ssl-cert) is accepted; an expired certificate; a key that is not the
  certificate's.

Usage: test_tsca_tls.py --tsca BIN --registry CSV --workdir DIR
"""
import argparse
import hashlib
import http.client
import os
import shutil
import ssl
import subprocess
import sys
import time

import tlstest
from gwtest import check, free_port, summary

PAST = ("20200101000000Z", "20200201000000Z")


def serve(tsca, args):
    """Starts `tsca serve`; returns (process, port or None when it did not start)."""
    p = subprocess.Popen([tsca, "serve"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    line = p.stdout.readline()
    port = int(line.strip().rsplit(":", 1)[-1]) if line.startswith("listening on ") else None
    return p, port


def stop(p):
    if p.poll() is None:
        p.terminate()
    try:
        _, err = p.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    return p.returncode, err


def fails(tsca, args):
    """`tsca serve` that must not start: (exit status, stderr)."""
    try:
        p = subprocess.run([tsca, "serve"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=20)
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return None, "it started"


def get(port, ctx, etag=None):
    c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
    c.request("GET", "/bundle", headers={"If-None-Match": etag} if etag else {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, r.getheader("ETag"), body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--registry", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    work = tlstest.fresh_workdir(a.workdir)
    if not work:
        return 77
    w = lambda *p: os.path.join(work, *p)  # noqa: E731
    T = a.tsca
    ca = w("tsca")
    p = subprocess.run([T, "init", ca, "--name", "TLS TSCA", "--registry", a.registry,
                        "--approvals", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    p2 = subprocess.run([T, "bundle", ca, w("b1.bundle")], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
    check("a TSCA with a bundle", p.returncode == 0 and p2.returncode == 0, p.stderr + p2.stderr)
    bundle = open(os.path.join(ca, "current.bundle"), "rb").read()

    web = tlstest.Ca(w("web-ca"), "Web CA")
    other = tlstest.Ca(w("other-ca"), "Other CA")
    srv = web.issue(w("serve"), "tsca.test", purpose="serverAuth", san="IP:127.0.0.1")
    expired = web.issue(w("expired"), "tsca.test", purpose="serverAuth", san="IP:127.0.0.1",
                        start=PAST[0], end=PAST[1])
    ctx = ssl.create_default_context(cafile=web.pem)

    # ---- HTTPS from the command line ----
    tls = ["--tls-cert", srv[0], "--tls-key", srv[1]]
    sp, port = serve(T, [ca, "--listen", "127.0.0.1:0"] + tls)
    check("tsca serve --tls-cert/--tls-key: listening", port is not None, sp.poll())
    if port is None:
        print(stop(sp))
        return summary()
    st, etag, body = get(port, ctx)
    check("GET /bundle over HTTPS, the chain verified for 127.0.0.1: the bundle's bytes",
          st == 200 and body == bundle, (st, len(body)))
    check("its ETag is the SHA-256 of the file",
          etag == '"%s"' % hashlib.sha256(bundle).hexdigest(), etag)
    st, _, body = get(port, ctx, etag)
    check("If-None-Match over HTTPS: 304", st == 304 and body == b"", st)
    try:
        get(port, ssl.create_default_context(cafile=other.pem))
        e = None
    except ssl.SSLCertVerificationError as x:
        e = x
    check("a client trusting another CA refuses the server", e is not None, e)
    got, took = tlstest.plain_http(port, "/bundle")
    check("plain HTTP to the TLS port: closed without an HTTP answer, at once",
          not got.startswith(b"HTTP/") and took < 3, (got[:80], took))
    st, _, body = get(port, ctx)
    check("HTTPS still served after the plain request", st == 200 and body == bundle, st)
    if shutil.which("curl"):
        out = w("curl.bundle")
        p = subprocess.run(["curl", "-sS", "--fail", "--cacert", web.pem, "-o", out,
                            "https://127.0.0.1:%d/bundle" % port], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=30)
        check("curl (verifying the chain) downloads the same bundle", p.returncode == 0
              and open(out, "rb").read() == bundle, p.stderr)
    rc, err = stop(sp)
    until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(tlstest.not_after(srv[0])))
    check("stops on SIGTERM; the log says until when the certificate is valid",
          rc == 0 and "HTTPS with %s (valid until %s)" % (srv[0], until) in err, (rc, err))

    # ---- HTTPS from tsca.conf [serve], paths relative to DIR, key 0640 ----
    shutil.copy(srv[0], os.path.join(ca, "serve.pem"))
    shutil.copy(srv[1], os.path.join(ca, "serve.key"))
    os.chmod(os.path.join(ca, "serve.key"), 0o640)
    with open(os.path.join(ca, "tsca.conf"), "a") as f:
        f.write('\n[serve]\nlisten = "127.0.0.1:%d"\ntls_cert = "serve.pem"\n'
                'tls_key = "serve.key"\n' % free_port())
    sp, port = serve(T, [ca])
    st, _, body = get(port, ctx) if port else (None, None, b"")
    check("[serve] tls_cert/tls_key in tsca.conf; a key readable by its group only (0640) "
          "is accepted", st == 200 and body == bundle, (st, sp.poll()))
    stop(sp)

    # ---- start-up errors naming the file ----
    os.chmod(srv[1], 0o644)
    rc, err = fails(T, [ca, "--listen", "127.0.0.1:0"] + tls)
    check("a key readable by others (0644) is refused, naming the file and the fix",
          rc == 1 and "tls_key '%s': mode 0644" % srv[1] in err and "chmod 600" in err, (rc, err))
    os.chmod(srv[1], 0o600)
    rc, err = fails(T, [ca, "--listen", "127.0.0.1:0", "--tls-cert", expired[0], "--tls-key",
                        expired[1]])
    check("an expired certificate is refused, naming the file and the date",
          rc == 1 and "tls_cert '%s': the certificate 'CN=tsca.test' expired on 2020-02-01"
          % expired[0] in err, (rc, err))
    rc, err = fails(T, [ca, "--listen", "127.0.0.1:0", "--tls-cert", srv[0], "--tls-key",
                        expired[1]])
    check("a key that is not the certificate's is refused, naming both files",
          rc == 1 and "tls_key '%s' is not the private key" % expired[1] in err
          and srv[0] in err, (rc, err))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
