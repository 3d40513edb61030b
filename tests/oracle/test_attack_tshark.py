#!/usr/bin/env python3
"""Oracle test: Wireshark's tshark confirms what `ssgw attack` says it generated.

Generates a capture with every attack of the catalogue and legitimate traffic,
then, for every labelled frame, asserts with tshark that the operation of the
label's protocol (MAP gsm_old.localValue, CAP camel.local, SCCP management
sccpmg.message_type, ANSI TCAP ansi_tcap.private), the IMSI (e212.imsi, also
from the MAP-OpenInfo destinationReference), the calling/called GT
(sccp.calling.digits / sccp.called.digits; none for SCCP management, which is
routed on point code and SSN 1), the routing label (m3ua.protocol_data_opc/dpc)
and the TCAP transaction ids are what the label says; for calls (ISUP, SI 5) the
circuit (isup.cic), message type (isup.message_type) and an IAM's calling and
called numbers (isup.calling / isup.called), and no SCCP; for short messages the
SMS-DELIVER's sender (gsm_sms.tp-oa); that every attack of the catalogue
appears, and that tshark reports no malformed packet and no expert error or
warning anywhere in the capture, except the findings an attack is made of (an
operation code nobody allocated), which tshark must report on exactly those
frames.

With --subscribers S the capture is made with `ssgw attack --subscribers S`, and the
IMSIs tshark finds must come from that population: at most S of ours (MCC-MNC 23491) and
S/4 (at least 32) of each partner's, more of ours than the default population of the same
length has (count / 25) when S is larger than that, and every MSISDN (e164.msisdn) at most
15 digits (E.164), also at the largest population the option allows.

Usage: test_attack_tshark.py --ssgw BIN --workdir DIR [--count N] [--seed N] [--ratio R]
                             [--subscribers S]
"""
import argparse
import collections
import json
import os
import subprocess
import sys

FIELDS = ["frame.number", "m3ua.protocol_data_opc", "m3ua.protocol_data_dpc",
          "sccp.calling.digits", "sccp.called.digits", "sccp.calling.ssn", "sccp.called.ssn",
          "tcap.otid", "tcap.dtid", "gsm_old.localValue", "e212.imsi", "e164.msisdn",
          "isup.cic", "isup.message_type", "isup.calling", "isup.called", "gsm_sms.tp-oa",
          "_ws.malformed", "_ws.expert.severity", "camel.local", "sccpmg.message_type",
          "ansi_tcap.private", "tcap.application_context_name", "_ws.expert.message"]

# Q.763 table 4: the message types of the labels' abbreviations
ISUP_TYPES = {"iam": 1, "acm": 6, "anm": 9, "rel": 12, "rlc": 16}

# Expert severities (epan/proto.h): chat 0x200000, note 0x400000, warn 0x600000, error 0x800000.
SEVERE = 0x600000

# What Wireshark says of the attacks made of an operation code no table has: the same
# finding, on those frames only (its GSM MAP dissector marks them malformed).
EXPECTED_FINDINGS = {"evasion.global_opcode": "Unknown invokeData",
                     "evasion.unknown_operation": "Unknown invokeData 99"}

# The partners of the example network (MCC-MNC of their subscribers' IMSIs).
PARTNER_MCCMNC = ("63902", "26201", "62130")

SCMG_TYPES = {"ssa": 1, "ssp": 2, "sst": 3, "sor": 4, "sog": 5, "ssc": 6}


def operation_field(lab):
    """The tshark field holding the label's operation, and the values it must have."""
    proto, code = lab["protocol"], lab["opcode"]
    if proto == "scmg":
        return "sccpmg.message_type", [SCMG_TYPES[lab["op"]]]
    if proto == "ansi-41":
        return "ansi_tcap.private", [9 << 8 | ANSI41_CODES[lab["op"]]]
    field = "camel.local" if proto == "cap" else "gsm_old.localValue"
    if lab["attack"] == "evasion.component_hiding":  # a second invoke of the operation
        return field, [code, code]
    return field, [] if code < 0 else [code]


ANSI41_CODES = {"Location Request": 15}


def tshark(pcap):
    cmd = ["tshark", "-n", "-r", pcap, "-o", "gsm_map.tcap.ssn:6-9,145,147-150",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True).stdout
    frames = {}
    for line in out.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(FIELDS) - len(cols))
        d = {f: [v for v in c.split("|") if v != ""] for f, c in zip(FIELDS, cols)}
        frames[int(d["frame.number"][0])] = d
    return frames


def tid(v):
    return None if v is None else "%08x" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--ratio", type=float, default=0.35)
    ap.add_argument("--subscribers", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    pcap = os.path.join(a.workdir, "attack.pcap")
    labels = os.path.join(a.workdir, "attack.labels.jsonl")
    population = ["--subscribers", str(a.subscribers)] if a.subscribers else []
    subprocess.run([a.ssgw, "attack", "-q", "--seed", str(a.seed), "--count", str(a.count),
                    "--attack-ratio", str(a.ratio), "--labels", labels, pcap] + population,
                   check=True)
    catalogue = [l.split()[0] for l in subprocess.run(
        [a.ssgw, "attack", "--list"], check=True, stdout=subprocess.PIPE,
        text=True).stdout.splitlines()[1:]]
    frames = tshark(pcap)
    fails = collections.Counter()
    examples = {}
    seen = collections.Counter()
    n = 0

    def check(what, frame, ok, detail=""):
        if not ok:
            fails[what] += 1
            examples.setdefault(what, "frame %d: %s" % (frame, detail))

    with open(labels) as f:
        for line in f:
            lab = json.loads(line)
            n += 1
            fr = lab["frame"]
            check("frame numbers consecutive", fr, fr == n, "label says %d" % fr)
            t = frames.get(fr)
            check("frame in tshark", fr, t is not None)
            if t is None:
                continue
            if lab["label"] == "attack":
                seen[lab["attack"]] += 1
                check("attack has a check", fr, bool(lab["check"]) and lab["check"] != "default")
            else:
                check("legit expects default", fr, lab["check"] == "default" and not lab["attack"])
            finding = EXPECTED_FINDINGS.get(lab["attack"]) if lab["label"] == "attack" else None
            if finding:
                check("tshark finds what the attack is made of", fr,
                      any(m.startswith(finding) for m in t["_ws.expert.message"]),
                      str(t["_ws.expert.message"]))
            else:
                check("malformed", fr, not t["_ws.malformed"], str(t["_ws.malformed"]))
                sev = [int(s, 0) for s in t["_ws.expert.severity"]]
                check("expert warning/error", fr, not any(s >= SEVERE for s in sev), str(sev))
            check("opc", fr, t["m3ua.protocol_data_opc"] == [str(lab["opc"])],
                  "%s vs %s" % (t["m3ua.protocol_data_opc"], lab["opc"]))
            check("dpc", fr, t["m3ua.protocol_data_dpc"] == [str(lab["dpc"])])
            check("direction", fr, (lab["dir"] == "in") == (lab["dpc"] == 1001))
            sender = [lab["sms_sender"]] if lab["sms_sender"] else []
            if lab["attack"] == "fraud.sms_da_mismatch":
                # Wireshark reads this TPDU the way sm-RP-OA (an MSISDN) says: from the MS, a
                # DELIVER-REPORT without an originator; the MSC and we by sm-RP-DA (an IMSI)
                sender = []
            check("SMS sender", fr, t["gsm_sms.tp-oa"] == sender,
                  "%s vs %s" % (t["gsm_sms.tp-oa"], sender))
            if lab["isup"]:
                check("ISUP message type", fr, t["isup.message_type"] ==
                      [str(ISUP_TYPES[lab["isup"]])], "%s vs %s" % (t["isup.message_type"],
                                                                     lab["isup"]))
                check("ISUP CIC", fr, t["isup.cic"] == [str(lab["cic"])],
                      "%s vs %s" % (t["isup.cic"], lab["cic"]))
                nums = [[lab[k]] if lab[k] else [] for k in ("calling_number", "called_number")]
                check("ISUP numbers", fr, [t["isup.calling"], t["isup.called"]] == nums,
                      "%s vs %s" % ([t["isup.calling"], t["isup.called"]], nums))
                check("ISUP: no SCCP", fr, not t["sccp.calling.digits"] and lab["calling_gt"]
                      is None and lab["opcode"] < 0)
                continue
            gts = lambda v: [v] if v else []
            check("calling GT", fr, t["sccp.calling.digits"] == gts(lab["calling_gt"]),
                  "%s vs %s" % (t["sccp.calling.digits"], lab["calling_gt"]))
            check("called GT", fr, t["sccp.called.digits"] == gts(lab["called_gt"]),
                  "%s vs %s" % (t["sccp.called.digits"], lab["called_gt"]))
            check("calling SSN", fr, t["sccp.calling.ssn"] == [str(lab["calling_ssn"])])
            check("called SSN", fr, t["sccp.called.ssn"] == [str(lab["called_ssn"])])
            field, want_ops = operation_field(lab)
            got_ops = [int(v, 0) for v in t[field]]
            check("operation (%s)" % lab["protocol"], fr, got_ops == want_ops,
                  "%s: %s vs %s" % (field, got_ops, want_ops))
            if lab["protocol"] in ("cap", "scmg", "ansi-41"):
                other = [f for f in ("gsm_old.localValue", "camel.local", "sccpmg.message_type",
                                     "ansi_tcap.private") if f != field and t[f]]
                check("decoded as its own protocol only", fr, not other, other)
            imsis = set(t["e212.imsi"])
            for key in ("imsi", "dest_ref"):
                if lab[key]:
                    check("IMSI (%s)" % key, fr, lab[key] in imsis,
                          "%s not in %s" % (lab[key], sorted(imsis)))
            if lab["otid"] is not None:
                check("otid", fr, t["tcap.otid"] == [tid(lab["otid"])],
                      "%s vs %s" % (t["tcap.otid"], tid(lab["otid"])))
            if lab["dtid"] is not None:
                check("dtid", fr, t["tcap.dtid"] == [tid(lab["dtid"])])
    check("every frame labelled", 0, n == len(frames), "%d labels, %d frames" % (n, len(frames)))
    if a.subscribers:
        imsis = {i for t in frames.values() for i in t["e212.imsi"]}
        ours = {i for i in imsis if i.startswith("23491")}
        check("population: ours at most --subscribers", 0, len(ours) <= a.subscribers,
              "%d IMSIs of ours" % len(ours))
        if a.subscribers > a.count // 25:
            check("population: ours beyond the default's", 0, len(ours) > a.count // 25,
                  "%d IMSIs of ours" % len(ours))
        for mccmnc in PARTNER_MCCMNC:
            theirs = {i for i in imsis if i.startswith(mccmnc)}
            check("population: a partner's at most a quarter", 0,
                  len(theirs) <= max(32, a.subscribers // 4), "%s: %d" % (mccmnc, len(theirs)))
        long_numbers = sorted(m for t in frames.values() for m in t["e164.msisdn"] if len(m) > 15)
        check("MSISDN at most 15 digits", 0, not long_numbers, str(long_numbers[:3]))
        print("population: %d IMSIs of ours, %d in all" % (len(ours), len(imsis)))
    missing = [c for c in catalogue if not seen[c]]
    check("every attack present", 0, not missing, ", ".join(missing))
    print("%d frames, %d attack frames, %d attacks of %d present" %
          (n, sum(seen.values()), len(seen), len(catalogue)))
    if fails:
        for k, v in fails.items():
            print("FAIL %-28s %6d  e.g. %s" % (k, v, examples[k]))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
