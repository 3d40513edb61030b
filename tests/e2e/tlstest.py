"""What the TLS tests (test_http_tls.py, test_tsca_tls.py) share: a test PKI made with the
openssl command line (independent of the code under test): CAs, server and client
certificates (EC P-256), certificates outside their validity dates, revocation and CRLs,
through `openssl req` and `openssl ca` with a minimal configuration; and a plain-HTTP probe
of a TLS port."""
import os
import shutil
import socket
import subprocess
import time

CA_CONF = """[ca]
default_ca = this_ca
[this_ca]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/new
certificate = $dir/ca.pem
private_key = $dir/ca.key
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_days = 30
default_crl_days = 7
policy = any
unique_subject = no
email_in_dn = no
[any]
commonName = supplied
organizationName = optional
"""


def fresh_workdir(path):
    """The test's work directory, emptied; None (after printing why the test is skipped)
    when the openssl command is missing."""
    if not shutil.which("openssl"):
        print("SKIP: the openssl command is missing (apt-get install openssl)")
        return None
    work = os.path.abspath(path)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    return work


def openssl(*args, cwd=None):
    p = subprocess.run(["openssl"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, cwd=cwd)
    if p.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (" ".join(args[:2]), p.stderr[-800:]))
    return p.stdout


def new_key(path):
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)
    os.chmod(path, 0o600)
    return path


class Ca:
    """A certificate authority in dir: ca.pem, ca.key, its database and CRL number."""

    def __init__(self, dir, name):
        self.dir, self.name = dir, name
        os.makedirs(os.path.join(dir, "new"), exist_ok=True)
        open(os.path.join(dir, "index.txt"), "w").close()
        with open(os.path.join(dir, "serial"), "w") as f:
            f.write("1000\n")
        with open(os.path.join(dir, "crlnumber"), "w") as f:
            f.write("01\n")
        self.conf = os.path.join(dir, "ca.cnf")
        with open(self.conf, "w") as f:
            f.write(CA_CONF.format(dir=dir))
        self.key = new_key(os.path.join(dir, "ca.key"))
        self.pem = os.path.join(dir, "ca.pem")
        openssl("req", "-x509", "-new", "-key", self.key, "-out", self.pem, "-days", "3650",
                "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def issue(self, out, cn, purpose="clientAuth", san=None, start=None, end=None):
        """out.pem and out.key: a certificate for cn with extendedKeyUsage purpose (None:
        no such extension), subjectAltName san ("IP:127.0.0.1,DNS:x"), and validity dates
        start/end ("YYYYMMDDHHMMSSZ"; default: now for 30 days). Returns (pem, key)."""
        key = new_key(out + ".key")
        csr = out + ".csr"
        openssl("req", "-new", "-key", key, "-out", csr, "-subj", "/CN=" + cn)
        ext = out + ".ext"
        lines = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature"]
        if purpose:
            lines.append("extendedKeyUsage=" + purpose)
        if san:
            lines.append("subjectAltName=" + san)
        with open(ext, "w") as f:
            f.write("\n".join(lines) + "\n")
        args = ["ca", "-batch", "-config", self.conf, "-in", csr, "-out", out + ".pem",
                "-extfile", ext, "-notext"]
        if start:
            args += ["-startdate", start]
        if end:
            args += ["-enddate", end]
        openssl(*args)
        return out + ".pem", key

    def revoke(self, pem):
        openssl("ca", "-config", self.conf, "-revoke", pem, "-crl_reason", "keyCompromise")

    def crl(self, out, last=None, next=None):
        """A CRL of every certificate revoked so far; last/next: its lastUpdate and
        nextUpdate ("YYYYMMDDHHMMSSZ"; default: now and in 7 days)."""
        args = ["ca", "-config", self.conf, "-gencrl", "-out", out]
        if last:
            args += ["-crl_lastupdate", last]
        if next:
            args += ["-crl_nextupdate", next]
        openssl(*args)
        return out


def not_after(pem):
    """The certificate's notAfter as seconds since 1970 (openssl's reading)."""
    import calendar
    s = openssl("x509", "-in", pem, "-noout", "-enddate").strip().split("=", 1)[1]
    return calendar.timegm(time.strptime(s, "%b %d %H:%M:%S %Y GMT"))


def plain_http(port, path):
    """Sends a plain-HTTP request to a TLS port: (what came back, seconds until the server
    closed or answered)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    t0 = time.time()
    s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    try:
        got = s.recv(4096)
    except ConnectionResetError:
        got = b""
    s.close()
    return got, time.time() - t0
