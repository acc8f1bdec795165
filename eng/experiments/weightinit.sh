# Sourced by the experiment scripts: `weightinit` runs the CLI built in Release (dotnet build Extensions.sln -c Release),
# or `dotnet run --project src/Examples -c Release --` when it is not built; WEIGHTINIT=path overrides (e.g. a copy of
# the build, so the tree can be rebuilt while an experiment runs). DATA: full MNIST (raw IDX directory).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${DATA:-/work/data/mnist}"
weightinit() {
    local built="${WEIGHTINIT:-$ROOT/src/Examples/bin/Release/net10.0/Microsoft.ML.WeightInit.Examples}"
    if [[ -x "$built" ]]; then
        "$built" "$@"
    else
        dotnet run --project "$ROOT/src/Examples" -c Release -- "$@"
    fi
}
