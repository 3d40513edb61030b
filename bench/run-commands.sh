#!/usr/bin/env bash
# run-commands.sh - the commands users run, timed whole beside tshark in the same run
# (issue "Speed where users feel it"): `ssgw decode`, `ssgw decode --json`, `ssgw analyze`
# and `ssgw analyze --json`, each against `tshark -T fields` (the fields of run-decode.sh)
# on the same capture, then callgrind instructions per message for each command.
#
#   bench/run-commands.sh            # from the repository root (or anywhere)
#
# Steps: Release build into build-bench; two captures of COUNT messages: `ssgw generate`
# (every MAP operation in every TCAP shape: the decode commands) and `ssgw attack`
# (roaming traffic with attacks, the state the policy keeps: the analyze commands); page
# cache warmed; for each command REPS pairs "ours, tshark" run in turn (pairing keeps the
# ratio meaningful when the machine's speed drifts), wall and CPU seconds and max RSS from
# bench/timed.py; the ratios are tshark's median wall (and CPU) time over ours. On a loaded
# machine the CPU ratio is the steadier one (wall time then includes waiting for a core).
# Output goes where a user sends it: text to /dev/null, JSON to a file (removed after each run).
# Callgrind: each command on captures of CG_SMALL and CG_LARGE messages (prefixes of the same
# seed); instructions per message = (Ir(large) - Ir(small)) / (large - small), so start-up
# (reading the policy, the E.212 table, page faults of the store) is not counted per message.
#
# Environment (all optional):
#   COUNT=200000  SEED=1  REPS=3  CG_SMALL=2000  CG_LARGE=22000  CALLGRIND=1
#   CONFIG=<repo>/examples/ssgw.conf   BUILD_DIR=<repo>/build-bench
#   CPU=""    pin every program to this CPU with taskset (e.g. CPU=1)
set -euo pipefail

BENCH_NAME=run-commands.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COUNT=${COUNT:-200000}
SEED=${SEED:-1}
REPS=${REPS:-3}
CG_SMALL=${CG_SMALL:-2000}
CG_LARGE=${CG_LARGE:-22000}
CALLGRIND=${CALLGRIND:-1}
CONFIG=${CONFIG:-$ROOT/examples/ssgw.conf}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
CPU=${CPU:-}

bench_pin "$CPU"
command -v tshark >/dev/null || die "tshark is not installed"
command -v python3 >/dev/null || die "python3 is not installed"
[ "$CALLGRIND" = 0 ] || command -v valgrind >/dev/null ||
    die "valgrind is not installed (or CALLGRIND=0)"

bench_build "$BUILD_DIR" ssgw-cli
SSGW=$BUILD_DIR/ssgw
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

frames() { capinfos -M -c "$1" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2; exit}'; }

DEC=$BUILD_DIR/bench-commands-generate-$COUNT.pcap
ANA=$BUILD_DIR/bench-commands-attack-$COUNT.pcap
echo "== captures: ssgw generate / ssgw attack --count $COUNT --seed $SEED"
"$SSGW" generate --count "$COUNT" --seed "$SEED" "$DEC" 2>/dev/null
"$SSGW" attack --count "$COUNT" --seed "$SEED" --labels - --quiet "$ANA"
DEC_FRAMES=$(frames "$DEC")
ANA_FRAMES=$(frames "$ANA")
echo "   generate: $DEC_FRAMES frames, attack: $ANA_FRAMES frames"
for f in "$DEC" "$ANA"; do cat "$f" "$f" >/dev/null; done

# timed OUT_FILE CMD...: one run under bench/timed.py (monotonic wall time, rusage CPU time to
# the microsecond: /usr/bin/time's two decimals are 20 % of a 0.05 s command); prints
# "wall cpu rss_kib"
timed() {
    local out=$1
    shift
    "${PIN[@]}" python3 "$ROOT/bench/timed.py" "$out" "$@" || die "failed: $*"
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

LOAD_BEFORE=$(load_avg)
ROWS=""
# compare LABEL PCAP FRAMES TO_FILE(0/1) ARGS...: REPS pairs (ours, tshark)
compare() {
    local label=$1 pcap=$2 n=$3 tofile=$4 out=/dev/null
    shift 4
    [ "$tofile" = 0 ] || out="$WORK/out"
    local ours="" theirs="" cpu="" tcpu="" rss="" bytes=0 line
    echo "== $label ($REPS pairs with tshark)"
    for _ in $(seq "$REPS"); do
        line=$(timed "$out" "$SSGW" "$@" "$pcap")
        if [ "$tofile" = 1 ]; then
            bytes=$(stat -c %s "$out")
            rm -f "$out"
        fi
        ours+="$(cut -d' ' -f1 <<<"$line")"$'\n'
        cpu+="$(cut -d' ' -f2 <<<"$line")"$'\n'
        rss=$(cut -d' ' -f3 <<<"$line")
        line=$(timed /dev/null tshark -n -r "$pcap" -T fields "${TSHARK_FIELDS[@]}")
        theirs+="$(cut -d' ' -f1 <<<"$line")"$'\n'
        tcpu+="$(cut -d' ' -f2 <<<"$line")"$'\n'
        echo "   ours $(tail -2 <<<"$ours" | head -1) s, tshark $(cut -d' ' -f1 <<<"$line") s"
    done
    local mo mt mc mtc
    mo=$(median <<<"${ours%$'\n'}")
    mtc=$(median <<<"${tcpu%$'\n'}")
    mt=$(median <<<"${theirs%$'\n'}")
    mc=$(median <<<"${cpu%$'\n'}")
    local rate ratio cratio
    cratio=$(calc "%.1f" "$mtc / ($mc > 0 ? $mc : 0.01)")
    rate=$(calc "%.0f" "$n / ($mo > 0 ? $mo : 0.001)")
    ratio=$(calc "%.1f" "$mt / ($mo > 0 ? $mo : 0.001)")
    local shown="$*" dest=""
    [ "$tofile" = 0 ] || dest=" > file (${bytes} bytes)"
    ROWS+="| \`ssgw ${shown//$CONFIG/$(basename "$CONFIG")}\`$dest | $n | $mo | $mc | $rate | $rss KiB | $mt | $mtc | **${ratio}×** | ${cratio}× |"$'\n'
}

compare "ssgw decode" "$DEC" "$DEC_FRAMES" 0 decode
compare "ssgw decode --json" "$DEC" "$DEC_FRAMES" 1 decode --json
compare "ssgw analyze" "$ANA" "$ANA_FRAMES" 0 analyze --config "$CONFIG"
compare "ssgw analyze --json" "$ANA" "$ANA_FRAMES" 1 analyze --json --config "$CONFIG"

CG_ROWS=""
if [ "$CALLGRIND" != 0 ]; then
    for n in "$CG_SMALL" "$CG_LARGE"; do
        "$SSGW" generate --count "$n" --seed "$SEED" "$WORK/g$n.pcap" 2>/dev/null
        "$SSGW" attack --count "$n" --seed "$SEED" --labels - --quiet "$WORK/a$n.pcap"
    done
    # ir CAPTURE ARGS...: instructions of the whole command
    ir() {
        local pcap=$1
        shift
        valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$SSGW" "$@" "$pcap" \
            >"$WORK/cg.stdout" 2>"$WORK/cg.err" || die "callgrind of ssgw $* failed"
        awk '/^(summary|totals):/ { print $2; exit }' "$WORK/cg.out"
    }
    # per_msg LABEL PREFIX ARGS...
    per_msg() {
        local label=$1 prefix=$2
        shift 2
        echo "== callgrind: $label"
        local small large
        small=$(ir "$WORK/$prefix$CG_SMALL.pcap" "$@")
        large=$(ir "$WORK/$prefix$CG_LARGE.pcap" "$@")
        local shown="$*"
        CG_ROWS+="| \`ssgw ${shown//$CONFIG/$(basename "$CONFIG")}\` | $small | $large | **$(calc "%.0f" "($large - $small) / ($CG_LARGE - $CG_SMALL)")** |"$'\n'
    }
    per_msg "ssgw decode" g decode
    per_msg "ssgw decode --json" g decode --json
    per_msg "ssgw analyze" a analyze --config "$CONFIG"
    per_msg "ssgw analyze --json" a analyze --json --config "$CONFIG"
fi

cat <<EOB

==================== paste into docs/BENCHMARKS.md ====================
$(run_header "$(tshark --version 2>/dev/null | head -1 | sed 's/ (Git.*//')")
Captures: \`ssgw generate --count $COUNT --seed $SEED\` ($DEC_FRAMES frames) for decode,
\`ssgw attack --count $COUNT --seed $SEED\` ($ANA_FRAMES frames) for analyze; policy
$(basename "$CONFIG"); page cache warm${CPU:+, pinned to CPU $CPU}; $REPS pairs each, medians;
load average $LOAD_BEFORE before, $(load_avg) after.

| command | messages | wall s | CPU s | messages/s | max RSS | tshark wall s | tshark CPU s | tshark / ours, wall | tshark / ours, CPU |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${ROWS%$'\n'}
EOB
if [ -n "$CG_ROWS" ]; then
    cat <<EOB

Callgrind, instructions per message = (Ir at $CG_LARGE messages - Ir at $CG_SMALL) / $((CG_LARGE - CG_SMALL)):

| command | Ir, $CG_SMALL messages | Ir, $CG_LARGE messages | instructions / message |
| --- | ---: | ---: | ---: |
${CG_ROWS%$'\n'}
EOB
fi
echo "======================================================================="
