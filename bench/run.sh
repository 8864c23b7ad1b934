#!/usr/bin/env bash
# Whole-process benchmark of `layerfn check` against the C read floor (../shared/bench/readtree.c).
#
#   bench/run.sh [RUNS]            RUNS warm rounds (default 5); each round times every command on each root in turn
#   MODES="aot jit" bench/run.sh   which builds of layerfn to time (default both): "aot" is the Native AOT
#                                  publish (the fast one), "jit" the framework-dependent publish (dotnet tool)
#
# Generates (once, with the project's generator and fixed seeds) a root of 10,000 layers + 1,000 mounts
# and one of 100,000 layers + 10,000 mounts under $BENCH_DIR (default /var/tmp/layerfn-bench, on disk),
# builds readtree with gcc and zlib, publishes layerfn (Release; Native AOT and JIT), then times `layerfn check --json > /dev/null`,
# `readtree check <root>` (the floor: what a full check must read) and `readtree moby <layerdb>` alternately with /usr/bin/time. Prints medians of wall time and CPU
# time (user+sys), the ratio check/floor, and peak RSS. "cold" is the first run after the page cache
# was dropped (as root) or after generation (otherwise); "warm" the medians of the rounds after it, which alternate the
# roots as well as the commands (the scaling figure compares runs made in the same minutes), with what each warm check read
# from disk (/proc/vmstat pgpgin: a host that reclaims idle page cache makes "warm" runs read again).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
BENCH_DIR=${BENCH_DIR:-/var/tmp/layerfn-bench}
SHARED=${LAYERFN_SHARED:-../shared}
OUT=$BENCH_DIR/out
mkdir -p "$OUT"
command -v gcc > /dev/null || { echo "bench: gcc is needed for the C floor (apt-get install gcc)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
[ -f "$SHARED/bench/readtree.c" ] || { echo "bench: $SHARED/bench/readtree.c not found (set LAYERFN_SHARED)" >&2; exit 2; }

# The check floor needs zlib (tar-split is inflated to the end): -DWITH_ZLIB ... -lz.
[ -f /usr/include/zlib.h ] || { echo "bench: zlib's header is needed for readtree's check mode (apt-get install zlib1g-dev)" >&2; exit 2; }
gcc -O2 -pthread -DWITH_ZLIB -o "$OUT/readtree" "$SHARED/bench/readtree.c" -lz
MODES=${MODES:-aot jit}
case "$(uname -m)" in x86_64) RID=linux-x64 ;; aarch64) RID=linux-arm64 ;; *) RID="" ;; esac
for mode in $MODES; do
  case $mode in
    aot) [ -n "$RID" ] || { echo "bench: no Native AOT runtime identifier for $(uname -m)" >&2; exit 2; }
         # Native AOT needs gcc (present: it built readtree) and takes one to two minutes.
         args=(-r "$RID" -p:PublishAot=true) ;;
    jit) args=() ;;
    *) echo "bench: unknown mode $mode (aot, jit)" >&2; exit 2 ;;
  esac
  dotnet publish src/LayerFunctional.Cli -c Release "${args[@]}" -o "$OUT/layerfn-$mode" > "$OUT/publish-$mode.txt" 2>&1 \
    || { cat "$OUT/publish-$mode.txt"; exit 1; }
done
LAYERFN="$OUT/layerfn-${MODES%% *}/layerfn"

drop_caches() { if [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/drop_caches ]; then sync; echo 3 > /proc/sys/vm/drop_caches; echo dropped; else echo not-dropped; fi; }

# One timed run: prints "wall cpu rss_kb".
timed() { /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > /dev/null 2>&1 || true; awk '{printf "%.3f %.3f %d\n", $1, $2 + $3, $4}' "$OUT/time.txt"; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(dotnet --version) SDK; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); warm rounds: $RUNS (each times every command on each root in turn)"
declare -A warm_cpu warm_floor disk mounts
printf '%-22s %-4s %-6s %10s %10s %10s %10s %8s %10s %12s\n' root mode cache check_wall check_cpu floor_wall floor_cpu ratio moby_cpu check_rss_MB

# Disk reads (KiB) since boot, to show whether a "warm" run read from disk (a host that reclaims idle page cache makes it do so).
pages_in() { awk '/^pgpgin / {print $2}' /proc/vmstat 2>/dev/null || echo 0; }
sizes=(10000 100000)
for spec in "10000 1000 100 1" "100000 10000 1000 2"; do
  set -- $spec
  root="$BENCH_DIR/root-$1"
  if [ ! -d "$root/image" ]; then
    rm -rf "$root"
    "$LAYERFN" generate "$root" --seed "$4" --layers "$1" --mounts "$2" --images "$3" > /dev/null
  fi
  mounts[$1]=$2
  # Cold: the first run of each command after the page cache was dropped (or after generation).
  db="$root/image/overlay2/layerdb"
  for mode in $MODES; do
    state=$(drop_caches)
    read -r cw cc crss < <(timed "$OUT/layerfn-$mode/layerfn" check "$root" --json)
    state2=$(drop_caches)
    read -r fw fc _ < <(timed "$OUT/readtree" check "$root")
    state3=$(drop_caches)
    read -r _ mc _ < <(timed "$OUT/readtree" moby "$db")
    printf '%-22s %-4s %-6s %10s %10s %10s %10s %8s %10s %12s\n' "$1+$2" "$mode" "cold" "$cw" "$cc" "$fw" "$fc" \
      "$(awk -v a="$cc" -v b="$fc" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" "$mc" "$((crss / 1024))"
    for f in check-$mode floor moby disk-$mode; do : > "$OUT/$f-$1.txt"; done
  done
done
# Warm: rounds that alternate the roots as well as the commands, so that both sizes (and the floor) are timed under the same
# machine conditions: on a shared host the speed drifts by 10 % and more within minutes, and a scaling figure from two
# different stretches of time measures that drift.
for _ in $(seq "$RUNS"); do
  for n in "${sizes[@]}"; do
    root="$BENCH_DIR/root-$n"; db="$root/image/overlay2/layerdb"
    for mode in $MODES; do
      before=$(pages_in)
      timed "$OUT/layerfn-$mode/layerfn" check "$root" --json >> "$OUT/check-$mode-$n.txt"
      echo $(( $(pages_in) - before )) >> "$OUT/disk-$mode-$n.txt"
    done
    timed "$OUT/readtree" check "$root" >> "$OUT/floor-$n.txt"
    timed "$OUT/readtree" moby "$db" >> "$OUT/moby-$n.txt"
  done
done
for n in "${sizes[@]}"; do
  for mode in $MODES; do
    c="$OUT/check-$mode-$n.txt"
    cw=$(cut -d' ' -f1 "$c" | median); cc=$(cut -d' ' -f2 "$c" | median); crss=$(cut -d' ' -f3 "$c" | median)
    fw=$(cut -d' ' -f1 "$OUT/floor-$n.txt" | median); fc=$(cut -d' ' -f2 "$OUT/floor-$n.txt" | median)
    mc=$(cut -d' ' -f2 "$OUT/moby-$n.txt" | median)
    printf '%-22s %-4s %-6s %10s %10s %10s %10s %8s %10s %12s\n' "$n+${mounts[$n]}" "$mode" "warm" "$cw" "$cc" "$fw" "$fc" \
      "$(awk -v a="$cc" -v b="$fc" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" "$mc" "$(awk -v k="$crss" 'BEGIN {printf "%d", k / 1024}')"
    warm_cpu[$mode-$n]=$cc
    warm_floor[$n]=$fc
    disk[$mode-$n]=$(median < "$OUT/disk-$mode-$n.txt")
  done
done
for mode in $MODES; do
  echo "scaling ($mode): warm check CPU time, 100,000 layers / 10,000 layers = $(awk -v a="${warm_cpu[$mode-100000]}" -v b="${warm_cpu[$mode-10000]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" \
    "(the floor's own: $(awk -v a="${warm_floor[100000]}" -v b="${warm_floor[10000]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'));" \
    "read from disk during a warm check, median: ${disk[$mode-10000]} KiB at 10,000 layers, ${disk[$mode-100000]} KiB at 100,000"
done
echo "(floor = readtree check: everything a full check reads, unparsed; ratio = CPU time (user+sys) of check / CPU time of that floor;"
echo " moby_cpu = readtree moby: the five layerdb files per layer, as moby reads them; same run, alternating; cache drop: $state)"
