#!/usr/bin/env python3
"""Oracle test: CAP, SCCP management, ANSI TCAP and the framings probes capture, against tshark.

`ssgw generate` writes the traffic with the project's own encoders (--users cap|scmg|ansi,
--adaptation m2pa|m2ua|sua, --link mtp2|mtp2-phdr); `ssgw decode --json` reads it back; tshark
decodes the same capture. For every frame the values tshark extracts must equal what ssgw
decoded, and tshark must report no malformed packet and no expert warning or error on what
our encoders produced. Names are checked against Wireshark's own value tables
(`tshark -G values`): every CAP operation, event type and SCCP management message type ssgw
names is the name Wireshark gives the same code, and the capture covers every one of them.

Modes (--mode):
  cap        CAP phases 1-4 over ITU TCAP: contexts, operations, the decoded CAP fields
  scmg       SCCP management: message type, affected SSN / point code, SMI, congestion
  ansi       ANSI TCAP: package type, transaction ids, component ids, private opcodes,
             error codes, reject problems, P-Abort causes
  ansi-names ANSI-41 operation names as Wireshark's ansi_map names them (invokes carry an
             empty parameter set so that it does; only names are compared: ANSI-41 marks the
             parameters the empty set lacks)
  m2pa, m2ua, mtp2, mtp2-phdr, sua
             MAP traffic in that framing: every MAP field of oracle_decode.py plus the
             framing's own (BSN/FSN, link status, interface id; SUA's addresses)
  mixed      MAP, CAP, SCCP management and ANSI TCAP in one capture: every message is
             given to the protocol Wireshark gives it to, and none is named with another's
             names (CAP's opcodes overlap MAP's)

Usage: oracle_users.py --ssgw BIN --workdir DIR --mode M [--count N] [--seed N] [-- GEN-ARGS]
"""
import argparse
import collections
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_decode as od  # noqa: E402  (the MAP comparison, reused for the framings)

BASE_FIELDS = ["frame.number", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message",
               "_ws.col.Info", "_ws.col.Protocol"]

CAP_FIELDS = ["tcap.otid", "tcap.dtid", "tcap.application_context_name", "camel.local",
              "camel.error_code_local", "camel.present", "camel.serviceKey", "e212.imsi",
              "isup.calling", "isup.called", "isup.location_number",
              "gsm_a.dtap.cld_party_bcd_num", "gsm_map.address.digits", "e164.msisdn",
              "gsm_map.cellGlobalIdOrServiceAreaIdFixedLength", "camel.eventTypeBCSM",
              "camel.eventTypeSMS", "camel.gPRSEventType", "camel.cause_indicator",
              "camel.maxCallPeriodDuration", "sccp.called.ssn", "sccp.calling.ssn"]
SCMG_FIELDS = ["sccpmg.message_type", "sccpmg.ssn", "sccpmg.pc", "sccpmg.smi",
               "sccpmg.congestion", "sccp.called.ssn", "sccp.calling.ssn"]
ANSI_FIELDS = ["ansi_tcap.identifier", "ansi_tcap.private", "ansi_tcap.componentIDs",
               "ansi_tcap.componentID", "ansi_tcap.ec_private", "ansi_tcap.rejectProblem",
               "ansi_tcap.abortCause"]
FRAMING_FIELDS = {
    "m2pa": ["m2pa.type", "m2pa.bsn", "m2pa.fsn", "m2pa.status", "m2pa.priority"],
    "m2ua": ["m2ua.message_class", "m2ua.message_type", "m2ua.interface_identifier_int"],
    "mtp2": ["mtp2.li", "mtp2.bsn", "mtp2.fsn"],
    "sua": ["sua.message_class", "sua.message_type", "sua.routing_context",
            "sua.protocol_class_class", "sua.protocol_class_return_on_error_bit",
            "sua.source.global_title_digits", "sua.destination.global_title_digits",
            "sua.source.ssn", "sua.destination.ssn", "sua.source.point_code",
            "sua.destination.point_code", "sua.source.global_title_translation_type",
            "sua.destination.global_title_translation_type",
            "sua.source.global_title_numbering_plan", "sua.source.global_title_nature_of_address"],
}
FRAMING_FIELDS["mtp2-phdr"] = FRAMING_FIELDS["mtp2"]
MIXED_FIELDS = ["gsm_old.localValue", "camel.local", "camel.error_code_local",
                "sccpmg.message_type", "ansi_tcap.private", "ansi_tcap.componentID",
                "ansi_tcap.abortCause", "tcap.otid", "tcap.dtid"]

# Addresses of ours that Wireshark shows as AddressString digits.
CAP_ADDRESSES = ["msisdn", "msc_address", "gmsc_address", "vlr_number", "smsc_address",
                 "sgsn_number", "gsmscf_address"]

# SCCP management message types as Wireshark's Info column names them (Q.713 table 23).
SCMG_TYPES = {"ssa": 1, "ssp": 2, "sst": 3, "sor": 4, "sog": 5, "ssc": 6}

# Wireshark 4.0's sccpmg dissector decodes SSC in full, then falls through into its
# "unknown message" branch: the one expert warning on an SSC frame that is not ours.
SSC_QUIRK = "Unknown message"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout


def tshark_values(field):
    """Wireshark's value table of a field: code -> name. Where two fields share the name
    (gsm_old.localValue: the operations, then the errors) the first table is kept."""
    out = run(["tshark", "-G", "values"], stderr=subprocess.DEVNULL)
    table = {}
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) >= 4 and cols[0] == "V" and cols[1] == field:
            table.setdefault(int(cols[2], 0), cols[3])
    return table


def tshark_frames(pcap, fields):
    # SSN 147 (gsmSCF, MAP) is left out of tshark's default gsm_map SSN list; add it (as
    # oracle_decode.py does).
    cmd = ["tshark", "-n", "-r", pcap, "-o", "gsm_map.tcap.ssn:6-9,145,147-150",
           "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in fields:
        cmd += ["-e", f]
    frames = {}
    for line in run(cmd, stderr=subprocess.DEVNULL).splitlines():
        cols = line.split("\t")
        cols += [""] * (len(fields) - len(cols))
        rec = {f: (c.split("|") if c else []) for f, c in zip(fields, cols)}
        frames[int(rec["frame.number"][0])] = rec
    return frames


def num(v):
    return int(v, 0)


def hexnorm(v):
    return v.replace(":", "").lower()


def clean(rep, frame, t, allowed=()):
    rep.check("not malformed (tshark)", frame, [], t["_ws.malformed"])
    bad = [m for s, m in zip(t["_ws.expert.severity"], t["_ws.expert.message"] or
                                  [""] * len(t["_ws.expert.severity"]))
           if num(s) >= 0x00600000 and m not in allowed]
    rep.check("no expert warning/error (tshark)", frame, [], bad)


# ---- CAP ----------------------------------------------------------------------------------

def compare_cap(ours, theirs, rep):
    ops = tshark_values("camel.local")
    bcsm = tshark_values("camel.eventTypeBCSM")
    sms = tshark_values("camel.eventTypeSMS")
    gprs = tshark_values("camel.gPRSEventType")
    seen_ops = set()
    for frame, recs in sorted(ours.items()):
        t = theirs[frame]
        clean(rep, frame, t)
        for r in recs:
            rep.check("no error record", frame, r.get("error", ""), "")
            rep.check("tcap_user", frame, r.get("tcap_user"), "cap")
        r = recs[0]
        rep.check("otid", frame, r.get("otid"), hexnorm(t["tcap.otid"][0]) if t["tcap.otid"] else None)
        rep.check("dtid", frame, r.get("dtid"), hexnorm(t["tcap.dtid"][0]) if t["tcap.dtid"] else None)
        rep.check("acn", frame, r.get("acn"), (t["tcap.application_context_name"] or [None])[0])
        if r.get("acn") and r.get("sccp") in ("udt", "xudt", "ludt"):
            # the phase of the context, as Wireshark dissects it: Camel-v<phase> (a service
            # message, UDTS/XUDTS, keeps SCCP in the protocol column)
            rep.check("cap_phase (Camel-vN)", frame, "Camel-v%s" % r.get("cap_phase"),
                      t["_ws.col.Protocol"][0] if t["_ws.col.Protocol"] else None)
        comps = r.get("components", [])
        rep.check("operation codes", frame,
                  [c["opcode"] for c in comps if "opcode" in c],
                  [num(v) for v in t["camel.local"]])
        rep.check("error codes", frame,
                  [c["error_code"] for c in comps if "error_code" in c],
                  [num(v) for v in t["camel.error_code_local"]])
        rep.check("invoke ids", frame, [c["invoke_id"] for c in comps if "invoke_id" in c],
                  [num(v) for v in t["camel.present"]])
        for c in comps:
            if "opcode" in c:
                rep.check("operation name = Wireshark's", frame, c.get("op"), ops.get(c["opcode"]))
                seen_ops.add(c["opcode"])
        if "service_key" in r or t["camel.serviceKey"]:
            rep.check("service_key", frame, r.get("service_key"),
                      num(t["camel.serviceKey"][0]) if t["camel.serviceKey"] else None)
        if "imsi" in r:
            rep.check("imsi", frame, True, r["imsi"] in t["e212.imsi"])
        if "calling_party_number" in r:
            rep.check("calling_party_number", frame, True,
                      r["calling_party_number"] in
                      t["isup.calling"] + t["gsm_map.address.digits"] + t["e164.msisdn"])
        for key, field in (("called_party_number", "isup.called"),
                           ("destination_routing_address", "isup.called"),
                           ("location_number", "isup.location_number"),
                           ("called_party_bcd_number", "gsm_a.dtap.cld_party_bcd_num")):
            if key in r:
                rep.check(key, frame, True, r[key] in t[field])
        for key in CAP_ADDRESSES:
            if key in r:
                rep.check(key, frame, True,
                          r[key] in t["gsm_map.address.digits"] + t["e164.msisdn"])
        if "cell_id" in r:
            rep.check("cell_id", frame, True,
                      r["cell_id"] in [hexnorm(v) for v in
                                       t["gsm_map.cellGlobalIdOrServiceAreaIdFixedLength"]])
        evs = [num(v) for v in t["camel.eventTypeBCSM"]]
        if "bcsm_events" in r:  # RequestReportBCSMEvent: every armed event, by name
            rep.check("bcsm_events = Wireshark's names", frame, r["bcsm_events"].split(","),
                      [bcsm.get(v) for v in evs])
        elif evs or "event_type_bcsm" in r:
            rep.check("event_type_bcsm", frame, r.get("event_type_bcsm"), evs[0] if evs else None)
            rep.check("event_type_bcsm_name = Wireshark's", frame,
                      r.get("event_type_bcsm_name"), bcsm.get(evs[0]) if evs else None)
        for key, field, table in (("event_type_sms", "camel.eventTypeSMS", sms),
                                  ("gprs_event_type", "camel.gPRSEventType", gprs)):
            if key in r or t[field]:
                v = num(t[field][0]) if t[field] else None
                rep.check(key, frame, r.get(key), v)
                rep.check(key + "_name = Wireshark's", frame, r.get(key + "_name"), table.get(v))
        if "release_cause" in r or t["camel.cause_indicator"]:
            rep.check("release_cause", frame, r.get("release_cause"),
                      num(t["camel.cause_indicator"][0]) if t["camel.cause_indicator"] else None)
        if "max_call_period_duration" in r or t["camel.maxCallPeriodDuration"]:
            rep.check("max_call_period_duration", frame, r.get("max_call_period_duration"),
                      num(t["camel.maxCallPeriodDuration"][0])
                      if t["camel.maxCallPeriodDuration"] else None)
    rep.check("every CAP operation of Wireshark's table in the capture", 0, sorted(ops),
              sorted(seen_ops))


# ---- SCCP management ----------------------------------------------------------------------

def compare_scmg(ours, theirs, rep):
    types = set()
    for frame, recs in sorted(ours.items()):
        t = theirs[frame]
        r = recs[0]
        ssc = r.get("scmg") == "ssc"
        clean(rep, frame, t, (SSC_QUIRK,) if ssc else ())
        rep.check("no error record", frame, r.get("error", ""), "")
        rep.check("scmg type", frame, SCMG_TYPES.get(r.get("scmg")),
                  num(t["sccpmg.message_type"][0]) if t["sccpmg.message_type"] else None)
        rep.check("scmg name = Wireshark's (Info)", frame, (r.get("scmg") or "").upper(),
                  t["_ws.col.Info"][0].split()[0] if t["_ws.col.Info"] else "")
        types.add(r.get("scmg"))
        for key, field in (("affected_ssn", "sccpmg.ssn"), ("affected_pc", "sccpmg.pc"),
                           ("smi", "sccpmg.smi"), ("congestion_level", "sccpmg.congestion")):
            rep.check(key, frame, r.get(key), num(t[field][0]) if t[field] else None)
        rep.check("ssn 1 both sides", frame, [r.get("called_ssn"), r.get("calling_ssn")],
                  [num(v) for v in t["sccp.called.ssn"] + t["sccp.calling.ssn"]])
        rep.check("no tcap, no tcap_user", frame, [k for k in ("tcap", "tcap_user") if k in r], [])
    rep.check("every message type in the capture", 0, sorted(SCMG_TYPES), sorted(types))


# ---- ANSI TCAP ----------------------------------------------------------------------------

def compare_ansi(ours, theirs, rep):
    pkgs = set()
    for frame, recs in sorted(ours.items()):
        t = theirs[frame]
        r = recs[0]
        clean(rep, frame, t)
        rep.check("no error record", frame, r.get("error", ""), "")
        info = t["_ws.col.Info"][0].split()[0] if t["_ws.col.Info"] else ""
        rep.check("package type", frame, (r.get("ansi_tcap") or "").lower(), info.lower())
        pkgs.add(r.get("ansi_tcap"))
        tid = [v for v in t["ansi_tcap.identifier"] if v != "<MISSING>"]  # unidirectional: 0 octets
        rep.check("transaction id", frame, (r.get("otid") or "") + (r.get("rtid") or ""),
                  hexnorm(tid[0]) if tid else "")
        comps = r.get("components", [])
        rep.check("private operation codes (family << 8 | specifier)", frame,
                  [c["op_family"] << 8 | c["opcode"] for c in comps if "opcode" in c],
                  [num(v) for v in t["ansi_tcap.private"]])
        rep.check("invoke component ids", frame,
                  ["%02x" % c["invoke_id"] for c in comps if "invoke_id" in c],
                  [hexnorm(v) for v in t["ansi_tcap.componentIDs"]])
        rep.check("answer component ids", frame,
                  ["%02x" % c["correlation_id"] for c in comps if "correlation_id" in c],
                  [hexnorm(v) for v in t["ansi_tcap.componentID"]])
        rep.check("error codes", frame, [c["error_code"] for c in comps if "error_code" in c],
                  [num(v) for v in t["ansi_tcap.ec_private"]])
        rep.check("reject problems", frame, [c["problem"] for c in comps if "problem" in c],
                  [num(v) for v in t["ansi_tcap.rejectProblem"]])
        rep.check("p-abort cause", frame, r.get("pabort_cause"),
                  num(t["ansi_tcap.abortCause"][0]) if t["ansi_tcap.abortCause"] else None)
        rep.check("tcap_user", frame, r.get("tcap_user"), "ansi-41")
    rep.check("every package type in the capture", 0, 7, len(pkgs))


def compare_ansi_names(ours, theirs, rep):
    names = set()
    for frame, recs in sorted(ours.items()):
        t = theirs[frame]
        r = recs[0]
        rep.check("no error record", frame, r.get("error", ""), "")
        if "op" not in r:
            continue
        # Wireshark's ansi_map puts "<operation name> Invoke" in the Info column
        info = t["_ws.col.Info"][0] if t["_ws.col.Info"] else ""
        rep.check("ANSI-41 operation name = Wireshark's", frame, r["op"] + " Invoke",
                  info.strip())
        names.add(r["op"])
    rep.check("every ANSI-41 operation of the table in the capture", 0, True, len(names) >= 105)


# ---- several users in one capture ----------------------------------------------------------

# Where Wireshark's value string is the opcode's name rather than the ASN.1 operation's:
# TS 29.002 defines forwardCheckSS-Indication OPERATION ::= { ... CODE local:38 }.
MAP_NAME_ASIDE = {38: ("forwardCheckSS-Indication", "forwardCheckSS")}

def ours_protocol(r):
    if "scmg" in r:
        return "scmg"
    if "ansi_tcap" in r:
        return "ansi"
    if "tcap" in r:
        return "cap" if r.get("tcap_user") == "cap" else "map" if "tcap_user" not in r else "other"
    return "none"


def their_protocol(t):
    if t["sccpmg.message_type"]:
        return "scmg"
    if t["ansi_tcap.private"] or t["ansi_tcap.componentID"] or t["ansi_tcap.abortCause"]:
        return "ansi"
    if t["camel.local"] or t["camel.error_code_local"]:
        return "cap"
    if t["gsm_old.localValue"]:
        return "map"
    return None  # a component-less TCAP message (an abort): the TCAP layer alone


def compare_mixed(ours, theirs, rep):
    gsm_old = tshark_values("gsm_old.localValue")
    camel = tshark_values("camel.local")
    users = collections.Counter()
    for frame, recs in sorted(ours.items()):
        t = theirs[frame]
        r = recs[0]
        clean(rep, frame, t, (SSC_QUIRK,) if r.get("scmg") == "ssc" else ())
        rep.check("no error record", frame, r.get("error", ""), "")
        mine, theirs_p = ours_protocol(r), their_protocol(t)
        users[mine] += 1
        if theirs_p is not None:
            rep.check("the protocol Wireshark gives the message to", frame, mine, theirs_p)
        names = camel if mine == "cap" else gsm_old if mine == "map" else {}
        for c in r.get("components", []):
            if "op" in c and mine in ("map", "cap"):
                want = names.get(c["opcode"])
                if mine == "map" and MAP_NAME_ASIDE.get(c["opcode"], (None, ))[0] == c["op"]:
                    want = c["op"] if MAP_NAME_ASIDE[c["opcode"]][1] == want else want
                rep.check("operation named by its own protocol's table", frame, c["op"], want)
    rep.check("all four protocols in the capture", 0, ["ansi", "cap", "map", "scmg"],
              sorted(u for u in users if u in ("ansi", "cap", "map", "scmg")))


# ---- framings -----------------------------------------------------------------------------

def compare_framing(mode, ours, theirs, rep):
    link_units = 0
    for frame, t in sorted(theirs.items()):
        if mode.startswith("mtp2") and t["mtp2.li"] and num(t["mtp2.li"][0]) < 3:
            # a fill-in or link status unit: counted by ssgw, not a record
            rep.check("no record for a FISU / LSSU", frame, [], ours.get(frame, []))
            clean(rep, frame, t)
            link_units += 1
            continue
        rep.check("frame has a record", frame, True, frame in ours)
    if mode.startswith("mtp2"):
        rep.check("the capture has FISU / LSSU frames", 0, True, link_units > 0)
    od.compare(ours, theirs, rep, use_mtp3=mode != "sua")
    for frame, recs in sorted(ours.items()):
        t = theirs[frame]
        r = recs[0]
        if mode == "m2pa":
            rep.check("m2pa type", frame, {"user_data": 1, "link_status": 2}.get(r.get("m2pa")),
                      num(t["m2pa.type"][0]))
            rep.check("m2pa bsn", frame, r.get("bsn"), num(t["m2pa.bsn"][0]))
            rep.check("m2pa fsn", frame, r.get("fsn"), num(t["m2pa.fsn"][0]))
            if t["m2pa.status"]:
                states = {"ready": 4, "busy": 7, "busy_ended": 8}
                rep.check("m2pa link status", frame, states.get(r.get("link_status")),
                          num(t["m2pa.status"][0]))
        elif mode == "m2ua":
            rep.check("m2ua DATA", frame, [r.get("m2ua")],
                      ["DATA" if (num(t["m2ua.message_class"][0]), num(t["m2ua.message_type"][0]))
                       == (6, 1) else "other"])
            rep.check("m2ua interface id", frame, r.get("interface_id"),
                      num(t["m2ua.interface_identifier_int"][0]))
        elif mode == "sua":
            rep.check("sua message", frame, r.get("sua"),
                      "CLDT" if (num(t["sua.message_class"][0]), num(t["sua.message_type"][0]))
                      == (7, 1) else "other")
            rep.check("sua routing context", frame, r.get("rc"),
                      num(t["sua.routing_context"][0]) if t["sua.routing_context"] else None)
            rep.check("sua protocol class", frame, r.get("protocol_class"),
                      num(t["sua.protocol_class_class"][0]))
            for side, sua_side in (("calling", "source"), ("called", "destination")):
                rep.check(side + "_gt (sua)", frame, r.get(side + "_gt"),
                          (t["sua.%s.global_title_digits" % sua_side] or [None])[0])
                rep.check(side + "_ssn (sua)", frame, r.get(side + "_ssn"),
                          num(t["sua.%s.ssn" % sua_side][0]) if t["sua.%s.ssn" % sua_side] else None)
                rep.check(side + "_pc (sua)", frame, r.get(side + "_pc"),
                          num(t["sua.%s.point_code" % sua_side][0])
                          if t["sua.%s.point_code" % sua_side] else None)
                # the GTI of the address says which of these the record gives
                if side + "_tt" in r:
                    rep.check(side + "_tt (sua)", frame, r[side + "_tt"],
                              num(t["sua.%s.global_title_translation_type" % sua_side][0]))
            if "calling_np" in r:
                rep.check("calling_np (sua)", frame, r["calling_np"],
                          num(t["sua.source.global_title_numbering_plan"][0]))
            if "calling_nai" in r:
                rep.check("calling_nai (sua)", frame, r["calling_nai"],
                          num(t["sua.source.global_title_nature_of_address"][0]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--mode", required=True,
                    choices=["cap", "scmg", "ansi", "ansi-names", "m2pa", "m2ua", "mtp2",
                             "mtp2-phdr", "sua", "mixed"])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("generate_args", nargs="*")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    pcap = os.path.join(a.workdir, a.mode + ".pcap")
    gen = {"cap": ["--users", "cap", "--no-management"],
           "scmg": ["--users", "scmg", "--no-management"],
           "ansi": ["--users", "ansi", "--no-management"],
           "ansi-names": ["--users", "ansi", "--no-management", "--ansi-parameters", "empty"],
           "m2pa": ["--adaptation", "m2pa"], "m2ua": ["--adaptation", "m2ua"],
           "sua": ["--adaptation", "sua"], "mtp2": ["--link", "mtp2"],
           "mtp2-phdr": ["--link", "mtp2-phdr"],
           "mixed": ["--users", "map,cap,scmg,ansi", "--no-management"]}[a.mode]
    run([a.ssgw, "generate", "--count", str(a.count), "--seed", str(a.seed)] + gen +
        a.generate_args + [pcap], stderr=subprocess.DEVNULL)
    ours = collections.defaultdict(list)
    for line in run([a.ssgw, "decode", "--json", pcap]).splitlines():
        r = json.loads(line)
        ours[r["frame"]].append(r)
    fields = BASE_FIELDS + {"cap": CAP_FIELDS, "scmg": SCMG_FIELDS, "ansi": ANSI_FIELDS,
                            "ansi-names": [], "mixed": MIXED_FIELDS}.get(a.mode, [])
    if a.mode in FRAMING_FIELDS:
        fields = od.TSHARK_FIELDS + [f for f in BASE_FIELDS if f not in od.TSHARK_FIELDS] + \
            FRAMING_FIELDS[a.mode]
    theirs = tshark_frames(pcap, fields)
    rep = od.Report()
    if a.mode not in FRAMING_FIELDS:
        rep.check("every tshark frame has a record", 0, sorted(theirs), sorted(ours))
    {"cap": compare_cap, "scmg": compare_scmg, "ansi": compare_ansi,
     "ansi-names": compare_ansi_names, "mixed": compare_mixed}.get(
        a.mode, lambda o, t, r: compare_framing(a.mode, o, t, r))(ours, theirs, rep)
    total = sum(rep.checked.values())
    failed = sum(rep.failed.values())
    print("%s: %d frames; %d comparisons in %d fields" %
          (a.mode, len(theirs), total, len(rep.checked)))
    for field in sorted(rep.checked):
        status = "ok" if not rep.failed[field] else "FAILED %d" % rep.failed[field]
        print("  %-52s %7d  %s" % (field, rep.checked[field], status))
        for frame, o, t in rep.examples.get(field, []):
            print("      frame %s: ssgw=%r tshark=%r" % (frame, o, t))
    print("oracle: %d passed, %d failed" % (total - failed, failed))
    return 0 if rep.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
