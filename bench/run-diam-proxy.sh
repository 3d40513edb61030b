#!/usr/bin/env bash
# run-diam-proxy.sh - Diameter proxy throughput of `ssgw run` beside a plain Diameter relay,
# measured in the same run on the same load (DESIGN.md section 7, applied to the Diameter
# edge proxy: >= 70 % of a plain relay's messages/s):
#
#   bench_diam_load (MME side) --TCP--> PROXY --TCP--> bench_diam_load (HSS side)
#
# PROXY is, in turn: bench/relay_plain_diam (CER/CEA, DWR/DWA, byte copies, nothing else),
# `ssgw run` without a policy (Diameter peers, hop-by-hop mapping, Route-Record, no
# inspection), and `ssgw run` with examples/ssgw.conf (the whole pipeline: decode, the
# diameter.* checks, subscriber state) with its rate limits off (the load is one MME:
# diameter.rate_origin would refuse most of it). The load keeps WINDOW S6a ULRs in flight; a request
# counts when its answer is back (two messages through the proxy). Prints a Markdown block
# for docs/BENCHMARKS.md.
#
# Environment (all optional): SECONDS_RUN=5 WARMUP=1 WINDOW=256 BUILD_DIR=<repo>/build-bench
#   CPU_PROXY="" CPU_LOAD=""   pin the proxy and the load to these CPUs with taskset
set -euo pipefail

BENCH_NAME=run-diam-proxy.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SECS=${SECONDS_RUN:-5}
WARMUP=${WARMUP:-1}
WINDOW=${WINDOW:-256}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
PIN_PROXY=()
PIN_LOAD=()
[ -n "${CPU_PROXY:-}" ] && PIN_PROXY=(taskset -c "$CPU_PROXY")
[ -n "${CPU_LOAD:-}" ] && PIN_LOAD=(taskset -c "$CPU_LOAD")

bench_build "$BUILD_DIR" ssgw-cli bench_diam_load
${CC:-cc} -O2 -std=gnu11 -Wall -Wextra -Werror -o "$BUILD_DIR/relay_plain_diam" \
    "$ROOT/bench/relay_plain_diam.c" || die "relay_plain_diam does not compile"
SSGW=$BUILD_DIR/ssgw
LOAD=$BUILD_DIR/bench/bench_diam_load
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

gateway_conf() { # FILE A B [POLICY]
    {
        echo "[gateway]"
        [ -n "${4:-}" ] && echo "policy = \"$4\""
        echo '[diameter]'
        echo 'origin_host = "dea.epc.mnc091.mcc234.3gppnetwork.org"'
        echo 'origin_realm = "epc.mnc091.mcc234.3gppnetwork.org"'
        echo '[[diameter_peer]]'
        echo 'name = "ipx"'
        echo 'side = "outer"'
        echo "listen = \"127.0.0.1:$2\""
        echo '[[diameter_peer]]'
        echo 'name = "hss"'
        echo 'side = "inner"'
        echo "listen = \"127.0.0.1:$3\""
    } >"$1"
}

declare -A RATE P50 P99
run_one() { # KIND
    local kind=$1 a b pid out
    a=$(free_port)
    b=$(free_port)
    case $kind in
    relay) "${PIN_PROXY[@]}" "$BUILD_DIR/relay_plain_diam" --a "127.0.0.1:$a" --b "127.0.0.1:$b" \
        --seconds $((SECS + WARMUP + 5)) & ;;
    gateway) gateway_conf "$WORK/gw.toml" "$a" "$b"
        "${PIN_PROXY[@]}" "$SSGW" run --config "$WORK/gw.toml" 2>"$WORK/gw.log" & ;;
    policy) sed -e 's/^imsi = .*/imsi = "off"/' -e 's/^calling_gt = .*/calling_gt = "off"/' \
            -e 's/^\[rate\]$/[rate]\ndiameter_origin_host = "off"/' "$ROOT/examples/ssgw.conf" \
            >"$WORK/policy.conf"
        gateway_conf "$WORK/gw.toml" "$a" "$b" "$WORK/policy.conf"
        "${PIN_PROXY[@]}" "$SSGW" run --config "$WORK/gw.toml" 2>"$WORK/gw.log" & ;;
    esac
    pid=$!
    out=$("${PIN_LOAD[@]}" "$LOAD" --load "127.0.0.1:$a" --sink "127.0.0.1:$b" --seconds "$SECS" \
        --warmup "$WARMUP" --window "$WINDOW") || { kill "$pid"; die "$kind: no answer"; }
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "   $kind: $out"
    RATE[$kind]=$(sed -n 's/.* msgs_per_s=\([0-9]*\).*/\1/p' <<<"$out")
    P50[$kind]=$(sed -n 's/.* p50_us=\([0-9]*\).*/\1/p' <<<"$out")
    P99[$kind]=$(sed -n 's/.* p99_us=\([0-9]*\).*/\1/p' <<<"$out")
}

LOAD_BEFORE=$(load_avg)
for k in relay gateway policy; do
    echo "== $k"
    run_one "$k"
done

cat <<MD

==================== paste into docs/BENCHMARKS.md ====================
$(run_header)
Load: \`bench_diam_load\`, window $WINDOW ULRs in flight, $SECS s after $WARMUP s warm-up, TCP
on 127.0.0.1${CPU_PROXY:+, proxy on CPU $CPU_PROXY}${CPU_LOAD:+, load on CPU $CPU_LOAD}; load
average $LOAD_BEFORE before, $(load_avg) after.

| proxy | messages/s (requests + answers) | round trip p50 | p99 | vs plain relay |
| --- | ---: | ---: | ---: | ---: |
| plain relay (bench/relay_plain_diam) | ${RATE[relay]} | ${P50[relay]} µs | ${P99[relay]} µs | 100 % |
| ssgw run, no policy | ${RATE[gateway]} | ${P50[gateway]} µs | ${P99[gateway]} µs | $(calc "%.0f" "100 * ${RATE[gateway]} / ${RATE[relay]}") % |
| ssgw run, examples/ssgw.conf | ${RATE[policy]} | ${P50[policy]} µs | ${P99[policy]} µs | $(calc "%.0f" "100 * ${RATE[policy]} / ${RATE[relay]}") % |

- target: the gateway with its policy at >= 70 % of the plain relay: \
$(verdict_ge "$(calc "%.2f" "${RATE[policy]} / ${RATE[relay]}")" 0.70)
=======================================================================
MD
