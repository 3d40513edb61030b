#!/usr/bin/env python3
"""Every reason template of the policy layer is in the formatter's test.

src/policy/reason_fmt.c formats the verdicts' reasons by hand; tests/unit/
test_policy_reason_fmt.c compares it with snprintf on every template the checks and the
firewall use (its every_template()). That list is written out by hand, so a new template would
go untested. This lint collects the format argument of every ssgw_check_deny(cx, FMT, ...),
ssgw_reason_format(buf, cap, FMT, ...) and ssgw_reason_vformat(buf, cap, FMT, ap) in
src/policy/*.c (adjacent string literals joined, as the compiler does) and fails when one is
not a SAME(FMT, ...) of the test, or when a format is not a literal (it could not be listed).

    check_reason_templates.py --source DIR
"""
import argparse
import glob
import os
import re
import sys

# function name -> position of its format argument
FORMATTERS = {"ssgw_check_deny": 1, "ssgw_reason_format": 2, "ssgw_reason_vformat": 2}
DENY_ALIAS = re.compile(r"^#\s*define\s+(\w+)\s+ssgw_check_deny\s*$", re.M)  # `deny`


def strip_comments(text):
    """The C text with comments blanked (string and character literals kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))  # lines kept for the line numbers
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_args(text, open_paren):
    """The argument texts of the call whose '(' is at open_paren, split at top-level commas."""
    args, depth, start, i = [], 0, open_paren + 1, open_paren
    while i < len(text):
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[start:i])
                return args
        elif c == "," and depth == 1:
            args.append(text[start:i])
            start = i + 1
        i += 1
    raise ValueError("unterminated call")


LITERAL = re.compile(r'\s*"((?:[^"\\]|\\.)*)"\s*')


def literal(arg):
    """The joined value of arg when it is only string literals, else None."""
    pos, parts = 0, []
    while pos < len(arg):
        m = LITERAL.match(arg, pos)
        if not m:
            return None if arg[pos:].strip() else "".join(parts)
        parts.append(m.group(1))
        pos = m.end()
    return "".join(parts) if parts else None


def formats_in(path, names):
    """(line, format or None, call text) for each call of names in the file at path (SAME's
    format is its first argument, an alias of ssgw_check_deny's its second)."""
    text = strip_comments(open(path, encoding="utf-8").read())
    found = []
    for m in re.finditer(r"\b(%s)\s*\(" % "|".join(map(re.escape, names)), text):
        name = m.group(1)
        line = text.count("\n", 0, m.start()) + 1
        before = text[: m.start()].rstrip()
        if before.endswith(("int", "void", "*")) or re.search(r"#\s*define\s*$", before):
            continue  # a declaration or definition, not a call
        args = call_args(text, m.end() - 1)
        if name in FORMATTERS or name not in ("SAME",):
            k = FORMATTERS.get(name, 1)  # an alias of ssgw_check_deny
            fmt = literal(args[k]) if len(args) > k else None
        else:
            fmt = literal(args[0]) if args else None
        found.append((line, fmt, " ".join(text[m.start() : m.end() + 60].split())))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", required=True, help="the source tree's top directory")
    a = ap.parse_args()
    test = os.path.join(a.source, "tests", "unit", "test_policy_reason_fmt.c")
    tested = {fmt for _, fmt, _ in formats_in(test, ["SAME"]) if fmt is not None}
    if not tested:
        print(f"{test}: no SAME(\"...\", ...) found: the test changed shape", file=sys.stderr)
        return 1
    errors, seen = 0, 0
    for path in sorted(glob.glob(os.path.join(a.source, "src", "policy", "*.c"))):
        if path.endswith("reason_fmt.c"):
            continue  # the formatter itself
        rel = os.path.relpath(path, a.source)
        aliases = DENY_ALIAS.findall(open(path, encoding="utf-8").read())
        for line, fmt, call in formats_in(path, list(FORMATTERS) + aliases):
            if call.startswith("ssgw_reason_vformat") and fmt is None:
                continue  # forwards its caller's format (ssgw_check_deny)
            seen += 1
            if fmt is None:
                print(f"{rel}:{line}: the format is not a string literal, so the formatter "
                      f"test cannot list it: {call}")
                errors += 1
            elif fmt not in tested:
                print(f"{rel}:{line}: template not in test_policy_reason_fmt.c's "
                      f"every_template(): \"{fmt}\"")
                errors += 1
    print(f"{seen} reason templates in src/policy, {len(tested)} formats in the test, "
          f"{errors} problems")
    return 1 if errors or seen == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
