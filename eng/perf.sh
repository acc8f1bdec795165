#!/usr/bin/env bash
# Runs the headline performance set (BenchmarkDotNet, in one process) and prints one Markdown table, then the
# contention table: the default thread use vs --threads 1 vs --threads 2, idle and with 1 and 2 foreign busy threads
# (started and stopped by this script), one probe process per measurement, interleaved.
# Usage: bash eng/perf.sh [--data DIR] [--iterations N] [--contention-only] [--contention-reps N] [--contention-seconds S]
#                         [--ops-only [--rounds N]] [--scaling-only] [--no-contention]
#   (full MNIST is acquired as the Examples app does, or read from --data DIR; the contention table uses the bundled
#   sample). The headline run ends with the per-op profile of a training step (libtorch conv1 vs the fused kernel).
#   --ops-only: only the per-op profile (~1 min); --scaling-only: only fit time per image at 6k/15k/30k/60k rows,
#   1 vs 2 threads and the peak RSS of a 5-epoch fit (~5 min); --no-contention: the headline without the contention table.
# Takes about 10 minutes (+ ~3 for the contention table) on 2 cores; run it on a quiet machine: every figure of the
# table comes from this one run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
project="$root/test/Microsoft.ML.WeightInit.PerformanceTests"
dll="$project/bin/Release/net10.0/Microsoft.ML.WeightInit.PerformanceTests.dll"
contention_only=0 no_contention=0 only="" reps=3 seconds=6 headline_args=()
while (($#)); do
  case "$1" in
    --contention-only) contention_only=1 ;;
    --no-contention) no_contention=1 ;;
    --ops-only) only=op-profile ;;
    --scaling-only) only=scaling ;;
    --contention-reps) reps=$2; shift ;;
    --contention-seconds) seconds=$2; shift ;;
    *) headline_args+=("$1") ;;
  esac
  shift
done
dotnet build -c Release "$project" -v q -nologo >/dev/null
out="$root/artifacts/perf"
mkdir -p "$out"
cd "$out"   # BenchmarkDotNet writes its artifacts under the working directory
if [[ -n "$only" ]]; then
  dotnet "$dll" "$only" "${headline_args[@]}" | tee "$out/$only.txt"
  exit 0
fi
if ((!contention_only)); then
  dotnet "$dll" headline "${headline_args[@]}" | tee "$out/benchmark-output.txt" \
    | sed -n '/^Performance, /,$p' > "$out/headline.md"
fi
if ((no_contention)); then
  echo; cat "$out/headline.md"
  exit 0
fi

# Contention: foreign single-threaded busy loops, as another program on the machine would run.
busy=()
stop_busy() { for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done; busy=(); }
trap stop_busy EXIT
raw="$out/contention-raw.txt"
: > "$raw"
for load in 0 1 2; do
  for ((i = 0; i < load; i++)); do sh -c 'while :; do :; done' & busy+=($!); done
  for ((rep = 1; rep <= reps; rep++)); do
    # Interleaved, so that other load on the machine falls on every configuration alike. "spin-default" is the default
    # with libgomp's own spin-wait (GOMP_SPINCOUNT=300000, what ran before the library set OMP_WAIT_POLICY=PASSIVE);
    # "one-graph-2" is 2 threads on one graph per batch (what ran before the library split batches across threads).
    for config in default threads-1 threads-2 spin-default one-graph-2; do
      case "$config" in
        default) result=$(dotnet "$dll" contention-probe --seconds "$seconds") ;;
        threads-1) result=$(dotnet "$dll" contention-probe --threads 1 --seconds "$seconds") ;;
        threads-2) result=$(dotnet "$dll" contention-probe --threads 2 --seconds "$seconds") ;;
        spin-default) result=$(GOMP_SPINCOUNT=300000 dotnet "$dll" contention-probe --seconds "$seconds") ;;
        one-graph-2) result=$(dotnet "$dll" contention-probe --threads 2 --one-graph --seconds "$seconds") ;;
      esac
      echo "$load $config $result" | tee -a "$raw"
    done
  done
  stop_busy
done
dotnet "$dll" contention-table "$raw" > "$out/contention.md"
echo
if ((!contention_only)); then cat "$out/headline.md"; echo; fi
cat "$out/contention.md"
