#!/usr/bin/env bash
# Consumer check: packs Microsoft.ML.WeightInit, creates a brand-new console app in a temporary directory that
# references the package from a local folder feed (the machine's NuGet sources serve the dependencies), trains on
# the bundled sample and saves a model zip, then loads it in a second process and predicts (eng/consumer/Program.cs).
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
step "passed"
