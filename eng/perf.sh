#!/usr/bin/env bash
# Runs the headline performance set (BenchmarkDotNet, in one process) and prints one Markdown table.
# Usage: bash eng/perf.sh [--data DIR] [--iterations N]    (full MNIST is acquired as the Examples app does)
# Takes about 10 minutes on 2 cores; run it on a quiet machine: every figure of the table comes from this one run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
project="$root/test/Microsoft.ML.WeightInit.PerformanceTests"
dotnet build -c Release "$project" -v q -nologo >/dev/null
out="$root/artifacts/perf"
mkdir -p "$out"
cd "$out"   # BenchmarkDotNet writes its artifacts under the working directory
dotnet "$project/bin/Release/net10.0/Microsoft.ML.WeightInit.PerformanceTests.dll" headline "$@" | tee "$out/benchmark-output.txt" \
  | sed -n '/^Performance, /,$p' > "$out/headline.md"
echo
cat "$out/headline.md"
