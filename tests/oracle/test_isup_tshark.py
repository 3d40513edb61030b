#!/usr/bin/env python3
"""Oracle test: ISUP (ITU-T Q.763) decoded by ssgw and by tshark, parameter by parameter.

Three captures:
  * ours, M3UA:  `ssgw generate --protocol isup` over SCTP: every message type of the ISUP
    table with random numbers, indicators, categories, causes, events, redirections,
    generic numbers, ranges, parameter compatibility and application transport;
  * ours, MTP3:  the same generator on the MTP3 link type;
  * theirs:      ISUP messages taken from the test suites of two other ISUP
    implementations (osmo_ss7, jss7), written here into an MTP3 capture by this script.

For each frame: tshark must raise no malformed mark and no expert item but three notes
Wireshark 4.0 attaches to well-formed messages ("No optional parameters are possible with
this message type" on every type without an optional part, "Status subfield is not present
with this message type" on GRS/CQM/CQR ranges, "(empty) number" on a calling number whose
presentation is "address not available"); ssgw must decode without an error record; CIC,
message type and the parameter list must agree, and every parameter ssgw reports must
carry the same values in tshark's subtree of that parameter (isup.called, isup.calling,
isup.*_nature_of_address_indicator, isup.numbering_plan_indicator, isup.inn_indicator,
isup.ni_indicator, isup.address_presentation_restricted_indicator,
isup.screening_indicator, isup.number_qualifier_indicator, isup.calling_partys_category,
isup.cause_indicator, q931.cause_location, isup.redirecting_ind, isup.redirection_reason
..., isup.event_ind, isup.range_indicator, isup.cgs_message_type, isup.hop_counter ...).

And, with --rel-tool (test_call_checks --rel-pcap FILE): the RELs the firewall answers
malformed IAMs with (cause 95, on the IAM's circuit, back to its originator) are messages
tshark decodes as well: the same checks, and each is a REL with cause 95.

Usage: test_isup_tshark.py --ssgw BIN --workdir DIR [--count N] [--seed N] [--rel-tool BIN]
"""
import collections
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdml  # noqa: E402
from oracle_decode import Report  # noqa: E402

ALLOWED_NOTES = {
    "No optional parameters are possible with this message type",
    "Status subfield is not present with this message type",
    "(empty) number",
}
NOTE = 0x00400000

# Messages from other ISUP implementations' test suites (CIC first), as published there.
THEIRS = [
    # osmo_ss7 test/isup_codec_tests.erl ISUP_IAM_BIN: an IAM with the national parameter
    # 0xF2 in its optional part
    bytes([9, 0, 1, 16, 72, 0, 10, 3, 2, 10, 8, 131, 16, 41, 153, 36, 0, 128, 15, 10, 8, 3, 19,
           148, 3, 66, 48, 147, 32, 242, 21, 54, 25, 8, 0, 0, 21, 255, 255, 255, 255, 255, 255,
           255, 255, 255, 255, 29, 69, 56, 203, 32, 0]),
    # osmo_ss7 ISUP_GRS_BIN: circuit group reset, range 14
    bytes([1, 0, 23, 1, 1, 14]),
    # jss7 IAMTest: called 380683401056 (NAI 3), calling 9023631173 (NAI 3, screening 3)
    bytes.fromhex("0c0b011000010a03020a0803108360380410650a07031309323611370 0".replace(" ", "")),
    # jss7 RELTest: cause 31 at location 3
    bytes.fromhex("0c0b0c020002839f"),
    # jss7 ACMTest: optional backward call indicators and cause 28 in the optional part
    bytes.fromhex("0c0b0601200129010112028 29c00".replace(" ", "")),
    # jss7 CPGTest: event 2; backward call indicators, transmission medium used and a
    # connected number (NAI 1, NPI 4, presentation not available, 380683) as optional
    bytes.fromhex("0c0b2c0201110 2a69d350103210501 4b8360380 0".replace(" ", "")),
]

NUMBER_KEYS = {  # parameter code -> (record prefix, tshark digits field)
    0x04: ("called", "isup.called"),
    0x05: ("subsequent", "isup.subsequent_number"),
    0x0A: ("calling", "isup.calling"),
    0x0B: ("redirecting", "isup.redirecting"),
    0x0C: ("redirection", "isup.redirection_number"),
    0x21: ("connected", "isup.connected_number"),
    0x28: ("original_called", "isup.original_called_number"),
    0x3F: ("location", "isup.location_number"),
}


def run(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True).stdout


def write_theirs(path):
    frames = []
    for i, isup in enumerate(THEIRS):
        frames.append(pdml.mtp3_msu(5, 100 + i, 200 + i, isup[0] & 15, isup))
    pdml.write_pcap(path, pdml.LINKTYPE_MTP3, frames)


def tshark_params(proto):
    """[(code, {field: [values]})] in message order, from one isup proto node."""
    out = []
    for node in proto:
        f = pdml.fields(node)
        codes = f.get("isup.parameter_type")
        if node.get("name") == "" and codes:
            out.append((int(codes[0]), f))
    return out


def first(f, *names):
    for n in names:
        if f.get(n):
            return f[n][0]
    return None


def nai_of(f):
    for k, v in f.items():
        if k.endswith("nature_of_address_indicator"):
            return pdml.num(v[0])
    return None


def check_number(rep, frame, label, ours, f, digits_field):
    """ours: dict number, nai, npi, inn/ni, presentation, screening, qualifier (any may miss)."""
    rep.check(label + " digits", frame, ours.get("number"), first(f, digits_field) or "")
    pairs = [("nai", nai_of(f)),
             ("npi", first(f, "isup.numbering_plan_indicator")),
             ("inn", first(f, "isup.inn_indicator")),
             ("ni", first(f, "isup.ni_indicator")),
             ("presentation", first(f, "isup.address_presentation_restricted_indicator")),
             ("screening", first(f, "isup.screening_indicator",
                                 "isup.screening_indicator_enhanced")),
             ("qualifier", first(f, "isup.number_qualifier_indicator"))]
    for key, theirs in pairs:
        if key in ours:
            rep.check("%s %s" % (label, key), frame, ours[key],
                      None if theirs is None else pdml.num(str(theirs)))


def number_of(rec, prefix):
    if prefix + "_number" not in rec:
        return None
    out = {"number": rec[prefix + "_number"]}
    for k in ("nai", "npi", "inn", "ni", "presentation", "screening"):
        if "%s_%s" % (prefix, k) in rec:
            out[k] = rec["%s_%s" % (prefix, k)]
    return out


def compare_frame(rep, frame, rec, proto):
    f = pdml.fields(proto)
    rep.check("no error record", frame, rec.get("error", ""), "")
    rep.check("cic", frame, rec.get("cic"), pdml.num(f["isup.cic"][0]))
    rep.check("isup_type", frame, rec.get("isup_type"), pdml.num(f["isup.message_type"][0]))
    params = tshark_params(proto)
    rep.check("parameter list", frame, rec.get("isup_params", []),
              [c for c, _ in params if c != 0])
    generic = list(rec.get("generic_number", []))
    for code, pf in params:
        if code in NUMBER_KEYS:
            prefix, digits = NUMBER_KEYS[code]
            ours = number_of(rec, prefix)
            rep.check(prefix + " present", frame, ours is not None, True)
            if ours:
                check_number(rep, frame, prefix, ours, pf, digits)
        elif code == 0xC0:
            g = generic.pop(0) if generic else {}
            check_number(rep, frame, "generic", g, pf, "isup.generic_number")
        elif code == 0x09:
            rep.check("calling_category", frame, rec.get("calling_category"),
                      pdml.num(pf["isup.calling_partys_category"][0]))
        elif code == 0x02:
            rep.check("tmr", frame, rec.get("tmr"),
                      pdml.num(pf["isup.transmission_medium_requirement"][0]))
        elif code == 0x12:
            rep.check("cause", frame, rec.get("cause"), pdml.num(pf["isup.cause_indicator"][0]))
            rep.check("cause_location", frame, rec.get("cause_location"),
                      pdml.num(pf["q931.cause_location"][0]))
        elif code == 0x13:
            ri = rec.get("redirection_info", {})
            for key, field in (("indicator", "isup.redirecting_ind"),
                               ("original_reason", "isup.original_redirection_reason"),
                               ("counter", "isup.redirection_counter"),
                               ("reason", "isup.redirection_reason")):
                if field in pf:
                    rep.check("redirection_info " + key, frame, ri.get(key),
                              pdml.num(pf[field][0]))
        elif code == 0x24:
            rep.check("event", frame, rec.get("event"), pdml.num(pf["isup.event_ind"][0]))
            rep.check("event_restricted", frame, int(rec.get("event_restricted", -1)),
                      pdml.num(pf["isup.event_presentation_restr_ind"][0]))
        elif code == 0x16:
            # Wireshark shows the number of circuits (range + 1)
            rep.check("range", frame, rec.get("range", -2) + 1,
                      pdml.num(pf["isup.range_indicator"][0]))
        elif code == 0x15:
            rep.check("cgsmti", frame, rec.get("cgsmti"), pdml.num(pf["isup.cgs_message_type"][0]))
        elif code == 0x22:
            rep.check("suspend_resume", frame, rec.get("suspend_resume"),
                      pdml.num(pf["isup.suspend_resume_indicator"][0]))
        elif code == 0x3D:
            rep.check("hop_counter", frame, rec.get("hop_counter"),
                      pdml.num(pf["isup.hop_counter"][0]))
        elif code == 0x39:
            rep.check("parameter_compatibility", frame, rec.get("parameter_compatibility"), True)
        elif code == 0x78:
            rep.check("application_transport", frame, rec.get("application_transport", 0) > 0,
                      True)
    rep.check("generic numbers matched", frame, generic, [])


def oracle(name, pcap, args, rep, counts):
    ours = collections.defaultdict(list)
    for line in run([args.ssgw, "decode", "--json", pcap]).splitlines():
        r = json.loads(line)
        ours[r["frame"]].append(r)
    frames = 0
    for frame, pkt in pdml.packets(pcap):
        frames += 1
        recs = [r for r in ours.get(frame, []) if "isup" in r or "error" in r]
        isups = pdml.protos(pkt, "isup")
        rep.check("one record per ISUP message", frame, len(recs), len(isups))
        exp, malformed = pdml.experts(pkt)
        rep.check("not malformed (tshark)", frame, malformed, False)
        rep.check("no expert item but the allowed notes (tshark)", frame,
                  [m for s, m in exp if s > NOTE or m not in ALLOWED_NOTES], [])
        for rec, proto in zip(recs, isups):
            compare_frame(rep, "%s:%s" % (name, frame), rec, proto)
            counts[rec.get("isup", "?")] += 1
    rep.check("every frame decoded by ssgw (" + name + ")", 0, sorted(ours), list(range(1, frames + 1)))
    return frames


def rel_answers(a, rep, counts):
    """The RELs answering malformed IAMs (test_call_checks writes them): frames checked."""
    pcap = os.path.join(a.workdir, "isup_rel_answers.pcap")
    # the unit test reads ../examples/ssgw.conf: run it from tests/
    subprocess.run([a.rel_tool, "--rel-pcap", pcap], check=True, stdout=subprocess.DEVNULL,
                   cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    before = counts["rel"]
    frames = oracle("rel_answers", pcap, a, rep, counts)
    rep.check("REL answers: every frame a REL", 0, counts["rel"] - before, frames)
    rep.check("REL answers: some written", 0, frames > 0, True)
    for frame, pkt in pdml.packets(pcap):
        for proto in pdml.protos(pkt, "isup"):
            f = pdml.fields(proto)
            rep.check("REL answer cause 95 (tshark)", frame, f.get("isup.cause_indicator"), ["95"])
    return frames


def main():
    a = pdml.oracle_args(__doc__, 1500, 11,
                         lambda ap: ap.add_argument("--rel-tool", help="test_call_checks"))
    theirs = os.path.join(a.workdir, "isup_theirs.pcap")
    write_theirs(theirs)
    rep = Report()
    counts = collections.Counter()
    total = 0
    for name, pcap in pdml.generated(a, "isup") + [("theirs", theirs)]:
        total += oracle(name, pcap, a, rep, counts)
    if a.rel_tool:
        total += rel_answers(a, rep, counts)
    # the generator covers every message type it walks (the table without PAM, CRG, SDN)
    rep.check("message types covered", 0, len([t for t in counts if t != "?"]) >= 46, True)
    return pdml.report(rep, "isup oracle: %d frames, %d message types" % (total, len(counts)))


if __name__ == "__main__":
    sys.exit(main())
