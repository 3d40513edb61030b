#!/usr/bin/env python3
"""Lint: the MAP operation table and its users.

1. The symbolic opcodes of include/ssgw/map.h (ssgw_map_opcode, ssgw_map_ac) and the rows of
   src/wire/map_ops.def name the same operations and contexts with the same codes (the C
   build checks one direction with _Static_assert; this checks both).
2. No code in src/, tools/ or bench/ compares a MAP opcode with a bare number: comparisons
   of op/opcode/local with a literal, `case N:` in a switch on an opcode, and MAP calls
   given a literal opcode. Use SSGW_MAP_OP_* (tests may use the numbers of their vectors).
3. The same for CAP (issue 11): include/ssgw/cap.h (ssgw_cap_opcode, ssgw_cap_ac) and the
   rows of src/wire/cap_ops.def name the same operations and contexts, and no CAP call is
   given a literal opcode (CAP's codes overlap MAP's: 23 is two operations).

Usage: check_map_table.py --source DIR
"""
import argparse
import os
import re
import sys


def enum_block(text, typedef):
    m = re.search(r"typedef enum \{(.*?)\}\s*" + typedef + ";", text, re.S)
    return m.group(1) if m else ""


def find_switch_cases(text):
    """(offset, text) of every `case N:` directly inside a switch on an opcode."""
    out = []
    for m in re.finditer(r"switch\s*\(\s*([\w.>\-]*?)(op|opcode|local|op2)\s*\)\s*\{", text):
        i, depth = m.end(), 1
        start = i
        while i < len(text) and depth:
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
            i += 1
        body = text[start:i]
        for c in re.finditer(r"\bcase\s+\d+\s*:", body):
            out.append((start + c.start(), c.group(0)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    a = ap.parse_args()
    src = a.source
    problems = []

    header = open(os.path.join(src, "include/ssgw/map.h")).read()
    table = open(os.path.join(src, "src/wire/map_ops.def")).read()
    enum_ops = {k: int(v) for k, v in re.findall(r"SSGW_MAP_OP_(\w+)\s*=\s*(-?\d+)",
                                                   enum_block(header, "ssgw_map_opcode"))}
    enum_ops.pop("NONE", None)
    enum_acs = {k: int(v) for k, v in re.findall(r"SSGW_MAP_AC_(\w+)\s*=\s*(\d+)",
                                                   enum_block(header, "ssgw_map_ac"))}
    rows_ops = {k: int(v) for k, v in re.findall(r"^MAP_OP\((\w+), (\d+),", table, re.M)}
    rows_acs = {k: int(v) for k, v in re.findall(r"^MAP_AC\((\w+), (\d+),", table, re.M)}
    if not enum_ops or not rows_ops or not enum_acs or not rows_acs:
        problems.append("could not read the enums of map.h or the rows of map_ops.def")
    for what, enum, rows in (("operation", enum_ops, rows_ops), ("context", enum_acs, rows_acs)):
        for k in sorted(set(enum) - set(rows)):
            problems.append("map.h names %s %s = %d, map_ops.def has no row for it" %
                            (what, k, enum[k]))
        for k in sorted(set(rows) - set(enum)):
            problems.append("map_ops.def has %s %s = %d, map.h does not name it" %
                            (what, k, rows[k]))
        for k in sorted(set(enum) & set(rows)):
            if enum[k] != rows[k]:
                problems.append("%s %s: map.h says %d, map_ops.def %d" %
                                (what, k, enum[k], rows[k]))

    cap_header = open(os.path.join(src, "include/ssgw/cap.h")).read()
    cap_table = open(os.path.join(src, "src/wire/cap_ops.def")).read()
    cap_enum_ops = {k: int(v) for k, v in re.findall(r"SSGW_CAP_OP_(\w+)\s*=\s*(-?\d+)",
                                                       enum_block(cap_header, "ssgw_cap_opcode"))}
    cap_enum_ops.pop("NONE", None)
    cap_enum_acs = re.findall(r"SSGW_CAP_AC_(\w+)", enum_block(cap_header, "ssgw_cap_ac"))
    cap_enum_acs = [a for a in cap_enum_acs if a != "COUNT"]
    cap_rows_ops = {k: int(v) for k, v in re.findall(r"^CAP_OP\((\w+), (\d+),", cap_table, re.M)}
    cap_rows_acs = re.findall(r"^CAP_AC\((\w+), ", cap_table, re.M)
    if not cap_enum_ops or not cap_rows_ops or not cap_enum_acs or not cap_rows_acs:
        problems.append("could not read the enums of cap.h or the rows of cap_ops.def")
    for k in sorted(set(cap_enum_ops) - set(cap_rows_ops)):
        problems.append("cap.h names operation %s = %d, cap_ops.def has no row for it" %
                        (k, cap_enum_ops[k]))
    for k in sorted(set(cap_rows_ops) - set(cap_enum_ops)):
        problems.append("cap_ops.def has operation %s = %d, cap.h does not name it" %
                        (k, cap_rows_ops[k]))
    for k in sorted(set(cap_enum_ops) & set(cap_rows_ops)):
        if cap_enum_ops[k] != cap_rows_ops[k]:
            problems.append("CAP operation %s: cap.h says %d, cap_ops.def %d" %
                            (k, cap_enum_ops[k], cap_rows_ops[k]))
    if cap_enum_acs != cap_rows_acs:
        problems.append("cap.h lists the contexts %s, cap_ops.def %s (same names, same order)" %
                        (cap_enum_acs, cap_rows_acs))

    cap_call = re.compile(r"\bssgw_cap_(encode|decode|decodes|op_name|op_by_code|op_family|"
                          r"op_context|acn_carries)\s*\(\s*\d+\s*[,)]")
    compare = re.compile(r"(?:\b|->|\.)(op|opcode|op2|local)\s*(==|!=)\s*\d+\b")
    call = re.compile(r"\bssgw_map_(encode|decode|decodes|op_name|op_name_in|op_by_code|op_family|"
                      r"op_context|acn_has_op|acn_carries)\s*\(\s*\d+\s*[,)]")
    for top in ("src", "tools", "bench"):
        for root, _, files in os.walk(os.path.join(src, top)):
            for f in files:
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, src)
                text = open(path, errors="replace").read()
                for n, line in enumerate(text.splitlines(), 1):
                    code = line.split("//")[0]
                    if compare.search(code) or call.search(code) or cap_call.search(code):
                        problems.append("%s:%d: MAP opcode as a bare number: %s" %
                                        (rel, n, line.strip()))
                for off, case in find_switch_cases(text):
                    n = text.count("\n", 0, off) + 1
                    problems.append("%s:%d: MAP opcode as a bare number: %s" % (rel, n, case))

    for p in problems:
        print("FAIL " + p)
    print("%d MAP operations, %d MAP contexts, %d CAP operations, %d CAP contexts; %d problems" %
          (len(rows_ops), len(rows_acs), len(cap_rows_ops), len(cap_rows_acs), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
