#!/usr/bin/env bash
# run-analyze.sh - `ssgw analyze` throughput (decode + every policy check + state)
# against tshark field extraction, side by side on the same capture in the same run
# (DESIGN.md section 7: >= 2,000,000 messages/s per core, >= 70x tshark, embedded
# state <= 48 bytes per subscriber).
#
#   bench/run-analyze.sh            # from the repository root (or anywhere)
#
# Steps: Release build into build-bench, `ssgw attack` of COUNT messages (labelled
# roaming traffic with 5 % attacks: realistic use of state; one M3UA message per
# SCTP packet, so frames == messages), page cache warmed, bench_analyze (modes file
# and mem, best of REPS, fresh state store per repetition), `ssgw analyze` once on the
# same file to confirm the verdict counts, tshark with the field extraction of
# run-decode.sh (best of TSHARK_REPS, wall seconds and max RSS from /usr/bin/time),
# then a Markdown block for docs/BENCHMARKS.md.
#
# Environment (all optional):
#   COUNT=1000000  SEED=1  REPS=5  TSHARK_REPS=2
#   CONFIG=<repo>/examples/ssgw.conf
#   BUILD_DIR=<repo>/build-bench   PCAP=<BUILD_DIR>/bench-analyze-<COUNT>.pcap
#   EXTRA_CFLAGS=""     added to CMAKE_C_FLAGS of the Release build
#   CPU=""              pin the programs to this CPU with taskset (e.g. CPU=1)
set -euo pipefail

BENCH_NAME=run-analyze.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COUNT=${COUNT:-1000000}
SEED=${SEED:-1}
REPS=${REPS:-5}
TSHARK_REPS=${TSHARK_REPS:-2}
CONFIG=${CONFIG:-$ROOT/examples/ssgw.conf}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
PCAP=${PCAP:-$BUILD_DIR/bench-analyze-$COUNT.pcap}
CPU=${CPU:-}

bench_pin "$CPU"
command -v tshark >/dev/null || die "tshark is not installed"
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (Debian package 'time')"

bench_build "$BUILD_DIR" ssgw-cli bench_analyze
SSGW=$BUILD_DIR/ssgw
BENCH=$BUILD_DIR/bench/bench_analyze

echo "== attack traffic: $COUNT messages (seed $SEED) -> $PCAP"
# always: the generator may have changed
"$SSGW" attack --count "$COUNT" --seed "$SEED" --labels - --quiet "$PCAP"
FRAMES=$(capinfos -M -c "$PCAP" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2; exit}')
BYTES=$(stat -c %s "$PCAP")
echo "   frames=$FRAMES bytes=$BYTES"

echo "== warm page cache"
cat "$PCAP" >/dev/null
cat "$PCAP" >/dev/null

LOAD_BEFORE=$(load_avg)
echo "== bench_analyze (best of $REPS), load average $LOAD_BEFORE"
BENCH_RC=0
BENCH_OUT=$("${PIN[@]}" "$BENCH" --config "$CONFIG" --reps "$REPS" --mode both "$PCAP") ||
    BENCH_RC=$?
echo "$BENCH_OUT"
grep -q 'mode=mem' <<<"$BENCH_OUT" || die "bench_analyze failed (exit $BENCH_RC)"

# field value of key=value in the line of a mode
field() { awk -v m="mode=$1" -v k="$2" '$2 == m { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) print a[2] } }' <<<"$BENCH_OUT"; }

echo "== ssgw analyze (verdict counts, once)"
SUMMARY=$("$SSGW" analyze --config "$CONFIG" "$PCAP")
sum_of() { awk -v k="$1" '$1 == k && NF == 2 { print $2; exit }' <<<"$SUMMARY"; }
VERDICTS_OK=yes
VERDICT_LINE=""
for v in allow drop answer alert rate-limit; do
    ours=$(field file "${v/-/_}")
    theirs=$(sum_of "$v")
    VERDICT_LINE+="$v $ours, "
    if [ "$ours" != "$theirs" ] || [ "$(field mem "${v/-/_}")" != "$theirs" ]; then
        VERDICTS_OK="NO ($v: bench_analyze $ours, ssgw analyze $theirs)"
    fi
done
VERDICT_LINE=${VERDICT_LINE%, }
echo "   $VERDICT_LINE; same as ssgw analyze: $VERDICTS_OK"

tshark_best "$PCAP" "$TSHARK_REPS"
TS_LINES=$FRAMES # one message per frame (SCTP, one DATA chunk per packet)

FILE_RATE=$(field file msgs_per_s)
MEM_RATE=$(field mem msgs_per_s)
TS_RATE=$(calc "%.0f" "$TS_LINES / $TS_BEST")
RATIO_FILE=$(calc "%.1f" "$FILE_RATE / $TS_RATE")
RATIO_MEM=$(calc "%.1f" "$MEM_RATE / $TS_RATE")
BPS=$(field file bytes_per_subscriber)

cat <<EOB

==================== paste into docs/BENCHMARKS.md ====================
$(run_header "$(tshark --version 2>/dev/null | head -1 | sed 's/ (Git.*//')")
Capture: \`ssgw attack --count $COUNT --seed $SEED\`, $FRAMES frames, $BYTES bytes, page cache warm${CPU:+, pinned to CPU $CPU}; \
policy $(basename "$CONFIG"); load average $LOAD_BEFORE before, $(load_avg) after.

| what | messages | best seconds | messages/s | ns/message | max RSS |
| --- | ---: | ---: | ---: | ---: | ---: |
| bench_analyze mode=file (capture + decode + checks + state) | $(field file msgs) | $(field file secs) | $FILE_RATE | $(field file ns_per_msg) | $(field file maxrss_kib) KiB |
| bench_analyze mode=mem (decode + checks + state) | $(field mem msgs) | $(field mem secs) | $MEM_RATE | $(field mem ns_per_msg) | $(field mem maxrss_kib) KiB |
| tshark -T fields (6 fields) | $TS_LINES | $TS_BEST | $TS_RATE | $(calc "%.0f" "$TS_BEST * 1e9 / $TS_LINES") | $TS_RSS KiB |

- verdicts: $VERDICT_LINE (same as \`ssgw analyze\`: $VERDICTS_OK); decode errors: $(field file decode_errors)
- state: $(field file subscribers) subscribers tracked, **$BPS bytes per subscriber** (target <= 48: $(verdict_le "$BPS" 48)); whole store $(field file store_bytes) bytes
- ours/tshark, end to end (mode=file): **${RATIO_FILE}x** (target 70x: $(verdict_ge "$RATIO_FILE" 70)); without capture (mode=mem): ${RATIO_MEM}x
- per core, end to end: $FILE_RATE msg/s (target 2,000,000: $(verdict_ge "$FILE_RATE" 2000000)); \
without capture: $MEM_RATE msg/s ($(verdict_ge "$MEM_RATE" 2000000))
=======================================================================
EOB
