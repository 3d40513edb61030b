#!/usr/bin/env bash
# run-token.sh - security token sign / verify throughput of OpenSSGW against
# `openssl speed`, measured in the same run on the same machine (DESIGN.md
# section 7: ECDSA P-256 sign / verify >= 90 % of `openssl speed ecdsap256` per
# core and scaling with cores; fast mode (pairwise HMAC) >= 1,000,000 msg/s per core).
#
#   bench/run-token.sh            # from the repository root (or anywhere)
#
# Steps: Release build of bench_token into build-tokbench, then
#   openssl speed -seconds S ecdsap256          (1 process, then -multi NPROC)
#   openssl speed -seconds S ed25519
#   openssl speed -seconds S -bytes 256 -hmac sha256   (the HMAC anchor, 256-byte input)
#   bench_token --reps REPS --threads NPROC
# and a Markdown block for docs/BENCHMARKS.md.
#
# `openssl speed` divides by the user time of its process (times(), tms_utime). The pairs
# compare it with bench_token's user_msgs_per_s (thread user time, getrusage RUSAGE_THREAD):
# the same basis. The table and the long-run lines use cpu_msgs_per_s (thread CPU time =
# user + system), which on this shared VM is 2-4 % lower than the user-time rate of the same
# work (the kernel's interrupt and scheduling time charged to the thread; measured with a
# speed-like signing loop timed both ways, /tmp/ecdsa20-bench.md, issue 16). Wall-time
# rates are printed too; on a loaded machine they are lower.
#
# Environment (all optional):
#   SECONDS_PER=3  REPS=5  COUNT=4000  HMAC_COUNT=100000  THREADS=$(nproc)
#   BUILD_DIR=<repo>/build-tokbench   CPU=""  (pin bench_token and openssl to this CPU)
#   PAIRS=7  PAIR_COUNT=12000  (0: no pairs)
#
# The pairs (issue 16's >= 95 % of `openssl speed` for ECDSA through the pipeline): one
# `openssl speed -seconds 1 ecdsap256` and one `bench_token --modes ecdsa --levels full
# --threads 1 --reps 1 --count PAIR_COUNT` (about 1 s of verifying), PAIRS times in turn, each
# pair's ratio taken on its own. A machine that slows down or speeds up during the run moves
# both halves of a pair alike, so the median of the ratios is steadier than one long openssl
# run set against the best of a few short ones (which put the sign ratio at 90-107 % from run
# to run). Each pair's ratio is on user time both sides (see above); the thread-CPU ratio
# (user + system, the basis before issue 16) is printed beside it.
set -euo pipefail

BENCH_NAME=run-token.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SECONDS_PER=${SECONDS_PER:-3}
REPS=${REPS:-5}
COUNT=${COUNT:-4000}
HMAC_COUNT=${HMAC_COUNT:-100000}
THREADS=${THREADS:-$(nproc)}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-tokbench}
CPU=${CPU:-}

bench_pin "$CPU"
command -v openssl >/dev/null || die "openssl is not installed"

bench_build "$BUILD_DIR" bench_token
BENCH=$BUILD_DIR/bench/bench_token

LOAD_BEFORE=$(load_avg)

# `openssl speed -mr` prints machine-readable lines:
#   +F4:<n>:<bits>:<sign/s>:<verify/s>   ECDSA;  +F6:<n>:<bits>:<name>:<sign/s>:<verify/s>  EdDSA
#   +F:<n>:<name>:<bytes/s for each size>    symmetric (one size here)
echo "== openssl speed ($SECONDS_PER s each), load average $LOAD_BEFORE"
openssl_ecdsa_p256 "$SECONDS_PER"
EC_SIGN=$OSSL_EC_SIGN EC_VERIFY=$OSSL_EC_VERIFY
OSSL_EC_MULTI=""
if [ "$THREADS" -gt 1 ]; then
    OSSL_EC_MULTI=$(openssl speed -mr -multi "$THREADS" -seconds "$SECONDS_PER" ecdsap256 2>/dev/null |
        grep '^+F4:' | tail -1) || true
fi
OSSL_ED=$("${PIN[@]}" openssl speed -mr -seconds "$SECONDS_PER" ed25519 2>/dev/null | grep '^+F6:' | head -1) ||
    die "openssl speed ed25519 failed"
OSSL_HMAC=$("${PIN[@]}" openssl speed -mr -seconds "$SECONDS_PER" -bytes 256 -hmac sha256 2>/dev/null |
    grep '^+F:' | head -1) || die "openssl speed -hmac sha256 failed"
EC_SIGN_M="" EC_VERIFY_M=""
if [ -n "$OSSL_EC_MULTI" ]; then
    EC_SIGN_M=$(cut -d: -f4 <<<"$OSSL_EC_MULTI" | awk '{ printf "%.0f", $1 }')
    EC_VERIFY_M=$(cut -d: -f5 <<<"$OSSL_EC_MULTI" | awk '{ printf "%.0f", $1 }')
fi
ED_SIGN=$(cut -d: -f5 <<<"$OSSL_ED" | awk '{ printf "%.0f", $1 }')
ED_VERIFY=$(cut -d: -f6 <<<"$OSSL_ED" | awk '{ printf "%.0f", $1 }')
HMAC_RATE=$(cut -d: -f4 <<<"$OSSL_HMAC" | awk '{ printf "%.0f", $1 / 256 }') # bytes/s -> msgs/s
echo "   ecdsap256 sign/s=$EC_SIGN verify/s=$EC_VERIFY (x$THREADS: ${EC_SIGN_M:-n/a} / ${EC_VERIFY_M:-n/a})"
echo "   ed25519 sign/s=$ED_SIGN verify/s=$ED_VERIFY; hmac(sha256) 256 B msgs/s=$HMAC_RATE"

echo "== bench_token (best of $REPS, 1..$THREADS threads)"
BENCH_RC=0
BENCH_OUT=$("${PIN[@]}" "$BENCH" --count "$COUNT" --hmac-count "$HMAC_COUNT" --reps "$REPS" \
    --threads "$THREADS") || BENCH_RC=$?
echo "$BENCH_OUT"
grep -q 'op=verify mode=hmac' <<<"$BENCH_OUT" || die "bench_token failed (exit $BENCH_RC)"
[ "$BENCH_RC" = 0 ] || echo "run-token.sh: WARNING: bench_token counted errors (see above)" >&2

# ECDSA in pairs: openssl, ours, in turn; the ratio of each pair (per CPU second, both)
PAIRS=${PAIRS:-7}
PAIR_COUNT=${PAIR_COUNT:-12000}
PAIR_S=() PAIR_V=() PAIR_SC=() PAIR_VC=()
# pair_rate OP KEY OUT: the value of KEY in bench_token's op=OP line of OUT
pair_rate() {
    awk -v o="op=$1" -v k="$2" '$2 == o { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) print a[2] } }' <<<"$3"
}
if [ "$PAIRS" -gt 0 ]; then
    echo "== ECDSA P-256 in $PAIRS pairs (openssl speed -seconds 1, then bench_token --count $PAIR_COUNT)"
    for i in $(seq "$PAIRS"); do
        openssl_ecdsa_p256 1
        out=$("${PIN[@]}" "$BENCH" --count "$PAIR_COUNT" --reps 1 --threads 1 --modes ecdsa \
            --levels full) || die "bench_token failed in pair $i"
        s=$(pair_rate sign user_msgs_per_s "$out") v=$(pair_rate verify user_msgs_per_s "$out")
        sc=$(pair_rate sign cpu_msgs_per_s "$out") vc=$(pair_rate verify cpu_msgs_per_s "$out")
        [ -n "$s" ] && [ -n "$v" ] && [ -n "$sc" ] && [ -n "$vc" ] ||
            die "no ECDSA rates from bench_token in pair $i"
        PAIR_S+=("$(calc "%.1f" "100 * $s / $OSSL_EC_SIGN")")
        PAIR_V+=("$(calc "%.1f" "100 * $v / $OSSL_EC_VERIFY")")
        PAIR_SC+=("$(calc "%.1f" "100 * $sc / $OSSL_EC_SIGN")")
        PAIR_VC+=("$(calc "%.1f" "100 * $vc / $OSSL_EC_VERIFY")")
        echo "   pair $i: openssl sign $OSSL_EC_SIGN/s verify $OSSL_EC_VERIFY/s (user time);" \
            "ours per user s sign $s/s verify $v/s: ${PAIR_S[-1]} % / ${PAIR_V[-1]} %;" \
            "per CPU s sign $sc/s verify $vc/s: ${PAIR_SC[-1]} % / ${PAIR_VC[-1]} %"
    done
fi
# min, median, max of the numbers given
spread() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { printf "%s %s %s", a[1], (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[NR] }'; }

# value of key k in the line of op/mode/level/threads
get() {
    awk -v o="op=$1" -v m="mode=$2" -v l="level=$3" -v t="threads=$4" -v k="$5" \
        '$2 == o && $3 == m && $4 == l && $5 == t { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) print a[2] } }' \
        <<<"$BENCH_OUT"
}
row() { # op mode level threads label
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$5" "$4" "$(get "$1" "$2" "$3" "$4" msgs)" \
        "$(get "$1" "$2" "$3" "$4" cpu_msgs_per_s)" "$(get "$1" "$2" "$3" "$4" msgs_per_s)" \
        "$(get "$1" "$2" "$3" "$4" ns_per_msg)" "$(get "$1" "$2" "$3" "$4" errors)"
}

EC_S=$(get sign ecdsa-p256 full 1 cpu_msgs_per_s)
EC_V=$(get verify ecdsa-p256 full 1 cpu_msgs_per_s)
EC_S_RATIO=$(calc "%.1f" "100 * $EC_S / $EC_SIGN")
EC_V_RATIO=$(calc "%.1f" "100 * $EC_V / $EC_VERIFY")
HM_S=$(get sign hmac-sha256-128 full 1 cpu_msgs_per_s)
HM_V=$(get verify hmac-sha256-128 full 1 cpu_msgs_per_s)
T=$THREADS
SCALE_S=$(calc "%.2f" "$(get sign ecdsa-p256 full "$T" msgs_per_s) / $(get sign ecdsa-p256 full 1 msgs_per_s)")
SCALE_V=$(calc "%.2f" "$(get verify ecdsa-p256 full "$T" msgs_per_s) / $(get verify ecdsa-p256 full 1 msgs_per_s)")
CORPUS=$(grep '^bench_token corpus' <<<"$BENCH_OUT" | cut -d' ' -f3-)

cat <<EOF

==================== paste into docs/BENCHMARKS.md ====================
$(run_header "$(openssl version)")
Corpus: ssgw_gen_tcap seed 1, $CORPUS; ECDSA / Ed25519 over $COUNT messages, HMAC over $HMAC_COUNT${CPU:+, pinned to CPU $CPU}; \
load average $LOAD_BEFORE before, $(load_avg) after.

openssl speed -seconds $SECONDS_PER (per CPU second): ecdsap256 sign $EC_SIGN/s, verify $EC_VERIFY/s \
(-multi $T: ${EC_SIGN_M:-n/a} / ${EC_VERIFY_M:-n/a}); ed25519 sign $ED_SIGN/s, verify $ED_VERIFY/s; \
-hmac sha256 -bytes 256: $HMAC_RATE msgs/s.

| what | threads | messages | msgs per CPU s | msgs/s wall (all threads) | ns/msg wall | errors |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
$(for mode in ecdsa-p256 ed25519 hmac-sha256-128; do for lv in full raw; do for op in sign verify; do
    for t in $(seq "$T"); do row "$op" "$mode" "$lv" "$t" "$mode $op ($lv)"; done; done; done; done)

- ECDSA P-256 sign, full path: $EC_S/s per core = **${EC_S_RATIO} %** of openssl speed (target 90 %: $(verdict_ge "$EC_S_RATIO" 90))
- ECDSA P-256 verify, full path: $EC_V/s per core = **${EC_V_RATIO} %** of openssl speed (target 90 %: $(verdict_ge "$EC_V_RATIO" 90))
- ECDSA scaling, $T threads / 1 thread (wall): sign ${SCALE_S}x, verify ${SCALE_V}x (openssl -multi $T / 1: \
$( [ -n "$EC_SIGN_M" ] && calc "%.2f" "$EC_SIGN_M / $EC_SIGN" || echo n/a)x / \
$( [ -n "$EC_VERIFY_M" ] && calc "%.2f" "$EC_VERIFY_M / $EC_VERIFY" || echo n/a)x)
$(if [ "$PAIRS" -gt 0 ]; then
    read -r smin smed smax <<<"$(spread "${PAIR_S[@]}")"
    read -r vmin vmed vmax <<<"$(spread "${PAIR_V[@]}")"
    read -r scmin scmed scmax <<<"$(spread "${PAIR_SC[@]}")"
    read -r vcmin vcmed vcmax <<<"$(spread "${PAIR_VC[@]}")"
    echo "- ECDSA P-256, full path, in $PAIRS pairs with \`openssl speed -seconds 1 ecdsap256\` (bench_token --count $PAIR_COUNT, one thread): sign **$smed %** (median; $smin–$smax %), verify **$vmed %** ($vmin–$vmax %) of openssl per user-time second, both sides (issue 16's target 95 %: sign $(verdict_ge "$smed" 95), verify $(verdict_ge "$vmed" 95)); ours per thread CPU second (user + system) against openssl's user time: sign $scmed % ($scmin–$scmax %), verify $vcmed % ($vcmin–$vcmax %)"
    echo "  (pairs, user time: sign ${PAIR_S[*]}; verify ${PAIR_V[*]}; thread CPU time: sign ${PAIR_SC[*]}; verify ${PAIR_VC[*]})"
fi)
- fast mode (HMAC), full path: sign $HM_S/s, verify $HM_V/s per core (target 1,000,000: \
sign $(verdict_ge "$HM_S" 1000000), verify $(verdict_ge "$HM_V" 1000000)); openssl HMAC-SHA256 on 256 B: $HMAC_RATE/s
=======================================================================
EOF
