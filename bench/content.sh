#!/usr/bin/env bash
# Throughput of `layerfn check --content` against sha256sum over the same bytes (issue: verify layer content).
#
#   bench/content.sh [RUNS]        RUNS alternating runs of each (default 3)
#
# Generates once a root of 24 layers whose files hold 32 MiB each (about 1.5 GiB of layer content) under
# $BENCH_DIR (default /var/tmp/layerfn-bench), then times `layerfn check ROOT --content --json > /dev/null`
# and `cat <every content file> | sha256sum` alternately; prints median wall times, the throughput of each,
# layerfn's share of sha256sum's throughput, and layerfn's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
BENCH_DIR=${BENCH_DIR:-/var/tmp/layerfn-bench}
OUT=$BENCH_DIR/out
ROOT=$BENCH_DIR/content-root
mkdir -p "$OUT"
dotnet publish src/LayerFunctional.Cli -c Release -o "$OUT/layerfn" > "$OUT/publish.txt" 2>&1 || { cat "$OUT/publish.txt"; exit 1; }
LAYERFN="$OUT/layerfn/layerfn"
[ -d "$ROOT/image" ] || "$LAYERFN" generate "$ROOT" --seed 11 --layers 24 --mounts 0 --images 1 --file-size 33554432 > /dev/null
find "$ROOT/overlay2" -path '*/diff/*' -type f | sort > "$OUT/content-files.txt"
BYTES=$(xargs -a "$OUT/content-files.txt" -d '\n' stat -c %s | awk '{s += $1} END {print s}')
timed() { /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > /dev/null 2>&1 || true; cat "$OUT/time.txt"; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2] + a[NR/2+1]) / 2}'; }
: > "$OUT/check.txt"; : > "$OUT/sha.txt"
for _ in $(seq "$RUNS"); do
  timed "$LAYERFN" check "$ROOT" --content --json >> "$OUT/check.txt"
  timed sh -c "xargs -a '$OUT/content-files.txt' -d '\n' cat | sha256sum" >> "$OUT/sha.txt"
done
cw=$(cut -d' ' -f1 "$OUT/check.txt" | median); sw=$(cut -d' ' -f1 "$OUT/sha.txt" | median)
rss=$(cut -d' ' -f2 "$OUT/check.txt" | median)
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); date: $(date -u +%Y-%m-%dT%H:%MZ); runs: $RUNS"
awk -v b="$BYTES" -v c="$cw" -v s="$sw" -v r="$rss" 'BEGIN {
  printf "content: %.2f GiB\n", b / 1073741824;
  printf "layerfn check --content: %s s median, %.0f MiB/s, peak RSS %d MB\n", c, b / 1048576 / c, r / 1024;
  printf "cat | sha256sum:         %s s median, %.0f MiB/s\n", s, b / 1048576 / s;
  printf "layerfn throughput / sha256sum throughput: %.2f\n", s / c }'
