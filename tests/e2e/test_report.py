#!/usr/bin/env python3
"""The HTML report tells the truth (include/ssgw/report.h), read back with Python's HTML parser
and checked against numbers this test computes itself: from the capture's own timestamps, the
labels of `ssgw attack`, the policy's [[partner]] GT prefixes (tomllib) and the records of
`ssgw analyze --json`.

1. `ssgw analyze --labels --report` on a labelled attack capture with a policy that requires a
   security token from one partner (its unsigned messages are trust drops):
   - the time axis is the capture's: first and last message = the first and last frame time,
     the axis starts at the first and its last bar holds the last; tick labels are those times;
   - every verdict of every message is in the timeline, the category chart, and the per-partner
     table; trust drops (check trust.missing) are in the timeline, the checks chart, the
     offenders, the operations chart and the partner table like any other drop;
   - offenders name the partner owning the GT (or "unknown"), and spoofing (spoof.* checks) is
     called out with the right counts;
   - the score: attacks caught / missed and legitimate messages blocked equal the labels
     checked against the records.
2. A live gateway's report (`[gateway] report`, SIGUSR1 then SIGTERM): times are the messages'
   arrival times (within the test's wall clock, not 1970), the frame column is "-".
"""
import collections
import datetime
import html.parser
import json
import os
import re
import struct
import subprocess
import sys
import time
import tomllib

import gwtest
from gwtest import Asp, check, free_port, pcap_frames, status, summary, write_config

BLOCKED = {"drop", "answer", "rate-limit"}


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def rfc3339_ms(s):
    return int(round(datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
                     * 1000))


def pcap_times_ms(path):
    """Frame timestamps of a classic pcap (microsecond resolution), in ms, truncated."""
    d = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(d):
        sec, usec, il, _ = struct.unpack("<IIII", d[off:off + 16])
        out.append(sec * 1000 + usec // 1000)
        off += 16 + il
    return out


class Page(html.parser.HTMLParser):
    """Elements with an id, data- attributes of rows and bars, texts of ticks and cells."""

    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.rects, self.ticks = [], {}, [], []
        self.tables = collections.defaultdict(list)  # id -> [(attrs, [cell texts])]
        self.texts = collections.defaultdict(list)   # svg id -> [text]
        self.table, self.row, self.cell, self.svg, self.text = None, None, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = (tag, a)
        if tag == "table":
            self.table = a.get("id")
        elif tag == "tr" and self.table:
            self.row = (a, [])
            self.tables[self.table].append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "svg":
            self.svg = a.get("id")
        elif tag == "rect" and self.svg == "timeline":
            self.rects.append(a)
        elif tag == "text" and self.svg:
            self.text = (a, [])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row[1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr":
            self.row = None
        elif tag == "table":
            self.table = None
        elif tag == "svg":
            self.svg = None
        elif tag == "text" and self.text:
            a, t = self.text
            s = "".join(t).strip()
            self.texts[self.svg].append(s)
            if "tick" in a.get("class", ""):
                self.ticks.append((int(a["data-ms"]), s))
            self.text = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.text is not None:
            self.text[1].append(data)


def parse(path):
    p = Page()
    p.feed(open(path, encoding="utf-8").read())
    return p


def partner_of(policy, gt):
    """The [[partner]] whose gt_prefixes hold gt (longest prefix), else None."""
    best, name = -1, None
    for p in policy.get("partner", []):
        for pre in p.get("gt_prefixes", []):
            if gt and gt.startswith(pre) and len(pre) > best:
                best, name = len(pre), p["name"]
    return name


def make_policy(source, tdir, path):
    """examples/ssgw.conf with Albion's [trust] (verify if present), and Rhein Telekom
    required to sign: its unsigned messages become trust drops (trust.missing)."""
    base = open(os.path.join(source, "examples", "ssgw.conf")).read()
    base = base.replace('name = "Rhein Telekom"\n', 'name = "Rhein Telekom"\ntrust = "require"\n')
    al = os.path.join(tdir, "albion")
    with open(path, "w") as f:
        f.write(base)
        f.write('\n[trust]\nkey = "%s"\nka_key = "%s"\nroot = "%s"\nbundle = "%s"\n'
                'mode = "ecdsa-p256"\nsign = "none"\ninbound = "verify-if-present"\n'
                % (os.path.join(al, "sign.key"), os.path.join(al, "ka.key"),
                   os.path.join(tdir, "root.crt"), os.path.join(tdir, "trust.bundle")))


def caught(r):
    return (r["action"] in ("drop", "answer") or r.get("alert")
            or r.get("verdict", "allow") != "allow")


# ---- 1. ssgw analyze ------------------------------------------------------------------------

def test_analyze(a, work, policy_path):
    policy = tomllib.load(open(policy_path, "rb"))
    pcap, lab = os.path.join(work, "attack.pcap"), os.path.join(work, "attack.labels.jsonl")
    p = run([a.ssgw, "attack", "--seed", "7", "--count", "3000", "--attack-ratio", "0.15",
             "--duration", "5", "--labels", lab, "-q", pcap])
    check("attack capture with labels", p.returncode == 0, p.stderr)
    labels = {x["frame"]: x for x in map(json.loads, open(lab))}
    report = os.path.join(work, "report.html")
    p = run([a.ssgw, "analyze", "--config", policy_path, "--labels", lab, "--report", report,
             pcap])
    check("ssgw analyze --labels --report runs", p.returncode == 0, p.stderr[-1500:])
    text = p.stdout
    p = run([a.ssgw, "analyze", "--config", policy_path, "--json", pcap])
    recs = [json.loads(l) for l in p.stdout.splitlines()]
    check("analyze --json: one record per frame", len(recs) == len(labels) == 3000,
          (len(recs), len(labels)))
    page = parse(report)

    # time: the capture's own
    times = pcap_times_ms(pcap)
    first, last = page.ids.get("first", ("", {}))[1], page.ids.get("last", ("", {}))[1]
    tl = page.ids.get("timeline", ("", {}))[1]
    check("time: first and last message are the capture's first and last frame (%s .. %s)"
          % (first.get("datetime"), last.get("datetime")),
          first and rfc3339_ms(first["datetime"]) == min(times)
          and rfc3339_ms(last["datetime"]) == max(times), (first, last, min(times), max(times)))
    t0, bin_ms, nb = int(tl.get("data-t0-ms", -1)), int(tl.get("data-bin-ms", 0)), \
        int(tl.get("data-bins", 0))
    check("time axis: starts at the first message, its last bar holds the last one",
          t0 == min(times) and (nb - 1) * bin_ms <= max(times) - t0 < nb * bin_ms,
          (t0, bin_ms, nb, max(times) - t0))
    check("time axis: ticks from the first message to the end of the last bar, labelled in UTC",
          len(page.ticks) == 5 and page.ticks[0][0] == t0
          and page.ticks[-1][0] == t0 + nb * bin_ms
          and all(datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
                  .strftime("%H:%M") in s or s.startswith(
                      datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
                      .strftime("%Y-%m-%d")) for ms, s in page.ticks), page.ticks)
    # every verdict in the timeline, with the bars in the bins of their frames' times
    want = collections.Counter(r["verdict"] for r in recs if "verdict" in r)
    got = collections.Counter()
    bins = collections.Counter()
    for rect in page.rects:
        got[rect["data-verdict"]] += int(rect["data-n"])
        bins[(int(rect["data-bin"]), rect["data-verdict"])] += int(rect["data-n"])
    check("timeline: every verdict of every message (%s)" % dict(want), got == want,
          (dict(got), dict(want)))
    exp_bins = collections.Counter()
    for r, t in zip(recs, times):
        if "verdict" in r:
            exp_bins[((t - t0) // bin_ms, r["verdict"])] += 1
    check("timeline: each message in the bar of its own time", bins == exp_bins,
          list((bins - exp_bins).items())[:5])
    # trust drops everywhere
    tdrops = [r for r in recs if r.get("check", "").startswith("trust.")]
    check("the capture has trust drops (%d) and spoofing" % len(tdrops),
          tdrops and any(r.get("check", "").startswith("spoof.") for r in recs))
    checks_svg = page.texts.get("checks", [])
    tcount = collections.Counter(r["check"] for r in tdrops)
    check("checks chart: trust drops with their counts (%s)" % dict(tcount),
          all(any(t == c for t in checks_svg) for c in tcount)
          and all(any(t.startswith(str(n)) for t in checks_svg) for n in tcount.values()),
          checks_svg[:20])
    ops_svg = page.texts.get("operations", [])
    # the chart counts the first invoke's MAP operation, as verdicts do (other TCAP users'
    # codes mean other things; an answer without an invoke has no operation to count)
    def first_invoke(r):
        return next((c.get("op") for c in r.get("components", []) if c.get("type") == "invoke"),
                    None)
    top_ops = collections.Counter(
        first_invoke(r) for r in recs if r.get("verdict") in BLOCKED and "tcap_user" not in r
        and first_invoke(r))
    check("operations chart: blocked operations counted with the trust drops",
          all(op in ops_svg and str(n) in ops_svg for op, n in top_ops.most_common(3)),
          (top_ops.most_common(3), ops_svg[:12]))

    # partners: counts per partner and verdict, computed here from the policy's prefixes
    exp = collections.defaultdict(collections.Counter)
    for r in recs:
        if r.get("direction") == "inbound" and "verdict" in r:
            name = partner_of(policy, r.get("calling_gt")) or "unknown"
            exp[name]["messages"] += 1
            exp[name][r["verdict"]] += 1
    rows = {row[0].get("data-partner"): row for row in page.tables.get("partners", [])
            if row[0].get("data-partner")}
    bad = []
    for name, c in exp.items():
        row = rows.get(name)
        if not row:
            bad.append((name, "missing"))
            continue
        cells = row[1]
        head = [h for h in page.tables["partners"][0][1]]
        have = {head[i]: int(cells[i]) for i in range(1, 7)}
        if have != {k: c.get(k, 0) for k in head[1:7]}:
            bad.append((name, have, dict(c)))
    check("partner table: messages and verdicts of every partner (and unknown) as computed from "
          "the policy's GT prefixes (%d partners)" % len(exp), exp and not bad, bad[:4])
    rhein = rows.get("Rhein Telekom")
    check("partner table: the trust drops are Rhein Telekom's drops",
          rhein and int(rhein[1][3]) >= sum(tcount.values()), rhein)

    # offenders: partner or unknown next to the GT, spoofing called out
    blocked_by_gt = collections.Counter(r.get("calling_gt", "(no GT)") for r in recs
                                        if r.get("verdict") in BLOCKED)
    spoof_by_gt = collections.Counter(r.get("calling_gt") for r in recs
                                      if r.get("verdict") in BLOCKED
                                      and (r.get("check", "").startswith("spoof.")
                                           or r.get("trust") == "gt_not_authorised"))
    offs = [row for row in page.tables.get("offenders", []) if row[0].get("data-gt")]
    wrong = []
    for attrs, cells in offs:
        gt = attrs["data-gt"]
        want_p = partner_of(policy, gt) or "unknown"
        if (attrs["data-partner"] != want_p or cells[1] != want_p
                or int(attrs["data-blocked"]) != blocked_by_gt[gt]
                or int(attrs["data-spoofed"]) != spoof_by_gt[gt]
                or (spoof_by_gt[gt] > 0) != ("spoofing" in cells[3])):
            wrong.append((gt, attrs, cells, want_p, blocked_by_gt[gt], spoof_by_gt[gt]))
    check("offenders: %d GTs with their partner or unknown, blocked and spoofing counts"
          % len(offs), offs and not wrong, wrong[:3])
    top = [gt for gt, _ in blocked_by_gt.most_common(len(offs))]
    check("offenders: the GTs with the most blocked messages",
          sorted(int(a["data-blocked"]) for a, _ in offs) ==
          sorted(blocked_by_gt[g] for g in top), ([a["data-gt"] for a, _ in offs], top))
    check("offenders: spoofing called out", any(int(a["data-spoofed"]) for a, _ in offs))
    check("offenders: an unknown GT is named unknown",
          any(a["data-partner"] == "unknown" for a, _ in offs)
          or not any(partner_of(policy, g) is None for g in top))

    # score
    n_att = sum(1 for l in labels.values() if l["label"] == "attack")
    n_leg = len(labels) - n_att
    c_att = sum(1 for r in recs if labels[r["frame"]]["label"] == "attack" and caught(r))
    fp = sum(1 for r in recs if labels[r["frame"]]["label"] == "legit" and caught(r))
    sc = page.ids.get("score", ("", {}))[1]
    check("score: attacks %d, caught %d, missed %d, false positives %d of %d legitimate"
          % (n_att, c_att, n_att - c_att, fp, n_leg),
          sc and int(sc["data-attacks"]) == n_att and int(sc["data-caught"]) == c_att
          and int(sc["data-missed"]) == n_att - c_att and int(sc["data-legit"]) == n_leg
          and int(sc["data-false-positives"]) == fp, sc)
    check("score: the legitimate messages of the partner without tokens are false positives",
          fp > 0)
    per = collections.defaultdict(lambda: [0, 0])
    for r in recs:
        l = labels[r["frame"]]
        if l["label"] == "attack":
            per[l["attack"]][0] += 1
            per[l["attack"]][1] += bool(caught(r))
    rows = {row[0]["data-attack"]: row[1] for row in page.tables.get("attacks", [])
            if row[0].get("data-attack")}
    bad = [(k, v, rows.get(k)) for k, v in per.items()
           if not rows.get(k) or [int(rows[k][2]), int(rows[k][3])] != v]
    check("score: per attack, messages and caught (%d attacks)" % len(per), per and not bad,
          bad[:4])
    m = re.search(r"attacks caught +(\d+) of (\d+)", text)
    check("summary: the score in the text too",
          m and (int(m.group(1)), int(m.group(2))) == (c_att, n_att), text[-800:])


# ---- 2. the live gateway --------------------------------------------------------------------

def test_gateway(a, work):
    pcap, lab = os.path.join(work, "gw.pcap"), os.path.join(work, "gw.labels.jsonl")
    run([a.ssgw, "attack", "--seed", "9", "--count", "200", "--attack-ratio", "0.3", "--labels",
         lab, "-q", pcap])
    labels = [json.loads(l) for l in open(lab)]
    inbound = [m for m, l in zip(pcap_frames(pcap), labels) if l["dir"] == "in"]
    po, pi, sock = free_port(), free_port(), os.path.join(work, "gw.sock")
    report = os.path.join(work, "gw-report.html")
    cfg = write_config(os.path.join(work, "gw.toml"), [
        {"name": "ipx", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po,
         "routing_contexts": [10]},
        {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi,
         "routing_contexts": [20]}],
        ['status_socket = "%s"' % sock,
         'policy = "%s"' % os.path.join(a.source, "examples", "ssgw.conf"),
         'report = "gw-report.html"'])
    t_start = int(time.time() * 1000)
    g = gwtest.gateway(a.ssgw, cfg, sock, os.path.join(work, "gw.log"))
    check("gateway with a report starts", g.poll() is None)
    if g.poll() is not None:
        return
    outer, inner = Asp(po, 10), Asp(pi, 20)
    for m in inbound:
        outer.send_raw(m)
    end = time.time() + 30
    while time.time() < end and status(sock)["counters"]["data_in"] < len(inbound):
        time.sleep(0.02)
    gwtest.stop(g)
    t_end = int(time.time() * 1000)
    page = parse(report)
    first, last = page.ids.get("first", ("", {}))[1], page.ids.get("last", ("", {}))[1]
    f_ms = rfc3339_ms(first["datetime"]) if first else 0
    l_ms = rfc3339_ms(last["datetime"]) if last else 0
    check("gateway report: message times are the arrival times (%s .. %s), not 1970"
          % (first.get("datetime"), last.get("datetime")),
          t_start <= f_ms <= l_ms <= t_end, (t_start, f_ms, l_ms, t_end))
    rows = [r for r in page.tables.get("blocked", []) if r[0].get("data-ms")]
    check("gateway report: blocked messages (%d) at their arrival time, no frame number"
          % len(rows), rows and all(t_start <= int(r[0]["data-ms"]) <= t_end and r[1][0] == "-"
                                    and rfc3339_ms(r[1][1]) == int(r[0]["data-ms"])
                                    for r in rows), rows[:2])
    n = sum(int(r["data-n"]) for r in page.rects)
    check("gateway report: every message in the timeline (%d)" % n, n == len(inbound),
          (n, len(inbound)))
    offs = [row for row in page.tables.get("offenders", []) if row[0].get("data-gt")]
    check("gateway report: offenders with their partner",
          offs and all(r[0]["data-partner"] in ("Safari Mobile", "Rhein Telekom", "Lagos Mobile",
                                               "unknown") for r in offs),
          [r[0] for r in offs][:4])


def main():
    a, work = gwtest.trust_main_args(__doc__)
    tdir = os.path.join(work, "trust")
    try:
        if not gwtest.trust_setup(a, tdir):
            return summary()
        policy = os.path.join(work, "albion.conf")
        make_policy(a.source, tdir, policy)
        test_analyze(a, work, policy)
        test_gateway(a, work)
    finally:
        gwtest.kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
