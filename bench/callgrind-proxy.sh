#!/usr/bin/env bash
# callgrind-proxy.sh - the live gateway's instructions per message, the stable figure
# beside run-proxy.sh's wall-clock rates (which swing with the machine's load).
#
#   bench/callgrind-proxy.sh [SSGW ...]     # each SSGW binary in turn, the same traffic
#
# For each `ssgw` binary (default: this tree's build-bench/ssgw) and each row of ROWS:
# `ssgw run` under `valgrind --tool=callgrind`, bench_proxy_load sending `ssgw attack
# --attack-ratio 0` traffic both ways (--home-pc 1001) as fast as the gateway takes it,
# for SHORT and then LONG seconds. The gateway's own status gives the messages it took
# on both links (counters.data_in; before the gw23 branch this script read the first
# link's data_in, the inbound half only, so its figures were about twice the cost of a
# message); the marginal cost is
#   (instructions(LONG) - instructions(SHORT)) / (data_in(LONG) - data_in(SHORT))
# so start-up, policy loading and shutdown cancel out. The rows (run-proxy.sh's names):
#   gw-default     no policy: the default hook (decode + forward)
#   gw-norate      [gateway] policy = examples/ssgw.conf with its [rate] limits off (at
#                  replay speed the per-GT limits would drop most messages)
#   relay          bench/relay_plain (the anchor of run-proxy.sh, built here with cc -O2):
#                  the messages are what the load sent (the relay forwards every one); its
#                  cost is mostly the kernel's, which callgrind does not count: compare CPU
#                  time per message for that (run-proxy.sh)
#   gw-trust-MODE  gw-norate's policy + [trust] in MODE (hmac, ecdsa-p256, ed25519), set up
#                  as run-proxy.sh's trust rows: `tsca init` with examples/numbering-registry.csv,
#                  Albion Mobile (home, PC 1001), Safari Mobile and Rhein Telekom enrolled,
#                  Lagos Mobile outside the scheme (verify-if-present); sign = "members",
#                  inbound = "require", window 60. A capture of TRUST_COUNT messages is signed
#                  by Safari then Rhein right before each run (token times seconds old), and
#                  sent once at most (bench_proxy_load --once: a run ends early when the
#                  capture does; the figure is per message the gateway took either way). The gateway verifies + strips the Safari / Rhein messages and signs
#                  those toward them; its trust counters are printed under the table.
#
# Environment: COUNT=20000 SEED=1 SHORT=3 LONG=9 ROWS="gw-norate"
#   LOAD=<build-bench>/bench/bench_proxy_load TSCA=<the ssgw binary's directory>/tsca
#   TRUST_COUNT=400000 (messages of the signed capture; raise it when a run cycles)
#   CG_KEEP=DIR  keep the callgrind outputs as DIR/ROW.N.SECONDS.out (N: the binary's place
#                in the arguments), for per-function differences (callgrind_annotate)
set -euo pipefail

BENCH_NAME=callgrind-proxy.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COUNT=${COUNT:-20000}
SEED=${SEED:-1}
SHORT=${SHORT:-3}
LONG=${LONG:-9}
ROWS=${ROWS:-gw-norate}
TRUST_COUNT=${TRUST_COUNT:-400000}
CG_KEEP=${CG_KEEP:-}
command -v valgrind >/dev/null || die "valgrind is not installed"

if [ $# -eq 0 ]; then
    bench_build "$ROOT/build-bench" ssgw-cli bench_proxy_load tsca
    set -- "$ROOT/build-bench/ssgw"
fi
LOAD=${LOAD:-$ROOT/build-bench/bench/bench_proxy_load}
[ -x "$LOAD" ] || bench_build "$ROOT/build-bench" bench_proxy_load
TSCA=${TSCA:-$(dirname "$1")/tsca}
[ -z "$CG_KEEP" ] || mkdir -p "$CG_KEEP"
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

"$1" attack --attack-ratio 0 --count "$COUNT" --seed "$SEED" --labels - -q "$TMP/traffic.pcap"
awk '/^\[/ { in_rate = ($0 ~ /^\[rate\]/) }
     in_rate && /^[a-z_]+[[:space:]]*=/ { sub(/=.*/, "= \"off\""); }
     { print }' "$ROOT/examples/ssgw.conf" >"$TMP/policy.conf"

# ---- the trust rows' material (bench/common.sh, as run-proxy.sh's) ------------------------
TD=$TMP/trust
trust_setup() {
    trust_material "$TSCA" "$TD"
    "$1" attack --attack-ratio 0 --count "$TRUST_COUNT" --seed "$SEED" --labels - -q \
        "$TMP/trust-traffic.pcap"
}
trust_mode_setup() { trust_mode_configs "$TD" "$1" "$TMP/policy.conf"; }
# sign_now SSGW MODE: the trust capture signed now by Safari, then Rhein
sign_now() {
    "$1" sign --config "$TD/safari/$2.conf" "$TMP/trust-traffic.pcap" "$TMP/sign1.pcap" \
        2>"$TMP/sign.err" || die "ssgw sign as Safari failed: $(cat "$TMP/sign.err")"
    "$1" sign --config "$TD/rhein/$2.conf" "$TMP/sign1.pcap" "$TMP/signed.pcap" \
        2>"$TMP/sign.err" || die "ssgw sign as Rhein failed: $(cat "$TMP/sign.err")"
    rm -f "$TMP/sign1.pcap"
}
for row in $ROWS; do
    case $row in
    gw-default | gw-norate) ;;
    relay)
        [ -x "$TMP/relay_plain" ] ||
            ${CC:-cc} -O2 -g -std=gnu11 -o "$TMP/relay_plain" "$ROOT/bench/relay_plain.c" ||
            die "relay_plain does not compile"
        ;;
    gw-trust-hmac | gw-trust-ecdsa-p256 | gw-trust-ed25519)
        [ -d "$TD" ] || trust_setup "$1"
        trust_mode_setup "${row#gw-trust-}"
        ;;
    *) die "ROWS: unknown row '$row' (relay, gw-default, gw-norate, gw-trust-hmac, gw-trust-ecdsa-p256, gw-trust-ed25519)" ;;
    esac
done

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

# status_field FILE KEY: a number of the gateway's status JSON (first occurrence)
status_field() { grep -o "\"$2\":[0-9]*" "$1" | head -1 | cut -d: -f2; }

# relay_one SECONDS OUT: prints "instructions messages" of the plain relay
relay_one() {
    local secs=$1 out=$2 base
    base=$(free_base)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$TMP/relay_plain" \
        --listen "127.0.0.1:$base" --connect "127.0.0.1:$((base + 1))" --rc 20 --seconds 600 \
        2>"$TMP/relay.log" &
    local rl=$!
    "$LOAD" --connect "127.0.0.1:$base" --listen "127.0.0.1:$((base + 1))" --pcap "$TMP/traffic.pcap" \
        --rate 0 --warmup 1 --seconds "$secs" --linger 3000 --rc 10 --rc-sink 20 --home-pc 1001 \
        >"$TMP/load.out" 2>&1 || true
    kill -TERM "$rl" 2>/dev/null || true # it ends by itself when the load closes
    wait "$rl" || true
    local ir sent
    ir=$(grep -o 'Collected : [0-9]*' "$TMP/relay.log" | awk '{print $3}')
    [ -n "$ir" ] || ir=$(awk '/^summary:/ {print $2}' "$out")
    sent=$(grep -o ' sent=[0-9]*' "$TMP/load.out" | cut -d= -f2)
    echo "$ir $sent"
}

# one SSGW ROW SECONDS OUT: prints "instructions data_in"
one() {
    [ "$2" != relay ] || {
        relay_one "$3" "$4"
        return
    }
    local ssgw=$1 row=$2 secs=$3 out=$4 base sock policy pcap extra=()
    base=$(free_base)
    sock=$TMP/gw.sock
    case $row in
    gw-default) policy="" pcap=$TMP/traffic.pcap ;;
    gw-norate) policy=$TMP/policy.conf pcap=$TMP/traffic.pcap ;;
    gw-trust-*)
        policy=$TD/albion/policy-${row#gw-trust-}.conf pcap=$TMP/signed.pcap
        # + XUDT segments; --once: every token fresh (a cycled capture's replays are refused
        # right after the MAC check, cheaper than a message that is stripped or signed)
        extra=(--templates $((TRUST_COUNT + TRUST_COUNT / 10 + 1000)) --once)
        sign_now "$ssgw" "${row#gw-trust-}"
        ;;
    esac
    {
        echo "[gateway]"
        echo "status_socket = \"$sock\""
        echo "reconnect_ms = 50"
        [ -z "$policy" ] || echo "policy = \"$policy\""
        cat <<EOF

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
    } >"$TMP/gw.toml"
    rm -f "$sock"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$ssgw" run --config "$TMP/gw.toml" \
        2>"$TMP/gw.log" &
    local gw=$!
    for _ in $(seq 600); do [ -S "$sock" ] && break; sleep 0.1; done
    [ -S "$sock" ] || die "the gateway did not start: $(grep -v "^==" "$TMP/gw.log" | tail -3)"
    "$LOAD" --connect "127.0.0.1:$base" --listen "127.0.0.1:$((base + 1))" --pcap "$pcap" \
        --rate 0 --warmup 1 --seconds "$secs" --linger 3000 --rc 10 --rc-sink 20 --home-pc 1001 \
        "${extra[@]}" >"$TMP/load.out" 2>&1 || true
    "$ssgw" status --socket "$sock" >"$TMP/status.json"
    local din # all DATA the gateway took, on both links (counters.data_in)
    din=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["counters"]["data_in"])' \
        "$TMP/status.json")
    if [[ $row == gw-trust-* ]]; then
        local passes
        passes=$(grep -o 'passes=[0-9.]*' "$TMP/load.out" | cut -d= -f2)
        awk -v p="${passes:-0}" 'BEGIN { exit !(p > 1) }' &&
            die "$row: the load sent the signed capture $passes times (replays): raise TRUST_COUNT"
        echo "$row $secs s: $(grep -o '"trust_outcomes":{[^}]*}' "$TMP/status.json"), signed $(status_field "$TMP/status.json" signed), stripped $(status_field "$TMP/status.json" stripped), passes $passes" >>"$TMP/notes"
    fi
    kill -TERM "$gw"
    wait "$gw" || true
    local ir
    ir=$(grep -o 'Collected : [0-9]*' "$TMP/gw.log" | awk '{print $3}')
    [ -n "$ir" ] || ir=$(awk '/^summary:/ {print $2}' "$out")
    echo "$ir $din"
}

echo "| ssgw | row | instructions (${SHORT} s) | data_in | instructions (${LONG} s) | data_in | instructions/message |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
n=0
for ssgw in "$@"; do
    n=$((n + 1))
    for row in $ROWS; do
        o1=$TMP/cg.short.out o2=$TMP/cg.long.out
        if [ -n "$CG_KEEP" ]; then
            o1=$CG_KEEP/$row.$n.$SHORT.out o2=$CG_KEEP/$row.$n.$LONG.out
        fi
        read -r i1 d1 < <(one "$ssgw" "$row" "$SHORT" "$o1")
        read -r i2 d2 < <(one "$ssgw" "$row" "$LONG" "$o2")
        per=$(calc "%.0f" "($i2 - $i1) / ($d2 - $d1)")
        echo "| $ssgw | $row | $i1 | $d1 | $i2 | $d2 | $per |"
    done
done
if [ -f "$TMP/notes" ]; then
    echo
    sed 's/^/- /' "$TMP/notes"
fi
