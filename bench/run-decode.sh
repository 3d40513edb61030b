#!/usr/bin/env bash
# run-decode.sh - decode throughput of OpenSSGW against tshark field extraction,
# measured side by side on the same capture in the same run (DESIGN.md section 7:
# >= 2,000,000 messages/s per core and >= 70x tshark). PROTOCOL=isup measures ISUP calls
# instead of MAP (`ssgw generate --protocol isup`, tshark extracting ISUP fields).
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
#   COUNT=200000  SEED=1  REPS=10  TSHARK_REPS=2  PROTOCOL=map (or isup)
#   BUILD_DIR=<repo>/build-bench   PCAP=<BUILD_DIR>/bench-decode[-isup]-<COUNT>.pcap
#   EXTRA_CFLAGS=""     added to CMAKE_C_FLAGS of the Release build
#   CPU=""              pin both programs to this CPU with taskset (e.g. CPU=1)
set -euo pipefail

BENCH_NAME=run-decode.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COUNT=${COUNT:-200000}
SEED=${SEED:-1}
REPS=${REPS:-10}
TSHARK_REPS=${TSHARK_REPS:-2}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
PROTOCOL=${PROTOCOL:-map}
case $PROTOCOL in
map)
    GEN_ARGS=() WHAT="capture + decode + MAP" WHAT_MEM="decode + MAP only" SUFFIX=""
    ;;
isup)
    # what tshark extracts: the routing label and the call's circuit, type and numbers
    TSHARK_FIELDS=(-e frame.number -e m3ua.protocol_data_opc -e isup.cic -e isup.message_type
        -e isup.calling -e isup.called)
    GEN_ARGS=(--protocol isup) WHAT="capture + ISUP decode" WHAT_MEM="ISUP decode only" SUFFIX=-isup
    ;;
*) die "PROTOCOL=$PROTOCOL: map or isup" ;;
esac
PCAP=${PCAP:-$BUILD_DIR/bench-decode$SUFFIX-$COUNT.pcap}
CPU=${CPU:-}

bench_pin "$CPU"
command -v tshark >/dev/null || die "tshark is not installed"
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (Debian package 'time')"

bench_build "$BUILD_DIR" ssgw-cli bench_decode
SSGW=$BUILD_DIR/ssgw
BENCH=$BUILD_DIR/bench/bench_decode

echo "== generate $COUNT messages (seed $SEED${GEN_ARGS[*]:+, ${GEN_ARGS[*]}}) -> $PCAP"
"$SSGW" generate "${GEN_ARGS[@]}" --count "$COUNT" --seed "$SEED" "$PCAP" # always: the generator may have changed
FRAMES=$(capinfos -M -c "$PCAP" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2; exit}')
BYTES=$(stat -c %s "$PCAP")
echo "   frames=$FRAMES bytes=$BYTES"

echo "== warm page cache"
cat "$PCAP" >/dev/null
cat "$PCAP" >/dev/null

LOAD_BEFORE=$(load_avg)
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

tshark_best "$PCAP" "$TSHARK_REPS"
TS_LINES=$FRAMES # one message per frame (SCTP, one DATA chunk per packet)

TS_RATE=$(calc "%.0f" "$TS_LINES / $TS_BEST")
RATIO_FILE=$(calc "%.1f" "$FILE_RATE / $TS_RATE")
RATIO_MEM=$(calc "%.1f" "$MEM_RATE / $TS_RATE")

cat <<EOF

==================== paste into docs/BENCHMARKS.md ====================
$(run_header "$(tshark --version 2>/dev/null | head -1 | sed 's/ (Git.*//')")
Capture: \`ssgw generate ${GEN_ARGS[*]:+${GEN_ARGS[*]} }--count $COUNT --seed $SEED\`, $FRAMES frames, $BYTES bytes, page cache warm${CPU:+, pinned to CPU $CPU}; \
load average $LOAD_BEFORE before, $(load_avg) after.

| what | messages | best seconds | messages/s | ns/message | max RSS |
| --- | ---: | ---: | ---: | ---: | ---: |
| bench_decode mode=file ($WHAT) | $MSGS | $(field file secs) | $FILE_RATE | $FILE_NS | $FILE_RSS KiB |
| bench_decode mode=mem ($WHAT_MEM) | $(field mem msgs) | $(field mem secs) | $MEM_RATE | $MEM_NS | $MEM_RSS KiB |
| tshark -T fields ($(( ${#TSHARK_FIELDS[@]} / 2 )) fields: $(printf '%s ' "${TSHARK_FIELDS[@]}" | sed 's/-e //g; s/ $//')) | $TS_LINES | $TS_BEST | $TS_RATE | $(calc "%.0f" "$TS_BEST * 1e9 / $TS_LINES") | $TS_RSS KiB |

- decode errors: $ERRORS (expected 0)$([ "$PROTOCOL" = isup ] && echo "; ISUP messages decoded: $(field file isup) of $MSGS")
- ours/tshark, end to end (mode=file): **${RATIO_FILE}x** (target 70x: $(verdict_ge "$RATIO_FILE" 70))
- ours/tshark, decode only (mode=mem): ${RATIO_MEM}x
- per core, end to end: $FILE_RATE msg/s (target 2,000,000: $(verdict_ge "$FILE_RATE" 2000000)); \
decode only: $MEM_RATE msg/s ($(verdict_ge "$MEM_RATE" 2000000))
=======================================================================
EOF
