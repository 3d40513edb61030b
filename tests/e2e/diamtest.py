"""Helpers of the Diameter end-to-end tests (test_diameter_proxy.py,
test_diameter_freediameter.py, test_diameter_firewall.py): a small Diameter codec
written from RFC 6733 and TS 29.272 (independent of the C code under test), a
Diameter peer over TCP (client or server) that does CER/CEA and DWR/DWA like a
real one, S6a request builders, and gateway configurations with [diameter] and
[[diameter_peer]] tables."""
import json
import socket
import struct
import time

VENDOR_3GPP = 10415
APP_S6A = 16777251

# AVP codes (RFC 6733 4.5, TS 29.272 7.3)
SESSION_ID, ORIGIN_HOST, ORIGIN_REALM, DEST_HOST, DEST_REALM = 263, 264, 296, 293, 283
RESULT_CODE, EXP_RESULT, EXP_RESULT_CODE, VENDOR_ID = 268, 297, 298, 266
AUTH_APP_ID, VSAI, AUTH_SESSION_STATE, ROUTE_RECORD = 258, 260, 277, 282
HOST_IP, PRODUCT_NAME, USER_NAME, ERROR_MESSAGE = 257, 269, 1, 281
ORIGIN_STATE_ID, SUPPORTED_VENDOR, DISCONNECT_CAUSE = 278, 265, 273
RAT_TYPE, ULR_FLAGS, VISITED_PLMN, IDR_FLAGS, CANCEL_TYPE = 1032, 1405, 1407, 1490, 1420
SUBSCRIPTION_DATA, MSISDN, PUR_FLAGS, CLR_FLAGS = 1400, 701, 1635, 1638
NUM_VECTORS, REQ_EUTRAN_AUTH = 1410, 1408

CER, DWR, DPR = 257, 280, 282
ULR, CLR, AIR, IDR, DSR, PUR, RSR, NOR = 316, 317, 318, 319, 320, 321, 322, 323


def avp(code, data, vendor=0, mandatory=True):
    if isinstance(data, str):
        data = data.encode()
    flags = (0x80 if vendor else 0) | (0x40 if mandatory else 0)
    hdr = 12 if vendor else 8
    out = struct.pack(">I", code) + struct.pack(">I", (flags << 24) | (hdr + len(data)))
    if vendor:
        out += struct.pack(">I", vendor)
    return out + data + b"\0" * ((4 - len(data) % 4) % 4)


def u32(code, v, vendor=0, mandatory=True):
    return avp(code, struct.pack(">I", v), vendor, mandatory)


def group(code, *avps, vendor=0, mandatory=True):
    return avp(code, b"".join(avps), vendor, mandatory)


def message(code, app, avps, request=True, hbh=1, e2e=1, proxiable=True, error=False):
    body = b"".join(avps)
    flags = (0x80 if request else 0) | (0x40 if proxiable else 0) | (0x20 if error else 0)
    return struct.pack(">I", (1 << 24) | (20 + len(body))) + \
        struct.pack(">I", (flags << 24) | code) + struct.pack(">III", app, hbh, e2e) + body


def parse(m):
    """Header fields and the top-level AVPs: {'code','flags','app','hbh','e2e','avps':[(code,
    vendor, flags, data)]}."""
    ver_len, fl_code, app, hbh, e2e = struct.unpack(">IIIII", m[:20])
    out = {"version": ver_len >> 24, "len": ver_len & 0xffffff, "flags": fl_code >> 24,
           "code": fl_code & 0xffffff, "app": app, "hbh": hbh, "e2e": e2e, "avps": []}
    out["request"] = bool(out["flags"] & 0x80)
    o = 20
    while o + 8 <= len(m):
        code, fl = struct.unpack(">II", m[o:o + 8])
        flags, ln = fl >> 24, fl & 0xffffff
        hdr = 12 if flags & 0x80 else 8
        vendor = struct.unpack(">I", m[o + 8:o + 12])[0] if hdr == 12 else 0
        if ln < hdr:
            break
        out["avps"].append((code, vendor, flags, m[o + hdr:o + ln]))
        o += (ln + 3) & ~3
    return out


def find(msg, code, vendor=0):
    for c, v, _, d in msg["avps"]:
        if c == code and v == vendor:
            return d
    return None


def find_all(msg, code, vendor=0):
    return [d for c, v, _, d in msg["avps"] if c == code and v == vendor]


def result_of(msg):
    """(result code, experimental vendor or 0)."""
    rc = find(msg, RESULT_CODE)
    if rc is not None:
        return struct.unpack(">I", rc)[0], 0
    er = find(msg, EXP_RESULT)
    if er is not None:
        inner = parse(b"\1\0\0\0" + b"\0" * 16 + er)
        return struct.unpack(">I", find(inner, EXP_RESULT_CODE))[0], \
            struct.unpack(">I", find(inner, VENDOR_ID))[0]
    return None, 0


def plmn(mcc, mnc):
    """Visited-PLMN-Id (TS 29.272 7.3.9: 3 octets, TBCD like E.212 in MAP)."""
    d = mcc + (mnc if len(mnc) == 3 else "f" + mnc)
    # octet 1: MCC2 MCC1, octet 2: MNC3 MCC3, octet 3: MNC2 MNC1
    m1, m2, m3 = mcc
    n = mnc if len(mnc) == 3 else mnc + "f"
    n1, n2, n3 = n[0], n[1], n[2]
    del d
    return bytes([int(m2) << 4 | int(m1), int(n3, 16) << 4 | int(m3), int(n2) << 4 | int(n1)])


def realm_of(mcc, mnc):
    return "epc.mnc%03d.mcc%s.3gppnetwork.org" % (int(mnc), mcc)


def s6a(code, origin_host, origin_realm, dest_realm, imsi, extra=(), session=None, hbh=1,
        dest_host=None):
    """An S6a request with the mandatory AVPs of TS 29.272 7.2 (Session-Id first)."""
    avps = [avp(SESSION_ID, session or "%s;%d;%d" % (origin_host, hbh, code)),
            group(VSAI, u32(VENDOR_ID, VENDOR_3GPP), u32(AUTH_APP_ID, APP_S6A)),
            u32(AUTH_SESSION_STATE, 1), avp(ORIGIN_HOST, origin_host),
            avp(ORIGIN_REALM, origin_realm)]
    if dest_host:
        avps.append(avp(DEST_HOST, dest_host))
    avps += [avp(DEST_REALM, dest_realm), avp(USER_NAME, imsi)] + list(extra)
    return message(code, APP_S6A, avps, hbh=hbh, e2e=hbh)


def ulr(origin_host, origin_realm, dest_realm, imsi, mcc, mnc, **kw):
    return s6a(ULR, origin_host, origin_realm, dest_realm, imsi,
               [u32(RAT_TYPE, 1004, VENDOR_3GPP), u32(ULR_FLAGS, 0x22, VENDOR_3GPP),
                avp(VISITED_PLMN, plmn(mcc, mnc), VENDOR_3GPP)], **kw)


def answer_to(req, result, origin_host, origin_realm, extra=()):
    r = parse(req)
    avps = []
    sid = find(r, SESSION_ID)
    if sid is not None:
        avps.append(avp(SESSION_ID, sid))
    avps += [u32(RESULT_CODE, result), avp(ORIGIN_HOST, origin_host),
             avp(ORIGIN_REALM, origin_realm)] + list(extra)
    return message(r["code"], r["app"], avps, request=False, hbh=r["hbh"], e2e=r["e2e"],
                   proxiable=bool(r["flags"] & 0x40))


class Peer:
    """A Diameter peer over TCP that the tests drive: connects (or accepts) and does the
    capabilities exchange, answers DWR, reads messages one at a time."""

    def __init__(self, host, realm, connect=None, listen_sock=None, apps=(APP_S6A,), cer=True,
                 timeout=5, rcvbuf=0):
        self.host, self.realm, self.buf = host, realm, b""
        if connect:
            self.s = socket.socket()
            if rcvbuf:  # before connect: a small window, no autotuning (a slow peer)
                self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            self.s.settimeout(timeout)
            self.s.connect(connect)
        else:
            listen_sock.settimeout(timeout)
            self.s, _ = listen_sock.accept()
        self.s.settimeout(timeout)
        self.apps = apps
        self.cea = None
        if cer and connect:
            self.send(self.cer(), raw=True)
            self.cea = self.recv_base()

    def cer(self, hbh=0x7000):
        avps = [avp(ORIGIN_HOST, self.host), avp(ORIGIN_REALM, self.realm),
                avp(HOST_IP, b"\0\1\x7f\0\0\1"), u32(VENDOR_ID, 0),
                avp(PRODUCT_NAME, "pytest-peer", mandatory=False),
                u32(SUPPORTED_VENDOR, VENDOR_3GPP)]
        for a in self.apps:
            avps.append(group(VSAI, u32(VENDOR_ID, VENDOR_3GPP), u32(AUTH_APP_ID, a)))
        return message(CER, 0, avps, proxiable=False, hbh=hbh, e2e=hbh)

    def send(self, m, raw=False):
        self.s.sendall(m)

    def read(self):
        """The next message (None when the connection closed)."""
        while True:
            if len(self.buf) >= 4:
                ln = struct.unpack(">I", self.buf[:4])[0] & 0xffffff
                if ln >= 20 and len(self.buf) >= ln:
                    m, self.buf = self.buf[:ln], self.buf[ln:]
                    return m
            try:
                d = self.s.recv(65536)
            except (socket.timeout, OSError):
                return None
            if not d:
                return None
            self.buf += d

    def recv_base(self):
        m = self.read()
        return parse(m) if m else None

    def recv(self):
        """The next application message, answering DWR on the way; None on close."""
        while True:
            m = self.read()
            if m is None:
                return None
            p = parse(m)
            if p["code"] == DWR and p["request"]:
                self.send(answer_to(m, 2001, self.host, self.realm))
                continue
            if p["code"] in (CER, DWR, DPR):
                if p["code"] == CER and p["request"]:
                    self.send(self.cea_for(m))
                elif p["code"] == DPR and p["request"]:
                    self.send(answer_to(m, 2001, self.host, self.realm))
                continue
            return m

    def cea_for(self, cer):
        extra = [avp(HOST_IP, b"\0\1\x7f\0\0\1"), u32(VENDOR_ID, 0),
                 avp(PRODUCT_NAME, "pytest-peer", mandatory=False)]
        extra += [group(VSAI, u32(VENDOR_ID, VENDOR_3GPP), u32(AUTH_APP_ID, a))
                  for a in self.apps]
        r = parse(cer)
        return message(CER, 0, [u32(RESULT_CODE, 2001), avp(ORIGIN_HOST, self.host),
                                avp(ORIGIN_REALM, self.realm)] + extra,
                       request=False, hbh=r["hbh"], e2e=r["e2e"], proxiable=False)

    def closed(self):
        """True when the other side closes within the timeout (reads what remains)."""
        while True:
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                return False
            except OSError:
                return True
            if not d:
                return True
            self.buf += d

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4)
    return s


def write_config(path, diameter, peers, extra=(), links=()):
    """A gateway file: [gateway] lines, [diameter] (a dict), one [[diameter_peer]] per dict,
    optional M3UA [[link]] dicts."""
    def val(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        return json.dumps(v) if isinstance(v, (str, list)) else str(v)
    lines = ["[gateway]"] + list(extra) + ["", "[diameter]"]
    lines += ["%s = %s" % (k, val(v)) for k, v in diameter.items()]
    for kind, tables in (("diameter_peer", peers), ("link", links)):
        for t in tables:
            lines += ["", "[[%s]]" % kind] + ["%s = %s" % (k, val(v)) for k, v in t.items()]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def wait_for(cond, timeout=10, step=0.02):
    """Polls cond() until it is true or the deadline passes; returns its last value."""
    end = time.time() + timeout
    v = cond()
    while not v and time.time() < end:
        time.sleep(step)
        v = cond()
    return v


def dinvariant(st):
    """Diameter: data_in == forwarded + answered + dropped."""
    c = st.get("diameter", {}).get("counters", {})
    return c.get("data_in") == c.get("forwarded", 0) + c.get("answered", 0) + c.get("dropped", 0)
