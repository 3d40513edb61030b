#!/usr/bin/env python3
"""pcaptool.py - small capture surgery for trying the security token (docs/trust-quickstart.md).

Reads the classic pcap files `ssgw sign` writes (Ethernet / IPv4 or IPv6 / SCTP / one
M3UA message per DATA chunk) and writes modified copies:

  pcaptool.py tamper FIELD IN OUT   change FIELD in every frame that carries a token
                                    (the address fields: in every frame):
                                    signature, key-id, time, nonce, calling-gt, tcap,
                                    called-gt, called-ssn, calling-ssn
  pcaptool.py replay IN OUT         every frame twice (the second copy is a replay)

The SCTP checksum is not recomputed (ssgw does not check it unless asked to).
The token is found by its direct-reference OID (docs/wire-format.md section 2).
"""
import struct
import sys

TOKEN_OID = bytes.fromhex("0615698391c8e3c5b08abaa6bfbcede5f7c6e59cab1e02")  # version 2


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic == b"\xd4\xc3\xb2\xa1":
        endian = "<"
    elif magic == b"\xa1\xb2\xc3\xd4":
        endian = ">"
    else:
        raise ValueError("%s: not a classic pcap file" % path)
    header = data[:24]
    recs = []
    off = 24
    while off + 16 <= len(data):
        ts, us, incl, orig = struct.unpack(endian + "IIII", data[off:off + 16])
        recs.append([ts, us, bytearray(data[off + 16:off + 16 + incl])])
        off += 16 + incl
    return header, endian, recs


def write_pcap(path, header, endian, recs):
    with open(path, "wb") as f:
        f.write(header)
        for ts, us, frame in recs:
            f.write(struct.pack(endian + "IIII", ts, us, len(frame), len(frame)))
            f.write(bytes(frame))


def m3ua_span(frame):
    """(offset, length) of the M3UA message in the first SCTP DATA chunk, or None."""
    if len(frame) < 14:
        return None
    et = struct.unpack(">H", frame[12:14])[0]
    off = 14
    if et == 0x0800:
        ihl = (frame[off] & 15) * 4
        if frame[off + 9] != 132:
            return None
        off += ihl
    elif et == 0x86DD:
        if frame[off + 6] != 132:
            return None
        off += 40
    else:
        return None
    off += 12  # SCTP common header
    while off + 16 <= len(frame):
        ctype, flags, clen = frame[off], frame[off + 1], struct.unpack(">H", frame[off + 2:off + 4])[0]
        if ctype == 0:
            return off + 16, clen - 16
        off += (clen + 3) & ~3
    return None


def sccp_span(frame):
    """(offset, length) of the SCCP message inside the M3UA DATA message, or None."""
    s = m3ua_span(frame)
    if not s:
        return None
    off, ln = s
    if frame[off + 2] != 1 or frame[off + 3] != 1:  # class transfer, DATA
        return None
    p, end = off + 8, off + ln
    while p + 4 <= end:
        tag, plen = struct.unpack(">HH", frame[p:p + 4])
        if tag == 0x0210:
            return p + 4 + 12, plen - 4 - 12
        p += (plen + 3) & ~3
    return None


def sccp_parts(frame):
    """dict with 'calling' (offset, len) of the calling address and 'data' (offset, len)."""
    s = sccp_span(frame)
    if not s:
        return None
    o, _ = s
    t = frame[o]
    if t == 0x09:  # UDT
        called = o + 2 + frame[o + 2]
        calling = o + 3 + frame[o + 3]
        data = o + 4 + frame[o + 4]
    elif t == 0x11:  # XUDT
        called = o + 3 + frame[o + 3]
        calling = o + 4 + frame[o + 4]
        data = o + 5 + frame[o + 5]
    else:
        return None
    return {"type": t, "called": (called + 1, frame[called]), "calling": (calling + 1, frame[calling]),
            "data": (data + 1, frame[data])}


def token_fields(frame):
    """Offsets of the token's fields in the frame: key-id, time, nonce, signature (value
    offset, length), or None when the frame has no (whole) token."""
    i = frame.find(TOKEN_OID)
    if i < 0:
        return None
    p = i + len(TOKEN_OID)
    p += 2  # encoding [0]/[1] and its (short) length
    if frame[p] != 0x30:
        return None
    p += 2
    fields = {}
    names = {0x80: "mode", 0x81: "placement", 0x82: "key-id", 0x83: "time", 0x84: "nonce",
             0x85: "signature"}
    for _ in range(6):
        tag, ln = frame[p], frame[p + 1]
        fields[names.get(tag, hex(tag))] = (p + 2, ln)
        p += 2 + ln
    fields["token"] = (i, p - i)
    return fields


def tamper(frame, field):
    """Changes FIELD of the token-carrying frame in place; False when not applicable.
    The SCCP address fields (called-gt, called-ssn, calling-ssn) are changed in every frame
    that has them, so that all segments of a segmented message say the same."""
    tf = token_fields(frame)
    if not tf and field not in ("called-gt", "called-ssn", "calling-ssn"):
        return False
    if field in ("signature", "key-id", "time", "nonce"):
        o, ln = tf[field]
        frame[o + ln - 1] ^= 0x01
        return True
    parts = sccp_parts(frame)
    if not parts:
        return False
    if field == "calling-gt":
        o, ln = parts["calling"]
        frame[o + ln - 1] ^= 0x01  # lowest bit of the last BCD digit pair
        return True
    if field == "tcap":
        o, ln = parts["data"]
        frame[o + ln - 1] ^= 0x01  # last octet of the TCAP message (a component)
        return True
    if field == "called-gt":
        o, ln = parts["called"]
        if (frame[o] >> 2) & 15 == 0:
            return False  # no GT
        frame[o + ln - 1] ^= 0x01
        return True
    if field in ("called-ssn", "calling-ssn"):
        o, ln = parts["called" if field == "called-ssn" else "calling"]
        ai = frame[o]
        if not ai & 0x02:
            return False  # no SSN
        frame[o + 1 + (2 if ai & 0x01 else 0)] ^= 0x01  # Q.713 3.4: indicator, [PC], SSN
        return True
    raise ValueError("unknown field " + field)


def main(argv):
    if len(argv) == 5 and argv[1] == "tamper":
        header, endian, recs = read_pcap(argv[3])
        n = sum(1 for r in recs if tamper(r[2], argv[2]))
        write_pcap(argv[4], header, endian, recs)
        print("pcaptool: %s changed in %d of %d frames -> %s" % (argv[2], n, len(recs), argv[4]))
        return 0
    if len(argv) == 4 and argv[1] == "replay":
        header, endian, recs = read_pcap(argv[2])
        write_pcap(argv[3], header, endian, recs + [list(r) for r in recs])
        print("pcaptool: %d frames, then all of them again -> %s" % (len(recs), argv[3]))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
