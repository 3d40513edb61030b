#!/usr/bin/env python3
"""Oracle test: compares `ssgw decode --json` with Wireshark's tshark, frame by frame.

The capture is produced by `ssgw generate` (every MAP operation in every TCAP
shape, random valid parameters). tshark is the independent decoder: for every
frame, the values tshark extracts (M3UA routing label, SCCP type, addresses,
TCAP transaction ids, application context, operation codes, IMSI, MAP
addresses, USSD text) must equal what ssgw decoded, and tshark must report no
malformed packet and no expert warning or error on what our encoders produced.

Usage: oracle_decode.py --ssgw BIN --workdir DIR [--count N] [--seed N] [-- GENERATE-ARGS...]
Exit status 0 when everything matches; 1 with a per-field report otherwise.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

SCCP_TYPES = {"udt": 0x09, "udts": 0x0A, "xudt": 0x11, "xudts": 0x12, "ludt": 0x13, "ludts": 0x14}
TCAP_TYPES = {"unidirectional": 1, "begin": 2, "end": 4, "continue": 5, "abort": 7}

# tshark fields extracted per frame (all occurrences, in order).
TSHARK_FIELDS = [
    "frame.number",
    "m3ua.protocol_data_opc", "m3ua.protocol_data_dpc", "m3ua.protocol_data_si",
    "m3ua.protocol_data_ni", "m3ua.protocol_data_sls",
    "mtp3.opc", "mtp3.dpc", "mtp3.sls",
    "sccp.message_type",
    "sccp.called.digits", "sccp.calling.digits", "sccp.called.ssn", "sccp.calling.ssn",
    "sccp.called.pc",
    "tcap.otid", "tcap.dtid", "tcap.application_context_name",
    "gsm_old.localValue", "gsm_old.invokeID", "gsm_old.derivable",
    "e212.imsi", "gsm_map.address.digits", "e164.msisdn", "gsm_map.ussd_string",
    "_ws.malformed", "_ws.expert.severity",
]

# MAP fields of ours whose value must appear among tshark's decoded address digits.
ADDRESS_FIELDS = ["msisdn", "vlr_number", "msc_number", "hlr_number", "sgsn_number",
                  "gsmscf_address", "gmsc_address", "smsc_address", "forwarded_to_number",
                  "roaming_number", "mlc_number"]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout


def tshark_frames(pcap):
    # SSN 147 (gsmSCF, MAP) is left out of tshark's default gsm_map SSN list; add it.
    cmd = ["tshark", "-n", "-r", pcap, "-o", "gsm_map.tcap.ssn:6-9,145,147-150",
           "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    out = run(cmd, stderr=subprocess.DEVNULL)
    frames = {}
    for line in out.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(TSHARK_FIELDS) - len(cols))
        rec = {f: (c.split("|") if c else []) for f, c in zip(TSHARK_FIELDS, cols)}
        frames[int(rec["frame.number"][0])] = rec
    return frames


def num(v):
    return int(v, 0)


def hexnorm(v):
    return v.replace(":", "").lower()


class Report:
    def __init__(self):
        self.checked = collections.Counter()
        self.failed = collections.Counter()
        self.examples = collections.defaultdict(list)

    def check(self, field, frame, ours, theirs):
        self.checked[field] += 1
        if ours != theirs:
            self.failed[field] += 1
            if len(self.examples[field]) < 5:
                self.examples[field].append((frame, ours, theirs))

    def ok(self):
        return not self.failed


def compare(ours_by_frame, theirs, rep, use_mtp3):
    for frame, recs in sorted(ours_by_frame.items()):
        t = theirs.get(frame)
        if t is None:
            rep.check("frame present in tshark", frame, True, False)
            continue
        for r in recs:
            rep.check("no error record", frame, r.get("error", ""), "")
        rep.check("not malformed (tshark)", frame, [], t["_ws.malformed"])
        rep.check("no expert warning/error (tshark)", frame, [],
                  [s for s in t["_ws.expert.severity"] if num(s) >= 0x00600000])

        data = [r for r in recs if "opc" in r]
        label = ({"opc": "mtp3.opc", "dpc": "mtp3.dpc", "sls": "mtp3.sls"} if use_mtp3 else
                 {k: "m3ua.protocol_data_" + k for k in ("opc", "dpc", "sls")})
        for key, field in label.items():
            rep.check(key, frame, [r[key] for r in data], [num(v) for v in t[field]])
        if not use_mtp3:
            rep.check("si", frame, [r["si"] for r in data],
                      [num(v) for v in t["m3ua.protocol_data_si"]])
            rep.check("ni", frame, [r["ni"] for r in data],
                      [num(v) for v in t["m3ua.protocol_data_ni"]])

        sccp = [r for r in recs if "sccp" in r]
        rep.check("sccp", frame, [SCCP_TYPES[r["sccp"]] for r in sccp],
                  [num(v) for v in t["sccp.message_type"]])
        for side in ("called", "calling"):
            rep.check(side + "_gt", frame, [r[side + "_gt"] for r in sccp if side + "_gt" in r],
                      t["sccp.%s.digits" % side])
            rep.check(side + "_ssn", frame,
                      [r[side + "_ssn"] for r in sccp if side + "_ssn" in r],
                      [num(v) for v in t["sccp.%s.ssn" % side]])
        rep.check("called_pc", frame, [r["called_pc"] for r in sccp if "called_pc" in r],
                  [num(v) for v in t["sccp.called.pc"]])

        tc = [r for r in recs if "tcap" in r]
        rep.check("otid", frame, [r["otid"] for r in tc if "otid" in r],
                  [hexnorm(v) for v in t["tcap.otid"]])
        rep.check("dtid", frame, [r["dtid"] for r in tc if "dtid" in r],
                  [hexnorm(v) for v in t["tcap.dtid"]])
        rep.check("acn", frame, [r["acn"] for r in tc if "acn" in r],
                  t["tcap.application_context_name"])
        comps = [c for r in tc for c in r.get("components", [])]
        rep.check("component opcodes", frame,
                  [c["opcode"] for c in comps if isinstance(c.get("opcode"), int)] +
                  [c["error_code"] for c in comps if isinstance(c.get("error_code"), int)],
                  [num(v) for v in t["gsm_old.localValue"]])
        rep.check("invoke ids", frame,
                  [c["invoke_id"] for c in comps if "invoke_id" in c and c["type"] != "reject"],
                  [num(v) for v in t["gsm_old.invokeID"]])
        rep.check("reject invoke ids", frame,
                  [c["invoke_id"] for c in comps if "invoke_id" in c and c["type"] == "reject"],
                  [num(v) for v in t["gsm_old.derivable"]])
        for r in tc:
            if "imsi" in r:
                rep.check("imsi", frame, True, r["imsi"] in t["e212.imsi"])
            digits = set(t["gsm_map.address.digits"]) | set(t["e164.msisdn"])
            for f in ADDRESS_FIELDS:
                if f in r:
                    rep.check(f, frame, True, r[f] in digits)
            if "ussd_string" in r:
                # TS 23.038 6.1.2.3.1: a <CR> filling the last 7 spare bits of packed USSD is
                # padding and is dropped; tshark 4.0 shows it. Compare without it.
                # (tshark -T fields writes that CR as the two characters backslash, r.)
                ussd = [u[:-2] if u.endswith("\\r") else u for u in t["gsm_map.ussd_string"]]
                rep.check("ussd_string", frame, True, r["ussd_string"] in ussd)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--name", default="oracle")
    ap.add_argument("--count", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mtp3", action="store_true", help="capture uses the MTP3 link type")
    ap.add_argument("generate_args", nargs="*")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    pcap = os.path.join(a.workdir, a.name + ".pcap")
    run([a.ssgw, "generate", "--count", str(a.count), "--seed", str(a.seed)] + a.generate_args +
        [pcap], stderr=subprocess.DEVNULL)
    ours = collections.defaultdict(list)
    nrec = 0
    for line in run([a.ssgw, "decode", "--json", pcap]).splitlines():
        r = json.loads(line)
        ours[r["frame"]].append(r)
        nrec += 1
    theirs = tshark_frames(pcap)
    rep = Report()
    compare(ours, theirs, rep, a.mtp3)
    rep.check("every tshark frame has a record", 0, sorted(theirs), sorted(ours))
    total = sum(rep.checked.values())
    failed = sum(rep.failed.values())
    print("%s: %d records in %d frames; %d comparisons in %d fields" %
          (a.name, nrec, len(ours), total, len(rep.checked)))
    for field in sorted(rep.checked):
        status = "ok" if not rep.failed[field] else "FAILED %d" % rep.failed[field]
        print("  %-34s %7d  %s" % (field, rep.checked[field], status))
        for frame, o, t in rep.examples.get(field, []):
            print("      frame %s: ssgw=%r tshark=%r" % (frame, o, t))
    print("oracle: %d passed, %d failed" % (total - failed, failed))
    return 0 if rep.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
