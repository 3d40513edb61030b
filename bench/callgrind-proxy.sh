#!/usr/bin/env bash
# callgrind-proxy.sh - the live gateway's instructions per message, the stable figure
# beside run-proxy.sh's wall-clock rates (which swing with the machine's load).
#
#   bench/callgrind-proxy.sh [SSGW ...]     # each SSGW binary in turn, the same traffic
#
# For each `ssgw` binary (default: this tree's build-bench/ssgw): `ssgw run` under
# `valgrind --tool=callgrind` with [gateway] policy = examples/ssgw.conf with its [rate]
# limits off (run-proxy.sh's gw-norate row: at replay speed the per-GT limits would drop
# most messages), bench_proxy_load sending `ssgw attack --attack-ratio 0` traffic both
# ways (--home-pc 1001) as fast as the gateway takes it, for SHORT and then LONG seconds.
# The gateway's own status gives the messages it took (data_in); the marginal cost is
#   (instructions(LONG) - instructions(SHORT)) / (data_in(LONG) - data_in(SHORT))
# so start-up, policy loading and shutdown cancel out.
#
# Environment: COUNT=20000 SEED=1 SHORT=3 LONG=9 LOAD=<build-bench>/bench/bench_proxy_load
set -euo pipefail

BENCH_NAME=callgrind-proxy.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COUNT=${COUNT:-20000}
SEED=${SEED:-1}
SHORT=${SHORT:-3}
LONG=${LONG:-9}
command -v valgrind >/dev/null || die "valgrind is not installed"

if [ $# -eq 0 ]; then
    bench_build "$ROOT/build-bench" ssgw-cli bench_proxy_load
    set -- "$ROOT/build-bench/ssgw"
fi
LOAD=${LOAD:-$ROOT/build-bench/bench/bench_proxy_load}
[ -x "$LOAD" ] || bench_build "$ROOT/build-bench" bench_proxy_load
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

"$1" attack --attack-ratio 0 --count "$COUNT" --seed "$SEED" --labels - -q "$TMP/traffic.pcap"
awk '/^\[/ { in_rate = ($0 ~ /^\[rate\]/) }
     in_rate && /^[a-z_]+[[:space:]]*=/ { sub(/=.*/, "= \"off\""); }
     { print }' "$ROOT/examples/ssgw.conf" >"$TMP/policy.conf"

free_base() {
    local base
    while :; do
        base=$((30000 + (RANDOM % 3000) * 2))
        ss -Hltn "sport = :$base" 2>/dev/null | grep -q . && continue
        ss -Hltn "sport = :$((base + 1))" 2>/dev/null | grep -q . && continue
        echo "$base"
        return
    done
}

# one SSGW SECONDS: prints "instructions data_in"
one() {
    local ssgw=$1 secs=$2 base sock out
    base=$(free_base)
    sock=$TMP/gw.sock
    cat >"$TMP/gw.toml" <<EOF
[gateway]
status_socket = "$sock"
reconnect_ms = 50
policy = "$TMP/policy.conf"

[[link]]
name = "ipx"
side = "outer"
role = "sg"
listen = "127.0.0.1:$base"
routing_contexts = [10]

[[link]]
name = "stp"
side = "inner"
role = "asp"
connect = "127.0.0.1:$((base + 1))"
routing_contexts = [20]
EOF
    out=$TMP/cg.$secs.out
    rm -f "$sock"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$ssgw" run --config "$TMP/gw.toml" \
        2>"$TMP/gw.log" &
    local gw=$!
    for _ in $(seq 600); do [ -S "$sock" ] && break; sleep 0.1; done
    [ -S "$sock" ] || die "the gateway did not start: $(tail -3 "$TMP/gw.log")"
    "$LOAD" --connect "127.0.0.1:$base" --listen "127.0.0.1:$((base + 1))" --pcap \
        "$TMP/traffic.pcap" --rate 0 --warmup 1 --seconds "$secs" --linger 3000 --rc 10 \
        --rc-sink 20 --home-pc 1001 >"$TMP/load.out" 2>&1 || true
    local din
    din=$("$ssgw" status --socket "$sock" | grep -o '"data_in":[0-9]*' | head -1 | cut -d: -f2)
    kill -TERM "$gw"
    wait "$gw" || true
    local ir
    ir=$(grep -o 'Collected : [0-9]*' "$TMP/gw.log" | awk '{print $3}')
    [ -n "$ir" ] || ir=$(awk '/^summary:/ {print $2}' "$out")
    echo "$ir $din"
}

echo "| ssgw | instructions (${SHORT} s) | data_in | instructions (${LONG} s) | data_in | instructions/message |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for ssgw in "$@"; do
    read -r i1 d1 < <(one "$ssgw" "$SHORT")
    read -r i2 d2 < <(one "$ssgw" "$LONG")
    per=$(calc "%.0f" "($i2 - $i1) / ($d2 - $d1)")
    echo "| $ssgw | $i1 | $d1 | $i2 | $d2 | $per |"
done
