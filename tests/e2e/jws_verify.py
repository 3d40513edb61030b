#!/usr/bin/env python3
"""Verifies PASSporTs with an independent JWS library (PyJWT, Debian's python3-jwt).

Reads JSON lines on stdin: {"jws": ..., "key": PEM file of the signer's public key,
"orig": ..., "dest": ..., "attest": ...}; writes one JSON line per input:
{"ok": true|false, "why": ..., "header": ..., "claims": ...}. Exit status 3 when the jwt
module is missing (the caller tries another interpreter)."""
import json
import sys

try:
    import jwt
except ImportError:
    sys.exit(3)


def check(item):
    key = open(item["key"]).read()
    header = jwt.get_unverified_header(item["jws"])
    try:
        claims = jwt.decode(item["jws"], key, algorithms=["ES256"])
    except jwt.InvalidTokenError as e:
        return {"ok": False, "why": "%s: %s" % (type(e).__name__, e), "header": header}
    why = []
    if header.get("ppt") != "shaken" or header.get("typ") != "passport":
        why.append("header %r" % header)
    if claims.get("orig", {}).get("tn") != item["orig"]:
        why.append("orig %r" % claims.get("orig"))
    if claims.get("dest", {}).get("tn") != [item["dest"]]:
        why.append("dest %r" % claims.get("dest"))
    if claims.get("attest") != item["attest"] or not isinstance(claims.get("iat"), int):
        why.append("attest/iat %r" % claims)
    return {"ok": not why, "why": "; ".join(why), "header": header, "claims": claims}


for line in sys.stdin:
    if line.strip():
        print(json.dumps(check(json.loads(line))), flush=True)
