#!/usr/bin/env bash
# run-diam-decode.sh - Diameter decode throughput of OpenSSGW beside tshark field extraction on
# the same capture in the same run (DESIGN.md section 7, for the Diameter decoder).
#
#   bench/run-diam-decode.sh        # from anywhere
#
# Steps: Release build into build-bench, `ssgw generate --protocol diameter` of COUNT messages
# (SCTP, one Diameter message per DATA chunk and frame), page cache warmed, bench_decode (file
# and mem modes: the decoder and the policy fields, best of REPS), tshark -T fields with the
# Diameter fields a roaming firewall reads (best of TSHARK_REPS), then a Markdown block.
#
# Environment (all optional): COUNT=200000 SEED=1 REPS=10 TSHARK_REPS=2 CPU=""
#   BUILD_DIR=<repo>/build-bench
set -euo pipefail

BENCH_NAME=run-diam-decode.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COUNT=${COUNT:-200000}
SEED=${SEED:-1}
REPS=${REPS:-10}
TSHARK_REPS=${TSHARK_REPS:-2}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
PCAP=$BUILD_DIR/bench-diam-decode-$COUNT.pcap
CPU=${CPU:-}

bench_pin "$CPU"
bench_build "$BUILD_DIR" ssgw-cli bench_decode
"$BUILD_DIR/ssgw" generate --protocol diameter --count "$COUNT" --seed "$SEED" "$PCAP"
FRAMES=$(capinfos -M -c "$PCAP" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2; exit}')
cat "$PCAP" >/dev/null

LOAD_BEFORE=$(load_avg)
OUT=$("${PIN[@]}" "$BUILD_DIR/bench/bench_decode" --reps "$REPS" --mode both "$PCAP") || true
echo "$OUT"
field() { awk -v m="mode=$1" -v k="$2" '$2 == m { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) print a[2] } }' <<<"$OUT"; }

TSHARK_FIELDS=(-e frame.number -e diameter.cmd.code -e diameter.Session-Id -e diameter.Origin-Host
               -e diameter.Origin-Realm -e e212.imsi -e diameter.Result-Code)
tshark_best "$PCAP" "$TSHARK_REPS"
TS_RATE=$(calc "%.0f" "$FRAMES / $TS_BEST")

cat <<MD

==================== paste into docs/BENCHMARKS.md ====================
$(run_header "$(tshark --version 2>/dev/null | head -1 | sed 's/ (Git.*//')")
Capture: \`ssgw generate --protocol diameter --count $COUNT --seed $SEED\`, $FRAMES frames, page
cache warm${CPU:+, pinned to CPU $CPU}; load average $LOAD_BEFORE before, $(load_avg) after.

| what | messages | best seconds | messages/s | ns/message | max RSS |
| --- | ---: | ---: | ---: | ---: | ---: |
| bench_decode mode=file (capture + Diameter decode + policy fields) | $(field file msgs) | $(field file secs) | $(field file msgs_per_s) | $(field file ns_per_msg) | $(field file maxrss_kib) KiB |
| bench_decode mode=mem (decode + policy fields only) | $(field mem msgs) | $(field mem secs) | $(field mem msgs_per_s) | $(field mem ns_per_msg) | $(field mem maxrss_kib) KiB |
| tshark -T fields (7 Diameter fields) | $FRAMES | $TS_BEST | $TS_RATE | $(calc "%.0f" "$TS_BEST * 1e9 / $FRAMES") | $TS_RSS KiB |

- decode errors: $(field file errors) (expected 0)
- ours/tshark, end to end: **$(calc "%.1f" "$(field file msgs_per_s) / $TS_RATE")x**; decode only: \
$(calc "%.1f" "$(field mem msgs_per_s) / $TS_RATE")x
=======================================================================
MD
