#!/bin/sh
# examples/trust/setup.sh - the whole trust chain in a minute (docs/trust-quickstart.md).
#
# Creates in DIR: a TSCA (tsca init) using examples/numbering-registry.csv, two
# operators enrolled and certified (Albion Mobile, GB, GTs 447924...; Safari
# Mobile, KE, GTs 254722...: the networks of examples/ssgw.conf), a signed trust
# bundle, and a gateway configuration for each operator. Then demonstrates it:
# traffic from Albion, `ssgw sign` as Albion, `ssgw verify` as Safari (every
# signed message ok), and a tampered and a replayed copy failing.
#
# usage: examples/trust/setup.sh DIR          (DIR must not exist or be empty)
# env:   SSGW, TSCA  the programs (default: ssgw and tsca from PATH)
#        DEMO=0      set up only, skip the demonstration
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REGISTRY=${REGISTRY:-$HERE/../numbering-registry.csv}
SSGW=${SSGW:-ssgw}
TSCA=${TSCA:-tsca}
DEMO=${DEMO:-1}

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
DIR=$1
if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
    echo "$0: $DIR exists and is not empty" >&2
    exit 1
fi
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
cd "$DIR"
say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "1. The TSCA: root and issuing CA, numbering registry, two officers must approve"
run "$TSCA" init ca --name "Example TSCA" --registry "$REGISTRY" --approvals 2 >/dev/null

# enrol NAME COUNTRY MCCMNC GT PC SHORT: request, verify against the registry, approve, issue.
# The operator's numbers (--tn: the calling numbers its gateway may attest) are the GT
# prefix's block here.
enrol() {
    mkdir -p "$6"
    run "$TSCA" request --key "$6/sign.key" --ka-key "$6/ka.key" --name "$1" --country "$2" \
        --mccmnc "$3" --gt "$4" --pc "$5" --tn "$4" --contact "noc@$6.example" \
        "$6/$6.req" >/dev/null
    run "$TSCA" verify-request ca "$6/$6.req"
    run "$TSCA" approve ca "$6/$6.req" --officer "A. Officer" >/dev/null
    run "$TSCA" approve ca "$6/$6.req" --officer "B. Officer" >/dev/null
    run "$TSCA" issue ca "$6/$6.req" "$6/$6.crt"
}

say "2. Operators enrol: keys and requests; the TSCA checks the claims against the registry"
enrol "Albion Mobile" GB 23491 447924 1001 albion
enrol "Safari Mobile" KE 63902 254722 2001 safari

say "3. The TSCA publishes a signed trust bundle"
run "$TSCA" bundle ca trust.bundle
cp ca/root.crt root.crt

# gwconf SHORT NAME COUNTRY MCCMNC GT PC PARTNER-NAME P-COUNTRY P-MCCMNC P-GT P-PC
gwconf() {
    cat > "$1/ssgw.conf" <<CONF
# Gateway configuration of $2 (written by examples/trust/setup.sh).
# [home] and [[partner]] as in examples/ssgw.conf; [trust] as in docs/configuration.md.
[home]
name = "$2"
country = "$3"
mcc_mnc = ["$4"]
gt_prefixes = ["$5"]
point_codes = [$6]

[[partner]]
name = "$7"
country = "$8"
mcc_mnc = ["$9"]
gt_prefixes = ["${10}"]
point_codes = [${11}]
trust = "require"           # messages from this partner must carry a valid token

[trust]
key = "sign.key"            # relative to this file; must be mode 0600
ka_key = "ka.key"
root = "../root.crt"
bundle = "../trust.bundle"
# bundle_url = "http://127.0.0.1:8440/bundle"   # tsca serve ca --listen 127.0.0.1:8440
mode = "ecdsa-p256"         # or "hmac": the fast pairwise mode
sign = "members"            # sign only towards members of the bundle
window = 60
inbound = "require"         # fail closed
CONF
    echo "wrote $1/ssgw.conf"
}
say "4. A gateway configuration for each operator"
gwconf albion "Albion Mobile" GB 23491 447924 1001 "Safari Mobile" KE 63902 254722 2001
gwconf safari "Safari Mobile" KE 63902 254722 2001 "Albion Mobile" GB 23491 447924 1001

if [ "$DEMO" = 0 ]; then
    exit 0
fi

say "5. Traffic of the example network (roaming, no attacks); Albion signs its own"
run "$SSGW" attack --count 400 --attack-ratio 0 --labels - -q traffic.pcap
run "$SSGW" sign --config albion/ssgw.conf traffic.pcap signed.pcap

say "6. Safari verifies: every message from Albion is ok (signer and certificate serial)"
run "$SSGW" verify --config safari/ssgw.conf signed.pcap > verify.txt
grep ' 447924' verify.txt | grep ' 254722' | head -3
sed -n '/^ssgw verify:/,$p' verify.txt

if command -v python3 >/dev/null 2>&1; then
    say "7. A copy with one signature byte flipped, and the same capture replayed"
    run python3 "$HERE/pcaptool.py" tamper signature signed.pcap tampered.pcap
    run "$SSGW" verify --config safari/ssgw.conf tampered.pcap | sed -n '/^ssgw verify:/,$p'
    run python3 "$HERE/pcaptool.py" replay signed.pcap replayed.pcap
    run "$SSGW" verify --config safari/ssgw.conf replayed.pcap | sed -n '/^ssgw verify:/,$p'
fi
say "Done. Files are in $DIR (docs/trust-quickstart.md explains each step)"
