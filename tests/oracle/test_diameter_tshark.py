#!/usr/bin/env python3
"""Oracle test for Diameter: `ssgw decode --json` against Wireshark's tshark, both ways.

1. tshark decodes what our encoder writes: `ssgw generate --protocol diameter` (every
   command of the base protocol and of S6a/S6d, request and answer, both directions)
   over SCTP (PPID 46, one or several DATA chunks per packet) and TCP (several messages
   per segment, messages split across segments). For every Diameter message, in every
   frame, each value ssgw reports must equal what tshark decoded from the same bytes:
   command code and flags, application id, hop-by-hop and end-to-end ids, Session-Id,
   Origin-/Destination-Host and -Realm, Route-Record, User-Name and the IMSI tshark's
   E.212 dissector finds in it (e212.imsi), Visited-PLMN-Id (e212.mcc / e212.mnc),
   RAT-Type, the S6a flags, Cancellation-Type, Context-Identifier, Subscription-Data
   (MSISDN as e164.msisdn, status, access mode, AMBR, APN names), IMEI, Result-Code,
   Experimental-Result (code and vendor), Disconnect-Cause, Error-Message. tshark must
   report no malformed packet and no expert information at all on what we encoded.
2. We decode captures that Wireshark's own tools wrote from that traffic: tshark's
   exported-PDU pcapng (`-U "OSI layer 7"`), and text2pcap captures in which text2pcap
   built the IP, SCTP and TCP headers around the Diameter bytes tshark extracted. The
   same field-by-field comparison runs on each of them.

3. Every AVP of ssgw's dictionary (with --dict-tool): one message per AVP, written by the
   encoder; tshark must decode it under the same code, vendor and name, with the value ssgw's
   decoder reads back, and without any expert mark; the M-bit rule must not contradict
   Wireshark's dictionary.

The positions of the values (which AVP, inside which Grouped AVP) are written here from
TS 29.272 and RFC 6733, independently of the C tables; the values are tshark's.

Usage: test_diameter_tshark.py --ssgw BIN --workdir DIR [--count N] [--dict-tool BIN]
Exit status 0 when everything matches; 1 with a per-field report otherwise.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

# Abbreviations of RFC 6733 3.1 and TS 29.272 7.2.1 by command code: (request, answer).
ABBREV = {257: ("CER", "CEA"), 280: ("DWR", "DWA"), 282: ("DPR", "DPA"),
          316: ("ULR", "ULA"), 317: ("CLR", "CLA"), 318: ("AIR", "AIA"),
          319: ("IDR", "IDA"), 320: ("DSR", "DSA"), 321: ("PUR", "PUA"),
          322: ("RSR", "RSA"), 323: ("NOR", "NOA")}
G3 = 10415

# Top-level AVPs (by Wireshark's name) whose value ssgw reports under a key.
TOP_STR = {"Session-Id": "session_id", "Origin-Host": "origin_host",
           "Origin-Realm": "origin_realm", "Destination-Host": "dest_host",
           "Destination-Realm": "dest_realm", "User-Name": "user_name",
           "Error-Message": "error_message"}
TOP_INT = {"RAT-Type": "rat_type", "ULR-Flags": "ulr_flags", "ULA-Flags": "ula_flags",
           "IDR-Flags": "idr_flags", "IDA-Flags": "ida_flags", "CLR-Flags": "clr_flags",
           "DSR-Flags": "dsr_flags", "DSA-Flags": "dsa_flags", "PUR-Flags": "pur_flags",
           "PUA-Flags": "pua_flags", "NOR-Flags": "nor_flags",
           "Cancellation-Type": "cancellation_type", "Context-Identifier": "context_identifier",
           "Result-Code": "result_code", "Disconnect-Cause": "disconnect_cause"}
KEYS = (["diameter", "cmd_code", "request", "proxiable", "error_bit", "retransmitted",
         "app_id", "hbh", "e2e", "imsi", "visited_plmn", "route_record", "apn", "msisdn",
         "subscriber_status", "network_access_mode", "ambr_ul", "ambr_dl", "imei",
         "experimental_result_code", "experimental_result_vendor"] +
        list(TOP_STR.values()) + list(TOP_INT.values()))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout


def as_list(x):
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


class Avp:
    """One AVP of tshark's tree: code, vendor, Wireshark name, value, extra fields, children."""

    def __init__(self, t):
        self.code = int(t["diameter.avp.code"])
        self.vendor = int(t.get("diameter.avp.vendorId", 0))
        self.name, self.value, self.children, self.extra = None, None, [], {}
        for k, v in t.items():
            if k.startswith("diameter.avp") or k.startswith("diameter.3gpp") or k.endswith("_raw"):
                continue
            if k.startswith("diameter.") and k.endswith("_tree") and "diameter.avp_tree" in v:
                self.children = [Avp(c) for c in as_list(v.get("diameter.avp_tree"))]
            elif k.startswith("diameter.") and k.endswith("_tree"):
                self.extra.update(v)  # a value's own subtree (the address of an Address AVP)
            elif k.startswith("diameter.") and self.name is None:
                self.name, self.value = k[len("diameter."):], v
            else:
                self.extra[k] = v

    def find(self, name):
        return [c for c in self.children if c.name == name]


def tshark_pdus(pcap):
    """Frame number -> list of (header dict, top-level AVPs, raw hex) per Diameter PDU; and
    the frames with malformed or expert marks."""
    out = run(["tshark", "-n", "-r", pcap, "-T", "json", "-x", "--no-duplicate-keys"],
              stderr=subprocess.DEVNULL)
    frames, marks = {}, {}

    def find_marks(node, found):
        # expert items sit wherever the dissector added them: in any subtree
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("_ws.malformed", "_ws.expert"):
                    found.append({k: v})
                else:
                    find_marks(v, found)
        elif isinstance(node, list):
            for v in node:
                find_marks(v, found)

    for pkt in json.loads(out):
        layers = pkt["_source"]["layers"]
        num = int(layers["frame"]["frame.number"])
        found = []
        find_marks(layers, found)
        if found:
            marks[num] = found
        raws = layers.get("diameter_raw", [])
        if raws and isinstance(raws[0], str):
            raws = [raws]
        pdus = []
        for d, raw in zip(as_list(layers.get("diameter")), raws):
            pdus.append((d, [Avp(a) for a in as_list(d.get("diameter.avp_tree"))], raw[0]))
        frames[num] = pdus
    return frames, marks


def first(avps, name):
    for a in avps:
        if a.name == name:
            return a
    return None


def plmn_text(hexstr):
    """TS 24.008 10.5.1.13 from the octets tshark shows: MCC2|MCC1, MNC3|MCC3, MNC2|MNC1."""
    b = bytes.fromhex(hexstr.replace(":", ""))
    mcc = "%d%d%d" % (b[0] & 15, b[0] >> 4, b[1] & 15)
    mnc = "%d%d" % (b[2] & 15, b[2] >> 4) + ("" if b[1] >> 4 == 15 else "%d" % (b[1] >> 4))
    return mcc + "-" + mnc


def expected(hdr, avps):
    """What ssgw should report for one PDU, from tshark's decoding."""
    flags = hdr["diameter.flags_tree"]
    code = int(hdr["diameter.cmd.code"])
    req = flags["diameter.flags.request"] == "1"
    e = {"cmd_code": code, "request": req,
         "diameter": ABBREV[code][0 if req else 1] if code in ABBREV else "unknown",
         "proxiable": True if flags["diameter.flags.proxyable"] == "1" else None,
         "error_bit": True if flags["diameter.flags.error"] == "1" else None,
         "retransmitted": True if flags["diameter.flags.T"] == "1" else None,
         "app_id": int(hdr["diameter.applicationId"]),
         "hbh": int(hdr["diameter.hopbyhopid"], 16), "e2e": int(hdr["diameter.endtoendid"], 16)}
    for name, key in TOP_STR.items():
        a = first(avps, name)
        e[key] = a.value if a else None
    for name, key in TOP_INT.items():
        a = first(avps, name)
        e[key] = int(a.value, 0) if a else None
    user = first(avps, "User-Name")
    e["imsi"] = user.extra.get("e212.imsi") if user else None
    rr = [a.value for a in avps if a.name == "Route-Record"]
    e["route_record"] = rr or None
    v = first(avps, "Visited-PLMN-Id")
    e["visited_plmn"] = None
    if v:
        e["visited_plmn"] = plmn_text(v.value)
        mcc, mnc = e["visited_plmn"].split("-")
        e["visited_plmn (e212.mcc, e212.mnc)"] = (int(v.extra["e212.mcc"]), int(v.extra["e212.mnc"]))
    er = first(avps, "Experimental-Result")
    e["experimental_result_code"] = e["experimental_result_vendor"] = None
    if er:
        c, vnd = er.find("Experimental-Result-Code"), er.find("Vendor-Id")
        e["experimental_result_code"] = int(c[0].value) if c else None
        e["experimental_result_vendor"] = int(vnd[0].value) if vnd else None
    sd = first(avps, "Subscription-Data")
    for key in ("msisdn", "subscriber_status", "network_access_mode", "ambr_ul", "ambr_dl"):
        e[key] = None
    if sd:
        m = sd.find("MSISDN")
        e["msisdn"] = m[0].extra.get("e164.msisdn") if m else None
        for name, key in (("Subscriber-Status", "subscriber_status"),
                          ("Network-Access-Mode", "network_access_mode")):
            x = sd.find(name)
            e[key] = int(x[0].value) if x else None
        ambr = sd.find("AMBR")
        if ambr:
            ul, dl = ambr[0].find("Max-Requested-Bandwidth-UL"), ambr[0].find("Max-Requested-Bandwidth-DL")
            e["ambr_ul"] = int(ul[0].value) if ul else None
            e["ambr_dl"] = int(dl[0].value) if dl else None
    ti = first(avps, "Terminal-Information")
    imei = ti.find("IMEI") if ti else []
    e["imei"] = imei[0].value if imei else None
    # APN names: Service-Selection of every APN-Configuration, and a top-level one (NOR)
    apns = []

    def walk(lst, parent):
        for a in lst:
            if a.name == "Service-Selection" and parent in (None, "APN-Configuration"):
                apns.append(a.value)
            walk(a.children, a.name)
    walk(avps, None)
    e["apn"] = apns or None
    return e


class Report:
    def __init__(self):
        self.checked = collections.Counter()
        self.failed = collections.Counter()
        self.examples = collections.defaultdict(list)

    def check(self, field, where, ours, theirs):
        self.checked[field] += 1
        if ours != theirs:
            self.failed[field] += 1
            if len(self.examples[field]) < 4:
                self.examples[field].append((where, ours, theirs))


def compare(name, ssgw, pcap, rep, expect_messages):
    ours = collections.defaultdict(list)
    for line in run([ssgw, "decode", "--json", pcap]).splitlines():
        r = json.loads(line)
        ours[r["frame"]].append(r)
    theirs, marks = tshark_pdus(pcap)
    total = 0
    for frame in sorted(set(ours) | set(theirs)):
        where = "%s frame %d" % (name, frame)
        rep.check("no malformed / expert mark (tshark)", where, None, marks.get(frame))
        recs, pdus = ours.get(frame, []), theirs.get(frame, [])
        rep.check("messages per frame", where, len(recs), len(pdus))
        for i, (r, (hdr, avps, _)) in enumerate(zip(recs, pdus)):
            total += 1
            rep.check("no error record", "%s #%d" % (where, i), r.get("error"), None)
            e = expected(hdr, avps)
            for key in KEYS:
                rep.check(key, "%s #%d" % (where, i), r.get(key), e.get(key))
            pl = e.get("visited_plmn (e212.mcc, e212.mnc)")
            if pl:
                mcc, mnc = r.get("visited_plmn", "-").split("-")
                rep.check("visited_plmn (e212.mcc, e212.mnc)", "%s #%d" % (where, i),
                          (int(mcc), int(mnc)), pl)
    rep.check("%s: messages decoded" % name, name, total, expect_messages)
    return theirs


def text2pcap(theirs, workdir, name, args):
    """A capture text2pcap builds around each Diameter message tshark extracted."""
    txt = os.path.join(workdir, name + ".txt")
    with open(txt, "w") as f:
        for frame in sorted(theirs):
            for _, _, raw in theirs[frame]:
                b = bytes.fromhex(raw)
                for off in range(0, len(b), 16):
                    f.write("%06x %s\n" % (off, " ".join("%02x" % x for x in b[off:off + 16])))
                f.write("\n")
    out = os.path.join(workdir, name + ".pcap")
    run(["text2pcap", "-q"] + args + [txt, out], stderr=subprocess.DEVNULL)
    return out


def wireshark_rules():
    """(code, vendor) -> (name, mandatory) from Wireshark's dictionary files (data)."""
    import glob
    import re
    rules = {}
    for path in glob.glob("/usr/share/wireshark/diameter/*.xml"):
        text = open(path, errors="replace").read()
        for m in re.finditer(r'<avp\s([^>]*)>', text):
            attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1)))
            vendor = {"None": 0, "TGPP": G3}.get(attrs.get("vendor-id", "None"))
            if vendor is not None and "code" in attrs:
                rules.setdefault((int(attrs["code"]), vendor),
                                 (attrs.get("name"), attrs.get("mandatory", "")))
    return rules


def check_dictionary(tool, workdir, rep):
    """Every AVP of ssgw's dictionary, written by the encoder and read back by the decoder
    (test_diameter_dict_pcap), against tshark's decoding of the same message and against
    Wireshark's dictionary: code, vendor, name, value, flags, the M-bit rule."""
    run([tool, workdir])
    ours = [json.loads(l) for l in open(os.path.join(workdir, "dictionary.jsonl"))]
    theirs, marks = tshark_pdus(os.path.join(workdir, "dictionary.pcap"))
    ws = wireshark_rules()
    for frame, o in enumerate(ours, 1):
        where = "dictionary frame %d (%s)" % (frame, o["name"])
        rep.check("dictionary: no malformed / expert mark (tshark)", where, None, marks.get(frame))
        pdus = theirs.get(frame, [])
        rep.check("dictionary: one message per frame", where, 1, len(pdus))
        if not pdus:
            continue
        avps = pdus[0][1]
        a = avps[0] if o["name"] == "Origin-Host" else (avps[1] if len(avps) > 1 else None)
        if a is None:
            rep.check("dictionary: AVP present (tshark)", where, True, False)
            continue
        rep.check("dictionary: code", where, o["code"], a.code)
        rep.check("dictionary: vendor", where, o["vendor"], a.vendor)
        rep.check("dictionary: name (Wireshark's)", where, o["name"], a.name)
        rule = ws.get((o["code"], o["vendor"]))
        rep.check("dictionary: in Wireshark's dictionary", where, o["name"], rule and rule[0])
        if rule:  # M bit: ours must not contradict Wireshark's "must" / "mustnot"
            m_must, m_not = bool(o["must"] & 0x40), bool(o["must_not"] & 0x40)
            rep.check("dictionary: M-bit rule agrees with Wireshark's", where, True,
                      (rule[1] != "must" or m_must) and (rule[1] != "mustnot" or m_not))
        t = o["type"]
        if t == "Grouped":
            rep.check("dictionary: grouped members", where, o["members"], len(a.children))
        elif t == "Address":
            ip = [v for k, v in a.extra.items() if k.endswith(".IPv4")]
            rep.check("dictionary: value", where, o["value"], ip[0] if ip else a.value)
        elif t == "Time":
            rep.check("dictionary: value present", where, True, bool(a.value))
        elif t == "OctetString":
            rep.check("dictionary: value", where, o["value"], a.value.replace(":", ""))
        elif isinstance(o["value"], int):
            rep.check("dictionary: value", where, o["value"], int(a.value, 0))
        else:
            rep.check("dictionary: value", where, o["value"], a.value)
    rep.check("dictionary: AVPs checked", "dictionary", len(ours) > 90, True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--count", type=int, default=1100)
    ap.add_argument("--dict-tool", help="test_diameter_dict_pcap: also check every AVP of the "
                    "dictionary")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    rep = Report()
    if a.dict_tool:
        check_dictionary(a.dict_tool, a.workdir, rep)
    framings = {
        "sctp": [],
        "sctp_chunks": ["--chunks", "4"],
        "tcp": ["--transport", "tcp"],
        "tcp_segments": ["--transport", "tcp", "--per-segment", "3", "--split-every", "2"],
        "tcp_ipv6_split": ["--transport", "tcp", "--link", "ipv6", "--split-every", "1"],
    }
    decoded = {}
    for name, extra in framings.items():
        pcap = os.path.join(a.workdir, name + ".pcap")
        run([a.ssgw, "generate", "--protocol", "diameter", "--count", str(a.count),
             "--seed", "7"] + extra + [pcap], stderr=subprocess.DEVNULL)
        decoded[name] = compare(name, a.ssgw, pcap, rep, a.count)

    # The other way: captures written by Wireshark's tools from that traffic.
    exported = os.path.join(a.workdir, "exported.pcapng")
    run(["tshark", "-n", "-r", os.path.join(a.workdir, "tcp_segments.pcap"),
         "-U", "OSI layer 7", "-w", exported], stderr=subprocess.DEVNULL)
    compare("tshark exported PDUs", a.ssgw, exported, rep, a.count)
    sctp = text2pcap(decoded["sctp"], a.workdir, "text2pcap_sctp",
                     ["-4", "192.0.2.1,192.0.2.2", "-S", "40002,3868,46"])
    compare("text2pcap sctp", a.ssgw, sctp, rep, a.count)
    tcp = text2pcap(decoded["sctp_chunks"], a.workdir, "text2pcap_tcp",
                    ["-4", "192.0.2.1,192.0.2.2", "-T", "40003,3868"])
    compare("text2pcap tcp", a.ssgw, tcp, rep, a.count)

    total = sum(rep.checked.values())
    failed = sum(rep.failed.values())
    print("diameter oracle: %d comparisons in %d fields" % (total, len(rep.checked)))
    for field in sorted(rep.checked):
        status = "ok" if not rep.failed[field] else "FAILED %d" % rep.failed[field]
        print("  %-40s %7d  %s" % (field, rep.checked[field], status))
        for where, o, t in rep.examples.get(field, []):
            print("      %s: ssgw=%r tshark=%r" % (where, o, t))
    print("oracle: %d passed, %d failed" % (total - failed, failed))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
