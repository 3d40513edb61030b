#!/usr/bin/env python3
"""The library's layering, checked against src/LAYERS (the table the build reads).

Every source and header under src/<dir>/ belongs to the layer that lists <dir>; every
public header include/ssgw/NAME.h to the layer that lists NAME. A file may include only
headers of its own layer and of the layers below it (the layer's "uses", followed down).
With --objects FILE (one line per layer: "layer obj.o;obj.o;..."), the symbols each
layer's objects need must be defined by that layer or a lower one: a call upwards
without an include (an extern declaration) is caught too.

--self-check first proves the checker can fail: it copies src/ and include/ to a
temporary tree, adds an upward include (wire -> gateway) and a private cross-layer
include, and requires both to be reported.

Usage: check_layers.py --source REPO [--objects FILE] [--self-check]
Exit 0 when the layering holds, 1 with one line per violation.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def read_layers(path):
    layers, order = {}, []
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        name, dirs, uses, headers = words[0], words[1].split(","), words[2], words[3:]
        layers[name] = {"dirs": dirs, "uses": None if uses == "-" else uses, "headers": headers}
        order.append(name)
    return layers, order


def allowed(layers, name):
    out = set()
    while name:
        out.add(name)
        name = layers[name]["uses"]
    return out


def owner_maps(layers):
    dir_of, hdr_of = {}, {}
    for name, l in layers.items():
        for d in l["dirs"]:
            dir_of[d] = name
        for h in l["headers"]:
            hdr_of[h] = name
    return dir_of, hdr_of


def check_includes(root, layers):
    dir_of, hdr_of = owner_maps(layers)
    problems = []
    files = []
    for d in sorted(os.listdir(os.path.join(root, "src"))):
        full = os.path.join(root, "src", d)
        if not os.path.isdir(full):
            continue
        if d not in dir_of:
            problems.append("src/%s/: a directory no layer lists in src/LAYERS" % d)
            continue
        for f in sorted(os.listdir(full)):
            if f.endswith((".c", ".h")):
                files.append(("src/%s/%s" % (d, f), dir_of[d], d))
    inc = os.path.join(root, "include", "ssgw")
    for f in sorted(os.listdir(inc)):
        if not f.endswith(".h"):
            continue
        name = f[:-2]
        if name not in hdr_of:
            problems.append("include/ssgw/%s: a public header no layer lists in src/LAYERS" % f)
            continue
        files.append(("include/ssgw/%s" % f, hdr_of[name], None))
    for rel, layer, d in files:
        ok = allowed(layers, layer)
        text = open(os.path.join(root, rel), errors="replace").read()
        for m in INCLUDE.finditer(text):
            target = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            parts = target.split("/")
            if len(parts) == 2 and parts[0] == "ssgw":
                tl = hdr_of.get(parts[1][:-2])
                what = "public header %s" % target
            elif len(parts) == 2 and parts[0] in dir_of:
                tl = dir_of[parts[0]]
                what = "private header %s" % target
            elif len(parts) == 1 and d:
                tl = layer  # beside the file
                what = target
            else:
                problems.append("%s:%d: includes \"%s\", which no layer owns" % (rel, line, target))
                continue
            if tl is None:
                problems.append("%s:%d: includes \"%s\", which no layer owns" % (rel, line, target))
            elif tl not in ok:
                problems.append("%s:%d: layer %s includes %s of layer %s, which is not below it"
                                % (rel, line, layer, what, tl))
    return problems


def nm(objs, defined):
    args = ["nm", "-P", "--defined-only" if defined else "--undefined-only"] + objs
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    syms = set()
    for line in out.splitlines():
        w = line.split()
        if len(w) >= 2 and not line.endswith(":"):
            if defined and w[1] not in "TtDdBbRrVvWwCGgSs":
                continue
            if defined and w[1].islower() and w[1] not in "vw":
                continue  # file-local
            syms.add(w[0])
    return syms


def check_symbols(objects_file, layers):
    objs = {}
    for line in open(objects_file):
        line = line.strip()
        if line:
            name, _, rest = line.partition(" ")
            objs[name] = [o for o in rest.split(";") if o]
    defined = {name: nm(o, True) for name, o in objs.items() if o}
    problems = []
    for name, o in objs.items():
        if not o:
            continue
        ok = allowed(layers, name)
        for sym in sorted(nm(o, False)):
            owners = [l for l, d in defined.items() if sym in d]
            if owners and not any(l in ok for l in owners):
                problems.append("layer %s calls %s, defined in layer %s, which is not below it"
                                % (name, sym, owners[0]))
    return problems


def self_check(source, layers):
    tmp = tempfile.mkdtemp(prefix="ssgw-layers-")
    try:
        for d in ("src", "include"):
            shutil.copytree(os.path.join(source, d), os.path.join(tmp, d))
        victim = os.path.join(tmp, "src", "wire", "m3ua.c")
        with open(victim, "a") as f:
            f.write('\n#include "ssgw/gateway.h" /* deliberate upward include */\n'
                    '#include "policy/policy_int.h" /* deliberate: a higher layer\'s private header */\n')
        found = check_includes(tmp, layers)
        want = ["src/wire/m3ua.c", "public header ssgw/gateway.h", "private header policy/policy_int.h"]
        hit = [p for p in found if "src/wire/m3ua.c" in p]
        ok = len(hit) == 2 and all(any(w in p for p in hit) for w in want)
        print("self-check: a deliberate upward include in src/wire/m3ua.c is reported: %s"
              % ("yes" if ok else "NO"))
        for p in hit:
            print("  " + p)
        return ok
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--objects")
    ap.add_argument("--self-check", action="store_true")
    a = ap.parse_args()
    layers, order = read_layers(os.path.join(a.source, "src", "LAYERS"))
    for name in order:
        u = layers[name]["uses"]
        if u and order.index(u) >= order.index(name):
            print("src/LAYERS: layer %s uses %s, which is not listed before it" % (name, u))
            return 1
    if a.self_check and not self_check(a.source, layers):
        return 1
    problems = check_includes(a.source, layers)
    if a.objects:
        problems += check_symbols(a.objects, layers)
    for p in problems:
        print(p)
    print("layering: %d layers (%s), %d violation(s)" % (len(order), " < ".join(order),
                                                        len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
