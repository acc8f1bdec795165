#!/usr/bin/env bash
# Old vs new persistence and scoring, side by side in one run: builds eng/bench-onnx against the library as of
# REVISION (default: the commit before ONNX persistence, 6eef79e) and as in this work tree, runs each twice
# alternately, and prints their key=value lines. Takes ~6 minutes on 2 cores. Usage: bash eng/bench-onnx.sh [REVISION]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
revision=${1:-6eef79e}
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-onnx.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/old"
git -C "$root" archive "$revision" | tar -x -C "$work/old"
for side in old new; do
  src="$work/old"; [ "$side" = new ] && src="$root"
  mkdir -p "$work/bench-$side"
  cp "$root/eng/bench-onnx/Program.cs" "$root/eng/bench-onnx/Bench.csproj" "$work/bench-$side/"
  cp "$src/Directory.Build.props" "$src/Directory.Build.targets" "$src/Directory.Packages.props" "$work/bench-$side/"
  mkdir -p "$work/bench-$side/eng" && cp "$src/eng/Versions.props" "$src/eng/TorchSharpNativeCompat.targets" "$work/bench-$side/eng/"
  (cd "$work/bench-$side" && dotnet build -c Release -nologo -v q -p:WeightInitProject="$src/src/Microsoft.ML.WeightInit/Microsoft.ML.WeightInit.csproj" \
     --artifacts-path "$work/artifacts-$side" >"$work/build-$side.log" 2>&1) || { cat "$work/build-$side.log"; exit 1; }
done
for round in 1 2; do
  for side in old new; do
    dll=$(find "$work/artifacts-$side/bin/Bench" -name Bench.dll | head -1)
    echo "$side (round $round): $(dotnet "$dll" | tail -1)"
  done
done
