#!/usr/bin/env bash
# Consumer check: packs Microsoft.ML.WeightInit, creates a brand-new console app in a temporary directory that
# references the package from a local folder feed (the machine's NuGet sources serve the dependencies), trains on
# the bundled sample and saves a model zip, then loads it in a second process and predicts (eng/consumer/Program.cs).
# Then a scoring-only app (eng/consumer-scorer) that references only Microsoft.ML, Microsoft.ML.OnnxTransformer and
# Microsoft.ML.OnnxRuntime (no WeightInit, no TorchSharp in its output folder: checked) loads the 10-class zip and a
# 26-class one in a third and fourth process and checks scores bit for bit, PredictedLabel values and metrics.
# Exits 0 when every step passed. Leaves the repository's bin/obj and the NuGet cache as they were.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/weightinit-consumer.XXXXXX")
version="$(sed -n 's:.*<WeightInitVersionPrefix>\(.*\)</WeightInitVersionPrefix>.*:\1:p' "$root/eng/Versions.props")-check.$(date +%s)$$"
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
cleanup() {
  rm -rf "$work" "${packages%/}/microsoft.ml.weightinit/$version"
  rmdir "${packages%/}/microsoft.ml.weightinit" 2>/dev/null || true
}
trap cleanup EXIT
step() { echo "consumer check: $*"; }

step "packing $version"
dotnet pack "$root/src/Microsoft.ML.WeightInit" -c Release -nologo -v q -o "$work/feed" \
  --artifacts-path "$work/artifacts" -p:Version="$version" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
package="$work/feed/Microsoft.ML.WeightInit.$version.nupkg"
unzip -Z1 "$package" >"$work/entries.txt"
for entry in lib/net10.0/Microsoft.ML.WeightInit.dll lib/net10.0/Microsoft.ML.WeightInit.xml README.md LICENSE \
             buildTransitive/Microsoft.ML.WeightInit.targets data/mnist-sample/README.md; do
  grep -qx "$entry" "$work/entries.txt" || { echo "consumer check: the package lacks $entry"; exit 1; }
done

step "creating the app in $work/app"
mkdir -p "$work/app"
cp "$root/eng/consumer/Program.cs" "$work/app/Program.cs"
cat >"$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="weightinit-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat >"$work/app/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML.WeightInit" Version="$version" />
  </ItemGroup>
</Project>
XML
(cd "$work/app" && dotnet build -c Release -nologo -v q >"$work/build.log" 2>&1) || { cat "$work/build.log"; exit 1; }
app="$work/app/bin/Release/net10.0/Consumer.dll"

step "training and saving (process 1)"
dotnet "$app" train "$work/model.zip"
step "loading and predicting (process 2)"
dotnet "$app" predict "$work/model.zip"
step "creating the scoring-only app in $work/scorer (Microsoft.ML + OnnxTransformer + OnnxRuntime only)"
props="$root/eng/Versions.props"
v() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$props"; }
mkdir -p "$work/scorer"
cp "$root/eng/consumer-scorer/Program.cs" "$work/scorer/Program.cs"
cat >"$work/scorer/Scorer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML" Version="$(v MicrosoftMLVersion)" />
    <PackageReference Include="Microsoft.ML.OnnxTransformer" Version="$(v MicrosoftMLOnnxTransformerVersion)" />
    <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="$(v MicrosoftMLOnnxRuntimeVersion)" />
  </ItemGroup>
</Project>
XML
(cd "$work/scorer" && dotnet build -c Release -nologo -v q >"$work/scorer-build.log" 2>&1) || { cat "$work/scorer-build.log"; exit 1; }
out="$work/scorer/bin/Release/net10.0"
if find "$out" -iname '*torch*' -o -iname '*WeightInit*' | grep -q .; then
  echo "consumer check: the scoring-only app's output folder holds TorchSharp or WeightInit files:"; find "$out" -iname '*torch*' -o -iname '*WeightInit*'; exit 1
fi
step "scoring-only app: output folder has no TorchSharp/libtorch and no Microsoft.ML.WeightInit ($(du -sh "$out" | cut -f1))"
for model in "$work/model.zip" "$work/letters.zip"; do
  step "scoring $(basename "$model") in a new process that has only ML.NET + ONNX Runtime"
  dotnet "$out/Scorer.dll" "$model"
done
step "passed"
