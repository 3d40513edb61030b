#!/usr/bin/env bash
# run-proxy.sh - live proxy benchmark: M3UA over TCP on loopback through `ssgw run`,
# beside a plain relay that forwards the same bytes without inspection, in the same run
# (DESIGN.md section 7: >= 300,000 MSU/s on 2 cores with policy on, >= 70 % of the plain
# relay, p99 added latency <= 200 us at 20,000 MSU/s).
#
#   bench/run-proxy.sh            # from the repository root (or anywhere)
#
# Topology of every phase (all on 127.0.0.1, configurations in a temp dir):
#   bench_proxy_load (ASP) --TCP--> PROXY --TCP--> bench_proxy_load's sink (SG)
# where PROXY is, in turn: nothing (direct, latency reference), bench/relay_plain (the
# anchor), `ssgw run` with the default hook (decode + forward), `ssgw run` with
# [gateway] policy = examples/ssgw.conf (when this build's `ssgw run` accepts a policy),
# the same policy with its [rate] limits off (a replay at 10^5 msg/s of a capture of a
# few peers trips the per-GT and per-IMSI rate limits, which then drop most messages),
# and `ssgw run` with a policy that has a [trust] section (TRUST_POLICY=FILE, when given).
# The gateway's outer link (SG) takes the load's association (RC 10), its inner link
# (ASP, RC 20) connects to the sink. Both directions of the capture are kept: messages
# with OPC = HOME_PC go sink -> load (outbound), the others load -> sink (inbound).
#
# Phases: throughput (--rate 0, the proxy's back pressure paces the sender; best of REPS,
# relay and gateway alternating) and latency at RATE msg/s (one message per write; the
# run with the lowest p99 of REPS_LAT per proxy, alternating).
# Added latency = gateway percentile - relay percentile at the same offered rate (what
# inspection adds to a forwarding hop); the direct percentile is printed as the floor.
# MSU/s = messages the proxy accepted per second in the window (sent_per_s; with a full
# pipe this is its processing rate, whatever the verdicts); delivered = recv_per_s.
#
# Environment (all optional):
#   COUNT=20000 SEED=1   legit traffic: `ssgw attack --attack-ratio 0 --count COUNT --seed SEED`
#   REPS=3  REPS_LAT=3  SECONDS_TP=3  SECONDS_LAT=2  WARMUP=0.5  RATE=20000  HOME_PC=1001
#   PORT_BASE=N          five TCP ports from N on 127.0.0.1 (default: a free random base;
#                        a phase that fails to start is retried once on new ports)
#   BUILD_DIR=<repo>/build-proxybench   EXTRA_CFLAGS=""   SKIP_BUILD=1 (reuse the binaries)
#   POLICY=<repo>/examples/ssgw.conf    TRUST_POLICY=""  (a policy file with [trust])
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COUNT=${COUNT:-20000}
SEED=${SEED:-1}
REPS=${REPS:-3}
REPS_LAT=${REPS_LAT:-3}
HOME_PC=${HOME_PC:-1001}
SECONDS_TP=${SECONDS_TP:-3}
SECONDS_LAT=${SECONDS_LAT:-2}
WARMUP=${WARMUP:-0.5}
RATE=${RATE:-20000}
PORT_BASE=${PORT_BASE:-}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-proxybench}
EXTRA_CFLAGS=${EXTRA_CFLAGS:-}
POLICY=${POLICY:-$ROOT/examples/ssgw.conf}
TRUST_POLICY=${TRUST_POLICY:-}

die() {
    echo "run-proxy.sh: $*" >&2
    exit 1
}

if [ "${SKIP_BUILD:-0}" = 1 ]; then
    echo "== SKIP_BUILD=1: using the binaries already in $BUILD_DIR"
else
    echo "== build (Release) in $BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DSSGW_SANITIZE=OFF \
        "-DCMAKE_C_FLAGS=$EXTRA_CFLAGS" >/dev/null
    cmake --build "$BUILD_DIR" --target ssgw-cli bench_proxy_load -j"$(nproc)" >/dev/null ||
        die "build failed (run: cmake --build $BUILD_DIR)"
fi
${CC:-cc} -O2 -std=gnu11 -Wall -Wextra -Werror -o "$BUILD_DIR/relay_plain" "$ROOT/bench/relay_plain.c" ||
    die "relay_plain does not compile"
SSGW=$BUILD_DIR/ssgw
LOAD=$BUILD_DIR/bench/bench_proxy_load
RELAY=$BUILD_DIR/relay_plain

TMP=$(mktemp -d /tmp/ssgw-proxybench.XXXXXX)
PROXY_PID=""
cleanup() {
    if [ -n "$PROXY_PID" ]; then kill "$PROXY_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

PCAP=$TMP/legit.pcap
echo "== legit traffic: ssgw attack --attack-ratio 0 --count $COUNT --seed $SEED"
"$SSGW" attack --attack-ratio 0 --count "$COUNT" --seed "$SEED" --labels - -q "$PCAP"

# set_ports [BASE]: five ports (random free base unless given), configurations rewritten
declare -A KIND_POLICY=()
set_ports() {
    local base=${1:-}
    while [ -z "$base" ]; do
        base=$((20000 + (RANDOM % 2000) * 5))
        for p in $(seq "$base" $((base + 4))); do
            if ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then base=""; fi
        done
    done
    P_DIRECT=$base
    P_RELAY_IN=$((base + 1)) P_RELAY_OUT=$((base + 2))
    P_GW_OUTER=$((base + 3)) P_GW_INNER=$((base + 4))
    for k in "${!KIND_POLICY[@]}"; do gw_config "$k" "${KIND_POLICY[$k]}"; done
}

# gw_config NAME POLICYFILE: a gateway configuration in $TMP/NAME.toml
gw_config() {
    {
        echo "[gateway]"
        echo "status_socket = \"$TMP/$1.sock\""
        echo "reconnect_ms = 50"
        [ -z "$2" ] || echo "policy = \"$2\""
        cat <<EOF

[[link]]
name = "ipx"
side = "outer"
transport = "tcp"
role = "sg"
listen = "127.0.0.1:$P_GW_OUTER"
routing_contexts = [10]

[[link]]
name = "stp"
side = "inner"
transport = "tcp"
role = "asp"
connect = "127.0.0.1:$P_GW_INNER"
routing_contexts = [20]
EOF
    } >"$TMP/$1.toml"
    KIND_POLICY[$1]=$2
}
set_ports "$PORT_BASE"

gw_config gw-default ""
GW_KINDS=(gw-default)
declare -A KIND_TITLE=([relay]="plain relay (bench/relay_plain)" [direct]="direct (no proxy)"
    [gw-default]="ssgw run, default hook (decode + forward)")
POLICY_NOTE="not measured: POLICY=$POLICY not found"
if [ -f "$POLICY" ]; then
    gw_config gw-policy "$POLICY"
    if "$SSGW" run --config "$TMP/gw-policy.toml" --check-config >"$TMP/check.out" 2>&1; then
        GW_KINDS+=(gw-policy)
        KIND_TITLE[gw-policy]="ssgw run, policy $(basename "$POLICY")"
        POLICY_NOTE=""
        # the same policy with the [rate] limits off
        awk '/^\[/ { in_rate = ($0 ~ /^\[rate\]/) }
             in_rate && /^[a-z_]+[[:space:]]*=/ { sub(/=.*/, "= \"off\""); }
             { print }' "$POLICY" >"$TMP/policy-norate.conf"
        gw_config gw-norate "$TMP/policy-norate.conf"
        if "$SSGW" run --config "$TMP/gw-norate.toml" --check-config >/dev/null 2>&1; then
            GW_KINDS+=(gw-norate)
            KIND_TITLE[gw-norate]="ssgw run, policy $(basename "$POLICY") with [rate] off"
        fi
    else
        POLICY_NOTE="not measured: this build's \`ssgw run\` refuses [gateway] policy: $(head -1 "$TMP/check.out")"
    fi
fi
TRUST_NOTE="not measured: set TRUST_POLICY to a policy file with a [trust] section"
if [ -n "$TRUST_POLICY" ]; then
    gw_config gw-trust "$TRUST_POLICY"
    if "$SSGW" run --config "$TMP/gw-trust.toml" --check-config >"$TMP/check.out" 2>&1; then
        GW_KINDS+=(gw-trust)
        KIND_TITLE[gw-trust]="ssgw run, policy + trust $(basename "$TRUST_POLICY")"
        TRUST_NOTE=""
    else
        TRUST_NOTE="not measured: $(head -1 "$TMP/check.out")"
    fi
fi

# start_proxy KIND: starts the proxy of KIND in the background (PROXY_PID); echo load ports
start_proxy() {
    case $1 in
    direct)
        PROXY_PID=""
        LOAD_ARGS=(--connect "127.0.0.1:$P_DIRECT" --listen "127.0.0.1:$P_DIRECT")
        ;;
    relay)
        "$RELAY" --listen "127.0.0.1:$P_RELAY_IN" --connect "127.0.0.1:$P_RELAY_OUT" --rc 20 \
            --seconds 60 2>"$TMP/relay.log" &
        PROXY_PID=$!
        LOAD_ARGS=(--connect "127.0.0.1:$P_RELAY_IN" --listen "127.0.0.1:$P_RELAY_OUT")
        ;;
    gw-*)
        gw_config "$1" "${KIND_POLICY[$1]}" # the current ports
        "$SSGW" run --config "$TMP/$1.toml" 2>"$TMP/$1.log" &
        PROXY_PID=$!
        LOAD_ARGS=(--connect "127.0.0.1:$P_GW_OUTER" --listen "127.0.0.1:$P_GW_INNER")
        ;;
    esac
}

# stop_proxy KIND: status JSON of a gateway into $TMP/KIND.status, then stop it
stop_proxy() {
    if [[ $1 == gw-* ]] && [ -n "$PROXY_PID" ]; then
        "$SSGW" status --socket "$TMP/$1.sock" >"$TMP/$1.status" 2>/dev/null || true
    fi
    if [ -n "$PROXY_PID" ]; then
        kill "$PROXY_PID" 2>/dev/null || true
        wait "$PROXY_PID" 2>/dev/null || true
    fi
    PROXY_PID=""
}

# run_phase KIND RATE SECONDS: one load run (retried once on new ports: other programs on
# this machine may take a port meanwhile); the result line goes to stdout
run_phase() {
    run_phase_once "$@" && return 0
    echo "run-proxy.sh: retrying $1 on other ports" >&2
    sleep 1
    set_ports
    run_phase_once "$@"
}

run_phase_once() {
    start_proxy "$1"
    local out rc=0
    out=$(timeout 60 "$LOAD" "${LOAD_ARGS[@]}" --pcap "$PCAP" --rate "$2" --warmup "$WARMUP" \
        --seconds "$3" --label "$1" --home-pc "$HOME_PC" 2>"$TMP/load.err") || rc=$?
    stop_proxy "$1"
    if [ "$rc" != 0 ] || [ -z "$out" ]; then
        echo "run-proxy.sh: $1 at rate $2 failed (exit $rc):" >&2
        cat "$TMP/load.err" >&2
        [[ $1 == gw-* ]] && tail -5 "$TMP/$1.log" >&2
        return 1
    fi
    echo "$out"
}

# field LINE KEY
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2; exit }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
verdict_ge() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "met" : "MISSED") }'; }
verdict_le() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "met" : "MISSED") }'; }

# steal: share of CPU time the hypervisor gave to others (from /proc/stat)
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9 }' /proc/stat; }
read -r TOTAL0 STEAL0 < <(cpu_ticks)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A BEST_LINE BEST_RATE LAT_LINE
echo "== throughput: best of $REPS, ${SECONDS_TP}s each after ${WARMUP}s warm-up (load average $LOAD_BEFORE)"
for rep in $(seq "$REPS"); do
    for kind in relay "${GW_KINDS[@]}"; do
        line=$(run_phase "$kind" 0 "$SECONDS_TP") || die "throughput phase $kind failed"
        r=$(field "$line" sent_per_s)
        echo "   [$rep] $kind: $r MSU/s accepted, $(field "$line" recv_per_s) delivered, lost $(field "$line" lost), modified $(field "$line" modified)"
        if [ -z "${BEST_RATE[$kind]:-}" ] || awk -v a="$r" -v b="${BEST_RATE[$kind]}" 'BEGIN { exit !(a > b) }'; then
            BEST_RATE[$kind]=$r
            BEST_LINE[$kind]=$line
            [ -f "$TMP/$kind.status" ] && cp "$TMP/$kind.status" "$TMP/$kind.best-status"
        fi
    done
done

echo "== latency at $RATE msg/s, ${SECONDS_LAT}s each, lowest p99 of $REPS_LAT"
for rep in $(seq "$REPS_LAT"); do
    for kind in direct relay "${GW_KINDS[@]}"; do
        line=$(run_phase "$kind" "$RATE" "$SECONDS_LAT") || die "latency phase $kind failed"
        echo "   [$rep] $kind: p50 $(field "$line" p50_us) us, p99 $(field "$line" p99_us) us, max $(field "$line" max_us) us, lost $(field "$line" lost)"
        if [ -z "${LAT_LINE[$kind]:-}" ] ||
            awk -v a="$(field "$line" p99_us)" -v b="$(field "${LAT_LINE[$kind]}" p99_us)" 'BEGIN { exit !(a < b) }'; then
            LAT_LINE[$kind]=$line
        fi
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
read -r TOTAL1 STEAL1 < <(cpu_ticks)
STEAL_PCT=$(calc "%.0f" "100 * ($STEAL1 - $STEAL0) / ($TOTAL1 - $TOTAL0 + 0.001)")

# drops of a gateway phase: "n (reason n, ...)" from its status counters
drops() {
    local f=$TMP/$1.best-status
    [ -f "$f" ] || {
        echo "-"
        return
    }
    python3 - "$f" <<'EOF' 2>/dev/null || echo "?"
import json, sys
c = json.load(open(sys.argv[1]))["counters"]
rs = sorted(c.get("reasons", {}).items(), key=lambda kv: -kv[1])[:4]
print("%d of %d%s" % (c["dropped"] + c["answered"], c["data_in"],
      (" (" + ", ".join("%s %d" % kv for kv in rs) + ")") if rs else ""))
EOF
}

RELAY_RATE=${BEST_RATE[relay]}
CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
HEADLINE=gw-default
for k in gw-policy gw-trust; do
    if [ -n "${BEST_RATE[$k]:-}" ]; then HEADLINE=$k; fi
done
cat <<EOF

==================== paste into docs/BENCHMARKS.md ====================
Run $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src tools include 2>/dev/null || echo " + working tree"), \
$(nproc) CPUs (${CPU_MODEL}), $(uname -sr), $(gcc --version | head -1).
Traffic: \`ssgw attack --attack-ratio 0 --count $COUNT --seed $SEED\` (legit roaming traffic), $(field "${BEST_LINE[relay]}" templates) DATA messages cycled; \
$(field "${BEST_LINE[relay]}" from_sink) of them outbound (OPC $HOME_PC: sent sink → load), the rest inbound; \
M3UA over TCP on 127.0.0.1; load average $LOAD_BEFORE before, $LOAD_AFTER after; CPU steal during the run ${STEAL_PCT} %.

Throughput (best of $REPS × ${SECONDS_TP} s, as fast as the proxy takes them):

| proxy | MSU/s accepted | delivered/s | × plain relay | lost | modified | dropped/answered by the gateway |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
EOF
for kind in relay "${GW_KINDS[@]}"; do
    l=${BEST_LINE[$kind]}
    echo "| ${KIND_TITLE[$kind]} | $(field "$l" sent_per_s) | $(field "$l" recv_per_s) | $(calc "%.2f" "$(field "$l" sent_per_s) / $RELAY_RATE") | $(field "$l" lost) | $(field "$l" modified) | $([[ $kind == gw-* ]] && drops "$kind" || echo -) |"
done
cat <<EOF

Latency at $RATE msg/s (${SECONDS_LAT} s, one message per write, send → sink read, CLOCK_MONOTONIC):

| proxy | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | added p50 µs | added p99 µs |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
for kind in direct relay "${GW_KINDS[@]}"; do
    l=${LAT_LINE[$kind]}
    if [[ $kind == gw-* ]]; then
        add50=$(calc "%.1f" "$(field "$l" p50_us) - $(field "${LAT_LINE[relay]}" p50_us)")
        add99=$(calc "%.1f" "$(field "$l" p99_us) - $(field "${LAT_LINE[relay]}" p99_us)")
    else
        add50="-" add99="-"
    fi
    echo "| ${KIND_TITLE[$kind]} | $(field "$l" p50_us) | $(field "$l" p90_us) | $(field "$l" p99_us) | $(field "$l" p999_us) | $(field "$l" max_us) | $add50 | $add99 |"
done
echo
[ -z "$POLICY_NOTE" ] || echo "- policy: $POLICY_NOTE"
[ -z "$TRUST_NOTE" ] || echo "- signing/verification: $TRUST_NOTE"
for kind in "${GW_KINDS[@]}"; do
    r=${BEST_RATE[$kind]}
    ratio=$(calc "%.2f" "$r / $RELAY_RATE")
    add99=$(calc "%.1f" "$(field "${LAT_LINE[$kind]}" p99_us) - $(field "${LAT_LINE[relay]}" p99_us)")
    relay99=$(field "${LAT_LINE[relay]}" p99_us)
    if awk -v r="$relay99" 'BEGIN { exit !(r > 200) }'; then
        lat_verdict="INCONCLUSIVE: the plain relay's own p99 is $relay99 µs, the machine's noise is larger than the target"
    else
        lat_verdict=$(verdict_le "$add99" 200)
    fi
    echo "- ${KIND_TITLE[$kind]}: $r MSU/s (target 300,000: $(verdict_ge "$r" 300000)), \
${ratio}× the plain relay (target 0.70: $(verdict_ge "$ratio" 0.70)), \
p99 added latency ${add99} µs (target ≤ 200: $lat_verdict)"
done
echo "- the targets are for policy on; the headline row is ${KIND_TITLE[$HEADLINE]}"
echo "======================================================================="
