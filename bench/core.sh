#!/usr/bin/env bash
# BenchmarkDotNet benchmarks of the pure core (bench/LayerFunctional.Benchmarks): LayerStoreLoad.Load, reading
# the reference counts, ChainID recomputation and RootChecks.Run, on in-memory roots of 10,000 layers + 1,000
# mounts and 100,000 layers + 10,000 mounts made by the project's generator (seeds and sizes of bench/run.sh).
# Reports mean time and bytes allocated per call. Setup is not timed but takes about 40 s and 2 GB per
# benchmark at 100,000 layers (each benchmark runs in its own process).
#
#   bench/core.sh                          BenchmarkDotNet's default job (many iterations: long)
#   bench/core.sh --job short              a short job (3 warm-ups, 3 iterations): about 6 minutes on 2 cores
#   bench/core.sh --job dry                one call each: checks that everything runs, numbers meaningless
#   bench/core.sh --job short --exporters json   any further arguments go to BenchmarkDotNet as they are
#
# Results go to BenchmarkDotNet.Artifacts/ (ignored by git); bench/core-results.md holds a recorded run.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/LayerFunctional.Benchmarks -- --filter '*' "$@"
