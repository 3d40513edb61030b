#!/usr/bin/env bash
# run-scaling.sh - how `ssgw analyze` scales (issue 16, "a scaling table"): with the number of
# messages at a fixed population, with the population at a fixed number of messages, and
# with its lanes (--threads) on the cores of this machine.
#
#   bench/run-scaling.sh            # from the repository root (or anywhere)
#
# Steps, after a Release build into BUILD_DIR:
#   1. messages: `ssgw attack --count N --subscribers MSG_SUBS --seed SEED` for each N of
#      COUNTS (the same population in every capture, so only the length varies), then
#      `ssgw analyze --config CONFIG CAPTURE > /dev/null` REPS times each: median wall and
#      CPU seconds, messages per CPU second, max RSS and minor page faults (/usr/bin/time).
#      Callgrind counts every instruction of the command on the captures of at most CG_MAX
#      messages; the instructions per message between two lengths,
#      (Ir(N) - Ir(previous N)) / (N - previous N), are the cost of a message with start-up
#      taken out: flat when the cost is linear.
#   2. subscribers: `ssgw attack --count SUBS_COUNT --subscribers S` for each S of SUBS (ours;
#      each of the three partners has a quarter as many), analysed with CONFIG's
#      `[state] subscribers` set to the population (ours and the partners', the store sized
#      to it): the same timings, the max RSS above the smallest population's per subscriber
#      added, and callgrind two-point ((Ir(--limit CG_LARGE) - Ir(--limit CG_SMALL)) /
#      (CG_LARGE - CG_SMALL)), which counts instructions, not the cache misses a large table
#      costs: those show in the CPU seconds.
#   3. lanes: `ssgw analyze --threads T` for T in 1 and THREADS on the capture of step 1 with
#      THREADS_COUNT messages, run in turn REPS times: median wall seconds, speed-up over
#      one lane; the summaries must be identical (same verdicts).
# Then a Markdown block for docs/BENCHMARKS.md ("Scaling of ssgw analyze").
#
# Environment (all optional):
#   COUNTS="10000 100000 1000000 10000000"  MSG_SUBS=20000  CG_MAX=1000000
#   SUBS="10000 1000000 10000000"  SUBS_COUNT=1000000  CG_SMALL=20000  CG_LARGE=220000
#   THREADS=2  THREADS_COUNT=1000000  REPS=3  SEED=1  CALLGRIND=1
#   CONFIG=<repo>/examples/ssgw.conf  BUILD_DIR=<repo>/build-bench  WORK=<BUILD_DIR>/scaling
#   (captures are kept in WORK: 10,000,000 messages are about 2 GB)
set -euo pipefail

BENCH_NAME=run-scaling.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
COUNTS=${COUNTS:-10000 100000 1000000 10000000}
MSG_SUBS=${MSG_SUBS:-20000}
CG_MAX=${CG_MAX:-1000000}
SUBS=${SUBS:-10000 1000000 10000000}
SUBS_COUNT=${SUBS_COUNT:-1000000}
CG_SMALL=${CG_SMALL:-20000}
CG_LARGE=${CG_LARGE:-220000}
THREADS=${THREADS:-2}
THREADS_COUNT=${THREADS_COUNT:-1000000}
REPS=${REPS:-3}
SEED=${SEED:-1}
CALLGRIND=${CALLGRIND:-1}
CONFIG=${CONFIG:-$ROOT/examples/ssgw.conf}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
WORK=${WORK:-$BUILD_DIR/scaling}

[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (Debian package 'time')"
[ "$CALLGRIND" = 0 ] || command -v valgrind >/dev/null || die "valgrind is not installed"
grep -q '^subscribers = ' "$CONFIG" || die "$CONFIG has no 'subscribers = ' line to vary"
case " $COUNTS " in *" $THREADS_COUNT "*) ;; *) die "THREADS_COUNT=$THREADS_COUNT is not in COUNTS" ;; esac
bench_build "$BUILD_DIR" ssgw-cli
SSGW=$BUILD_DIR/ssgw
mkdir -p "$WORK"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# capture N SUBS: the attack capture of N messages with SUBS subscribers of ours, path printed
# (made once; the generator's same seed and options give the same bytes)
capture() {
    local f="$WORK/attack-$1-$2-$SEED.pcap"
    if [ ! -s "$f" ]; then
        echo "== ssgw attack --count $1 --subscribers $2 --seed $SEED" >&2
        "$SSGW" attack --count "$1" --subscribers "$2" --seed "$SEED" --labels - --quiet "$f" ||
            die "ssgw attack failed"
        cat "$f" >/dev/null # page cache
    fi
    echo "$f"
}

# timed CONF CAPTURE ARGS...: REPS runs (T_REPS when set) of `ssgw analyze`; sets T_WALL T_CPU T_RSS T_FLT
# (medians) and T_SUMMARY (the last run's summary)
timed() {
    local conf=$1 pcap=$2 walls="" cpus="" rsss="" flts="" w u s r f
    shift 2
    for _ in $(seq "${T_REPS:-$REPS}"); do
        /usr/bin/time -o "$WORK/time" -f '%e %U %S %M %R' \
            "$SSGW" analyze --config "$conf" "$@" "$pcap" >"$WORK/summary" ||
            die "ssgw analyze $* $pcap failed"
        read -r w u s r f <"$WORK/time"
        walls+="$w"$'\n'
        cpus+="$(calc "%.2f" "$u + $s")"$'\n'
        rsss+="$r"$'\n'
        flts+="$f"$'\n'
    done
    T_WALL=$(median <<<"${walls%$'\n'}")
    T_CPU=$(median <<<"${cpus%$'\n'}")
    T_RSS=$(median <<<"${rsss%$'\n'}")
    T_FLT=$(median <<<"${flts%$'\n'}")
    T_SUMMARY=$(cat "$WORK/summary")
}

# ir CONF CAPTURE ARGS...: callgrind's instruction count of the whole command
ir() {
    local conf=$1 pcap=$2
    shift 2
    valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
        "$SSGW" analyze --config "$conf" "$@" "$pcap" >/dev/null 2>"$WORK/cg.err" ||
        die "callgrind of ssgw analyze $* $pcap failed (see $WORK/cg.err)"
    awk '/^(summary|totals):/ { print $2; exit }' "$WORK/cg.out"
}

LOAD_BEFORE=$(load_avg)

# ---- 1. messages
MSG_ROWS="" prev_n="" prev_ir=""
for n in $COUNTS; do
    pcap=$(capture "$n" "$MSG_SUBS")
    echo "== analyze $n messages ($REPS runs)"
    timed "$CONFIG" "$pcap"
    echo "   wall $T_WALL s, CPU $T_CPU s, max RSS $T_RSS KiB, minor faults $T_FLT"
    cg="-" marg="-"
    if [ "$CALLGRIND" != 0 ] && [ "$n" -le "$CG_MAX" ]; then
        echo "== callgrind: analyze $n messages"
        cg=$(ir "$CONFIG" "$pcap")
        [ -z "$prev_ir" ] || marg=$(calc "%.0f" "($cg - $prev_ir) / ($n - $prev_n)")
        prev_n=$n prev_ir=$cg
        echo "   Ir $cg, per message since the previous length $marg"
    fi
    MSG_ROWS+="| $n | $T_WALL | $T_CPU | $(calc "%.0f" "$n / ($T_CPU > 0 ? $T_CPU : 0.01)") | $(calc "%.0f" "$T_CPU * 1e9 / $n") | $T_RSS KiB | $T_FLT | $cg | $marg |"$'\n'
done

# ---- 2. subscribers
SUB_ROWS="" base_rss="" base_pop=""
for s in $SUBS; do
    pop=$((s + 3 * (s / 4 < 32 ? 32 : s / 4)))
    conf="$WORK/subscribers-$pop.conf"
    sed "s/^subscribers = .*/subscribers = $pop/" "$CONFIG" >"$conf"
    pcap=$(capture "$SUBS_COUNT" "$s")
    echo "== analyze $SUBS_COUNT messages, $s subscribers of ours ($pop in all; $REPS runs)"
    timed "$conf" "$pcap"
    echo "   wall $T_WALL s, CPU $T_CPU s, max RSS $T_RSS KiB, minor faults $T_FLT"
    per_sub="-"
    if [ -z "$base_rss" ]; then
        base_rss=$T_RSS base_pop=$pop
    else
        per_sub=$(calc "%.1f" "($T_RSS - $base_rss) * 1024 / ($pop - $base_pop)")
    fi
    cg="-"
    if [ "$CALLGRIND" != 0 ]; then
        echo "== callgrind: analyze --limit $CG_SMALL / $CG_LARGE, $s subscribers"
        small=$(ir "$conf" "$pcap" --limit "$CG_SMALL")
        large=$(ir "$conf" "$pcap" --limit "$CG_LARGE")
        cg=$(calc "%.0f" "($large - $small) / ($CG_LARGE - $CG_SMALL)")
    fi
    SUB_ROWS+="| $s | $pop | $T_WALL | $T_CPU | $(calc "%.0f" "$SUBS_COUNT / ($T_CPU > 0 ? $T_CPU : 0.01)") | $(calc "%.0f" "$T_CPU * 1e9 / $SUBS_COUNT") | $T_RSS KiB | $per_sub | $T_FLT | $cg |"$'\n'
done

# ---- 3. lanes
pcap=$(capture "$THREADS_COUNT" "$MSG_SUBS")
echo "== analyze --threads 1 / $THREADS, $THREADS_COUNT messages ($REPS runs each, in turn)"
w1s="" wns="" c1s="" cns=""
for _ in $(seq "$REPS"); do
    T_REPS=1 timed "$CONFIG" "$pcap" --threads 1
    w1s+="$T_WALL"$'\n' c1s+="$T_CPU"$'\n' sum1=$T_SUMMARY
    T_REPS=1 timed "$CONFIG" "$pcap" --threads "$THREADS"
    wns+="$T_WALL"$'\n' cns+="$T_CPU"$'\n' sumn=$T_SUMMARY
    [ "$sum1" = "$sumn" ] || die "--threads $THREADS changed the summary of $pcap"
done
W1=$(median <<<"${w1s%$'\n'}") WN=$(median <<<"${wns%$'\n'}")
C1=$(median <<<"${c1s%$'\n'}") CN=$(median <<<"${cns%$'\n'}")
SPEEDUP=$(calc "%.2f" "$W1 / ($WN > 0 ? $WN : 0.01)")
echo "   1 lane: wall $W1 s, CPU $C1 s; $THREADS lanes: wall $WN s, CPU $CN s; speed-up $SPEEDUP"

cat <<EOB

==================== paste into docs/BENCHMARKS.md ====================
$(run_header)
Policy $(basename "$CONFIG"); captures \`ssgw attack --seed $SEED\`, page cache warm; $REPS runs each,
medians; load average $LOAD_BEFORE before, $(load_avg) after.

Messages (\`ssgw attack --count N --subscribers $MSG_SUBS\`; \`ssgw analyze --config $(basename "$CONFIG") CAPTURE\`):

| messages | wall s | CPU s | messages / CPU s | CPU ns / message | max RSS | minor faults | Ir (callgrind) | instructions / message since the previous row |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${MSG_ROWS%$'\n'}

Subscribers (\`ssgw attack --count $SUBS_COUNT --subscribers S\`, \`[state] subscribers\` = the population):

| subscribers of ours (S) | population (S + partners' 3 × S/4) | wall s | CPU s | messages / CPU s | CPU ns / message | max RSS | RSS bytes per subscriber added | minor faults | instructions / message (callgrind, --limit $CG_SMALL..$CG_LARGE) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${SUB_ROWS%$'\n'}

Lanes (\`ssgw analyze --threads T\`, $THREADS_COUNT messages, $(nproc) CPUs; summaries identical):

| lanes | wall s | CPU s | speed-up (wall) |
| ---: | ---: | ---: | ---: |
| 1 | $W1 | $C1 | 1.00 |
| $THREADS | $WN | $CN | **$SPEEDUP** |

- --threads $THREADS: ${SPEEDUP}× one lane (target ≥ 1.8 on 2 cores: $(verdict_ge "$SPEEDUP" 1.8))
EOB
echo "======================================================================="
