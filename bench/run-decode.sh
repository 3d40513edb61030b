#!/usr/bin/env bash
# run-decode.sh - decode throughput of OpenSSGW against tshark field extraction,
# measured side by side on the same capture in the same run (DESIGN.md section 7:
# >= 2,000,000 messages/s per core and >= 70x tshark).
#
#   bench/run-decode.sh            # from the repository root (or anywhere)
#
# Steps: Release build into build-bench, `ssgw generate` of COUNT messages
# (one M3UA message per SCTP packet, so frames == messages), page cache warmed,
# bench_decode (modes file and mem, best of REPS), tshark with field extraction
# (best of TSHARK_REPS, wall seconds and max RSS from /usr/bin/time), then a
# Markdown block for docs/BENCHMARKS.md.
#
# Environment (all optional):
#   COUNT=200000  SEED=1  REPS=10  TSHARK_REPS=2
#   BUILD_DIR=<repo>/build-bench   PCAP=<BUILD_DIR>/bench-decode-<COUNT>.pcap
#   EXTRA_CFLAGS=""     added to CMAKE_C_FLAGS of the Release build
#   CPU=""              pin both programs to this CPU with taskset (e.g. CPU=1)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COUNT=${COUNT:-200000}
SEED=${SEED:-1}
REPS=${REPS:-10}
TSHARK_REPS=${TSHARK_REPS:-2}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
PCAP=${PCAP:-$BUILD_DIR/bench-decode-$COUNT.pcap}
EXTRA_CFLAGS=${EXTRA_CFLAGS:-}
CPU=${CPU:-}

die() {
    echo "run-decode.sh: $*" >&2
    exit 1
}

PIN=()
if [ -n "$CPU" ]; then
    command -v taskset >/dev/null || die "CPU=$CPU given but taskset is not installed"
    PIN=(taskset -c "$CPU")
fi
command -v tshark >/dev/null || die "tshark is not installed"
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (Debian package 'time')"

echo "== build (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DSSGW_SANITIZE=OFF \
    "-DCMAKE_C_FLAGS=$EXTRA_CFLAGS" >/dev/null
cmake --build "$BUILD_DIR" --target ssgw-cli bench_decode -j"$(nproc)" >/dev/null ||
    die "build failed (run: cmake --build $BUILD_DIR)"
SSGW=$BUILD_DIR/ssgw
BENCH=$BUILD_DIR/bench/bench_decode

echo "== generate $COUNT messages (seed $SEED) -> $PCAP"
"$SSGW" generate --count "$COUNT" --seed "$SEED" "$PCAP" # always: the generator may have changed
FRAMES=$(capinfos -M -c "$PCAP" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2; exit}')
BYTES=$(stat -c %s "$PCAP")
echo "   frames=$FRAMES bytes=$BYTES"

echo "== warm page cache"
cat "$PCAP" >/dev/null
cat "$PCAP" >/dev/null

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== bench_decode (best of $REPS), load average $LOAD_BEFORE"
BENCH_RC=0
BENCH_OUT=$("${PIN[@]}" "$BENCH" --reps "$REPS" --mode both "$PCAP") || BENCH_RC=$?
echo "$BENCH_OUT"
grep -q 'mode=mem' <<<"$BENCH_OUT" || die "bench_decode failed (exit $BENCH_RC)"
[ "$BENCH_RC" = 0 ] || echo "run-decode.sh: WARNING: bench_decode counted decode errors (see above)" >&2

# field value of key=value in the line of a mode
field() { awk -v m="mode=$1" -v k="$2" '$2 == m { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) print a[2] } }' <<<"$BENCH_OUT"; }

MSGS=$(field file msgs)
FILE_RATE=$(field file msgs_per_s)
FILE_NS=$(field file ns_per_msg)
FILE_RSS=$(field file maxrss_kib)
MEM_RATE=$(field mem msgs_per_s)
MEM_NS=$(field mem ns_per_msg)
MEM_RSS=$(field mem maxrss_kib)
ERRORS=$(field file errors)

TSHARK_FIELDS=(-e frame.number -e m3ua.protocol_data_opc -e sccp.calling.digits
    -e sccp.called.digits -e gsm_old.localValue -e e212.imsi)
echo "== tshark field extraction (best of $TSHARK_REPS)"
TS_BEST="" TS_RSS=""
TIMEF=$(mktemp)
trap 'rm -f "$TIMEF"' EXIT
for _ in $(seq "$TSHARK_REPS"); do
    "${PIN[@]}" /usr/bin/time -o "$TIMEF" -f '%e %M' \
        tshark -n -r "$PCAP" -T fields "${TSHARK_FIELDS[@]}" >/dev/null 2>/dev/null ||
        die "tshark failed"
    read -r secs rss <"$TIMEF"
    echo "   tshark secs=$secs maxrss_kib=$rss"
    if [ -z "$TS_BEST" ] || awk -v a="$secs" -v b="$TS_BEST" 'BEGIN { exit !(a < b) }'; then
        TS_BEST=$secs
        TS_RSS=$rss
    fi
done
TS_LINES=$FRAMES # one message per frame (SCTP, one DATA chunk per packet)

calc() { awk "BEGIN { printf \"$1\", $2 }"; }
TS_RATE=$(calc "%.0f" "$TS_LINES / $TS_BEST")
RATIO_FILE=$(calc "%.1f" "$FILE_RATE / $TS_RATE")
RATIO_MEM=$(calc "%.1f" "$MEM_RATE / $TS_RATE")
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "met" : "MISSED") }'; }

CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
cat <<EOF

==================== paste into docs/BENCHMARKS.md ====================
Run $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), \
$(nproc) CPUs (${CPU_MODEL}), $(uname -sr), $(gcc --version | head -1), \
$(tshark --version 2>/dev/null | head -1 | sed 's/ (Git.*//').
Capture: \`ssgw generate --count $COUNT --seed $SEED\`, $FRAMES frames, $BYTES bytes, page cache warm${CPU:+, pinned to CPU $CPU}; \
load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after.

| what | messages | best seconds | messages/s | ns/message | max RSS |
| --- | ---: | ---: | ---: | ---: | ---: |
| bench_decode mode=file (capture + decode + MAP) | $MSGS | $(field file secs) | $FILE_RATE | $FILE_NS | $FILE_RSS KiB |
| bench_decode mode=mem (decode + MAP only) | $(field mem msgs) | $(field mem secs) | $MEM_RATE | $MEM_NS | $MEM_RSS KiB |
| tshark -T fields (6 fields) | $TS_LINES | $TS_BEST | $TS_RATE | $(calc "%.0f" "$TS_BEST * 1e9 / $TS_LINES") | $TS_RSS KiB |

- decode errors: $ERRORS (expected 0)
- ours/tshark, end to end (mode=file): **${RATIO_FILE}x** (target 70x: $(verdict "$RATIO_FILE" 70))
- ours/tshark, decode only (mode=mem): ${RATIO_MEM}x
- per core, end to end: $FILE_RATE msg/s (target 2,000,000: $(verdict "$FILE_RATE" 2000000)); \
decode only: $MEM_RATE msg/s ($(verdict "$MEM_RATE" 2000000))
=======================================================================
EOF
