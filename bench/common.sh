# shellcheck shell=bash disable=SC2034  # variables set here are used by the sourcing script
# bench/common.sh - the steps bench/run-*.sh share; sourced, never run:
#
#   BENCH_NAME=run-x.sh; . "$(dirname "${BASH_SOURCE[0]}")/common.sh"
#
# Sets ROOT (the repository). Functions:
#   die MSG...                 message prefixed with $BENCH_NAME on stderr, exit 1
#   bench_pin CPU              PIN=(taskset -c CPU) when CPU is set, else PIN=()
#   bench_build DIR TARGET...  Release build (CMAKE_C_FLAGS=$EXTRA_CFLAGS) of the targets in
#                              DIR; SKIP_BUILD=1 reuses what is there
#   calc FMT EXPR              awk printf of an expression
#   verdict_ge R T / verdict_le R T   "met" or "MISSED"
#   cpu_model  load_avg  run_header   machine description; run_header prints the first
#                              line of a Markdown result block (date, commit, machine)
#   cpu_ticks                  "total steal" CPU ticks from /proc/stat
#   tshark_best PCAP REPS      tshark field extraction timed with /usr/bin/time (best of REPS):
#                              TS_BEST (seconds), TS_RSS (KiB); TSHARK_FIELDS, PIN used
#   openssl_ecdsa_p256 SECS    `openssl speed -mr -seconds SECS ecdsap256` (one process, PIN):
#                              OSSL_EC_SIGN, OSSL_EC_VERIFY (per CPU second)
#   tsca_enrol TSCA CA DIR NAME COUNTRY MCCMNC GT PC SHORT [TN]
#                              an operator enrolled with the TSCA in CA: keys DIR/sign.key and
#                              DIR/ka.key, request, registry check, two approvals, certificate
#                              DIR/SHORT.crt (TN: the calling numbers it may attest)
#   trust_material TSCA TD [numbers]   the trust rows' TSCA in TD/ca (examples/numbering-
#                              registry.csv, two approvals), Albion (PC 1001), Safari (2001)
#                              and Rhein (2002) enrolled in TD/albion, TD/safari, TD/rhein (with
#                              "numbers": also the calling numbers of their GT prefix, for the
#                              CLI attestation), TD/trust.bundle, TD/root.crt
#   trust_mode_configs TD MODE POLICY   TD/{safari,rhein}/MODE.conf (the signers, as `ssgw
#                              sign` sees them) and TD/albion/policy-MODE.conf (POLICY, Lagos
#                              Mobile outside the scheme, + [trust] in MODE)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=${BENCH_NAME:-$(basename "$0")}
PIN=()

die() {
    echo "$BENCH_NAME: $*" >&2
    exit 1
}

bench_pin() {
    PIN=()
    if [ -n "${1:-}" ]; then
        command -v taskset >/dev/null || die "CPU=$1 given but taskset is not installed"
        PIN=(taskset -c "$1")
    fi
}

bench_build() {
    local dir=$1
    shift
    if [ "${SKIP_BUILD:-0}" = 1 ]; then
        echo "== SKIP_BUILD=1: using the binaries already in $dir"
        return 0
    fi
    echo "== build (Release) in $dir"
    cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DSSGW_SANITIZE=OFF \
        "-DCMAKE_C_FLAGS=${EXTRA_CFLAGS:-}" >/dev/null
    cmake --build "$dir" --target "$@" -j"$(nproc)" >/dev/null ||
        die "build failed (run: cmake --build $dir --target $*)"
}

calc() { awk "BEGIN { printf \"$1\", $2 }"; }
verdict_ge() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "met" : "MISSED") }'; }
verdict_le() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "met" : "MISSED") }'; }

cpu_model() { awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9 }' /proc/stat; }

# run_header [EXTRA]: "Run DATE, commit C[ + working tree], N CPUs (model), kernel, gcc[, EXTRA]."
run_header() {
    local dirty=""
    git -C "$ROOT" diff --quiet HEAD -- src tools include 2>/dev/null || dirty=" + working tree"
    echo "Run $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null ||
        echo unknown)$dirty, $(nproc) CPUs ($(cpu_model)), $(uname -sr), $(gcc --version | head -1)${1:+, $1}."
}

TSHARK_FIELDS=(-e frame.number -e m3ua.protocol_data_opc -e sccp.calling.digits
    -e sccp.called.digits -e gsm_old.localValue -e e212.imsi)
tshark_best() {
    local pcap=$1 reps=$2 timef secs rss
    command -v tshark >/dev/null || die "tshark is not installed"
    [ -x /usr/bin/time ] || die "/usr/bin/time is not installed (Debian package 'time')"
    echo "== tshark field extraction (best of $reps)"
    TS_BEST="" TS_RSS=""
    timef=$(mktemp)
    for _ in $(seq "$reps"); do
        if ! "${PIN[@]}" /usr/bin/time -o "$timef" -f '%e %M' \
            tshark -n -r "$pcap" -T fields "${TSHARK_FIELDS[@]}" >/dev/null 2>/dev/null; then
            rm -f "$timef"
            die "tshark failed"
        fi
        read -r secs rss <"$timef"
        echo "   tshark secs=$secs maxrss_kib=$rss"
        if [ -z "$TS_BEST" ] || awk -v a="$secs" -v b="$TS_BEST" 'BEGIN { exit !(a < b) }'; then
            TS_BEST=$secs
            TS_RSS=$rss
        fi
    done
    rm -f "$timef"
}

# `openssl speed -mr` prints +F4:<n>:<bits>:<sign/s>:<verify/s> for ECDSA.
openssl_ecdsa_p256() {
    local line
    command -v openssl >/dev/null || die "openssl is not installed"
    line=$("${PIN[@]}" openssl speed -mr -seconds "$1" ecdsap256 2>/dev/null | grep '^+F4:') ||
        die "openssl speed ecdsap256 failed"
    OSSL_EC_SIGN=$(cut -d: -f4 <<<"$line" | awk '{ printf "%.0f", $1 }')
    OSSL_EC_VERIFY=$(cut -d: -f5 <<<"$line" | awk '{ printf "%.0f", $1 }')
}

tsca_enrol() {
    local tsca=$1 ca=$2 d=$3 tn=()
    [ -z "${10:-}" ] || tn=(--tn "${10}")
    mkdir -p "$d"
    if ! { "$tsca" request --key "$d/sign.key" --ka-key "$d/ka.key" --name "$4" --country "$5" \
        --mccmnc "$6" --gt "$7" --pc "$8" "${tn[@]}" --contact "noc@$9.example" "$d/$9.req" >/dev/null &&
        "$tsca" verify-request "$ca" "$d/$9.req" >/dev/null &&
        "$tsca" approve "$ca" "$d/$9.req" --officer "A. Officer" >/dev/null &&
        "$tsca" approve "$ca" "$d/$9.req" --officer "B. Officer" >/dev/null &&
        "$tsca" issue "$ca" "$d/$9.req" "$d/$9.crt" >/dev/null; }; then
        die "enrolling $4 with tsca failed"
    fi
}

# trust_section MODE: the [trust] section of an operator directory's configurations
trust_section() {
    cat <<EOF

[trust]
key = "sign.key"
ka_key = "ka.key"
root = "../root.crt"
bundle = "../trust.bundle"
mode = "$1"
sign = "members"
window = 60
inbound = "require"
EOF
}

trust_material() {
    local tsca=$1 td=$2 numbers=${3:-}
    [ -x "$tsca" ] || die "$tsca: no tsca binary (set TSCA=)"
    mkdir -p "$td"
    "$tsca" init "$td/ca" --name "Bench TSCA" --registry "$ROOT/examples/numbering-registry.csv" \
        --approvals 2 >/dev/null || die "tsca init failed"
    tsca_enrol "$tsca" "$td/ca" "$td/albion" "Albion Mobile" GB 23491 447924 1001 albion \
        ${numbers:+447924}
    tsca_enrol "$tsca" "$td/ca" "$td/safari" "Safari Mobile" KE 63902 254722 2001 safari \
        ${numbers:+254722}
    tsca_enrol "$tsca" "$td/ca" "$td/rhein" "Rhein Telekom" DE 26201 491710 2002 rhein \
        ${numbers:+491710}
    "$tsca" bundle "$td/ca" "$td/trust.bundle" >/dev/null || die "tsca bundle failed"
    cp "$td/ca/root.crt" "$td/root.crt"
}

trust_mode_configs() {
    local td=$1 mode=$2 policy=$3 op short name cc mm gt
    for op in "safari:Safari Mobile:KE:63902:254722" "rhein:Rhein Telekom:DE:26201:491710"; do
        IFS=: read -r short name cc mm gt <<<"$op"
        {
            printf '[home]\nname = "%s"\ncountry = "%s"\nmcc_mnc = ["%s"]\ngt_prefixes = ["%s"]\n' \
                "$name" "$cc" "$mm" "$gt"
            trust_section "$mode"
        } >"$td/$short/$mode.conf"
    done
    {
        awk '{ print } /^name = "Lagos Mobile"/ { print "trust = \"verify-if-present\"   # not a bundle member" }' "$policy"
        trust_section "$mode"
    } >"$td/albion/policy-$mode.conf"
}
