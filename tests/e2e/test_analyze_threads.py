#!/usr/bin/env python3
"""`ssgw analyze --threads N` writes what one thread writes, byte for byte.

--threads is a pipeline by stage (tools/ssgw/analyze_run.h): one thread judges every message
in capture order, the others decode ahead and write the records. Whatever N, every output a
user sees must be one thread's: the summary, the --json records, the --labels score and the
--report HTML, the --learn proposal, in enforce and in monitor mode, for SS7 with the attack catalogue, for
Diameter, and for captures with SCCP segments (reassembly must keep capture order: the test
also checks that segmented messages were reassembled, so that it can fail), cut short by
--limit at a batch's middle.

Usage: test_analyze_threads.py --ssgw BIN --source REPO --workdir DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

from gwtest import check, summary

THREADS = (2, 3, 5)
# --threads 2 with SSGW_ANALYZE_WARM=0, 1, 255
WARMS = ("w0", "w1", "w255")


def run(args, env=None):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300,
                          env=env)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    conf = os.path.join(a.source, "examples", "ssgw.conf")

    def path(name):
        return os.path.join(work, name)

    makes = [
        ["attack", "--count", "3000", "--seed", "7", "--labels", path("ss7.labels"), path("ss7.pcap")],
        ["attack", "--protocol", "diameter", "--count", "1500", "--seed", "7",
         "--labels", path("dia.labels"), path("dia.pcap")],
        ["generate", "--segment-every", "4", "--count", "1500", "--seed", "3", path("seg.pcap")],
        ["generate", "--segment-every", "3", "--transport", "tcp", "--count", "800", "--seed", "4",
         path("segtcp.pcap")],
    ]
    for m in makes:
        p = run([a.ssgw] + m)
        check("capture: ssgw " + " ".join(m[:3]), p.returncode == 0, p.stderr[-400:])

    # name, options (before the capture), capture; the file written is compared too when %R
    # (--report) or %L (--learn) appears
    cases = [
        ("summary", ["--config", conf], "ss7.pcap"),
        ("json", ["--config", conf, "--json"], "ss7.pcap"),
        ("monitor", ["--config", conf, "--monitor", "--json"], "ss7.pcap"),
        ("labels+report", ["--config", conf, "--labels", path("ss7.labels"), "--report", "%R"],
         "ss7.pcap"),
        ("limit", ["--config", conf, "--json", "--limit", "1000"], "ss7.pcap"),
        ("learn", ["--config", conf, "--learn", "%L"], "ss7.pcap"),
        ("diameter", ["--config", conf, "--json"], "dia.pcap"),
        ("diameter labels", ["--config", conf, "--labels", path("dia.labels")], "dia.pcap"),
        ("segments", ["--config", conf, "--json"], "seg.pcap"),
        ("segments summary", ["--config", conf], "seg.pcap"),
        ("segments over tcp", ["--config", conf, "--json"], "segtcp.pcap"),
    ]
    for name, opts, cap in cases:
        outs = {}
        # the turn warms the state store's records of the messages WARM_AHEAD ahead
        # (tools/ssgw/analyze_run.c): as far as a batch (255), the next one (1) or not at all
        # (0), the outputs are the same
        for t in (1,) + THREADS + WARMS:
            warm = None
            if isinstance(t, str):
                warm = dict(os.environ, SSGW_ANALYZE_WARM=t[1:])
            out = path("out-%s-%s" % (name.replace(" ", "_"), t))
            args = [a.ssgw, "analyze", "--threads", "2" if warm else str(t)] + \
                [out if o in ("%R", "%L") else o for o in opts] + [path(cap)]
            p = run(args, warm)
            html = b""
            if ("%R" in opts or "%L" in opts) and os.path.exists(out):
                with open(out, "rb") as f:
                    html = f.read()
            # the summary names the learn output: the same name for every run
            stdout = p.stdout.replace(out.encode(), b"OUT")
            outs[t] = (p.returncode, stdout, p.stderr, html)
        ref = outs[1]
        check("%s: one thread runs (%d bytes)" % (name, len(ref[1])),
              ref[0] == 0 and len(ref[1]) > 0, ref[2][-400:])
        for t in THREADS + WARMS:
            check("%s: --threads %s writes what one thread writes" % (name, t),
                  outs[t] == ref,
                  "rc %s / %s, stdout %d / %d bytes, html %d / %d bytes" %
                  (outs[t][0], ref[0], len(outs[t][1]), len(ref[1]), len(outs[t][3]),
                   len(ref[3])))
        if name == "segments":
            recs = [json.loads(l) for l in ref[1].splitlines() if l.strip()]
            whole = [r for r in recs if "segmentation" in r and "tcap" in r]
            check("segments: messages reassembled from their segments (%d)" % len(whole),
                  len(whole) > 10)
        if name == "labels+report":
            check("labels+report: the report was written", b"</html>" in ref[3])
        if name == "learn":
            check("learn: a proposal with partners was written", b"[[partner]]" in ref[3])
        if name == "limit":
            check("limit: 1000 records", ref[1].count(b"\n") == 1000)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
