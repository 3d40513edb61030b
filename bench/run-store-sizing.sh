#!/usr/bin/env bash
# run-store-sizing.sh - the subscriber store sized to its population (issue 16): what
# `ssgw analyze` loses when [state] subscribers is 1.0x, 1.25x or 2x the number of
# subscriber locations a capture teaches, and what the location table costs per message.
#
#   bench/run-store-sizing.sh                 # this tree
#   BASE=088feca bench/run-store-sizing.sh    # and the same for another commit, before/after
#
# Steps, for this tree and (BASE set) for the commit BASE, built Release from `git archive`
# into BUILD_DIR/base with this tree's bench/bench_analyze.c (so both report the same
# fields; it uses the public API only):
#   1. the capture: `ssgw attack --count COUNT --seed SEED` (this tree's generator, one file
#      for both builds); the population P = the location records bench_analyze holds at
#      the end with the store at 10,000,000 subscribers (nothing can be evicted);
#   2. the reference: `ssgw analyze --json` with subscribers = 10 x P, twice (the second run
#      shows the comparison's floor: it must find 0 changes); then for each sizing
#      1.0x, 1.25x, 2x (subscribers = ceil(P x f)): location evictions and records held
#      (bench_analyze --mode mem --reps 1), and the messages whose result keys (from
#      "direction" on: action, verdict, check, reason, incident ...) differ from the
#      reference's, compared line by line. Every configuration of this step also sets
#      sri_sm_marks = MARKS: SMS text fingerprints are keyed by a random per-process key
#      (checks_sms.c), so when the SRI-SM mark table overflows (the default 262,144 does at
#      1,000,000 messages) two runs of one configuration evict different marks and differ in
#      a few call and SMS verdicts, whatever the location table does;
#   3. `ssgw analyze CAPTURE` (summary) with CONFIG (default: examples/ssgw.conf, 1,000,000
#      subscribers) and with the store at 1.0x: REPS runs each, median wall and CPU seconds,
#      minor page faults and max RSS from /usr/bin/time;
#   4. callgrind (CALLGRIND=1) with its cache simulation: instructions, first-level and
#      last-level data cache misses per message of `ssgw analyze` with CONFIG, two-point:
#      (X(CG_LARGE) - X(CG_SMALL)) / (CG_LARGE - CG_SMALL) on prefixes of the same seed, so
#      start-up is not counted per message.
# Then a Markdown block for docs/BENCHMARKS.md ("Subscriber store sizing").
#
# Environment (all optional):
#   COUNT=1000000  SEED=1  REPS=3  CG_SMALL=2000  CG_LARGE=22000  CALLGRIND=1
#   BASE=""  MARKS=4194304  CONFIG=<repo>/examples/ssgw.conf  BUILD_DIR=<repo>/build-bench
#   CPU=""
set -euo pipefail

BENCH_NAME=run-store-sizing.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COUNT=${COUNT:-1000000}
SEED=${SEED:-1}
REPS=${REPS:-3}
CG_SMALL=${CG_SMALL:-2000}
CG_LARGE=${CG_LARGE:-22000}
CALLGRIND=${CALLGRIND:-1}
BASE=${BASE:-}
MARKS=${MARKS:-4194304}
CONFIG=${CONFIG:-$ROOT/examples/ssgw.conf}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
CPU=${CPU:-}
SIZINGS=(1.0 1.25 2)

bench_pin "$CPU"
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (Debian package 'time')"
[ "$CALLGRIND" = 0 ] || command -v valgrind >/dev/null ||
    die "valgrind is not installed (or CALLGRIND=0)"
grep -q '^subscribers = ' "$CONFIG" || die "$CONFIG has no 'subscribers = ' line to vary"

bench_build "$BUILD_DIR" ssgw-cli bench_analyze
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LABELS=("this tree ($(git -C "$ROOT" rev-parse --short HEAD))")
SSGWS=("$BUILD_DIR/ssgw")
BENCHES=("$BUILD_DIR/bench/bench_analyze")
if [ -n "$BASE" ]; then
    src=$BUILD_DIR/base/src
    rev=$(git -C "$ROOT" rev-parse "$BASE")
    if [ "$(cat "$src/.base" 2>/dev/null)" != "$rev" ]; then # else kept: no full rebuild
        echo "== BASE $BASE: git archive -> $src"
        rm -rf "$src"
        mkdir -p "$src"
        git -C "$ROOT" archive "$BASE" | tar -x -C "$src"
        echo "$rev" >"$src/.base"
    fi
    cmp -s "$ROOT/bench/bench_analyze.c" "$src/bench/bench_analyze.c" ||
        cp "$ROOT/bench/bench_analyze.c" "$src/bench/bench_analyze.c"
    ROOT=$src bench_build "$BUILD_DIR/base/build" ssgw-cli bench_analyze
    LABELS+=("$BASE (before)")
    SSGWS+=("$BUILD_DIR/base/build/ssgw")
    BENCHES+=("$BUILD_DIR/base/build/bench/bench_analyze")
fi

PCAP=$BUILD_DIR/bench-sizing-$COUNT-$SEED.pcap
echo "== attack traffic: $COUNT messages (seed $SEED) -> $PCAP"
"${SSGWS[0]}" attack --count "$COUNT" --seed "$SEED" --labels - --quiet "$PCAP"
cat "$PCAP" "$PCAP" >/dev/null

# config_for N [MARKS]: CONFIG with subscribers = N (and sri_sm_marks = MARKS), path printed
config_for() {
    local f="$WORK/subscribers-$1-${2:-0}.conf" marks=""
    [ -z "${2:-}" ] || marks="\nsri_sm_marks = $2"
    sed "s/^subscribers = .*/subscribers = $1$marks/" "$CONFIG" >"$f"
    echo "$f"
}
# field KEY LINE: the value of key=value in a bench_analyze line
field() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2; exit }'; }
# results SSGW CONF OUT: the result keys of every message, one line each
results() { "$1" analyze --json --config "$2" "$PCAP" | sed 's/.*"direction":/"direction":/' >"$3"; }
# differing A B: lines that differ
differing() { paste -d $'\x01' "$1" "$2" | awk -F $'\x01' '$1 != $2 { n++ } END { print n + 0 }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

LOAD_BEFORE=$(load_avg)
SIZE_ROWS="" TIME_ROWS="" CG_ROWS=""
for b in "${!SSGWS[@]}"; do
    ssgw=${SSGWS[$b]} bench=${BENCHES[$b]} label=${LABELS[$b]}
    echo "== $label: population"
    line=$("$bench" --config "$(config_for 10000000 "$MARKS")" --mode mem --reps 1 "$PCAP" | grep 'mode=mem')
    P=$(field subscribers "$line")
    MSGS=$(field msgs "$line")
    echo "   $P subscriber locations in $MSGS messages"
    results "$ssgw" "$(config_for $((P * 10)) "$MARKS")" "$WORK/ref"
    results "$ssgw" "$(config_for $((P * 10)) "$MARKS")" "$WORK/out"
    changed=$(differing "$WORK/ref" "$WORK/out")
    echo "   10x again ($((P * 10))): results changed $changed"
    SIZE_ROWS+="| $label | 10x, run again | $((P * 10)) | - | - | $changed ($(calc "%.3f" "100 * $changed / $MSGS") %) |"$'\n'
    for f in "${SIZINGS[@]}"; do
        n=$(calc "%d" "int($P * $f + 0.999999)")
        line=$("$bench" --config "$(config_for "$n" "$MARKS")" --mode mem --reps 1 "$PCAP" | grep 'mode=mem')
        results "$ssgw" "$(config_for "$n" "$MARKS")" "$WORK/out"
        changed=$(differing "$WORK/ref" "$WORK/out")
        ev=$(field location_evictions "$line")
        held=$(field subscribers "$line")
        echo "   ${f}x ($n): held $held, evicted $ev, results changed $changed"
        SIZE_ROWS+="| $label | ${f}x | $n | $held | $ev ($(calc "%.2f" "100 * $ev / $P") %) | $changed ($(calc "%.3f" "100 * $changed / $MSGS") %) |"$'\n'
    done
    for conf in "$CONFIG" "$(config_for "$P")"; do
        what="default ($(awk '/^subscribers = / { print $3; exit }' "$conf") subscribers)"
        [ "$conf" = "$CONFIG" ] || what="1.0x ($P subscribers)"
        walls="" cpus="" faults="" rss=""
        echo "== $label: ssgw analyze, store $what ($REPS runs)"
        for _ in $(seq "$REPS"); do
            "${PIN[@]}" /usr/bin/time -o "$WORK/time" -f '%e %U %S %R %M' \
                "$ssgw" analyze --config "$conf" "$PCAP" >/dev/null 2>&1 || die "ssgw analyze failed"
            read -r wall user sys minor maxrss <"$WORK/time"
            echo "   wall $wall s, cpu $(calc "%.2f" "$user + $sys") s, minor faults $minor, max RSS $maxrss KiB"
            walls+="$wall"$'\n'
            cpus+="$(calc "%.2f" "$user + $sys")"$'\n'
            faults=$minor rss=$maxrss
        done
        mw=$(median <<<"${walls%$'\n'}")
        mc=$(median <<<"${cpus%$'\n'}")
        TIME_ROWS+="| $label | $what | $MSGS | $mw | $mc | $(calc "%.0f" "$MSGS / $mc") | $faults | $rss KiB |"$'\n'
    done
    if [ "$CALLGRIND" != 0 ]; then
        echo "== $label: callgrind with cache simulation ($CG_SMALL / $CG_LARGE messages)"
        declare -A cgv=()
        for n in "$CG_SMALL" "$CG_LARGE"; do
            [ -f "$WORK/a$n.pcap" ] ||
                "${SSGWS[0]}" attack --count "$n" --seed "$SEED" --labels - --quiet "$WORK/a$n.pcap"
            valgrind --tool=callgrind --cache-sim=yes --callgrind-out-file="$WORK/cg.out" \
                "$ssgw" analyze --config "$CONFIG" "$WORK/a$n.pcap" >/dev/null 2>"$WORK/cg.err" ||
                die "callgrind of ssgw analyze failed (see $WORK/cg.err)"
            # events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw; summary: the totals
            read -r ir d1 ll < <(awk '/^events:/ { for (i = 2; i <= NF; i++) e[$i] = i }
                /^(summary|totals):/ { print $e["Ir"], $e["D1mr"] + $e["D1mw"], $e["DLmr"] + $e["DLmw"]; exit }' "$WORK/cg.out")
            cgv[$n]="$ir $d1 $ll"
        done
        read -r ir_s d1_s ll_s <<<"${cgv[$CG_SMALL]}"
        read -r ir_l d1_l ll_l <<<"${cgv[$CG_LARGE]}"
        d=$((CG_LARGE - CG_SMALL))
        CG_ROWS+="| $label | **$(calc "%.0f" "($ir_l - $ir_s) / $d")** | $(calc "%.1f" "($d1_l - $d1_s) / $d") | $(calc "%.2f" "($ll_l - $ll_s) / $d") |"$'\n'
        unset cgv
    fi
done

cat <<EOB

==================== paste into docs/BENCHMARKS.md ====================
$(run_header)
Capture: \`ssgw attack --count $COUNT --seed $SEED\` ($MSGS messages); policy $(basename "$CONFIG") with
\`[state] subscribers\` varied; load average $LOAD_BEFORE before, $(load_avg) after${CPU:+, pinned to CPU $CPU}.

Verdicts against a store of 10x the population (results = the keys from "direction" on of
\`ssgw analyze --json\`, message by message; every configuration with sri_sm_marks = $MARKS):

| build | sizing | subscribers | held | location evictions (of the population) | results changed (of the messages) |
| --- | ---: | ---: | ---: | ---: | ---: |
${SIZE_ROWS%$'\n'}

\`ssgw analyze CAPTURE\` (summary), median of $REPS runs:

| build | store | messages | wall s | CPU s | messages per CPU second | minor page faults | max RSS |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
${TIME_ROWS%$'\n'}
EOB
if [ -n "$CG_ROWS" ]; then
    cat <<EOB

Callgrind (--cache-sim=yes) on \`ssgw analyze --config $(basename "$CONFIG")\`, per message = (X at $CG_LARGE messages - X at $CG_SMALL) / $((CG_LARGE - CG_SMALL)):

| build | instructions / message | D1 misses / message | LL misses / message |
| --- | ---: | ---: | ---: |
${CG_ROWS%$'\n'}
EOB
fi
echo "======================================================================="
