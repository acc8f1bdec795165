#!/usr/bin/env bash
# Runs the whole test suite (Release), then the package consumer check (eng/consumer-check.sh), and ends with one
# line: "N passed, N failed, N skipped" (skipped: inconclusive or not executed, e.g. no PostgreSQL). Extra arguments
# go to `dotnet test` (e.g. --filter "FullyQualifiedName~Initializers") and skip the consumer check.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# The PyTorch parity tests use Debian's python3-torch (PyTorch 1.13) as the oracle.
if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then
  echo "Installing python3-torch (the PyTorch oracle of the parity tests)..."
  if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
  if [ "$sudo" = none ]; then
    echo "warning: cannot install python3-torch without root; the parity tests will fail. Run: sudo apt-get install -y python3-torch" >&2
  else
    $sudo apt-get install -y -q python3-torch >/dev/null 2>&1 \
      || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q python3-torch >/dev/null 2>&1; } \
      || echo "warning: apt-get install python3-torch failed; the parity tests will fail." >&2
  fi
fi

# The distributed-sweep tests need a real PostgreSQL (a private server: eng/postgres.sh, stopped at exit) and the
# dashboard test headless Chromium (Debian's chromium). Without them those tests are inconclusive, saying why.
# shellcheck source=eng/postgres.sh
if [ -z "${WEIGHTINIT_TEST_POSTGRES:-}" ]; then
  source "$root/eng/postgres.sh" start || echo "warning: no PostgreSQL server: the distributed-sweep tests will be inconclusive." >&2
  [ -z "${WEIGHTINIT_TEST_POSTGRES_DATA:-}" ] || trap 'bash "$root/eng/postgres.sh" stop' EXIT
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing chromium (headless, for the sweep dashboard test)..."
  if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
  if [ "$sudo" = none ]; then
    echo "warning: cannot install chromium without root; the dashboard test will be inconclusive." >&2
  else
    $sudo apt-get install -y -q chromium >/dev/null 2>&1 \
      || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q chromium >/dev/null 2>&1; } \
      || echo "warning: apt-get install chromium failed; the dashboard test will be inconclusive." >&2
  fi
fi

results="$root/artifacts/test-results"
rm -rf "$results"
dotnet test Extensions.sln -c Release --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

trx=$(ls "$results"/*.trx 2>/dev/null | head -n 1)
if [ -z "$trx" ]; then
  echo "dotnet test produced no results (exit code $status): the build or the test host failed." >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
counter() { grep -o "<Counters [^>]*>" "$trx" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" || echo 0; }
passed=$(counter passed)
failed=$(( $(counter failed) + $(counter error) + $(counter timeout) + $(counter aborted) ))
inconclusive=$(counter inconclusive)
# Skipped: inconclusive (e.g. no PostgreSQL) plus not executed (Assert.Inconclusive in a class setup, ignored tests),
# which the trx Counters leave out of "executed" but count in "total".
skipped=$(( inconclusive + $(counter total) - $(counter executed) ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# The consumer check (a new app using the packed NuGet package, two processes) counts as one more test. It runs on
# full runs only (no extra arguments); WEIGHTINIT_CONSUMER_CHECK=0 skips it, =1 forces it.
if [ "${WEIGHTINIT_CONSUMER_CHECK:-}" = 1 ] || { [ $# -eq 0 ] && [ "${WEIGHTINIT_CONSUMER_CHECK:-}" != 0 ]; }; then
  if bash "$root/eng/consumer-check.sh"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "consumer check: FAILED" >&2; fi
fi
[ "$inconclusive" -eq 0 ] || echo "($inconclusive inconclusive: see the trx file $trx)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
