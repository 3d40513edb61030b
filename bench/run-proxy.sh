#!/usr/bin/env bash
# run-proxy.sh - live proxy benchmark: M3UA over TCP on loopback through `ssgw run`,
# beside a plain relay that forwards the same bytes without inspection, in the same run
# (DESIGN.md section 7: >= 300,000 MSU/s on 2 cores with policy on, >= 70 % of the plain
# relay, p99 added latency <= 200 us at 20,000 MSU/s; token sign / verify ECDSA P-256
# >= 90 % of `openssl speed ecdsap256` per core, HMAC fast mode >= 1,000,000 msg/s per core).
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
# that policy plus a [trust] section, once per token mode (TRUST=1, the default; below),
# and `ssgw run` with a policy that has a [trust] section (TRUST_POLICY=FILE, when given).
# The gateway's outer link (SG) takes the load's association (RC 10), its inner link
# (ASP, RC 20) connects to the sink. Both directions of the capture are kept: messages
# with OPC = HOME_PC go sink -> load (outbound), the others load -> sink (inbound).
#
# Phases: throughput (--rate 0, the proxy's back pressure paces the sender; best of REPS,
# relay and gateway alternating) and latency at RATE msg/s (one message per write; the
# run with the lowest p99 of REPS_LAT per proxy, alternating; REPS_LAT=0 skips it).
# Added latency = gateway percentile - relay percentile at the same offered rate (what
# inspection adds to a forwarding hop); the direct percentile is printed as the floor.
# MSU/s = messages the proxy accepted per second in the window (sent_per_s; with a full
# pipe this is its processing rate, whatever the verdicts); delivered = recv_per_s.
# Messages per proxy CPU second (gateway: status data_in / utime + stime; relay: its own
# count and getrusage, printed at exit) compare the proxies' own work: in the relay's run
# the load generator, not the relay, is the slower process.
#
# Trust rows (TRUST=1), set up from scratch in the temp dir with the project's tools:
#   - `tsca init` (examples/numbering-registry.csv, two officers), Albion Mobile (home,
#     GT 447924, PC 1001), Safari Mobile (254722) and Rhein Telekom (491710) enrolled
#     (request, verify-request, approve x2, issue), `tsca bundle`: three members. Lagos
#     Mobile (234803, the third partner of examples/ssgw.conf) is not in the registry and
#     stays outside the scheme: its [[partner]] gets trust = "verify-if-present".
#   - the gateway's policy: examples/ssgw.conf with [rate] off (as gw-norate) + [trust]
#     (Albion's keys, mode MODE, sign = "members", inbound = "require", window 60).
#   - traffic: `ssgw attack --attack-ratio 0 --count TRUST_COUNT_<MODE>` (a larger capture
#     than COUNT, see below); right before EVERY phase of a trust row its inbound messages
#     are signed by their senders: `ssgw sign` as Safari, then as Rhein (sign = "members",
#     MODE), so token times are seconds old when the gateway sees them (window 60 s).
#     The gateway verifies + strips the Safari / Rhein messages and signs the outbound
#     ones toward Safari / Rhein; its `ssgw status` pipeline counters (trust_outcomes,
#     signed, stripped) are printed, and a row whose verified or signed count is zero
#     stops the run.
#   - replay protection: every phase starts a fresh gateway (empty replay cache) and the
#     load sends the capture in order and once at most (`bench_proxy_load --once`: the
#     window ends early, its `once_short=1`, when the last message is queued), so every
#     token the gateway sees is fresh and its crypto figures count first passes only.
#     Before --once the capture cycled when it was smaller than a phase: the repeated
#     tokens were refused as replays right after the MAC check (no strip, no re-sign, no
#     forward), which made "crypto ops per gateway CPU second" an upper estimate.
#     TRUST_COUNT_<MODE> should still exceed what a phase could send (a window cut short
#     is a shorter measurement, and is said so under the table).
#   - the per-core crypto comparison: `openssl speed -seconds OSSL_SECONDS ecdsap256` in
#     the same run; gateway verify + sign operations per second of gateway CPU time
#     (utime + stime of the `ssgw run` process) against openssl's rate for the same mix.
#
# Environment (all optional):
#   COUNT=20000 SEED=1   legit traffic: `ssgw attack --attack-ratio 0 --count COUNT --seed SEED`
#   REPS=3  REPS_LAT=3  SECONDS_TP=3  SECONDS_LAT=2  WARMUP=0.5  RATE=20000  HOME_PC=1001
#   PORT_BASE=N          five TCP ports from N on 127.0.0.1 (default: a free random base;
#                        a phase that fails to start is retried once on new ports)
#   BUILD_DIR=<repo>/build-proxybench   EXTRA_CFLAGS=""   SKIP_BUILD=1 (reuse the binaries)
#   POLICY=<repo>/examples/ssgw.conf    TRUST_POLICY=""  (a policy file with [trust])
#   TRUST=1              0: no trust rows        TRUST_MODES="ecdsa-p256 hmac"
#   TRUST_COUNT_ECDSA=200000  TRUST_COUNT_HMAC=1200000  (messages of the signed captures;
#                        TRUST_COUNT_ED25519 for mode ed25519)    OSSL_SECONDS=3
#   ROWS=""              only these gateway rows (e.g. "gw-norate gw-trust-ecdsa-p256
#                        gw-trust-hmac"); the relay (and direct, for latency) always run
#   WORKERS=""           adds `workers = N` to [gateway] of every gateway configuration
#   KEEP_TMP=1           keep the temp dir (configurations, trust material, logs, captures)
set -euo pipefail

BENCH_NAME=run-proxy.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
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
POLICY=${POLICY:-$ROOT/examples/ssgw.conf}
TRUST_POLICY=${TRUST_POLICY:-}
TRUST=${TRUST:-1}
TRUST_MODES=${TRUST_MODES:-ecdsa-p256 hmac}
TRUST_COUNT_ECDSA=${TRUST_COUNT_ECDSA:-200000}
TRUST_COUNT_ED25519=${TRUST_COUNT_ED25519:-200000}
TRUST_COUNT_HMAC=${TRUST_COUNT_HMAC:-1200000}
OSSL_SECONDS=${OSSL_SECONDS:-3}
ROWS=${ROWS:-}
WORKERS=${WORKERS:-}

if [ -n "$WORKERS" ] && ! [[ $WORKERS =~ ^[1-9][0-9]*$ ]]; then die "WORKERS=$WORKERS: a positive number"; fi
TARGETS=(ssgw-cli bench_proxy_load)
[ "$TRUST" = 0 ] || TARGETS+=(tsca)
bench_build "$BUILD_DIR" "${TARGETS[@]}"
${CC:-cc} -O2 -std=gnu11 -Wall -Wextra -Werror -o "$BUILD_DIR/relay_plain" "$ROOT/bench/relay_plain.c" ||
    die "relay_plain does not compile"
SSGW=$BUILD_DIR/ssgw
TSCA=$BUILD_DIR/tsca
LOAD=$BUILD_DIR/bench/bench_proxy_load
RELAY=$BUILD_DIR/relay_plain
CLK_TCK=$(getconf CLK_TCK)

TMP=$(mktemp -d /tmp/ssgw-proxybench.XXXXXX)
PROXY_PID=""
cleanup() {
    if [ -n "$PROXY_PID" ]; then kill "$PROXY_PID" 2>/dev/null || true; fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "run-proxy.sh: KEEP_TMP=1: files left in $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

PCAP=$TMP/legit.pcap
echo "== legit traffic: ssgw attack --attack-ratio 0 --count $COUNT --seed $SEED"
"$SSGW" attack --attack-ratio 0 --count "$COUNT" --seed "$SEED" --labels - -q "$PCAP"

# row selection: wanted KIND
wanted() { [ -z "$ROWS" ] || [[ " $ROWS " == *" $1 "* ]]; }

# set_ports [BASE]: five ports (random free base unless given), configurations rewritten
declare -A KIND_POLICY=() KIND_PCAP=() KIND_TITLE=() KIND_TEMPLATES=()
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
        [ -z "$WORKERS" ] || echo "workers = $WORKERS"
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

# add_kind KIND POLICYFILE TITLE: a gateway row when this build's `ssgw run` accepts its
# configuration; else returns 1 with the first line of the refusal in CHECK_ERR
GW_KINDS=()
add_kind() {
    gw_config "$1" "$2"
    if "$SSGW" run --config "$TMP/$1.toml" --check-config >"$TMP/check.out" 2>&1; then
        GW_KINDS+=("$1")
        KIND_TITLE[$1]=$3
        return 0
    fi
    CHECK_ERR=$(head -1 "$TMP/check.out")
    unset "KIND_POLICY[$1]"
    return 1
}
KIND_TITLE[relay]="plain relay (bench/relay_plain)"
KIND_TITLE[direct]="direct (no proxy)"
NOTES=()
add_kind gw-default "" "ssgw run, default hook (decode + forward)" ||
    die "this build's \`ssgw run\` refuses the plain gateway configuration${WORKERS:+ (WORKERS=$WORKERS: workers = $WORKERS)}: $CHECK_ERR"
wanted gw-default || GW_KINDS=()
NORATE=""
if [ ! -f "$POLICY" ]; then
    NOTES+=("policy: not measured: POLICY=$POLICY not found")
else
    gw_config gw-policy "$POLICY"
    if ! "$SSGW" run --config "$TMP/gw-policy.toml" --check-config >"$TMP/check.out" 2>&1; then
        NOTES+=("policy: not measured: this build's \`ssgw run\` refuses [gateway] policy: $(head -1 "$TMP/check.out")")
    else
        if wanted gw-policy; then add_kind gw-policy "$POLICY" "ssgw run, policy $(basename "$POLICY")"; fi
        # the same policy with the [rate] limits off
        awk '/^\[/ { in_rate = ($0 ~ /^\[rate\]/) }
             in_rate && /^[a-z_]+[[:space:]]*=/ { sub(/=.*/, "= \"off\""); }
             { print }' "$POLICY" >"$TMP/policy-norate.conf"
        gw_config gw-norate "$TMP/policy-norate.conf"
        if "$SSGW" run --config "$TMP/gw-norate.toml" --check-config >/dev/null 2>&1; then
            NORATE=$TMP/policy-norate.conf
            if wanted gw-norate; then
                add_kind gw-norate "$NORATE" "ssgw run, policy $(basename "$POLICY") with [rate] off"
            fi
        fi
    fi
fi

# ---- trust rows ----------------------------------------------------------------------
TD=$TMP/trust
declare -A TRUST_MODE_OF=() TRUST_UNSIGNED=()
TRUST_SUMMARY=()
trust_count() {
    case $1 in
    ecdsa-p256) echo "$TRUST_COUNT_ECDSA" ;;
    ed25519) echo "$TRUST_COUNT_ED25519" ;;
    hmac) echo "$TRUST_COUNT_HMAC" ;;
    *) die "TRUST_MODES: unknown mode '$1' (ecdsa-p256, ed25519, hmac)" ;;
    esac
}
trust_setup() {
    echo "== trust material in $TD: tsca init, 3 operators enrolled, bundle"
    trust_material "$TSCA" "$TD"
    local mode
    for mode in $TRUST_MODES; do
        # the signers (Safari, Rhein) and the gateway (Albion: gw-norate's policy + [trust])
        trust_mode_configs "$TD" "$mode" "$NORATE"
        local n
        n=$(trust_count "$mode")
        if [ -z "${TRUST_UNSIGNED[$n]:-}" ]; then
            echo "== trust traffic: ssgw attack --attack-ratio 0 --count $n --seed $SEED"
            "$SSGW" attack --attack-ratio 0 --count "$n" --seed "$SEED" --labels - -q "$TMP/legit-$n.pcap"
            TRUST_UNSIGNED[$n]=$TMP/legit-$n.pcap
        fi
        local kind=gw-trust-$mode
        if add_kind "$kind" "$TD/albion/policy-$mode.conf" \
            "ssgw run, policy $(basename "$POLICY") [rate] off + [trust] $mode"; then
            TRUST_MODE_OF[$kind]=$mode
            KIND_PCAP[$kind]=$TMP/signed-$mode.pcap
            KIND_TEMPLATES[$kind]=$((n + n / 10 + 1000)) # + XUDT segments of signed messages
        else
            NOTES+=("trust $mode: not measured: $CHECK_ERR")
        fi
    done
}
if [ "$TRUST" != 0 ]; then
    if [ -z "$NORATE" ]; then
        NOTES+=("signing/verification: not measured: needs the policy rows (POLICY accepted by \`ssgw run\`)")
    else
        WANT_MODES=""
        for mode in $TRUST_MODES; do
            trust_count "$mode" >/dev/null
            if wanted "gw-trust-$mode"; then WANT_MODES+=" $mode"; fi
        done
        TRUST_MODES=${WANT_MODES# }
        [ -z "$TRUST_MODES" ] || trust_setup
    fi
fi
if [ -n "$TRUST_POLICY" ]; then
    add_kind gw-trust "$TRUST_POLICY" "ssgw run, policy + trust $(basename "$TRUST_POLICY")" ||
        NOTES+=("TRUST_POLICY: not measured: $CHECK_ERR")
    NOTES+=("TRUST_POLICY=$TRUST_POLICY row: sent the unsigned capture (inbound tokens are missing)")
fi
[ "${#GW_KINDS[@]}" -gt 0 ] || die "no gateway row to measure (ROWS=$ROWS)"

# sign_capture KIND: the trust row's capture, signed now by Safari then Rhein (what they
# signed: $TMP/KIND.sign)
sign_capture() {
    local mode=${TRUST_MODE_OF[$1]} n
    n=$(trust_count "$mode")
    "$SSGW" sign --config "$TD/safari/$mode.conf" "${TRUST_UNSIGNED[$n]}" "$TMP/sign1.pcap" \
        2>"$TMP/sign1.err" || die "ssgw sign as Safari failed: $(cat "$TMP/sign1.err")"
    "$SSGW" sign --config "$TD/rhein/$mode.conf" "$TMP/sign1.pcap" "${KIND_PCAP[$1]}" \
        2>"$TMP/sign2.err" || die "ssgw sign as Rhein failed: $(cat "$TMP/sign2.err")"
    rm -f "$TMP/sign1.pcap"
    echo "Safari $(grep -o 'signed [0-9]* ([a-z0-9-]*)' "$TMP/sign1.err"), Rhein $(grep -o 'signed [0-9]* ([a-z0-9-]*)' "$TMP/sign2.err")" >"$TMP/$1.sign"
}

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

# stop_proxy KIND: status JSON of a gateway into $TMP/KIND.status and its CPU seconds
# (utime + stime) into $TMP/KIND.cpu, then stop it
stop_proxy() {
    if [[ $1 == gw-* ]] && [ -n "$PROXY_PID" ]; then
        "$SSGW" status --socket "$TMP/$1.sock" >"$TMP/$1.status" 2>/dev/null || true
        awk -v hz="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / hz }' \
            "/proc/$PROXY_PID/stat" >"$TMP/$1.cpu" 2>/dev/null || echo "?" >"$TMP/$1.cpu"
    fi
    if [ -n "$PROXY_PID" ]; then
        kill "$PROXY_PID" 2>/dev/null || true
        wait "$PROXY_PID" 2>/dev/null || true
    fi
    PROXY_PID=""
    if [ "$1" = relay ]; then # its own line at exit: DATA forwarded and CPU seconds
        rm -f "$TMP/relay.cpu" "$TMP/relay.din"
        local rl
        rl=$(grep '^relay_plain: data_in=' "$TMP/relay.log" | tail -1)
        if [ -n "$rl" ]; then
            field "$rl" cpu_s >"$TMP/relay.cpu"
            field "$rl" data_in >"$TMP/relay.din"
        fi
    fi
}

# run_phase KIND RATE SECONDS: one load run (retried once on new ports: other programs on
# this machine may take a port meanwhile); the result line goes to $TMP/phase.out and LINE
run_phase() {
    run_phase_retry "$@" >"$TMP/phase.out" || return 1
    LINE=$(<"$TMP/phase.out")
}
run_phase_retry() {
    run_phase_once "$@" && return 0
    echo "run-proxy.sh: retrying $1 on other ports" >&2
    sleep 1
    set_ports
    run_phase_once "$@"
}

run_phase_once() {
    local extra=()
    if [ -n "${TRUST_MODE_OF[$1]:-}" ]; then
        sign_capture "$1" # token times: now
        extra=(--templates "${KIND_TEMPLATES[$1]}" --once) # fresh tokens only
    fi
    rm -f "$TMP/$1.status" "$TMP/$1.cpu"
    start_proxy "$1"
    local out rc=0
    out=$(timeout 60 "$LOAD" "${LOAD_ARGS[@]}" --pcap "${KIND_PCAP[$1]:-$PCAP}" --rate "$2" \
        --warmup "$WARMUP" --seconds "$3" --label "$1" --home-pc "$HOME_PC" "${extra[@]}" \
        2>"$TMP/load.err") || rc=$?
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

# trust_counts FILE: "ok inbound outbound crypto_verify signed stripped segments_held
# others..." from a status JSON (crypto_verify: outcomes whose signature or MAC was
# checked: all but missing, malformed, unknown_key)
trust_counts() {
    python3 - "$1" <<'EOF' 2>/dev/null || echo "?"
import json, sys
p = json.load(open(sys.argv[1]))["pipeline"]
o = p.get("trust_outcomes", {})
checked = sum(v for k, v in o.items() if k not in ("missing", "malformed", "unknown_key"))
rest = " ".join("%s=%d" % (k, v) for k, v in o.items() if v and k != "ok")
print(o.get("ok", 0), p["inbound"], p["outbound"], checked, p.get("signed", 0),
      p.get("stripped", 0), p.get("segments_held", 0), p.get("sign_refused", 0), rest or "-")
EOF
}

# check_trust KIND LINE: prints the trust counters of the phase; dies when nothing was
# verified or signed; warns when the capture was sent more than once
check_trust() {
    local c ok inb outb chk sgn strp held refused rest
    c=$(trust_counts "$TMP/$1.status")
    read -r ok inb outb chk sgn strp held refused rest <<<"$c"
    echo "       trust: verified ok $ok (signature checked $chk), signed $sgn, stripped $strp, segments held $held, sign refused $refused; other outcomes: $rest; capture passes $(field "$2" passes) ($(cat "$TMP/$1.sign"))"
    if [ "$c" = "?" ] || [ "$ok" = 0 ] || [ "$sgn" = 0 ]; then
        echo "run-proxy.sh: $1: the gateway verified $ok and signed $sgn messages: the trust row measures nothing. Status:" >&2
        cat "$TMP/$1.status" >&2
        tail -5 "$TMP/$1.log" >&2
        exit 1
    fi
    if awk -v p="$(field "$2" passes)" 'BEGIN { exit !(p > 1) }'; then
        echo "run-proxy.sh: WARNING: $1 sent its capture $(field "$2" passes) times: repeated tokens are replays (raise TRUST_COUNT_*)" >&2
    fi
}

# steal: share of CPU time the hypervisor gave to others (from /proc/stat)
read -r TOTAL0 STEAL0 < <(cpu_ticks)
LOAD_BEFORE=$(load_avg)
OSSL_EC_SIGN="" OSSL_EC_VERIFY=""
if [ -n "${TRUST_MODE_OF[*]}" ]; then
    echo "== openssl speed -seconds $OSSL_SECONDS ecdsap256 (load average $LOAD_BEFORE)"
    openssl_ecdsa_p256 "$OSSL_SECONDS"
    echo "   sign/s $OSSL_EC_SIGN, verify/s $OSSL_EC_VERIFY (per CPU second, one process)"
fi
declare -A BEST_LINE BEST_RATE BEST_CYCLED LAT_LINE PER_CPU
echo "== throughput: best of $REPS, ${SECONDS_TP}s each after ${WARMUP}s warm-up (load average $(load_avg))"
for rep in $(seq "$REPS"); do
    for kind in relay "${GW_KINDS[@]}"; do
        run_phase "$kind" 0 "$SECONDS_TP" || die "throughput phase $kind failed"
        line=$LINE
        r=$(field "$line" sent_per_s)
        echo "   [$rep] $kind: $r MSU/s accepted, $(field "$line" recv_per_s) delivered, lost $(field "$line" lost), modified $(field "$line" modified), unmatched $(field "$line" unmatched); CPU s: load $(field "$line" cpu_s)$([ -f "$TMP/$kind.cpu" ] && echo ", proxy $(cat "$TMP/$kind.cpu")")"
        [ -z "${TRUST_MODE_OF[$kind]:-}" ] || check_trust "$kind" "$line"
        cycled=0 # a trust run that sent its capture more than once (replays) ranks last
        if [ -n "${TRUST_MODE_OF[$kind]:-}" ] && awk -v p="$(field "$line" passes)" 'BEGIN { exit !(p > 1) }'; then cycled=1; fi
        if [ -z "${BEST_RATE[$kind]:-}" ] || { [ "$cycled" = 0 ] && [ "${BEST_CYCLED[$kind]}" = 1 ]; } ||
            { [ "$cycled" = "${BEST_CYCLED[$kind]}" ] && awk -v a="$r" -v b="${BEST_RATE[$kind]}" 'BEGIN { exit !(a > b) }'; }; then
            BEST_CYCLED[$kind]=$cycled
            BEST_RATE[$kind]=$r
            BEST_LINE[$kind]=$line
            [ -f "$TMP/$kind.status" ] && cp "$TMP/$kind.status" "$TMP/$kind.best-status"
            [ -f "$TMP/$kind.cpu" ] && cp "$TMP/$kind.cpu" "$TMP/$kind.best-cpu"
            [ -f "$TMP/$kind.din" ] && cp "$TMP/$kind.din" "$TMP/$kind.best-din"
            [ -f "$TMP/$kind.sign" ] && cp "$TMP/$kind.sign" "$TMP/$kind.best-sign"
        fi
    done
done

if [ "$REPS_LAT" -gt 0 ]; then
    echo "== latency at $RATE msg/s, ${SECONDS_LAT}s each, lowest p99 of $REPS_LAT"
fi
for rep in $(seq "$REPS_LAT"); do
    for kind in direct relay "${GW_KINDS[@]}"; do
        run_phase "$kind" "$RATE" "$SECONDS_LAT" || die "latency phase $kind failed"
        line=$LINE
        echo "   [$rep] $kind: p50 $(field "$line" p50_us) us, p99 $(field "$line" p99_us) us, max $(field "$line" max_us) us, lost $(field "$line" lost)"
        [ -z "${TRUST_MODE_OF[$kind]:-}" ] || check_trust "$kind" "$line"
        if [ -z "${LAT_LINE[$kind]:-}" ] ||
            awk -v a="$(field "$line" p99_us)" -v b="$(field "${LAT_LINE[$kind]}" p99_us)" 'BEGIN { exit !(a < b) }'; then
            LAT_LINE[$kind]=$line
        fi
    done
done
LOAD_AFTER=$(load_avg)
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
HEADLINE=${GW_KINDS[0]}
for k in gw-policy gw-trust; do
    if [ -n "${BEST_RATE[$k]:-}" ]; then HEADLINE=$k; fi
done
cat <<EOF

==================== paste into docs/BENCHMARKS.md ====================
$(run_header "")
Traffic: \`ssgw attack --attack-ratio 0 --count $COUNT --seed $SEED\` (legit roaming traffic), $(field "${BEST_LINE[relay]}" templates) DATA messages cycled; \
$(field "${BEST_LINE[relay]}" from_sink) of them outbound (OPC $HOME_PC: sent sink → load), the rest inbound; \
M3UA over TCP on 127.0.0.1; load average $LOAD_BEFORE before, $LOAD_AFTER after; CPU steal during the run ${STEAL_PCT} %${WORKERS:+; [gateway] workers = $WORKERS}.
EOF
for kind in "${GW_KINDS[@]}"; do
    [ -n "${TRUST_MODE_OF[$kind]:-}" ] || continue
    l=${BEST_LINE[$kind]}
    echo "Trust row $kind: \`ssgw attack --attack-ratio 0 --count $(trust_count "${TRUST_MODE_OF[$kind]}") --seed $SEED\` signed before each phase ($(cat "$TMP/$kind.best-sign")), $(field "$l" templates) DATA messages, $(field "$l" from_sink) outbound, passes $(field "$l" passes) in the best run (at most 1 with --once: no token sent twice, no replays counted as crypto operations)$([ "$(field "$l" once_short)" = 1 ] && echo "; its window was cut short at $(field "$l" window_s) s when the capture ran out (raise TRUST_COUNT_*)")."
done
cat <<EOF

Throughput (best of $REPS × ${SECONDS_TP} s, as fast as the proxy takes them):

| proxy | MSU/s accepted | delivered/s | × plain relay | lost | modified | unmatched | dropped/answered by the gateway | proxy CPU s | messages per proxy CPU s |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |
EOF
for kind in relay "${GW_KINDS[@]}"; do
    l=${BEST_LINE[$kind]}
    cpu="-" per_cpu="-"
    if [ -f "$TMP/$kind.best-cpu" ] && [ -f "$TMP/$kind.best-status" ]; then
        cpu=$(cat "$TMP/$kind.best-cpu")
        per_cpu=$(python3 -c 'import json, sys; print("%.0f" % (json.load(open(sys.argv[1]))["counters"]["data_in"] / float(sys.argv[2])))' \
            "$TMP/$kind.best-status" "$cpu" 2>/dev/null || echo "?")
    elif [ -f "$TMP/$kind.best-cpu" ] && [ -f "$TMP/$kind.best-din" ]; then
        cpu=$(cat "$TMP/$kind.best-cpu")
        per_cpu=$(calc "%.0f" "$(cat "$TMP/$kind.best-din") / ($cpu + 0.000001)")
    fi
    PER_CPU[$kind]=$per_cpu
    echo "| ${KIND_TITLE[$kind]} | $(field "$l" sent_per_s) | $(field "$l" recv_per_s) | $(calc "%.2f" "$(field "$l" sent_per_s) / $RELAY_RATE") | $(field "$l" lost) | $(field "$l" modified) | $(field "$l" unmatched) | $([[ $kind == gw-* ]] && drops "$kind" || echo -) | $cpu | $per_cpu |"
done

if [ -n "${TRUST_MODE_OF[*]}" ]; then
    cat <<EOF

Signing and verification in the best throughput run of each trust row (gateway status
counters over the gateway's life; per second = accepted MSU/s × share of messages; CPU =
utime + stime of \`ssgw run\`). openssl speed -seconds $OSSL_SECONDS ecdsap256, same run: sign $OSSL_EC_SIGN/s, verify $OSSL_EC_VERIFY/s per CPU second.

| row | messages in / out | verified ok | signature checked | signed | other outcomes | verify/s | sign/s | gateway CPU s | crypto ops per gateway CPU s | openssl, same mix, one core | gateway / openssl (per CPU s) | gateway / openssl (wall) |
| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
    for kind in "${GW_KINDS[@]}"; do
        [ -n "${TRUST_MODE_OF[$kind]:-}" ] || continue
        read -r ok inb outb chk sgn strp held refused rest <<<"$(trust_counts "$TMP/$kind.best-status")"
        cpu=$(cat "$TMP/$kind.best-cpu")
        r=${BEST_RATE[$kind]}
        vps=$(calc "%.0f" "$r * $chk / ($inb + $outb)")
        sps=$(calc "%.0f" "$r * $sgn / ($inb + $outb)")
        opc=$(calc "%.0f" "($chk + $sgn) / $cpu")
        if [ "${TRUST_MODE_OF[$kind]}" = ecdsa-p256 ]; then
            mix=$(calc "%.0f" "($chk + $sgn) / ($chk / $OSSL_EC_VERIFY + $sgn / $OSSL_EC_SIGN)")
            rcpu=$(calc "%.2f" "$opc / $mix")
            rwall=$(calc "%.2f" "$vps / $OSSL_EC_VERIFY + $sps / $OSSL_EC_SIGN")
        else
            mix="- (target 1,000,000)" rcpu=$(calc "%.2f" "$opc / 1000000") rwall="-"
        fi
        echo "| ${TRUST_MODE_OF[$kind]} | $inb / $outb | $ok | $chk | $sgn | $rest | $vps | $sps | $cpu | $opc | $mix | $rcpu | $rwall |"
        TRUST_SUMMARY+=("${TRUST_MODE_OF[$kind]}: $((vps + sps)) crypto ops/s (verify $vps + sign $sps) while accepting $r MSU/s; $opc ops per gateway CPU second = ${rcpu}× $([ "$mix" = "- (target 1,000,000)" ] && echo "the 1,000,000 msg/s per core target" || echo "openssl's $mix/s for the same verify/sign mix on one core") (the gateway's CPU also decodes, runs the policy and moves the bytes)")
    done
fi

if [ "$REPS_LAT" -gt 0 ]; then
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
fi
echo
for n in "${NOTES[@]}"; do echo "- $n"; done
echo "- proxy CPU s: utime + stime of \`ssgw run\` over its life (start, warm-up, window, drain); messages per proxy CPU s = its status data_in / that, a rate that does not depend on how much of the CPU other programs took; for the plain relay, its own count and getrusage at exit (bench/relay_plain.c). The MSU/s ratio of a saturated gateway is bounded by the load generator's speed in the relay's run; the CPU ratio is the gateway's own work against the relay's"
if [ -n "${TRUST_MODE_OF[*]}" ]; then
    echo "- trust rows: messages the gateway strips or signs arrive as \`modified\` (their Correlation Id is kept; before commit 6990ca9+1 they arrived \`unmatched\`); \`lost\` counts sent - received, answers included"
    for kind in "${GW_KINDS[@]}"; do
        [ -n "${TRUST_MODE_OF[$kind]:-}" ] || continue
        if [ "$REPS_LAT" -gt 0 ] && awk -v r="${BEST_RATE[$kind]}" -v t="$RATE" 'BEGIN { exit !(r < t) }'; then
            echo "- ${KIND_TITLE[$kind]}: its throughput (${BEST_RATE[$kind]} MSU/s) is below the latency phase's $RATE msg/s: that latency is queueing, not processing"
        fi
    done
fi
for kind in "${GW_KINDS[@]}"; do
    r=${BEST_RATE[$kind]}
    ratio=$(calc "%.2f" "$r / $RELAY_RATE")
    lat=""
    if [ "$REPS_LAT" -gt 0 ]; then
        add99=$(calc "%.1f" "$(field "${LAT_LINE[$kind]}" p99_us) - $(field "${LAT_LINE[relay]}" p99_us)")
        relay99=$(field "${LAT_LINE[relay]}" p99_us)
        if awk -v r="$relay99" 'BEGIN { exit !(r > 200) }'; then
            lat_verdict="INCONCLUSIVE: the plain relay's own p99 is $relay99 µs, the machine's noise is larger than the target"
        else
            lat_verdict=$(verdict_le "$add99" 200)
        fi
        lat=", p99 added latency ${add99} µs (target ≤ 200: $lat_verdict)"
    fi
    cpu_ratio=""
    if [[ ${PER_CPU[$kind]:-} =~ ^[0-9]+$ ]] && [[ ${PER_CPU[relay]:-} =~ ^[0-9]+$ ]] && [ "${PER_CPU[relay]}" -gt 0 ]; then
        cpu_ratio=" (messages per CPU second: $(calc "%.2f" "${PER_CPU[$kind]} / ${PER_CPU[relay]}")× the relay's)"
    fi
    echo "- ${KIND_TITLE[$kind]}: $r MSU/s (target 300,000: $(verdict_ge "$r" 300000)), \
${ratio}× the plain relay (target 0.70: $(verdict_ge "$ratio" 0.70))$cpu_ratio$lat"
done
for t in "${TRUST_SUMMARY[@]}"; do echo "- trust $t"; done
echo "- the targets are for policy on; the headline row is ${KIND_TITLE[$HEADLINE]}"
echo "======================================================================="
