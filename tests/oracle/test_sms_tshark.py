#!/usr/bin/env python3
"""Oracle test: the SMS TPDU (3GPP TS 23.040) inside MAP sm-RP-UI, decoded by ssgw and by
tshark (gsm_sms.*), field by field.

Three captures:
  * ours, M3UA: `ssgw generate --protocol sms`: mt-forwardSM, mo-forwardSM and their results,
    forwardSM v2 both ways and v1, carrying SMS-DELIVER, -SUBMIT, -STATUS-REPORT,
    -DELIVER-REPORT and -SUBMIT-REPORT in GSM 7-bit (extension table included), UCS-2
    (surrogate pairs included) and 8-bit data, with concatenation (8- and 16-bit
    references) and port headers, numeric and alphanumeric addresses;
  * ours, MTP3: the same generator on the MTP3 link type;
  * theirs: the well-known "hellohello" SMS-DELIVER and SMS-SUBMIT PDUs (published
    examples of the TS 23.038 packing, not written by ssgw), wrapped by this script in
    mt-forwardSM / mo-forwardSM, TCAP, SCCP and MTP3 built here byte by byte.

For each frame: no malformed mark and no expert item from tshark; no error record from
ssgw; and the same TP-MTI, TP-OA / TP-DA / TP-RA with type of number and numbering plan,
TP-PID, TP-DCS, TP-MR, the flags (MMS, SRI, SRR, RD, SRQ, RP, UDHI), TP-VPF and the validity
period, the time stamps, TP-ST, TP-UDL, the concatenation and port headers, and the text
(`ssgw decode --sms-text`; by default the text is not printed, which is checked too).

Usage: test_sms_tshark.py --ssgw BIN --workdir DIR [--count N] [--seed N]
"""
import collections
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdml  # noqa: E402
from oracle_decode import Report  # noqa: E402

MTI = {"deliver": 0, "submit": 1, "status-report": 2, "deliver-report": 0, "submit-report": 1,
       "command": 2}

# TS 23.038 6.1.2.1.1's "hellohello" in the SMS-DELIVER and SMS-SUBMIT PDUs published with it.
THEIRS = [
    (44, "040bc87238880900f10000993092516195800ae8329bfd4697d9ec37"),  # mt-forwardSM
    (46, "1100 0b916407281553f80000aa0ae8329bfd4697d9ec37"),  # mo-forwardSM
]


def run(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True).stdout


def tlv(tag, body):
    n = len(body)
    ln = bytes([n]) if n < 128 else bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 255])
    return bytes([tag]) + ln + body


def tbcd(digits):
    d = digits + ("F" if len(digits) % 2 else "")
    return bytes(int(d[i + 1], 16) << 4 | int(d[i], 16) for i in range(0, len(d), 2))


def map_frame(op, tpdu, i):
    """MTP3 MSU: SCCP UDT (SSN 8 both sides) / TCAP Begin (AARQ) / MAP invoke of op."""
    sc = tlv(0x84, b"\x91" + tbcd("447700900000"))
    if op == 44:  # mt-forwardSM: DA imsi [0], OA serviceCentreAddressOA [4]
        arg = tlv(0x80, tbcd("262011234567890")) + sc
        acn = bytes([4, 0, 0, 1, 0, 25, 3])  # shortMsgMT-RelayContext-v3
    else:  # mo-forwardSM: DA serviceCentreAddressDA [4], OA msisdn [2]
        arg = sc + tlv(0x82, b"\x91" + tbcd("447700900123"))
        acn = bytes([4, 0, 0, 1, 0, 21, 3])  # shortMsgMO-RelayContext-v3
    arg = tlv(0x30, arg + tlv(0x04, tpdu))
    invoke = tlv(0xA1, tlv(0x02, bytes([1])) + tlv(0x02, bytes([op])) + arg)
    aarq = tlv(0x60, tlv(0x80, b"\x07\x80") + tlv(0xA1, tlv(0x06, acn)))
    dialogue = tlv(0x6B, tlv(0x28, tlv(0x06, bytes.fromhex("00118605010101")) + tlv(0xA0, aarq)))
    tcap = tlv(0x62, tlv(0x48, bytes([0, 0, 0, i + 1])) + dialogue + tlv(0x6C, invoke))
    called = calling = bytes([0x42, 8])  # route on SSN, SSN 8 (MSC)
    # UDT (Q.713 4.10): each pointer counts from itself to its parameter's length octet
    sccp = bytes([0x09, 0x01, 3, 3 + len(called), 3 + len(called) + len(calling)])
    sccp += bytes([len(called)]) + called + bytes([len(calling)]) + calling
    sccp += bytes([len(tcap)]) + tcap
    return pdml.mtp3_msu(3, 300 + i, 400 + i, i, sccp)


def write_theirs(path):
    frames = [map_frame(op, bytes.fromhex(h.replace(" ", "")), i) for i, (op, h) in
              enumerate(THEIRS)]
    pdml.write_pcap(path, pdml.LINKTYPE_MTP3, frames)


def minutes_of(showname):
    """TP-Validity-Period as tshark words it: '51 week(s)', '11 day(s)', '2 hours 45 minutes'."""
    m = re.search(r"(\d+) week", showname)
    if m:
        return int(m.group(1)) * 7 * 1440
    m = re.search(r"(\d+) day", showname)
    if m:
        return int(m.group(1)) * 1440
    m = re.search(r"(?:(\d+) hours )?(\d+) minutes", showname)
    return int(m.group(1) or 0) * 60 + int(m.group(2)) if m else None


def times(proto):
    """The time stamps in tree order: [(y, mo, d, h, mi, s, tz quarters)]."""
    keys = ["year", "month", "day", "hour", "minutes", "seconds", "timezone"]
    vals = {k: [] for k in keys}
    for f in proto.iter("field"):
        n = f.get("name", "")
        if n == "gsm_sms.scts.timezone":
            # the sign is only in the words: "Timezone: GMT - 7 hours 30 minutes"
            m = re.search(r"GMT ([+-]) (\d+) hours (\d+) minutes", f.get("showname"))
            q = (int(m.group(2)) * 60 + int(m.group(3))) // 15
            vals["timezone"].append(-q if m.group(1) == "-" else q)
        elif n.startswith("gsm_sms.scts."):
            vals[n[len("gsm_sms.scts."):]].append(int(f.get("show"), 0))
    return list(zip(*[vals[k] for k in keys]))


def our_time(s):
    """'2024-01-12T21:34:56+01:00' -> (24, 1, 12, 21, 34, 56, 4)."""
    m = re.fullmatch(r"20(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d):(\d\d)", s)
    q = (int(m.group(8)) * 60 + int(m.group(9))) // 15
    return tuple(int(m.group(k)) for k in range(1, 7)) + (-q if m.group(7) == "-" else q,)


def compare(rep, frame, rec, proto):
    f = pdml.fields(proto)
    one = lambda n: f[n][0] if f.get(n) else None  # noqa: E731
    rep.check("no error record", frame, rec.get("error", ""), "")
    rep.check("sms present", frame, "sms_type" in rec, True)
    if "sms_type" not in rec:
        return
    rep.check("tp-mti", frame, MTI[rec["sms_type"]], pdml.num(one("gsm_sms.tp-mti")))
    rep.check("sms_mti", frame, rec["sms_mti"], pdml.num(one("gsm_sms.tp-mti")))
    for key, field in (("sms_oa", "gsm_sms.tp-oa"), ("sms_da", "gsm_sms.tp-da"),
                       ("sms_ra", "gsm_sms.tp-ra")):
        rep.check(key, frame, rec.get(key), one(field))
        if key in rec:
            rep.check(key + "_ton", frame, rec[key + "_ton"],
                      pdml.num(one("gsm_sms.dis_field_addr.num_type")))
            rep.check(key + "_npi", frame, rec[key + "_npi"],
                      pdml.num(one("gsm_sms.dis_field_addr.num_plan")))
            rep.check(key + "_type", frame, rec[key + "_type"] == "alphanumeric",
                      rec[key + "_ton"] == 5)
    for key, field in (("sms_pid", "gsm_sms.tp-pid"), ("sms_dcs", "gsm_sms.tp-dcs"),
                       ("sms_mr", "gsm_sms.tp-mr"), ("sms_udl", "gsm_sms.tp.user_data_length")):
        v = one(field)
        rep.check(key, frame, rec.get(key), None if v is None else pdml.num(v))
    for key, field in (("sms_mms", "gsm_sms.tp-mms"), ("sms_sri", "gsm_sms.tp-sri"),
                       ("sms_srr", "gsm_sms.tp-srr"), ("sms_rd", "gsm_sms.tp-rd"),
                       ("sms_srq", "gsm_sms.tp-srq"), ("sms_rp", "gsm_sms.tp-rp"),
                       ("sms_udhi", "gsm_sms.tp-udhi")):
        v = one(field)
        if v is not None or key in rec:
            rep.check(key, frame, rec.get(key), None if v is None else bool(pdml.num(v)))
    # validity period, time stamps (SCTS, then DT; an absolute TP-VP uses the same fields)
    ts = times(proto)
    ours_t = [our_time(rec[k]) for k in ("sms_vp", "sms_scts", "sms_dt")
              if k in rec and rec[k] != "enhanced"]
    rep.check("time stamps", frame, ours_t, ts)
    vp = [fl for fl in proto.iter("field") if fl.get("name") == "gsm_sms.vp.validity_period"]
    rep.check("sms_vp_minutes", frame, rec.get("sms_vp_minutes"),
              minutes_of(vp[0].get("showname")) if vp else None)
    if one("gsm_sms.dis_field.st_error") is not None:
        st = (pdml.num(one("gsm_sms.dis_field.definition")) << 7 |
              pdml.num(one("gsm_sms.dis_field.st_error")) << 5 |
              pdml.num(one("gsm_sms.dis.field_st_reason")))
        rep.check("sms_st", frame, rec.get("sms_st"), st)
    # user data header
    c = rec.get("sms_udh_concat")
    rep.check("concat ref", frame, c and c["ref"],
              pdml.num(one("gsm_sms.udh.mm.msg_id")) if one("gsm_sms.udh.mm.msg_id") else None)
    if c:
        rep.check("concat total", frame, c["total"], pdml.num(one("gsm_sms.udh.mm.msg_parts")))
        rep.check("concat seq", frame, c["seq"], pdml.num(one("gsm_sms.udh.mm.msg_part")))
    p = rec.get("sms_udh_ports")
    rep.check("dst port", frame, p and p["dst"],
              pdml.num(one("gsm_sms.destination_port")) if one("gsm_sms.destination_port") else None)
    if p:
        rep.check("src port", frame, p["src"], pdml.num(one("gsm_sms.originator_port")))
    ies = [pdml.num(v) for v in f.get("gsm_sms.ie_identifier", [])]
    rep.check("udh ieis", frame, rec.get("sms_udh_ieis", []), ies)
    # the text (8-bit data: the body)
    if "sms_text" in rec:
        rep.check("sms_text", frame, rec["sms_text"], one("gsm_sms.sms_text") or "")
    if "sms_body" in rec:
        rep.check("sms_body", frame, rec["sms_body"], one("gsm_sms.sms_body").replace(":", ""))


def oracle(name, pcap, args, rep):
    plain = [json.loads(line) for line in run([args.ssgw, "decode", "--json", pcap]).splitlines()]
    ours = collections.defaultdict(list)
    for line in run([args.ssgw, "decode", "--json", "--sms-text", pcap]).splitlines():
        r = json.loads(line)
        ours[r["frame"]].append(r)
    # privacy: without --sms-text no record carries the text or the body
    rep.check("no text without --sms-text", name, [r["frame"] for r in plain
                                                  if "sms_text" in r or "sms_body" in r], [])
    rep.check("text length without --sms-text", name,
              sum(1 for r in plain if "sms_text_chars" in r or "sms_body_octets" in r) > 0, True)
    frames = 0
    tpdus = collections.Counter()
    for frame, pkt in pdml.packets(pcap, ["-o", "gsm_map.tcap.ssn:6-9,145,147-150"]):
        frames += 1
        exp, malformed = pdml.experts(pkt)
        rep.check("not malformed (tshark)", frame, malformed, False)
        rep.check("no expert item (tshark)", frame, exp, [])
        recs = ours.get(frame, [])
        smss = pdml.protos(pkt, "gsm_sms")
        rep.check("one TPDU per frame", frame, (len(recs), len(smss)), (1, 1))
        for rec, proto in zip(recs, smss):
            compare(rep, "%s:%s" % (name, frame), rec, proto)
            tpdus[(rec.get("sms_type"), rec.get("sms_alphabet"))] += 1
    return frames, tpdus


def main():
    a = pdml.oracle_args(__doc__, 960, 21)
    theirs = os.path.join(a.workdir, "sms_theirs.pcap")
    write_theirs(theirs)
    rep = Report()
    total = 0
    kinds = collections.Counter()
    for name, pcap in pdml.generated(a, "sms") + [("theirs", theirs)]:
        n, k = oracle(name, pcap, a, rep)
        total += n
        kinds += k
    # every TPDU type we encode, in every alphabet
    for t in ("deliver", "submit", "status-report", "deliver-report", "submit-report"):
        for alpha in ("gsm7", "ucs2", "8bit"):
            rep.check("covered %s/%s" % (t, alpha), 0, kinds[(t, alpha)] > 0, True)
    return pdml.report(rep, "sms oracle: %d frames" % total)


if __name__ == "__main__":
    sys.exit(main())
