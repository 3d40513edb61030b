#!/usr/bin/env bash
# run-soak.sh - the gateway under mixed legitimate and hostile traffic for MINUTES minutes
# (default 30; issue "hostile networks": RSS every 10 s, flat after warm-up; every message
# accounted for at the end). The traffic, the topology and the report are described in
# bench/soak.py; this script builds the Release binaries and runs it.
#
#   bench/run-soak.sh                 # 30 minutes
#   MINUTES=5 bench/run-soak.sh       # a shorter look
#
# Environment (all optional): MINUTES=30 BUILD_DIR=<repo>/build-bench SKIP_BUILD=1
# EXTRA_CFLAGS="" KEEP_TMP=1, and soak.py's LEGIT_RATE ATTACK_RATE FLOOD_EVERY FLOOD_SEGMENTS
# SAMPLE WARMUP_MIN WORKERS.
set -euo pipefail

BENCH_NAME=run-soak.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
MINUTES=${MINUTES:-30}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}

bench_build "$BUILD_DIR" ssgw-cli
HEADER=$(run_header "LEGIT_RATE=${LEGIT_RATE:-2000} ATTACK_RATE=${ATTACK_RATE:-200} WORKERS=${WORKERS:-0}")
echo "== soak: $MINUTES minutes, load average $(load_avg)"
REPORT=$(python3 "$ROOT/bench/soak.py" --ssgw "$BUILD_DIR/ssgw" --source "$ROOT" \
    --minutes "$MINUTES" | tee /dev/stderr | sed -n '/^| minute/,$p')
echo
echo "### Soak ($MINUTES min)"
echo
echo "$HEADER"
echo
echo "Command: \`MINUTES=$MINUTES bench/run-soak.sh\`"
echo
echo "$REPORT"
