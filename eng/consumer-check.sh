#!/usr/bin/env bash
# Consumer check: packs the repository (Microsoft.ML.WeightInit, .Experiments, .Hangfire and the dotnet tool
# Microsoft.ML.WeightInit.Cli, as `dotnet pack Extensions.sln` does) into a local folder feed, then, each in a temporary directory, as a
# user would (the machine's NuGet sources serve the dependencies):
# 1. a brand-new console app that references only Microsoft.ML.WeightInit trains on the bundled sample, evaluates and
#    saves a model zip (its output folder must hold no CsvHelper and no MathNet.Numerics), then loads it in a second
#    process and predicts (eng/consumer/Program.cs);
# 2. a scoring-only app (eng/consumer-scorer) that references only Microsoft.ML, Microsoft.ML.OnnxTransformer and
#    Microsoft.ML.OnnxRuntime (no WeightInit, no TorchSharp in its output folder: checked) loads the 10-class zip and a
#    26-class one in a third and fourth process and checks scores bit for bit, PredictedLabel values and metrics;
# 3. an app that references Microsoft.ML.WeightInit.Experiments runs a tiny initializer comparison
#    (eng/consumer-experiments/Program.cs);
# 4. the tool installs from the feed (`dotnet tool install --tool-path`), and `weightinit --help` and
#    `weightinit train --sample` run.
# Exits 0 when every step passed. Leaves the repository's bin/obj and the NuGet cache as they were.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/weightinit-consumer.XXXXXX")
version="$(sed -n 's:.*<WeightInitVersionPrefix>\(.*\)</WeightInitVersionPrefix>.*:\1:p' "$root/eng/Versions.props")-check.$(date +%s)$$"
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
packageIds="microsoft.ml.weightinit microsoft.ml.weightinit.experiments microsoft.ml.weightinit.hangfire microsoft.ml.weightinit.cli microsoft.ml.weightinit.cli.linux-x64"
cleanup() {
  rm -rf "$work"
  for id in $packageIds; do
    rm -rf "${packages%/}/$id/$version"
    rmdir "${packages%/}/$id" 2>/dev/null || true
  done
}
trap cleanup EXIT
step() { echo "consumer check: $*"; }

step "packing $version (the four packable projects of Extensions.sln; the test projects are not packable)"
for project in Microsoft.ML.WeightInit Microsoft.ML.WeightInit.Experiments Microsoft.ML.WeightInit.Hangfire Examples; do
  dotnet pack "$root/src/$project" -c Release -nologo -v q -o "$work/feed" \
    --artifacts-path "$work/artifacts" -p:Version="$version" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
done
for id in Microsoft.ML.WeightInit Microsoft.ML.WeightInit.Experiments Microsoft.ML.WeightInit.Hangfire Microsoft.ML.WeightInit.Cli \
          Microsoft.ML.WeightInit.Cli.linux-x64; do
  [ -f "$work/feed/$id.$version.nupkg" ] || { echo "consumer check: dotnet pack did not make $id.$version.nupkg:"; ls "$work/feed"; exit 1; }
done
step "packages: $(cd "$work/feed" && ls | sed "s/\.$version\.nupkg//" | tr '\n' ' ')"
package="$work/feed/Microsoft.ML.WeightInit.$version.nupkg"
unzip -Z1 "$package" >"$work/entries.txt"
for entry in lib/net10.0/Microsoft.ML.WeightInit.dll lib/net10.0/Microsoft.ML.WeightInit.xml README.md LICENSE \
             buildTransitive/Microsoft.ML.WeightInit.targets data/mnist-sample/README.md; do
  grep -qx "$entry" "$work/entries.txt" || { echo "consumer check: the package lacks $entry"; exit 1; }
done
# The core package's dependencies: no CsvHelper, no MathNet.Numerics (those are the experiments package's).
unzip -p "$package" Microsoft.ML.WeightInit.nuspec >"$work/core.nuspec"
if grep -Eiq 'id="(CsvHelper|MathNet\.Numerics)"' "$work/core.nuspec"; then
  echo "consumer check: Microsoft.ML.WeightInit depends on CsvHelper or MathNet.Numerics:"; grep -i dependency "$work/core.nuspec"; exit 1
fi
unzip -p "$work/feed/Microsoft.ML.WeightInit.Experiments.$version.nupkg" Microsoft.ML.WeightInit.Experiments.nuspec >"$work/experiments.nuspec"
for id in Microsoft.ML.WeightInit CsvHelper MathNet.Numerics; do
  grep -q "id=\"$id\"" "$work/experiments.nuspec" || { echo "consumer check: Microsoft.ML.WeightInit.Experiments does not depend on $id"; exit 1; }
done

# new_app DIR NAME SOURCE REFERENCES: an app DIR/NAME.csproj with eng/SOURCE/Program.cs and the given PackageReference
# lines, built in Release against the machine's sources and the local feed; its build log goes to DIR.log.
new_app() {
  local dir=$1 name=$2 source=$3 references=$4
  mkdir -p "$dir"
  cp "$root/eng/$source/Program.cs" "$dir/Program.cs"
  cat >"$dir/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="weightinit-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
  cat >"$dir/$name.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
$references
  </ItemGroup>
</Project>
XML
  (cd "$dir" && dotnet build -c Release -nologo -v q >"$dir.log" 2>&1) || { cat "$dir.log"; exit 1; }
}

step "creating the app in $work/app"
new_app "$work/app" Consumer consumer "    <PackageReference Include=\"Microsoft.ML.WeightInit\" Version=\"$version\" />"
app="$work/app/bin/Release/net10.0/Consumer.dll"
if find "$work/app/bin/Release/net10.0" -iname 'CsvHelper*' -o -iname 'MathNet*' | grep -q .; then
  echo "consumer check: the app referencing only Microsoft.ML.WeightInit has CsvHelper or MathNet files:"
  find "$work/app/bin/Release/net10.0" -iname 'CsvHelper*' -o -iname 'MathNet*'; exit 1
fi
step "the core app's output folder has no CsvHelper and no MathNet.Numerics"

step "training and saving (process 1)"
dotnet "$app" train "$work/model.zip"
step "loading and predicting (process 2)"
dotnet "$app" predict "$work/model.zip"
step "creating the scoring-only app in $work/scorer (Microsoft.ML + OnnxTransformer + OnnxRuntime only)"
props="$root/eng/Versions.props"
v() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$props"; }
new_app "$work/scorer" Scorer consumer-scorer "    <PackageReference Include=\"Microsoft.ML\" Version=\"$(v MicrosoftMLVersion)\" />
    <PackageReference Include=\"Microsoft.ML.OnnxTransformer\" Version=\"$(v MicrosoftMLOnnxTransformerVersion)\" />
    <PackageReference Include=\"Microsoft.ML.OnnxRuntime\" Version=\"$(v MicrosoftMLOnnxRuntimeVersion)\" />"
out="$work/scorer/bin/Release/net10.0"
if find "$out" -iname '*torch*' -o -iname '*WeightInit*' | grep -q .; then
  echo "consumer check: the scoring-only app's output folder holds TorchSharp or WeightInit files:"; find "$out" -iname '*torch*' -o -iname '*WeightInit*'; exit 1
fi
step "scoring-only app: output folder has no TorchSharp/libtorch and no Microsoft.ML.WeightInit ($(du -sh "$out" | cut -f1))"
for model in "$work/model.zip" "$work/letters.zip"; do
  step "scoring $(basename "$model") in a new process that has only ML.NET + ONNX Runtime"
  dotnet "$out/Scorer.dll" "$model"
done

step "creating the experiments app in $work/experiments (Microsoft.ML.WeightInit.Experiments)"
new_app "$work/experiments" Experiments consumer-experiments "    <PackageReference Include=\"Microsoft.ML.WeightInit.Experiments\" Version=\"$version\" />"
step "running a tiny comparison (2 initializers × 2 seeds, 1 epoch)"
dotnet "$work/experiments/bin/Release/net10.0/Experiments.dll"

step "installing the tool from the feed (dotnet tool install --tool-path)"
mkdir -p "$work/run"
(cd "$work/run" && dotnet tool install Microsoft.ML.WeightInit.Cli --version "$version" --tool-path "$work/tools" \
  --add-source "$work/feed" >"$work/tool-install.log" 2>&1) || { cat "$work/tool-install.log"; exit 1; }
step "weightinit --help"
(cd "$work/run" && "$work/tools/weightinit" --help >"$work/help.txt") || { cat "$work/help.txt"; exit 1; }
for command in train compare sweep init-stats; do
  grep -q "$command" "$work/help.txt" || { echo "consumer check: weightinit --help does not list $command:"; cat "$work/help.txt"; exit 1; }
done
step "weightinit train --sample"
(cd "$work/run" && "$work/tools/weightinit" train --sample)
step "passed"
