#!/usr/bin/env bash
# run-state.sh - the shared state store (Redis, Redis Cluster) against the embedded one, in
# the same run on the same input (DESIGN.md section 7: Redis back end >= 50 % of the
# embedded store's throughput, p99 added latency <= 1 ms; memory per subscriber recorded).
#
#   bench/run-state.sh            # from the repository root (or anywhere)
#
# Steps:
#   1. Release build into BUILD_DIR; a standalone redis-server and a Redis Cluster of 3
#      masters + 3 replicas (redis-cli --cluster create) on free 127.0.0.1 ports, started
#      here, with no persistence, stopped at the end.
#   2. `ssgw analyze --config POLICY CAPTURE` (the summary; the command users run) on
#      `ssgw attack --count COUNT --seed SEED`: embedded, --state redis://standalone,
#      --state redis://cluster-seeds, alternating, best of REPS (FLUSHALL before each run:
#      every run starts from an empty state, as the embedded one does). msg/s = messages /
#      wall seconds of the one-threaded analysis ("per core" for ssgw; the redis-servers'
#      CPU seconds during the best run are printed beside it). The verdict counts of the
#      three must be equal.
#   3. MEMORY USAGE: after a Redis analysis, the average MEMORY USAGE of the location keys
#      (one per subscriber learnt) and used_memory / subscribers (everything: marks,
#      dialogues, buckets, replay keys, Redis overhead).
#   4. The live proxy: bench/run-proxy.sh three times (ROWS=gw-norate, TRUST=0, WORKERS=1:
#      a gateway with a Redis store inspects on a thread, so the embedded row does too),
#      POLICY = POLICY, POLICY + [state] redis, POLICY + [state] cluster; throughput as fast
#      as the gateway takes it and p99 added latency at RATE MSU/s over the plain relay.
#
# Environment (all optional):
#   COUNT=200000 SEED=1 REPS=3   POLICY=<repo>/examples/ssgw.conf
#   BUILD_DIR=<repo>/build-bench  SKIP_BUILD=1 (reuse)  EXTRA_CFLAGS=""
#   PROXY=1 (0: skip step 4)  PROXY_REPS=3  RATE=20000  (passed to run-proxy.sh as REPS,
#   REPS_LAT, RATE)   KEEP_TMP=1 (keep the temp dir)
set -euo pipefail

BENCH_NAME=run-state.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COUNT=${COUNT:-200000}
SEED=${SEED:-1}
REPS=${REPS:-3}
POLICY=${POLICY:-$ROOT/examples/ssgw.conf}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
PROXY=${PROXY:-1}
PROXY_REPS=${PROXY_REPS:-3}
RATE=${RATE:-20000}
command -v redis-server >/dev/null || die "redis-server is not installed (scripts/deps)"

bench_build "$BUILD_DIR" ssgw-cli bench_proxy_load
SSGW=$BUILD_DIR/ssgw
TMP=$(mktemp -d /tmp/ssgw-statebench.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "$BENCH_NAME: files left in $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

# a free port whose cluster bus port (+10000) is free too
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 30000))
        ss -Hltn "sport = :$p" | grep -q . || ss -Hltn "sport = :$((p + 10000))" | grep -q . ||
            { echo "$p"; return; }
    done
}
# redis PORT EXTRA...: a redis-server in $TMP/PORT, waited for (its PONG)
redis() {
    local port=$1
    shift
    mkdir -p "$TMP/$port"
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$TMP/$port" \
        --logfile "$TMP/$port/log" "$@" &
    PIDS+=($!)
    for _ in $(seq 600); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && return 0; sleep 0.05; done
    die "redis-server on port $port did not start: $(tail -3 "$TMP/$port/log" 2>/dev/null)"
}
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime, in ticks

echo "== redis: one standalone, one cluster of 3 masters + 3 replicas"
SA=$(free_port)
redis "$SA"
CL=()
for _ in 1 2 3 4 5 6; do
    p=$(free_port)
    CL+=("$p")
    redis "$p" --cluster-enabled yes --cluster-config-file "nodes-$p.conf" --cluster-node-timeout 2000
done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${CL[@]}") --cluster-replicas 1 --cluster-yes >"$TMP/create.log" ||
    die "redis-cli --cluster create failed ($TMP/create.log)"
for _ in $(seq 400); do
    ok=1
    for p in "${CL[@]}"; do redis-cli -p "$p" cluster info | grep -q cluster_state:ok || ok=0; done
    [ $ok = 1 ] && break
    sleep 0.05
done
[ $ok = 1 ] || die "the cluster did not become ready"
SA_URL=redis://127.0.0.1:$SA
CL_URL=redis://127.0.0.1:${CL[0]},127.0.0.1:${CL[1]}
masters() { redis-cli -p "${CL[0]}" cluster nodes | awk '$3 ~ /master/ { split($2, a, "[:@]"); print a[2] }'; }
flush_all() {
    redis-cli -p "$SA" flushall >/dev/null
    for m in $(masters); do redis-cli -p "$m" flushall >/dev/null; done
}
redis_cpu() { # ticks of every redis-server of a kind (standalone: SA; cluster: all six)
    local sum=0 i
    for i in "$@"; do sum=$((sum + $(cpu_of "${PIDS[$i]}"))); done
    echo "$sum"
}
CLK_TCK=$(getconf CLK_TCK)

PCAP=$TMP/state-$COUNT.pcap
echo "== ssgw attack --count $COUNT --seed $SEED"
"$SSGW" attack --count "$COUNT" --seed "$SEED" --labels - -q "$PCAP"
cat "$PCAP" >/dev/null

declare -A BEST BEST_RCPU BEST_SCPU SUMMARY
KINDS=(embedded redis cluster)
state_arg() {
    case $1 in
    embedded) ;;
    redis) echo "--state $SA_URL" ;;
    cluster) echo "--state $CL_URL" ;;
    esac
}
redis_idx() {
    case $1 in
    redis) echo 0 ;;
    cluster) echo 1 2 3 4 5 6 ;;
    esac
}
LOAD_BEFORE=$(load_avg)
for rep in $(seq "$REPS"); do
    for k in "${KINDS[@]}"; do
        flush_all
        idx=$(redis_idx "$k")
        r0=$([ -n "$idx" ] && redis_cpu $idx || echo 0)
        t0=$(date +%s.%N)
        # shellcheck disable=SC2046
        /usr/bin/time -f "%U %S" -o "$TMP/time" "$SSGW" analyze --config "$POLICY" $(state_arg "$k") "$PCAP" >"$TMP/$k.out"
        t1=$(date +%s.%N)
        r1=$([ -n "$idx" ] && redis_cpu $idx || echo 0)
        secs=$(calc "%.3f" "$t1 - $t0")
        echo "   $k rep $rep: $secs s"
        if [ -z "${BEST[$k]:-}" ] || [ "$(calc "%d" "$secs < ${BEST[$k]}")" = 1 ]; then
            BEST[$k]=$secs
            BEST_RCPU[$k]=$(calc "%.2f" "($r1 - $r0) / $CLK_TCK")
            BEST_SCPU[$k]=$(awk '{ printf "%.2f", $1 + $2 }' "$TMP/time")
            SUMMARY[$k]=$TMP/$k.best
            cp "$TMP/$k.out" "${SUMMARY[$k]}"
        fi
    done
done
# the whole summary (verdicts, counts per check, top GTs and operations) but the state line
verdicts() { grep -v '^state (' "$1"; }
SAME=yes
for k in redis cluster; do
    [ "$(verdicts "${SUMMARY[embedded]}")" = "$(verdicts "${SUMMARY[$k]}")" ] || SAME="NO ($k differs)"
done
# the state line of the Redis runs
stateline() { grep '^state (' "$1" || echo "(no state line)"; }

echo "== MEMORY USAGE after an analysis over the standalone Redis"
flush_all
"$SSGW" analyze --config "$POLICY" --state "$SA_URL" "$PCAP" >/dev/null
redis-cli -p "$SA" --scan --pattern 'ssgw:l{*' >"$TMP/locations" || true
MEM_AVG=$(head -2000 "$TMP/locations" |
    while read -r key; do redis-cli -p "$SA" memory usage "$key"; done |
    awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n; else print 0 }')
SUBS=$(wc -l <"$TMP/locations")
KEYS=$(redis-cli -p "$SA" dbsize)
USED=$(redis-cli -p "$SA" info memory | awk -F: '/^used_memory:/ { print $2 + 0 }')
redis-cli -p "$SA" flushall >/dev/null
EMPTY=$(redis-cli -p "$SA" info memory | awk -F: '/^used_memory:/ { print $2 + 0 }')
PER_SUB=$(calc "%.0f" "($USED - $EMPTY) / ($SUBS > 0 ? $SUBS : 1)")

PROXY_OUT=()
if [ "$PROXY" = 1 ]; then
    for k in "${KINDS[@]}"; do
        pol=$TMP/policy-$k.conf
        url=""
        case $k in
        redis) url=$SA_URL ;;
        cluster) url=$CL_URL ;;
        esac
        # backend and url into the policy's [state] (a section added when it has none)
        awk -v u="$url" 'BEGIN { done = (u == "") }
             { print }
             /^\[state\]/ && !done { print "backend = \"redis\""; print "url = \"" u "\""; done = 1 }
             END { if (!done) { print ""; print "[state]"; print "backend = \"redis\""; print "url = \"" u "\"" } }' \
            "$POLICY" >"$pol"
        flush_all
        echo "== live proxy, state $k: bench/run-proxy.sh (ROWS=gw-norate TRUST=0 WORKERS=1)"
        out=$(BUILD_DIR=$BUILD_DIR SKIP_BUILD=1 ROWS=gw-norate TRUST=0 WORKERS=1 REPS=$PROXY_REPS \
            REPS_LAT=$PROXY_REPS RATE=$RATE POLICY=$pol "$ROOT/bench/run-proxy.sh" 2>&1) ||
            die "run-proxy.sh failed for $k: $(tail -5 <<<"$out")"
        PROXY_OUT+=("#### state: $k" "" "$(sed -n '/paste into docs/,/^=====*$/p' <<<"$out" | sed '1d;$d')" "")
    done
fi

rate() { calc "%.0f" "$COUNT / ${BEST[$1]}"; }
cat <<EOB

==================== paste into docs/BENCHMARKS.md ====================
$(run_header "redis-server $(redis-server --version | awk '{ print $3 }' | sed 's/v=//')")
Capture: \`ssgw attack --count $COUNT --seed $SEED\`, policy $(basename "$POLICY"); standalone Redis and a 3+3
Redis Cluster on 127.0.0.1 (no persistence); load average $LOAD_BEFORE before, $(load_avg) after.

\`ssgw analyze\` (best of $REPS, alternating, empty state before each run):

| state | best seconds | messages/s | × embedded | ssgw CPU s | redis-server CPU s |
| --- | ---: | ---: | ---: | ---: | ---: |
| embedded | ${BEST[embedded]} | $(rate embedded) | 1.00 | ${BEST_SCPU[embedded]} | - |
| Redis (standalone) | ${BEST[redis]} | $(rate redis) | $(calc "%.2f" "${BEST[embedded]} / ${BEST[redis]}") | ${BEST_SCPU[redis]} | ${BEST_RCPU[redis]} |
| Redis Cluster (3+3) | ${BEST[cluster]} | $(rate cluster) | $(calc "%.2f" "${BEST[embedded]} / ${BEST[cluster]}") | ${BEST_SCPU[cluster]} | ${BEST_RCPU[cluster]} |

- same summary (verdicts, counts per check, top GTs and operations) in the three: $SAME
- Redis: $(stateline "${SUMMARY[redis]}")
- Redis Cluster: $(stateline "${SUMMARY[cluster]}")
- target ≥ 50 % of the embedded store: standalone $(verdict_ge "$(calc "%.2f" "${BEST[embedded]} / ${BEST[redis]}")" 0.5), cluster $(verdict_ge "$(calc "%.2f" "${BEST[embedded]} / ${BEST[cluster]}")" 0.5)
- memory: $SUBS subscriber locations, MEMORY USAGE of a location key $MEM_AVG bytes on average (first 2,000);
  used_memory $(calc "%.0f" "$USED - $EMPTY") bytes above an empty Redis for $KEYS keys = **$PER_SUB bytes per subscriber** (everything included)

$(printf '%s\n' "${PROXY_OUT[@]}")
=======================================================================
EOB
